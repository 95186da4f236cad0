// symshape/range/impl/prove.hpp — the prove pipeline: prove(), its case split over and/or/not, and a
// relation decided stage by stage (each stage in range/detail/).
// Definitions of fact_store members (range/facts.hpp), included through range/impl/facts.hpp.
#pragma once

#include "symshape/range/facts.hpp"

namespace symshape {

namespace detail {

/// `x k 0` (k a relation kind) for every value x in the interval, for none, or unknown; an
/// equation is also decided false by a congruence that excludes 0.
template <Integer I>
truth decide_relation(node_kind k, const interval<I>& x, const congruence<I>& cg) {
    const extended<I> zero(I(0));
    const bool cg_excludes_zero = cg.m == 0 ? cg.r != 0 : (cg.m > 1 && cg.r != 0);
    switch (k) {
    case node_kind::eq:
        if (x.is_point() && x.lo == zero) return truth::yes;
        if (!x.contains(I(0)) || cg_excludes_zero) return truth::no;
        return truth::unknown;
    case node_kind::ne:
        if (x.is_point() && x.lo == zero) return truth::no;
        if (!x.contains(I(0)) || cg_excludes_zero) return truth::yes;
        return truth::unknown;
    case node_kind::lt:
        if (x.hi < zero) return truth::yes;
        if (x.lo >= zero) return truth::no;
        return truth::unknown;
    default:
        if (x.hi <= zero) return truth::yes;
        if (x.lo > zero) return truth::no;
        return truth::unknown;
    }
}

/// The values an order `d k 0` (k lt or le) must be seen to take, or a bound of d to include,
/// for the order to stay open: [-1, 0] for <, [0, 1] for <=.
template <Integer I>
interval<I> order_open_values(node_kind k) {
    return k == node_kind::lt ? interval<I>{extended<I>(I(-1)), extended<I>(I(0))} : interval<I>{extended<I>(I(0)), extended<I>(I(1))};
}

/// `v k 0` for one value v.
template <Integer I>
bool relation_holds(node_kind k, const I& v) {
    switch (k) {
    case node_kind::eq: return v == 0;
    case node_kind::ne: return v != 0;
    case node_kind::lt: return v < 0;
    default: return v <= 0;
    }
}

/// `a k b` from bounds x of a and y of b alone (each rounded outward).
template <Integer I>
truth decide_by_sides(node_kind k, const interval<I>& x, const interval<I>& y) {
    if (x.is_empty() || y.is_empty()) return truth::yes; // no point satisfies the facts
    const bool apart = x.hi < y.lo || y.hi < x.lo, same_point = x.is_point() && y.is_point() && x.lo == y.lo;
    switch (k) {
    case node_kind::eq: return same_point ? truth::yes : apart ? truth::no : truth::unknown;
    case node_kind::ne: return same_point ? truth::no : apart ? truth::yes : truth::unknown;
    case node_kind::lt: return x.hi < y.lo ? truth::yes : x.lo >= y.hi ? truth::no : truth::unknown;
    default: return x.hi <= y.lo ? truth::yes : x.lo > y.hi ? truth::no : truth::unknown;
    }
}

} // namespace detail

/// `a k b`, stage by stage on the difference d = a - b: each stage either decides or leaves the
/// relation open for the next; an empty range means no point satisfies the facts (true).
template <Integer I>
truth fact_store<I>::prove_rel(node_kind k, const E& a, const E& b) {
    E d;
    try {
        d = a - b;
    } catch (const overflow_error&) {
        // a - b has a constant beyond int64 (`x + 9223372036854775807 >= -65`)
        const iv x = bound(a), y = bound(b);
        return detail::decide_by_sides(k, x, y);
    }
    const bool equation = k == node_kind::eq || k == node_kind::ne;
    // 1. the per-node analysis, sharpened by stored relations
    iv r = bound_relational(d);
    if (r.is_empty()) return truth::yes;
    congruence<I> cg = analyze(d.node()).cg;
    if (truth t = detail::decide_relation(k, r, cg); t != truth::unknown) return t;
    // 2. open for good: ends shown attained, or seen both true and false at allowed points
    if (attained_both_ways(k, d.node(), r) || seen_both_ways(k, d.node())) return truth::unknown;
    // 3. the deep tier of the analysis
    r = intersect(r, deep_analyze(d.node()).range);
    if (r.is_empty()) return truth::yes;
    if (truth t = detail::decide_relation(k, r, cg); t != truth::unknown) return t;
    // 4. atoms pruned
    if (E p = prune_atoms(d); !(p == d)) {
        d = p;
        r = intersect(r, bound_relational(d));
        cg = analyze(d.node()).cg;
        if (r.is_empty()) return truth::yes;
        if (truth t = detail::decide_relation(k, r, cg); t != truth::unknown) return t;
    }
    // 5. known != facts on the same difference decide equations
    if (equation)
        for (const auto& rel : state_.relations)
            if (rel.kind == rel_kind::ne && (rel.d == d || rel.d == -d)) return k == node_kind::eq ? truth::no : truth::yes;
    // 6. a small box: every point visited (an equation holds nowhere unless 0 was seen)
    bool zero_seen = false;
    if (auto ex = enumerate(d, &zero_seen)) {
        if (ex->is_empty()) return truth::yes;
        if (!zero_seen && equation) return k == node_kind::eq ? truth::no : truth::yes;
        return detail::decide_relation(k, *ex, congruence<I>::unknown());
    }
    // 7. decided alike at each value of the symbol with the fewest values
    if (truth t = prove_by_values(k, d.node()); t != truth::unknown) return t;
    // 8. Fourier–Motzkin, asked only for an interval the answer would stay open on (for an
    // equation: 0 and a value beside it, both in r)
    r = intersect(r, fm_bound(d.node(), equation ? intersect(r, iv{extended<I>(I(-1)), extended<I>(I(1))}) : detail::order_open_values<I>(k)));
    if (r.is_empty()) return truth::yes;
    if (truth t = detail::decide_relation(k, r, cg); t != truth::unknown) return t;
    // 9. branch and bound over sub-boxes
    return box_prove(
        d.node(), [&](const info& x) { return detail::decide_relation(k, x.range, x.cg); },
        [&](const I& v) { return detail::relation_holds(k, v); });
}

/// Stage 2 of prove_rel, while the box is free: both ends of d are values of it (an order left
/// open by them holds at one end and fails at the other; so does an equation with 0 at an end),
/// or d, unit-step in a sweeping symbol, crosses 0 (an equation then holds somewhere and fails
/// somewhere, as r contains 0 and is not a point).
template <Integer I>
bool fact_store<I>::attained_both_ways(node_kind k, const node_t* d, const iv& r) {
    if (!free_box_) return false;
    const info x = analyze(d);
    const bool equation = k == node_kind::eq || k == node_kind::ne;
    if (x.exact && r == x.range) {
        if (!equation) return true;
        if (r.lo == extended<I>(I(0)) || r.hi == extended<I>(I(0))) return true;
    }
    return equation && x.sweep && zero_crossing(d, x.sweep);
}

/// Stage 2 of prove_rel: `d k 0` seen both true and false at allowed points (for an order the
/// search pushes d towards whichever side of 0 it has not been seen on yet, and stops once it has
/// seen both answers), or an equation seen false at a point and true at one found by a zero
/// search.
template <Integer I>
bool fact_store<I>::seen_both_ways(node_kind k, const node_t* d) {
    const bool equation = k == node_kind::eq || k == node_kind::ne;
    auto mixed = [&](const witness_t& x) {
        return equation ? x.zero && x.nonzero : k == node_kind::lt ? x.lo < 0 && x.hi >= 0 : x.lo <= 0 && x.hi > 0;
    };
    // (an order is seen both ways once d has reached the two ends of this target)
    const iv both = detail::order_open_values<I>(k);
    const witness_t w = witness(d, equation ? nullptr : &both);
    if (!w.any) return false;
    return mixed(w) || (equation && w.nonzero && find_zero(d));
}

/// Stage 7 of prove_rel: the answer when it is the same at each value of the symbol of d with
/// the fewest values (see split_values); unknown otherwise. Values no allowed point has are
/// skipped.
template <Integer I>
truth fact_store<I>::prove_by_values(node_kind k, const node_t* d) {
    truth all = truth::unknown;
    bool first = true, same = true;
    const bool split = split_values(d, [&](const info& x) {
        if (x.range.is_empty()) return true;
        const truth t = detail::decide_relation(k, x.range, x.cg);
        if (t == truth::unknown || (!first && t != all)) {
            same = false;
            return false;
        }
        all = t;
        first = false;
        return true;
    });
    return split && same && !first ? all : truth::unknown;
}

template <Integer I>
truth fact_store<I>::prove_rec(const E& p, int depth) {
    switch (p.kind()) {
    case node_kind::bool_const: return p.is_true() ? truth::yes : truth::no;
    case node_kind::eq:
    case node_kind::ne:
    case node_kind::lt:
    case node_kind::le: return prove_rel(p.kind(), lowered(p.arg(0)), lowered(p.arg(1))); // facts may have grown
    case node_kind::not_: return negate(prove_rec(p.arg(0), depth));
    case node_kind::and_:
    case node_kind::or_: {
        const bool is_and = p.kind() == node_kind::and_;
        const truth absorbing = is_and ? truth::no : truth::yes;
        std::vector<E> open;
        for (std::size_t i = 0; i < p.num_args(); ++i) {
            truth t = prove_rec(p.arg(i), depth);
            if (t == absorbing) return absorbing;
            if (t == truth::unknown) open.push_back(p.arg(i));
        }
        if (open.empty()) return negate(absorbing);
        if (depth >= budget_.case_splits) return truth::unknown;
        // Case split: (a or b) holds if b holds wherever a fails; (a and b) fails if b fails
        // wherever a holds.
        for (std::size_t i = 0; i < open.size(); ++i) {
            truth t;
            try {
                scope s(*this);
                bool consistent = true;
                for (std::size_t j = 0; j < open.size() && consistent; ++j)
                    if (j != i) consistent = add_fact_rec(is_and ? open[j] : logical_not(open[j]));
                if (!consistent) return absorbing; // the others can't all fail (or all hold)
                t = prove_rec(open[i], depth + 1);
            } catch (const division_by_zero&) {
                // Under this case's assumptions a divisor of p is 0 at every point: the case
                // holds no point of p's domain (points where a divisor is 0 are outside it), so,
                // like an inconsistent case, it cannot show p failing (or holding). The scope has
                // restored the store.
                t = absorbing;
            }
            if (t == absorbing) return absorbing;
        }
        return truth::unknown;
    }
    default: throw usage_error("prove() needs a boolean expression, got '" + to_string(p) + "'");
    }
}

template <Integer I>
truth fact_store<I>::prove(const E& p0) {
    if (!p0.is_bool()) throw usage_error("prove() needs a boolean expression, got '" + to_string(p0) + "'");
    check_version();
    try {
        E p = lowered(p0);
        for (const auto& f : state_.opaque) {
            if (f == p) return truth::yes;
            if (f == logical_not(p)) return truth::no;
        }
        truth t = prove_rec(p, 0);
        check_version();
        return t;
    } catch (const overflow_error&) {
        // a step of the proof needs a constant beyond int64 (ranges or facts near its ends)
        check_version();
        return truth::unknown;
    }
}

} // namespace symshape
