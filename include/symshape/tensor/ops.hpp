// symshape/tensor/ops.hpp — the public tensor ops: creation, views, elementwise math with
// broadcasting and promotion, reductions, matmul/linear, softmax, cat/stack, casts, in-place ops,
// C++ operators, and tensors made from C++ data. Each op builds a `call` and goes through `apply`.
#pragma once

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

// ---- implementation ----

namespace detail {
inline std::span<const sym_int> ints(const shape_vec& s) noexcept { return {s.data(), static_cast<std::size_t>(s.size())}; }
inline shape_vec dims_to_ints(const small_vec<int>& d) {
    shape_vec r;
    for (int x : d) r.push_back(x);
    return r;
}
inline tensor unary(op_kind k, const tensor& x) { return apply(call(k).tensor_arg(x)); }
inline tensor binary(op_kind k, const tensor& a, const tensor& b) { return apply(call(k).tensor_arg(a).tensor_arg(b)); }
inline tensor binary(op_kind k, const tensor& a, const scalar& b) { return apply(call(k, true).tensor_arg(a).number_arg(b)); }
inline tensor creation(op_kind k, const shape_vec& sizes, dtype t) {
    return apply(call(k).ints_arg(ints(sizes)).dtype_arg(t));
}
inline tensor random(op_kind k, const shape_vec& sizes, std::uint64_t seed, dtype t) {
    return apply(call(k).ints_arg(ints(sizes)).dtype_arg(t).int_arg(static_cast<std::int64_t>(seed)));
}
inline tensor reduce(op_kind k, const tensor& x, const small_vec<int>& dims, bool keepdim) {
    shape_vec d = dims_to_ints(dims);
    if (dims.empty() && !keepdim) return apply(call(k, true).tensor_arg(x));
    call c(k);
    c.tensor_arg(x).ints_arg(ints(d));
    if (keepdim) c.bool_arg(true);
    return apply(c);
}
inline tensor reduce_one(op_kind k, const tensor& x, int dim, bool keepdim) {
    call c(k);
    c.tensor_arg(x).int_arg(dim);
    if (keepdim) c.bool_arg(true);
    return apply(c);
}
} // namespace detail

inline tensor zeros(const shape_vec& sizes, dtype t) { return detail::creation(op_kind::zeros, sizes, t); }
inline tensor ones(const shape_vec& sizes, dtype t) { return detail::creation(op_kind::ones, sizes, t); }
inline tensor empty(const shape_vec& sizes, dtype t) { return detail::creation(op_kind::empty, sizes, t); }
inline tensor full(const shape_vec& sizes, scalar value) { return full(sizes, value, value.default_dtype()); }
inline tensor full(const shape_vec& sizes, scalar value, dtype t) {
    return apply(call(op_kind::full).ints_arg(detail::ints(sizes)).number_arg(value).dtype_arg(t));
}
inline tensor arange(scalar start, scalar end, scalar step) {
    dtype t = start.is_real() || end.is_real() || step.is_real() ? dtype::f32 : dtype::i64;
    return apply(call(op_kind::arange).number_arg(start).number_arg(end).number_arg(step).dtype_arg(t));
}
inline tensor arange(scalar end) { return arange(0, end, 1); }
inline tensor randn(const shape_vec& sizes, std::uint64_t seed, dtype t) { return detail::random(op_kind::randn, sizes, seed, t); }
inline tensor rand(const shape_vec& sizes, std::uint64_t seed, dtype t) { return detail::random(op_kind::rand, sizes, seed, t); }

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
inline tensor scalar_tensor(scalar v) { return scalar_tensor(v, v.default_dtype()); }
inline tensor scalar_tensor(scalar v, dtype t) {
    tensor r = detail::make_tensor(t, shape_vec{});
    detail::fill_value(r, v);
    return r;
}

