// symshape/io/printer.hpp — prints graphs and exported programs in the layout of the seed pages
// (`ExportedProgram:`, `class GraphModule`, typed `def forward`, one line per node, the graph
// signature and the range constraints). Names come from the graph; no addresses, no hash order.
#pragma once

#include "symshape/config.hpp"

#include <charconv>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "symshape/export/export.hpp"

namespace symshape {

/// Python spelling of a float literal (`0.5`, `2.0`, `inf`, `nan`), shortest round-trip digits.
std::string python_float(double d);
/// The text of one node, e.g. `slice_1: f32[3, 2] = torch.ops.aten.slice.Tensor(x, 0, 0, 4)`.
std::string node_text(const graph& g, int v);
/// The body of `forward`: the def line, one line per node with `;  x = None` after last uses,
/// and the return line, each indented by `indent` spaces.
std::string graph_text(const graph& g, int indent = 0);
/// The whole program in the seed's layout.
std::string to_string(const exported_program& ep);
/// Prints to_string(ep).
std::ostream& operator<<(std::ostream& os, const exported_program& ep);

} // namespace symshape

#if SYMSHAPE_HEADER_ONLY
#include "symshape/io/impl/printer.hpp"
#endif
