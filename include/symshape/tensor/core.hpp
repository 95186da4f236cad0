// symshape/tensor/core.hpp — the tensor handle: shared storage plus dtype, sizes (sym_int),
// strides and offset, so views are free; shape_vec (inline, no heap) and scalar (a number operand).
// The ops themselves are declared here as members and defined in tensor/ops.hpp.
#pragma once

#include "symshape/config.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <ostream>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "symshape/error.hpp"
#include "symshape/tensor/dtype.hpp"
#include "symshape/tensor/sym_int.hpp"

namespace symshape {

/// Most dimensions a tensor may have.
inline constexpr int max_dims = 8;

/// A small inline vector of sizes (no heap), at most max_dims long.
template <class T>
class small_vec {
public:
    small_vec() = default;
    small_vec(std::initializer_list<T> xs) {
        for (const T& x : xs) push_back(x);
    }
    /// Precondition: n <= max_dims (throws usage_error).
    explicit small_vec(int n, const T& fill = T()) {
        check_rank(n);
        n_ = n;
        for (int i = 0; i < n; ++i) v_[i] = fill;
    }
    template <class It>
    small_vec(It first, It last) {
        for (; first != last; ++first) push_back(*first);
    }
    int size() const noexcept { return n_; }
    bool empty() const noexcept { return n_ == 0; }
    T& operator[](int i) noexcept { return v_[i]; }
    const T& operator[](int i) const noexcept { return v_[i]; }
    T* begin() noexcept { return v_.data(); }
    T* end() noexcept { return v_.data() + n_; }
    const T* begin() const noexcept { return v_.data(); }
    const T* end() const noexcept { return v_.data() + n_; }
    const T* data() const noexcept { return v_.data(); }
    T& back() noexcept { return v_[n_ - 1]; }
    void push_back(const T& x) {
        check_rank(n_ + 1);
        v_[n_++] = x;
    }
    void insert(int at, const T& x) {
        check_rank(n_ + 1);
        for (int i = n_; i > at; --i) v_[i] = v_[i - 1];
        v_[at] = x;
        ++n_;
    }
    void erase(int at) noexcept {
        for (int i = at; i + 1 < n_; ++i) v_[i] = v_[i + 1];
        --n_;
    }
    void resize(int n) {
        check_rank(n);
        n_ = n;
    }

private:
    static void check_rank(int n) {
        if (n > max_dims)
            throw usage_error("tensors have at most " + std::to_string(max_dims) + " dimensions, got " +
                              std::to_string(n));
    }
    std::array<T, max_dims> v_{};
    int n_ = 0;
};

/// The sizes of a tensor.
using shape_vec = small_vec<sym_int>;

/// Text of a shape as in graphs and errors: `[3, 2]`.
inline std::string to_string(const shape_vec& s) {
    std::string r = "[";
    for (int i = 0; i < s.size(); ++i) {
        if (i) r += ", ";
        r += to_string(s[i]);
    }
    return r + "]";
}

/// A number used as an operand (`x * 2`, `x + 0.5`): keeps whether it was written as an integer,
/// a float or a bool, which decides type promotion and how graphs print it.
struct scalar {
    enum class kind : std::uint8_t { integer, real, boolean };
    kind k = kind::integer;
    std::int64_t i = 0;
    double d = 0;
    const detail::node<std::int64_t>* e = nullptr; ///< expression of a symbolic integer, or nullptr

    scalar() = default;
    template <class I>
        requires(std::is_integral_v<I> && !std::is_same_v<I, bool>)
    scalar(I v) noexcept // NOLINT: implicit so `x * 2` reads naturally
        : k(kind::integer), i(static_cast<std::int64_t>(v)), d(static_cast<double>(v)) {}
    /// A symbolic integer keeps its expression: an op given it records it symbolically
    /// (`mul(x, sym_size_int)`), and re-runs evaluate it.
    scalar(sym_int v) noexcept // NOLINT
        : k(kind::integer), i(v.unsafe_hint()), d(static_cast<double>(v.unsafe_hint())), e(v.node()) {}
    scalar(double v) noexcept : k(kind::real), i(static_cast<std::int64_t>(v)), d(v) {}    // NOLINT
    scalar(float v) noexcept : scalar(static_cast<double>(v)) {}                           // NOLINT
    scalar(bool v) noexcept : k(kind::boolean), i(v), d(v) {}                              // NOLINT

