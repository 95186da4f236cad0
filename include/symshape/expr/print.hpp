// symshape/expr/print.hpp — prints expressions in the infix syntax of ../shared/vectors
// (Python-like: `//` and `%` are floor division and modulo), with the fewest parentheses that
// keep `parse(to_string(e)) == e`.
#pragma once

#include "symshape/config.hpp"

#include <ostream>
#include <sstream>
#include <string>

#include "symshape/expr/expr.hpp"

namespace symshape {

/// Infix text of `e`, e.g. `2*x + y // 4 - 1` or `x < y and not (z == 0)`.
template <Integer I>
std::string to_string(const basic_expr<I>& e);

/// The number of characters of `to_string(e)` other than spaces, counted without building the
/// text (what simplify() minimises, and what `symcalc --check` compares).
template <Integer I>
std::size_t text_length(const basic_expr<I>& e);

template <Integer I>
std::ostream& operator<<(std::ostream& os, const basic_expr<I>& e) {
    return os << to_string(e);
}

} // namespace symshape

#if SYMSHAPE_HEADER_ONLY
#include "symshape/expr/impl/print.hpp"
#endif
