// symshape/tensor/impl/kernels/common.hpp — errors, dtype checks, and the layout helpers every kernel
// uses: permuted and broadcast views, the strided loop, copies.
// Shape rules decide through sym_int comparisons; kernels work on hints. Part of the op table's
// internals (tensor/impl/kernels.hpp); not for direct inclusion.
#pragma once

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>

#include "symshape/tensor/call.hpp"

namespace symshape::detail {

using strides_t = std::array<std::int64_t, max_dims>;

// ---- errors ----

[[noreturn]] inline void throw_shape(op_kind op, const std::string& what, const std::string& ctx) {
    throw shape_error(std::string(op_name(op)) + ": " + what + "\n  " + ctx);
}
[[noreturn]] inline void throw_usage(op_kind op, const std::string& what) {
    throw usage_error(std::string(op_name(op)) + ": " + what);
}

/// Call `f.template operator()<T>()` with T float or double; usage_error naming `op` otherwise.
/// Kernels of float-only ops use it to instantiate two element types instead of five.
template <class F> decltype(auto) dispatch_float(op_kind op, dtype t, F&& f) {
    if (t == dtype::f64) return f.template operator()<double>();
    if (t != dtype::f32) throw_usage(op, std::string("needs a floating-point tensor, got ") + short_name(t));
    return f.template operator()<float>();
}
/// Throws usage_error unless `x` has a floating-point dtype (`what` names the operand).
inline void require_floating(op_kind op, const tensor& x, const char* what) {
    if (!is_floating(x.dtype()))
        throw_usage(op, std::string(what) + " must be f32 or f64, got " + short_name(x.dtype()) + " (convert with .to(dtype::f32))");
}
/// Throws usage_error unless `x` holds integers (i32 or i64).
inline void require_integer(op_kind op, const tensor& x, const char* what) {
    if (x.dtype() != dtype::i32 && x.dtype() != dtype::i64)
        throw_usage(op, std::string(what) + " must be i64 or i32, got " + short_name(x.dtype()));
}
/// Reads index `k` of an i32 or i64 tensor's storage at element offset `off`.
inline std::int64_t index_at(const tensor& x, std::int64_t off) noexcept {
    const void* p = x.impl().st->data;
    return x.dtype() == dtype::i32 ? static_cast<const std::int32_t*>(p)[off] : static_cast<const std::int64_t*>(p)[off];
}
/// `x` as a tensor_impl view with new sizes/strides/offset (an internal view: never recorded).
inline tensor restrided(const tensor& x, const shape_vec& sizes, const strides_t& strides, std::int64_t offset) {
    tensor r = x;
    r.impl().sizes = sizes;
    r.impl().strides = strides;
    r.impl().offset = offset;
    r.impl().tag = {};
    return r;
}
/// The `k`-th pair of a 2-element integer list argument (`[2, 2]`); a 1-element list repeats.
inline std::int64_t pair_at(op_kind op, const arg& a, int k, const char* what) {
    if (a.kind != arg_kind::ints || a.n < 1 || a.n > 2)
        throw_usage(op, std::string(what) + " must be a list of one or two integers");
    return a.il[a.n == 1 ? 0 : k].unsafe_hint();
}

// ---- layout helpers (never recorded) ----

/// A view of `x` with dims reordered by `perm`.
inline tensor permuted(const tensor& x, const int* perm) {
    tensor r = x;
    tensor_impl& m = r.impl();
    for (int i = 0; i < x.dim(); ++i) {
        m.sizes[i] = x.impl().sizes[perm[i]];
        m.strides[i] = x.impl().strides[perm[i]];
    }
    m.tag = {};
    return r;
}

/// The dims 0..rank-1 with those in `mask` moved last, each group in its order (a permutation
/// for permuted()).
inline std::array<int, max_dims> mask_last_order(int rank, unsigned mask) {
    std::array<int, max_dims> perm{};
    int k = 0;
    for (int i = 0; i < rank; ++i)
        if (!(mask & (1u << i))) perm[k++] = i;
    for (int i = 0; i < rank; ++i)
        if (mask & (1u << i)) perm[k++] = i;
    return perm;
}

/// A view of `x` broadcast to `sizes` (x's dims right-aligned; stride 0 where broadcast).
inline strides_t broadcast_strides(const tensor& x, const shape_vec& sizes) noexcept {
    strides_t st{};
    int off = sizes.size() - x.dim();
    for (int i = 0; i < sizes.size(); ++i) {
        int j = i - off;
        st[i] = (j < 0 || (x.impl().sizes[j].unsafe_hint() == 1 && sizes[i].unsafe_hint() != 1)) ? 0 : x.impl().strides[j];
    }
    return st;
}

/// Run `f(offsets, count, inner_strides)` over every innermost row of an N-operand strided loop
/// of shape `sizes`, where operand k has strides `st[k]` (in elements).
template <int N, class F>
void nd_loop(const shape_vec& sizes, const std::array<strides_t, N>& st, F&& f) {
    const int nd = sizes.size();
    std::array<std::int64_t, N> off{};
    std::array<std::int64_t, N> inner{};
    if (nd == 0) {
        f(off, std::int64_t{1}, inner);
        return;
    }
    for (int d = 0; d < nd; ++d)
        if (sizes[d].unsafe_hint() == 0) return;
    for (int k = 0; k < N; ++k) inner[k] = st[k][nd - 1];
    const std::int64_t n = sizes[nd - 1].unsafe_hint();
    std::array<std::int64_t, max_dims> idx{};
    for (;;) {
        f(off, n, inner);
        int d = nd - 2;
        for (; d >= 0; --d) {
            if (++idx[d] < sizes[d].unsafe_hint()) {
                for (int k = 0; k < N; ++k) off[k] += st[k][d];
                break;
            }
            for (int k = 0; k < N; ++k) off[k] -= st[k][d] * (sizes[d].unsafe_hint() - 1);
            idx[d] = 0;
        }
        if (d < 0) return;
    }
}

template <class T> T* base_ptr(const tensor& x) noexcept {
    return static_cast<T*>(x.impl().st->data) + x.impl().offset;
}

/// Copy `src` into `dst` (same sizes, any strides), converting element types.
inline void copy_into(const tensor& src, tensor& dst) {
    dispatch(src.dtype(), [&]<class S>() {
        dispatch(dst.dtype(), [&]<class D>() {
            const S* s = base_ptr<S>(src);
            D* d = base_ptr<D>(dst);
            if constexpr (std::is_same_v<S, D>) {
                if (src.is_contiguous() && dst.is_contiguous()) {
                    if (src.numel()) std::memcpy(d, s, static_cast<std::size_t>(src.numel()) * sizeof(S));
                    return;
                }
            }
            nd_loop<2>(dst.sizes(), {dst.impl().strides, src.impl().strides},
                       [&](const std::array<std::int64_t, 2>& o, std::int64_t n, const std::array<std::int64_t, 2>& in) {
                           D* dp = d + o[0];
                           const S* sp = s + o[1];
                           for (std::int64_t i = 0; i < n; ++i) dp[i * in[0]] = static_cast<D>(sp[i * in[1]]);
                       });
        });
    });
}

/// `x` itself when contiguous with dtype `t`, else a contiguous copy converted to `t`.
inline tensor materialize(const tensor& x, dtype t) {
    if (x.dtype() == t && x.is_contiguous()) return x;
    tensor r = make_tensor(t, x.sizes());
    copy_into(x, r);
    return r;
}

/// `x` when it already has dtype `t` (any layout), else a contiguous converted copy.
inline tensor materialize_if_needed(const tensor& x, dtype t) { return x.dtype() == t ? x : materialize(x, t); }

/// Sizes of a list argument after checking each is >= 0.
inline shape_vec sizes_arg(op_kind op, const arg& a) {
    shape_vec s;
    for (const sym_int& x : a.ints()) {
        if (x < 0) throw_usage(op, "negative size " + to_string(x) + " in " + to_string(shape_vec(a.il, a.il + a.n)));
        s.push_back(x);
    }
    std::int64_t total = 1;
    for (const sym_int& x : s) total = checked_mul(total, x.unsafe_hint());
    (void)total;
    return s;
}

} // namespace symshape::detail
