// symshape/tensor/op_table.hpp — the op table generated from SYMSHAPE_OPS (name, ATen name, shape
// rule, kernel, printing layout), and `apply`, the single path every op takes: shape rule, then
// storage (view, in place or fresh), then kernel, then the trace hook. Eager calls and the graph
// interpreter both go through `apply`, so they cannot disagree.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "symshape/config.hpp"
#include "symshape/tensor/call.hpp"

namespace symshape {

/// Computes the result's dtype and sizes (and, for views, strides and offset); returns true when
/// the result is a view of the first input.
using shape_rule_fn = bool (*)(const call&, detail::tensor_impl& out);
/// Fills a freshly allocated result (or, in place, the first input).
using kernel_fn = void (*)(const call&, tensor& out);
/// An op with several results: checks shapes, then produces every result (views or filled tensors).
using multi_fn = void (*)(const call&, std::vector<tensor>& outs);

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
    multi_fn multi = nullptr; ///< for ops with several results (then rule and kernel are nullptr)
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
/// Ops registered by users (op_kind::custom) take the same path with their own rule and kernel.
tensor apply(const call& c);
/// Run a call of an op with several results (SYMSHAPE_MULTI_OPS), recording one node and a
/// `getitem` node per result while tracing.
std::vector<tensor> apply_multi(const call& c);

namespace detail {
/// Runs a user-registered op (tensor/custom_op.hpp): its rule, a fresh result, its kernel.
tensor run_custom(const call& c);
/// The qualified name a user op prints with (`mylib.pad_to.default`).
const std::string& custom_op_label(std::uint16_t id);
} // namespace detail

} // namespace symshape

#if SYMSHAPE_HEADER_ONLY
#include "symshape/tensor/impl/op_table.hpp"
#endif
