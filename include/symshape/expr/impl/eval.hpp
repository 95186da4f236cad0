// symshape/expr/impl/eval.hpp — the definitions behind symshape/expr/eval.hpp: compiled into
// libsymshape in compiled mode, included by that header in header-only mode. Not for direct
// inclusion.
#pragma once

#include <boost/container/small_vector.hpp>

#include "symshape/expr/eval.hpp"
#include "symshape/expr/flat_eval.hpp"
#include "symshape/expr/impl/print.hpp"

namespace symshape {

namespace detail {

template <Integer I>
I eval_int(const node<I>* n, const valuation<I>& v);

template <Integer I>
I ipow(const I& b, const I& e) {
    I r = 1;
    for (I i = 0; i < e; ++i) r = checked_mul(r, b);
    return r;
}

template <Integer I>
I eval_int(const node<I>* n, const valuation<I>& v) {
    switch (n->kind) {
    case node_kind::constant: return n->value;
    case node_kind::symbol: {
        const I* p = v.find(n);
        if (!p) throw usage_error("cannot evaluate: symbol '" + std::string(n->name()) + "' has no value");
        return *p;
    }
    case node_kind::add: {
        I r = n->value;
        for (std::size_t i = 0; i < n->args().size(); ++i) r = checked_add(r, checked_mul(n->coeffs()[i], eval_int(n->args()[i], v)));
        return r;
    }
    case node_kind::mul: {
        I r = 1;
        for (std::size_t i = 0; i < n->args().size(); ++i) r = checked_mul(r, ipow(eval_int(n->args()[i], v), n->coeffs()[i]));
        return r;
    }
    case node_kind::floor_div:
    case node_kind::mod: {
        I a = eval_int(n->args()[0], v), b = eval_int(n->args()[1], v);
        if (b == 0) {
            std::string s;
            print_node(s, n, 0);
            std::string d;
            print_node(d, n->args()[1], 0);
            throw division_by_zero("division by zero evaluating '" + s + "': the divisor '" + d + "' is 0 here");
        }
        return n->kind == node_kind::floor_div ? floor_div(a, b) : floor_mod(a, b);
    }
    case node_kind::min:
    case node_kind::max: {
        I r = eval_int(n->args()[0], v);
        for (std::size_t i = 1; i < n->args().size(); ++i) {
            I x = eval_int(n->args()[i], v);
            if (n->kind == node_kind::min ? x < r : x > r) r = x;
        }
        return r;
    }
    default: throw usage_error("evaluate() of a boolean expression: use evaluate_bool()");
    }
}

template <Integer I>
bool eval_bool(const node<I>* n, const valuation<I>& v) {
    switch (n->kind) {
    case node_kind::bool_const: return n->value != 0;
    case node_kind::eq: return eval_int(n->args()[0], v) == eval_int(n->args()[1], v);
    case node_kind::ne: return eval_int(n->args()[0], v) != eval_int(n->args()[1], v);
    case node_kind::lt: return eval_int(n->args()[0], v) < eval_int(n->args()[1], v);
    case node_kind::le: return eval_int(n->args()[0], v) <= eval_int(n->args()[1], v);
    case node_kind::not_: return !eval_bool(n->args()[0], v);
    case node_kind::and_:
        for (auto* a : n->args())
            if (!eval_bool(a, v)) return false;
        return true;
    case node_kind::or_:
        for (auto* a : n->args())
            if (eval_bool(a, v)) return true;
        return false;
    default: throw usage_error("evaluate_bool() of an integer expression: use evaluate()");
    }
}


template <Integer I, class Out> // Out: a vector of const node<I>*
void collect_symbols(const node<I>* n, Out& out) {
    if (n->kind == node_kind::symbol) {
        if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
        return;
    }
    for (auto* a : n->args()) collect_symbols(a, out);
}

/// A node of n's kind, with n's constant and coefficients, over the arguments arg(0), arg(1),
/// ... (n's own arguments, possibly rewritten), through the canonical constructors; n itself for
/// a leaf. Each arg(i) is asked once.
template <Integer I, class Arg>
basic_expr<I> remade(const node<I>* n, Arg&& arg) {
    using E = basic_expr<I>;
    const std::size_t na = n->args().size();
    E r;
    switch (n->kind) {
    case node_kind::constant:
    case node_kind::bool_const:
    case node_kind::symbol: r = E(n); break;
    case node_kind::add:
        r = E(n->value);
        for (std::size_t i = 0; i < na; ++i) r = r + E(n->coeffs()[i]) * arg(i);
        break;
    case node_kind::mul:
        r = E(I(1));
        for (std::size_t i = 0; i < na; ++i) {
            const E f = arg(i);
            for (I e = 0; e < n->coeffs()[i]; ++e) r = r * f;
        }
        break;
    case node_kind::floor_div: r = floor_div(arg(0), arg(1)); break;
    case node_kind::mod: r = mod(arg(0), arg(1)); break;
    case node_kind::min:
    case node_kind::max: {
        std::vector<E> args;
        for (std::size_t i = 0; i < na; ++i) args.push_back(arg(i));
        r = n->kind == node_kind::min ? min(std::move(args)) : max(std::move(args));
        break;
    }
    case node_kind::eq: r = eq(arg(0), arg(1)); break;
    case node_kind::ne: r = ne(arg(0), arg(1)); break;
    case node_kind::lt: r = lt(arg(0), arg(1)); break;
    case node_kind::le: r = le(arg(0), arg(1)); break;
    case node_kind::not_: r = logical_not(arg(0)); break;
    case node_kind::and_:
    case node_kind::or_:
        r = E::bool_constant(n->kind == node_kind::and_);
        for (std::size_t i = 0; i < na; ++i) r = n->kind == node_kind::and_ ? logical_and(r, arg(i)) : logical_or(r, arg(i));
        break;
    }
    return r;
}

/// rebuild_with()'s memo, node -> rebuilt expression: a short list searched in order while it
/// is small (the trees a substitution meets mostly are: no allocation per node), a hash map
/// once it grows.
template <Integer I>
class rebuild_memo {
public:
    const basic_expr<I>* find(const node<I>* n) const {
        if (!big_.empty()) {
            const auto it = big_.find(n);
            return it == big_.end() ? nullptr : &it->second;
        }
        for (const auto& [k, v] : small_)
            if (k == n) return &v;
        return nullptr;
    }
    void emplace(const node<I>* n, const basic_expr<I>& e) {
        if (big_.empty() && small_.size() < small_cap) {
            small_.emplace_back(n, e);
            return;
        }
        if (big_.empty()) {
            big_.insert(small_.begin(), small_.end());
            small_.clear();
        }
        big_.emplace(n, e);
    }

private:
    static constexpr std::size_t small_cap = 32;
    boost::container::small_vector<std::pair<const node<I>*, basic_expr<I>>, small_cap> small_;
    std::unordered_map<const node<I>*, basic_expr<I>> big_;
};

/// n rebuilt bottom-up through the canonical constructors (memoized per node): `custom(m, sub)`
/// is asked first at every node m and may return its replacement (sub(a) rebuilds a node a the
/// same way); otherwise m is rebuilt from its rebuilt arguments.
template <Integer I, class Custom>
basic_expr<I> rebuild_with(const node<I>* n, Custom& custom, rebuild_memo<I>& memo) {
    if (const basic_expr<I>* m = memo.find(n)) return *m;
    using E = basic_expr<I>;
    auto rec = [&](const node<I>* a) { return rebuild_with(a, custom, memo); };
    if (std::optional<E> c = custom(n, rec)) {
        memo.emplace(n, *c);
        return *c;
    }
    const E r = remade<I>(n, [&](std::size_t i) { return rec(n->args()[i]); });
    memo.emplace(n, r);
    return r;
}

template <Integer I>
basic_expr<I> rebuild(const node<I>* n, const std::unordered_map<basic_expr<I>, basic_expr<I>, expr_hash>& map,
                      rebuild_memo<I>& memo) {
    auto custom = [&](const node<I>* m, auto&&) -> std::optional<basic_expr<I>> {
        if (m->kind != node_kind::symbol) return std::nullopt;
        auto it = map.find(basic_expr<I>(m));
        if (it == map.end()) return std::nullopt;
        return it->second;
    };
    return rebuild_with(n, custom, memo);
}

} // namespace detail

template <Integer I>
I evaluate(const basic_expr<I>& e, const valuation<I>& v) {
    return detail::eval_int(e.node(), v);
}

template <Integer I>
bool evaluate_bool(const basic_expr<I>& e, const valuation<I>& v) {
    return detail::eval_bool(e.node(), v);
}

template <Integer I>
std::vector<basic_expr<I>> symbols_of(const basic_expr<I>& e) {
    std::vector<const detail::node<I>*> ns;
    detail::collect_symbols(e.node(), ns);
    std::vector<basic_expr<I>> out;
    for (auto* n : ns) out.emplace_back(n);
    std::sort(out.begin(), out.end(), expr_less{});
    return out;
}

template <Integer I>
basic_expr<I> substitute(const basic_expr<I>& e,
                         const std::unordered_map<basic_expr<I>, basic_expr<I>, expr_hash>& map) {
    for (const auto& [k, v] : map)
        if (!k.is_symbol()) throw usage_error("substitute: key '" + to_string(k) + "' is not a symbol");
    detail::rebuild_memo<I> memo;
    return detail::rebuild(e.node(), map, memo);
}

} // namespace symshape
