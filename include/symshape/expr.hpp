// symshape/expr.hpp — umbrella header of the expression layer.
#pragma once
#include "symshape/int.hpp"
#include "symshape/expr/node.hpp"
#include "symshape/expr/expr.hpp"
#include "symshape/expr/print.hpp"
#include "symshape/expr/parse.hpp"
#include "symshape/expr/eval.hpp"
