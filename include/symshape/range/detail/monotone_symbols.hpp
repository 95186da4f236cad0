// symshape/range/detail/monotone_symbols.hpp — monotone symbols: slopes, and bounds with the symbols along
// which an expression never falls (or never rises) fixed at the end where its extreme lies.
// Definitions of fact_store members (range/facts.hpp), included through range/impl/facts.hpp.
#pragma once

#include "symshape/range/facts.hpp"

namespace symshape {

/// An interval holding n(x + 1) - n(x) at every point of the box where x + 1 is in it too (the
/// forward difference of n in symbol x), from the children's: sums and products by the
/// difference rules (f g)(x + 1) - (f g)(x) = (f(x + 1) - f(x)) g(x + 1) + f(x) (g(x + 1) -
/// g(x)) over the children's ranges; a min or max moves within its arguments' differences; a
/// quotient by a positive divisor that does not vary with x moves by at most ceil(d / divisor).
/// All integers where no rule applies (a remainder that varies with x, a divisor that may be 0).
/// Only while the box is free.
template <Integer I>
interval<I> fact_store<I>::slope(const node_t* n, const node_t* x) {
    const extended<I> zero(I(0));
    if (n == x) return iv::point(I(1));
    if (n->kind == node_kind::constant || n->kind == node_kind::symbol) return iv::point(I(0));
    if (const info ni = analyze(n); !(ni.syms & symbol_bit(x)) || ni.range.is_point()) return iv::point(I(0));
    switch (n->kind) {
    case node_kind::add: {
        iv d = iv::point(I(0));
        for (std::size_t i = 0; i < n->args().size() && !d.is_empty(); ++i) {
            d = iv_add(d, iv_scale(slope(n->args()[i], x), n->coeffs()[i]));
            if (!d.lo.is_finite() && !d.hi.is_finite()) return iv::all();
        }
        return d;
    }
    case node_kind::mul: {
        iv p = iv::point(I(1)), d = iv::point(I(0)); // the product so far (at x) and its difference
        for (std::size_t i = 0; i < n->args().size(); ++i) {
            if (n->coeffs()[i] > 8) return iv::all();
            const node_t* a = n->args()[i];
            // a factor's values at x and at x + 1; x itself is in [lo, hi - 1], then [lo + 1, hi]
            iv f = analyze(a).range, f_next = f;
            if (a == x && f.is_bounded() && !f.is_point()) {
                f = {f.lo, extended<I>(f.hi.value() - 1)};
                f_next = {extended<I>(f.lo.value() + 1), f_next.hi};
            }
            const iv df = slope(a, x);
            for (I k = 0; k < n->coeffs()[i]; ++k) {
                d = iv_add(iv_mul(d, f_next), iv_mul(p, df));
                p = iv_mul(p, f);
            }
            if (!d.lo.is_finite() && !d.hi.is_finite()) return iv::all();
        }
        return d;
    }
    case node_kind::floor_div: {
        const iv b = analyze(n->args()[1]).range;
        if (!(b.lo > zero)) return iv::all();
        const iv da = slope(n->args()[0], x), db = slope(n->args()[1], x);
        if (db == iv::point(I(0))) {
            // (a + d) // b - a // b lies in [floor(d / b), ceil(d / b)]; over b >= b.lo, within
            // [min(0, floor(d.lo / b.lo)), max(0, ceil(d.hi / b.lo))]
            const I& bl = b.lo.value();
            const extended<I> lo = da.lo.is_finite() ? extended<I>(std::min(I(0), floor_div(da.lo.value(), bl))) : da.lo;
            const extended<I> hi = da.hi.is_finite() ? extended<I>(std::max(I(0), ceil_div(da.hi.value(), bl))) : da.hi;
            return {lo, hi};
        }
        // a >= 0 over a positive divisor: a rising while b falls raises the quotient
        if (analyze(n->args()[0]).range.lo >= zero) {
            if (da.lo >= zero && db.hi <= zero) return iv::at_least(I(0));
            if (da.hi <= zero && db.lo >= zero) return iv::at_most(I(0));
        }
        return iv::all();
    }
    case node_kind::min:
    case node_kind::max: {
        // min(f, g)(x + 1) - min(f, g)(x) is between the least and the greatest of the
        // arguments' differences (and so is max's)
        iv d = iv::empty();
        for (const node_t* a : n->args()) {
            d = hull(d, slope(a, x));
            if (!d.lo.is_finite() && !d.hi.is_finite()) return iv::all();
        }
        return d;
    }
    case node_kind::mod: {
        // with a quotient k that never changes, a % b == a - k*b; otherwise a sawtooth
        const iv q = iv_floor_div(analyze(n->args()[0]).range, analyze(n->args()[1]).range);
        if (!q.is_point()) return iv::all();
        return iv_add(slope(n->args()[0], x), iv_scale(slope(n->args()[1], x), checked_neg(q.lo.value())));
    }
    default: return iv::all();
    }
}

/// The ends of e's bound through its monotone symbols, while the box is free: a symbol along
/// which e never falls (slope() >= 0) sits at its high end for e's maximum and at its low end
/// for its minimum (the other way round when e never rises). Each end is then the bound of e
/// with those symbols fixed: the same extreme over fewer symbols, found by the whole search
/// again (where more symbols may turn out monotone). Nothing when no symbol is monotone.
template <Integer I>
std::optional<interval<I>> fact_store<I>::bound_monotone(const E& e, const iv& r, unsigned need) {
    if (!free_box_ || !budget_.monotone) return std::nullopt;
    // Only for an e defined at every point of the box: a divisor whose range holds 0 makes e
    // undefined at some points, and an extreme may then sit inside a symbol's range however the
    // defined values move (slope() reads differences between neighbours, both defined).
    const extended<I> zero(I(0));
    bool total = true;
    detail::for_each_node(e.node(), std::numeric_limits<std::size_t>::max(), [&](const node_t* n) {
        if (total && (n->kind == node_kind::floor_div || n->kind == node_kind::mod)) {
            const iv b = analyze(n->args()[1]).range;
            total = b.lo > zero || b.hi < zero;
        }
        return total;
    });
    if (!total) return std::nullopt;
    boost::container::small_vector<const node_t*, 8> syms;
    detail::collect_symbols(e.node(), syms);
    std::unordered_map<E, E, expr_hash> at_hi, at_lo;
    std::size_t loose = 0; // symbols not shown monotone so far
    for (const node_t* x : syms) {
        // (more symbols left free than the budget allows: no need to look at the rest)
        if (loose > budget_.monotone_free) return std::nullopt;
        ++loose;
        const iv b = analyze(x).range;
        if (!b.is_bounded() || b.is_point()) continue;
        iv d;
        try {
            d = slope(e.node(), x);
        } catch (const overflow_error&) {
            continue; // a step beyond int64: not shown monotone
        }
        if (d.is_empty()) continue;
        if (d.lo >= zero) {
            at_hi.emplace(E(x), E(b.hi.value()));
            at_lo.emplace(E(x), E(b.lo.value()));
            --loose;
        } else if (d.hi <= zero) {
            at_hi.emplace(E(x), E(b.lo.value()));
            at_lo.emplace(E(x), E(b.hi.value()));
            --loose;
        }
    }
    if (at_hi.empty() || loose > budget_.monotone_free) return std::nullopt;
    // Each end over the symbols left free, as bound() does it.
    auto end = [&](const std::unordered_map<E, E, expr_hash>& at, unsigned side) {
        const E x = substitute(e, at);
        // few symbols are left: the box search for bounds converges fast there
        struct restore {
            std::size_t& field;
            std::size_t value;
            ~restore() { field = value; }
        } keep{budget_.bound_box_splits, budget_.bound_box_splits};
        budget_.bound_box_splits = std::max(budget_.bound_box_splits, budget_.monotone_box_splits);
        return bound_lowered(x, side);
    };
    iv out = r;
    bool any = false;
    for (const unsigned side : {high_end, low_end}) {
        if (!(need & side)) continue;
        try {
            const iv b = end(side == high_end ? at_hi : at_lo, side);
            if (b.is_empty()) continue; // (no defined point there: leave that end alone)
            if (side == high_end) out.hi = std::min(out.hi, b.hi);
            else out.lo = std::max(out.lo, b.lo);
            any = true;
        } catch (const overflow_error&) {
            // e at that end of the box is beyond int64 (the range stays as it was)
        } catch (const division_by_zero&) {
            // (not expected: every divisor's range excludes 0, so none is 0 at a fixed end)
        }
    }
    if (!any) return std::nullopt;
    return out;
}

} // namespace symshape
