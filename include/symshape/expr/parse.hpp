// symshape/expr/parse.hpp — parses the infix syntax of ../shared/vectors: integers, identifiers,
// + - * // % (floor), min(...), max(...), parentheses, < <= == != >= >, and, or, not, true, false.
// Two steps: text -> syntax_tree (no arithmetic), syntax_tree -> canonical basic_expr (build).
// Errors throw parse_error with line and column.
#pragma once

#include "symshape/config.hpp"

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "symshape/expr/expr.hpp"

namespace symshape {

/// A parsed but not yet canonicalised expression: the operator tree exactly as written.
struct syntax_tree {
    enum class op : std::uint8_t { integer, name, boolean, neg, add, sub, mul, floor_div, mod, min, max,
                                   lt, le, gt, ge, eq, ne, and_, or_, not_ };
    op kind = op::integer;
    std::string text; // integer literal (with sign) or name; "true"/"false" for booleans
    std::vector<syntax_tree> kids;
    int line = 1, column = 1;
};

/// Parses `text` into a syntax tree. Throws parse_error (line, column) on malformed text.
syntax_tree parse_syntax(std::string_view text);

/// Builds the canonical expression of a syntax tree. Throws parse_error (at the offending
/// operator) for type mismatches such as `x + (a < b)` or a literal zero divisor, and for integer
/// literals that do not fit I.
template <Integer I>
basic_expr<I> build(const syntax_tree& t);

/// parse_syntax + build.
template <Integer I>
basic_expr<I> parse(std::string_view text) {
    return build<I>(parse_syntax(text));
}

} // namespace symshape

#if SYMSHAPE_HEADER_ONLY
#include "symshape/expr/impl/parse.hpp"
#endif
