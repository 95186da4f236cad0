// symshape/tensor/op_table.hpp — the op table generated from SYMSHAPE_OPS (name, ATen name, shape
// rule, kernel, printing layout), and `apply`, the single path every op takes: shape rule, then
// storage (view, in place or fresh), then kernel, then the trace hook. Eager calls and the graph
// interpreter both go through `apply`, so they cannot disagree.
#pragma once

#include <span>
#include <string_view>

#include "symshape/config.hpp"
#include "symshape/tensor/call.hpp"

namespace symshape {

/// Computes the result's dtype and sizes (and, for views, strides and offset); returns true when
/// the result is a view of the first input.
using shape_rule_fn = bool (*)(const call&, detail::tensor_impl& out);
/// Fills a freshly allocated result (or, in place, the first input).
using kernel_fn = void (*)(const call&, tensor& out);

/// One row of the op table.
struct op_info {
    const char* name;        ///< symshape's name (`slice`)
    const char* aten;        ///< ATen overload printed in graphs (`slice.Tensor`)
    const char* aten_alt;    ///< the alternative overload (scalar / all-dims forms), or nullptr
    shape_rule_fn rule;      ///< shape rule
    kernel_fn kernel;        ///< eager kernel; nullptr for pure views
    op_flags flags;          ///< how the result is produced
    int positional;          ///< arguments printed positionally (-1: all); the rest as keywords
    const char* keywords;    ///< comma-separated names of the keyword arguments
};

/// The op table, indexed by op_kind: one row per op of SYMSHAPE_OPS.
std::span<const op_info, op_count> op_table() noexcept;

/// The table row of `k`.
const op_info& info(op_kind k) noexcept;


constexpr bool has_flag(op_flags f, op_flags g) noexcept {
    return (static_cast<unsigned>(f) & static_cast<unsigned>(g)) != 0;
}

/// Run one op call: shape rule, storage, kernel, and (while tracing) recording.
/// Throws shape_error / usage_error from the rule before any data is touched.
tensor apply(const call& c);

} // namespace symshape

#if SYMSHAPE_HEADER_ONLY
#include "symshape/tensor/impl/op_table.hpp"
#endif
