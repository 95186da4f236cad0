// symshape/tensor/impl/kernels/reduce.hpp — reductions and scans along dims: sum, mean, amax, amin,
// prod, argmax, var / std, cumsum, topk.
// Shape rules decide through sym_int comparisons; kernels work on hints. Part of the op table's
// internals (tensor/impl/kernels.hpp); not for direct inclusion.
#pragma once

#include "symshape/tensor/impl/kernels/common.hpp"

namespace symshape::detail {

// ---- reductions ----

struct red_sum { static constexpr bool floating_only = false, one_dim = false, index = false; };
struct red_mean { static constexpr bool floating_only = true, one_dim = false, index = false; };
struct red_max { static constexpr bool floating_only = false, one_dim = false, index = false; };
struct red_min { static constexpr bool floating_only = false, one_dim = false, index = false; };
struct red_prod { static constexpr bool floating_only = false, one_dim = true, index = false; };
struct red_argmax { static constexpr bool floating_only = false, one_dim = true, index = true; };

/// Which dims a reduction call reduces (bit mask); no dims means all.
inline unsigned reduced_mask(const call& c, int rank) {
    unsigned mask = 0;
    if (!c.given(1) || (c.a[1].kind == arg_kind::ints && c.a[1].n == 0)) return rank == 0 ? 1u : (1u << rank) - 1;
    auto add = [&](std::int64_t d) {
        int w = wrap_dim(static_cast<int>(d), rank);
        if (mask & (1u << w)) throw_usage(c.op, "dim " + std::to_string(w) + " appears twice");
        mask |= 1u << w;
    };
    if (c.a[1].kind == arg_kind::ints)
        for (const sym_int& d : c.a[1].ints()) add(d.value());
    else
        add(c.a[1].i.value());
    return mask;
}
inline bool keepdim_arg(const call& c) { return c.has(2) && c.a[2].b; }

template <class R> bool rule_reduce(const call& c, tensor_impl& out) {
    const tensor& x = c.in(0);
    dtype t = x.dtype();
    if constexpr (R::floating_only)
        if (!is_floating(t))
            throw_usage(c.op, std::string("needs a floating input, got ") + short_name(t) + " (use .to(dtype::f32) first)");
    if constexpr (std::is_same_v<R, red_sum> || std::is_same_v<R, red_prod>)
        if (!is_floating(t)) t = dtype::i64;
    if constexpr (R::index) t = dtype::i64;
    out.dt = t;
    unsigned mask = reduced_mask(c, x.dim());
    bool keep = keepdim_arg(c);
    out.sizes = {};
    for (int i = 0; i < x.dim(); ++i) {
        if (mask & (1u << i)) {
            if constexpr (std::is_same_v<R, red_max> || std::is_same_v<R, red_min> || R::index)
                if (x.impl().sizes[i] == 0)
                    throw_shape(c.op, "cannot reduce over dimension " + std::to_string(i) + " of size 0",
                                "input shape " + to_string(x.sizes()));
            if (keep) out.sizes.push_back(1);
        } else {
            out.sizes.push_back(x.impl().sizes[i]);
        }
    }
    return false;
}
/// `x` with the dims in `mask` moved last (in order), materialized in dtype `t`; `r` is the
/// number of elements reduced per output element.
inline tensor reduced_last(const tensor& x, unsigned mask, dtype t, std::int64_t& r) {
    r = 1;
    for (int i = 0; i < x.dim(); ++i)
        if (mask & (1u << i)) r *= x.impl().sizes[i].unsafe_hint();
    return materialize(permuted(x, mask_last_order(x.dim(), mask).data()), t);
}

template <class R> void kernel_reduce(const call& c, tensor& out) {
    const tensor& x = c.in(0);
    // Move the reduced dims last, then reduce each contiguous run of `r` elements.
    std::int64_t r = 1;
    dtype acc_t = R::index ? x.dtype() : out.dtype();
    tensor src = reduced_last(x, reduced_mask(c, x.dim()), acc_t, r);
    const std::int64_t rows = out.numel();
    dispatch(acc_t, [&]<class T>() {
        const T* p = base_ptr<T>(src);
        if constexpr (R::index) {
            std::int64_t* o = base_ptr<std::int64_t>(out);
            for (std::int64_t j = 0; j < rows; ++j) {
                const T* q = p + j * r;
                std::int64_t best = 0;
                for (std::int64_t i = 1; i < r; ++i)
                    if (q[i] > q[best]) best = i;
                o[j] = best;
            }
        } else {
            T* o = base_ptr<T>(out);
            for (std::int64_t j = 0; j < rows; ++j) {
                const T* q = p + j * r;
                T v;
                if constexpr (std::is_same_v<R, red_max> || std::is_same_v<R, red_min>) {
                    v = q[0];
                    for (std::int64_t i = 1; i < r; ++i)
                        if constexpr (std::is_same_v<R, red_max>) v = q[i] > v ? q[i] : v;
                        else v = q[i] < v ? q[i] : v;
                } else if constexpr (std::is_same_v<R, red_prod>) {
                    v = T(1);
                    for (std::int64_t i = 0; i < r; ++i) v = static_cast<T>(v * q[i]);
                } else {
                    v = T(0);
                    for (std::int64_t i = 0; i < r; ++i) v = static_cast<T>(v + q[i]);
                    if constexpr (std::is_same_v<R, red_mean>) v = r ? static_cast<T>(v / static_cast<T>(r)) : std::numeric_limits<T>::quiet_NaN();
                }
                o[j] = v;
            }
        }
    });
}

// ---- variance and standard deviation: var.correction(x, dims | None, correction = c, keepdim = k) ----

inline bool rule_var(const call& c, tensor_impl& out) {
    const tensor& x = c.in(0);
    require_floating(c.op, x, "the input");
    const unsigned mask = reduced_mask(c, x.dim());
    const bool keep = c.has(3) && c.a[3].b;
    out.dt = x.dtype();
    out.sizes = {};
    for (int i = 0; i < x.dim(); ++i) {
        if (!(mask & (1u << i))) out.sizes.push_back(x.impl().sizes[i]);
        else if (keep) out.sizes.push_back(1);
    }
    return false;
}
template <bool Sqrt> void kernel_var(const call& c, tensor& out) {
    const tensor& x = c.in(0);
    std::int64_t r = 0;
    tensor src = reduced_last(x, reduced_mask(c, x.dim()), out.dtype(), r);
    const double correction = c.has(2) ? c.a[2].number().template as<double>() : 1.0;
    const std::int64_t rows = out.numel();
    dispatch_float(c.op, out.dtype(), [&]<class T>() {
        const T* p = base_ptr<T>(src);
        T* o = base_ptr<T>(out);
        // Two passes in double: the mean, then the squared deviations; divided by max(0, n - correction).
        const double denom = std::max(0.0, static_cast<double>(r) - correction);
        for (std::int64_t j = 0; j < rows; ++j) {
            const T* q = p + j * r;
            double mean = 0, ss = 0;
            for (std::int64_t i = 0; i < r; ++i) mean += q[i];
            mean /= static_cast<double>(r);
            for (std::int64_t i = 0; i < r; ++i) ss += (q[i] - mean) * (q[i] - mean);
            const double v = ss / denom;
            o[j] = static_cast<T>(Sqrt ? std::sqrt(v) : v);
        }
    });
}

// ---- cumulative sum along one dim ----

inline bool rule_cumsum(const call& c, tensor_impl& out) {
    const tensor& x = c.in(0);
    (void)wrap_dim(static_cast<int>(c.a[1].i.value()), x.dim());
    out.dt = is_floating(x.dtype()) ? x.dtype() : dtype::i64;
    out.sizes = x.sizes();
    return false;
}
inline void kernel_cumsum(const call& c, tensor& out) {
    const tensor& x = c.in(0);
    if (x.dim() == 0) {
        copy_into(x, out);
        return;
    }
    const int d = wrap_dim(static_cast<int>(c.a[1].i.unsafe_hint()), x.dim());
    std::int64_t r = 0;
    tensor src = reduced_last(x, 1u << d, out.dtype(), r);
    tensor acc = make_tensor(out.dtype(), src.sizes());
    dispatch(out.dtype(), [&]<class T>() {
        if constexpr (!std::is_same_v<T, bool>) {
            const T* p = base_ptr<T>(src);
            T* o = base_ptr<T>(acc);
            const std::int64_t rows = r ? acc.numel() / r : 0;
            for (std::int64_t j = 0; j < rows; ++j) {
                T s = T(0);
                for (std::int64_t i = 0; i < r; ++i) o[j * r + i] = s = static_cast<T>(s + p[j * r + i]);
            }
        }
    });
    // Write back through the same permutation (the dim moved last).
    tensor dst = permuted(out, mask_last_order(x.dim(), 1u << d).data());
    copy_into(acc, dst);
}

// ---- topk: the k largest (or smallest) values along a dim and their indices ----

/// topk(x, k, dim = -1, largest = True, sorted = True) -> (values, indices).
inline void multi_topk(const call& c, std::vector<tensor>& outs) {
    const tensor& x = c.in(0);
    const sym_int k = c.a[1].i;
    const int d = x.dim() == 0 ? 0 : wrap_dim(static_cast<int>(c.int_at(2, -1).value()), x.dim());
    const bool largest = !c.has(3) || c.a[3].b;
    if (x.dtype() == dtype::b8) throw_usage(c.op, "b8 tensors are not supported");
    const sym_int size = x.dim() == 0 ? sym_int(1) : x.impl().sizes[d];
    if (k < 0) throw_usage(c.op, "k must be >= 0, got " + to_string(k));
    if (k > size)
        throw_shape(c.op, "k = " + to_string(k) + " is larger than dimension " + std::to_string(d) + " of size " + to_string(size),
                    "input shape " + to_string(x.sizes()));
    shape_vec sizes = x.sizes();
    if (x.dim() > 0) sizes[d] = k;
    tensor values = make_tensor(x.dtype(), sizes), indices = make_tensor(dtype::i64, sizes);
    std::int64_t r = 0;
    tensor src = reduced_last(x, x.dim() == 0 ? 0u : 1u << d, x.dtype(), r);
    if (x.dim() == 0) r = 1;
    const std::int64_t kk = k.unsafe_hint();
    const std::int64_t rows = r ? src.numel() / r : numel_of(sizes) / std::max<std::int64_t>(kk, 1);
    // Results are computed with the dim last, then written back through the permutation.
    shape_vec last_sizes;
    const std::array<int, max_dims> perm = mask_last_order(x.dim(), x.dim() == 0 ? 0u : 1u << d);
    for (int i = 0; i < x.dim(); ++i) last_sizes.push_back(sizes[perm[i]]);
    tensor vt = make_tensor(x.dtype(), last_sizes), it = make_tensor(dtype::i64, last_sizes);
    dispatch(x.dtype(), [&]<class T>() {
        if constexpr (!std::is_same_v<T, bool>) {
            const T* p = base_ptr<T>(src);
            T* vo = base_ptr<T>(vt);
            std::int64_t* io = base_ptr<std::int64_t>(it);
            std::vector<std::int64_t> idx(static_cast<std::size_t>(r));
            // NaN counts as the largest value, as in PyTorch; ties keep the lower index first.
            auto before = [&](std::int64_t a, std::int64_t b) {
                const T va = p[a], vb = p[b];
                const bool na = va != va, nb = vb != vb;
                if (na || nb) {
                    if (na && nb) return a < b;
                    return largest ? na : nb;
                }
                if (va != vb) return largest ? va > vb : va < vb;
                return a < b;
            };
            for (std::int64_t j = 0; j < rows && r > 0; ++j) {
                for (std::int64_t i = 0; i < r; ++i) idx[static_cast<std::size_t>(i)] = j * r + i;
                std::partial_sort(idx.begin(), idx.begin() + kk, idx.end(), before);
                for (std::int64_t i = 0; i < kk; ++i) {
                    vo[j * kk + i] = p[idx[static_cast<std::size_t>(i)]];
                    io[j * kk + i] = idx[static_cast<std::size_t>(i)] - j * r;
                }
            }
        }
    });
    tensor vd = permuted(values, perm.data()), id = permuted(indices, perm.data());
    copy_into(vt, vd);
    copy_into(it, id);
    outs = {values, indices};
}

} // namespace symshape::detail
