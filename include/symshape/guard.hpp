// symshape/guard.hpp — umbrella header of the guard layer.
#pragma once
#include "symshape/range.hpp"
#include "symshape/guard/shape_env.hpp"
#include "symshape/guard/compiled.hpp"
#include "symshape/guard/emit.hpp"
#include "symshape/guard/violations.hpp"
