// symshape/tensor/impl/kernels/indexing.hpp — reading elements by integer index tensors:
// embedding, index_select, gather, and x[idx] (index.Tensor).
// Shape rules decide through sym_int comparisons; kernels work on hints. Part of the op table's
// internals (tensor/impl/kernels.hpp); not for direct inclusion.
#pragma once

#include "symshape/tensor/impl/kernels/common.hpp"

namespace symshape::detail {

/// An index read from data, checked against the size it indexes: [0, size), or [-size, size)
/// wrapped when `negative` is allowed. Out of range is a usage_error naming the op and the value.
inline std::int64_t checked_index(op_kind op, std::int64_t i, std::int64_t size, bool negative, const char* what) {
    if (negative && i < 0 && i >= -size) return i + size;
    if (i < 0 || i >= size)
        throw_usage(op, "index " + std::to_string(i) + " is out of range for " + what + " of size " + std::to_string(size) +
                            (negative ? " (indices may be in [-size, size))" : " (indices must be in [0, size))"));
    return i;
}

/// Fills the fresh `out` with the rows (along dim 0) of `x` picked by the integer tensor `idx`, in
/// idx's row-major order: embedding and x[idx]. Each index is checked (checked_index).
inline void take_rows(op_kind op, const tensor& x0, const tensor& idx0, bool negative, const char* what, tensor& out) {
    tensor x = materialize(x0, x0.dtype()), idx = materialize(idx0, idx0.dtype());
    const std::int64_t rows = x.impl().sizes[0].unsafe_hint();
    const std::size_t es = element_size(x.dtype());
    const std::size_t row_bytes = static_cast<std::size_t>(rows ? x.numel() / rows : 0) * es;
    const char* src = static_cast<const char*>(x.impl().st->data) + static_cast<std::size_t>(x.impl().offset) * es;
    char* dst = static_cast<char*>(out.impl().st->data);
    const std::int64_t n = idx.numel();
    for (std::int64_t k = 0; k < n; ++k) {
        const std::int64_t i = checked_index(op, index_at(idx, idx.impl().offset + k), rows, negative, what);
        if (row_bytes) std::memcpy(dst + static_cast<std::size_t>(k) * row_bytes, src + static_cast<std::size_t>(i) * row_bytes, row_bytes);
    }
}

// ---- embedding(weight [V, D], indices) -> indices.shape + [D] ----

inline bool rule_embedding(const call& c, tensor_impl& out) {
    const tensor& w = c.in(0);
    const tensor& idx = c.in(1);
    if (w.dim() != 2) throw_usage(c.op, "the weight must have 2 dimensions [rows, dim], got shape " + to_string(w.sizes()));
    require_integer(c.op, idx, "the indices");
    out.dt = w.dtype();
    out.sizes = idx.sizes();
    out.sizes.push_back(w.impl().sizes[1]);
    return false;
}
inline void kernel_embedding(const call& c, tensor& out) { take_rows(c.op, c.in(0), c.in(1), false, "an embedding table", out); }

// ---- index_select(x, dim, index [n]) ----

inline bool rule_index_select(const call& c, tensor_impl& out) {
    const tensor& x = c.in(0);
    const tensor& idx = c.in(2);
    require_integer(c.op, idx, "the index");
    if (idx.dim() > 1) throw_usage(c.op, "the index must have at most 1 dimension, got shape " + to_string(idx.sizes()));
    const int d = wrap_dim(static_cast<int>(c.a[1].i.value()), x.dim());
    out.dt = x.dtype();
    out.sizes = x.sizes();
    const sym_int n = idx.dim() == 0 ? sym_int(1) : idx.impl().sizes[0];
    if (x.dim() == 0) {
        if (n != 1) throw_shape(c.op, "a zero-dim input takes exactly one index", "index shape " + to_string(idx.sizes()));
    } else {
        out.sizes[d] = n;
    }
    return false;
}
inline void kernel_index_select(const call& c, tensor& out) {
    const tensor& x = c.in(0);
    if (x.dim() == 0) {
        (void)checked_index(c.op, index_at(c.in(2), c.in(2).impl().offset), 1, false, "dimension 0");
        copy_into(x, out);
        return;
    }
    const int d = wrap_dim(static_cast<int>(c.a[1].i.unsafe_hint()), x.dim());
    tensor idx = materialize(c.in(2), c.in(2).dtype());
    const std::int64_t size = x.impl().sizes[d].unsafe_hint(), n = idx.numel();
    // Copy one slice of x per index: out[..., k, ...] = x[..., idx[k], ...].
    for (std::int64_t k = 0; k < n; ++k) {
        const std::int64_t i = checked_index(c.op, index_at(idx, idx.impl().offset + k), size, false, "the indexed dimension");
        shape_vec s = x.sizes();
        s.erase(d);
        strides_t xs{}, os{};
        for (int a = 0, b = 0; a < x.dim(); ++a)
            if (a != d) xs[b] = x.impl().strides[a], os[b] = out.impl().strides[a], ++b;
        tensor src = restrided(x, s, xs, x.impl().offset + i * x.impl().strides[d]);
        tensor dst = restrided(out, s, os, out.impl().offset + k * out.impl().strides[d]);
        copy_into(src, dst);
    }
}

// ---- gather(x, dim, index): out[i][j] = x[index[i][j]][j] along dim; out has index's shape ----

inline bool rule_gather(const call& c, tensor_impl& out) {
    const tensor& x = c.in(0);
    const tensor& idx = c.in(2);
    require_integer(c.op, idx, "the index");
    const int d = wrap_dim(static_cast<int>(c.a[1].i.value()), x.dim());
    if (std::max(idx.dim(), 1) != std::max(x.dim(), 1))
        throw_shape(c.op, "the index must have as many dimensions as the input",
                    "input shape " + to_string(x.sizes()) + ", index shape " + to_string(idx.sizes()));
    for (int i = 0; i < idx.dim() && i < x.dim(); ++i)
        if (i != d && idx.impl().sizes[i] > x.impl().sizes[i])
            throw_shape(c.op, "the index is larger than the input in dimension " + std::to_string(i),
                        "input shape " + to_string(x.sizes()) + ", index shape " + to_string(idx.sizes()) +
                            "; outside the gathered dimension the index may not exceed the input");
    out.dt = x.dtype();
    out.sizes = idx.sizes();
    return false;
}
inline void kernel_gather(const call& c, tensor& out) {
    const tensor& x = c.in(0);
    const tensor& idx = c.in(2);
    const int nd = idx.dim();
    const int d = x.dim() == 0 ? 0 : wrap_dim(static_cast<int>(c.a[1].i.unsafe_hint()), x.dim());
    const std::int64_t size = x.dim() == 0 ? 1 : x.impl().sizes[d].unsafe_hint();
    dispatch(x.dtype(), [&]<class T>() {
        const T* px = static_cast<const T*>(x.impl().st->data);
        T* po = base_ptr<T>(out);
        std::array<std::int64_t, max_dims> pos{};
        const std::int64_t n = out.numel();
        for (std::int64_t k = 0; k < n; ++k) {
            std::int64_t ioff = idx.impl().offset, xoff = x.impl().offset;
            for (int a = 0; a < nd; ++a) {
                ioff += pos[a] * idx.impl().strides[a];
                if (a != d) xoff += pos[a] * x.impl().strides[a];
            }
            const std::int64_t i = checked_index(c.op, index_at(idx, ioff), size, false, "the gathered dimension");
            if (x.dim() > 0) xoff += i * x.impl().strides[d];
            po[k] = px[xoff];
            for (int a = nd - 1; a >= 0; --a) {
                if (++pos[a] < idx.impl().sizes[a].unsafe_hint()) break;
                pos[a] = 0;
            }
        }
    });
}

// ---- x[idx]: index.Tensor(x, [idx]) along dim 0; out is idx.shape + x.shape[1:] ----

inline bool rule_index(const call& c, tensor_impl& out) {
    const tensor& x = c.in(0);
    const std::span<const tensor> ids = c.a[1].tensors();
    if (ids.size() != 1) throw_usage(c.op, "indexing takes one index tensor (along dimension 0), got " + std::to_string(ids.size()));
    const tensor& idx = ids[0];
    if (idx.dtype() == dtype::b8)
        throw_usage(c.op, "indexing by a b8 mask is not supported; use masked_select(x, mask) or x[mask.nonzero()...]");
    require_integer(c.op, idx, "the index");
    if (x.dim() == 0) throw_usage(c.op, "a zero-dim tensor cannot be indexed");
    out.dt = x.dtype();
    out.sizes = idx.sizes();
    for (int i = 1; i < x.dim(); ++i) out.sizes.push_back(x.impl().sizes[i]);
    return false;
}
inline void kernel_index(const call& c, tensor& out) { take_rows(c.op, c.in(0), c.a[1].tensors()[0], true, "dimension 0", out); }

} // namespace symshape::detail
