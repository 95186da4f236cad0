// symshape/range/detail/node_analysis.hpp — the per-node analysis: a range, a congruence and attainment
// facts for every node of an expression, bottom-up, cached per store version; its deep tier; min/max
// distribution and quotients by a difference.
// Definitions of fact_store members (range/facts.hpp), included through range/impl/facts.hpp.
#pragma once

#include "symshape/range/facts.hpp"

namespace symshape {

namespace detail {

template <Integer I>
bool is_minmax(const node<I>* n) noexcept {
    return n->kind == node_kind::min || n->kind == node_kind::max;
}

/// Whether q is X // c for a constant c >= 2 (the quotients quotient_in_sum works on).
template <Integer I>
bool is_quotient_by_constant(const node<I>* q) noexcept {
    return q->kind == node_kind::floor_div && q->args()[1]->kind == node_kind::constant && q->args()[1]->value >= I(2);
}

/// a <= b at every point where both are defined, shown from their structure alone: a is b, a
/// min with an argument <= b, b a max with an argument >= a, a max whose every argument is <= b,
/// or b a min whose every argument is >= a. False proves nothing. `steps` caps the comparisons.
template <Integer I>
bool ordered_by_structure(const node<I>* a, const node<I>* b, int& steps) {
    if (a == b) return true;
    if (--steps < 0) return false;
    const bool a_min = a->kind == node_kind::min, a_max = a->kind == node_kind::max;
    const bool b_min = b->kind == node_kind::min, b_max = b->kind == node_kind::max;
    if (a_min)
        for (const node<I>* t : a->args())
            if (ordered_by_structure(t, b, steps)) return true;
    if (b_max)
        for (const node<I>* t : b->args())
            if (ordered_by_structure(a, t, steps)) return true;
    if (a_max && std::all_of(a->args().begin(), a->args().end(), [&](const node<I>* t) { return ordered_by_structure(t, b, steps); }))
        return true;
    if (b_min && std::all_of(b->args().begin(), b->args().end(), [&](const node<I>* t) { return ordered_by_structure(a, t, steps); }))
        return true;
    return false;
}

/// Whether sum n has a min or max term c*a and a term -c*b (what ordered_pairs_bound needs).
template <Integer I>
bool may_have_ordered_pair(const node<I>* n) noexcept {
    const auto args = n->args();
    const auto coeffs = n->coeffs();
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (!is_minmax(args[i])) continue;
        for (std::size_t j = 0; j < args.size(); ++j)
            if (j != i && coeffs[j] == -coeffs[i]) return true;
    }
    return false;
}

/// Sum n's range when two of its terms c*a - c*b (c > 0) are ordered by structure (a <= b gives
/// c*a - c*b <= 0, b <= a gives >= 0: `min(x, y) - max(x, y) <= 0`, which the terms' ranges
/// alone miss); term(i) is the range of term i (coefficient applied), asked for only when two
/// terms pair. All integers when no two terms are so ordered.
template <Integer I, class TermRange>
interval<I> ordered_pairs_bound(const node<I>* n, TermRange&& term) {
    const auto args = n->args();
    const auto coeffs = n->coeffs();
    boost::container::small_vector<bool, 8> paired(args.size(), false);
    struct pair {
        std::size_t i, j;
        bool le; // args[i] <= args[j] (else >=)
    };
    boost::container::small_vector<pair, 4> pairs;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (paired[i] || coeffs[i] <= 0) continue;
        for (std::size_t j = 0; j < args.size() && !paired[i]; ++j) {
            if (paired[j] || coeffs[j] != -coeffs[i] || (!is_minmax(args[i]) && !is_minmax(args[j]))) continue;
            int steps = 64, back = 64; // (comparisons allowed for each order of each pair)
            const bool le = ordered_by_structure(args[i], args[j], steps);
            if (!le && !ordered_by_structure(args[j], args[i], back)) continue;
            pairs.push_back({i, j, le});
            paired[i] = paired[j] = true;
        }
    }
    if (pairs.empty()) return interval<I>::all();
    interval<I> r = interval<I>::point(n->value);
    for (const pair& p : pairs) {
        interval<I> both = iv_add(term(p.i), term(p.j));
        if (p.le) both.hi = std::min(both.hi, extended<I>(I(0)));
        else both.lo = std::max(both.lo, extended<I>(I(0)));
        r = iv_add(r, both);
    }
    for (std::size_t i = 0; i < args.size(); ++i)
        if (!paired[i]) r = iv_add(r, term(i));
    return r;
}

