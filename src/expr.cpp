// libsymshape: the expression layer (construction, printing, parsing, evaluation), instantiated
// for std::int64_t and big_int.
#include "symshape/int/big_int.hpp"
#include "symshape/expr.hpp"
#include "symshape/expr/impl/eval.hpp"
#include "symshape/expr/impl/expr.hpp"
#include "symshape/expr/impl/parse.hpp"
#include "symshape/expr/impl/print.hpp"

namespace symshape {

#define SYMSHAPE_INSTANTIATE(I)                                                                      \
    template class basic_expr<I>;                                                                    \
    template basic_expr<I> operator+(const basic_expr<I>&, const basic_expr<I>&);                    \
    template basic_expr<I> operator-(const basic_expr<I>&, const basic_expr<I>&);                    \
    template basic_expr<I> operator-(const basic_expr<I>&);                                          \
    template basic_expr<I> operator*(const basic_expr<I>&, const basic_expr<I>&);                    \
    template basic_expr<I> floor_div(const basic_expr<I>&, const basic_expr<I>&);                    \
    template basic_expr<I> mod(const basic_expr<I>&, const basic_expr<I>&);                          \
    template basic_expr<I> ceil_div(const basic_expr<I>&, const basic_expr<I>&);                     \
    template basic_expr<I> min(const basic_expr<I>&, const basic_expr<I>&);                          \
    template basic_expr<I> max(const basic_expr<I>&, const basic_expr<I>&);                          \
    template basic_expr<I> min(std::vector<basic_expr<I>>);                                          \
    template basic_expr<I> max(std::vector<basic_expr<I>>);                                          \
    template basic_expr<I> eq(const basic_expr<I>&, const basic_expr<I>&);                           \
    template basic_expr<I> ne(const basic_expr<I>&, const basic_expr<I>&);                           \
    template basic_expr<I> lt(const basic_expr<I>&, const basic_expr<I>&);                           \
    template basic_expr<I> le(const basic_expr<I>&, const basic_expr<I>&);                           \
    template basic_expr<I> logical_and(const basic_expr<I>&, const basic_expr<I>&);                  \
    template basic_expr<I> logical_or(const basic_expr<I>&, const basic_expr<I>&);                   \
    template basic_expr<I> logical_not(const basic_expr<I>&);                                        \
    template std::string to_string(const basic_expr<I>&);                                           \
    template std::size_t text_length(const basic_expr<I>&);                                         \
    template basic_expr<I> build(const syntax_tree&);                                                \
    template I evaluate(const basic_expr<I>&, const valuation<I>&);                                  \
    template bool evaluate_bool(const basic_expr<I>&, const valuation<I>&);                          \
    template std::vector<basic_expr<I>> symbols_of(const basic_expr<I>&);                            \
    template basic_expr<I> substitute(const basic_expr<I>&,                                          \
                                      const std::unordered_map<basic_expr<I>, basic_expr<I>, expr_hash>&);

SYMSHAPE_INSTANTIATE(std::int64_t)
SYMSHAPE_INSTANTIATE(big_int)
#undef SYMSHAPE_INSTANTIATE

} // namespace symshape
