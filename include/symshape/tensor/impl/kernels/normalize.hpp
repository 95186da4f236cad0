// symshape/tensor/impl/kernels/normalize.hpp — softmax, log_softmax, layer_norm, rms_norm.
// Shape rules decide through sym_int comparisons; kernels work on hints. Part of the op table's
// internals (tensor/impl/kernels.hpp); not for direct inclusion.
#pragma once

#include "symshape/tensor/impl/kernels/common.hpp"

namespace symshape::detail {

// ---- softmax ----

inline bool rule_softmax(const call& c, tensor_impl& out) {
    const tensor& x = c.in(0);
    if (!is_floating(x.dtype()))
        throw_usage(c.op, std::string("needs a floating input, got ") + short_name(x.dtype()));
    wrap_dim(static_cast<int>(c.a[1].i.value()), x.dim());
    out.sizes = x.sizes();
    out.dt = x.dtype();
    return false;
}
template <bool Log> void kernel_softmax(const call& c, tensor& out) {
    const tensor& x0 = c.in(0);
    int d = wrap_dim(static_cast<int>(c.a[1].i.value()), x0.dim());
    // Move dim d last (a view), compute on contiguous rows, write back through the same permutation.
    const std::array<int, max_dims> perm = mask_last_order(x0.dim(), x0.dim() ? 1u << d : 0u);
    tensor x = materialize(permuted(x0, perm.data()), out.dtype());
    tensor o = d == x0.dim() - 1 || x0.dim() == 0 ? out : make_tensor(out.dtype(), x.sizes());
    const std::int64_t r = x0.dim() ? x0.impl().sizes[d].unsafe_hint() : 1;
    const std::int64_t rows = r ? x.numel() / r : 0;
    dispatch(out.dtype(), [&]<class T>() {
        if constexpr (std::is_floating_point_v<T>) {
            const T* p = base_ptr<T>(x);
            T* q = base_ptr<T>(o);
            for (std::int64_t j = 0; j < rows; ++j, p += r, q += r) {
                T mx = -std::numeric_limits<T>::infinity();
                for (std::int64_t i = 0; i < r; ++i) mx = p[i] > mx ? p[i] : mx;
                T s = 0;
                if constexpr (std::is_same_v<T, float>) {
                    // exp4 over the row (tail padded with -inf, whose exp is 0).
                    for (std::int64_t i = 0; i < r; i += 4) {
                        float in[4], e[4];
                        for (int l = 0; l < 4; ++l) in[l] = i + l < r ? p[i + l] - mx : -std::numeric_limits<float>::infinity();
                        store4(e, exp4(load4(in)));
                        for (int l = 0; l < 4 && i + l < r; ++l) {
                            if constexpr (!Log) q[i + l] = e[l];
                            s += e[l];
                        }
                    }
                } else {
                    for (std::int64_t i = 0; i < r; ++i) {
                        T e = std::exp(p[i] - mx);
                        if constexpr (!Log) q[i] = e;
                        s += e;
                    }
                }
                if constexpr (Log) {
                    T ls = std::log(s) + mx;
                    for (std::int64_t i = 0; i < r; ++i) q[i] = p[i] - ls;
                } else {
                    T inv = T(1) / s;
                    for (std::int64_t i = 0; i < r; ++i) q[i] *= inv;
                }
            }
        }
    });
    if (o.impl().st != out.impl().st) {
        // o is laid out in permuted order; view `out` the same way and copy.
        tensor dst = permuted(out, perm.data());
        copy_into(o, dst);
    }
}

// ---- layer_norm(x, shape, weight?, bias?, eps) and rms_norm(x, shape, weight?, eps?) ----

/// Checks the normalised trailing dims and the optional weight (and bias) against `shape`.
inline bool rule_layer_norm(const call& c, tensor_impl& out) {
    const tensor& x = c.in(0);
    require_floating(c.op, x, "the input");
    const std::span<const sym_int> shape = c.a[1].ints();
    const int n = static_cast<int>(shape.size());
    if (n == 0) throw_usage(c.op, "normalized_shape must name at least one dimension");
    if (n > x.dim())
        throw_shape(c.op, "normalized_shape " + to_string(shape_vec(shape.begin(), shape.end())) + " has more dims than the input",
                    "input shape " + to_string(x.sizes()));
    for (int i = 0; i < n; ++i)
        if (x.impl().sizes[x.dim() - n + i] != shape[static_cast<std::size_t>(i)])
            throw_shape(c.op, "the input's last " + std::to_string(n) + " dims must equal normalized_shape " +
                                  to_string(shape_vec(shape.begin(), shape.end())),
                        "input shape " + to_string(x.sizes()) + ": dimension " + std::to_string(x.dim() - n + i) + " is " +
                            to_string(x.impl().sizes[x.dim() - n + i]));
    const bool rms = c.op == op_kind::rms_norm;
    for (int k = 2; k <= (rms ? 2 : 3); ++k) {
        if (!c.given(k)) continue;
        const tensor& w = c.in(k);
        const char* what = k == 2 ? "weight" : "bias";
        if (w.dtype() != x.dtype())
            throw_usage(c.op, std::string("the ") + what + " must have the input's dtype " + short_name(x.dtype()) + ", got " + short_name(w.dtype()));
        bool same = w.dim() == n;
        for (int i = 0; same && i < n; ++i) same = w.impl().sizes[i] == shape[static_cast<std::size_t>(i)];
        if (!same)
            throw_shape(c.op, std::string("the ") + what + " of shape " + to_string(w.sizes()) + " does not match normalized_shape " +
                                  to_string(shape_vec(shape.begin(), shape.end())),
                        "they must be equal");
    }
    out.dt = x.dtype();
    out.sizes = x.sizes();
    return false;
}
/// Each row of the normalised dims: (x - mean) / sqrt(var + eps) (layer_norm, biased variance)
/// or x / sqrt(mean(x^2) + eps) (rms_norm), then times weight plus bias. Sums in double.
template <bool Rms> void kernel_layer_norm(const call& c, tensor& out) {
    tensor x = materialize(c.in(0), out.dtype());
    std::int64_t m = 1;
    for (const sym_int& s : c.a[1].ints()) m *= s.unsafe_hint();
    const std::int64_t rows = m ? out.numel() / m : 0;
    const int eps_at = Rms ? 3 : 4;
    dispatch_float(c.op, out.dtype(), [&]<class T>() {
        const double eps = c.given(eps_at) ? c.a[eps_at].number().template as<double>()
                                           : static_cast<double>(std::numeric_limits<T>::epsilon());
        tensor w = c.given(2) ? materialize(c.in(2), out.dtype()) : tensor();
        tensor b = !Rms && c.given(3) ? materialize(c.in(3), out.dtype()) : tensor();
        const T* pw = w.defined() ? base_ptr<T>(w) : nullptr;
        const T* pb = b.defined() ? base_ptr<T>(b) : nullptr;
        const T* p = base_ptr<T>(x);
        T* o = base_ptr<T>(out);
        for (std::int64_t j = 0; j < rows; ++j) {
            const T* q = p + j * m;
            T* y = o + j * m;
            double mean = 0, ss = 0;
            if constexpr (!Rms) {
                for (std::int64_t i = 0; i < m; ++i) mean += q[i];
                mean /= static_cast<double>(m);
            }
            for (std::int64_t i = 0; i < m; ++i) ss += (q[i] - mean) * (q[i] - mean);
            const T inv = static_cast<T>(1.0 / std::sqrt(ss / static_cast<double>(m) + eps));
            const T mu = static_cast<T>(mean);
            for (std::int64_t i = 0; i < m; ++i) {
                T v = (q[i] - mu) * inv;
                if (pw) v *= pw[i];
                if (pb) v += pb[i];
                y[i] = v;
            }
        }
    });
}

} // namespace symshape::detail
