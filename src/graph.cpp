// libsymshape: the graph layer's definitions (compiled once; see symshape/config.hpp).
#include "symshape/graph.hpp"
#include "symshape/graph/impl/graph.hpp"
#include "symshape/graph/impl/interpreter.hpp"
#include "symshape/graph/impl/control_flow.hpp"
