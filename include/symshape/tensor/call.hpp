// symshape/tensor/call.hpp — one op invocation as data (op kind plus positional arguments) and the
// list of every op (SYMSHAPE_OPS), from which the op enum and the op table are generated.
// Also the hook through which a trace observes ops (the tensor layer knows nothing of graphs).
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "symshape/tensor/core.hpp"

namespace symshape {

/// Every op, once: X(name, ATen name, ATen name of the alternative overload or nullptr,
/// shape rule, kernel, flags, number of positional arguments printed (the rest are keywords),
/// keyword names). The table in tensor/op_table.hpp is generated from this list.
/// Alternative overloads: the scalar form of a binary op, the all-dims form of a reduction,
/// `squeeze()` without a dim.
#define SYMSHAPE_OPS(X)                                                                                   \
    /* creation */                                                                                        \
    X(zeros, "zeros.default", nullptr, rule_creation, kernel_zeros, op_flags::creation, 1, "dtype")      \
    X(ones, "ones.default", nullptr, rule_creation, kernel_ones, op_flags::creation, 1, "dtype")         \
    X(full, "full.default", nullptr, rule_creation, kernel_full, op_flags::creation, 2, "dtype")         \
    X(arange, "arange.start_step", nullptr, rule_arange, kernel_arange, op_flags::creation, 3, "dtype")  \
    X(empty, "empty.memory_format", nullptr, rule_creation, kernel_empty, op_flags::creation, 1, "dtype") \
    X(randn, "randn.default", nullptr, rule_creation, kernel_randn, op_flags::creation, 1, "dtype,seed") \
    X(rand, "rand.default", nullptr, rule_creation, kernel_rand, op_flags::creation, 1, "dtype,seed")    \
    /* views (no kernel: the result shares the input's storage) */                                        \
    X(slice, "slice.Tensor", nullptr, rule_slice, nullptr, op_flags::view, -1, "")                       \
    X(select, "select.int", nullptr, rule_select, nullptr, op_flags::view, -1, "")                       \
    X(view, "view.default", nullptr, rule_view, nullptr, op_flags::view, -1, "")                         \
    X(reshape, "reshape.default", nullptr, rule_reshape, kernel_copy, op_flags::none, -1, "")            \
    X(permute, "permute.default", nullptr, rule_permute, nullptr, op_flags::view, -1, "")                \
    X(transpose, "transpose.int", nullptr, rule_transpose, nullptr, op_flags::view, -1, "")              \
    X(expand, "expand.default", nullptr, rule_expand, nullptr, op_flags::view, -1, "")                   \
    X(squeeze, "squeeze.dim", "squeeze.default", rule_squeeze, nullptr, op_flags::view, -1, "")          \
    X(unsqueeze, "unsqueeze.default", nullptr, rule_unsqueeze, nullptr, op_flags::view, -1, "")          \
    X(flatten, "flatten.using_ints", nullptr, rule_flatten, kernel_copy, op_flags::none, -1, "")         \
    /* unary elementwise */                                                                               \
    X(neg, "neg.default", nullptr, rule_unary_keep, kernel_unary<op_neg>, op_flags::none, -1, "")        \
    X(abs, "abs.default", nullptr, rule_unary_keep, kernel_unary<op_abs>, op_flags::none, -1, "")        \
    X(sin, "sin.default", nullptr, rule_unary_float, kernel_unary<op_sin>, op_flags::none, -1, "")       \
    X(cos, "cos.default", nullptr, rule_unary_float, kernel_unary<op_cos>, op_flags::none, -1, "")       \
    X(exp, "exp.default", nullptr, rule_unary_float, kernel_unary<op_exp>, op_flags::none, -1, "")       \
    X(log, "log.default", nullptr, rule_unary_float, kernel_unary<op_log>, op_flags::none, -1, "")       \
    X(sqrt, "sqrt.default", nullptr, rule_unary_float, kernel_unary<op_sqrt>, op_flags::none, -1, "")    \
    X(relu, "relu.default", nullptr, rule_unary_keep, kernel_unary<op_relu>, op_flags::none, -1, "")     \
    X(sigmoid, "sigmoid.default", nullptr, rule_unary_float, kernel_unary<op_sigmoid>, op_flags::none, -1, "") \
    X(tanh, "tanh.default", nullptr, rule_unary_float, kernel_unary<op_tanh>, op_flags::none, -1, "")    \
    /* binary elementwise with broadcasting and type promotion */                                         \
    X(add, "add.Tensor", nullptr, rule_binary<op_add>, kernel_binary<op_add>, op_flags::none, -1, "")    \
    X(sub, "sub.Tensor", nullptr, rule_binary<op_sub>, kernel_binary<op_sub>, op_flags::none, -1, "")    \
    X(mul, "mul.Tensor", nullptr, rule_binary<op_mul>, kernel_binary<op_mul>, op_flags::none, -1, "")    \
    X(div, "div.Tensor", nullptr, rule_binary<op_div>, kernel_binary<op_div>, op_flags::none, -1, "")    \
    X(pow, "pow.Tensor_Tensor", "pow.Tensor_Scalar", rule_binary<op_pow>, kernel_binary<op_pow>, op_flags::none, -1, "") \
    X(maximum, "maximum.default", nullptr, rule_binary<op_maximum>, kernel_binary<op_maximum>, op_flags::none, -1, "") \
    X(minimum, "minimum.default", nullptr, rule_binary<op_minimum>, kernel_binary<op_minimum>, op_flags::none, -1, "") \
    X(eq, "eq.Tensor", "eq.Scalar", rule_binary<op_eq>, kernel_binary<op_eq>, op_flags::none, -1, "")    \
    X(ne, "ne.Tensor", "ne.Scalar", rule_binary<op_ne>, kernel_binary<op_ne>, op_flags::none, -1, "")    \
    X(lt, "lt.Tensor", "lt.Scalar", rule_binary<op_lt>, kernel_binary<op_lt>, op_flags::none, -1, "")    \
    X(le, "le.Tensor", "le.Scalar", rule_binary<op_le>, kernel_binary<op_le>, op_flags::none, -1, "")    \
    X(gt, "gt.Tensor", "gt.Scalar", rule_binary<op_gt>, kernel_binary<op_gt>, op_flags::none, -1, "")    \
    X(ge, "ge.Tensor", "ge.Scalar", rule_binary<op_ge>, kernel_binary<op_ge>, op_flags::none, -1, "")    \
    X(where, "where.self", nullptr, rule_where, kernel_where, op_flags::none, -1, "")                    \
    /* in place: the result is the first operand */                                                      \
    X(add_, "add_.Tensor", nullptr, rule_inplace<op_add>, kernel_binary<op_add>, op_flags::inplace, -1, "") \
    X(sub_, "sub_.Tensor", nullptr, rule_inplace<op_sub>, kernel_binary<op_sub>, op_flags::inplace, -1, "") \
    X(mul_, "mul_.Tensor", nullptr, rule_inplace<op_mul>, kernel_binary<op_mul>, op_flags::inplace, -1, "") \
    X(div_, "div_.Tensor", nullptr, rule_inplace<op_div>, kernel_binary<op_div>, op_flags::inplace, -1, "") \
    /* reductions */                                                                                      \
    X(sum, "sum.dim_IntList", "sum.default", rule_reduce<red_sum>, kernel_reduce<red_sum>, op_flags::none, -1, "") \
    X(mean, "mean.dim", "mean.default", rule_reduce<red_mean>, kernel_reduce<red_mean>, op_flags::none, -1, "") \
    X(amax, "amax.default", nullptr, rule_reduce<red_max>, kernel_reduce<red_max>, op_flags::none, -1, "") \
    X(amin, "amin.default", nullptr, rule_reduce<red_min>, kernel_reduce<red_min>, op_flags::none, -1, "") \
    X(prod, "prod.dim_int", nullptr, rule_reduce<red_prod>, kernel_reduce<red_prod>, op_flags::none, -1, "") \
    X(argmax, "argmax.default", nullptr, rule_reduce<red_argmax>, kernel_reduce<red_argmax>, op_flags::none, -1, "") \
    /* linear algebra, normalisation, joining, copies */                                                  \
    X(matmul, "matmul.default", nullptr, rule_matmul, kernel_matmul, op_flags::none, -1, "")             \
    X(linear, "linear.default", nullptr, rule_linear, kernel_linear, op_flags::none, -1, "")             \
    X(softmax, "softmax.int", nullptr, rule_softmax, kernel_softmax<false>, op_flags::none, -1, "")      \
    X(log_softmax, "log_softmax.int", nullptr, rule_softmax, kernel_softmax<true>, op_flags::none, -1, "") \
    X(cat, "cat.default", nullptr, rule_cat, kernel_cat, op_flags::none, -1, "")                         \
    X(stack, "stack.default", nullptr, rule_stack, kernel_stack, op_flags::none, -1, "")                 \
    X(clone, "clone.default", nullptr, rule_clone, kernel_copy, op_flags::none, -1, "")                  \
    X(contiguous, "contiguous.default", nullptr, rule_contiguous, kernel_copy, op_flags::none, -1, "")   \
    X(to, "to.dtype", nullptr, rule_to, kernel_copy, op_flags::none, -1, "")                             \
    /* data-dependent output size: a fresh unbacked size during export */                                \
    X(nonzero, "nonzero.default", nullptr, rule_nonzero, kernel_nonzero, op_flags::none, -1, "")         \
    X(masked_select, "masked_select.default", nullptr, rule_masked_select, kernel_masked_select, op_flags::none, -1, "") \
    /* activations and pointwise math */                                                                  \
    X(rsqrt, "rsqrt.default", nullptr, rule_unary_float, kernel_unary<op_rsqrt>, op_flags::none, -1, "") \
    X(erf, "erf.default", nullptr, rule_unary_float, kernel_unary<op_erf>, op_flags::none, -1, "")       \
    X(gelu, "gelu.default", nullptr, rule_gelu, kernel_gelu, op_flags::none, 1, "approximate")    \
    X(silu, "silu.default", nullptr, rule_unary_float, kernel_unary<op_silu>, op_flags::none, -1, "")    \
    X(clamp, "clamp.default", nullptr, rule_clamp, kernel_clamp, op_flags::none, -1, "")                 \
    X(masked_fill, "masked_fill.Scalar", nullptr, rule_masked_fill, kernel_masked_fill, op_flags::none, -1, "") \
    X(tril, "tril.default", nullptr, rule_triangle, kernel_triangle<false>, op_flags::none, -1, "")    \
    X(triu, "triu.default", nullptr, rule_triangle, kernel_triangle<true>, op_flags::none, -1, "")     \
    /* statistics and normalisation */                                                                    \
    X(var, "var.correction", nullptr, rule_var, kernel_var<false>, op_flags::none, 2, "correction,keepdim") \
    X(std, "std.correction", nullptr, rule_var, kernel_var<true>, op_flags::none, 2, "correction,keepdim") \
    X(cumsum, "cumsum.default", nullptr, rule_cumsum, kernel_cumsum, op_flags::none, -1, "")             \
    X(layer_norm, "layer_norm.default", nullptr, rule_layer_norm, kernel_layer_norm<false>, op_flags::none, -1, "") \
    X(rms_norm, "rms_norm.default", nullptr, rule_layer_norm, kernel_layer_norm<true>, op_flags::none, -1, "") \
    /* indexing */                                                                                        \
    X(embedding, "embedding.default", nullptr, rule_embedding, kernel_embedding, op_flags::none, -1, "") \
    X(index_select, "index_select.default", nullptr, rule_index_select, kernel_index_select, op_flags::none, -1, "") \
    X(gather, "gather.default", nullptr, rule_gather, kernel_gather, op_flags::none, -1, "")             \
    X(index, "index.Tensor", nullptr, rule_index, kernel_index, op_flags::none, -1, "")                  \
    /* padding, repetition, reversal */                                                                   \
    X(pad, "constant_pad_nd.default", nullptr, rule_pad, kernel_pad, op_flags::none, -1, "")             \
    X(repeat, "repeat.default", nullptr, rule_repeat, kernel_repeat, op_flags::none, -1, "")             \
    X(flip, "flip.default", nullptr, rule_flip, kernel_flip, op_flags::none, -1, "")                     \
    /* convolution, pooling, attention */                                                                 \
    X(conv2d, "conv2d.default", nullptr, rule_conv2d, kernel_conv2d, op_flags::none, -1, "")             \
    X(max_pool2d, "max_pool2d.default", nullptr, rule_pool2d, kernel_pool2d<true>, op_flags::none, -1, "") \
    X(avg_pool2d, "avg_pool2d.default", nullptr, rule_pool2d, kernel_pool2d<false>, op_flags::none, -1, "") \
    X(sdpa, "scaled_dot_product_attention.default", nullptr, rule_sdpa, kernel_sdpa, op_flags::none, 6, "scale") \
    /* reading data out */                                                                                \
    X(item, "item.default", nullptr, rule_item, nullptr, op_flags::scalar_out, -1, "")

/// Ops with several results, recorded as one node whose results are read by `getitem` nodes
/// (`topk = torch.ops.aten.topk.default(x, 3)`, `getitem: f32[3] = topk[0]`), as torch.export
/// does: X(name, ATen name, function computing every result, positional count, keyword names).
/// The function checks shapes, allocates (or views) and fills the results.
#define SYMSHAPE_MULTI_OPS(X)                                                                            \
    X(topk, "topk.default", multi_topk, -1, "")                                                        \
    X(split, "split.Tensor", multi_split, -1, "")                                                       \
    X(split_with_sizes, "split_with_sizes.default", multi_split, -1, "")

/// Identifies an op; one enumerator per SYMSHAPE_OPS entry.
/// Then one per SYMSHAPE_MULTI_OPS entry, then `custom` (an op registered by the user; the call
/// says which: see tensor/custom_op.hpp).
enum class op_kind : std::uint8_t {
#define SYMSHAPE_OP_ENUM(name, ...) name,
    SYMSHAPE_OPS(SYMSHAPE_OP_ENUM)
    SYMSHAPE_MULTI_OPS(SYMSHAPE_OP_ENUM)
#undef SYMSHAPE_OP_ENUM
    custom
};

/// Number of built-in ops (SYMSHAPE_OPS and SYMSHAPE_MULTI_OPS): the rows of the op table.
inline constexpr int op_count = 0
#define SYMSHAPE_OP_COUNT(...) +1
    SYMSHAPE_OPS(SYMSHAPE_OP_COUNT) SYMSHAPE_MULTI_OPS(SYMSHAPE_OP_COUNT)
#undef SYMSHAPE_OP_COUNT
    ;

/// How an op produces its result.
enum class op_flags : std::uint8_t {
    none = 0,       // a fresh contiguous tensor filled by the kernel
    view = 1,       // shares the first input's storage; no kernel
    inplace = 2,    // writes into the first input and returns it
    creation = 4,   // no tensor inputs; prints device / pin_memory keywords
    scalar_out = 8, // returns a number, not a tensor
    multi_out = 16, // returns several tensors (SYMSHAPE_MULTI_OPS)
};

/// What kind of value an argument holds.
enum class arg_kind : std::uint8_t { none, tensor, tensors, integer, real, boolean, ints, dtype, string };

/// One positional argument of an op call. Lists and tensors point into the caller's storage and
/// live only as long as the call.
struct arg {
    arg_kind kind = arg_kind::none;
    symshape::dtype dt = symshape::dtype::f32;
    bool b = false;
    sym_int i;
    double d = 0;
    const tensor* t = nullptr;   // tensor, or first of `n` tensors
    const sym_int* il = nullptr; // first of `n` integers
    const char* s = nullptr;     // a string argument (`approximate = 'tanh'`); static storage
    int n = 0;

