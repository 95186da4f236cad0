// symshape/tensor/ops.hpp — the public tensor ops: creation, views, elementwise math with
// broadcasting and promotion, reductions, matmul/linear, softmax, cat/stack, casts, in-place ops,
// C++ operators, and tensors made from C++ data. Each op builds a `call` and goes through `apply`.
#pragma once

#include "symshape/config.hpp"

#include <initializer_list>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "symshape/tensor/op_table.hpp"

namespace symshape {

// ---- creation (recorded as graph nodes while tracing) ----

/// A tensor of zeros. aten.zeros.default. Throws usage_error for a negative size.
tensor zeros(const shape_vec& sizes, dtype t = dtype::f32);
/// A tensor of ones. aten.ones.default.
tensor ones(const shape_vec& sizes, dtype t = dtype::f32);
/// A tensor with uninitialised elements. aten.empty.memory_format.
tensor empty(const shape_vec& sizes, dtype t = dtype::f32);
/// A tensor filled with `value`; dtype from the value (f32 for reals, i64 for integers, b8 for bools).
tensor full(const shape_vec& sizes, scalar value);
/// A tensor filled with `value` converted to `t`. aten.full.default.
tensor full(const shape_vec& sizes, scalar value, dtype t);
/// `start, start + step, ...` below `end`; i64 when all three are integers, else f32. aten.arange.start_step.
tensor arange(scalar start, scalar end, scalar step = 1);
/// `0, 1, ..., end - 1`.
tensor arange(scalar end);
/// Standard normal samples from a seeded generator (same seed, same tensor). aten.randn.default.
tensor randn(const shape_vec& sizes, std::uint64_t seed = 0, dtype t = dtype::f32);
/// Uniform samples in [0, 1) from a seeded generator. aten.rand.default.
tensor rand(const shape_vec& sizes, std::uint64_t seed = 0, dtype t = dtype::f32);

// ---- tensors from C++ data (constants: never recorded; lifted into a trace if used) ----

/// A tensor holding a copy of `data` with shape `sizes`. Throws shape_error when the counts differ.
template <class T> tensor from_data(std::span<const T> data, const shape_vec& sizes);
/// A 1-d tensor holding a copy of `data`.
template <class T> tensor from_data(const std::vector<T>& data) {
    return from_data<T>(std::span<const T>(data), shape_vec{sym_int(static_cast<std::int64_t>(data.size()))});
}
/// A 1-d tensor of the listed values.
template <class T> tensor from_data(std::initializer_list<T> data) {
    return from_data<T>(std::span<const T>(data.begin(), data.size()), shape_vec{sym_int(static_cast<std::int64_t>(data.size()))});
}
/// A zero-dim tensor (`torch.tensor(4)` is i64[], `torch.tensor(3.14)` is f32[]).
tensor scalar_tensor(scalar v);
/// A zero-dim tensor of dtype `t`.
tensor scalar_tensor(scalar v, dtype t);

// ---- elementwise (free-function forms; members on tensor too) ----

// Unary ops keep the shape; those marked "float" turn integer inputs into f32 as PyTorch does.
/// -x. aten.neg.default.
tensor neg(const tensor& x);
/// |x|. aten.abs.default.
tensor abs(const tensor& x);
/// sin x (float). aten.sin.default.
tensor sin(const tensor& x);
/// cos x (float). aten.cos.default.
tensor cos(const tensor& x);
/// e^x (float; f32 uses a 4-wide polynomial within about 1 ulp). aten.exp.default.
tensor exp(const tensor& x);
/// Natural log (float). aten.log.default.
tensor log(const tensor& x);
/// Square root (float). aten.sqrt.default.
tensor sqrt(const tensor& x);
/// max(x, 0), NaN kept. aten.relu.default.
tensor relu(const tensor& x);
/// 1 / (1 + e^-x) (float). aten.sigmoid.default.
tensor sigmoid(const tensor& x);
/// tanh x (float). aten.tanh.default.
tensor tanh(const tensor& x);

// Binary ops broadcast (sizes equal or 1; shape_error showing both shapes otherwise) and promote
// dtypes as PyTorch does (a number operand never widens a tensor within its category).
/// a + b. aten.add.Tensor.
tensor add(const tensor& a, const tensor& b);
/// a + number. aten.add.Tensor.
tensor add(const tensor& a, scalar b);
/// a - b. aten.sub.Tensor.
tensor sub(const tensor& a, const tensor& b);
/// a - number. aten.sub.Tensor.
tensor sub(const tensor& a, scalar b);
/// a * b. aten.mul.Tensor.
tensor mul(const tensor& a, const tensor& b);
/// a * number. aten.mul.Tensor.
tensor mul(const tensor& a, scalar b);
/// True division a / b: integer operands give f32. aten.div.Tensor.
tensor div(const tensor& a, const tensor& b);
/// a / number (true division). aten.div.Tensor.
tensor div(const tensor& a, scalar b);
/// a ** b elementwise. aten.pow.Tensor_Tensor.
tensor pow(const tensor& a, const tensor& b);
/// a ** number. aten.pow.Tensor_Scalar.
tensor pow(const tensor& a, scalar b);
/// Elementwise larger value. aten.maximum.default.
tensor maximum(const tensor& a, const tensor& b);
/// Elementwise smaller value. aten.minimum.default.
tensor minimum(const tensor& a, const tensor& b);
// Comparisons give b8 tensors: aten.<op>.Tensor, or aten.<op>.Scalar against a number.
/// a == b.
tensor eq(const tensor& a, const tensor& b);
/// a == number.
tensor eq(const tensor& a, scalar b);
/// a != b.
tensor ne(const tensor& a, const tensor& b);
/// a != number.
tensor ne(const tensor& a, scalar b);
/// a < b.
tensor lt(const tensor& a, const tensor& b);
/// a < number.
tensor lt(const tensor& a, scalar b);
/// a <= b.
tensor le(const tensor& a, const tensor& b);
/// a <= number.
tensor le(const tensor& a, scalar b);
/// a > b.
tensor gt(const tensor& a, const tensor& b);
/// a > number.
tensor gt(const tensor& a, scalar b);
/// a >= b.
tensor ge(const tensor& a, const tensor& b);
/// a >= number.
tensor ge(const tensor& a, scalar b);
/// `cond ? a : b` elementwise, all three broadcast. Throws usage_error unless cond is b8.
tensor where(const tensor& cond, const tensor& a, const tensor& b);

/// Matrix product (1-d operands are vectors; batch dims broadcast). Throws shape_error on inner-dim mismatch.
tensor matmul(const tensor& a, const tensor& b);
/// `x @ w^T + b` with w [out, in] and b [out]. aten.linear.default.
tensor linear(const tensor& x, const tensor& w);
tensor linear(const tensor& x, const tensor& w, const tensor& b);
/// Softmax along `dim`. aten.softmax.int.
tensor softmax(const tensor& x, int dim);
/// Log-softmax along `dim`. aten.log_softmax.int.
tensor log_softmax(const tensor& x, int dim);
/// Concatenate along `dim`; sizes must match elsewhere (shape_error). aten.cat.default.
tensor cat(const std::vector<tensor>& xs, int dim = 0);
/// Stack equal-shaped tensors along a new dim. aten.stack.default.
tensor stack(const std::vector<tensor>& xs, int dim = 0);

// ---- activations, clamping, masking ----

/// 1 / sqrt(x) (float). aten.rsqrt.default.
tensor rsqrt(const tensor& x);
/// The error function (float). aten.erf.default.
tensor erf(const tensor& x);
/// x * Phi(x): approximate "none" (erf form) or "tanh". aten.gelu.default. Throws usage_error for
/// another string.
tensor gelu(const tensor& x, std::string_view approximate = "none");
/// x * sigmoid(x) (float). aten.silu.default.
tensor silu(const tensor& x);
/// Each element limited to [min, max]; either bound may be absent, not both (usage_error). A
/// real bound makes an integer tensor f32. NaN stays NaN. aten.clamp.default.
tensor clamp(const tensor& x, std::optional<scalar> min, std::optional<scalar> max);
/// `value` where `mask` (b8) is true, x elsewhere; x and mask broadcast. aten.masked_fill.Scalar.
tensor masked_fill(const tensor& x, const tensor& mask, scalar value);
/// The lower triangle of the last two dims (j - i <= diagonal), zeros above. aten.tril.default.
tensor tril(const tensor& x, std::int64_t diagonal = 0);
/// The upper triangle of the last two dims (j - i >= diagonal), zeros below. aten.triu.default.
tensor triu(const tensor& x, std::int64_t diagonal = 0);

// ---- statistics and normalisation ----

/// Variance over `dims` (all when empty), dividing by max(0, n - correction) (floating input).
/// aten.var.correction.
tensor var(const tensor& x, small_vec<int> dims = {}, double correction = 1, bool keepdim = false);
/// Standard deviation: sqrt of var. aten.std.correction.
tensor std(const tensor& x, small_vec<int> dims = {}, double correction = 1, bool keepdim = false);
/// Running sum along `dim`; integer and bool inputs give i64. aten.cumsum.default.
tensor cumsum(const tensor& x, int dim);
/// Layer normalisation over the trailing dims `normalized_shape` (biased variance), then times
/// `weight` plus `bias` when given. aten.layer_norm.default (not native_layer_norm: one result).
tensor layer_norm(const tensor& x, const shape_vec& normalized_shape, const tensor& weight = {}, const tensor& bias = {},
                  double eps = 1e-5);
/// x / sqrt(mean(x^2) + eps) over `normalized_shape`, times `weight` when given; eps defaults to
/// the dtype's machine epsilon, as in PyTorch. aten.rms_norm.default.
tensor rms_norm(const tensor& x, const shape_vec& normalized_shape, const tensor& weight = {},
                std::optional<double> eps = std::nullopt);

// ---- indexing ----

/// Rows of `weight` [rows, dim] picked by the integer `indices`: shape indices.shape + [dim].
/// An index outside [0, rows) throws usage_error naming it. aten.embedding.default.
tensor embedding(const tensor& weight, const tensor& indices);
/// The slices of x along `dim` at the 1-d integer `index`. aten.index_select.default.
tensor index_select(const tensor& x, int dim, const tensor& index);
/// out[i][j] = x[index[i][j]][j] (for dim 0; likewise for others); out has index's shape, which
/// may not exceed x's outside `dim` (shape_error). aten.gather.default.
tensor gather(const tensor& x, int dim, const tensor& index);
/// The elements of x where the b8 `mask` is true, as a 1-d tensor (x and mask broadcast). Its size
/// depends on the data: during export a fresh unbacked size. aten.masked_select.default.
tensor masked_select(const tensor& x, const tensor& mask);
/// The `k` largest (or smallest) values along `dim`, sorted, and their indices.
struct topk_result {
    tensor values;
    tensor indices;
};
/// aten.topk.default: one node and two getitems. k larger than the dim is a shape_error (for a
/// symbolic size, a shape question).
topk_result topk(const tensor& x, sym_int k, int dim = -1, bool largest = true);

// ---- splitting, padding, repetition, reversal ----

/// Pieces of `split_size` along `dim` (views); the last holds the rest. For a symbolic size the
/// number of pieces is decided once (a guard). aten.split.Tensor with getitems.
std::vector<tensor> split(const tensor& x, sym_int split_size, int dim = 0);
/// Pieces of the listed sizes, which must add up to the dim's size. aten.split_with_sizes.default.
std::vector<tensor> split_with_sizes(const tensor& x, const shape_vec& sizes, int dim = 0);
/// `chunks` pieces of ceil(size / chunks) (fewer when the size runs out), as torch.chunk; recorded
/// as aten.split.Tensor with that split size.
std::vector<tensor> chunk(const tensor& x, std::int64_t chunks, int dim = 0);
/// Pads with `value`: pads = (before, after) pairs starting from the last dim, as F.pad's
/// constant mode; negative pads crop. aten.constant_pad_nd.default.
tensor pad(const tensor& x, const shape_vec& pads, scalar value = 0.0);
/// A copy with the listed dims reversed. aten.flip.default.
tensor flip(const tensor& x, small_vec<int> dims);

// ---- convolution, pooling, attention ----

/// A pair of window parameters (height, width); one number means both.
struct size2 {
    std::int64_t h = 0, w = 0;
    size2(std::int64_t v) noexcept : h(v), w(v) {} // NOLINT: implicit, as conv2d(x, w, {}, 2)
    size2(std::int64_t h_, std::int64_t w_) noexcept : h(h_), w(w_) {}
};
/// 2-d convolution of x [N, C, H, W] with weight [O, C/groups, kH, kW] (+ bias [O]); output
/// sizes (H + 2p - d*(k - 1) - 1) // s + 1, symbolic for symbolic H, W. aten.conv2d.default.
tensor conv2d(const tensor& x, const tensor& weight, const tensor& bias = {}, size2 stride = 1, size2 padding = 0,
              size2 dilation = 1, std::int64_t groups = 1);
/// Max over windows of the last two dims (x 3-d or 4-d); stride defaults to the kernel size;
/// padding at most half the kernel. aten.max_pool2d.default.
tensor max_pool2d(const tensor& x, size2 kernel, std::optional<size2> stride = std::nullopt, size2 padding = 0,
                  size2 dilation = 1);
/// Mean over windows (padding counted, as count_include_pad=True). aten.avg_pool2d.default.
tensor avg_pool2d(const tensor& x, size2 kernel, std::optional<size2> stride = std::nullopt, size2 padding = 0);
/// softmax(q k^T * scale + mask) v for q [..., L, E], k [..., S, E], v [..., S, Ev]: a b8 mask
/// (false hides a key) or an additive float mask broadcast to [..., L, S], or `is_causal` (query
/// i sees keys j <= i); scale defaults to 1/sqrt(E). One node:
/// aten.scaled_dot_product_attention.default.
tensor scaled_dot_product_attention(const tensor& q, const tensor& k, const tensor& v, const tensor& attn_mask = {},
                                    bool is_causal = false, std::optional<double> scale = std::nullopt);

// ---- operators ----

inline tensor operator+(const tensor& a, const tensor& b) { return add(a, b); }
inline tensor operator+(const tensor& a, scalar b) { return add(a, b); }
inline tensor operator+(scalar a, const tensor& b) { return add(b, a); }
inline tensor operator-(const tensor& a, const tensor& b) { return sub(a, b); }
inline tensor operator-(const tensor& a, scalar b) { return sub(a, b); }
/// `s - x`, recorded as `neg` then `add`.
inline tensor operator-(scalar a, const tensor& b) { return add(neg(b), a); }
inline tensor operator*(const tensor& a, const tensor& b) { return mul(a, b); }
inline tensor operator*(const tensor& a, scalar b) { return mul(a, b); }
inline tensor operator*(scalar a, const tensor& b) { return mul(b, a); }
inline tensor operator/(const tensor& a, const tensor& b) { return div(a, b); }
inline tensor operator/(const tensor& a, scalar b) { return div(a, b); }
inline tensor operator-(const tensor& a) { return neg(a); }
inline tensor operator==(const tensor& a, const tensor& b) { return eq(a, b); }
inline tensor operator==(const tensor& a, scalar b) { return eq(a, b); }
inline tensor operator!=(const tensor& a, const tensor& b) { return ne(a, b); }
inline tensor operator!=(const tensor& a, scalar b) { return ne(a, b); }
inline tensor operator<(const tensor& a, const tensor& b) { return lt(a, b); }
inline tensor operator<(const tensor& a, scalar b) { return lt(a, b); }
inline tensor operator<=(const tensor& a, const tensor& b) { return le(a, b); }
inline tensor operator<=(const tensor& a, scalar b) { return le(a, b); }
inline tensor operator>(const tensor& a, const tensor& b) { return gt(a, b); }
inline tensor operator>(const tensor& a, scalar b) { return gt(a, b); }
inline tensor operator>=(const tensor& a, const tensor& b) { return ge(a, b); }
inline tensor operator>=(const tensor& a, scalar b) { return ge(a, b); }
inline tensor& operator+=(tensor& a, const tensor& b) { return a.add_(b); }
inline tensor& operator+=(tensor& a, scalar b) { return a.add_(b); }
inline tensor& operator-=(tensor& a, const tensor& b) { return a.sub_(b); }
inline tensor& operator-=(tensor& a, scalar b) { return a.sub_(b); }
inline tensor& operator*=(tensor& a, const tensor& b) { return a.mul_(b); }
inline tensor& operator*=(tensor& a, scalar b) { return a.mul_(b); }
inline tensor& operator/=(tensor& a, const tensor& b) { return a.div_(b); }
inline tensor& operator/=(tensor& a, scalar b) { return a.div_(b); }

/// Human-readable contents (`tensor([[1, 2], [3, 4]], dtype=i64)`), for debugging and examples.
std::ostream& operator<<(std::ostream& os, const tensor& x);

/// True when both tensors have the same dtype, sizes and elements (NaN equals NaN).
bool equal(const tensor& a, const tensor& b);
/// True when sizes match and every element pair satisfies |a - b| <= atol + rtol * |b| (compared in f64).
bool allclose(const tensor& a, const tensor& b, double rtol = 1e-5, double atol = 1e-8);

namespace detail {
/// True when the two tensors have the same sizes (compared by hint).
bool same_sizes(const tensor& a, const tensor& b);
} // namespace detail

// ---- templates (visible in both compile modes) ----

template <class T> tensor from_data(std::span<const T> data, const shape_vec& sizes) {
    for (const sym_int& s : sizes)
        if (s < 0) throw usage_error("from_data: negative size in " + to_string(sizes));
    if (static_cast<std::int64_t>(data.size()) != detail::numel_of(sizes))
        throw shape_error("from_data: " + std::to_string(data.size()) + " values do not fill shape " + to_string(sizes) +
                          "\n  the shape holds " + std::to_string(detail::numel_of(sizes)) + " elements");
    tensor r = detail::make_tensor(dtype_of<T>(), sizes);
    T* p = r.data_ptr<T>();
    for (std::size_t i = 0; i < data.size(); ++i) p[i] = data[i];
    return r;
}

} // namespace symshape

#if SYMSHAPE_HEADER_ONLY
#include "symshape/tensor/impl/ops.hpp"
#endif
