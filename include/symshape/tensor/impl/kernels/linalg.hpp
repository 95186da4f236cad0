// symshape/tensor/impl/kernels/linalg.hpp — matrix products: the blocked gemm kernels, matmul, linear.
// Shape rules decide through sym_int comparisons; kernels work on hints. Part of the op table's
// internals (tensor/impl/kernels.hpp); not for direct inclusion.
#pragma once

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "symshape/tensor/impl/kernels/common.hpp"

namespace symshape::detail {

// ---- matmul / linear ----

/// The scalar edges shared by the blocked gemm kernels (C += A*B over the k block [p0, p1)):
/// columns j..j1-1 of the four rows starting at i that the register tiles did not cover ...
template <class T>
void gemm_tail_columns(const T* __restrict A, const T* __restrict B, T* __restrict C, std::int64_t k, std::int64_t m,
                       std::int64_t i, std::int64_t j, std::int64_t j1, std::int64_t p0, std::int64_t p1) {
    for (; j < j1; ++j)
        for (int ii = 0; ii < 4; ++ii) {
            T acc = 0;
            for (std::int64_t p = p0; p < p1; ++p) acc += A[(i + ii) * k + p] * B[p * m + j];
            C[(i + ii) * m + j] += acc;
        }
}
/// ... and rows i..n-1 (fewer than four), columns j0..j1-1.
template <class T>
void gemm_tail_rows(const T* __restrict A, const T* __restrict B, T* __restrict C, std::int64_t k, std::int64_t m,
                    std::int64_t i, std::int64_t n, std::int64_t j0, std::int64_t j1, std::int64_t p0, std::int64_t p1) {
    for (; i < n; ++i)
        for (std::int64_t p = p0; p < p1; ++p) {
            const T av = A[i * k + p];
            for (std::int64_t j = j0; j < j1; ++j) C[i * m + j] += av * B[p * m + j];
        }
}

/// C[n x m] = A[n x k] * B[k x m], all contiguous; blocked over k and j, 4x8 register tiles.
template <class T>
void gemm(const T* __restrict A, const T* __restrict B, T* __restrict C, std::int64_t n, std::int64_t k, std::int64_t m) {
    std::fill(C, C + n * m, T(0));
    constexpr std::int64_t kb = 128, jb = 256;
    for (std::int64_t p0 = 0; p0 < k; p0 += kb) {
        const std::int64_t p1 = std::min(k, p0 + kb);
        for (std::int64_t j0 = 0; j0 < m; j0 += jb) {
            const std::int64_t j1 = std::min(m, j0 + jb);
            std::int64_t i = 0;
            for (; i + 4 <= n; i += 4) {
                std::int64_t j = j0;
                for (; j + 8 <= j1; j += 8) {
                    T acc[4][8] = {};
                    for (std::int64_t p = p0; p < p1; ++p) {
                        const T* b = B + p * m + j;
                        for (int ii = 0; ii < 4; ++ii) {
                            const T av = A[(i + ii) * k + p];
                            for (int jj = 0; jj < 8; ++jj) acc[ii][jj] += av * b[jj];
                        }
                    }
                    for (int ii = 0; ii < 4; ++ii)
                        for (int jj = 0; jj < 8; ++jj) C[(i + ii) * m + j + jj] += acc[ii][jj];
                }
                gemm_tail_columns(A, B, C, k, m, i, j, j1, p0, p1);
            }
            gemm_tail_rows(A, B, C, k, m, i, n, j0, j1, p0, p1);
        }
    }
}

/// C[n x m] = A[n x k] * W[m x k]^T (+ bias[m]); rows of A and W are contiguous dot products.
template <class T>
void gemm_nt(const T* __restrict A, const T* __restrict W, const T* __restrict bias, T* __restrict C, std::int64_t n,
             std::int64_t k, std::int64_t m) {
    for (std::int64_t i = 0; i < n; ++i) {
        const T* a = A + i * k;
        std::int64_t j = 0;
        for (; j + 4 <= m; j += 4) {
            const T* w0 = W + j * k;
            const T* w1 = w0 + k;
            const T* w2 = w1 + k;
            const T* w3 = w2 + k;
            T s0[4] = {}, s1[4] = {}, s2[4] = {}, s3[4] = {};
            std::int64_t p = 0;
            for (; p + 4 <= k; p += 4)
                for (int q = 0; q < 4; ++q) {
                    s0[q] += a[p + q] * w0[p + q];
                    s1[q] += a[p + q] * w1[p + q];
                    s2[q] += a[p + q] * w2[p + q];
                    s3[q] += a[p + q] * w3[p + q];
                }
            T r0 = (s0[0] + s0[1]) + (s0[2] + s0[3]), r1 = (s1[0] + s1[1]) + (s1[2] + s1[3]);
            T r2 = (s2[0] + s2[1]) + (s2[2] + s2[3]), r3 = (s3[0] + s3[1]) + (s3[2] + s3[3]);
            for (; p < k; ++p) {
                r0 += a[p] * w0[p];
                r1 += a[p] * w1[p];
                r2 += a[p] * w2[p];
                r3 += a[p] * w3[p];
            }
            T* c = C + i * m + j;
            c[0] = r0 + (bias ? bias[j] : T(0));
            c[1] = r1 + (bias ? bias[j + 1] : T(0));
            c[2] = r2 + (bias ? bias[j + 2] : T(0));
            c[3] = r3 + (bias ? bias[j + 3] : T(0));
        }
        for (; j < m; ++j) {
            const T* w = W + j * k;
            T s = 0;
            for (std::int64_t p = 0; p < k; ++p) s += a[p] * w[p];
            C[i * m + j] = s + (bias ? bias[j] : T(0));
        }
    }
}

/// The scalar end shared by the float gemm_nt kernels: adds elements p..k-1 to the four dot
/// products of row `a` with the weight rows starting at w0 (stride k), then stores them (plus bias)
/// at c[0..3] for output columns j..j+3.
inline void gemm_nt_finish4(const float* __restrict a, const float* __restrict w0, std::int64_t k, std::int64_t p,
                            std::array<float, 4> r, float* __restrict c, const float* __restrict bias, std::int64_t j) {
    for (; p < k; ++p)
        for (int q = 0; q < 4; ++q) r[static_cast<std::size_t>(q)] += a[p] * w0[q * k + p];
    for (int q = 0; q < 4; ++q) c[q] = r[static_cast<std::size_t>(q)] + (bias ? bias[j + q] : 0.0f);
}

/// The columns j..m-1 left after the groups of four: plain dot products into row c.
inline void gemm_nt_rest(const float* __restrict a, const float* __restrict W, const float* __restrict bias,
                         float* __restrict c, std::int64_t k, std::int64_t m, std::int64_t j) {
    for (; j < m; ++j) {
        const float* w = W + j * k;
        float s = 0;
        for (std::int64_t p = 0; p < k; ++p) s += a[p] * w[p];
        c[j] = s + (bias ? bias[j] : 0.0f);
    }
}

/// gemm_nt for floats: four output columns at a time, dot products four lanes wide.
inline void gemm_nt_f32(const float* __restrict A, const float* __restrict W, const float* __restrict bias,
                        float* __restrict C, std::int64_t n, std::int64_t k, std::int64_t m) {
    auto hsum = [](f32x4 v) { return (v[0] + v[1]) + (v[2] + v[3]); };
    for (std::int64_t i = 0; i < n; ++i) {
        const float* a = A + i * k;
        std::int64_t j = 0;
        for (; j + 4 <= m; j += 4) {
            const float* w0 = W + j * k;
            const float* w1 = w0 + k;
            const float* w2 = w1 + k;
            const float* w3 = w2 + k;
            f32x4 s0 = splat4(0.0f), s1 = s0, s2 = s0, s3 = s0;
            std::int64_t p = 0;
            for (; p + 4 <= k; p += 4) {
                f32x4 av = load4(a + p);
                s0 += av * load4(w0 + p);
                s1 += av * load4(w1 + p);
                s2 += av * load4(w2 + p);
                s3 += av * load4(w3 + p);
            }
            gemm_nt_finish4(a, w0, k, p, {hsum(s0), hsum(s1), hsum(s2), hsum(s3)}, C + i * m + j, bias, j);
        }
        gemm_nt_rest(a, W, bias, C + i * m, k, m, j);
    }
}

#if defined(__x86_64__) && defined(__GNUC__)
#define SYMSHAPE_AVX2_KERNELS 1
/// True when this CPU has AVX2 and FMA; float matmul and linear then take the 8-wide kernels below
/// (the choice is fixed per process, so eager runs and re-runs of a program agree bit for bit).
inline bool cpu_has_avx2_fma() noexcept {
    static const bool ok = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return ok;
}

__attribute__((target("avx2,fma"))) inline float hsum8(__m256 v) noexcept {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    return _mm_cvtss_f32(s);
}

/// gemm_nt_f32 with 8-wide fused multiply-adds.
__attribute__((target("avx2,fma"))) inline void gemm_nt_f32_avx2(const float* __restrict A, const float* __restrict W,
                                                                 const float* __restrict bias, float* __restrict C,
                                                                 std::int64_t n, std::int64_t k, std::int64_t m) {
    for (std::int64_t i = 0; i < n; ++i) {
        const float* a = A + i * k;
        std::int64_t j = 0;
        for (; j + 4 <= m; j += 4) {
            const float* w0 = W + j * k;
            const float* w1 = w0 + k;
            const float* w2 = w1 + k;
            const float* w3 = w2 + k;
            __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
            std::int64_t p = 0;
            for (; p + 8 <= k; p += 8) {
                __m256 av = _mm256_loadu_ps(a + p);
                s0 = _mm256_fmadd_ps(av, _mm256_loadu_ps(w0 + p), s0);
                s1 = _mm256_fmadd_ps(av, _mm256_loadu_ps(w1 + p), s1);
                s2 = _mm256_fmadd_ps(av, _mm256_loadu_ps(w2 + p), s2);
                s3 = _mm256_fmadd_ps(av, _mm256_loadu_ps(w3 + p), s3);
            }
            gemm_nt_finish4(a, w0, k, p, {hsum8(s0), hsum8(s1), hsum8(s2), hsum8(s3)}, C + i * m + j, bias, j);
        }
        gemm_nt_rest(a, W, bias, C + i * m, k, m, j);
    }
}

/// gemm for floats: k blocked by 128 and j by 256; 4x16 register tiles of fused multiply-adds.
__attribute__((target("avx2,fma"))) inline void gemm_f32_avx2(const float* __restrict A, const float* __restrict B,
                                                              float* __restrict C, std::int64_t n, std::int64_t k,
                                                              std::int64_t m) {
    std::fill(C, C + n * m, 0.0f);
    constexpr std::int64_t kb = 128, jb = 256;
    for (std::int64_t p0 = 0; p0 < k; p0 += kb) {
        const std::int64_t p1 = std::min(k, p0 + kb);
        for (std::int64_t j0 = 0; j0 < m; j0 += jb) {
            const std::int64_t j1 = std::min(m, j0 + jb);
            std::int64_t i = 0;
            for (; i + 4 <= n; i += 4) {
                std::int64_t j = j0;
                for (; j + 16 <= j1; j += 16) {
                    __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00,
                           c31 = c00;
                    const float* a0 = A + i * k;
                    for (std::int64_t p = p0; p < p1; ++p) {
                        __m256 b0 = _mm256_loadu_ps(B + p * m + j), b1 = _mm256_loadu_ps(B + p * m + j + 8);
                        __m256 x = _mm256_broadcast_ss(a0 + p);
                        c00 = _mm256_fmadd_ps(x, b0, c00);
                        c01 = _mm256_fmadd_ps(x, b1, c01);
                        x = _mm256_broadcast_ss(a0 + k + p);
                        c10 = _mm256_fmadd_ps(x, b0, c10);
                        c11 = _mm256_fmadd_ps(x, b1, c11);
                        x = _mm256_broadcast_ss(a0 + 2 * k + p);
                        c20 = _mm256_fmadd_ps(x, b0, c20);
                        c21 = _mm256_fmadd_ps(x, b1, c21);
                        x = _mm256_broadcast_ss(a0 + 3 * k + p);
                        c30 = _mm256_fmadd_ps(x, b0, c30);
                        c31 = _mm256_fmadd_ps(x, b1, c31);
                    }
                    float* c = C + i * m + j;
                    _mm256_storeu_ps(c, _mm256_add_ps(_mm256_loadu_ps(c), c00));
                    _mm256_storeu_ps(c + 8, _mm256_add_ps(_mm256_loadu_ps(c + 8), c01));
                    _mm256_storeu_ps(c + m, _mm256_add_ps(_mm256_loadu_ps(c + m), c10));
                    _mm256_storeu_ps(c + m + 8, _mm256_add_ps(_mm256_loadu_ps(c + m + 8), c11));
                    _mm256_storeu_ps(c + 2 * m, _mm256_add_ps(_mm256_loadu_ps(c + 2 * m), c20));
                    _mm256_storeu_ps(c + 2 * m + 8, _mm256_add_ps(_mm256_loadu_ps(c + 2 * m + 8), c21));
                    _mm256_storeu_ps(c + 3 * m, _mm256_add_ps(_mm256_loadu_ps(c + 3 * m), c30));
                    _mm256_storeu_ps(c + 3 * m + 8, _mm256_add_ps(_mm256_loadu_ps(c + 3 * m + 8), c31));
                }
                gemm_tail_columns(A, B, C, k, m, i, j, j1, p0, p1);
            }
            gemm_tail_rows(A, B, C, k, m, i, n, j0, j1, p0, p1);
        }
    }
}
#endif

/// C[n x m] = A[n x k] * B[k x m] with the fastest kernel this CPU runs (contiguous operands).
template <class T> void gemm_best(const T* A, const T* B, T* C, std::int64_t n, std::int64_t k, std::int64_t m) {
#ifdef SYMSHAPE_AVX2_KERNELS
    if constexpr (std::is_same_v<T, float>)
        if (cpu_has_avx2_fma()) {
            gemm_f32_avx2(A, B, C, n, k, m);
            return;
        }
#endif
    gemm<T>(A, B, C, n, k, m);
}
/// C[n x m] = A[n x k] * W[m x k]^T (+ bias[m]) with the fastest kernel this CPU runs.
template <class T> void gemm_nt_best(const T* A, const T* W, const T* bias, T* C, std::int64_t n, std::int64_t k, std::int64_t m) {
    if constexpr (std::is_same_v<T, float>) {
#ifdef SYMSHAPE_AVX2_KERNELS
        if (cpu_has_avx2_fma()) {
            gemm_nt_f32_avx2(A, W, bias, C, n, k, m);
            return;
        }
#endif
        gemm_nt_f32(A, W, bias, C, n, k, m);
    } else {
        gemm_nt<T>(A, W, bias, C, n, k, m);
    }
}

inline void check_matmul_dtypes(op_kind op, const tensor& a, const tensor& b) {
    if (a.dtype() != b.dtype())
        throw_usage(op, std::string("operands must have the same dtype, got ") + short_name(a.dtype()) + " and " + short_name(b.dtype()));
    if (a.dtype() == dtype::b8) throw_usage(op, "b8 operands are not supported");
}

inline bool rule_matmul(const call& c, tensor_impl& out) {
    const tensor& a = c.in(0);
    const tensor& b = c.in(1);
    check_matmul_dtypes(c.op, a, b);
    if (a.dim() == 0 || b.dim() == 0) throw_usage(c.op, "both operands need at least one dimension");
    shape_vec as = a.sizes(), bs = b.sizes();
    if (as.size() == 1) as.insert(0, 1);
    if (bs.size() == 1) bs.push_back(1);
    sym_int ka = as[as.size() - 1], kb = bs[bs.size() - 2];
    if (ka != kb)
        throw_shape(c.op, "shapes " + to_string(a.sizes()) + " and " + to_string(b.sizes()) + " cannot be multiplied",
                    "inner dimensions differ: " + to_string(ka) + " vs " + to_string(kb));
    shape_vec ab(as.begin(), as.end() - 2), bb(bs.begin(), bs.end() - 2);
    shape_vec r = broadcast_shapes(c.op, ab, bb);
    if (a.dim() > 1) r.push_back(as[as.size() - 2]);
    if (b.dim() > 1) r.push_back(bs[bs.size() - 1]);
    out.sizes = r;
    out.dt = a.dtype();
    return false;
}
inline void kernel_matmul(const call& c, tensor& out) {
    const tensor& a0 = c.in(0);
    const tensor& b0 = c.in(1);
    tensor a = a0, b = b0;
    if (a.dim() == 1) a.impl().sizes.insert(0, 1), a.impl().strides[1] = a0.impl().strides[0], a.impl().strides[0] = 0;
    if (b.dim() == 1) b.impl().sizes.push_back(1), b.impl().strides[1] = 1;
    const std::int64_t n = a.impl().sizes[a.dim() - 2].unsafe_hint(), k = a.impl().sizes[a.dim() - 1].unsafe_hint(),
                       m = b.impl().sizes[b.dim() - 1].unsafe_hint();
    shape_vec batch(out.sizes().begin(), out.sizes().end() - (a0.dim() > 1) - (b0.dim() > 1));
    // Broadcast batch dims, then make both operands contiguous (a view when already so).
    auto prep = [&](const tensor& x) {
        shape_vec full = batch;
        full.push_back(x.impl().sizes[x.dim() - 2]);
        full.push_back(x.impl().sizes[x.dim() - 1]);
        tensor e = x;
        e.impl().sizes = full;
        e.impl().strides = broadcast_strides(x, full);
        return materialize(e, x.dtype());
    };
    tensor A = prep(a), B = prep(b);
    const std::int64_t nb = numel_of(batch);
    dispatch(out.dtype(), [&]<class T>() {
        if constexpr (!std::is_same_v<T, bool>) {
            const T* pa = base_ptr<T>(A);
            const T* pb = base_ptr<T>(B);
            T* po = base_ptr<T>(out);
            for (std::int64_t t = 0; t < nb; ++t) {
#ifdef SYMSHAPE_AVX2_KERNELS
                if constexpr (std::is_same_v<T, float>)
                    if (cpu_has_avx2_fma()) {
                        gemm_f32_avx2(pa + t * n * k, pb + t * k * m, po + t * n * m, n, k, m);
                        continue;
                    }
#endif
                gemm<T>(pa + t * n * k, pb + t * k * m, po + t * n * m, n, k, m);
            }
        }
    });
}
inline bool rule_linear(const call& c, tensor_impl& out) {
    const tensor& x = c.in(0);
    const tensor& w = c.in(1);
    check_matmul_dtypes(c.op, x, w);
    if (w.dim() != 2) throw_usage(c.op, "the weight must have 2 dimensions, got shape " + to_string(w.sizes()));
    if (x.dim() == 0) throw_usage(c.op, "the input needs at least one dimension");
    if (x.size(-1) != w.size(1))
        throw_shape(c.op, "input " + to_string(x.sizes()) + " does not fit weight " + to_string(w.sizes()),
                    "the input's last dimension " + to_string(x.size(-1)) + " must equal the weight's dimension 1 (" +
                        to_string(w.size(1)) + ")");
    if (c.has(2)) {
        const tensor& b = c.in(2);
        check_matmul_dtypes(c.op, x, b);
        if (b.dim() != 1 || b.size(0) != w.size(0))
            throw_shape(c.op, "bias " + to_string(b.sizes()) + " does not fit weight " + to_string(w.sizes()),
                        "expected a bias of shape [" + to_string(w.size(0)) + "]");
    }
    out.sizes = x.sizes();
    out.sizes.back() = w.size(0);
    out.dt = x.dtype();
    return false;
}
inline void kernel_linear(const call& c, tensor& out) {
    tensor x = materialize(c.in(0), out.dtype()), w = materialize(c.in(1), out.dtype());
    tensor b = c.has(2) ? materialize(c.in(2), out.dtype()) : tensor();
    const std::int64_t k = w.impl().sizes[1].unsafe_hint(), m = w.impl().sizes[0].unsafe_hint();
    const std::int64_t n = k ? x.numel() / k : numel_of(shape_vec(x.sizes().begin(), x.sizes().end() - 1));
    dispatch(out.dtype(), [&]<class T>() {
        if constexpr (std::is_same_v<T, float>) {
            const float* bp = b.defined() ? base_ptr<T>(b) : nullptr;
#ifdef SYMSHAPE_AVX2_KERNELS
            if (cpu_has_avx2_fma()) {
                gemm_nt_f32_avx2(base_ptr<T>(x), base_ptr<T>(w), bp, base_ptr<T>(out), n, k, m);
                return;
            }
#endif
            gemm_nt_f32(base_ptr<T>(x), base_ptr<T>(w), bp, base_ptr<T>(out), n, k, m);
        } else if constexpr (!std::is_same_v<T, bool>)
            gemm_nt<T>(base_ptr<T>(x), base_ptr<T>(w), b.defined() ? base_ptr<T>(b) : nullptr, base_ptr<T>(out), n, k, m);
    });
}

} // namespace symshape::detail
