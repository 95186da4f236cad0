// symshape/range/interval.hpp — inclusive integer intervals with explicit infinities, the
// congruence domain (x ≡ r mod m), and their sound transfer functions for every node kind.
#pragma once

#include <ostream>
#include <string>

#include "symshape/int/extended.hpp"

namespace symshape {

/// An inclusive interval [lo, hi] of integers; either end may be infinite. Empty when lo > hi.
template <Integer I>
struct interval {
    using ext = extended<I>;
    ext lo = ext::neg_inf();
    ext hi = ext::pos_inf();

    static interval all() { return {}; }
    static interval point(const I& v) { return {v, v}; }
    static interval empty() { return {ext(I(1)), ext(I(0))}; }
    static interval at_least(const I& v) { return {v, ext::pos_inf()}; }
    static interval at_most(const I& v) { return {ext::neg_inf(), v}; }

    bool is_empty() const { return lo > hi; }
    bool is_point() const { return lo.is_finite() && lo == hi; }
    bool is_bounded() const { return lo.is_finite() && hi.is_finite(); }
    bool contains(const I& v) const { return lo <= ext(v) && ext(v) <= hi; }
    bool contains(const interval& o) const { return o.is_empty() || (lo <= o.lo && o.hi <= hi); }
    friend bool operator==(const interval& a, const interval& b) {
        return (a.is_empty() && b.is_empty()) || (a.lo == b.lo && a.hi == b.hi);
    }
    std::string str() const { return is_empty() ? std::string("[empty]") : "[" + lo.str() + ", " + hi.str() + "]"; }
    friend std::ostream& operator<<(std::ostream& os, const interval& i) { return os << i.str(); }
};

template <Integer I>
interval<I> intersect(const interval<I>& a, const interval<I>& b) {
    return {std::max(a.lo, b.lo), std::min(a.hi, b.hi)};
}
template <Integer I>
interval<I> hull(const interval<I>& a, const interval<I>& b) {
    if (a.is_empty()) return b;
    if (b.is_empty()) return a;
    return {std::min(a.lo, b.lo), std::max(a.hi, b.hi)};
}

/// x ≡ r (mod m). m == 0 means x == r exactly; m == 1 means nothing is known. 0 <= r < m.
template <Integer I>
struct congruence {
    I m = 1;
    I r = 0;
    static congruence exact(const I& v) { return {I(0), v}; }
    static congruence unknown() { return {I(1), I(0)}; }
    bool is_unknown() const { return m == 1; }
    friend bool operator==(const congruence&, const congruence&) = default;
};

// ---- transfer functions (all sound: the result contains every reachable value) ----

template <Integer I>
interval<I> iv_add(const interval<I>& a, const interval<I>& b) {
    if (a.is_empty() || b.is_empty()) return interval<I>::empty();
    return {add(a.lo, b.lo, round_to::down), add(a.hi, b.hi, round_to::up)};
}

template <Integer I>
interval<I> iv_scale(const interval<I>& a, const I& k) {
    if (a.is_empty() || k == 1) return a; // (the most common coefficient)
    if (k >= 0) return {mul(a.lo, extended<I>(k), round_to::down), mul(a.hi, extended<I>(k), round_to::up)};
    return {mul(a.hi, extended<I>(k), round_to::down), mul(a.lo, extended<I>(k), round_to::up)};
}

template <Integer I>
interval<I> iv_mul(const interval<I>& a, const interval<I>& b) {
    if (a.is_empty() || b.is_empty()) return interval<I>::empty();
    if (a.is_point()) return iv_scale(b, a.lo.value());
    if (b.is_point()) return iv_scale(a, b.lo.value());
    if (a.is_bounded() && b.is_bounded()) {
        // The common case: four finite corner products, none overflowing.
        const I& al = a.lo.value();
        const I& ah = a.hi.value();
        const I& bl = b.lo.value();
        const I& bh = b.hi.value();
        I p0, p1, p2, p3;
        if (try_mul(al, bl, p0) && try_mul(al, bh, p1) && try_mul(ah, bl, p2) && try_mul(ah, bh, p3))
            return {std::min(std::min(p0, p1), std::min(p2, p3)), std::max(std::max(p0, p1), std::max(p2, p3))};
    }
    extended<I> lo = extended<I>::pos_inf(), hi = extended<I>::neg_inf();
    for (const auto& x : {a.lo, a.hi})
        for (const auto& y : {b.lo, b.hi}) {
            // (a finite product that fits is its own rounding either way)
            I p;
            if (x.is_finite() && y.is_finite() && try_mul(x.value(), y.value(), p)) {
                lo = std::min(lo, extended<I>(p));
                hi = std::max(hi, extended<I>(p));
                continue;
            }
            lo = std::min(lo, mul(x, y, round_to::down));
            hi = std::max(hi, mul(x, y, round_to::up));
        }
    return {lo, hi};
}

/// a^e for e >= 1 (even powers are non-negative).
template <Integer I>
interval<I> iv_pow(const interval<I>& a, const I& e) {
    interval<I> r = a;
    for (I i = 1; i < e; ++i) r = iv_mul(r, a);
    if (floor_mod(e, I(2)) == 0 && r.lo < extended<I>(I(0))) {
        // Even power: tighter than repeated multiplication of a sign-mixed interval.
        extended<I> m = std::max(negate(a.lo, round_to::up), a.hi);
        extended<I> lo = (a.lo <= extended<I>(I(0)) && a.hi >= extended<I>(I(0))) ? extended<I>(I(0)) : std::min(negate(a.hi, round_to::down), a.lo);
        extended<I> h = m;
        extended<I> l2 = lo;
        for (I i = 1; i < e; ++i) {
            h = mul(h, m, round_to::up);
            l2 = mul(l2, lo, round_to::down);
        }
        r = {l2, h};
    }
    return r;
}

namespace detail {
// floor(x / y) on extended values for y >= 1 (y may be +inf), x any.
template <Integer I>
extended<I> ediv_pos(const extended<I>& x, const extended<I>& y) {
    if (!x.is_finite()) return x;
    if (y.is_pos_inf()) return x.value() >= 0 ? extended<I>(I(0)) : extended<I>(I(-1));
    return floor_div(x.value(), y.value());
}
} // namespace detail

/// a // b over the divisor values other than 0 (a zero divisor is outside the domain).
template <Integer I>
interval<I> iv_floor_div(const interval<I>& a, const interval<I>& b) {
    using E = extended<I>;
    if (a.is_empty() || b.is_empty()) return interval<I>::empty();
    interval<I> pos = intersect(b, interval<I>::at_least(I(1)));
    interval<I> neg = intersect(b, interval<I>::at_most(I(-1)));
    interval<I> r = interval<I>::empty();
    if (!pos.is_empty()) {
        E lo = a.lo >= E(I(0)) ? detail::ediv_pos(a.lo, pos.hi) : detail::ediv_pos(a.lo, pos.lo);
        E hi = a.hi >= E(I(0)) ? detail::ediv_pos(a.hi, pos.lo) : detail::ediv_pos(a.hi, pos.hi);
        r = hull(r, interval<I>{lo, hi});
    }
    if (!neg.is_empty()) {
        // x // y == (-x) // (-y)
        interval<I> na{negate(a.hi, round_to::down), negate(a.lo, round_to::up)};
        interval<I> nb{negate(neg.hi, round_to::down), negate(neg.lo, round_to::up)};
        r = hull(r, iv_floor_div(na, nb));
    }
    return r;
}

/// a % b (floor modulo) over the divisor values other than 0.
template <Integer I>
interval<I> iv_mod(const interval<I>& a, const interval<I>& b) {
    using E = extended<I>;
    if (a.is_empty() || b.is_empty()) return interval<I>::empty();
    interval<I> pos = intersect(b, interval<I>::at_least(I(1)));
    interval<I> neg = intersect(b, interval<I>::at_most(I(-1)));
    interval<I> r = interval<I>::empty();
    if (!pos.is_empty()) {
        interval<I> p{E(I(0)), add(pos.hi, E(I(-1)), round_to::up)};
        if (a.lo >= E(I(0))) {
            if (a.hi < pos.lo) p = a;                 // the dividend is always below the divisor
            else p.hi = std::min(p.hi, a.hi);         // x % y <= x for x >= 0
        }
        if (pos.is_point() && a.is_bounded()) {
            const I& c = pos.lo.value();
            if (floor_div(a.lo.value(), c) == floor_div(a.hi.value(), c))
                p = {floor_mod(a.lo.value(), c), floor_mod(a.hi.value(), c)};
        }
        r = hull(r, p);
    }
    if (!neg.is_empty()) {
        // x % y == -((-x) % (-y))
        interval<I> na{negate(a.hi, round_to::down), negate(a.lo, round_to::up)};
        interval<I> nb{negate(neg.hi, round_to::down), negate(neg.lo, round_to::up)};
        interval<I> m = iv_mod(na, nb);
        r = hull(r, interval<I>{negate(m.hi, round_to::down), negate(m.lo, round_to::up)});
    }
    return r;
}

template <Integer I>
interval<I> iv_min(const interval<I>& a, const interval<I>& b) {
    if (a.is_empty() || b.is_empty()) return interval<I>::empty();
    return {std::min(a.lo, b.lo), std::min(a.hi, b.hi)};
}
template <Integer I>
interval<I> iv_max(const interval<I>& a, const interval<I>& b) {
    if (a.is_empty() || b.is_empty()) return interval<I>::empty();
    return {std::max(a.lo, b.lo), std::max(a.hi, b.hi)};
}

// ---- congruence transfer functions ----

// gcd for moduli: when it would be 2^63 (int64, from 0 and INT64_MIN only), 2^62, which divides
// it, so the congruence still holds, only weaker.
template <Integer I>
I cg_gcd(const I& a, const I& b) {
    if constexpr (std::is_same_v<I, std::int64_t>) {
        constexpr I lowest = std::numeric_limits<std::int64_t>::min();
        if ((a == 0 || a == lowest) && (b == 0 || b == lowest) && (a != 0 || b != 0)) return I(1) << 62;
    }
    return gcd(a, b);
}

template <Integer I>
congruence<I> cg_normal(I m, I r) {
    if (m < 0 && !try_sub(I(0), m, m)) return congruence<I>::unknown(); // (m = INT64_MIN)
    if (m != 0) r = floor_mod(r, m);
    return {m, r};
}

template <Integer I>
congruence<I> cg_add(const congruence<I>& a, const congruence<I>& b) {
    if (a.is_unknown() || b.is_unknown()) return congruence<I>::unknown(); // (gcd with 1)
    I s;
    if (!try_add(a.r, b.r, s)) return congruence<I>::unknown();
    return cg_normal(cg_gcd(a.m, b.m), s);
}

template <Integer I>
congruence<I> cg_scale(const congruence<I>& a, const I& k) {
    I m, r;
    if (!try_mul(a.m, k, m) || !try_mul(a.r, k, r)) return congruence<I>::unknown();
    return cg_normal(m, r);
}

template <Integer I>
congruence<I> cg_mul(const congruence<I>& a, const congruence<I>& b) {
    // (m1 q1 + r1)(m2 q2 + r2) = m1 m2 q1 q2 + m1 r2 q1 + m2 r1 q2 + r1 r2
    if (a.is_unknown() && b.is_unknown()) return congruence<I>::unknown(); // (all but m1 m2 are 0)
    I mm, m1r2, m2r1, rr;
    if (!try_mul(a.m, b.m, mm) || !try_mul(a.m, b.r, m1r2) || !try_mul(b.m, a.r, m2r1) || !try_mul(a.r, b.r, rr))
        return congruence<I>::unknown();
    return cg_normal(cg_gcd(cg_gcd(mm, m1r2), m2r1), rr);
}

/// Congruence of x // c for a constant c >= 1.
template <Integer I>
congruence<I> cg_floor_div(const congruence<I>& a, const I& c) {
    if (a.m == 0) return congruence<I>::exact(floor_div(a.r, c));
    if (floor_mod(a.m, c) == 0) return cg_normal(floor_div(a.m, c), floor_div(a.r, c));
    return congruence<I>::unknown();
}

/// Congruence of x % c for a constant c >= 1.
template <Integer I>
congruence<I> cg_mod(const congruence<I>& a, const I& c) {
    if (a.m == 0) return congruence<I>::exact(floor_mod(a.r, c));
    if (floor_mod(a.m, c) == 0) return congruence<I>::exact(floor_mod(a.r, c));
    I g = cg_gcd(a.m, c);
    return cg_normal(g, a.r); // x % c = x - c*q, and g | c
}

/// Congruence for a join point (hull of two possibilities).
template <Integer I>
congruence<I> cg_join(const congruence<I>& a, const congruence<I>& b) {
    I d;
    if (!try_sub(a.r, b.r, d)) return congruence<I>::unknown();
    return cg_normal(cg_gcd(cg_gcd(a.m, b.m), d), a.r);
}

/// Shrinks the ends of `iv` to values that satisfy `cg` (empty when none does).
template <Integer I>
interval<I> tighten(interval<I> iv, const congruence<I>& cg) {
    if (iv.is_empty()) return iv;
    if (cg.m == 0) return iv.contains(cg.r) ? interval<I>::point(cg.r) : interval<I>::empty();
    if (cg.m == 1) return iv;
    I t, n;
    if (iv.lo.is_finite() && try_sub(cg.r, iv.lo.value(), t) && try_add(iv.lo.value(), floor_mod(t, cg.m), n)) iv.lo = n;
    if (iv.hi.is_finite() && try_sub(iv.hi.value(), cg.r, t) && try_sub(iv.hi.value(), floor_mod(t, cg.m), n)) iv.hi = n;
    return iv;
}

} // namespace symshape
