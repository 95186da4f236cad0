// symshape/tensor/impl/op_table.hpp — the definitions behind symshape/tensor/op_table.hpp: the
// table rows generated from SYMSHAPE_OPS (compiled into libsymshape in compiled mode, included by
// that header in header-only mode). Not for direct inclusion.
#pragma once

#include "symshape/tensor/impl/kernels.hpp"
#include "symshape/tensor/op_table.hpp"

namespace symshape {

namespace detail {
// Generated inside detail so the rule and kernel columns name detail's functions unqualified.
inline constexpr op_info op_rows[] = {
#define SYMSHAPE_OP_ROW(name, aten, alt, rule, kernel, flags, npos, kw) \
    op_info{#name, aten, alt, &rule, kernel, flags, npos, kw, nullptr},
#define SYMSHAPE_MULTI_ROW(name, aten, fn, npos, kw) \
    op_info{#name, aten, nullptr, nullptr, nullptr, op_flags::multi_out, npos, kw, &fn},
    SYMSHAPE_OPS(SYMSHAPE_OP_ROW)
    SYMSHAPE_MULTI_OPS(SYMSHAPE_MULTI_ROW)
#undef SYMSHAPE_MULTI_ROW
#undef SYMSHAPE_OP_ROW
};
static_assert(sizeof(op_rows) / sizeof(op_rows[0]) == op_count, "every op in SYMSHAPE_OPS has one table row");
} // namespace detail

static_assert(op_count == 90, "adding an op: update the count here, the tests and the README");

SYMSHAPE_INLINE std::span<const op_info, op_count> op_table() noexcept { return std::span<const op_info, op_count>{detail::op_rows}; }

SYMSHAPE_INLINE const op_info& info(op_kind k) noexcept { return detail::op_rows[static_cast<int>(k)]; }


SYMSHAPE_INLINE tensor apply(const call& c) {
    if (c.op == op_kind::custom) return detail::run_custom(c);
    const op_info& row = info(c.op);
    if (has_flag(row.flags, op_flags::multi_out))
        throw usage_error(std::string(row.name) + " has several results: call it through apply_multi");
    detail::current_op_scope scope(row.aten);
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

SYMSHAPE_INLINE std::vector<tensor> apply_multi(const call& c) {
    const op_info& row = info(c.op);
    if (!row.multi) throw usage_error(std::string(row.name) + " has one result: call it through apply");
    std::vector<tensor> outs;
    {
        detail::current_op_scope scope(row.aten);
        row.multi(c, outs);
    }
    for (tensor& t : outs) t.impl().tag = {};
    if (detail::trace_hook* h = detail::active_trace) [[unlikely]]
        h->record_multi(h->self, c, outs);
    return outs;
}

} // namespace symshape
