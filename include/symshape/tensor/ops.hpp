// symshape/tensor/ops.hpp — the public tensor ops: creation, views, elementwise math with
// broadcasting and promotion, reductions, matmul/linear, softmax, cat/stack, casts, in-place ops,
// C++ operators, and tensors made from C++ data. Each op builds a `call` and goes through `apply`.
#pragma once

#include "symshape/config.hpp"

#include <initializer_list>
#include <span>
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
    return from_data<T>(std::span<const T>(data), shape_vec{static_cast<std::int64_t>(data.size())});
}
/// A 1-d tensor of the listed values.
template <class T> tensor from_data(std::initializer_list<T> data) {
    return from_data<T>(std::span<const T>(data.begin(), data.size()), shape_vec{static_cast<std::int64_t>(data.size())});
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
