// symshape/expr/eval.hpp — exact evaluation of expressions at a point (valuation), symbol
// collection, and substitution of symbols by expressions (re-canonicalised on the way up).
#pragma once

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "symshape/expr/print.hpp"

namespace symshape {

/// An assignment of integer values to symbols.
template <Integer I>
class valuation {
public:
    /// Sets the value of symbol `s`. Throws usage_error if `s` is not a symbol.
    void set(const basic_expr<I>& s, const I& v) {
        if (!s.is_symbol()) throw usage_error("valuation::set needs a symbol, got '" + to_string(s) + "'");
        std::size_t i = s.node()->symbol_index;
        if (values_.size() <= i) values_.resize(i + 1);
        values_[i] = v;
    }
    void set(const std::string& name, const I& v) { set(basic_expr<I>::symbol(name), v); }
    /// The value of the symbol node `n`, or nullptr if unset.
    const I* find(const detail::node<I>* n) const {
        std::size_t i = n->symbol_index;
        return i < values_.size() && values_[i] ? &*values_[i] : nullptr;
    }
    void clear() { values_.clear(); }

private:
    std::vector<std::optional<I>> values_;
};

/// The integer value of `e` at `v`. Throws usage_error (unset symbol or boolean `e`),
/// division_by_zero (naming the divisor), overflow_error (int64 only).
template <Integer I>
I evaluate(const basic_expr<I>& e, const valuation<I>& v);

/// The truth value of boolean `e` at `v`. Throws like evaluate.
template <Integer I>
bool evaluate_bool(const basic_expr<I>& e, const valuation<I>& v);

/// The symbols occurring in `e`, sorted by name (natural order).
template <Integer I>
std::vector<basic_expr<I>> symbols_of(const basic_expr<I>& e);

/// `e` with each symbol in `map` replaced (simultaneously) by its image.
template <Integer I>
basic_expr<I> substitute(const basic_expr<I>& e,
                         const std::unordered_map<basic_expr<I>, basic_expr<I>, expr_hash>& map);

// ---- implementation ----

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

/// The value of one integer operation (add, mul, floor_div, mod, min, max) with constant term
/// `value`, coefficients (add) or exponents (mul) `coeffs` and `count` arguments, `arg(k)`
/// giving argument k's value (a reference that stays valid during the call): false on a zero
/// divisor or an int64 overflow, never a throw. Shared by flat_eval and the fact store's values
/// at fixed points, so both follow the same floor semantics and failure rules.
template <Integer I, class Arg>
bool apply_op(node_kind kind, const I& value, const I* coeffs, std::size_t count, Arg&& arg, I& out) {
    switch (kind) {
    case node_kind::add: {
        I s = value;
        for (std::size_t k = 0; k < count; ++k) {
            I t;
            if (!try_mul(coeffs[k], arg(k), t) || !try_add(s, t, s)) return false;
        }
        out = std::move(s);
        return true;
    }
    case node_kind::mul: {
        I p = I(1);
        for (std::size_t k = 0; k < count; ++k) {
            const I& a = arg(k);
            for (I e = 0; e < coeffs[k]; ++e)
                if (!try_mul(p, a, p)) return false;
        }
        out = std::move(p);
        return true;
    }
    case node_kind::floor_div:
    case node_kind::mod: {
        const I& a = arg(0);
        const I& b = arg(1);
        // (the two cases where floor_div / floor_mod would throw)
        if (b == 0) return false;
        if constexpr (std::is_same_v<I, std::int64_t>)
            if (kind == node_kind::floor_div && b == -1 && a == std::numeric_limits<std::int64_t>::min()) return false;
        out = kind == node_kind::floor_div ? floor_div(a, b) : floor_mod(a, b);
        return true;
    }
    case node_kind::min:
    case node_kind::max: {
        const I* best = &arg(0);
        for (std::size_t k = 1; k < count; ++k) {
            const I& o = arg(k);
            if (kind == node_kind::min ? o < *best : o > *best) best = &o;
        }
        out = *best;
        return true;
    }
    default: return false;
    }
}

/// One integer expression flattened to post-order (each distinct node of the DAG once), for
/// evaluating it at many points without allocating or throwing: the searches for points that
/// attain a bound or decide a relation run it hundreds of times per question.
template <Integer I>
class flat_eval {
public:
    /// Compiles `n`, an integer expression; the value of syms[j] is x[j] in run(). Symbols of `n`
    /// not yet in `syms` are appended in first-visit order (depth first, arguments in order).
    /// Reuses its buffers, so a long-lived flat_eval stops allocating.
    template <class Syms>
    void compile(const node<I>* n, Syms& syms) {
        code_.clear();
        args_.clear();
        slots_.assign(64, {nullptr, 0});
        root_ = emit(n, syms);
        // Leaves are not instructions at run time: constants are written once here, symbols
        // copied in at the start of each run; the loop visits only the operations.
        val_.resize(code_.size());
        ops_.clear();
        sym_slots_.clear();
        for (std::uint32_t i = 0; i < code_.size(); ++i) {
            const instr& c = code_[i];
            if (c.kind == node_kind::constant) val_[i] = *c.value;
            else if (c.kind == node_kind::symbol) sym_slots_.emplace_back(i, c.first);
            else ops_.push_back(i);
        }
    }
    /// The value at the point x; false when a divisor is 0 or a value overflows there.
    bool run(const I* x, I& out) {
        I* val = val_.data();
        const std::uint32_t* args = args_.data();
        for (const auto& [slot, j] : sym_slots_) val[slot] = x[j];
        for (const std::uint32_t i : ops_) {
            const instr& c = code_[i];
            auto arg = [&](std::size_t k) -> const I& { return val[args[c.first + k]]; };
            if (!apply_op(c.kind, *c.value, c.coeffs, c.count, arg, val[i])) return false;
        }
        out = val_[root_];
        return true;
    }

private:
    struct instr {
        const node<I>* n;
        std::uint32_t first = 0, count = 0; // args_[first, first + count), or the symbol's index
        node_kind kind = node_kind::constant;
        const I* value = nullptr;  // the node's constant / offset
        const I* coeffs = nullptr; // the node's coefficients / exponents
    };
    static std::size_t slot_of(const node<I>* n, std::size_t mask) noexcept {
        auto x = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(n));
        return static_cast<std::size_t>((x ^ (x >> 29)) * 0xbf58476d1ce4e5b9ULL >> 20) & mask;
    }
    void remember(const node<I>* n, std::uint32_t slot) {
        if (2 * (code_.size() + 1) > slots_.size()) { // keep the table at most half full
            slots_.assign(slots_.size() * 2, {nullptr, 0});
            for (std::uint32_t i = 0; i + 1 < code_.size(); ++i) remember(code_[i].n, i);
        }
        std::size_t h = slot_of(n, slots_.size() - 1);
        while (slots_[h].first) h = (h + 1) & (slots_.size() - 1);
        slots_[h] = {n, slot};
    }
    template <class Syms>
    std::uint32_t emit(const node<I>* n, Syms& syms) {
        for (std::size_t h = slot_of(n, slots_.size() - 1); slots_[h].first; h = (h + 1) & (slots_.size() - 1))
            if (slots_[h].first == n) return slots_[h].second;
        instr c{n};
        c.kind = n->kind;
        c.value = &n->value;
        c.coeffs = n->coeffs_;
        if (n->kind == node_kind::symbol) {
            auto it = std::find(syms.begin(), syms.end(), n);
            c.first = static_cast<std::uint32_t>(it - syms.begin());
            if (it == syms.end()) syms.push_back(n);
        } else if (n->nargs_ > 0) {
            boost::container::small_vector<std::uint32_t, 8> a;
            for (const node<I>* arg : n->args()) a.push_back(emit(arg, syms));
            c.first = static_cast<std::uint32_t>(args_.size());
            c.count = static_cast<std::uint32_t>(a.size());
            args_.insert(args_.end(), a.begin(), a.end());
        }
        code_.push_back(c);
        const auto slot = static_cast<std::uint32_t>(code_.size() - 1);
        remember(n, slot);
        return slot;
    }
    std::vector<instr> code_;
    std::vector<std::uint32_t> args_;
    std::vector<I> val_;
    std::vector<std::pair<const node<I>*, std::uint32_t>> slots_;
    std::vector<std::uint32_t> ops_;                             // slots of the operations, in order
    std::vector<std::pair<std::uint32_t, std::uint32_t>> sym_slots_; // (slot, index into x)
    std::uint32_t root_ = 0;
};

