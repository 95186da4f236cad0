// symshape/range/detail/polynomial_extremes.hpp — polynomial extremes: the exact range of a polynomial over
// the box of its atoms (corners, a quadratic's vertex) and its sign where one atom is unbounded.
// Definitions of fact_store members (range/facts.hpp), included through range/impl/facts.hpp.
#pragma once

#include "symshape/range/facts.hpp"

namespace symshape {

/// For a polynomial with an unbounded atom B of degree 1: p = B*Q + R is monotone in B where Q
/// keeps one sign, so its extremes are at B's finite ends (the other end runs to infinity):
/// a + b - a*b + a*a*b >= 2 for a, b >= 1. All integers when it does not apply.
template <Integer I>
interval<I> fact_store<I>::sign_bound(const node_t* n) {
    detail::factor_list<I> f;
    const node_t* b = nullptr;
    for (std::size_t t = 0; t < n->args().size() && !b; ++t) {
        detail::monomial_factors(n->args()[t], f);
        for (const auto& [atom, e] : f) {
            if (e != 1 || analyze(atom).range.is_bounded()) continue;
            // B must have degree 1 wherever it appears.
            bool linear = true;
            detail::factor_list<I> g;
            for (std::size_t u = 0; u < n->args().size() && linear; ++u) {
                detail::monomial_factors(n->args()[u], g);
                for (const auto& [a2, e2] : g)
                    if (a2 == atom && e2 != 1) linear = false;
            }
            if (linear) { b = atom; break; }
        }
    }
    if (!b) return iv::all();
    E q(I(0)), rest(n->value);
    for (std::size_t t = 0; t < n->args().size(); ++t) {
        detail::monomial_factors(n->args()[t], f);
        auto it = std::find_if(f.begin(), f.end(), [&](const auto& p) { return p.first == b; });
        E k(n->coeffs()[t]);
        if (it == f.end()) {
            rest = rest + k * E(n->args()[t]);
        } else {
            f.erase(it);
            q = q + k * E(detail::make_monomial(f));
        }
    }
    const iv qb = analyze(q.node()).range, bb = analyze(b).range;
    const bool up = qb.lo >= extended<I>(I(0)), down = qb.hi <= extended<I>(I(0));
    if (!up && !down) return iv::all();
    auto at = [&](const extended<I>& x) { return analyze((E(x.value()) * q + rest).node()).range; };
    iv out = iv::all();
    // non-decreasing in B: the minimum at B's low end, the maximum at its high end
    const extended<I>& low_end = up ? bb.lo : bb.hi;
    const extended<I>& high_end = up ? bb.hi : bb.lo;
    if (low_end.is_finite()) out.lo = at(low_end).lo;
    if (high_end.is_finite()) out.hi = at(high_end).hi;
    return out;
}

/// Exact range of a multilinear polynomial (every atom of degree 1) over the box of its atoms.
/// Only the atoms found in two or more terms are set to the corners of their ranges: with those
/// fixed, each term is a constant times a product of atoms no other term has, whose extremes are
/// products of their ends, and the terms vary independently, so the sum's extremes are the sums
/// of the terms' extremes. (The same range as at every corner of every atom, in fewer steps.)
/// All integers when a term's value at a corner, or an extreme, does not fit I.
template <Integer I>
interval<I> fact_store<I>::multilinear_bound(const node_t* n, std::span<const iv> boxes, std::span<const std::uint8_t> term_atoms,
                                             std::uint8_t shared) {
    const std::size_t nt = n->args().size();
    // Per term: the extremes of the product of its own atoms.
    boost::container::small_vector<I, 16> own_lo(nt, I(1)), own_hi(nt, I(1));
    for (std::size_t t = 0; t < nt; ++t)
        for (unsigned own = term_atoms[t] & ~shared; own; own &= own - 1) {
            const iv& b = boxes[static_cast<std::size_t>(std::countr_zero(own))];
            I p[4];
            if (!try_mul(own_lo[t], b.lo.value(), p[0]) || !try_mul(own_lo[t], b.hi.value(), p[1]) ||
                !try_mul(own_hi[t], b.lo.value(), p[2]) || !try_mul(own_hi[t], b.hi.value(), p[3]))
                return iv::all();
            own_lo[t] = std::min({p[0], p[1], p[2], p[3]});
            own_hi[t] = std::max({p[0], p[1], p[2], p[3]});
        }
    std::array<I, 8> val{}; // the shared atoms' values at the current corner
    for (unsigned sh = shared; sh; sh &= sh - 1) {
        const auto j = static_cast<std::size_t>(std::countr_zero(sh));
        val[j] = boxes[j].lo.value();
    }
    // The range of term t at the current corner, added to (sign 1) or taken from (-1) the sums.
    // Each term's ends fit I (else all integers, as for a corner value that does not fit); the
    // sums are kept in a wider type for int64, since the sum of some of the terms can leave
    // int64 where every value of the polynomial fits (at most 128 terms of at most 2^63 each).
    __extension__ typedef __int128 wide;
    using sum_t = std::conditional_t<std::is_same_v<I, std::int64_t>, wide, I>;
    sum_t sum_lo = sum_t(n->value), sum_hi = sum_t(n->value);
    auto apply = [&](std::size_t t, int sign) {
        I p = n->coeffs()[t];
        for (unsigned sh = term_atoms[t] & shared; sh; sh &= sh - 1)
            if (!try_mul(p, val[static_cast<std::size_t>(std::countr_zero(sh))], p)) return false;
        I a, z;
        if (!try_mul(p, own_lo[t], a) || !try_mul(p, own_hi[t], z)) return false;
        if (a > z) std::swap(a, z);
        if (sign > 0) {
            sum_lo += sum_t(a);
            sum_hi += sum_t(z);
        } else {
            sum_lo -= sum_t(a);
            sum_hi -= sum_t(z);
        }
        return true;
    };
    for (std::size_t t = 0; t < nt; ++t)
        if (!apply(t, 1)) return iv::all();
    sum_t lo = sum_lo, hi = sum_hi;
    // Corners of the shared atoms in Gray-code order: one atom changes between neighbours.
    std::array<std::uint8_t, 8> bit_atom{}; // corner bit -> atom index
    std::size_t k = 0;
    for (unsigned sh = shared; sh; sh &= sh - 1) bit_atom[k++] = static_cast<std::uint8_t>(std::countr_zero(sh));
    const std::uint32_t corners = 1u << k;
    for (std::uint32_t corner = 1; corner < corners; ++corner) {
        const std::size_t j = bit_atom[static_cast<std::size_t>(std::countr_zero(corner))];
        for (std::size_t t = 0; t < nt; ++t)
            if ((term_atoms[t] >> j & 1) && !apply(t, -1)) return iv::all();
        val[j] = val[j] == boxes[j].lo.value() ? boxes[j].hi.value() : boxes[j].lo.value();
        for (std::size_t t = 0; t < nt; ++t)
            if ((term_atoms[t] >> j & 1) && !apply(t, 1)) return iv::all();
        lo = std::min(lo, sum_lo);
        hi = std::max(hi, sum_hi);
    }
    if constexpr (std::is_same_v<I, std::int64_t>) {
        // (an extreme beyond int64 is a value of the polynomial that does not fit)
        constexpr std::int64_t min64 = std::numeric_limits<std::int64_t>::min(), max64 = std::numeric_limits<std::int64_t>::max();
        if (lo < wide(min64) || hi > wide(max64)) return iv::all();
        return {extended<I>(static_cast<I>(lo)), extended<I>(static_cast<I>(hi))};
    } else {
        return {extended<I>(lo), extended<I>(hi)};
    }
}

/// Exact range of a polynomial over the box of its atoms (treated as independent, which is
/// sound): multilinear -> extremes at the corners; one atom of degree 2 -> corners and vertex.
/// Returns all integers when it does not apply; *failed (when given) is set when it applied to a
/// multilinear sum with bounded atoms but a value did not fit (its range is then not the exact one).
template <Integer I>
interval<I> fact_store<I>::poly_bound(const node_t* n, bool* failed) {
    // At most 7 atoms (2^7 corners); bit j of term_atoms[t]: atom j is a factor of term t.
    boost::container::small_vector<const node_t*, 8> atoms;
    boost::container::small_vector<int, 8> degree;
    boost::container::small_vector<std::uint8_t, 16> term_atoms;
    unsigned before = 0, shared = 0; // atoms of the terms so far; atoms in two terms or more
    for (std::size_t i = 0; i < n->args().size(); ++i) {
        const node_t* m = n->args()[i];
        unsigned mine = 0;
        auto note = [&](const node_t* a, const I& e) {
            const auto j = static_cast<std::size_t>(std::find(atoms.begin(), atoms.end(), a) - atoms.begin());
            const int d = e > 8 ? 9 : static_cast<int>(to_int64(e));
            if (j == atoms.size()) {
                if (atoms.size() == 7) return false;
                atoms.push_back(a);
                degree.push_back(d);
            } else {
                degree[j] = std::max(degree[j], d);
            }
            mine |= 1u << j;
            return true;
        };
        if (m->kind == node_kind::mul) {
            for (std::size_t j = 0; j < m->args().size(); ++j)
                if (!note(m->args()[j], m->coeffs()[j])) return iv::all();
        } else if (!note(m, I(1))) {
            return iv::all();
        }
        shared |= before & mine;
        before |= mine;
        term_atoms.push_back(static_cast<std::uint8_t>(mine));
    }
    // (no shared atom: the term-by-term sum is already this tight)
    if (!shared) return iv::all();
    if (atoms.size() == 1 && degree[0] == 2 && n->args().size() <= 2) {
        // A univariate quadratic A*x^2 + B*x + C over a range open on a side: the far side is
        // infinite, the near side is at a finite end or next to the vertex.
        const iv xb = analyze(atoms[0]).range;
        if (!xb.is_bounded() && !xb.is_empty()) {
            I A = 0, B = 0;
            for (std::size_t t = 0; t < n->args().size(); ++t)
                (n->args()[t]->kind == node_kind::mul ? A : B) = n->coeffs()[t];
            if (A == 0) return iv::all();
            extended<I> best = A > 0 ? extended<I>::pos_inf() : extended<I>::neg_inf();
            auto at = [&](const I& x) {
                I r, t;
                if (!try_mul(A, x, t) || !try_add(t, B, t) || !try_mul(t, x, r) || !try_add(r, n->value, r)) return false;
                best = A > 0 ? std::min(best, extended<I>(r)) : std::max(best, extended<I>(r));
                return true;
            };
            I den;
            if (!try_mul(A, I(2), den)) return iv::all();
            I v0 = floor_div(checked_neg(B), den);
            for (I v : {v0, v0 + 1})
                if (xb.contains(v) && !at(v)) return iv::all();
            for (const extended<I>& end : {xb.lo, xb.hi})
                if (end.is_finite() && !at(end.value())) return iv::all();
            if (!best.is_finite()) return iv::all();
            return A > 0 ? iv{best, extended<I>::pos_inf()} : iv{extended<I>::neg_inf(), best};
        }
    }
    boost::container::small_vector<iv, 8> boxes;
    int nonlinear = 0;
    for (std::size_t i = 0; i < atoms.size(); ++i) {
        boxes.push_back(analyze(atoms[i]).range);
        if (!boxes.back().is_bounded()) return iv::all();
        if (degree[i] > 1) ++nonlinear;
        if (degree[i] > 2) return iv::all();
    }
    if (nonlinear > 1) return iv::all();
    if (nonlinear == 0) {
        const iv m = multilinear_bound(n, std::span<const iv>(boxes.data(), boxes.size()),
                                       std::span<const std::uint8_t>(term_atoms.data(), term_atoms.size()), static_cast<std::uint8_t>(shared));
        if (failed && !m.is_bounded()) *failed = true; // (bounded boxes: only a value that does not fit)
        return m;
    }
    // For each corner of the other atoms the polynomial is a univariate quadratic
    // A*x^2 + B*x + C in the quadratic atom x (if any); its extremes over x's range are at the
    // ends or at the integer points next to the vertex. The polynomial is affine in every other
    // atom, so the extremes over the box are among these points (exact for independent atoms).
    std::size_t qi = atoms.size();
    for (std::size_t i = 0; i < atoms.size(); ++i)
        if (degree[i] == 2) qi = i;
    boost::container::small_vector<I, 8> val(atoms.size());
    std::uint32_t corners = 1u << (atoms.size() - (qi < atoms.size() ? 1 : 0));
    extended<I> lo = extended<I>::pos_inf(), hi = extended<I>::neg_inf();
    auto take = [&](const I& v) {
        lo = std::min(lo, extended<I>(v));
        hi = std::max(hi, extended<I>(v));
    };
    // Each term as (coefficient, its factors as (atom index, exponent)), resolved once.
    struct factor {
        std::uint8_t atom;
        std::uint8_t exp;
    };
    // (a sum over 7 atoms has up to 192 terms, so over 255 factors: the first index is wide)
    boost::container::small_vector<std::pair<std::uint32_t, std::uint8_t>, 16> spans; // (first factor, count)
    boost::container::small_vector<factor, 32> factors;
    for (std::size_t t = 0; t < n->args().size(); ++t) {
        const node_t* m = n->args()[t];
        const auto first = static_cast<std::uint32_t>(factors.size());
        auto add_factor = [&](const node_t* a, const I& e) {
            auto j = static_cast<std::uint8_t>(std::find(atoms.begin(), atoms.end(), a) - atoms.begin());
            factors.push_back({j, static_cast<std::uint8_t>(to_int64(e))});
        };
        if (m->kind == node_kind::mul)
            for (std::size_t j = 0; j < m->args().size(); ++j) add_factor(m->args()[j], m->coeffs()[j]);
        else add_factor(m, I(1));
        spans.emplace_back(first, static_cast<std::uint8_t>(factors.size() - first));
    }
    // Corners in Gray-code order: one atom changes between neighbours, so only the terms that
    // contain it are recomputed and the sums by power of x are updated.
    boost::container::small_vector<std::uint8_t, 8> bit_atom; // corner bit -> atom index
    for (std::size_t i = 0; i < atoms.size(); ++i)
        if (i != qi) bit_atom.push_back(static_cast<std::uint8_t>(i));
    boost::container::small_vector<I, 16> term_val(spans.size());
    boost::container::small_vector<std::uint8_t, 16> term_xe(spans.size());
    // The product of term t (x's factors left out) at the current corner; false on overflow.
    auto term = [&](std::size_t t) {
        I prod = n->coeffs()[t];
        int xe = 0;
        for (std::size_t f = spans[t].first; f < std::size_t(spans[t].first) + spans[t].second; ++f) {
            const factor fa = factors[f];
            if (fa.atom == qi) {
                xe += fa.exp;
                continue;
            }
            for (int k = 0; k < fa.exp; ++k)
                if (!try_mul(prod, val[fa.atom], prod)) return false;
        }
        if (xe > 2) return false;
        term_val[t] = prod;
        term_xe[t] = static_cast<std::uint8_t>(xe);
        return true;
    };
    I abc[3] = {n->value, I(0), I(0)}; // C, B, A
    for (std::size_t i = 0; i < atoms.size(); ++i)
        if (i != qi) val[i] = boxes[i].lo.value();
    for (std::size_t t = 0; t < spans.size(); ++t)
        if (!term(t) || !try_add(abc[term_xe[t]], term_val[t], abc[term_xe[t]])) return iv::all();
    for (std::uint32_t corner = 0; corner < corners; ++corner) {
        if (corner > 0) {
            const std::uint8_t a = bit_atom[static_cast<std::size_t>(std::countr_zero(corner))];
            val[a] = val[a] == boxes[a].lo.value() ? boxes[a].hi.value() : boxes[a].lo.value();
            for (std::size_t t = 0; t < spans.size(); ++t) {
                if (!(term_atoms[t] >> a & 1)) continue;
                const int xe = term_xe[t];
                if (!try_sub(abc[xe], term_val[t], abc[xe]) || !term(t) || !try_add(abc[xe], term_val[t], abc[xe])) return iv::all();
            }
        }
        if (qi == atoms.size()) {
            take(abc[0]);
            continue;
        }
        const I& C = abc[0];
        const I& B = abc[1];
        const I& A = abc[2];
        auto at = [&](const I& x) {
            I r, t;
            // (A*x + B)*x + C
            if (!try_mul(A, x, t) || !try_add(t, B, t) || !try_mul(t, x, r) || !try_add(r, C, r)) return false;
            take(r);
            return true;
        };
        const iv& xb = boxes[qi];
        if (!at(xb.lo.value()) || !at(xb.hi.value())) return iv::all();
        if (A != 0) {
            I den;
            if (!try_mul(A, I(2), den)) return iv::all();
            I v0 = floor_div(checked_neg(B), den);
            for (I v : {v0, v0 + 1})
                if (xb.contains(v) && !at(v)) return iv::all();
        }
    }
    return {lo, hi};
}

} // namespace symshape
