// symshape/tensor/sym_int.hpp — sym_int (a tensor size or integer scalar) and sym_bool (the answer to
// a shape question). Each holds its real value plus an optional expression (nullptr = constant).
// During an export trace, converting a symbolic sym_bool to bool asks the active shape_env
// (evaluate(p, reason)): proven -> no guard; backed -> a guard; unbacked -> data_dependent_error.
#pragma once

#include "symshape/config.hpp"

#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "symshape/guard/shape_env.hpp"
#include "symshape/int/integer.hpp"

namespace symshape {

class sym_bool;
class sym_int;
class tensor;

namespace detail {
/// The one place where a shape question becomes a C++ bool. Every decision a tensor op makes
/// (broadcast equal-or-1, slice clamping, view sizes, cat sizes, matmul inner dims) and every
/// `if (x.size(0) > 2)` in user code reaches this function through sym_bool's conversion.
/// A constant answer is returned as is; during an export trace a symbolic one goes to the active
/// shape_env's `evaluate(p)`, which proves it, or records a guard decided on the example values,
/// or throws data_dependent_error for an unbacked symbol; outside a trace the example value is used.
bool decide(const sym_bool& b);
} // namespace detail

namespace detail {
/// What a `Sym(...)` graph node computes: a size read by user code, integer arithmetic and
/// comparisons on symbolic values, a number read out of a tensor (`item`), and the runtime
/// assertions of check / constrain_as_* (which define no value). Shape arithmetic inside an op's
/// shape rule is not recorded.
enum class sym_op : std::uint8_t {
    size, add, sub, mul, floordiv, mod, min, max, neg, // integers
    eq, ne, lt, le, gt, ge, and_, or_, not_,           // predicates
    item,                                              // aten.item.default: an unbacked symbol
    assert_, constrain, constrain_size                 // runtime assertions
};
/// How a trace observes symbolic integers: sizes read by user code, arithmetic and comparisons
/// on them, and runtime assertions.
struct sym_hook {
    void (*record_size)(void* self, const tensor& x, int d, const sym_int& r) = nullptr;
    void (*record_op)(void* self, sym_op op, const sym_int& a, const sym_int& b, const sym_int& r) = nullptr;
    void (*record_pred)(void* self, sym_op op, const sym_int& a, const sym_int& b, const sym_bool* pa,
                        const sym_bool* pb, const sym_bool& r) = nullptr;
    void (*record_assert)(void* self, const sym_bool& p, const std::string& message) = nullptr;
    void (*record_constrain)(void* self, const sym_int& v, std::optional<std::int64_t> min,
                             std::optional<std::int64_t> max, bool for_size) = nullptr;
    void* self = nullptr;
};
inline thread_local sym_hook* active_sym_hook = nullptr;
/// The op whose shape rule is running (set by apply() while tracing), or nullptr (user code).
inline thread_local const char* current_op = nullptr;
void note_sym(sym_op op, const sym_int& a, const sym_int& b, const sym_int& r);
/// The symbolic result `v` / `e` of `a op b`, recorded as a Sym node when user code computes it.
sym_int recorded(sym_op op, const sym_int& a, const sym_int& b, std::int64_t v, const expr& e);
void note_cmp(sym_op op, const sym_int& a, const sym_int& b, const sym_bool& r);
void note_logic(sym_op op, const sym_bool& a, const sym_bool* b, const sym_bool& r);
} // namespace detail

/// The answer to a comparison of sym_ints. Converting it to bool is a shape decision
/// (see detail::decide); `unsafe_hint()` reads the example answer without deciding anything.
class sym_bool {
public:
    using node_ptr = const detail::node<std::int64_t>*;
    /// A constant truth value.
    constexpr explicit sym_bool(bool v) noexcept : v_(v) {}
    /// A symbolic answer: `v` at the example values, predicate `p` (a constant p gives a constant).
    sym_bool(bool v, const expr& p) : v_(v), p_(p.is_true() || p.is_false() ? nullptr : p.node()) {
        if (!p_) v_ = p.is_true();
    }
    /// The answer on the example values; records nothing. (For unbacked symbols: the value read
    /// at trace time, which decisions never use.) UNSAFE in traced code: a program that branches on
    /// it bakes the example's answer into the graph with no guard, and run() on other inputs is
    /// silently wrong. Convert to bool instead (a decision: proven, or a guard).
    constexpr bool unsafe_hint() const noexcept { return v_; }
    /// True when the answer does not depend on any symbol.
    constexpr bool is_constant() const noexcept { return p_ == nullptr; }
    /// The predicate (a boolean constant when constant).
    expr to_expr() const { return p_ ? expr(p_) : expr::bool_constant(v_); }
    /// Decide the question (a guard once sizes are symbolic).
    operator bool() const { return detail::decide(*this); } // NOLINT: implicit by design, like SymBool
    friend sym_bool operator!(const sym_bool& a) {
        if (!a.p_) return sym_bool(!a.v_);
        sym_bool r(!a.v_, logical_not(a.to_expr()));
        detail::note_logic(detail::sym_op::not_, a, nullptr, r);
        return r;
    }
    /// Both (a compound predicate, decided as one question). `&&` and `||` are not overloaded:
    /// like Python's `and` / `or` on a SymBool they decide each side in turn, short-circuiting.
    friend sym_bool operator&(const sym_bool& a, const sym_bool& b) {
        if (!a.p_ && !b.p_) return sym_bool(a.v_ && b.v_);
        sym_bool r(a.v_ && b.v_, logical_and(a.to_expr(), b.to_expr()));
        detail::note_logic(detail::sym_op::and_, a, &b, r);
        return r;
    }
    /// Either (a compound predicate, decided as one question).
    friend sym_bool operator|(const sym_bool& a, const sym_bool& b) {
        if (!a.p_ && !b.p_) return sym_bool(a.v_ || b.v_);
        sym_bool r(a.v_ || b.v_, logical_or(a.to_expr(), b.to_expr()));
        detail::note_logic(detail::sym_op::or_, a, &b, r);
        return r;
    }
    friend std::ostream& operator<<(std::ostream& os, const sym_bool& b) {
        if (b.p_) return os << to_string(b.to_expr());
        return os << (b.v_ ? "True" : "False");
    }

private:
    bool v_;
    node_ptr p_ = nullptr;
};

/// A tensor size, stride-free shape entry or integer scalar: its real value (kernels use it) and,
/// during an export trace, an optional expression over symbols (nullptr = a constant).
/// Arithmetic never wraps: it throws overflow_error (or division_by_zero).
class sym_int {
public:
    using node_ptr = const detail::node<std::int64_t>*;
    constexpr sym_int() noexcept = default;
    /// A constant.
    constexpr sym_int(std::int64_t v) noexcept : v_(v) {} // NOLINT: implicit so `x.size(0) - 2` reads naturally
    /// A symbolic integer: value `v` (the example value, or the value read at trace time for an
    /// unbacked symbol) and expression `e`. A constant `e` gives a constant.
    sym_int(std::int64_t v, const expr& e) : v_(v), e_(e.is_constant() ? nullptr : e.node()) {
        if (!e_) v_ = e.constant_value();
    }
    /// The example value; never records a guard. UNSAFE in traced code: a program that computes
    /// with it bakes the example into the graph with no guard (`x.size(0).unsafe_hint()` is 3 for
    /// every input), and run() on other sizes is silently wrong. Use value() (during export: a
    /// guard `e == value`, as numel() does) or keep the sym_int. Kernels and library code that need
    /// the concrete number of the values at hand use it.
    constexpr std::int64_t unsafe_hint() const noexcept { return v_; }
    /// The value as a C++ integer. A symbolic value is specialised (during a trace: a guard
    /// `e == value`, or data_dependent_error for an unbacked value).
    std::int64_t value() const;
    /// True when the size is a known constant.
    constexpr bool is_constant() const noexcept { return e_ == nullptr; }
    /// The expression (a constant expression when constant).
    expr to_expr() const { return e_ ? expr(e_) : expr(v_); }
    /// The expression node, nullptr when constant.
    constexpr node_ptr node() const noexcept { return e_; }

