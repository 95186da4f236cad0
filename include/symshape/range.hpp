// symshape/range.hpp — umbrella header of the range layer.
#pragma once
#include "symshape/expr.hpp"
#include "symshape/range/interval.hpp"
#include "symshape/range/facts.hpp"
#include "symshape/range/simplify.hpp"
#include "symshape/range/declare_ranges.hpp"
