// symshape/tensor/impl/ops.hpp — the definitions behind symshape/tensor/ops.hpp: compiled into
// libsymshape in compiled mode, included by that header in header-only mode. Not for direct
// inclusion.
#pragma once

#include "symshape/tensor/ops.hpp"

namespace symshape {

namespace detail {
SYMSHAPE_INLINE std::span<const sym_int> ints(const shape_vec& s) noexcept { return {s.data(), static_cast<std::size_t>(s.size())}; }
SYMSHAPE_INLINE shape_vec dims_to_ints(const small_vec<int>& d) {
    shape_vec r;
    for (int x : d) r.push_back(x);
    return r;
}
SYMSHAPE_INLINE tensor unary(op_kind k, const tensor& x) { return apply(call(k).tensor_arg(x)); }
SYMSHAPE_INLINE tensor binary(op_kind k, const tensor& a, const tensor& b) { return apply(call(k).tensor_arg(a).tensor_arg(b)); }
SYMSHAPE_INLINE tensor binary(op_kind k, const tensor& a, const scalar& b) { return apply(call(k, true).tensor_arg(a).number_arg(b)); }
SYMSHAPE_INLINE tensor creation(op_kind k, const shape_vec& sizes, dtype t) {
    return apply(call(k).ints_arg(ints(sizes)).dtype_arg(t));
}
SYMSHAPE_INLINE tensor random(op_kind k, const shape_vec& sizes, std::uint64_t seed, dtype t) {
    return apply(call(k).ints_arg(ints(sizes)).dtype_arg(t).int_arg(static_cast<std::int64_t>(seed)));
}
SYMSHAPE_INLINE tensor reduce(op_kind k, const tensor& x, const small_vec<int>& dims, bool keepdim) {
    shape_vec d = dims_to_ints(dims);
    if (dims.empty() && !keepdim) return apply(call(k, true).tensor_arg(x));
    call c(k);
    c.tensor_arg(x).ints_arg(ints(d));
    if (keepdim) c.bool_arg(true);
    return apply(c);
}
SYMSHAPE_INLINE tensor reduce_one(op_kind k, const tensor& x, int dim, bool keepdim) {
    call c(k);
    c.tensor_arg(x).int_arg(dim);
    if (keepdim) c.bool_arg(true);
    return apply(c);
}
} // namespace detail

SYMSHAPE_INLINE tensor zeros(const shape_vec& sizes, dtype t) { return detail::creation(op_kind::zeros, sizes, t); }
SYMSHAPE_INLINE tensor ones(const shape_vec& sizes, dtype t) { return detail::creation(op_kind::ones, sizes, t); }
SYMSHAPE_INLINE tensor empty(const shape_vec& sizes, dtype t) { return detail::creation(op_kind::empty, sizes, t); }
SYMSHAPE_INLINE tensor full(const shape_vec& sizes, scalar value) { return full(sizes, value, value.default_dtype()); }
SYMSHAPE_INLINE tensor full(const shape_vec& sizes, scalar value, dtype t) {
    return apply(call(op_kind::full).ints_arg(detail::ints(sizes)).number_arg(value).dtype_arg(t));
}
SYMSHAPE_INLINE tensor arange(scalar start, scalar end, scalar step) {
    dtype t = start.is_real() || end.is_real() || step.is_real() ? dtype::f32 : dtype::i64;
    return apply(call(op_kind::arange).number_arg(start).number_arg(end).number_arg(step).dtype_arg(t));
}
SYMSHAPE_INLINE tensor arange(scalar end) { return arange(0, end, 1); }
SYMSHAPE_INLINE tensor randn(const shape_vec& sizes, std::uint64_t seed, dtype t) { return detail::random(op_kind::randn, sizes, seed, t); }
SYMSHAPE_INLINE tensor rand(const shape_vec& sizes, std::uint64_t seed, dtype t) { return detail::random(op_kind::rand, sizes, seed, t); }

SYMSHAPE_INLINE tensor scalar_tensor(scalar v) { return scalar_tensor(v, v.default_dtype()); }
SYMSHAPE_INLINE tensor scalar_tensor(scalar v, dtype t) {
    tensor r = detail::make_tensor(t, shape_vec{});
    detail::fill_value(r, v);
    return r;
}

SYMSHAPE_INLINE tensor neg(const tensor& x) { return detail::unary(op_kind::neg, x); }
SYMSHAPE_INLINE tensor abs(const tensor& x) { return detail::unary(op_kind::abs, x); }
SYMSHAPE_INLINE tensor sin(const tensor& x) { return detail::unary(op_kind::sin, x); }
SYMSHAPE_INLINE tensor cos(const tensor& x) { return detail::unary(op_kind::cos, x); }
SYMSHAPE_INLINE tensor exp(const tensor& x) { return detail::unary(op_kind::exp, x); }
SYMSHAPE_INLINE tensor log(const tensor& x) { return detail::unary(op_kind::log, x); }
SYMSHAPE_INLINE tensor sqrt(const tensor& x) { return detail::unary(op_kind::sqrt, x); }
SYMSHAPE_INLINE tensor relu(const tensor& x) { return detail::unary(op_kind::relu, x); }
SYMSHAPE_INLINE tensor sigmoid(const tensor& x) { return detail::unary(op_kind::sigmoid, x); }
SYMSHAPE_INLINE tensor tanh(const tensor& x) { return detail::unary(op_kind::tanh, x); }

#define SYMSHAPE_BINARY(name)                                                                              \
    SYMSHAPE_INLINE tensor name(const tensor& a, const tensor& b) { return detail::binary(op_kind::name, a, b); } \
    SYMSHAPE_INLINE tensor name(const tensor& a, scalar b) { return detail::binary(op_kind::name, a, b); }
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
SYMSHAPE_INLINE tensor maximum(const tensor& a, const tensor& b) { return detail::binary(op_kind::maximum, a, b); }
SYMSHAPE_INLINE tensor minimum(const tensor& a, const tensor& b) { return detail::binary(op_kind::minimum, a, b); }
SYMSHAPE_INLINE tensor where(const tensor& cond, const tensor& a, const tensor& b) {
    return apply(call(op_kind::where).tensor_arg(cond).tensor_arg(a).tensor_arg(b));
}
SYMSHAPE_INLINE tensor matmul(const tensor& a, const tensor& b) { return detail::binary(op_kind::matmul, a, b); }
SYMSHAPE_INLINE tensor linear(const tensor& x, const tensor& w) { return detail::binary(op_kind::linear, x, w); }
SYMSHAPE_INLINE tensor linear(const tensor& x, const tensor& w, const tensor& b) {
    return apply(call(op_kind::linear).tensor_arg(x).tensor_arg(w).tensor_arg(b));
}
SYMSHAPE_INLINE tensor softmax(const tensor& x, int dim) { return apply(call(op_kind::softmax).tensor_arg(x).int_arg(dim)); }
SYMSHAPE_INLINE tensor log_softmax(const tensor& x, int dim) { return apply(call(op_kind::log_softmax).tensor_arg(x).int_arg(dim)); }
SYMSHAPE_INLINE tensor cat(const std::vector<tensor>& xs, int dim) {
    call c(op_kind::cat);
    c.tensors_arg(xs);
    if (dim != 0) c.int_arg(dim);
    return apply(c);
}
SYMSHAPE_INLINE tensor stack(const std::vector<tensor>& xs, int dim) {
    call c(op_kind::stack);
    c.tensors_arg(xs);
    if (dim != 0) c.int_arg(dim);
    return apply(c);
}

// -- members --

SYMSHAPE_INLINE tensor tensor::slice(int d, sym_int start, sym_int end, sym_int step) const {
    call c(op_kind::slice);
    c.tensor_arg(*this).int_arg(d).int_arg(start).int_arg(end);
    if (!(step.is_constant() && step.unsafe_hint() == 1)) c.int_arg(step);
    return apply(c);
}
SYMSHAPE_INLINE tensor tensor::select(int d, sym_int index) const {
    return apply(call(op_kind::select).tensor_arg(*this).int_arg(d).int_arg(index));
}
SYMSHAPE_INLINE tensor tensor::view(shape_vec s) const { return apply(call(op_kind::view).tensor_arg(*this).ints_arg(detail::ints(s))); }
SYMSHAPE_INLINE tensor tensor::reshape(shape_vec s) const { return apply(call(op_kind::reshape).tensor_arg(*this).ints_arg(detail::ints(s))); }
SYMSHAPE_INLINE tensor tensor::permute(small_vec<int> dims) const {
    shape_vec d = detail::dims_to_ints(dims);
    return apply(call(op_kind::permute).tensor_arg(*this).ints_arg(detail::ints(d)));
}
SYMSHAPE_INLINE tensor tensor::transpose(int d0, int d1) const {
    return apply(call(op_kind::transpose).tensor_arg(*this).int_arg(d0).int_arg(d1));
}
SYMSHAPE_INLINE tensor tensor::expand(shape_vec s) const { return apply(call(op_kind::expand).tensor_arg(*this).ints_arg(detail::ints(s))); }
SYMSHAPE_INLINE tensor tensor::squeeze() const { return apply(call(op_kind::squeeze, true).tensor_arg(*this)); }
SYMSHAPE_INLINE tensor tensor::squeeze(int d) const { return apply(call(op_kind::squeeze).tensor_arg(*this).int_arg(d)); }
SYMSHAPE_INLINE tensor tensor::unsqueeze(int d) const { return apply(call(op_kind::unsqueeze).tensor_arg(*this).int_arg(d)); }
SYMSHAPE_INLINE tensor tensor::flatten(int start, int end) const {
    return apply(call(op_kind::flatten).tensor_arg(*this).int_arg(start).int_arg(end));
}
SYMSHAPE_INLINE tensor tensor::operator[](const slice_spec& s) const { return slice(0, s.start, s.end, s.step); }
SYMSHAPE_INLINE tensor tensor::operator[](std::int64_t i) const { return select(0, i); }
SYMSHAPE_INLINE tensor tensor::index(std::initializer_list<slice_spec> specs) const {
    if (static_cast<int>(specs.size()) > dim())
        throw usage_error("index: " + std::to_string(specs.size()) + " slices for a tensor with " + std::to_string(dim()) +
                          " dimensions");
    tensor r = *this;
    int d = 0;
    for (const slice_spec& s : specs) {
        bool whole = s.start.is_constant() && s.start.unsafe_hint() == 0 && s.end.is_constant() && s.end.unsafe_hint() == end_of_dim &&
                     s.step.is_constant() && s.step.unsafe_hint() == 1;
        if (!whole) r = r.slice(d, s.start, s.end, s.step);
        ++d;
    }
    return r;
}
SYMSHAPE_INLINE tensor tensor::clone() const { return detail::unary(op_kind::clone, *this); }
SYMSHAPE_INLINE tensor tensor::contiguous() const { return is_contiguous() ? *this : detail::unary(op_kind::contiguous, *this); }
SYMSHAPE_INLINE tensor tensor::to(symshape::dtype t) const {
    return t == dtype() ? *this : apply(call(op_kind::to).tensor_arg(*this).dtype_arg(t));
}
SYMSHAPE_INLINE tensor tensor::neg() const { return symshape::neg(*this); }
SYMSHAPE_INLINE tensor tensor::abs() const { return symshape::abs(*this); }
SYMSHAPE_INLINE tensor tensor::sin() const { return symshape::sin(*this); }
SYMSHAPE_INLINE tensor tensor::cos() const { return symshape::cos(*this); }
SYMSHAPE_INLINE tensor tensor::exp() const { return symshape::exp(*this); }
SYMSHAPE_INLINE tensor tensor::log() const { return symshape::log(*this); }
SYMSHAPE_INLINE tensor tensor::sqrt() const { return symshape::sqrt(*this); }
SYMSHAPE_INLINE tensor tensor::relu() const { return symshape::relu(*this); }
SYMSHAPE_INLINE tensor tensor::sigmoid() const { return symshape::sigmoid(*this); }
SYMSHAPE_INLINE tensor tensor::tanh() const { return symshape::tanh(*this); }
SYMSHAPE_INLINE tensor tensor::sum(small_vec<int> dims, bool keepdim) const { return detail::reduce(op_kind::sum, *this, dims, keepdim); }
SYMSHAPE_INLINE tensor tensor::mean(small_vec<int> dims, bool keepdim) const { return detail::reduce(op_kind::mean, *this, dims, keepdim); }
SYMSHAPE_INLINE tensor tensor::max(small_vec<int> dims, bool keepdim) const { return detail::reduce(op_kind::amax, *this, dims, keepdim); }
SYMSHAPE_INLINE tensor tensor::min(small_vec<int> dims, bool keepdim) const { return detail::reduce(op_kind::amin, *this, dims, keepdim); }
SYMSHAPE_INLINE tensor tensor::prod(int d, bool keepdim) const { return detail::reduce_one(op_kind::prod, *this, d, keepdim); }
SYMSHAPE_INLINE tensor tensor::argmax(int d, bool keepdim) const { return detail::reduce_one(op_kind::argmax, *this, d, keepdim); }
SYMSHAPE_INLINE tensor tensor::softmax(int d) const { return symshape::softmax(*this, d); }
SYMSHAPE_INLINE tensor tensor::log_softmax(int d) const { return symshape::log_softmax(*this, d); }
SYMSHAPE_INLINE tensor tensor::matmul(const tensor& o) const { return symshape::matmul(*this, o); }

#define SYMSHAPE_INPLACE(name)                                                                                       \
    SYMSHAPE_INLINE tensor& tensor::name##_(const tensor& o) { return *this = apply(call(op_kind::name##_).tensor_arg(*this).tensor_arg(o)); } \
    SYMSHAPE_INLINE tensor& tensor::name##_(scalar o) { return *this = apply(call(op_kind::name##_, true).tensor_arg(*this).number_arg(o)); }
SYMSHAPE_INPLACE(add)
SYMSHAPE_INPLACE(sub)
SYMSHAPE_INPLACE(mul)
SYMSHAPE_INPLACE(div)
#undef SYMSHAPE_INPLACE

SYMSHAPE_INLINE tensor tensor::index(const tensor& idx) const {
    const tensor ids[1] = {idx};
    return apply(call(op_kind::index).tensor_arg(*this).tensors_arg(ids));
}
SYMSHAPE_INLINE tensor tensor::repeat(shape_vec repeats) const {
    return apply(call(op_kind::repeat).tensor_arg(*this).ints_arg(detail::ints(repeats)));
}

// ---- activations, clamping, masking ----

SYMSHAPE_INLINE tensor rsqrt(const tensor& x) { return detail::unary(op_kind::rsqrt, x); }
SYMSHAPE_INLINE tensor erf(const tensor& x) { return detail::unary(op_kind::erf, x); }
SYMSHAPE_INLINE tensor gelu(const tensor& x, std::string_view approximate) {
    // Like torch.export, the default form prints without the keyword.
    if (approximate == "none") return detail::unary(op_kind::gelu, x);
    if (approximate == "tanh") return apply(call(op_kind::gelu).tensor_arg(x).string_arg("tanh"));
    throw usage_error("gelu: approximate must be \"none\" or \"tanh\", got \"" + std::string(approximate) + "\"");
}
SYMSHAPE_INLINE tensor silu(const tensor& x) { return detail::unary(op_kind::silu, x); }
SYMSHAPE_INLINE tensor clamp(const tensor& x, std::optional<scalar> min, std::optional<scalar> max) {
    call c(op_kind::clamp);
    c.tensor_arg(x);
    if (min) c.number_arg(*min);
    else c.none_arg();
    if (max) c.number_arg(*max);
    else c.none_arg();
    return apply(c);
}
SYMSHAPE_INLINE tensor masked_fill(const tensor& x, const tensor& mask, scalar value) {
    return apply(call(op_kind::masked_fill).tensor_arg(x).tensor_arg(mask).number_arg(value));
}
SYMSHAPE_INLINE tensor tril(const tensor& x, std::int64_t diagonal) { return apply(call(op_kind::tril).tensor_arg(x).int_arg(diagonal)); }
SYMSHAPE_INLINE tensor triu(const tensor& x, std::int64_t diagonal) { return apply(call(op_kind::triu).tensor_arg(x).int_arg(diagonal)); }

// ---- statistics and normalisation ----

namespace detail {
SYMSHAPE_INLINE tensor variance(op_kind k, const tensor& x, const small_vec<int>& dims, double correction, bool keepdim) {
    shape_vec d = dims_to_ints(dims);
    call c(k);
    c.tensor_arg(x);
    if (dims.empty()) c.none_arg();
    else c.ints_arg(ints(d));
    // correction prints as an integer when it is one (correction = 0), as torch.export does.
    if (correction == static_cast<double>(static_cast<std::int64_t>(correction))) c.int_arg(static_cast<std::int64_t>(correction));
    else c.number_arg(scalar(correction));
    if (keepdim) c.bool_arg(true);
    return apply(c);
}
} // namespace detail
SYMSHAPE_INLINE tensor var(const tensor& x, small_vec<int> dims, double correction, bool keepdim) {
    return detail::variance(op_kind::var, x, dims, correction, keepdim);
}
SYMSHAPE_INLINE tensor std(const tensor& x, small_vec<int> dims, double correction, bool keepdim) {
    return detail::variance(op_kind::std, x, dims, correction, keepdim);
}
SYMSHAPE_INLINE tensor cumsum(const tensor& x, int dim) { return apply(call(op_kind::cumsum).tensor_arg(x).int_arg(dim)); }
SYMSHAPE_INLINE tensor layer_norm(const tensor& x, const shape_vec& normalized_shape, const tensor& weight, const tensor& bias,
                                  double eps) {
    return apply(call(op_kind::layer_norm)
                     .tensor_arg(x)
                     .ints_arg(detail::ints(normalized_shape))
                     .optional_tensor_arg(weight)
                     .optional_tensor_arg(bias)
                     .number_arg(scalar(eps)));
}
SYMSHAPE_INLINE tensor rms_norm(const tensor& x, const shape_vec& normalized_shape, const tensor& weight, std::optional<double> eps) {
    call c(op_kind::rms_norm);
    c.tensor_arg(x).ints_arg(detail::ints(normalized_shape)).optional_tensor_arg(weight);
    if (eps) c.number_arg(scalar(*eps));
    return apply(c);
}

// ---- indexing ----

SYMSHAPE_INLINE tensor embedding(const tensor& weight, const tensor& indices) {
    return apply(call(op_kind::embedding).tensor_arg(weight).tensor_arg(indices));
}
SYMSHAPE_INLINE tensor index_select(const tensor& x, int dim, const tensor& index) {
    return apply(call(op_kind::index_select).tensor_arg(x).int_arg(dim).tensor_arg(index));
}
SYMSHAPE_INLINE tensor gather(const tensor& x, int dim, const tensor& index) {
    return apply(call(op_kind::gather).tensor_arg(x).int_arg(dim).tensor_arg(index));
}
SYMSHAPE_INLINE tensor masked_select(const tensor& x, const tensor& mask) {
    return apply(call(op_kind::masked_select).tensor_arg(x).tensor_arg(mask));
}
SYMSHAPE_INLINE topk_result topk(const tensor& x, sym_int k, int dim, bool largest) {
    call c(op_kind::topk);
    c.tensor_arg(x).int_arg(k);
    if (dim != -1 || !largest) c.int_arg(dim);
    if (!largest) c.bool_arg(false);
    std::vector<tensor> r = apply_multi(c);
    return {r.at(0), r.at(1)};
}

// ---- splitting, padding, repetition, reversal ----

SYMSHAPE_INLINE std::vector<tensor> split(const tensor& x, sym_int split_size, int dim) {
    call c(op_kind::split);
    c.tensor_arg(x).int_arg(split_size);
    if (dim != 0) c.int_arg(dim);
    return apply_multi(c);
}
SYMSHAPE_INLINE std::vector<tensor> split_with_sizes(const tensor& x, const shape_vec& sizes, int dim) {
    call c(op_kind::split_with_sizes);
    c.tensor_arg(x).ints_arg(detail::ints(sizes));
    if (dim != 0) c.int_arg(dim);
    return apply_multi(c);
}
SYMSHAPE_INLINE std::vector<tensor> chunk(const tensor& x, std::int64_t chunks, int dim) {
    if (chunks <= 0) throw usage_error("chunk: chunks must be positive, got " + std::to_string(chunks));
    if (x.dim() == 0) throw usage_error("chunk: cannot chunk a zero-dim tensor");
    // torch.chunk is split with ceil(size / chunks); for a symbolic size the arithmetic is
    // recorded as Sym nodes, as torch.export records it.
    const sym_int n = x.size(dim);
    sym_int size = chunks == 1 ? n : floor_div(n + sym_int(chunks - 1), sym_int(chunks));
    if (size.is_constant() && size.unsafe_hint() == 0) size = 1; // an empty dim: one empty piece
    return split(x, size, dim);
}
SYMSHAPE_INLINE tensor pad(const tensor& x, const shape_vec& pads, scalar value) {
    return apply(call(op_kind::pad).tensor_arg(x).ints_arg(detail::ints(pads)).number_arg(value));
}
SYMSHAPE_INLINE tensor flip(const tensor& x, small_vec<int> dims) {
    shape_vec d = detail::dims_to_ints(dims);
    return apply(call(op_kind::flip).tensor_arg(x).ints_arg(detail::ints(d)));
}

// ---- convolution, pooling, attention ----

SYMSHAPE_INLINE tensor conv2d(const tensor& x, const tensor& weight, const tensor& bias, size2 stride, size2 padding, size2 dilation,
                              std::int64_t groups) {
    const shape_vec s{stride.h, stride.w}, p{padding.h, padding.w}, d{dilation.h, dilation.w};
    return apply(call(op_kind::conv2d)
                     .tensor_arg(x)
                     .tensor_arg(weight)
                     .optional_tensor_arg(bias)
                     .ints_arg(detail::ints(s))
                     .ints_arg(detail::ints(p))
                     .ints_arg(detail::ints(d))
                     .int_arg(groups));
}
SYMSHAPE_INLINE tensor max_pool2d(const tensor& x, size2 kernel, std::optional<size2> stride, size2 padding, size2 dilation) {
    const size2 st = stride ? *stride : kernel;
    const shape_vec k{kernel.h, kernel.w}, s{st.h, st.w}, p{padding.h, padding.w}, d{dilation.h, dilation.w};
    return apply(call(op_kind::max_pool2d)
                     .tensor_arg(x)
                     .ints_arg(detail::ints(k))
                     .ints_arg(detail::ints(s))
                     .ints_arg(detail::ints(p))
                     .ints_arg(detail::ints(d)));
}
SYMSHAPE_INLINE tensor avg_pool2d(const tensor& x, size2 kernel, std::optional<size2> stride, size2 padding) {
    const size2 st = stride ? *stride : kernel;
    const shape_vec k{kernel.h, kernel.w}, s{st.h, st.w}, p{padding.h, padding.w};
    return apply(call(op_kind::avg_pool2d).tensor_arg(x).ints_arg(detail::ints(k)).ints_arg(detail::ints(s)).ints_arg(detail::ints(p)));
}
SYMSHAPE_INLINE tensor scaled_dot_product_attention(const tensor& q, const tensor& k, const tensor& v, const tensor& attn_mask,
                                                    bool is_causal, std::optional<double> scale) {
    call c(op_kind::sdpa);
    c.tensor_arg(q).tensor_arg(k).tensor_arg(v).optional_tensor_arg(attn_mask).number_arg(scalar(0.0)).bool_arg(is_causal);
    if (scale) c.number_arg(scalar(*scale));
    return apply(c);
}

SYMSHAPE_INLINE tensor tensor::nonzero() const { return apply(call(op_kind::nonzero).tensor_arg(*this)); }

SYMSHAPE_INLINE scalar tensor::item() const {
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

SYMSHAPE_INLINE std::ostream& operator<<(std::ostream& os, const tensor& x) {
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
            for (std::int64_t k = 0; k < x.impl().sizes[d].unsafe_hint(); ++k) {
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
SYMSHAPE_INLINE bool same_sizes(const tensor& a, const tensor& b) {
    if (a.dim() != b.dim()) return false;
    for (int i = 0; i < a.dim(); ++i)
        if (a.impl().sizes[i].unsafe_hint() != b.impl().sizes[i].unsafe_hint()) return false;
    return true;
}
} // namespace detail

SYMSHAPE_INLINE bool equal(const tensor& a, const tensor& b) {
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
SYMSHAPE_INLINE bool allclose(const tensor& a, const tensor& b, double rtol, double atol) {
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