    bool is_real() const noexcept { return k == kind::real; }
    /// The integer as a sym_int (symbolic when it came from a symbolic size or an item() during export).
    sym_int to_sym_int() const { return e ? sym_int(i, expr(e)) : sym_int(as<std::int64_t>()); }
    /// The value converted to T. A symbolic integer read by user code during export is
    /// specialised (a guard, or data_dependent_error for a value read from a tensor); inside an
    /// op it is the example value. Use to_sym_int() to keep it symbolic.
    template <class T> T as() const {
        if (e && detail::active_shape_env && !detail::current_op) [[unlikely]]
            return static_cast<T>(to_sym_int().value());
        if constexpr (std::is_same_v<T, bool>) return k == kind::real ? d != 0 : i != 0;
        else if constexpr (std::is_floating_point_v<T>) return static_cast<T>(k == kind::real ? d : static_cast<double>(i));
        else return k == kind::real ? static_cast<T>(d) : static_cast<T>(i);
    }
    /// The dtype a tensor made of this number gets (i64, f32 or b8, as torch.tensor does).
    dtype default_dtype() const noexcept {
        return k == kind::real ? dtype::f32 : k == kind::boolean ? dtype::b8 : dtype::i64;
    }
};

/// A `start:end:step` slice of one dimension; `end` defaults to the end of the dimension.
struct slice_spec {
    sym_int start = 0;
    sym_int end = end_of_dim;
    sym_int step = 1;
};
/// `[:end]`
inline slice_spec upto(sym_int end) { return {0, end, 1}; }
/// `[start:]`
inline slice_spec from(sym_int start) { return {start, end_of_dim, 1}; }
/// `[:]`, the whole dimension.
inline constexpr slice_spec all{};

namespace detail {

/// Bytes of tensor storage alive in the process, and the most alive at once (tensor_memory()).
inline std::atomic<std::size_t> live_storage_bytes{0};
inline std::atomic<std::size_t> peak_storage_bytes{0};

/// Raw bytes of a tensor, 64-byte aligned, shared by all views of it.
struct storage {
    void* data = nullptr;
    std::size_t nbytes = 0;
    explicit storage(std::size_t n) : nbytes(n) {
        std::size_t rounded = (n + 63) / 64 * 64;
        data = std::aligned_alloc(64, rounded == 0 ? 64 : rounded);
        if (!data) throw std::bad_alloc();
        const std::size_t now = live_storage_bytes.fetch_add(n, std::memory_order_relaxed) + n;
        std::size_t peak = peak_storage_bytes.load(std::memory_order_relaxed);
        while (now > peak && !peak_storage_bytes.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
        }
    }
    storage(const storage&) = delete;
    storage& operator=(const storage&) = delete;
    ~storage() {
        live_storage_bytes.fetch_sub(nbytes, std::memory_order_relaxed);
        std::free(data);
    }
};

/// Where a tensor lives in the active trace: the trace's id and the graph value it is.
/// Opaque to the tensor layer; written only by the recorder.
struct trace_tag {
    std::uint32_t trace = 0;
    std::int32_t value = -1;
};

/// Everything a tensor handle holds.
struct tensor_impl {
    std::shared_ptr<storage> st;
    std::int64_t offset = 0;                 // in elements
    shape_vec sizes;
    std::array<std::int64_t, max_dims> strides{}; // in elements, concrete
    dtype dt = dtype::f32;
    trace_tag tag;
};

} // namespace detail

/// Tensor storage in bytes: alive now in the process, and the most alive at once since the start
/// or the last reset_peak_tensor_memory() (like torch.cuda.max_memory_allocated, for the CPU).
struct tensor_memory_stats {
    std::size_t live_bytes = 0;
    std::size_t peak_bytes = 0;
};
/// The current tensor_memory_stats.
inline tensor_memory_stats tensor_memory() noexcept {
    return {detail::live_storage_bytes.load(std::memory_order_relaxed), detail::peak_storage_bytes.load(std::memory_order_relaxed)};
}
/// Starts a new peak at the bytes alive now.
inline void reset_peak_tensor_memory() noexcept {
    detail::peak_storage_bytes.store(detail::live_storage_bytes.load(std::memory_order_relaxed), std::memory_order_relaxed);
}

/// A strided view of shared storage. Copying a tensor copies the handle, not the data.
/// Ops run eagerly on the data and, while a trace is active, append a node to the graph.
class tensor {
public:
    /// An undefined tensor (no storage).
    tensor() = default;

