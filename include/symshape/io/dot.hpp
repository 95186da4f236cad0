// symshape/io/dot.hpp — Graphviz pictures of exported programs: to_dot(ep) gives DOT text
// (`dot -Tsvg`): inputs coloured by signature kind, one box per op with its output type
// (symbolic sizes shown), Sym values as ellipses, runtime assertions as octagons, outputs by
// kind, and a note with the guards and range constraints. Deterministic: nodes in graph order.
#pragma once

#include "symshape/config.hpp"

#include <string>

#include "symshape/export/export.hpp"

namespace symshape {

/// The program as a Graphviz digraph.
std::string to_dot(const exported_program& ep);

} // namespace symshape

#if SYMSHAPE_HEADER_ONLY
#include "symshape/io/impl/dot.hpp"
#endif
