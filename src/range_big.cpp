// libsymshape: the range layer (fact store, bound, prove, simplify, range specs) for big_int.
#include "symshape/int/big_int.hpp"
#include "symshape/range.hpp"
#include "symshape/expr/impl/eval.hpp"
#include "symshape/expr/impl/expr.hpp"
#include "symshape/expr/impl/print.hpp"
#include "symshape/range/impl/facts.hpp"
#include "symshape/range/impl/simplify.hpp"
#include "symshape/range/impl/declare_ranges.hpp"

namespace symshape {

template class fact_store<big_int>;
template basic_expr<big_int> simplify(const basic_expr<big_int>&, fact_store<big_int>&);
template void declare_ranges(std::string_view, fact_store<big_int>&);

} // namespace symshape