    /// True when the tensor has storage.
    bool defined() const noexcept { return static_cast<bool>(impl_.st); }
    /// Element type.
    symshape::dtype dtype() const noexcept { return impl_.dt; }
    /// Number of dimensions.
    int dim() const noexcept { return impl_.sizes.size(); }
    /// All sizes.
    const shape_vec& sizes() const noexcept { return impl_.sizes; }
    /// Size of dimension `d` (negative counts from the end). Throws usage_error for a bad dim.
    sym_int size(int d) const;
    /// Stride of dimension `d` in elements. Throws usage_error for a bad dim.
    std::int64_t stride(int d) const;
    /// Offset of the first element in the storage, in elements.
    std::int64_t storage_offset() const noexcept { return impl_.offset; }
    /// Number of elements. During export, user code reading numel() of a symbolic shape specialises it (a guard, or
    /// data_dependent_error); use sym_numel() to keep it symbolic.
    std::int64_t numel() const;
    /// The number of elements as a sym_int (symbolic during export when a size is).
    sym_int sym_numel() const;
    /// True when the elements are laid out row-major without gaps.
    bool is_contiguous() const noexcept;
    /// Pointer to the first element. Precondition: T matches dtype() (throws usage_error).
    template <class T> T* data_ptr() const;
    /// True when both handles view the same storage.
    bool shares_storage(const tensor& o) const noexcept { return impl_.st == o.impl_.st; }

    // -- views --
    /// `x[start:end:step]` along `dim`, ends clamped as in Python. aten.slice.Tensor.
    tensor slice(int dim, sym_int start = 0, sym_int end = end_of_dim, sym_int step = 1) const;
    /// The sub-tensor at `index` along `dim` (one fewer dim). aten.select.int.
    tensor select(int dim, sym_int index) const;
    /// Same data with new sizes (one may be -1). Needs a contiguous tensor. aten.view.default.
    tensor view(shape_vec sizes) const;
    /// Like view, copying when the layout does not allow a view. aten.reshape.default.
    tensor reshape(shape_vec sizes) const;
    /// Reorder dims. aten.permute.default.
    tensor permute(small_vec<int> dims) const;
    /// Swap two dims. aten.transpose.int.
    tensor transpose(int d0, int d1) const;
    /// Broadcast size-1 dims (and new leading dims) to `sizes`; -1 keeps a size. aten.expand.default.
    tensor expand(shape_vec sizes) const;
    /// Drop every size-1 dim. aten.squeeze.default.
    tensor squeeze() const;
    /// Drop dim `d` if its size is 1. aten.squeeze.dim.
    tensor squeeze(int d) const;
    /// Insert a size-1 dim at `d`. aten.unsqueeze.default.
    tensor unsqueeze(int d) const;
    /// Merge dims start..end into one. aten.flatten.using_ints.
    tensor flatten(int start = 0, int end = -1) const;
    /// `x[s]`: slice dim 0.
    tensor operator[](const slice_spec& s) const;
    /// `x[i]`: select index i of dim 0.
    tensor operator[](std::int64_t i) const;
    /// `x[s0, s1, ...]`: one slice per leading dim; whole-dim slices record nothing.
    tensor index(std::initializer_list<slice_spec> specs) const;
    /// `x[idx]` for an integer tensor idx: rows of dim 0 (negative indices count from the end);
    /// shape idx.shape + shape[1:]. aten.index.Tensor.
    tensor index(const tensor& idx) const;
    /// `x[idx]` for an integer tensor idx (see index).
    tensor operator[](const tensor& idx) const { return index(idx); }
    /// Tiles the tensor `repeats[i]` times along dim i (leading entries add dims). aten.repeat.default.
    tensor repeat(shape_vec repeats) const;

    // -- copies --
    /// A contiguous copy. aten.clone.default.
    tensor clone() const;
    /// This tensor if contiguous, else a contiguous copy. aten.contiguous.default.
    tensor contiguous() const;
    /// Convert to another dtype (a copy). aten.to.dtype.
    tensor to(symshape::dtype t) const;