    friend sym_int operator+(const sym_int& a, const sym_int& b) {
        std::int64_t v = checked_add(a.v_, b.v_);
        if (!a.e_ && !b.e_) [[likely]] return v;
        return detail::recorded(detail::sym_op::add, a, b, v, a.to_expr() + b.to_expr());
    }
    friend sym_int operator-(const sym_int& a, const sym_int& b) {
        std::int64_t v = checked_sub(a.v_, b.v_);
        if (!a.e_ && !b.e_) [[likely]] return v;
        return detail::recorded(detail::sym_op::sub, a, b, v, a.to_expr() - b.to_expr());
    }
    friend sym_int operator*(const sym_int& a, const sym_int& b) {
        std::int64_t v = checked_mul(a.v_, b.v_);
        if (!a.e_ && !b.e_) [[likely]] return v;
        return detail::recorded(detail::sym_op::mul, a, b, v, a.to_expr() * b.to_expr());
    }
    friend sym_int operator-(const sym_int& a) {
        std::int64_t v = checked_neg(a.v_);
        if (!a.e_) [[likely]] return v;
        sym_int r(v, -a.to_expr());
        detail::note_sym(detail::sym_op::neg, a, sym_int(), r);
        return r;
    }
    sym_int& operator+=(const sym_int& b) { return *this = *this + b; }
    sym_int& operator-=(const sym_int& b) { return *this = *this - b; }
    sym_int& operator*=(const sym_int& b) { return *this = *this * b; }

#define SYMSHAPE_SYM_CMP(OP, FN)                                                     \
    friend sym_bool operator OP(const sym_int& a, const sym_int& b) {                 \
        if (!a.e_ && !b.e_) [[likely]] return sym_bool(a.v_ OP b.v_);                 \
        sym_bool r(a.v_ OP b.v_, FN(a.to_expr(), b.to_expr()));                       \
        detail::note_cmp(detail::sym_op::FN, a, b, r);                                \
        return r;                                                                     \
    }
    SYMSHAPE_SYM_CMP(==, eq)
    SYMSHAPE_SYM_CMP(!=, ne)
    SYMSHAPE_SYM_CMP(<, lt)
    SYMSHAPE_SYM_CMP(<=, le)
    SYMSHAPE_SYM_CMP(>, gt)
    SYMSHAPE_SYM_CMP(>=, ge)
#undef SYMSHAPE_SYM_CMP