inline tensor neg(const tensor& x) { return detail::unary(op_kind::neg, x); }
inline tensor abs(const tensor& x) { return detail::unary(op_kind::abs, x); }
inline tensor sin(const tensor& x) { return detail::unary(op_kind::sin, x); }
inline tensor cos(const tensor& x) { return detail::unary(op_kind::cos, x); }
inline tensor exp(const tensor& x) { return detail::unary(op_kind::exp, x); }
inline tensor log(const tensor& x) { return detail::unary(op_kind::log, x); }
inline tensor sqrt(const tensor& x) { return detail::unary(op_kind::sqrt, x); }
inline tensor relu(const tensor& x) { return detail::unary(op_kind::relu, x); }
inline tensor sigmoid(const tensor& x) { return detail::unary(op_kind::sigmoid, x); }
inline tensor tanh(const tensor& x) { return detail::unary(op_kind::tanh, x); }

#define SYMSHAPE_BINARY(name)                                                                              \
    inline tensor name(const tensor& a, const tensor& b) { return detail::binary(op_kind::name, a, b); } \
    inline tensor name(const tensor& a, scalar b) { return detail::binary(op_kind::name, a, b); }
SYMSHAPE_BINARY(add)
SYMSHAPE_BINARY(sub)
SYMSHAPE_BINARY(mul)
SYMSHAPE_BINARY(div)
SYMSHAPE_BINARY(pow)
SYMSHAPE_BINARY(eq)
SYMSHAPE_BINARY(ne)
SYMSHAPE_BINARY(lt)
SYMSHAPE_BINARY(le)
SYMSHAPE_BINARY(gt)
SYMSHAPE_BINARY(ge)
#undef SYMSHAPE_BINARY
inline tensor maximum(const tensor& a, const tensor& b) { return detail::binary(op_kind::maximum, a, b); }
inline tensor minimum(const tensor& a, const tensor& b) { return detail::binary(op_kind::minimum, a, b); }
inline tensor where(const tensor& cond, const tensor& a, const tensor& b) {
    return apply(call(op_kind::where).tensor_arg(cond).tensor_arg(a).tensor_arg(b));
}
inline tensor matmul(const tensor& a, const tensor& b) { return detail::binary(op_kind::matmul, a, b); }
inline tensor linear(const tensor& x, const tensor& w) { return detail::binary(op_kind::linear, x, w); }
inline tensor linear(const tensor& x, const tensor& w, const tensor& b) {
    return apply(call(op_kind::linear).tensor_arg(x).tensor_arg(w).tensor_arg(b));
}
inline tensor softmax(const tensor& x, int dim) { return apply(call(op_kind::softmax).tensor_arg(x).int_arg(dim)); }
inline tensor log_softmax(const tensor& x, int dim) { return apply(call(op_kind::log_softmax).tensor_arg(x).int_arg(dim)); }
inline tensor cat(const std::vector<tensor>& xs, int dim) {
    call c(op_kind::cat);
    c.tensors_arg(xs);
    if (dim != 0) c.int_arg(dim);
    return apply(c);
}
inline tensor stack(const std::vector<tensor>& xs, int dim) {
    call c(op_kind::stack);
    c.tensors_arg(xs);
    if (dim != 0) c.int_arg(dim);
    return apply(c);
}

// -- members --

