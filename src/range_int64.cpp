// libsymshape: the range layer (fact store, bound, prove, simplify, range specs) for std::int64_t.
#include "symshape/range.hpp"
#include "symshape/expr/impl/eval.hpp"
#include "symshape/expr/impl/expr.hpp"
#include "symshape/expr/impl/print.hpp"
#include "symshape/range/impl/facts.hpp"
#include "symshape/range/impl/simplify.hpp"
#include "symshape/range/impl/declare_ranges.hpp"

namespace symshape {

template class fact_store<std::int64_t>;
template basic_expr<std::int64_t> simplify(const basic_expr<std::int64_t>&, fact_store<std::int64_t>&);
template void declare_ranges(std::string_view, fact_store<std::int64_t>&);

} // namespace symshape
