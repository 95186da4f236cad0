// symshape/graph.hpp — umbrella header of the graph layer: nodes, values, the tracer, cond and
// map, and the interpreter.
#pragma once
#include "symshape/graph/graph.hpp"
#include "symshape/graph/control_flow.hpp"
#include "symshape/graph/interpreter.hpp"
