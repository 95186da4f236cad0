// symshape/range/detail/attainment.hpp — attainment: which ends of a node's range are values of it (both
// ends exact, a sweeping symbol), and the node's values at five fixed points of a free box.
// Definitions of fact_store members (range/facts.hpp), included through range/impl/facts.hpp.
#pragma once

#include "symshape/range/facts.hpp"

namespace symshape {

/// Fills r.syms, r.exact, r.sweep / r.span from the children's (see `info`). Only claims what
/// the rules below show; a missed claim merely sends bound() down its slower paths, and a claim
/// never changes a range, so none of this can make a bound unsound.
template <Integer I>
void fact_store<I>::attain(const node_t* n, info& r, bool corners_failed) {
    auto width = [](const iv& b, I& w) { return b.is_bounded() && try_sub(b.hi.value(), b.lo.value(), w); };
    const extended<I> zero(I(0)), one(I(1));
    switch (n->kind) {
    case node_kind::constant: r.exact = true; return;
    case node_kind::symbol: {
        r.syms = symbol_bit(n);
        I w;
        if (!width(r.range, w)) return;
        r.exact = true;
        if (n->symbol_index < 63) { r.sweep = n; r.span = w; r.span_any = w; }
        return;
    }
    case node_kind::add: {
        // Independent atoms (pairwise no shared symbol), each attaining its ends, in a
        // multilinear sum: the extremes sit at corners of the box, which are all reachable
        // (poly_bound computes exactly those when a product is present, up to 7 atoms, unless
        // a value does not fit: corners_failed).
        boost::container::small_vector<const node_t*, 8> atoms;
        std::uint64_t seen = 0;
        bool exact = true, has_mul = false;
        auto atom = [&](const node_t* a, const info& x) {
            if (std::find(atoms.begin(), atoms.end(), a) != atoms.end()) return;
            if (!x.exact || (x.syms & seen)) exact = false;
            seen |= x.syms;
            atoms.push_back(a);
        };
        // each term's symbols and sweep, looked up once (a term that is not a product is an atom)
        struct term_facts {
            std::uint64_t syms;
            const node_t* sweep;
            I span, span_any;
        };
        boost::container::small_vector<term_facts, 8> ts;
        for (const node_t* m : n->args()) {
            const info x = analyze(m);
            ts.push_back({x.syms, x.sweep, x.span, x.span_any});
            r.syms |= x.syms;
            if (!exact) continue;
            if (m->kind == node_kind::mul) {
                has_mul = true;
                for (std::size_t j = 0; j < m->args().size() && exact; ++j) {
                    if (m->coeffs()[j] != 1) exact = false; // (a power: its ends need not be a corner's)
                    else atom(m->args()[j], analyze(m->args()[j]));
                }
            } else {
                atom(m, x);
            }
        }
        r.exact = exact && r.range.is_bounded() && (!has_mul || (atoms.size() <= 7 && !corners_failed));
        // A unit-coefficient term that alone mentions a sweeping symbol keeps it sweeping.
        for (std::size_t i = 0; i < n->args().size(); ++i) {
            const node_t* m = n->args()[i];
            if (m->kind == node_kind::mul || (n->coeffs()[i] != 1 && n->coeffs()[i] != -1)) continue;
            const term_facts& x = ts[i];
            if (!x.sweep || (r.sweep && x.span_any <= r.span_any)) continue;
            std::uint64_t others = 0;
            for (std::size_t j = 0; j < ts.size(); ++j)
                if (j != i) others |= ts[j].syms;
            if (others & symbol_bit(x.sweep)) continue;
            r.sweep = x.sweep;
            r.span = x.span;
            r.span_any = x.span_any;
        }
        return;
    }
    case node_kind::mul: {
        std::uint64_t seen = 0;
        bool exact = true;
        for (std::size_t i = 0; i < n->args().size(); ++i) {
            const info x = analyze(n->args()[i]);
            // a^e with a of one sign is monotone in |a|: its ends come from a's ends.
            if (!x.exact || (x.syms & seen) || (n->coeffs()[i] != 1 && x.range.lo < zero && x.range.hi > zero)) exact = false;
            seen |= x.syms;
        }
        r.syms = seen;
        r.exact = exact && r.range.is_bounded();
        return;
    }
    case node_kind::floor_div:
    case node_kind::mod: {
        const info x = analyze(n->args()[0]), y = analyze(n->args()[1]);
        r.syms = x.syms | y.syms;
        if (!r.range.is_bounded() || x.range.is_empty() || y.range.is_empty() || y.range.lo < one) return; // (empty: a split value where n is nowhere defined)
        const bool disjoint = !(x.syms & y.syms);
        if (n->kind == node_kind::floor_div) {
            if (y.range.is_point()) {
                // monotone in X
                r.exact = x.exact;
                if (x.sweep) {
                    r.sweep = x.sweep;
                    r.span = floor_div(x.span, y.range.lo.value());
                    r.span_any = floor_div(x.span_any, y.range.lo.value());
                }
            } else {
                // monotone in each of X and Y when X keeps one sign: ends at the corners
                r.exact = disjoint && x.exact && y.exact && (x.range.lo >= zero || x.range.hi <= zero);
                // dividing a unit-step run by a fixed d <= Y's largest keeps a unit-step run
                if (x.sweep && !(symbol_bit(x.sweep) & y.syms) && y.range.hi.is_finite()) {
                    r.sweep = x.sweep;
                    r.span = floor_div(x.span, y.range.hi.value());
                    // independent X and Y: X's best run divided by Y's smallest
                    r.span_any = disjoint && y.exact ? floor_div(x.span_any, y.range.lo.value()) : r.span;
                }
            }
            return;
        }
        // X % Y for Y >= 1.
        if (x.exact && x.range.lo >= zero && x.range.hi < y.range.lo) { r.exact = r.range == x.range; return; } // == X
        if (y.range.is_point()) {
            const I& c = y.range.lo.value();
            if (x.exact && floor_div(x.range.lo.value(), c) == floor_div(x.range.hi.value(), c)) { r.exact = true; return; }
        }
        if (r.range.lo != zero) return;
        // A run of X through k consecutive values (the sweeping symbol is not in Y) meets every
        // residue of a fixed Y <= k: with Y at its largest that gives Y - 1, at its smallest 0.
        // With X and Y independent the run may use X's best choice of the other symbols.
        const bool run = x.sweep && !(symbol_bit(x.sweep) & y.syms) && y.exact;
        const I run_len = run ? (disjoint ? x.span_any : x.span) : I(0);
        bool lo0 = (x.exact && x.range.lo == zero) || (run && run_len >= y.range.lo.value() - 1);
        if (run && run_len >= y.range.hi.value() - 1 && r.range.hi == extended<I>(y.range.hi.value() - 1)) { r.exact = true; return; }
        // Independent X >= 0 and Y reaching above X's largest: X % Y is X's largest there.
        if (disjoint && x.exact && y.exact && x.range.lo >= zero && y.range.hi > x.range.hi)
            r.exact = lo0 && r.range.hi == x.range.hi;
        return;
    }
    case node_kind::min:
    case node_kind::max: {
        // Arguments that can never be the extreme one do not matter; the rest, independent and
        // attaining their ends, attain the ends of the min / max.
        const bool is_min = n->kind == node_kind::min;
        boost::container::small_vector<info, 4> xs;
        for (const node_t* a : n->args()) {
            xs.push_back(analyze(a));
            r.syms |= xs.back().syms;
        }
        std::uint64_t seen = 0;
        bool exact = r.range.is_bounded();
        for (std::size_t i = 0; i < xs.size() && exact; ++i) {
            bool dominated = false;
            for (std::size_t j = 0; j < xs.size() && !dominated; ++j)
                if (j != i) dominated = is_min ? xs[i].range.lo >= xs[j].range.hi && (xs[i].range.lo > xs[j].range.hi || j < i)
                                               : xs[i].range.hi <= xs[j].range.lo && (xs[i].range.hi < xs[j].range.lo || j < i);
            if (dominated) continue;
            if (!xs[i].exact || (xs[i].syms & seen)) exact = false;
            seen |= xs[i].syms;
        }
        r.exact = exact;
        return;
    }
    default: return;
    }
}

/// The values of integer node n at five fixed points of the box: every symbol at its low end;
/// at its high end; at its middle; low or high by the parity of its index; the opposite (an
/// unbounded side is replaced by the finite end, or by 0). Only while the box is free.
template <Integer I>
const typename fact_store<I>::corner_values& fact_store<I>::corners(const node_t* n) {
    if (const corner_values* c = corners_cache().find(n)) return *c;
    corner_values r;
    switch (n->kind) {
    case node_kind::constant:
        r.v.fill(n->value);
        r.ok = 0x1f;
        break;
    case node_kind::symbol: {
        const iv b = analyze(n).range;
        if (b.is_empty()) break;
        const auto [lo, hi] = point_ends(b);
        const bool even = n->symbol_index % 2 == 0;
        r.v = {lo, hi, b.is_bounded() ? midpoint(lo, hi) : lo, even ? lo : hi, even ? hi : lo};
        r.ok = 0x1f;
        break;
    }
    default: {
        if (is_bool_kind(n->kind)) break;
        // the children first; their entries are looked up only after every recursion (the
        // table moves when it grows)
        const std::size_t na = n->args().size();
        for (std::size_t i = 0; i < na; ++i) (void)corners(n->args()[i]);
        boost::container::small_vector<const corner_values*, 8> kids;
        r.ok = 0x1f;
        for (std::size_t i = 0; i < na; ++i) {
            kids.push_back(corners_cache().find(n->args()[i]));
            r.ok &= kids.back()->ok;
        }
        for (std::size_t p = 0; p < 5; ++p) {
            if (!(r.ok & (1u << p))) continue;
            auto arg = [&](std::size_t i) -> const I& { return kids[i]->v[p]; };
            if (!detail::apply_op(n->kind, n->value, n->coeffs().begin(), na, arg, r.v[p])) r.ok = static_cast<std::uint8_t>(r.ok & ~(1u << p));
        }
    }
    }
    corners_cache().insert(n, r);
    return *corners_cache().find(n);
}

} // namespace symshape
