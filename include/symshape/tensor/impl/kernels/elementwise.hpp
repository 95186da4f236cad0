// symshape/tensor/impl/kernels/elementwise.hpp — elementwise ops: unary math and activations, binary math
// with broadcasting and promotion, comparisons, where, clamp, masked_fill, tril / triu.
// Shape rules decide through sym_int comparisons; kernels work on hints. Part of the op table's
// internals (tensor/impl/kernels.hpp); not for direct inclusion.
#pragma once

#include "symshape/tensor/impl/kernels/common.hpp"

namespace symshape::detail {

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
struct op_sin { template <class T> static T f(T a) { return static_cast<T>(std::sin(a)); } };
struct op_cos { template <class T> static T f(T a) { return static_cast<T>(std::cos(a)); } };
struct op_exp {
    template <class T> static T f(T a) { return static_cast<T>(std::exp(a)); }
    static f32x4 v(f32x4 a) noexcept { return exp4(a); }
};
struct op_log { template <class T> static T f(T a) { return static_cast<T>(std::log(a)); } };
struct op_sqrt { template <class T> static T f(T a) { return static_cast<T>(std::sqrt(a)); } };
struct op_relu {
    template <class T> static T f(T a) { return a < T(0) ? T(0) : a; } // NaN stays NaN
    static f32x4 v(f32x4 a) noexcept { return select4(a < splat4(0.0f), splat4(0.0f), a); }
};
struct op_sigmoid {
    template <class T> static T f(T a) { return T(1) / (T(1) + std::exp(-a)); }
    static f32x4 v(f32x4 a) noexcept { return splat4(1.0f) / (splat4(1.0f) + exp4(-a)); }
};
struct op_tanh {
    template <class T> static T f(T a) { return static_cast<T>(std::tanh(a)); }
    static f32x4 v(f32x4 a) noexcept { return tanh4(a); }
};
struct op_rsqrt { template <class T> static T f(T a) { return static_cast<T>(T(1) / std::sqrt(a)); } };
struct op_erf { template <class T> static T f(T a) { return static_cast<T>(std::erf(a)); } };
struct op_silu {
    template <class T> static T f(T a) { return static_cast<T>(a / (T(1) + std::exp(-a))); }
    static f32x4 v(f32x4 a) noexcept { return a / (splat4(1.0f) + exp4(-a)); }
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
    const std::int64_t n = out.numel();
    if constexpr (has_vec4<Op>) {
        if (out.dtype() == dtype::f32) {
            // The vector form for every element (the tail padded), so results never depend on position.
            const float* __restrict a = base_ptr<float>(x);
            float* __restrict o = base_ptr<float>(out);
            std::int64_t i = 0;
            for (; i + 4 <= n; i += 4) store4(o + i, Op::v(load4(a + i)));
            if (i < n) {
                float buf[4] = {0, 0, 0, 0};
                for (std::int64_t k = i; k < n; ++k) buf[k - i] = a[k];
                store4(buf, Op::v(load4(buf)));
                for (std::int64_t k = i; k < n; ++k) o[k] = buf[k - i];
            }
            return;
        }
    }
    dispatch(out.dtype(), [&]<class T>() {
        const T* __restrict a = base_ptr<T>(x);
        T* __restrict o = base_ptr<T>(out);
        for (std::int64_t i = 0; i < n; ++i) o[i] = Op::template f<T>(a[i]);
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
        const bool x_one = x.is_constant() && x.unsafe_hint() == 1, y_one = y.is_constant() && y.unsafe_hint() == 1;
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

// ---- activations with arguments, clamping, masking ----

/// gelu's `approximate`: "none" (the erf form) or "tanh".
inline bool gelu_tanh(const call& c) {
    if (!c.given(1)) return false;
    const std::string_view a = c.a[1].s;
    if (a != "none" && a != "tanh") throw_usage(c.op, "approximate must be 'none' or 'tanh', got '" + std::string(a) + "'");
    return a == "tanh";
}
inline bool rule_gelu(const call& c, tensor_impl& out) {
    (void)gelu_tanh(c);
    return rule_unary_float(c, out);
}
inline void kernel_gelu(const call& c, tensor& out) {
    const bool approx = gelu_tanh(c);
    tensor x = materialize(c.in(0), out.dtype());
    dispatch_float(c.op, out.dtype(), [&]<class T>() {
        const T* a = base_ptr<T>(x);
        T* o = base_ptr<T>(out);
        const std::int64_t n = out.numel();
        if (approx) {
            const T k = static_cast<T>(0.7978845608028654); // sqrt(2 / pi)
            for (std::int64_t i = 0; i < n; ++i) o[i] = T(0.5) * a[i] * (T(1) + std::tanh(k * (a[i] + T(0.044715) * a[i] * a[i] * a[i])));
        } else {
            const T r = static_cast<T>(0.7071067811865476); // 1 / sqrt(2)
            for (std::int64_t i = 0; i < n; ++i) o[i] = T(0.5) * a[i] * (T(1) + std::erf(a[i] * r));
        }
    });
}

/// clamp(x, min, max): either bound may be None (not both). A real bound makes an integer x f32.
inline bool rule_clamp(const call& c, tensor_impl& out) {
    if (!c.given(1) && !c.given(2)) throw_usage(c.op, "at least one of min and max must be given");
    dtype t = c.in(0).dtype();
    for (int k = 1; k <= 2; ++k) {
        if (!c.given(k)) continue;
        const scalar s = c.a[k].number();
        if (s.k == scalar::kind::real && !is_floating(t)) t = dtype::f32;
        else if (s.k == scalar::kind::integer && t == dtype::b8) t = dtype::i64;
    }
    out.dt = t;
    out.sizes = c.in(0).sizes();
    return false;
}
inline void kernel_clamp(const call& c, tensor& out) {
    tensor x = materialize(c.in(0), out.dtype());
    dispatch(out.dtype(), [&]<class T>() {
        const T* a = base_ptr<T>(x);
        T* o = base_ptr<T>(out);
        const bool has_lo = c.given(1), has_hi = c.given(2);
        const T lo = has_lo ? c.a[1].number().template as<T>() : T{}, hi = has_hi ? c.a[2].number().template as<T>() : T{};
        const std::int64_t n = out.numel();
        // NaN stays NaN (no comparison holds); min > max gives max, as in PyTorch.
        for (std::int64_t i = 0; i < n; ++i) {
            T v = a[i];
            if (has_lo && v < lo) v = lo;
            if (has_hi && v > hi) v = hi;
            o[i] = v;
        }
    });
}

/// masked_fill(x, mask, value): x where mask is false, value where true; x and mask broadcast.
inline bool rule_masked_fill(const call& c, tensor_impl& out) {
    if (c.in(1).dtype() != dtype::b8) throw_usage(c.op, std::string("the mask must be b8, got ") + short_name(c.in(1).dtype()));
    out.dt = c.in(0).dtype();
    out.sizes = broadcast_shapes(c.op, c.in(0).sizes(), c.in(1).sizes());
    return false;
}
inline void kernel_masked_fill(const call& c, tensor& out) {
    const tensor& x = c.in(0);
    const tensor& mask = c.in(1);
    dispatch(out.dtype(), [&]<class T>() {
        const T v = c.a[2].number().template as<T>();
        const T* px = base_ptr<T>(x);
        const bool* pm = base_ptr<bool>(mask);
        T* po = base_ptr<T>(out);
        nd_loop<3>(out.sizes(), {out.impl().strides, broadcast_strides(x, out.sizes()), broadcast_strides(mask, out.sizes())},
                   [&](const std::array<std::int64_t, 3>& o, std::int64_t m, const std::array<std::int64_t, 3>& in) {
                       for (std::int64_t i = 0; i < m; ++i) po[o[0] + i * in[0]] = pm[o[2] + i * in[2]] ? v : px[o[1] + i * in[1]];
                   });
    });
}

inline bool rule_triangle(const call& c, tensor_impl& out) {
    if (c.in(0).dim() < 2) throw_usage(c.op, "needs a tensor with at least 2 dimensions, got shape " + to_string(c.in(0).sizes()));
    return rule_unary_keep(c, out);
}
/// tril / triu(x, diagonal): zeros above (tril) or below (triu) the diagonal of the last two dims.
template <bool Upper> void kernel_triangle(const call& c, tensor& out) {
    copy_into(c.in(0), out);
    const std::int64_t k = c.int_at(1, 0).unsafe_hint();
    const std::int64_t rows = out.impl().sizes[out.dim() - 2].unsafe_hint(), cols = out.impl().sizes[out.dim() - 1].unsafe_hint();
    const std::int64_t mats = rows * cols != 0 ? out.numel() / (rows * cols) : 0;
    const std::size_t esize = element_size(out.dtype());
    char* base = static_cast<char*>(out.impl().st->data);
    for (std::int64_t b = 0; b < mats; ++b)
        for (std::int64_t i = 0; i < rows; ++i) {
            // tril keeps j - i <= k; triu keeps j - i >= k.
            std::int64_t j0 = Upper ? 0 : std::max<std::int64_t>(0, i + k + 1), j1 = Upper ? std::clamp<std::int64_t>(i + k, 0, cols) : cols;
            if (j0 >= j1) continue;
            std::memset(base + static_cast<std::size_t>((b * rows + i) * cols + j0) * esize, 0, static_cast<std::size_t>(j1 - j0) * esize);
        }
}

} // namespace symshape::detail
