// symshape/tensor/impl/kernels/conv.hpp — conv2d and 2-d pooling (max, average). Output sizes are
// the floor-division formula `(H + 2p - d*(k - 1) - 1) // s + 1`, computed symbolically; an input
// too small for the window is a shape question like any other (a guard, or a violation with a fix).
// Part of the op table's internals (tensor/impl/kernels.hpp); not for direct inclusion.
#pragma once

#include "symshape/tensor/impl/kernels/linalg.hpp"

namespace symshape::detail {

/// Window geometry along one spatial dim.
struct window {
    std::int64_t k, s, p, d; // kernel, stride, padding, dilation
};

/// The output size of a window sliding over `in`: (in + 2p - d*(k-1) - 1) // s + 1. Asks whether
/// the padded input holds one window (a guard or violation for a symbolic size).
inline sym_int window_out(op_kind op, const sym_int& in, const window& w, const char* dim_name, const shape_vec& shape) {
    if (w.k <= 0 || w.s <= 0 || w.d <= 0 || w.p < 0)
        throw_usage(op, std::string("kernel size, stride and dilation must be positive and padding >= 0 (dimension ") + dim_name + ")");
    const sym_int span = in + 2 * w.p - w.d * (w.k - 1) - 1;
    if (span < 0)
        throw_shape(op, std::string("the input is too small for the window in dimension ") + dim_name + ": size " + to_string(in) +
                            " + 2*padding " + std::to_string(w.p) + " is less than dilation*(kernel - 1) + 1 = " +
                            std::to_string(w.d * (w.k - 1) + 1),
                    "input shape " + to_string(shape));
    return floor_div(span, sym_int(w.s)) + 1;
}

/// Window of spatial dim `i` (0: H, 1: W) from list arguments at `ks, ss, ps, ds` (-1: absent).
/// An absent or empty stride is the kernel size, as in PyTorch's pooling.
inline window window_at(const call& c, int i, int ks, int ss, int ps, int ds) {
    window w{};
    w.k = pair_at(c.op, c.a[ks], i, "kernel_size");
    w.s = ss >= 0 && c.given(ss) && c.a[ss].n > 0 ? pair_at(c.op, c.a[ss], i, "stride") : w.k;
    w.p = ps >= 0 && c.given(ps) ? pair_at(c.op, c.a[ps], i, "padding") : 0;
    w.d = ds >= 0 && c.given(ds) ? pair_at(c.op, c.a[ds], i, "dilation") : 1;
    return w;
}

// ---- conv2d(x [N, C, H, W], w [O, C/groups, kH, kW], bias [O] | None, stride, padding, dilation, groups) ----

inline window conv_window(const call& c, int i) {
    window w{};
    w.k = c.in(1).impl().sizes[2 + i].unsafe_hint();
    w.s = pair_at(c.op, c.a[3], i, "stride");
    w.p = pair_at(c.op, c.a[4], i, "padding");
    w.d = pair_at(c.op, c.a[5], i, "dilation");
    return w;
}
inline bool rule_conv2d(const call& c, tensor_impl& out) {
    const tensor& x = c.in(0);
    const tensor& w = c.in(1);
    if (x.dim() != 4) throw_usage(c.op, "the input must be 4-d [N, C, H, W], got shape " + to_string(x.sizes()) + " (add a batch dim with unsqueeze(0))");
    if (w.dim() != 4) throw_usage(c.op, "the weight must be 4-d [out, in/groups, kH, kW], got shape " + to_string(w.sizes()));
    require_floating(c.op, x, "the input");
    if (w.dtype() != x.dtype()) throw_usage(c.op, std::string("the weight must have the input's dtype ") + short_name(x.dtype()));
    const std::int64_t g = c.a[6].i.unsafe_hint();
    if (g <= 0) throw_usage(c.op, "groups must be positive, got " + std::to_string(g));
    const sym_int o = w.impl().sizes[0];
    if (mod(o, sym_int(g)) != 0) throw_shape(c.op, "the weight's " + to_string(o) + " output channels do not divide into " + std::to_string(g) + " groups", "weight shape " + to_string(w.sizes()));
    if (x.impl().sizes[1] != w.impl().sizes[1] * g)
        throw_shape(c.op, "input channels " + to_string(x.impl().sizes[1]) + " do not match the weight: " + to_string(w.impl().sizes[1]) +
                              " per group x " + std::to_string(g) + " groups",
                    "input shape " + to_string(x.sizes()) + ", weight shape " + to_string(w.sizes()));
    if (c.given(2)) {
        const tensor& b = c.in(2);
        if (b.dtype() != x.dtype() || b.dim() != 1 || b.impl().sizes[0] != o)
            throw_shape(c.op, "the bias must be " + std::string(short_name(x.dtype())) + "[" + to_string(o) + "], got " +
                                  short_name(b.dtype()) + to_string(b.sizes()),
                        "one bias per output channel");
    }
    out.dt = x.dtype();
    out.sizes = shape_vec{x.impl().sizes[0], o, window_out(c.op, x.impl().sizes[2], conv_window(c, 0), "H (2)", x.sizes()),
                          window_out(c.op, x.impl().sizes[3], conv_window(c, 1), "W (3)", x.sizes())};
    return false;
}
/// im2col then one gemm per image and group: out[o, l] = sum_r W[o, r] * col[r, l].
inline void kernel_conv2d(const call& c, tensor& out) {
    tensor x = materialize(c.in(0), out.dtype()), w = materialize(c.in(1), out.dtype());
    tensor b = c.given(2) ? materialize(c.in(2), out.dtype()) : tensor();
    const window wh = conv_window(c, 0), ww = conv_window(c, 1);
    const std::int64_t g = c.a[6].i.unsafe_hint();
    const std::int64_t N = x.impl().sizes[0].unsafe_hint(), C = x.impl().sizes[1].unsafe_hint(), H = x.impl().sizes[2].unsafe_hint(), W = x.impl().sizes[3].unsafe_hint();
    const std::int64_t O = w.impl().sizes[0].unsafe_hint(), OH = out.impl().sizes[2].unsafe_hint(), OW = out.impl().sizes[3].unsafe_hint();
    const std::int64_t Cg = C / g, Og = O / g, K = Cg * wh.k * ww.k, L = OH * OW;
    dispatch_float(c.op, out.dtype(), [&]<class T>() {
        const T* px = base_ptr<T>(x);
        const T* pw = base_ptr<T>(w);
        T* po = base_ptr<T>(out);
        const bool direct = wh.k == 1 && ww.k == 1 && wh.s == 1 && ww.s == 1 && wh.p == 0 && ww.p == 0;
        std::vector<T> col(direct ? 0 : static_cast<std::size_t>(K * L));
        for (std::int64_t n = 0; n < N; ++n)
            for (std::int64_t gi = 0; gi < g; ++gi) {
                const T* img = px + (n * C + gi * Cg) * H * W;
                const T* src = img;
                if (!direct) {
                    // Row r = (ci, i, j) of col holds input (ci, oh*s - p + i*d, ow*s - p + j*d), 0 outside.
                    T* q = col.data();
                    for (std::int64_t ci = 0; ci < Cg; ++ci)
                        for (std::int64_t i = 0; i < wh.k; ++i)
                            for (std::int64_t j = 0; j < ww.k; ++j)
                                for (std::int64_t oh = 0; oh < OH; ++oh) {
                                    const std::int64_t h = oh * wh.s - wh.p + i * wh.d;
                                    const bool hin = h >= 0 && h < H;
                                    const T* row = img + (ci * H + (hin ? h : 0)) * W;
                                    for (std::int64_t ow = 0; ow < OW; ++ow) {
                                        const std::int64_t v = ow * ww.s - ww.p + j * ww.d;
                                        *q++ = hin && v >= 0 && v < W ? row[v] : T(0);
                                    }
                                }
                    src = col.data();
                }
                T* dst = po + (n * O + gi * Og) * L;
                gemm_best<T>(pw + gi * Og * K, src, dst, Og, K, L);
                if (b.defined()) {
                    const T* pb = base_ptr<T>(b) + gi * Og;
                    for (std::int64_t o = 0; o < Og; ++o)
                        for (std::int64_t l = 0; l < L; ++l) dst[o * L + l] += pb[o];
                }
            }
    });
}

// ---- max_pool2d(x, kernel, stride, padding, dilation) / avg_pool2d(x, kernel, stride, padding) ----
// x is [C, H, W] or [N, C, H, W]; ceil_mode is False; avg counts padding (count_include_pad True).

inline bool rule_pool2d(const call& c, tensor_impl& out) {
    const tensor& x = c.in(0);
    if (x.dim() != 3 && x.dim() != 4) throw_usage(c.op, "the input must be 3-d [C, H, W] or 4-d [N, C, H, W], got shape " + to_string(x.sizes()));
    if (x.dtype() == dtype::b8) throw_usage(c.op, "b8 tensors are not supported");
    if (c.op == op_kind::avg_pool2d) require_floating(c.op, x, "the input");
    const int ds = c.op == op_kind::max_pool2d ? 4 : -1;
    out.dt = x.dtype();
    out.sizes = x.sizes();
    for (int i = 0; i < 2; ++i) {
        const window w = window_at(c, i, 1, 2, 3, ds);
        if (w.p * 2 > w.k)
            throw_usage(c.op, "padding " + std::to_string(w.p) + " is more than half the kernel size " + std::to_string(w.k));
        const int d = x.dim() - 2 + i;
        out.sizes[d] = window_out(c.op, x.impl().sizes[d], w, i == 0 ? "H" : "W", x.sizes());
    }
    return false;
}
template <bool Max> void kernel_pool2d(const call& c, tensor& out) {
    tensor x = materialize(c.in(0), out.dtype());
    const window wh = window_at(c, 0, 1, 2, 3, Max ? 4 : -1), ww = window_at(c, 1, 1, 2, 3, Max ? 4 : -1);
    const int nd = x.dim();
    const std::int64_t H = x.impl().sizes[nd - 2].unsafe_hint(), W = x.impl().sizes[nd - 1].unsafe_hint();
    const std::int64_t OH = out.impl().sizes[nd - 2].unsafe_hint(), OW = out.impl().sizes[nd - 1].unsafe_hint();
    const std::int64_t planes = H * W != 0 ? x.numel() / (H * W) : 0;
    dispatch(out.dtype(), [&]<class T>() {
        if constexpr (!std::is_same_v<T, bool>) {
            const T* px = base_ptr<T>(x);
            T* po = base_ptr<T>(out);
            for (std::int64_t pl = 0; pl < planes; ++pl) {
                const T* img = px + pl * H * W;
                T* dst = po + pl * OH * OW;
                for (std::int64_t oh = 0; oh < OH; ++oh)
                    for (std::int64_t ow = 0; ow < OW; ++ow) {
                        T best = std::numeric_limits<T>::lowest();
                        bool nan = false;
                        double sum = 0;
                        for (std::int64_t i = 0; i < wh.k; ++i) {
                            const std::int64_t h = oh * wh.s - wh.p + i * wh.d;
                            if (h < 0 || h >= H) continue;
                            for (std::int64_t j = 0; j < ww.k; ++j) {
                                const std::int64_t v = ow * ww.s - ww.p + j * ww.d;
                                if (v < 0 || v >= W) continue;
                                const T e = img[h * W + v];
                                if constexpr (Max) {
                                    if (e != e) nan = true; // NaN wins, as in PyTorch
                                    else if (e > best) best = e;
                                } else {
                                    sum += static_cast<double>(e);
                                }
                            }
                        }
                        if constexpr (Max) dst[oh * OW + ow] = nan ? std::numeric_limits<T>::quiet_NaN() : best;
                        else dst[oh * OW + ow] = static_cast<T>(sum / static_cast<double>(wh.k * ww.k));
                    }
            }
        }
    });
}

} // namespace symshape::detail
