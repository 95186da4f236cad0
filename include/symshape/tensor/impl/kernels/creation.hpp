// symshape/tensor/impl/kernels/creation.hpp — creation ops: zeros, ones, full, arange, empty, randn, rand.
// Shape rules decide through sym_int comparisons; kernels work on hints. Part of the op table's
// internals (tensor/impl/kernels.hpp); not for direct inclusion.
#pragma once

#include <random>

#include "symshape/tensor/impl/kernels/common.hpp"

namespace symshape::detail {

// ---- creation ----

inline bool rule_creation(const call& c, tensor_impl& out) {
    out.sizes = sizes_arg(c.op, c.a[0]);
    out.dt = c.a[c.op == op_kind::full ? 2 : 1].dt;
    return false;
}
inline bool rule_arange(const call& c, tensor_impl& out) {
    out.dt = c.a[3].dt;
    if (c.a[0].kind == arg_kind::integer && c.a[1].kind == arg_kind::integer && c.a[2].kind == arg_kind::integer) {
        // Integer ends may be symbolic (`arange(x.size(0))`): the length is ceil((end - start) / step).
        const std::int64_t step = c.a[2].i.value();
        if (step == 0) throw_usage(c.op, "step must be non-zero");
        sym_int span = step > 0 ? c.a[1].i - c.a[0].i : c.a[0].i - c.a[1].i;
        const std::int64_t s = step > 0 ? step : checked_neg(step);
        sym_int n = s == 1 ? span : floor_div(span + sym_int(s - 1), sym_int(s));
        if (n < 0) n = 0;
        out.sizes = shape_vec{n};
        return false;
    }
    double start = c.a[0].number().as<double>(), end = c.a[1].number().as<double>(), step = c.a[2].number().as<double>();
    if (step == 0) throw_usage(c.op, "step must be non-zero");
    double n = std::ceil((end - start) / step);
    out.sizes = shape_vec{sym_int(n > 0 ? static_cast<std::int64_t>(n) : 0)};
    out.dt = c.a[3].dt;
    return false;
}
inline void fill_value(tensor& out, const scalar& v) {
    dispatch(out.dtype(), [&]<class T>() {
        T* p = base_ptr<T>(out);
        T x = v.as<T>();
        for (std::int64_t i = 0, n = out.numel(); i < n; ++i) p[i] = x;
    });
}
inline void kernel_zeros(const call&, tensor& out) {
    if (out.numel()) std::memset(out.impl().st->data, 0, static_cast<std::size_t>(out.numel()) * element_size(out.dtype()));
}
inline void kernel_ones(const call&, tensor& out) { fill_value(out, scalar(1)); }
inline void kernel_full(const call& c, tensor& out) { fill_value(out, c.a[1].number()); }
inline void kernel_empty(const call&, tensor&) {}
inline void kernel_arange(const call& c, tensor& out) {
    scalar s0 = c.a[0].number(), st = c.a[2].number();
    dispatch(out.dtype(), [&]<class T>() {
        T* p = base_ptr<T>(out);
        for (std::int64_t i = 0, n = out.numel(); i < n; ++i) {
            if constexpr (std::is_floating_point_v<T>) p[i] = static_cast<T>(s0.as<double>() + static_cast<double>(i) * st.as<double>());
            else p[i] = static_cast<T>(s0.as<std::int64_t>() + i * st.as<std::int64_t>());
        }
    });
}
template <bool Normal> inline void kernel_random(const call& c, tensor& out) {
    std::mt19937_64 gen(static_cast<std::uint64_t>(c.a[2].i.unsafe_hint()));
    dispatch(out.dtype(), [&]<class T>() {
        if constexpr (std::is_floating_point_v<T>) {
            T* p = base_ptr<T>(out);
            std::normal_distribution<double> nd(0.0, 1.0);
            std::uniform_real_distribution<double> ud(0.0, 1.0);
            for (std::int64_t i = 0, n = out.numel(); i < n; ++i) p[i] = static_cast<T>(Normal ? nd(gen) : ud(gen));
        } else {
            throw_usage(c.op, std::string("needs a floating dtype, got ") + short_name(out.dtype()));
        }
    });
}
inline void kernel_randn(const call& c, tensor& out) { kernel_random<true>(c, out); }
inline void kernel_rand(const call& c, tensor& out) { kernel_random<false>(c, out); }

} // namespace symshape::detail