    /// The argument as a number operand (integer, real or boolean).
    scalar number() const noexcept {
        if (kind == arg_kind::real) return scalar(d);
        if (kind == arg_kind::boolean) return scalar(b);
        return scalar(i);
    }
    std::span<const sym_int> ints() const noexcept { return {il, static_cast<std::size_t>(n)}; }
    std::span<const tensor> tensors() const noexcept { return {t, static_cast<std::size_t>(n)}; }
};

/// Most arguments an op takes.
inline constexpr int max_args = 8;

/// An op invocation: which op, whether its alternative ATen overload applies, and its arguments.
/// Built on the stack by each op function (no heap), or by the interpreter from a graph node.
struct call {
    op_kind op;
    bool alt = false;
    std::uint16_t custom = 0; ///< for op_kind::custom: the registered op's id
    int n = 0;
    std::array<arg, max_args> a{};

    explicit call(op_kind k, bool alternative = false) noexcept : op(k), alt(alternative) {}
    call& tensor_arg(const tensor& x) noexcept { next(arg_kind::tensor).t = &x; return *this; }
    call& tensors_arg(std::span<const tensor> xs) noexcept {
        arg& r = next(arg_kind::tensors);
        r.t = xs.data();
        r.n = static_cast<int>(xs.size());
        return *this;
    }
    call& int_arg(sym_int v) noexcept { next(arg_kind::integer).i = v; return *this; }
    call& bool_arg(bool v) noexcept { next(arg_kind::boolean).b = v; return *this; }
    call& number_arg(const scalar& s) noexcept {
        if (s.k == scalar::kind::real) next(arg_kind::real).d = s.d;
        else if (s.k == scalar::kind::boolean) next(arg_kind::boolean).b = s.i != 0;
        else next(arg_kind::integer).i = s.e ? sym_int(s.i, expr(s.e)) : sym_int(s.i);
        return *this;
    }
    call& ints_arg(std::span<const sym_int> xs) noexcept {
        arg& r = next(arg_kind::ints);
        r.il = xs.data();
        r.n = static_cast<int>(xs.size());
        return *this;
    }
    call& dtype_arg(symshape::dtype t) noexcept { next(arg_kind::dtype).dt = t; return *this; }
    /// A string argument; `s` must outlive every use of the call (a literal, or a graph's copy).
    call& string_arg(const char* s) noexcept { next(arg_kind::string).s = s; return *this; }
    /// An absent optional argument, printed `None`.
    call& none_arg() noexcept { next(arg_kind::none); return *this; }
    /// A tensor argument, or None for an undefined tensor (optional weights, masks, biases).
    call& optional_tensor_arg(const tensor& x) noexcept { return x.defined() ? tensor_arg(x) : none_arg(); }

