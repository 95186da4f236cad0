// symshape/graph/interpreter.hpp — runs a recorded graph on new inputs with the same `apply` path
// (shape rules and kernels of the op table) that eager execution uses.
#pragma once

#include "symshape/config.hpp"

#include <span>
#include <vector>

#include "symshape/graph/graph.hpp"

namespace symshape {

/// Run `g` with `inputs[k]` bound to placeholder `g.inputs[k]`; returns one tensor per output
/// (a constant integer output becomes a zero-dim i64 tensor). Inputs are not checked here (see
/// exported_program::run); in-place nodes write into the bound tensors, as eager execution does.
/// Symbolic integer arguments (`slice(x, 0, 0, s0 - 2)`) and outputs are evaluated at `symbols`
/// (the values bound from the inputs' sizes); without it their example values are used.
/// Unbacked symbols are bound as the graph defines them (an `item` node, or an output size of an
/// op like nonzero) and added to `symbols`; runtime assertion nodes are checked and throw
/// assertion_error with their message.
/// Throws usage_error when the input count is wrong, and whatever an op throws.
std::vector<tensor> interpret(const graph& g, std::span<const tensor> inputs,
                              valuation<std::int64_t>* symbols = nullptr);

} // namespace symshape

#if SYMSHAPE_HEADER_ONLY
#include "symshape/graph/impl/interpreter.hpp"
#endif