/// Whether sum n has a term X // c (is_quotient_by_constant) whose X's first term is a term of n
/// (what fact_store::quotient_in_sum needs, looked at without building linear forms).
template <Integer I>
bool may_have_quotient_of_terms(const node<I>* n) noexcept {
    const auto in_n = [&](const node<I>* m) { return std::find(n->args().begin(), n->args().end(), m) != n->args().end(); };
    return std::any_of(n->args().begin(), n->args().end(), [&](const node<I>* q) {
        if (!is_quotient_by_constant(q)) return false;
        const node<I>* x = q->args()[0];
        return x->kind == node_kind::add ? !x->args().empty() && in_n(x->args()[0]) : in_n(x);
    });
}

} // namespace detail

template <Integer I>
typename fact_store<I>::info fact_store<I>::analyze_uncached(const node_t* n) {
    info r{iv::all(), congruence<I>::unknown()};
    bool deep_rule = false; // a rule of the deep tier may apply to n
    bool corners_failed = false; // a multilinear sum's corners did not fit I (see attain)
    // The children's analyses, each read once here; what the deep tier needs of them, and their
    // symbols, are noted on the way (every case below reads every argument).
    bool kids_same = true, kids_partial = false;
    std::uint64_t kids_syms = 0;
    auto kid = [&](const node_t* a) {
        info x = analyze(a);
        kids_same = kids_same && x.deep_same;
        kids_partial = kids_partial || x.partial;
        kids_syms |= x.syms;
        return x;
    };
    switch (n->kind) {
    case node_kind::constant: r = {iv::point(n->value), congruence<I>::exact(n->value)}; r.exact = true; return r;
    case node_kind::symbol: break;
    case node_kind::add: {
        r.range = iv::point(n->value);
        r.cg = congruence<I>::exact(n->value);
        for (std::size_t i = 0; i < n->args().size(); ++i) {
            const info a = kid(n->args()[i]);
            r.range = iv_add(r.range, iv_scale(a.range, n->coeffs()[i]));
            r.cg = cg_add(r.cg, cg_scale(a.cg, n->coeffs()[i]));
        }
        // With a product among the terms (a linear sum is as tight as its terms already, and a
        // square of a sum always has one):
        if (std::any_of(n->args().begin(), n->args().end(), [](const node_t* t) { return t->kind == node_kind::mul; })) {
            // a node built as a square of a sum (up to sign and constant), bounded as a square;
            if (const auto* sq = detail::arena<I>::get().square_of(n)) {
                const iv root2 = iv_pow(analyze(sq->root).range, I(2));
                const I shift = checked_sub(n->value, checked_mul(I(sq->sign), sq->square->value));
                r.range = intersect(r.range, iv_add(iv_scale(root2, I(sq->sign)), iv::point(shift)));
            }
            // a polynomial, bounded at the corners of its atoms (or by sign where one is unbounded)
            r.range = intersect(r.range, poly_bound(n, &corners_failed));
            if (!r.range.is_bounded()) {
                try {
                    r.range = intersect(r.range, sign_bound(n));
                } catch (const overflow_error&) {
                    // coefficients beyond int64 while splitting: no sharper bound
                }
            }
        }
        // The deep tier's rules for a sum: a quotient by a constant whose dividend is in the sum
        // too (s4 - s4 // 16), two terms ordered by their structure (min(x, y) - max(x, y) <= 0),
        // a min/max term distributed over the rest of the sum. (Marked only where one may apply:
        // a marked node and the nodes above it are analysed again in the deep tier.)
        const bool quotient = detail::may_have_quotient_of_terms(n), pair = detail::may_have_ordered_pair(n);
        const bool distribute = minmax_terms(n) > 0;
        if (quotient || pair || distribute) {
            deep_rule = true;
            if (in_deep() && quotient) r.range = intersect(r.range, quotient_in_sum(n));
            if (in_deep() && pair)
                r.range = intersect(r.range, detail::ordered_pairs_bound(n, [&](std::size_t i) { return iv_scale(analyze(n->args()[i]).range, n->coeffs()[i]); }));
            if (in_deep() && distribute) {
                if (distributing_) r.partial = true;
                else r.range = intersect(r.range, distribute_minmax(n));
            }
        }
        break;
    }
    case node_kind::mul: {
        r.range = iv::point(I(1));
        r.cg = congruence<I>::exact(I(1));
        for (std::size_t i = 0; i < n->args().size(); ++i) {
            const info a = kid(n->args()[i]);
            r.range = iv_mul(r.range, iv_pow(a.range, n->coeffs()[i]));
            for (I e = 0; e < n->coeffs()[i] && e < 8; ++e) r.cg = cg_mul(r.cg, a.cg);
            if (n->coeffs()[i] >= 8) r.cg = congruence<I>::unknown();
        }
        // (X // Y) * Y * rest == (X - X % Y) * rest: bounds the correlated pair together.
        for (std::size_t i = 0; i < n->args().size(); ++i) {
            const node_t* f = n->args()[i];
            if (f->kind != node_kind::floor_div || n->coeffs()[i] != 1) continue;
            lin ly = detail::to_linear(f->args()[1]);
            if (ly.c != 0 || ly.terms.size() != 1 || ly.terms[0].first != 1) continue;
            detail::factor_list<I> have, need;
            detail::monomial_factors(n, have);
            detail::monomial_factors(ly.terms[0].second, need);
            have.erase(have.begin() + static_cast<std::ptrdiff_t>(i));
            bool ok = true;
            for (const auto& ae : need) {
                const auto& atom = ae.first;
                const auto& e = ae.second;
                auto it = std::find_if(have.begin(), have.end(), [&](const auto& p) { return p.first == atom; });
                if (it == have.end() || it->second < e) { ok = false; break; }
                it->second -= e;
            }
            if (!ok) continue;
            have.erase(std::remove_if(have.begin(), have.end(), [](const auto& p) { return p.second == 0; }), have.end());
            if (have.empty()) {
                // (X // y) * y is non-decreasing in X for each fixed y != 0: when y takes few
                // values, the hull over them of [Xlo // y * y, Xhi // y * y] is exact.
                const iv yb = analyze(f->args()[1]).range, xb = analyze(f->args()[0]).range;
                I w;
                if (yb.is_bounded() && try_sub(yb.hi.value(), yb.lo.value(), w) && w < I(64)) {
                    iv h = iv::empty();
                    // (X // v) * v, false when it does not fit (X // -1 may not, though the
                    // product is X)
                    auto multiple = [](const I& x, const I& v, I& t) {
                        if (v == 1 || v == -1) { t = x; return true; }
                        return try_mul(floor_div(x, v), v, t);
                    };
                    for (I k = 0; k <= w; ++k) { // (counted: yb.hi + 1 may not fit)
                        const I v = yb.lo.value() + k;
                        if (v == 0) continue;
                        iv one = iv::all();
                        I t;
                        if (xb.lo.is_finite() && multiple(xb.lo.value(), v, t)) one.lo = t;
                        if (xb.hi.is_finite() && multiple(xb.hi.value(), v, t)) one.hi = t;
                        h = hull(h, one);
                    }
                    r.range = intersect(r.range, h);
                }
            }
            E x(f->args()[0]), y(f->args()[1]);
            E alt = (x - mod(x, y)) * E(detail::make_monomial(have));
            r.range = intersect(r.range, analyze(alt.node()).range);
            break;
        }
        break;
    }
    case node_kind::floor_div:
    case node_kind::mod: {
        const info a = kid(n->args()[0]);
        const info b = kid(n->args()[1]);
        if (n->kind == node_kind::floor_div) {
            r.range = iv_floor_div(a.range, b.range);
            if (b.range.is_point() && b.range.lo.value() > 0) r.cg = cg_floor_div(a.cg, b.range.lo.value());
        } else {
            r.range = iv_mod(a.range, b.range);
            if (b.range.is_point() && b.range.lo.value() > 0) r.cg = cg_mod(a.cg, b.range.lo.value());
        }
        if (n->args()[0]->kind != node_kind::constant && n->args()[1]->kind != node_kind::constant) {
            deep_rule = true;
            if (in_deep()) r.range = intersect(r.range, quotient_by_difference(n, a, b));
        }
        break;
    }
    case node_kind::min:
    case node_kind::max: {
        r = kid(n->args()[0]);
        for (std::size_t i = 1; i < n->args().size(); ++i) {
            const info a = kid(n->args()[i]);
            r.range = n->kind == node_kind::min ? iv_min(r.range, a.range) : iv_max(r.range, a.range);
            r.cg = cg_join(r.cg, a.cg);
        }
        break;
    }
    default: throw usage_error("bound() of a boolean expression");
    }
    if (const iv* b = current_range(n)) r.range = intersect(r.range, *b);
    if (auto it = state_.cgs.empty() ? state_.cgs.end() : state_.cgs.find(n); it != state_.cgs.end()) {
        const congruence<I>& c = it->second;
        if (r.cg.m == 0) {
            // exact already
        } else if (c.m == 0 || (r.cg.m != 0 && floor_mod(c.m, r.cg.m) == 0)) {
            r.cg = c; // the fact is at least as precise
        }
    }
    r.deep_same = !deep_rule && kids_same;
    r.partial = r.partial || kids_partial;
    const iv before = r.range;
    r.range = tighten(r.range, r.cg);
    if (r.range.is_point()) r.cg = congruence<I>::exact(r.range.lo.value());
    // (min/max start from a copy of their first argument's info: drop its attainment facts)
    r.syms = 0;
    r.sweep = nullptr;
    r.span = r.span_any = I(0);
    r.exact = false;
    if (free_box_) {
        if (r.range == before && !ranges_only()) {
            attain(n, r, corners_failed);
        } else {
            // (the congruence moved an end, or the context asks for ranges only: no attainment
            // claim, but the symbols stay known, which parents, the box search's cache and
            // bound()'s grouping of a sum rely on)
            r.syms = n->kind == node_kind::symbol ? symbol_bit(n) : kids_syms;
        }
    }
    return r;
}

