// symshape/tensor/impl/kernels/views.hpp — views and copies: slice, select, view, reshape, permute,
// transpose, expand, squeeze, unsqueeze, flatten, clone, contiguous, to.
// Shape rules decide through sym_int comparisons; kernels work on hints. Part of the op table's
// internals (tensor/impl/kernels.hpp); not for direct inclusion.
#pragma once

#include "symshape/tensor/impl/kernels/common.hpp"

namespace symshape::detail {

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
    if (end.is_constant() && end.unsafe_hint() == end_of_dim) end = size;
    if (end < 0) end = end + size;
    if (end > size) end = size;
    if (end < start) end = start;
    sym_int len = floor_div(end - start + step - 1, step);
    out.offset = x.impl().offset + start.unsafe_hint() * x.impl().strides[d];
    out.sizes[d] = len;
    out.strides[d] = x.impl().strides[d] * step.unsafe_hint();
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
    out.offset = x.impl().offset + i.unsafe_hint() * x.impl().strides[d];
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
/// Strides that let `x` be viewed with `sizes` without copying, or false when its layout does not
/// allow it: every group of old dims that maps onto a group of new dims must be contiguous in
/// itself (PyTorch's rule, so a split along the last dim can be viewed as heads).
inline bool view_strides(const tensor& x, const shape_vec& sizes, strides_t& out) {
    const int nd = x.dim(), vd = sizes.size();
    if (numel_of(x.sizes()) == 0 || nd == 0) {
        contiguous_strides(sizes, out); // nothing to keep in place: any layout will do
        return true;
    }
    int v = vd - 1;
    std::int64_t base = x.impl().strides[nd - 1], tensor_n = 1, view_n = 1;
    for (int d = nd - 1; d >= 0; --d) {
        tensor_n *= x.impl().sizes[d].unsafe_hint();
        // A group of old dims ends where the next outer dim does not continue it.
        const bool group_ends = d == 0 || (x.impl().sizes[d - 1].unsafe_hint() != 1 && x.impl().strides[d - 1] != tensor_n * base);
        if (!group_ends) continue;
        while (v >= 0 && (view_n < tensor_n || sizes[v].unsafe_hint() == 1)) {
            out[v] = view_n * base;
            view_n *= sizes[v].unsafe_hint();
            --v;
        }
        if (view_n != tensor_n) return false;
        if (d > 0) {
            base = x.impl().strides[d - 1];
            tensor_n = view_n = 1;
        }
    }
    return v == -1;
}
inline bool rule_view(const call& c, tensor_impl& out) {
    const tensor& x = c.in(0);
    out = x.impl();
    out.sizes = infer_view_sizes(c.op, x, c.a[1]);
    if (!view_strides(x, out.sizes, out.strides))
        throw_usage(c.op, "the input of shape " + to_string(x.sizes()) + " is laid out so that it cannot be viewed as " +
                              to_string(out.sizes) + " without a copy; use reshape (which copies) instead");
    return true;
}
inline bool rule_reshape(const call& c, tensor_impl& out) {
    const tensor& x = c.in(0);
    out = x.impl();
    out.sizes = infer_view_sizes(c.op, x, c.a[1]);
    if (view_strides(x, out.sizes, out.strides)) return true; // a view when the layout allows it
    contiguous_strides(out.sizes, out.strides);
    return false; // else a copy (kernel_copy)
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
        const bool have_one = have.is_constant() && have.unsafe_hint() == 1, keep = w.is_constant() && w.unsafe_hint() == -1;
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
    std::int64_t st = d < x.dim() ? x.impl().strides[d] * std::max<std::int64_t>(x.impl().sizes[d].unsafe_hint(), 1) : 1;
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
        for (int i = 0; i < out.dim(); ++i) same = same && x.impl().sizes[i].unsafe_hint() == out.impl().sizes[i].unsafe_hint();
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

} // namespace symshape::detail
