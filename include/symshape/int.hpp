// symshape/int.hpp — umbrella header of the integer layer.
#pragma once
#include "symshape/int/integer.hpp"
#include "symshape/int/extended.hpp"