/// A sum with a min or max term (at most two such terms) that shares symbols with the rest:
/// rest + c*max(a, b) == max(rest + c*a, rest + c*b) for c > 0 (a min for c < 0, and likewise
/// for min), each arm bounded with what cancels in it (max(x, y) - x is bounded as max(0, y - x)).
/// All integers when it does not apply.
template <Integer I>
interval<I> fact_store<I>::distribute_minmax(const node_t* n) {
    if (minmax_terms(n) == 0) return iv::all();
    std::size_t pick = 0;
    while (n->args()[pick]->kind != node_kind::min && n->args()[pick]->kind != node_kind::max) ++pick;
    const node_t* m = n->args()[pick];
    const I c = n->coeffs()[pick];
    try {
        const E cm = E(c) * E(m);
        const E rest = E(n) - cm;
        if (free_box_ && !(analyze(rest.node()).syms & analyze(m).syms)) return iv::all(); // independent
        // rest + c*max(...) is the max of the arms for c > 0, their min for c < 0
        const bool take_max = (m->kind == node_kind::max) == (c > 0);
        iv r = iv::empty();
        bool first = true;
        const bool outer = !distributing_;
        distributing_ = true; // (the arms' own min/max terms stay whole: no blow-up)
        struct reset {
            fact_store& fs;
            bool outer;
            ~reset() {
                if (!outer) return;
                fs.distributing_ = false;
                fs.partial_cache_.clear();
            }
        } guard{*this, outer};
        for (const node_t* arm : m->args()) {
            const iv a = analyze((rest + E(c) * E(arm)).node()).range;
            r = first ? a : take_max ? iv_max(r, a) : iv_min(r, a);
            first = false;
        }
        return r;
    } catch (const overflow_error&) {
        return iv::all();
    }
}

