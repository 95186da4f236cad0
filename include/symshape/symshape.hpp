// symshape/symshape.hpp — the whole library.
#pragma once
#include "symshape/int.hpp"
#include "symshape/expr.hpp"
#include "symshape/range.hpp"
#include "symshape/guard.hpp"
#include "symshape/tensor.hpp"
#include "symshape/graph.hpp"
#include "symshape/export.hpp"
#include "symshape/io.hpp"
