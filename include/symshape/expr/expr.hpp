// symshape/expr/expr.hpp — basic_expr<I>: immutable, hash-consed symbolic integers and booleans in
// canonical form (a sum of monomials with integer coefficients over atoms), built only through
// the smart constructors below, which apply the construction-time rewrite rules.
//
// Thread safety: each thread has its own arena (thread_local). An expression belongs to the thread
// that created it; do not pass expressions between threads.
#pragma once

#include "symshape/config.hpp"

#include <algorithm>
#include <initializer_list>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "symshape/expr/node.hpp"

namespace symshape {

/// A symbolic integer or boolean expression. Cheap to copy (one pointer); `==` is identity of
/// the canonical form (O(1)), not a symbolic equation: use `eq(a, b)` for that.
template <Integer I>
class basic_expr {
public:
    using integer_type = I;
    using node_type = detail::node<I>;

    /// The constant 0.
    basic_expr() : n_(detail::arena<I>::get().zero()) {}
    /// An integer constant.
    basic_expr(const I& v);                                              // NOLINT: implicit
    basic_expr(int v) requires(!std::is_same_v<I, int>) : basic_expr(I(v)) {} // NOLINT: implicit
    explicit basic_expr(const node_type* n) : n_(n) {}

    /// The symbol named `name` (the same node for the same name).
    static basic_expr symbol(const std::string& name);
    /// The boolean constants.
    static basic_expr bool_constant(bool b);

    node_kind kind() const noexcept { return n_->kind; }
    const node_type* node() const noexcept { return n_; }
    std::size_t hash() const noexcept { return n_->hash(); }
    bool is_bool() const noexcept { return is_bool_kind(n_->kind); }
    bool is_constant() const noexcept { return n_->kind == node_kind::constant; }
    bool is_symbol() const noexcept { return n_->kind == node_kind::symbol; }
    bool is_true() const noexcept { return n_->kind == node_kind::bool_const && n_->value == 1; }
    bool is_false() const noexcept { return n_->kind == node_kind::bool_const && n_->value == 0; }
    /// The value of a constant. Throws usage_error if this is not an integer constant.
    const I& constant_value() const;
    /// The name of a symbol. Throws usage_error if this is not a symbol.
    std::string name() const;
    std::size_t num_args() const noexcept { return n_->args().size(); }
    /// The i-th operand. Throws usage_error when out of range.
    basic_expr arg(std::size_t i) const {
        if (i >= n_->nargs_) throw usage_error("arg(" + std::to_string(i) + ") of a node with " + std::to_string(n_->nargs_) + " operands");
        return basic_expr(n_->args_[i]);
    }