/// Sum n as k*X + b*(X // c) + rest, for each term b*(X // c) (c >= 2 a constant) whose X has
/// all its terms in n, k times: as X steps by 1, k*X + b*(X // c) moves by k or by k + b, so
/// when those have one sign it is monotone in X and lies between its values at the ends of X's
/// range (s4 - s4 // 16 is in [16 - 1, 4096 - 256], where the terms' ranges give [-240, 4095]);
/// rest adds its terms' ranges. All integers when no term qualifies.
template <Integer I>
interval<I> fact_store<I>::quotient_in_sum(const node_t* n) {
    iv out = iv::all();
    try {
        const lin ln = detail::to_linear(n);
        for (const auto& term : ln.terms) {
            const I& b = term.first; // (named: clang 14 cannot capture a structured binding)
            const node_t* q = term.second;
            if (!detail::is_quotient_by_constant(q)) continue;
            const I& c = q->args()[1]->value;
            const node_t* x = q->args()[0];
            const lin lx = detail::to_linear(x);
            if (lx.terms.empty()) continue;
            const std::ptrdiff_t first = detail::find_term(ln, lx.terms[0].second);
            if (first < 0) continue;
            const I& kc = ln.terms[static_cast<std::size_t>(first)].first;
            if (floor_mod(kc, lx.terms[0].first) != 0) continue;
            const I k = floor_div(kc, lx.terms[0].first);
            if (!detail::contains_scaled(ln, lx, k)) continue;
            const I step = checked_add(k, b); // (the other step is k)
            const bool rising = k > 0 && step >= 0, falling = k < 0 && step <= 0;
            if (!rising && !falling) continue;
            const iv xr = analyze(x).range;
            if (xr.is_empty() || !xr.is_bounded()) continue;
            auto f = [&](const I& v) { return checked_add(checked_mul(k, v), checked_mul(b, floor_div(v, c))); };
            const extended<I> at_lo(f(xr.lo.value())), at_hi(f(xr.hi.value()));
            iv r = rising ? iv{at_lo, at_hi} : iv{at_hi, at_lo};
            r = iv_add(r, iv::point(checked_sub(ln.c, checked_mul(k, lx.c))));
            for (const auto& [t, m] : ln.terms)
                if (m != q && detail::find_term(lx, m) < 0) r = iv_add(r, iv_scale(analyze(m).range, t));
            out = intersect(out, r);
        }
    } catch (const overflow_error&) {
        // a value beyond int64 on the way: the bounds found so far stand
    }
    return out;
}

