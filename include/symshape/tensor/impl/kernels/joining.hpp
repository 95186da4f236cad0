// symshape/tensor/impl/kernels/joining.hpp — joining and splitting (cat, stack, split), padding,
// repetition and reversal (constant_pad_nd, repeat, flip).
// Shape rules decide through sym_int comparisons; kernels work on hints. Part of the op table's
// internals (tensor/impl/kernels.hpp); not for direct inclusion.
#pragma once

#include "symshape/tensor/impl/kernels/creation.hpp"

namespace symshape::detail {

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
        std::int64_t len = x.impl().sizes[d].unsafe_hint();
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

// ---- split.Tensor(x, split_size, dim) and split_with_sizes(x, sizes, dim): views ----

/// The pieces of x along `dim`, as views: every piece `split_size` long but the last, which holds
/// the rest (`n - split_size * (count - 1)`), as torch computes it. The number of pieces is a
/// plain number: for a symbolic size it is decided once (a guard, like any shape question).
inline void multi_split(const call& c, std::vector<tensor>& outs) {
    const tensor& x = c.in(0);
    if (x.dim() == 0) throw_usage(c.op, "cannot split a zero-dim tensor");
    const int d = wrap_dim(static_cast<int>(c.int_at(2, 0).value()), x.dim());
    const sym_int n = x.impl().sizes[d];
    std::vector<sym_int> lens;
    if (c.op == op_kind::split) {
        const sym_int s = c.a[1].i;
        if (s < 0) throw_usage(c.op, "split_size must be >= 0, got " + to_string(s));
        if (s == 0) {
            if (n != 0) throw_usage(c.op, "split_size 0 can only split an empty dimension, got size " + to_string(n));
            lens.push_back(0);
        } else {
            const sym_int count = floor_div(n + s - 1, s);
            std::int64_t k = count.unsafe_hint();
            if (!count.is_constant()) (void)static_cast<bool>(count == sym_int(k)); // the count is decided: a guard
            if (k <= 0) k = 1; // an empty dimension gives one empty piece
            for (std::int64_t i = 0; i + 1 < k; ++i) lens.push_back(s);
            lens.push_back(n - s * (k - 1));
        }
    } else {
        sym_int total = 0;
        for (const sym_int& s : c.a[1].ints()) {
            if (s < 0) throw_usage(c.op, "split sizes must be >= 0, got " + to_string(s));
            lens.push_back(s);
            total = total + s;
        }
        if (total != n)
            throw_shape(c.op, "split sizes " + to_string(shape_vec(c.a[1].il, c.a[1].il + c.a[1].n)) + " add up to " + to_string(total) +
                                  ", not the size " + to_string(n) + " of dimension " + std::to_string(d),
                        "input shape " + to_string(x.sizes()));
    }
    std::int64_t start = 0;
    for (const sym_int& len : lens) {
        shape_vec s = x.sizes();
        s[d] = len;
        outs.push_back(restrided(x, s, x.impl().strides, x.impl().offset + start * x.impl().strides[d]));
        start += len.unsafe_hint();
    }
}

// ---- constant_pad_nd(x, pads, value): pads pair up from the last dim backwards ----

inline bool rule_pad(const call& c, tensor_impl& out) {
    const tensor& x = c.in(0);
    const std::span<const sym_int> p = c.a[1].ints();
    if (p.size() % 2 != 0) throw_usage(c.op, "pads must come in (before, after) pairs, got " + std::to_string(p.size()) + " values");
    if (static_cast<int>(p.size()) > 2 * x.dim())
        throw_usage(c.op, std::to_string(p.size()) + " pads for a tensor with " + std::to_string(x.dim()) + " dims (at most 2 per dim)");
    out.dt = x.dtype();
    out.sizes = x.sizes();
    for (std::size_t k = 0; k < p.size() / 2; ++k) {
        const int d = x.dim() - 1 - static_cast<int>(k);
        const sym_int r = x.impl().sizes[d] + p[2 * k] + p[2 * k + 1];
        if (r < 0)
            throw_shape(c.op, "padding (" + to_string(p[2 * k]) + ", " + to_string(p[2 * k + 1]) + ") makes dimension " + std::to_string(d) +
                                  " negative: " + to_string(r),
                        "input shape " + to_string(x.sizes()) + "; negative pads crop, but not below size 0");
        out.sizes[d] = r;
    }
    return false;
}
inline void kernel_pad(const call& c, tensor& out) {
    const tensor& x = c.in(0);
    fill_value(out, c.a[2].number());
    const std::span<const sym_int> p = c.a[1].ints();
    // The part of x that survives cropping, and where it lands in out.
    shape_vec s = x.sizes();
    std::int64_t xoff = x.impl().offset, ooff = out.impl().offset;
    for (std::size_t k = 0; k < p.size() / 2; ++k) {
        const int d = x.dim() - 1 - static_cast<int>(k);
        const std::int64_t lo = p[2 * k].unsafe_hint(), hi = p[2 * k + 1].unsafe_hint(), n = x.impl().sizes[d].unsafe_hint();
        const std::int64_t from = std::max<std::int64_t>(0, -lo), to = std::max<std::int64_t>(0, lo);
        const std::int64_t len = std::max<std::int64_t>(0, n - from - std::max<std::int64_t>(0, -hi));
        if (len == 0) return;
        s[d] = len;
        xoff += from * x.impl().strides[d];
        ooff += to * out.impl().strides[d];
    }
    tensor src = restrided(x, s, x.impl().strides, xoff);
    tensor dst = restrided(out, s, out.impl().strides, ooff);
    copy_into(src, dst);
}

// ---- repeat(x, repeats): tiles x; repeats may have more entries than x has dims ----

inline bool rule_repeat(const call& c, tensor_impl& out) {
    const tensor& x = c.in(0);
    const std::span<const sym_int> r = c.a[1].ints();
    if (static_cast<int>(r.size()) < x.dim())
        throw_usage(c.op, "repeats has " + std::to_string(r.size()) + " entries; it needs at least one per dim (" + std::to_string(x.dim()) + ")");
    const int extra = static_cast<int>(r.size()) - x.dim();
    out.dt = x.dtype();
    out.sizes = {};
    for (std::size_t i = 0; i < r.size(); ++i) {
        if (r[i] < 0) throw_usage(c.op, "repeats must be >= 0, got " + to_string(r[i]));
        const int d = static_cast<int>(i) - extra;
        out.sizes.push_back(d < 0 ? r[i] : r[i] * x.impl().sizes[d]);
    }
    return false;
}
inline void kernel_repeat(const call& c, tensor& out) {
    const int nd = out.dim();
    const int extra = nd - c.in(0).dim();
    tensor x = materialize(c.in(0), c.in(0).dtype());
    if (out.numel() == 0) return;
    // Source sizes aligned to out's dims (1 for the new leading dims).
    std::array<std::int64_t, max_dims> xs{}, xst{};
    for (int d = 0; d < nd; ++d) {
        xs[d] = d < extra ? 1 : x.impl().sizes[d - extra].unsafe_hint();
        xst[d] = d < extra ? 0 : x.impl().strides[d - extra];
    }
    dispatch(x.dtype(), [&]<class T>() {
        const T* px = base_ptr<T>(x);
        T* po = base_ptr<T>(out);
        std::array<std::int64_t, max_dims> pos{};
        const std::int64_t n = out.numel(), inner = nd ? out.impl().sizes[nd - 1].unsafe_hint() : 1;
        const std::int64_t xin = nd ? xs[nd - 1] : 1;
        for (std::int64_t k = 0; k < n; k += inner) {
            std::int64_t off = 0;
            for (int d = 0; d + 1 < nd; ++d) off += (pos[d] % xs[d]) * xst[d];
            for (std::int64_t j = 0; j < inner; ++j) po[k + j] = px[off + (nd ? (j % xin) * xst[nd - 1] : 0)];
            for (int d = nd - 2; d >= 0; --d) {
                if (++pos[d] < out.impl().sizes[d].unsafe_hint()) break;
                pos[d] = 0;
            }
        }
    });
}

// ---- flip(x, dims): a copy with the listed dims reversed ----

inline unsigned flip_mask(const call& c, int rank) {
    unsigned mask = 0;
    for (const sym_int& d : c.a[1].ints()) {
        const int w = wrap_dim(static_cast<int>(d.unsafe_hint()), rank);
        if (mask & (1u << w)) throw_usage(c.op, "dim " + std::to_string(w) + " appears twice");
        mask |= 1u << w;
    }
    return mask;
}
inline bool rule_flip(const call& c, tensor_impl& out) {
    (void)flip_mask(c, c.in(0).dim());
    out.dt = c.in(0).dtype();
    out.sizes = c.in(0).sizes();
    return false;
}
inline void kernel_flip(const call& c, tensor& out) {
    const tensor& x = c.in(0);
    const unsigned mask = flip_mask(c, x.dim());
    strides_t st = x.impl().strides;
    std::int64_t off = x.impl().offset;
    for (int d = 0; d < x.dim(); ++d)
        if (mask & (1u << d)) {
            off += (x.impl().sizes[d].unsafe_hint() - 1) * st[d];
            st[d] = -st[d];
        }
    if (x.numel() == 0) return;
    copy_into(restrided(x, x.sizes(), st, off), out);
}

} // namespace symshape::detail