    friend bool operator==(const basic_expr& a, const basic_expr& b) noexcept { return a.n_ == b.n_; }

private:
    const node_type* n_;
};

using expr = basic_expr<std::int64_t>;

// ---- construction (all results are canonical and interned) ----
template <Integer I> basic_expr<I> operator+(const basic_expr<I>& a, const basic_expr<I>& b);
template <Integer I> basic_expr<I> operator-(const basic_expr<I>& a, const basic_expr<I>& b);
template <Integer I> basic_expr<I> operator-(const basic_expr<I>& a);
template <Integer I> basic_expr<I> operator*(const basic_expr<I>& a, const basic_expr<I>& b);
/// Floor division. Throws division_by_zero for a constant zero divisor.
template <Integer I> basic_expr<I> floor_div(const basic_expr<I>& a, const basic_expr<I>& b);
/// Floor modulo. Throws division_by_zero for a constant zero divisor.
template <Integer I> basic_expr<I> mod(const basic_expr<I>& a, const basic_expr<I>& b);
/// ceil(a / b) = -((-a) // b).
template <Integer I> basic_expr<I> ceil_div(const basic_expr<I>& a, const basic_expr<I>& b);
template <Integer I> basic_expr<I> min(const basic_expr<I>& a, const basic_expr<I>& b);
template <Integer I> basic_expr<I> max(const basic_expr<I>& a, const basic_expr<I>& b);
template <Integer I> basic_expr<I> min(std::vector<basic_expr<I>> args);
template <Integer I> basic_expr<I> max(std::vector<basic_expr<I>> args);
// Relations (booleans). `a > b` is stored as `b < a`, `a >= b` as `b <= a`.
template <Integer I> basic_expr<I> eq(const basic_expr<I>& a, const basic_expr<I>& b);
template <Integer I> basic_expr<I> ne(const basic_expr<I>& a, const basic_expr<I>& b);
template <Integer I> basic_expr<I> lt(const basic_expr<I>& a, const basic_expr<I>& b);
template <Integer I> basic_expr<I> le(const basic_expr<I>& a, const basic_expr<I>& b);
template <Integer I> basic_expr<I> gt(const basic_expr<I>& a, const basic_expr<I>& b) { return lt(b, a); }
template <Integer I> basic_expr<I> ge(const basic_expr<I>& a, const basic_expr<I>& b) { return le(b, a); }
template <Integer I> basic_expr<I> logical_and(const basic_expr<I>& a, const basic_expr<I>& b);
template <Integer I> basic_expr<I> logical_or(const basic_expr<I>& a, const basic_expr<I>& b);
template <Integer I> basic_expr<I> logical_not(const basic_expr<I>& a);

template <Integer I> basic_expr<I> operator&&(const basic_expr<I>& a, const basic_expr<I>& b) { return logical_and(a, b); }
template <Integer I> basic_expr<I> operator||(const basic_expr<I>& a, const basic_expr<I>& b) { return logical_or(a, b); }
template <Integer I> basic_expr<I> operator!(const basic_expr<I>& a) { return logical_not(a); }

// Mixed forms with integer literals.
#define SYMSHAPE_MIXED(OP)                                                                         \
    template <Integer I> basic_expr<I> OP(const basic_expr<I>& a, const I& b) { return OP(a, basic_expr<I>(b)); } \
    template <Integer I> basic_expr<I> OP(const I& a, const basic_expr<I>& b) { return OP(basic_expr<I>(a), b); } \
    template <Integer I> basic_expr<I> OP(const basic_expr<I>& a, int b) { return OP(a, basic_expr<I>(I(b))); } \
    template <Integer I> basic_expr<I> OP(int a, const basic_expr<I>& b) { return OP(basic_expr<I>(I(a)), b); }
SYMSHAPE_MIXED(operator+)
SYMSHAPE_MIXED(operator-)
SYMSHAPE_MIXED(operator*)
SYMSHAPE_MIXED(floor_div)
SYMSHAPE_MIXED(mod)
SYMSHAPE_MIXED(min)
SYMSHAPE_MIXED(max)
SYMSHAPE_MIXED(eq)
SYMSHAPE_MIXED(ne)
SYMSHAPE_MIXED(lt)
SYMSHAPE_MIXED(le)
SYMSHAPE_MIXED(gt)
SYMSHAPE_MIXED(ge)
#undef SYMSHAPE_MIXED

/// Hash functor for unordered containers keyed by expressions.
struct expr_hash {
    template <Integer I>
    std::size_t operator()(const basic_expr<I>& e) const noexcept { return e.hash(); }
};

/// Deterministic structural order (for sorted containers and stable output).
struct expr_less {
    template <Integer I>
    bool operator()(const basic_expr<I>& a, const basic_expr<I>& b) const {
        return detail::compare(a.node(), b.node()) < 0;
    }
};

/// Number of distinct nodes interned so far in this thread's arena for backend I.
template <Integer I>
std::size_t interned_node_count() { return detail::arena<I>::get().size(); }

} // namespace symshape

#if SYMSHAPE_HEADER_ONLY
#include "symshape/expr/impl/expr.hpp"
#endif
