// symshape/range/detail/simplify_memos.hpp — the memos a fact store keeps for simplify() across
// calls (range/impl/simplify.hpp, range/detail/shorten.hpp).
#pragma once

#include <cstdint>

#include "symshape/expr/node.hpp"
#include "symshape/range/budget.hpp"
#include "symshape/range/detail/node_cache.hpp"

namespace symshape::detail {

/// A memo from nodes to the nodes they became.
template <Integer I>
using node_memo = node_cache<const node<I>*, const node<I>*>;

/// simplify()'s result per node, valid while the store's version and the budget it ran under
/// stay the same; and the shortener's results per node and search depth, which need no facts and
/// so stay valid while the nodes live (they grow with the distinct nodes simplified, which the
/// thread's arena keeps anyway).
template <Integer I>
struct simplify_memos {
    node_memo<I> results;
    std::uint64_t version = ~std::uint64_t(0); // (no store has it: the first call starts afresh)
    solver_budget budget;
    node_memo<I> shortened;         // the shortener's full search (depth 0)
    node_memo<I> shortened_shallow; // its search of a candidate (depth 1)
    node_memo<I> trees;             // the shortener's tree()
};

} // namespace symshape::detail