/// x // y and x % y (node n, with a and b the analyses of x and y) through x - k*y for k = 1
/// and k = -1, for a divisor of one sign: x // y == k + (x - k*y) // y and x % y == (x - k*y) %
/// y; and x % y == x when 0 <= x < y, x + y when -y <= x < 0 (mirrored for y < 0). Canonical
/// subtraction cancels what x and y have in common, so this sees x < y where the ranges of x and
/// y alone overlap (s // (s + 12) is 0, (-s) // (s + 3) is -1). All integers when it does not
/// apply.
template <Integer I>
interval<I> fact_store<I>::quotient_by_difference(const node_t* n, const info& a, const info& b) {
    const node_t* x = n->args()[0];
    const node_t* y = n->args()[1];
    const extended<I> zero(I(0));
    const bool pos = b.range.lo > zero, neg = b.range.hi < zero;
    if (x->kind == node_kind::constant || y->kind == node_kind::constant || !(pos || neg)) return iv::all();
    if (free_box_ && !(a.syms & b.syms)) return iv::all(); // independent: the ranges say it all
    iv r = iv::all();
    for (const I& k : {I(1), I(-1)}) {
        iv d;
        try {
            d = analyze((E(x) - E(k) * E(y)).node()).range;
        } catch (const overflow_error&) {
            continue; // the difference's coefficients do not fit
        }
        if (n->kind == node_kind::floor_div) {
            r = intersect(r, iv_add(iv_floor_div(d, b.range), iv::point(k)));
            continue;
        }
        r = intersect(r, iv_mod(d, b.range));
        if (k == 1 ? (pos && a.range.lo >= zero && d.hi < zero)    // 0 <= x < y
                   : (pos && a.range.hi < zero && d.lo >= zero))   // -y <= x < 0
            r = intersect(r, k == 1 ? a.range : d);
        if (k == 1 ? (neg && a.range.hi <= zero && d.lo > zero)    // y < x <= 0
                   : (neg && a.range.lo > zero && d.hi <= zero))   // 0 < x <= -y
            r = intersect(r, k == 1 ? a.range : d);
    }
    return r;
}

template <Integer I>
typename fact_store<I>::info fact_store<I>::analyze(const node_t* n) {
    // (a constant's analysis is its value in every context: not worth a cache slot)
    if (n->kind == node_kind::constant) return analyze_uncached(n);
    check_version();
    info_cache& own = cache();
    if (const info* c = own.find(n)) return *c;
    // (in the deep tier, an analysis the deep rules would not change is the cheap tier's)
    if (in_deep())
        if (const info* c = ctx_->cheap->find(n); c && c->deep_same) return *c;
    if (distributing_)
        if (const info* c = partial_cache_.find(n)) return *c;
    info r = analyze_uncached(n);
    if (!r.partial) cache().insert(n, r);
    else partial_cache_.insert(n, r);
    return r;
}

template <Integer I>
typename fact_store<I>::iv fact_store<I>::analysis_range(const E& e) {
    check_version();
    try {
        return analyze(lowered(e).node()).range;
    } catch (const overflow_error&) {
        return iv::all();
    }
}

/// analyze() with the rules that build new expressions (min/max distributed over a sum, a
/// quotient through the difference of its operands) on every node: sharper where subterms share
/// symbols, and several times the cost, so bound() and prove() use it only for what the cheap
/// tier left loose or open. Cached per version apart from the cheap tier's infos.
template <Integer I>
typename fact_store<I>::info fact_store<I>::deep_analyze(const node_t* n) {
    check_version();
    if (in_deep()) return analyze(n);
    context deep = child_context();
    deep.cheap = deep.cache;
    deep.cache = deep.deep_cache;
    deep.deep = true;
    deep.ranges_only = true; // (the deep tier is asked for ranges: see bound_whole, prove_rel)
    context_scope scope(*this, deep);
    return analyze(n);
}

} // namespace symshape