inline tensor tensor::slice(int d, sym_int start, sym_int end, sym_int step) const {
    call c(op_kind::slice);
    c.tensor_arg(*this).int_arg(d).int_arg(start).int_arg(end);
    if (!(step.is_constant() && step.hint() == 1)) c.int_arg(step);
    return apply(c);
}
inline tensor tensor::select(int d, sym_int index) const {
    return apply(call(op_kind::select).tensor_arg(*this).int_arg(d).int_arg(index));
}
inline tensor tensor::view(shape_vec s) const { return apply(call(op_kind::view).tensor_arg(*this).ints_arg(detail::ints(s))); }
inline tensor tensor::reshape(shape_vec s) const { return apply(call(op_kind::reshape).tensor_arg(*this).ints_arg(detail::ints(s))); }
inline tensor tensor::permute(small_vec<int> dims) const {
    shape_vec d = detail::dims_to_ints(dims);
    return apply(call(op_kind::permute).tensor_arg(*this).ints_arg(detail::ints(d)));
}
inline tensor tensor::transpose(int d0, int d1) const {
    return apply(call(op_kind::transpose).tensor_arg(*this).int_arg(d0).int_arg(d1));
}
inline tensor tensor::expand(shape_vec s) const { return apply(call(op_kind::expand).tensor_arg(*this).ints_arg(detail::ints(s))); }
inline tensor tensor::squeeze() const { return apply(call(op_kind::squeeze, true).tensor_arg(*this)); }
inline tensor tensor::squeeze(int d) const { return apply(call(op_kind::squeeze).tensor_arg(*this).int_arg(d)); }
inline tensor tensor::unsqueeze(int d) const { return apply(call(op_kind::unsqueeze).tensor_arg(*this).int_arg(d)); }
inline tensor tensor::flatten(int start, int end) const {
    return apply(call(op_kind::flatten).tensor_arg(*this).int_arg(start).int_arg(end));
}
inline tensor tensor::operator[](const slice_spec& s) const { return slice(0, s.start, s.end, s.step); }
inline tensor tensor::operator[](std::int64_t i) const { return select(0, i); }
inline tensor tensor::index(std::initializer_list<slice_spec> specs) const {
    if (static_cast<int>(specs.size()) > dim())
        throw usage_error("index: " + std::to_string(specs.size()) + " slices for a tensor with " + std::to_string(dim()) +
                          " dimensions");
    tensor r = *this;
    int d = 0;
    for (const slice_spec& s : specs) {
        bool whole = s.start.is_constant() && s.start.hint() == 0 && s.end.is_constant() && s.end.hint() == end_of_dim &&
                     s.step.is_constant() && s.step.hint() == 1;
        if (!whole) r = r.slice(d, s.start, s.end, s.step);
        ++d;
    }
    return r;
}
inline tensor tensor::clone() const { return detail::unary(op_kind::clone, *this); }
inline tensor tensor::contiguous() const { return is_contiguous() ? *this : detail::unary(op_kind::contiguous, *this); }
inline tensor tensor::to(symshape::dtype t) const {
    return t == dtype() ? *this : apply(call(op_kind::to).tensor_arg(*this).dtype_arg(t));
}
inline tensor tensor::neg() const { return symshape::neg(*this); }
inline tensor tensor::abs() const { return symshape::abs(*this); }
inline tensor tensor::sin() const { return symshape::sin(*this); }
inline tensor tensor::cos() const { return symshape::cos(*this); }
inline tensor tensor::exp() const { return symshape::exp(*this); }
inline tensor tensor::log() const { return symshape::log(*this); }
inline tensor tensor::sqrt() const { return symshape::sqrt(*this); }
inline tensor tensor::relu() const { return symshape::relu(*this); }
inline tensor tensor::sigmoid() const { return symshape::sigmoid(*this); }
inline tensor tensor::tanh() const { return symshape::tanh(*this); }
inline tensor tensor::sum(small_vec<int> dims, bool keepdim) const { return detail::reduce(op_kind::sum, *this, dims, keepdim); }
inline tensor tensor::mean(small_vec<int> dims, bool keepdim) const { return detail::reduce(op_kind::mean, *this, dims, keepdim); }
inline tensor tensor::max(small_vec<int> dims, bool keepdim) const { return detail::reduce(op_kind::amax, *this, dims, keepdim); }
inline tensor tensor::min(small_vec<int> dims, bool keepdim) const { return detail::reduce(op_kind::amin, *this, dims, keepdim); }
inline tensor tensor::prod(int d, bool keepdim) const { return detail::reduce_one(op_kind::prod, *this, d, keepdim); }
inline tensor tensor::argmax(int d, bool keepdim) const { return detail::reduce_one(op_kind::argmax, *this, d, keepdim); }
inline tensor tensor::softmax(int d) const { return symshape::softmax(*this, d); }
inline tensor tensor::log_softmax(int d) const { return symshape::log_softmax(*this, d); }
inline tensor tensor::matmul(const tensor& o) const { return symshape::matmul(*this, o); }

#define SYMSHAPE_INPLACE(name)                                                                                       \
    inline tensor& tensor::name##_(const tensor& o) { return *this = apply(call(op_kind::name##_).tensor_arg(*this).tensor_arg(o)); } \
    inline tensor& tensor::name##_(scalar o) { return *this = apply(call(op_kind::name##_, true).tensor_arg(*this).number_arg(o)); }
