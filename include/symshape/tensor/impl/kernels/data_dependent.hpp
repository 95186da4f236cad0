// symshape/tensor/impl/kernels/data_dependent.hpp — ops whose result size depends on the data: nonzero,
// masked_select; and item.
// Shape rules decide through sym_int comparisons; kernels work on hints. Part of the op table's
// internals (tensor/impl/kernels.hpp); not for direct inclusion.
#pragma once

#include "symshape/tensor/impl/kernels/elementwise.hpp"

namespace symshape::detail {

// ---- nonzero ----

/// Calls f(flat_position, element_offset) for each element of x in row-major order.
template <class F>
void for_each_offset(const tensor& x, F&& f) {
    const int nd = x.dim();
    const std::int64_t n = x.numel();
    std::array<std::int64_t, max_dims> idx{};
    std::int64_t off = x.impl().offset;
    for (std::int64_t k = 0; k < n; ++k) {
        f(k, off);
        for (int d = nd - 1; d >= 0; --d) {
            off += x.impl().strides[d];
            if (++idx[d] < x.impl().sizes[d].unsafe_hint()) break;
            off -= idx[d] * x.impl().strides[d];
            idx[d] = 0;
        }
    }
}
/// The number of non-zero elements of x.
inline std::int64_t count_nonzero(const tensor& x) {
    std::int64_t count = 0;
    dispatch(x.dtype(), [&]<class T>() {
        const T* p = static_cast<const T*>(static_cast<const void*>(x.impl().st->data));
        for_each_offset(x, [&](std::int64_t, std::int64_t off) { count += p[off] != T{} ? 1 : 0; });
    });
    return count;
}
/// nonzero: i64[n, rank]; n depends on the data, so during export it is a fresh unbacked size u
/// with 0 <= u <= numel(x).
inline bool rule_nonzero(const call& c, tensor_impl& out) {
    const tensor& x = c.in(0);
    const std::int64_t count = count_nonzero(x);
    sym_int n = count;
    if (shape_env* env = active_shape_env) {
        expr u = env->create_unbacked("nonzero() of a tensor of shape " + to_string(x.sizes()), true);
        env->facts().try_add_fact(le(u, sym_numel(x.sizes()).to_expr()));
        n = sym_int(count, u);
    }
    out.dt = dtype::i64;
    out.sizes = shape_vec{n, sym_int(x.dim())};
    return false;
}
inline void kernel_nonzero(const call& c, tensor& out) {
    const tensor& x = c.in(0);
    const int nd = x.dim();
    std::int64_t* q = base_ptr<std::int64_t>(out);
    dispatch(x.dtype(), [&]<class T>() {
        const T* p = static_cast<const T*>(static_cast<const void*>(x.impl().st->data));
        for_each_offset(x, [&](std::int64_t k, std::int64_t off) {
            if (p[off] == T{}) return;
            for (int d = nd - 1; d >= 0; --d) {
                const std::int64_t size = x.impl().sizes[d].unsafe_hint();
                q[d] = size ? k % size : 0;
                k = size ? k / size : 0;
            }
            q += nd;
        });
    });
}

// ---- masked_select(x, mask): the elements of x where mask is true, as a 1-d tensor ----

inline bool rule_masked_select(const call& c, tensor_impl& out) {
    const tensor& x = c.in(0);
    const tensor& mask = c.in(1);
    if (mask.dtype() != dtype::b8) throw_usage(c.op, std::string("the mask must be b8, got ") + short_name(mask.dtype()));
    const shape_vec full = broadcast_shapes(c.op, x.sizes(), mask.sizes());
    tensor m = restrided(mask, full, broadcast_strides(mask, full), mask.impl().offset);
    const std::int64_t count = count_nonzero(m);
    sym_int n = count;
    if (shape_env* env = active_shape_env) {
        expr u = env->create_unbacked("masked_select() with a mask of shape " + to_string(mask.sizes()), true);
        env->facts().try_add_fact(le(u, sym_numel(full).to_expr()));
        n = sym_int(count, u);
    }
    out.dt = x.dtype();
    out.sizes = shape_vec{n};
    return false;
}
inline void kernel_masked_select(const call& c, tensor& out) {
    const tensor& x = c.in(0);
    const tensor& mask = c.in(1);
    // The broadcast shape from the hints (the rule has already decided it).
    const int nd = std::max(x.dim(), mask.dim());
    shape_vec full(nd);
    for (int d = 0; d < nd; ++d) {
        const int dx = d - (nd - x.dim()), dm = d - (nd - mask.dim());
        const std::int64_t a = dx >= 0 ? x.impl().sizes[dx].unsafe_hint() : 1, b = dm >= 0 ? mask.impl().sizes[dm].unsafe_hint() : 1;
        full[d] = a == 1 ? b : a;
    }
    tensor xs = restrided(x, full, broadcast_strides(x, full), x.impl().offset);
    tensor ms = restrided(mask, full, broadcast_strides(mask, full), mask.impl().offset);
    dispatch(x.dtype(), [&]<class T>() {
        const T* px = static_cast<const T*>(x.impl().st->data);
        const bool* pm = static_cast<const bool*>(mask.impl().st->data);
        T* po = base_ptr<T>(out);
        std::int64_t k = 0;
        // Walk both in row-major order of the broadcast shape.
        std::array<std::int64_t, max_dims> pos{};
        const std::int64_t n = numel_of(full);
        for (std::int64_t e = 0; e < n; ++e) {
            std::int64_t xo = xs.impl().offset, mo = ms.impl().offset;
            for (int d = 0; d < nd; ++d) xo += pos[d] * xs.impl().strides[d], mo += pos[d] * ms.impl().strides[d];
            if (pm[mo]) po[k++] = px[xo];
            for (int d = nd - 1; d >= 0; --d) {
                if (++pos[d] < full[d].unsafe_hint()) break;
                pos[d] = 0;
            }
        }
    });
}

// ---- item ----

inline bool rule_item(const call& c, tensor_impl&) {
    if (c.in(0).numel() != 1)
        throw_usage(c.op, "only a tensor with one element can be read as a number, got shape " + to_string(c.in(0).sizes()));
    return false;
}

} // namespace symshape::detail
