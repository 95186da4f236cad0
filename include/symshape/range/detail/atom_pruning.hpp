// symshape/range/detail/atom_pruning.hpp — atom pruning: min/max arguments that are never the extreme one
// dropped, quotients the deep tier shows constant rewritten.
// Definitions of fact_store members (range/facts.hpp), included through range/impl/facts.hpp.
#pragma once

#include "symshape/range/facts.hpp"

namespace symshape {

/// e with every min/max argument that the ranges show can never be the extreme one dropped
/// (max(7, x) -> x when x >= 16) and every quotient the deep tier shows to be one value k
/// rewritten (x // y -> k, x % y -> x - k*y), re-canonicalised so that cancellations can follow;
/// `e` itself when nothing changes. Only the nodes above a change are rebuilt.
template <Integer I>
basic_expr<I> fact_store<I>::prune_atoms(const E& e) {
    prune_memo_.clear();
    try {
        const node_t* r = prune_rec(e.node());
        return r ? E(r) : e;
    } catch (const division_by_zero&) {
        return e; // a divisor that is 0 wherever defined: leave it alone
    } catch (const overflow_error&) {
        return e;
    }
}

/// prune_atoms of n; nullptr when nothing at or below n changes.
template <Integer I>
const detail::node<I>* fact_store<I>::prune_rec(const node_t* n) {
    const std::size_t na = n->args().size();
    if (na == 0 || is_bool_kind(n->kind)) return nullptr;
    if (const node_t* const* c = prune_memo_.find(n)) return *c;
    boost::container::small_vector<const node_t*, 8> kids(na, nullptr);
    bool changed = false;
    for (std::size_t i = 0; i < na; ++i) changed = (kids[i] = prune_rec(n->args()[i])) != nullptr || changed;
    boost::container::small_vector<bool, 8> kept(na, true);
    if (n->kind == node_kind::min || n->kind == node_kind::max) {
        // An argument whose range lies beyond another kept argument's never is the extreme one.
        for (std::size_t i = 0; i < na; ++i) {
            const iv bi = analyze(n->args()[i]).range;
            for (std::size_t j = 0; j < na; ++j) {
                if (j == i || !kept[j]) continue;
                const iv bj = analyze(n->args()[j]).range;
                if (n->kind == node_kind::min ? bi.lo >= bj.hi : bi.hi <= bj.lo) {
                    kept[i] = false;
                    changed = true;
                    break;
                }
            }
        }
    }
    // A quotient that is one value k wherever defined (by the deep tier): x // y is k and x % y
    // is x - k*y, which can cancel against the rest.
    std::optional<I> quotient;
    if (n->kind == node_kind::floor_div || n->kind == node_kind::mod) {
        const iv q = deep_analyze(n->kind == node_kind::floor_div ? n : floor_div(E(n->args()[0]), E(n->args()[1])).node()).range;
        if (q.is_point()) {
            quotient = q.lo.value();
            changed = true;
        }
    }
    const node_t* out = nullptr;
    if (changed) {
        auto arg = [&](std::size_t i) { return E(kids[i] ? kids[i] : n->args()[i]); };
        E r;
        switch (n->kind) {
        case node_kind::add:
            r = E(n->value);
            for (std::size_t i = 0; i < na; ++i) r = r + E(n->coeffs()[i]) * arg(i);
            break;
        case node_kind::mul:
            r = E(I(1));
            for (std::size_t i = 0; i < na; ++i) {
                E f = arg(i);
                for (I k = 0; k < n->coeffs()[i]; ++k) r = r * f;
            }
            break;
        case node_kind::floor_div: r = quotient ? E(*quotient) : floor_div(arg(0), arg(1)); break;
        case node_kind::mod: r = quotient ? arg(0) - E(*quotient) * arg(1) : mod(arg(0), arg(1)); break;
        case node_kind::min:
        case node_kind::max: {
            std::vector<E> args;
            for (std::size_t i = 0; i < na; ++i)
                if (kept[i]) args.push_back(arg(i));
            r = n->kind == node_kind::min ? min(std::move(args)) : max(std::move(args));
            break;
        }
        default: throw usage_error("prune_atoms of a boolean expression");
        }
        out = r.node();
    }
    prune_memo_.insert(n, out);
    return out;
}

} // namespace symshape