    friend std::ostream& operator<<(std::ostream& os, const sym_int& a) {
        if (a.e_) return os << to_string(a.to_expr());
        return os << a.v_;
    }

private:
    std::int64_t v_ = 0;
    node_ptr e_ = nullptr;
};

namespace detail {
/// The shape environment of the export trace running on this thread, or nullptr.
inline thread_local shape_env* active_shape_env = nullptr;
/// Why a decision is asked, for guards and errors.
inline std::string decision_reason() {
    if (!current_op) return "user code";
    // Built-in ops are named by their ATen overload; ops registered by users by their full name.
    const std::string_view op(current_op);
    return std::string("shape rule of ") + (op.starts_with("torch.ops.") ? "" : "aten.") + current_op;
}
/// Sets current_op for its lifetime.
class op_scope {
public:
    explicit op_scope(const char* op) noexcept : saved_(current_op) { current_op = op; }
    ~op_scope() { current_op = saved_; }
    op_scope(const op_scope&) = delete;
    op_scope& operator=(const op_scope&) = delete;

private:
    const char* saved_;
};
/// Names the running op in shape decisions made while tracing (guards, data-dependent errors).
class current_op_scope {
public:
    explicit current_op_scope(const char* label) noexcept : saved_(current_op) {
        if (active_shape_env) [[unlikely]] current_op = label;
    }
    ~current_op_scope() { current_op = saved_; }
    current_op_scope(const current_op_scope&) = delete;
    current_op_scope& operator=(const current_op_scope&) = delete;

private:
    const char* saved_;
};
/// Requires b != 0 for a division by a symbolic divisor (a guard or a data-dependent error).
inline void require_nonzero_divisor(const sym_int& b) {
    if (!b.is_constant() && !static_cast<bool>(b != sym_int(0)))
        throw division_by_zero("division by " + to_string(b.to_expr()) + ", which is 0 for the example inputs");
}
} // namespace detail

/// Floor division (Python's //); throws division_by_zero. A symbolic divisor must be non-zero
/// (decided like any shape question).
inline sym_int floor_div(const sym_int& a, const sym_int& b) {
    if (a.is_constant() && b.is_constant()) [[likely]] return floor_div(a.unsafe_hint(), b.unsafe_hint());
    detail::require_nonzero_divisor(b);
    return detail::recorded(detail::sym_op::floordiv, a, b, floor_div(a.unsafe_hint(), b.unsafe_hint()), floor_div(a.to_expr(), b.to_expr()));
}
/// Floor modulo (Python's %); throws division_by_zero.
inline sym_int mod(const sym_int& a, const sym_int& b) {
    if (a.is_constant() && b.is_constant()) [[likely]] return floor_mod(a.unsafe_hint(), b.unsafe_hint());
    detail::require_nonzero_divisor(b);
    return detail::recorded(detail::sym_op::mod, a, b, floor_mod(a.unsafe_hint(), b.unsafe_hint()), mod(a.to_expr(), b.to_expr()));
}
/// The smaller of two sizes (torch.sym_min); symbolic operands give a symbolic min, no guard.
inline sym_int min(const sym_int& a, const sym_int& b) {
    std::int64_t v = a.unsafe_hint() < b.unsafe_hint() ? a.unsafe_hint() : b.unsafe_hint();
    if (a.is_constant() && b.is_constant()) return v;
    return detail::recorded(detail::sym_op::min, a, b, v, min(a.to_expr(), b.to_expr()));
}
/// The larger of two sizes (torch.sym_max).
inline sym_int max(const sym_int& a, const sym_int& b) {
    std::int64_t v = a.unsafe_hint() < b.unsafe_hint() ? b.unsafe_hint() : a.unsafe_hint();
    if (a.is_constant() && b.is_constant()) return v;
    return detail::recorded(detail::sym_op::max, a, b, v, max(a.to_expr(), b.to_expr()));
}
/// Asserts `cond` (torch._check). A constant or example-value false throws assertion_error now.
/// During an export trace a symbolic condition that ranges cannot prove refines the facts (later
/// decisions may use it) and becomes a runtime assertion in the graph
/// (`aten._assert_scalar.default`), checked by every run; a proven one records nothing.
/// `message` replaces the default "Runtime assertion failed for expression ..." text.
void check(const sym_bool& cond, const std::string& message = {});
/// Bounds a value read from a tensor: min <= v <= max (either end optional). Records the two
/// assertions and `aten.sym_constrain_range.default(v, min = .., max = ..)`.
void constrain_as_value(const sym_int& v, std::optional<std::int64_t> min = std::nullopt,
                               std::optional<std::int64_t> max = std::nullopt);
/// Like constrain_as_value for a value used as a tensor size (min defaults to 0 and may not be
/// negative); records `aten.sym_constrain_range_for_size.default`.
void constrain_as_size(const sym_int& v, std::optional<std::int64_t> min = std::nullopt,
                              std::optional<std::int64_t> max = std::nullopt);

/// Guard-free shape questions for library code (PyTorch's statically_known_true, guard_or_false,
/// guard_or_true). statically_known_true(p): true only when the ranges and facts prove `p`; never
/// records a guard and never fails (unknown -> false).
bool statically_known_true(const sym_bool& p);
/// `p` decided like any shape question (a guard on backed symbols when the facts do not decide it),
/// except that a question on unbacked values the facts cannot decide answers false, recording
/// nothing, instead of throwing data_dependent_error.
bool guard_or_false(const sym_bool& p);
/// Like guard_or_false, answering true where it cannot decide.
bool guard_or_true(const sym_bool& p);

/// Text of a sym_int: the value, or the expression.
inline std::string to_string(const sym_int& a) { return a.is_constant() ? std::to_string(a.unsafe_hint()) : to_string(a.to_expr()); }

/// The `end` of a slice that runs to the end of its dimension (ATen prints it as INT64_MAX).
inline constexpr std::int64_t end_of_dim = std::numeric_limits<std::int64_t>::max();

} // namespace symshape

#if SYMSHAPE_HEADER_ONLY
#include "symshape/tensor/impl/sym_int.hpp"
#endif
