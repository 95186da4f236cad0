// symshape/tensor/op_table.hpp — the op table generated from SYMSHAPE_OPS (name, ATen name, shape
// rule, kernel, printing layout), and `apply`, the single path every op takes: shape rule, then
// storage (view, in place or fresh), then kernel, then the trace hook. Eager calls and the graph
// interpreter both go through `apply`, so they cannot disagree.
#pragma once

#include <string_view>

#include "symshape/tensor/kernels.hpp"

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

namespace detail {
// Generated inside detail so the rule and kernel columns name detail's functions unqualified.
inline constexpr op_info op_rows[] = {
#define SYMSHAPE_OP_ROW(name, aten, alt, rule, kernel, flags, npos, kw) \
    op_info{#name, aten, alt, &rule, kernel, flags, npos, kw},
    SYMSHAPE_OPS(SYMSHAPE_OP_ROW)
#undef SYMSHAPE_OP_ROW
};
static_assert(sizeof(op_rows) / sizeof(op_rows[0]) == op_count, "every op in SYMSHAPE_OPS has one table row");
} // namespace detail

/// The op table, indexed by op_kind.
inline constexpr std::span<const op_info, op_count> op_table{detail::op_rows};
static_assert(op_count == 62, "adding an op: update the count here, the tests and the README");

/// The table row of `k`.
constexpr const op_info& info(op_kind k) noexcept { return op_table[static_cast<int>(k)]; }


constexpr bool has_flag(op_flags f, op_flags g) noexcept {
    return (static_cast<unsigned>(f) & static_cast<unsigned>(g)) != 0;
}

/// Run one op call: shape rule, storage, kernel, and (while tracing) recording.
/// Throws shape_error / usage_error from the rule before any data is touched.
inline tensor apply(const call& c) {
    const op_info& row = info(c.op);
    // While tracing, shape decisions made by the rule name this op (guards, data-dependent errors).
    const char* const saved_op = detail::current_op;
    struct restore {
        const char* op;
        ~restore() { detail::current_op = op; }
    } restore_op{saved_op};
    if (detail::active_shape_env) [[unlikely]] detail::current_op = row.aten;
    tensor out;
    detail::tensor_impl& m = out.impl();
    const bool is_view = row.rule(c, m);
    if (has_flag(row.flags, op_flags::inplace)) {
        out = c.in(0);
        row.kernel(c, out);
    } else if (is_view) {
        m.st = c.in(0).impl().st;
    } else {
        out = detail::make_tensor(m.dt, m.sizes);
        row.kernel(c, out);
    }
    out.impl().tag = {};
    if (detail::trace_hook* h = detail::active_trace) [[unlikely]]
        h->record(h->self, c, out);
    return out;
}

} // namespace symshape
