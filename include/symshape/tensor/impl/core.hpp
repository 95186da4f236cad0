// symshape/tensor/impl/core.hpp — the definitions behind symshape/tensor/core.hpp: compiled into
// libsymshape in compiled mode, included by that header in header-only mode. Not for direct
// inclusion.
#pragma once

#include "symshape/tensor/core.hpp"

namespace symshape {

namespace detail {
SYMSHAPE_INLINE int wrap_dim(int d, int rank, const char* what = "dim") {
    int r = rank == 0 ? 1 : rank; // a zero-dim tensor accepts dim 0 / -1, as PyTorch does
    if (d < -r || d >= r)
        throw usage_error(std::string(what) + " " + std::to_string(d) + " is out of range for a tensor with " +
                          std::to_string(rank) + " dimension" + (rank == 1 ? "" : "s") + " (expected " +
                          std::to_string(-r) + " to " + std::to_string(r - 1) + ")");
    return d < 0 ? d + r : d;
}

/// The number of elements as a sym_int (symbolic when a size is).
SYMSHAPE_INLINE sym_int sym_numel(const shape_vec& s) {
    if (s.empty()) return 1;
    sym_int r = s[0]; // not 1 * s[0]: that would record a no-op multiplication
    for (int i = 1; i < s.size(); ++i) r = r * s[i];
    return r;
}
SYMSHAPE_INLINE std::int64_t numel_of(const shape_vec& s) noexcept {
    std::int64_t n = 1;
    for (const sym_int& x : s) n *= x.unsafe_hint();
    return n;
}

/// Row-major strides for `sizes`.
SYMSHAPE_INLINE void contiguous_strides(const shape_vec& sizes, std::array<std::int64_t, max_dims>& st) noexcept {
    std::int64_t acc = 1;
    for (int i = sizes.size() - 1; i >= 0; --i) {
        st[i] = acc;
        acc *= std::max<std::int64_t>(sizes[i].unsafe_hint(), 1);
    }
}

/// A fresh contiguous tensor with uninitialised data. Sizes must already be checked (>= 0, no overflow).
SYMSHAPE_INLINE tensor make_tensor(symshape::dtype t, const shape_vec& sizes) {
    tensor r;
    detail::tensor_impl& m = r.impl();
    m.dt = t;
    m.sizes = sizes;
    contiguous_strides(sizes, m.strides);
    m.st = std::make_shared<storage>(static_cast<std::size_t>(numel_of(sizes)) * element_size(t));
    return r;
}
} // namespace detail

SYMSHAPE_INLINE sym_int tensor::size(int d) const {
    const int k = detail::wrap_dim(d, dim());
    const sym_int& r = impl_.sizes[k];
    if (!r.is_constant() && detail::active_sym_hook && !detail::current_op) [[unlikely]]
        detail::active_sym_hook->record_size(detail::active_sym_hook->self, *this, k, r);
    return r;
}
SYMSHAPE_INLINE std::int64_t tensor::stride(int d) const { return impl_.strides[detail::wrap_dim(d, dim())]; }
SYMSHAPE_INLINE sym_int tensor::sym_numel() const { return detail::sym_numel(impl_.sizes); }
SYMSHAPE_INLINE std::int64_t tensor::numel() const {
    if (detail::active_shape_env && !detail::current_op) [[unlikely]]
        return detail::sym_numel(impl_.sizes).value();
    return detail::numel_of(impl_.sizes);
}
SYMSHAPE_INLINE bool tensor::is_contiguous() const noexcept {
    std::int64_t acc = 1;
    for (int i = dim() - 1; i >= 0; --i) {
        std::int64_t s = impl_.sizes[i].unsafe_hint();
        if (s == 0) return true;
        if (s != 1 && impl_.strides[i] != acc) return false;
        acc *= s;
    }
    return true;
}
} // namespace symshape