    const tensor& in(int k) const noexcept { return *a[k].t; }
    bool has(int k) const noexcept { return k < n; }
    /// True when argument `k` is present and not None.
    bool given(int k) const noexcept { return k < n && a[k].kind != arg_kind::none; }
    /// Integer argument `k`, or `fallback` when absent.
    sym_int int_at(int k, sym_int fallback) const noexcept { return k < n ? a[k].i : fallback; }

private:
    arg& next(arg_kind k) noexcept {
        arg& r = a[n++];
        r.kind = k;
        return r;
    }
};

namespace detail {
/// How a trace observes ops: `record` is called after every op while `active_trace` is set.
struct trace_hook {
    void (*record)(void* self, const call& c, tensor& out) = nullptr;
    /// Called after an op with several results.
    void (*record_multi)(void* self, const call& c, std::span<tensor> outs) = nullptr;
    /// item() of an integer tensor during a trace: returns the unbacked symbol standing for `value`.
    sym_int (*record_item)(void* self, const tensor& x, std::int64_t value) = nullptr;
    void* self = nullptr;
};
/// The trace active on this thread, or nullptr (then ops pay one branch for recording).
inline thread_local trace_hook* active_trace = nullptr;

/// Runs ops on the example values for its lifetime: nothing is recorded and no shape question is
/// asked (a user op's kernel, the rows of map after the first).
class eager_scope {
public:
    eager_scope() noexcept { active_trace = nullptr, active_shape_env = nullptr, active_sym_hook = nullptr; }
    ~eager_scope() { active_trace = trace_, active_shape_env = env_, active_sym_hook = sym_; }
    eager_scope(const eager_scope&) = delete;
    eager_scope& operator=(const eager_scope&) = delete;

private:
    trace_hook* trace_ = active_trace;
    shape_env* env_ = active_shape_env;
    sym_hook* sym_ = active_sym_hook;
};

/// symshape's name of a built-in op (`slice`), as used in error messages; "custom" for ops
/// registered by users (their messages use the registered name).
inline const char* op_name(op_kind k) noexcept {
    static constexpr const char* names[] = {
#define SYMSHAPE_OP_NAME(name, ...) #name,
        SYMSHAPE_OPS(SYMSHAPE_OP_NAME) SYMSHAPE_MULTI_OPS(SYMSHAPE_OP_NAME)
#undef SYMSHAPE_OP_NAME
        "custom"};
    return names[static_cast<int>(k)];
}
} // namespace detail

} // namespace symshape
