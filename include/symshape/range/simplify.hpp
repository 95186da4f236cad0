// symshape/range/simplify.hpp — range-aware simplification: rebuilds an expression bottom-up,
// dropping what the facts make redundant (x % 8 -> x when 0 <= x < 8, min(a, b) -> a when
// a <= b is proven, relations proven true or false -> constants, ...). The result equals the
// input at every point allowed by the facts.
#pragma once

#include "symshape/config.hpp"

#include <unordered_map>

#include "symshape/range/facts.hpp"

namespace symshape {

/// `e` simplified under the facts in `fs`.
template <Integer I>
basic_expr<I> simplify(const basic_expr<I>& e, fact_store<I>& fs);

} // namespace symshape

#if SYMSHAPE_HEADER_ONLY
#include "symshape/range/impl/simplify.hpp"
#endif