SYMSHAPE_INPLACE(add)
SYMSHAPE_INPLACE(sub)
SYMSHAPE_INPLACE(mul)
SYMSHAPE_INPLACE(div)
#undef SYMSHAPE_INPLACE

inline tensor tensor::nonzero() const { return apply(call(op_kind::nonzero).tensor_arg(*this)); }

inline scalar tensor::item() const {
    call c(op_kind::item);
    c.tensor_arg(*this);
    detail::tensor_impl unused;
    info(op_kind::item).rule(c, unused);
    scalar r = detail::dispatch(dtype(), [&]<class T>() -> scalar {
        T v = *detail::base_ptr<T>(*this);
        if constexpr (std::is_same_v<T, bool>) return scalar(v);
        else if constexpr (std::is_floating_point_v<T>) return scalar(static_cast<double>(v));
        else return scalar(static_cast<std::int64_t>(v));
    });
    if (detail::trace_hook* h = detail::active_trace) [[unlikely]] {
        // During a trace an integer becomes an unbacked symbol; other numbers cannot be symbolic.
        sym_int u = h->record_item(h->self, *this, r.as<std::int64_t>());
        r.e = u.node();
    }
    return r;
}

// -- printing and comparison --

inline std::ostream& operator<<(std::ostream& os, const tensor& x) {
    if (!x.defined()) return os << "tensor(undefined)";
    tensor c = detail::materialize(x, x.dtype());
    os << "tensor(";
    detail::dispatch(x.dtype(), [&]<class T>() {
        const T* p = detail::base_ptr<T>(c);
        std::int64_t i = 0;
        auto rec = [&](auto& self, int d) -> void {
            if (d == x.dim()) {
                if constexpr (std::is_same_v<T, bool>) os << (p[i++] ? "True" : "False");
                else if constexpr (std::is_floating_point_v<T>) os << static_cast<double>(p[i++]);
                else os << static_cast<std::int64_t>(p[i++]);
                return;
            }
            os << '[';
            for (std::int64_t k = 0; k < x.impl().sizes[d].hint(); ++k) {
                if (k) os << ", ";
                self(self, d + 1);
            }
            os << ']';
        };
        rec(rec, 0);
    });
    return os << ", dtype=" << short_name(x.dtype()) << ")";
}

namespace detail {
inline bool same_sizes(const tensor& a, const tensor& b) {
    if (a.dim() != b.dim()) return false;
    for (int i = 0; i < a.dim(); ++i)
        if (a.impl().sizes[i].hint() != b.impl().sizes[i].hint()) return false;
    return true;
}
} // namespace detail

inline bool equal(const tensor& a, const tensor& b) {
    if (a.dtype() != b.dtype() || !detail::same_sizes(a, b)) return false;
    tensor x = detail::materialize(a, a.dtype()), y = detail::materialize(b, b.dtype());
    return detail::dispatch(a.dtype(), [&]<class T>() {
        const T* p = detail::base_ptr<T>(x);
        const T* q = detail::base_ptr<T>(y);
        for (std::int64_t i = 0, n = x.numel(); i < n; ++i) {
            if (p[i] == q[i]) continue;
            if constexpr (std::is_floating_point_v<T>)
                if (std::isnan(p[i]) && std::isnan(q[i])) continue;
            return false;
        }
        return true;
    });
}
inline bool allclose(const tensor& a, const tensor& b, double rtol, double atol) {
    if (!detail::same_sizes(a, b)) return false;
    tensor x = detail::materialize(a, dtype::f64), y = detail::materialize(b, dtype::f64);
    const double* p = detail::base_ptr<double>(x);
    const double* q = detail::base_ptr<double>(y);
    for (std::int64_t i = 0, n = x.numel(); i < n; ++i) {
        if (std::isnan(p[i]) && std::isnan(q[i])) continue;
        if (!(std::abs(p[i] - q[i]) <= atol + rtol * std::abs(q[i]))) return false;
    }
    return true;
}

} // namespace symshape