template <Integer I, class Out> // Out: a vector of const node<I>*
void collect_symbols(const node<I>* n, Out& out) {
    if (n->kind == node_kind::symbol) {
        if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
        return;
    }
    for (auto* a : n->args()) collect_symbols(a, out);
}

/// n rebuilt bottom-up through the canonical constructors (memoized per node): `custom(m, sub)`
/// is asked first at every node m and may return its replacement (sub(a) rebuilds a node a the
/// same way); otherwise m is rebuilt from its rebuilt arguments.
template <Integer I, class Custom>
basic_expr<I> rebuild_with(const node<I>* n, Custom& custom, std::unordered_map<const node<I>*, basic_expr<I>>& memo) {
    if (auto it = memo.find(n); it != memo.end()) return it->second;
    using E = basic_expr<I>;
    auto rec = [&](const node<I>* a) { return rebuild_with(a, custom, memo); };
    auto sub = [&](std::size_t i) { return rec(n->args()[i]); };
    E r;
    if (std::optional<E> c = custom(n, rec)) {
        memo.emplace(n, *c);
        return *c;
    }
    switch (n->kind) {
    case node_kind::constant:
    case node_kind::bool_const:
    case node_kind::symbol: r = E(n); break;
    case node_kind::add:
        r = E(n->value);
        for (std::size_t i = 0; i < n->args().size(); ++i) r = r + E(n->coeffs()[i]) * sub(i);
        break;
    case node_kind::mul:
        r = E(I(1));
        for (std::size_t i = 0; i < n->args().size(); ++i) {
            E f = sub(i);
            for (I e = 0; e < n->coeffs()[i]; ++e) r = r * f;
        }
        break;
    case node_kind::floor_div: r = floor_div(sub(0), sub(1)); break;
    case node_kind::mod: r = mod(sub(0), sub(1)); break;
    case node_kind::min:
    case node_kind::max: {
        std::vector<E> args;
        for (std::size_t i = 0; i < n->args().size(); ++i) args.push_back(sub(i));
        r = n->kind == node_kind::min ? min(std::move(args)) : max(std::move(args));
        break;
    }
    case node_kind::eq: r = eq(sub(0), sub(1)); break;
    case node_kind::ne: r = ne(sub(0), sub(1)); break;
    case node_kind::lt: r = lt(sub(0), sub(1)); break;
    case node_kind::le: r = le(sub(0), sub(1)); break;
    case node_kind::not_: r = logical_not(sub(0)); break;
    case node_kind::and_:
    case node_kind::or_:
        r = E::bool_constant(n->kind == node_kind::and_);
        for (std::size_t i = 0; i < n->args().size(); ++i) r = n->kind == node_kind::and_ ? logical_and(r, sub(i)) : logical_or(r, sub(i));
        break;
    }
    memo.emplace(n, r);
    return r;
}

template <Integer I>
basic_expr<I> rebuild(const node<I>* n, const std::unordered_map<basic_expr<I>, basic_expr<I>, expr_hash>& map,
                      std::unordered_map<const node<I>*, basic_expr<I>>& memo) {
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
    std::unordered_map<const detail::node<I>*, basic_expr<I>> memo;
    return detail::rebuild(e.node(), map, memo);
}

} // namespace symshape
