// symshape/tensor/kernels.hpp — internals of the op table: the shape rule and the eager kernel of
// every op in SYMSHAPE_OPS. Shape rules decide through sym_int comparisons (detail::decide);
// kernels work on hints. Not for direct use: call the ops in tensor/ops.hpp.
#pragma once

#include <cmath>
#include <cstring>
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif
#include <limits>
#include <random>
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

/// A view of `x` broadcast to `sizes` (x's dims right-aligned; stride 0 where broadcast).
inline strides_t broadcast_strides(const tensor& x, const shape_vec& sizes) noexcept {
    strides_t st{};
    int off = sizes.size() - x.dim();
    for (int i = 0; i < sizes.size(); ++i) {
        int j = i - off;
        st[i] = (j < 0 || (x.impl().sizes[j].hint() == 1 && sizes[i].hint() != 1)) ? 0 : x.impl().strides[j];
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
        if (sizes[d].hint() == 0) return;
    for (int k = 0; k < N; ++k) inner[k] = st[k][nd - 1];
    const std::int64_t n = sizes[nd - 1].hint();
    std::array<std::int64_t, max_dims> idx{};
    for (;;) {
        f(off, n, inner);
        int d = nd - 2;
        for (; d >= 0; --d) {
            if (++idx[d] < sizes[d].hint()) {
                for (int k = 0; k < N; ++k) off[k] += st[k][d];
                break;
            }
            for (int k = 0; k < N; ++k) off[k] -= st[k][d] * (sizes[d].hint() - 1);
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
    for (const sym_int& x : s) total = checked_mul(total, x.hint());
    (void)total;
    return s;
}

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
    std::mt19937_64 gen(static_cast<std::uint64_t>(c.a[2].i.hint()));
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

// ---- views ----

inline bool rule_slice(const call& c, tensor_impl& out) {
    const tensor& x = c.in(0);
    out = x.impl();
    int d = wrap_dim(static_cast<int>(c.a[1].i.value()), x.dim());
    sym_int size = x.impl().sizes[d];
    sym_int start = c.int_at(2, 0), end = c.int_at(3, end_of_dim), step = c.int_at(4, 1);
    if (step <= 0) throw_usage(c.op, "step must be positive, got " + to_string(step));
    // Python's clamping: negative ends count from the end, then clamp into [0, size].
    // The end INT64_MAX ("to the end") is the size itself: no question about a size reaching it.
    if (start < 0) start = start + size;
    if (start < 0) start = 0;
    if (start > size) start = size;
    if (end.is_constant() && end.hint() == end_of_dim) end = size;
    if (end < 0) end = end + size;
    if (end > size) end = size;
    if (end < start) end = start;
    sym_int len = floor_div(end - start + step - 1, step);
    out.offset = x.impl().offset + start.hint() * x.impl().strides[d];
    out.sizes[d] = len;
    out.strides[d] = x.impl().strides[d] * step.hint();
    return true;
}
inline bool rule_select(const call& c, tensor_impl& out) {
    const tensor& x = c.in(0);
    if (x.dim() == 0) throw_usage(c.op, "cannot select from a zero-dim tensor");
    out = x.impl();
    int d = wrap_dim(static_cast<int>(c.a[1].i.value()), x.dim());
    sym_int size = x.impl().sizes[d], i = c.a[2].i;
    if (i < -size || i >= size)
        throw_usage(c.op, "index " + to_string(i) + " is out of range for dimension " + std::to_string(d) +
                              " of size " + to_string(size));
    if (i < 0) i = i + size;
    out.offset = x.impl().offset + i.hint() * x.impl().strides[d];
    out.sizes.erase(d);
    for (int k = d; k < out.sizes.size(); ++k) out.strides[k] = out.strides[k + 1];
    return true;
}
/// Sizes of a view/reshape request with at most one -1 resolved against numel.
inline shape_vec infer_view_sizes(op_kind op, const tensor& x, const arg& a) {
    shape_vec s;
    int infer = -1;
    sym_int known = 1;
    for (int k = 0; k < a.n; ++k) {
        sym_int v = a.il[k];
        if (v == -1) {
            if (infer >= 0) throw_usage(op, "only one dimension can be -1 in " + to_string(shape_vec(a.il, a.il + a.n)));
            infer = k;
        } else if (v < 0) {
            throw_usage(op, "invalid size " + to_string(v) + " in " + to_string(shape_vec(a.il, a.il + a.n)));
        } else {
            known = known * v;
        }
        s.push_back(v);
    }
    sym_int total = sym_numel(x.sizes());
    if (infer >= 0) {
        if (known == 0 || mod(total, known) != 0)
            throw_shape(op, "shape " + to_string(s) + " is invalid for an input of " + to_string(total) + " elements",
                        "input shape " + to_string(x.sizes()));
        s[infer] = floor_div(total, known);
    } else if (known != total) {
        throw_shape(op, "shape " + to_string(s) + " is invalid for an input of " + to_string(total) + " elements",
                    "input shape " + to_string(x.sizes()));
    }
    return s;
}
inline bool rule_view(const call& c, tensor_impl& out) {
    const tensor& x = c.in(0);
    out = x.impl();
    out.sizes = infer_view_sizes(c.op, x, c.a[1]);
    if (!x.is_contiguous())
        throw_usage(c.op, "the input of shape " + to_string(x.sizes()) +
                              " is not contiguous, so it cannot be viewed as " + to_string(out.sizes) +
                              "; use reshape (which copies) instead");
    contiguous_strides(out.sizes, out.strides);
    return true;
}
inline bool rule_reshape(const call& c, tensor_impl& out) {
    const tensor& x = c.in(0);
    out = x.impl();
    out.sizes = infer_view_sizes(c.op, x, c.a[1]);
    contiguous_strides(out.sizes, out.strides);
    return x.is_contiguous(); // a view when the layout allows it, else a copy (kernel_copy)
}
inline bool rule_permute(const call& c, tensor_impl& out) {
    const tensor& x = c.in(0);
    if (c.a[1].n != x.dim())
        throw_usage(c.op, "got " + std::to_string(c.a[1].n) + " dims for a tensor with " + std::to_string(x.dim()));
    out = x.impl();
    std::array<bool, max_dims> seen{};
    for (int i = 0; i < x.dim(); ++i) {
        int d = wrap_dim(static_cast<int>(c.a[1].il[i].value()), x.dim());
        if (seen[d]) throw_usage(c.op, "dim " + std::to_string(d) + " appears twice");
        seen[d] = true;
        out.sizes[i] = x.impl().sizes[d];
        out.strides[i] = x.impl().strides[d];
    }
    return true;
}
inline bool rule_transpose(const call& c, tensor_impl& out) {
    const tensor& x = c.in(0);
    out = x.impl();
    if (x.dim() == 0) return true;
    int d0 = wrap_dim(static_cast<int>(c.a[1].i.value()), x.dim()), d1 = wrap_dim(static_cast<int>(c.a[2].i.value()), x.dim());
    std::swap(out.sizes[d0], out.sizes[d1]);
    std::swap(out.strides[d0], out.strides[d1]);
    return true;
}
inline bool rule_expand(const call& c, tensor_impl& out) {
    const tensor& x = c.in(0);
    const arg& a = c.a[1];
    shape_vec want(a.il, a.il + a.n);
    if (a.n < x.dim())
        throw_shape(c.op, "cannot expand shape " + to_string(x.sizes()) + " to " + to_string(want),
                    "the target has fewer dimensions than the input");
    out = x.impl();
    out.sizes.resize(a.n);
    int off = a.n - x.dim();
    for (int i = 0; i < a.n; ++i) {
        int j = i - off;
        sym_int w = want[i];
        if (j < 0) {
            if (w < 0) throw_usage(c.op, "-1 is not allowed for a new leading dimension in " + to_string(want));
            out.sizes[i] = w;
            out.strides[i] = 0;
            continue;
        }
        sym_int have = x.impl().sizes[j];
        // A size known to be 1 expands to any size without asking whether the target is 1.
        const bool have_one = have.is_constant() && have.hint() == 1, keep = w.is_constant() && w.hint() == -1;
        if (have_one && !keep) {
            if (w < 0) throw_usage(c.op, "negative size " + to_string(w) + " in " + to_string(want));
            out.sizes[i] = w;
            out.strides[i] = 0;
        } else if (w == -1 || w == have) {
            out.sizes[i] = have;
            out.strides[i] = x.impl().strides[j];
        } else if (have == 1) {
            out.sizes[i] = w;
            out.strides[i] = 0;
        } else {
            throw_shape(c.op, "cannot expand shape " + to_string(x.sizes()) + " to " + to_string(want),
                        "dimension " + std::to_string(i) + ": size " + to_string(have) + " is neither " +
                            to_string(w) + " nor 1");
        }
    }
    return true;
}
inline bool rule_squeeze(const call& c, tensor_impl& out) {
    const tensor& x = c.in(0);
    out = x.impl();
    int w = 0;
    int only = c.has(1) ? wrap_dim(static_cast<int>(c.a[1].i.value()), x.dim()) : -1;
    for (int i = 0; i < x.dim(); ++i) {
        bool drop = (only < 0 || only == i) && x.impl().sizes[i] == 1;
        if (drop) continue;
        out.sizes[w] = x.impl().sizes[i];
        out.strides[w] = x.impl().strides[i];
        ++w;
    }
    out.sizes.resize(w);
    return true;
}
inline bool rule_unsqueeze(const call& c, tensor_impl& out) {
    const tensor& x = c.in(0);
    out = x.impl();
    int d = wrap_dim(static_cast<int>(c.a[1].i.value()), x.dim() + 1);
    std::int64_t st = d < x.dim() ? x.impl().strides[d] * std::max<std::int64_t>(x.impl().sizes[d].hint(), 1) : 1;
    out.sizes.insert(d, 1);
    for (int k = out.sizes.size() - 1; k > d; --k) out.strides[k] = out.strides[k - 1];
    out.strides[d] = st;
    return true;
}
inline bool rule_flatten(const call& c, tensor_impl& out) {
    const tensor& x = c.in(0);
    out = x.impl();
    if (x.dim() == 0) {
        out.sizes = shape_vec{1};
        out.strides[0] = 1;
        return true;
    }
    int s = wrap_dim(static_cast<int>(c.a[1].i.value()), x.dim()), e = wrap_dim(static_cast<int>(c.a[2].i.value()), x.dim());
    if (s > e) throw_usage(c.op, "start dim " + std::to_string(s) + " is after end dim " + std::to_string(e));
    shape_vec r;
    for (int i = 0; i < s; ++i) r.push_back(x.impl().sizes[i]);
    sym_int m = 1;
    for (int i = s; i <= e; ++i) m = m * x.impl().sizes[i];
    r.push_back(m);
    for (int i = e + 1; i < x.dim(); ++i) r.push_back(x.impl().sizes[i]);
    out.sizes = r;
    contiguous_strides(out.sizes, out.strides);
    return x.is_contiguous();
}
inline bool rule_clone(const call& c, tensor_impl& out) {
    out.dt = c.in(0).dtype();
    out.sizes = c.in(0).sizes();
    return false;
}
inline bool rule_contiguous(const call& c, tensor_impl& out) {
    out = c.in(0).impl();
    return c.in(0).is_contiguous();
}
inline bool rule_to(const call& c, tensor_impl& out) {
    out.dt = c.a[1].dt;
    out.sizes = c.in(0).sizes();
    return false;
}
/// Copies input 0 into the fresh result (reshape, flatten, clone, contiguous, to).
inline void kernel_copy(const call& c, tensor& out) {
    const tensor& x = c.in(0);
    if (x.sizes().size() == out.dim()) {
        bool same = true;
        for (int i = 0; i < out.dim(); ++i) same = same && x.impl().sizes[i].hint() == out.impl().sizes[i].hint();
        if (same) {
            copy_into(x, out);
            return;
        }
    }
    // A reshape: copy x into a contiguous buffer laid out as x, then reinterpret.
    tensor flat = out;
    flat.impl().sizes = x.sizes();
    contiguous_strides(flat.impl().sizes, flat.impl().strides);
    copy_into(x, flat);
}

// ---- elementwise ----

// Four floats at a time (GCC vector extension: SSE on any x86-64, NEON on arm64). Used where
// scalar libm calls dominate small-tensor programs (exp, sigmoid, tanh, softmax) and in linear.
typedef float f32x4 __attribute__((vector_size(16)));
typedef std::int32_t i32x4 __attribute__((vector_size(16)));

inline f32x4 load4(const float* p) noexcept {
    f32x4 v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline void store4(float* p, f32x4 v) noexcept { std::memcpy(p, &v, sizeof v); }
inline f32x4 splat4(float x) noexcept { return f32x4{x, x, x, x}; }
inline f32x4 select4(i32x4 mask, f32x4 a, f32x4 b) noexcept {
    i32x4 ai, bi;
    std::memcpy(&ai, &a, sizeof a);
    std::memcpy(&bi, &b, sizeof b);
    i32x4 r = (ai & mask) | (bi & ~mask);
    f32x4 out;
    std::memcpy(&out, &r, sizeof r);
    return out;
}

/// e^x for four floats: Cody-Waite reduction x = n ln2 + r, a degree-6 polynomial for e^r (about
/// 1 ulp), then scaling by 2^n through the exponent bits. Overflow gives inf, underflow 0, NaN stays.
inline f32x4 exp4(f32x4 x) noexcept {
    const f32x4 hi = splat4(88.72283935546875f), lo = splat4(-88.72283935546875f);
    const i32x4 is_nan = x != x, too_big = x > hi, too_small = x < lo;
    f32x4 xc = select4(too_big, hi, select4(too_small, lo, select4(is_nan, splat4(0.0f), x)));
    f32x4 fx = xc * splat4(1.44269504088896341f) + splat4(0.5f);
    i32x4 ti = __builtin_convertvector(fx, i32x4);
    f32x4 t = __builtin_convertvector(ti, f32x4);
    i32x4 adjust = t > fx;
    ti = ti + adjust; // adjust is -1 where truncation rounded up: floor()
    t = __builtin_convertvector(ti, f32x4);
    f32x4 r = xc - t * splat4(0.693359375f) - t * splat4(-2.12194440e-4f);
    f32x4 y = splat4(1.9875691500e-4f);
    y = y * r + splat4(1.3981999507e-3f);
    y = y * r + splat4(8.3334519073e-3f);
    y = y * r + splat4(4.1665795894e-2f);
    y = y * r + splat4(1.6666665459e-1f);
    y = y * r + splat4(5.0000001201e-1f);
    y = y * r * r + r + splat4(1.0f);
    // 2^n split in two factors so that n = -127 / 128 stay representable.
    i32x4 n1 = ti >> 1, n2 = ti - n1;
    i32x4 b1 = (n1 + 127) << 23, b2 = (n2 + 127) << 23;
    f32x4 s1, s2;
    std::memcpy(&s1, &b1, sizeof b1);
    std::memcpy(&s2, &b2, sizeof b2);
    y = y * s1 * s2;
    y = select4(too_big, splat4(std::numeric_limits<float>::infinity()), y);
    y = select4(too_small, splat4(0.0f), y);
    return select4(is_nan, x, y);
}
inline f32x4 abs4(f32x4 x) noexcept { return select4(x < splat4(0.0f), -x, x); }

/// tanh for four floats: an odd polynomial below 0.625, 1 - 2 / (e^(2|x|) + 1) above.
inline f32x4 tanh4(f32x4 x) noexcept {
    f32x4 ax = abs4(x);
    f32x4 z = x * x;
    f32x4 p = splat4(-5.70498872745e-3f);
    p = p * z + splat4(2.06390887954e-2f);
    p = p * z + splat4(-5.37397155531e-2f);
    p = p * z + splat4(1.33314422036e-1f);
    p = p * z + splat4(-3.33332819422e-1f);
    f32x4 small = p * z * x + x;
    f32x4 clamped = select4(ax > splat4(20.0f), splat4(20.0f), ax);
    f32x4 big = splat4(1.0f) - splat4(2.0f) / (exp4(clamped + clamped) + splat4(1.0f));
    big = select4(x < splat4(0.0f), -big, big);
    f32x4 r = select4(ax < splat4(0.625f), small, big);
    return select4(x != x, x, r);
}

struct op_neg { template <class T> static T f(T a) { if constexpr (std::is_same_v<T, bool>) return a; else return static_cast<T>(-a); } };
struct op_abs { template <class T> static T f(T a) { if constexpr (std::is_same_v<T, bool>) return a; else return a < 0 ? static_cast<T>(-a) : a; } };
struct op_sin { template <class T> static T f(T a) { return std::sin(a); } };
struct op_cos { template <class T> static T f(T a) { return std::cos(a); } };
struct op_exp {
    template <class T> static T f(T a) { return std::exp(a); }
    static f32x4 v(f32x4 a) noexcept { return exp4(a); }
};
struct op_log { template <class T> static T f(T a) { return std::log(a); } };
struct op_sqrt { template <class T> static T f(T a) { return std::sqrt(a); } };
struct op_relu {
    template <class T> static T f(T a) { return a < T(0) ? T(0) : a; } // NaN stays NaN
    static f32x4 v(f32x4 a) noexcept { return select4(a < splat4(0.0f), splat4(0.0f), a); }
};
struct op_sigmoid {
    template <class T> static T f(T a) { return T(1) / (T(1) + std::exp(-a)); }
    static f32x4 v(f32x4 a) noexcept { return splat4(1.0f) / (splat4(1.0f) + exp4(-a)); }
};
struct op_tanh {
    template <class T> static T f(T a) { return std::tanh(a); }
    static f32x4 v(f32x4 a) noexcept { return tanh4(a); }
};
template <class Op> concept has_vec4 = requires(f32x4 x) { Op::v(x); };

inline bool rule_unary_keep(const call& c, tensor_impl& out) {
    out.dt = c.in(0).dtype();
    out.sizes = c.in(0).sizes();
    return false;
}
inline bool rule_unary_float(const call& c, tensor_impl& out) {
    out.dt = is_floating(c.in(0).dtype()) ? c.in(0).dtype() : dtype::f32;
    out.sizes = c.in(0).sizes();
    return false;
}
template <class Op> void kernel_unary(const call& c, tensor& out) {
    tensor x = materialize(c.in(0), out.dtype());
    dispatch(out.dtype(), [&]<class T>() {
        const T* __restrict a = base_ptr<T>(x);
        T* __restrict o = base_ptr<T>(out);
        const std::int64_t n = out.numel();
        std::int64_t i = 0;
        if constexpr (std::is_same_v<T, float> && has_vec4<Op>) {
            // The vector form for every element (the tail padded), so results never depend on position.
            for (; i + 4 <= n; i += 4) store4(o + i, Op::v(load4(a + i)));
            if (i < n) {
                float buf[4] = {0, 0, 0, 0};
                for (std::int64_t k = i; k < n; ++k) buf[k - i] = a[k];
                store4(buf, Op::v(load4(buf)));
                for (std::int64_t k = i; k < n; ++k) o[k] = buf[k - i];
            }
            return;
        }
        for (; i < n; ++i) o[i] = Op::template f<T>(a[i]);
    });
}

// Binary ops: `promotes_int` turns integer operands into f32 (true division); `compare` gives b8.
struct op_add { static constexpr bool promotes_int = false, compare = false; template <class T> static T f(T a, T b) { if constexpr (std::is_same_v<T, bool>) return a || b; else return static_cast<T>(a + b); } };
struct op_sub { static constexpr bool promotes_int = false, compare = false; template <class T> static T f(T a, T b) { if constexpr (std::is_same_v<T, bool>) return a != b; else return static_cast<T>(a - b); } };
struct op_mul { static constexpr bool promotes_int = false, compare = false; template <class T> static T f(T a, T b) { if constexpr (std::is_same_v<T, bool>) return a && b; else return static_cast<T>(a * b); } };
struct op_div { static constexpr bool promotes_int = true, compare = false; template <class T> static T f(T a, T b) { return a / b; } };
struct op_pow {
    static constexpr bool promotes_int = false, compare = false;
    template <class T> static T f(T a, T b) {
        if constexpr (std::is_floating_point_v<T>) return std::pow(a, b);
        else if constexpr (std::is_same_v<T, bool>) return a || !b;
        else {
            if (b < 0) return a == 1 ? T(1) : a == -1 ? (b % 2 ? T(-1) : T(1)) : T(0);
            T r = 1;
            for (T e = b, x = a; e > 0; e >>= 1, x = static_cast<T>(x * x))
                if (e & 1) r = static_cast<T>(r * x);
            return r;
        }
    }
};
struct op_maximum { static constexpr bool promotes_int = false, compare = false; template <class T> static T f(T a, T b) { return a < b ? b : a; } };
struct op_minimum { static constexpr bool promotes_int = false, compare = false; template <class T> static T f(T a, T b) { return b < a ? b : a; } };
struct op_eq { static constexpr bool promotes_int = false, compare = true; template <class T> static bool f(T a, T b) { return a == b; } };
struct op_ne { static constexpr bool promotes_int = false, compare = true; template <class T> static bool f(T a, T b) { return a != b; } };
struct op_lt { static constexpr bool promotes_int = false, compare = true; template <class T> static bool f(T a, T b) { return a < b; } };
struct op_le { static constexpr bool promotes_int = false, compare = true; template <class T> static bool f(T a, T b) { return a <= b; } };
struct op_gt { static constexpr bool promotes_int = false, compare = true; template <class T> static bool f(T a, T b) { return a > b; } };
struct op_ge { static constexpr bool promotes_int = false, compare = true; template <class T> static bool f(T a, T b) { return a >= b; } };

/// Broadcast two shapes (sizes equal or one of them 1), deciding each pair.
inline shape_vec broadcast_shapes(op_kind op, const shape_vec& a, const shape_vec& b) {
    int n = std::max(a.size(), b.size());
    shape_vec r(n);
    for (int i = 0; i < n; ++i) {
        int ia = i - (n - a.size()), ib = i - (n - b.size());
        sym_int x = ia >= 0 ? a[ia] : sym_int(1), y = ib >= 0 ? b[ib] : sym_int(1);
        // A size known to be 1 broadcasts without a question; otherwise equal sizes are asked
        // first (a guard that makes two dims one symbol), then whether either side is 1.
        const bool x_one = x.is_constant() && x.hint() == 1, y_one = y.is_constant() && y.hint() == 1;
        if (y_one) r[i] = x;
        else if (x_one) r[i] = y;
        else if (x == y || y == 1) r[i] = x;
        else if (x == 1) r[i] = y;
        else
            throw_shape(op, "shapes " + to_string(a) + " and " + to_string(b) + " cannot be broadcast together",
                        "dimension " + std::to_string(i) + " (counting the broadcast shape): " + to_string(x) +
                            " vs " + to_string(y) + "; sizes must be equal or 1");
    }
    return r;
}

/// The type the op computes in (the promoted operand type).
inline dtype binary_compute_type(const call& c, bool promotes_int) {
    const tensor& a = c.in(0);
    dtype t;
    if (c.a[1].kind == arg_kind::tensor) {
        const tensor& b = c.in(1);
        t = result_type(a.dtype(), a.dim() == 0, b.dtype(), b.dim() == 0);
    } else {
        scalar s = c.a[1].number();
        t = a.dtype();
        if (s.k == scalar::kind::real && !is_floating(t)) t = dtype::f32;
        else if (s.k == scalar::kind::integer && t == dtype::b8) t = dtype::i64;
    }
    if (promotes_int && !is_floating(t)) t = dtype::f32;
    return t;
}

template <class Op> bool rule_binary(const call& c, tensor_impl& out) {
    out.dt = Op::compare ? dtype::b8 : binary_compute_type(c, Op::promotes_int);
    out.sizes = c.a[1].kind == arg_kind::tensor ? broadcast_shapes(c.op, c.in(0).sizes(), c.in(1).sizes()) : c.in(0).sizes();
    return false;
}
template <class Op> bool rule_inplace(const call& c, tensor_impl& out) {
    const tensor& x = c.in(0);
    if (c.a[1].kind == arg_kind::tensor) {
        shape_vec s = broadcast_shapes(c.op, x.sizes(), c.in(1).sizes());
        bool same = s.size() == x.dim();
        for (int i = 0; same && i < s.size(); ++i) same = s[i] == x.impl().sizes[i];
        if (!same)
            throw_shape(c.op, "the result shape " + to_string(s) + " does not fit the in-place operand " +
                                  to_string(x.sizes()),
                        "operands " + to_string(x.sizes()) + " and " + to_string(c.in(1).sizes()));
    }
    dtype t = binary_compute_type(c, Op::promotes_int);
    if (promote(t, x.dtype()) != x.dtype() && detail::category_of(t) != detail::category_of(x.dtype()))
        throw_usage(c.op, std::string("result type ") + short_name(t) + " cannot be stored in the " +
                              short_name(x.dtype()) + " operand");
    out = x.impl();
    return false;
}

template <class Op> void kernel_binary(const call& c, tensor& out) {
    const dtype ct = binary_compute_type(c, Op::promotes_int);
    // Operands in the compute type; in-place writes of another dtype go through a temporary.
    tensor a = materialize_if_needed(c.in(0), ct);
    const bool b_tensor = c.a[1].kind == arg_kind::tensor;
    tensor b = b_tensor ? materialize_if_needed(c.in(1), ct) : tensor();
    tensor dst = out;
    if (out.dtype() != (Op::compare ? dtype::b8 : ct)) dst = make_tensor(Op::compare ? dtype::b8 : ct, out.sizes());
    dispatch(ct, [&]<class T>() {
        using O = std::conditional_t<Op::compare, bool, T>;
        const T* pa = base_ptr<T>(a);
        O* po = base_ptr<O>(dst);
        const std::int64_t n = dst.numel();
        const bool flat_out = dst.is_contiguous();
        if (!b_tensor) {
            const T s = c.a[1].number().template as<T>();
            if (flat_out && a.is_contiguous() && a.numel() == n) {
                for (std::int64_t i = 0; i < n; ++i) po[i] = Op::template f<T>(pa[i], s);
                return;
            }
            nd_loop<2>(dst.sizes(), {dst.impl().strides, broadcast_strides(a, dst.sizes())},
                       [&](const std::array<std::int64_t, 2>& o, std::int64_t m, const std::array<std::int64_t, 2>& in) {
                           for (std::int64_t i = 0; i < m; ++i) po[o[0] + i * in[0]] = Op::template f<T>(pa[o[1] + i * in[1]], s);
                       });
            return;
        }
        const T* pb = base_ptr<T>(b);
        if (flat_out && a.is_contiguous() && b.is_contiguous() && a.numel() == n && b.numel() == n) {
            const T* __restrict ra = pa;
            const T* __restrict rb = pb;
            O* __restrict ro = po;
            for (std::int64_t i = 0; i < n; ++i) ro[i] = Op::template f<T>(ra[i], rb[i]);
            return;
        }
        if (flat_out && a.is_contiguous() && a.numel() == n && b.numel() == 1) {
            const T s = pb[0];
            for (std::int64_t i = 0; i < n; ++i) po[i] = Op::template f<T>(pa[i], s);
            return;
        }
        nd_loop<3>(dst.sizes(), {dst.impl().strides, broadcast_strides(a, dst.sizes()), broadcast_strides(b, dst.sizes())},
                   [&](const std::array<std::int64_t, 3>& o, std::int64_t m, const std::array<std::int64_t, 3>& in) {
                       O* q = po + o[0];
                       const T* x = pa + o[1];
                       const T* y = pb + o[2];
                       if (in[0] == 1 && in[1] == 1 && in[2] == 1) {
                           for (std::int64_t i = 0; i < m; ++i) q[i] = Op::template f<T>(x[i], y[i]);
                       } else if (in[0] == 1 && in[1] == 1 && in[2] == 0) {
                           const T s = y[0];
                           for (std::int64_t i = 0; i < m; ++i) q[i] = Op::template f<T>(x[i], s);
                       } else {
                           for (std::int64_t i = 0; i < m; ++i) q[i * in[0]] = Op::template f<T>(x[i * in[1]], y[i * in[2]]);
                       }
                   });
    });
    if (dst.impl().st != out.impl().st) copy_into(dst, out);
}

inline bool rule_where(const call& c, tensor_impl& out) {
    if (c.in(0).dtype() != dtype::b8)
        throw_usage(c.op, std::string("the condition must be b8, got ") + short_name(c.in(0).dtype()));
    const tensor& a = c.in(1);
    const tensor& b = c.in(2);
    out.dt = result_type(a.dtype(), a.dim() == 0, b.dtype(), b.dim() == 0);
    out.sizes = broadcast_shapes(c.op, broadcast_shapes(c.op, c.in(0).sizes(), a.sizes()), b.sizes());
    return false;
}
inline void kernel_where(const call& c, tensor& out) {
    tensor a = materialize_if_needed(c.in(1), out.dtype()), b = materialize_if_needed(c.in(2), out.dtype());
    const tensor& cond = c.in(0);
    dispatch(out.dtype(), [&]<class T>() {
        const bool* pc = base_ptr<bool>(cond);
        const T* pa = base_ptr<T>(a);
        const T* pb = base_ptr<T>(b);
        T* po = base_ptr<T>(out);
        nd_loop<4>(out.sizes(), {out.impl().strides, broadcast_strides(cond, out.sizes()), broadcast_strides(a, out.sizes()), broadcast_strides(b, out.sizes())},
                   [&](const std::array<std::int64_t, 4>& o, std::int64_t m, const std::array<std::int64_t, 4>& in) {
                       for (std::int64_t i = 0; i < m; ++i)
                           po[o[0] + i * in[0]] = pc[o[1] + i * in[1]] ? pa[o[2] + i * in[2]] : pb[o[3] + i * in[3]];
                   });
    });
}

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
    if (!c.has(1) || (c.a[1].kind == arg_kind::ints && c.a[1].n == 0)) return rank == 0 ? 1u : (1u << rank) - 1;
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
template <class R> void kernel_reduce(const call& c, tensor& out) {
    const tensor& x = c.in(0);
    unsigned mask = reduced_mask(c, x.dim());
    // Move the reduced dims last, then reduce each contiguous run of `r` elements.
    std::array<int, max_dims> perm{};
    int k = 0;
    std::int64_t r = 1;
    for (int i = 0; i < x.dim(); ++i)
        if (!(mask & (1u << i))) perm[k++] = i;
    for (int i = 0; i < x.dim(); ++i)
        if (mask & (1u << i)) {
            perm[k++] = i;
            r *= x.impl().sizes[i].hint();
        }
    dtype acc_t = R::index ? x.dtype() : out.dtype();
    tensor src = materialize(permuted(x, perm.data()), acc_t);
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
    const std::int64_t n = a.impl().sizes[a.dim() - 2].hint(), k = a.impl().sizes[a.dim() - 1].hint(),
                       m = b.impl().sizes[b.dim() - 1].hint();
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
    const std::int64_t k = w.impl().sizes[1].hint(), m = w.impl().sizes[0].hint();
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
    std::array<int, max_dims> perm{};
    int k = 0;
    for (int i = 0; i < x0.dim(); ++i)
        if (i != d) perm[k++] = i;
    if (x0.dim()) perm[k++] = d;
    tensor x = materialize(permuted(x0, perm.data()), out.dtype());
    tensor o = d == x0.dim() - 1 || x0.dim() == 0 ? out : make_tensor(out.dtype(), x.sizes());
    const std::int64_t r = x0.dim() ? x0.impl().sizes[d].hint() : 1;
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

// ---- joining ----

inline bool rule_cat(const call& c, tensor_impl& out) {
    std::span<const tensor> xs = c.a[0].tensors();
    if (xs.empty()) throw_usage(c.op, "needs at least one tensor");
    const tensor& f = xs[0];
    if (f.dim() == 0) throw_usage(c.op, "zero-dim tensors cannot be concatenated");
    int d = wrap_dim(static_cast<int>(c.int_at(1, 0).value()), f.dim());
    dtype t = f.dtype();
    sym_int total = 0;
    for (std::size_t i = 0; i < xs.size(); ++i) {
        const tensor& x = xs[i];
        t = promote(t, x.dtype());
        bool ok = x.dim() == f.dim();
        for (int j = 0; ok && j < f.dim(); ++j)
            if (j != d) ok = x.impl().sizes[j] == f.impl().sizes[j];
        if (!ok)
            throw_shape(c.op, "tensor " + std::to_string(i) + " of shape " + to_string(x.sizes()) +
                                  " does not fit tensor 0 of shape " + to_string(f.sizes()),
                        "all sizes must match except in dimension " + std::to_string(d));
        total = total + x.impl().sizes[d];
    }
    out.sizes = f.sizes();
    out.sizes[d] = total;
    out.dt = t;
    return false;
}
inline void cat_into(std::span<const tensor> xs, int d, tensor& out) {
    std::int64_t at = 0;
    for (const tensor& x : xs) {
        tensor part = out;
        std::int64_t len = x.impl().sizes[d].hint();
        part.impl().sizes[d] = len;
        part.impl().offset += at * out.impl().strides[d];
        copy_into(x, part);
        at += len;
    }
}
inline void kernel_cat(const call& c, tensor& out) {
    cat_into(c.a[0].tensors(), wrap_dim(static_cast<int>(c.int_at(1, 0).value()), c.a[0].t[0].dim()), out);
}
inline bool rule_stack(const call& c, tensor_impl& out) {
    std::span<const tensor> xs = c.a[0].tensors();
    if (xs.empty()) throw_usage(c.op, "needs at least one tensor");
    const tensor& f = xs[0];
    int d = wrap_dim(static_cast<int>(c.int_at(1, 0).value()), f.dim() + 1);
    dtype t = f.dtype();
    for (std::size_t i = 0; i < xs.size(); ++i) {
        const tensor& x = xs[i];
        t = promote(t, x.dtype());
        bool ok = x.dim() == f.dim();
        for (int j = 0; ok && j < f.dim(); ++j) ok = x.impl().sizes[j] == f.impl().sizes[j];
        if (!ok)
            throw_shape(c.op, "tensor " + std::to_string(i) + " of shape " + to_string(x.sizes()) +
                                  " differs from tensor 0 of shape " + to_string(f.sizes()),
                        "stack needs tensors of equal shape");
    }
    out.sizes = f.sizes();
    out.sizes.insert(d, static_cast<std::int64_t>(xs.size()));
    out.dt = t;
    return false;
}
inline void kernel_stack(const call& c, tensor& out) {
    std::span<const tensor> xs = c.a[0].tensors();
    int d = wrap_dim(static_cast<int>(c.int_at(1, 0).value()), xs[0].dim() + 1);
    for (std::size_t i = 0; i < xs.size(); ++i) {
        tensor part = out;
        part.impl().sizes.erase(d);
        part.impl().offset += static_cast<std::int64_t>(i) * out.impl().strides[d];
        for (int k = d; k < part.dim(); ++k) part.impl().strides[k] = out.impl().strides[k + 1];
        copy_into(xs[i], part);
    }
}

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
            if (++idx[d] < x.impl().sizes[d].hint()) break;
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
                const std::int64_t size = x.impl().sizes[d].hint();
                q[d] = size ? k % size : 0;
                k = size ? k / size : 0;
            }
            q += nd;
        });
    });
}

// ---- item ----

inline bool rule_item(const call& c, tensor_impl&) {
    if (c.in(0).numel() != 1)
        throw_usage(c.op, "only a tensor with one element can be read as a number, got shape " + to_string(c.in(0).sizes()));
    return false;
}

} // namespace symshape::detail
