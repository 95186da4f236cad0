// symshape/range/impl/bound.hpp — the bound pipeline: bound(), a sum split into independent groups, and the
// whole search run stage by stage (each stage in range/detail/); congruence_of().
// Definitions of fact_store members (range/facts.hpp), included through range/impl/facts.hpp.
#pragma once

#include "symshape/range/facts.hpp"

namespace symshape {

template <Integer I>
interval<I> fact_store<I>::bound(const E& e0) {
    if (e0.is_bool()) throw usage_error("bound() needs an integer expression, got '" + to_string(e0) + "'");
    check_version();
    try {
        return bound_lowered(lowered(e0));
    } catch (const overflow_error&) {
        // a step needs a constant beyond int64 (ranges or facts near its ends): no bound
        return iv::all();
    }
}

/// A sum whose terms fall into groups with no symbol in common, while the facts are a plain box:
/// the groups vary independently, so the sum's extremes are the sums of the groups' extremes,
/// and each group goes through the whole search (witnesses, splits, Fourier–Motzkin) on its
/// own, in fewer dimensions. Nothing when e is not such a sum.
template <Integer I>
std::optional<interval<I>> fact_store<I>::bound_parts(const E& e, unsigned need) {
    const node_t* n = e.node();
    if (!free_box_ || n->kind != node_kind::add || n->args().size() < 2) return std::nullopt;
    const info whole = analyze(n);
    if (whole.exact) return whole.range;
    const std::size_t na = n->args().size();
    // The symbols of each term, then groups: a term joins (and merges) every group it shares a
    // symbol with; groups stay pairwise disjoint, so one pass over them suffices. A mask's last
    // bit stands for every symbol of index >= 63, so those always land together (never split
    // wrongly, at worst not split).
    boost::container::small_vector<std::uint64_t, 8> term, group;
    for (std::size_t i = 0; i < na; ++i) {
        std::uint64_t merged = analyze(n->args()[i]).syms;
        term.push_back(merged);
        std::size_t kept = 0;
        for (const std::uint64_t g : group) {
            if (g & merged) merged |= g;
            else group[kept++] = g;
        }
        group.resize(kept);
        group.push_back(merged);
    }
    if (group.size() < 2) return std::nullopt;
    iv r = iv::point(n->value);
    for (const std::uint64_t g : group) {
        E part(I(0));
        for (std::size_t i = 0; i < na; ++i) // (a term without symbols joins the first group)
            if ((term[i] & g) || (term[i] == 0 && g == group.front())) part = part + E(n->coeffs()[i]) * E(n->args()[i]);
        r = iv_add(r, bound_whole(part, need));
    }
    return intersect(r, whole.range);
}

/// bound() of a lowered expression, by the whole search.
template <Integer I>
interval<I> fact_store<I>::bound_whole(E e, unsigned need) {
    iv r = bound_relational(e);
    if (!r.is_point() && !e.is_symbol()) {
        // Both ends shown attained by construction: exact, nothing to sharpen.
        if (free_box_ && analyze(e.node()).exact) return r;
        // The needed ends attained at allowed points: already exact there.
        const witness_t w = witness(e.node(), &r, need);
        auto attained = [&] {
            return w.any && (!(need & low_end) || r.lo == extended<I>(w.lo)) && (!(need & high_end) || r.hi == extended<I>(w.hi));
        };
        if (attained()) return r;
        if (E p = prune_atoms(e); !(p == e)) {
            e = p;
            r = intersect(r, bound_relational(e));
            if (r.is_point() || attained()) return r;
        }
        if (auto m = bound_monotone(e, r, need)) return *m;
        r = intersect(r, deep_analyze(e.node()).range);
        if (r.is_point() || attained()) return r;
        // A small box: every point, exact.
        if (auto ex = enumerate(e)) return intersect(r, *ex);
        // What the later stages must cover before they cannot sharpen a needed end.
        const iv enough{need & low_end ? r.lo : r.hi, need & high_end ? r.hi : r.lo};
        // Case split on the symbol with the fewest values: e at each value, bounded again
        // (cheaper than the relational bound, so tried first).
        iv h = iv::empty();
        if (split_values(e.node(), [&](const info& x) {
                h = hull(h, x.range);
                return !h.contains(enough); // once the hull covers it the split cannot sharpen
            }))
            r = intersect(r, h);
        if (attained()) return r;
        // (with one end needed, the projection may stop once `enough` is covered: its other
        // end is then of some cases only, so only the needed ends are taken)
        if (iv f = fm_bound(e.node(), enough); !f.is_empty()) {
            if (need & low_end) r.lo = std::max(r.lo, f.lo);
            if (need & high_end) r.hi = std::min(r.hi, f.hi);
        }
        if (attained()) return r;
        r = box_bound(e.node(), r, w, need);
        if (attained()) return r;
        r = bound_residues(e, r, need);
    }
    return r;
}

template <Integer I>
congruence<I> fact_store<I>::congruence_of(const E& e0) {
    check_version();
    return analyze(lowered(e0).node()).cg;
}

} // namespace symshape