    // -- math (the free functions of the same names in tensor/ops.hpp) --
    /// -x. aten.neg.default.
    tensor neg() const;
    /// |x|. aten.abs.default.
    tensor abs() const;
    /// sin x. aten.sin.default.
    tensor sin() const;
    /// cos x. aten.cos.default.
    tensor cos() const;
    /// e^x. aten.exp.default.
    tensor exp() const;
    /// Natural log. aten.log.default.
    tensor log() const;
    /// Square root. aten.sqrt.default.
    tensor sqrt() const;
    /// max(x, 0). aten.relu.default.
    tensor relu() const;
    /// 1 / (1 + e^-x). aten.sigmoid.default.
    tensor sigmoid() const;
    /// tanh x. aten.tanh.default.
    tensor tanh() const;
    /// Sum over `dims` (all dims when empty). aten.sum.dim_IntList / aten.sum.default.
    tensor sum(small_vec<int> dims = {}, bool keepdim = false) const;
    /// Mean over `dims` (all when empty); floating dtypes only. aten.mean.dim / aten.mean.default.
    tensor mean(small_vec<int> dims = {}, bool keepdim = false) const;
    /// Largest value over `dims` (all when empty). aten.amax.default.
    tensor max(small_vec<int> dims = {}, bool keepdim = false) const;
    /// Smallest value over `dims` (all when empty). aten.amin.default.
    tensor min(small_vec<int> dims = {}, bool keepdim = false) const;
    /// Product over one dim. aten.prod.dim_int.
    tensor prod(int dim, bool keepdim = false) const;
    /// Index of the largest value along `dim`. aten.argmax.default.
    tensor argmax(int dim, bool keepdim = false) const;
    /// Softmax along `dim`. aten.softmax.int.
    tensor softmax(int dim) const;
    /// Log-softmax along `dim`. aten.log_softmax.int.
    tensor log_softmax(int dim) const;
    /// Matrix product with broadcasting batch dims. aten.matmul.default.
    tensor matmul(const tensor& o) const;

    // -- in place (the handle becomes the op's result in a trace) --
    /// `x += o` (o broadcast into x's shape; shape_error otherwise). aten.add_.Tensor.
    tensor& add_(const tensor& o);
    /// `x += number`. aten.add_.Tensor.
    tensor& add_(scalar o);
    /// `x -= o`. aten.sub_.Tensor.
    tensor& sub_(const tensor& o);
    /// `x -= number`. aten.sub_.Tensor.
    tensor& sub_(scalar o);
    /// `x *= o`. aten.mul_.Tensor.
    tensor& mul_(const tensor& o);
    /// `x *= number`. aten.mul_.Tensor.
    tensor& mul_(scalar o);
    /// `x /= o`; usage_error when the result type does not fit x (an integer x). aten.div_.Tensor.
    tensor& div_(const tensor& o);
    /// `x /= number`. aten.div_.Tensor.
    tensor& div_(scalar o);

    /// Indices of the non-zero elements, i64[n, dim()]. aten.nonzero.default. During export n is
    /// a fresh unbacked size (u0, u1, ...) with range [0, numel()]: it depends on the data.
    tensor nonzero() const;

    /// The single element as a number. aten.item.default. Throws usage_error unless numel() == 1.
    /// During export, an integer read this way is an unbacked symbol (`u0`, recorded as
    /// `item: Sym(u0) = torch.ops.aten.item.default(x)`): decisions on it need check() /
    /// constrain_as_*; reading a floating-point or bool number throws data_dependent_error.
    scalar item() const;
    /// The single element as an integer (truncating floats).
    sym_int item_int() const { return item().to_sym_int(); }
    /// The single element as a double.
    double item_double() const {
        scalar s = item();
        return s.e ? static_cast<double>(s.to_sym_int().value()) : s.as<double>();
    }

    /// Internal: the handle's fields (for kernels and the recorder).
    const detail::tensor_impl& impl() const noexcept { return impl_; }
    /// Internal: the handle's fields (for kernels and the recorder).
    detail::tensor_impl& impl() noexcept { return impl_; }

private:
    detail::tensor_impl impl_;
};

namespace detail {
/// Number of elements of a shape (from the sizes' hints).
std::int64_t numel_of(const shape_vec& s) noexcept;
/// A fresh contiguous tensor of dtype `t` and `sizes`, uninitialised.
tensor make_tensor(symshape::dtype t, const shape_vec& sizes);
} // namespace detail

// ---- templates (visible in both compile modes) ----

template <class T> T* tensor::data_ptr() const {
    if (!defined()) throw usage_error("data_ptr() of an undefined tensor");
    if (dtype_of<std::remove_const_t<T>>() != impl_.dt)
        throw usage_error(std::string("data_ptr<") + short_name(dtype_of<std::remove_const_t<T>>()) +
                          ">() of a tensor of dtype " + short_name(impl_.dt));
    return static_cast<T*>(impl_.st->data) + impl_.offset;
}

} // namespace symshape

#if SYMSHAPE_HEADER_ONLY
#include "symshape/tensor/impl/core.hpp"
#endif
