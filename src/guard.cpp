// libsymshape: the guard layer's definitions (compiled once; see symshape/config.hpp).
#include "symshape/guard.hpp"
#include "symshape/guard/impl/compiled.hpp"
#include "symshape/guard/impl/emit.hpp"
#include "symshape/guard/impl/shape_env.hpp"
#include "symshape/guard/impl/violations.hpp"
