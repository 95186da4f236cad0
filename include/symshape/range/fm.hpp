// symshape/range/fm.hpp — a small integer Fourier–Motzkin projection: given linear constraints
// sum(a_j * x_j) <= b over integer variables, the bounds they imply on one variable. Every
// derived row is a non-negative combination of the given ones, tightened by the gcd of its
// coefficients (valid because all variables are integers), so the result is sound; it is the
// exact LP bound rounded inward, often the exact integer bound.
#pragma once

#include <algorithm>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "symshape/range/interval.hpp"

namespace symshape::detail {

/// sum(a[j] * x_j) <= b.
template <Integer I>
struct fm_row {
    boost::container::small_vector<I, 16> a; // inline up to the default 12 atoms + objective
    I b{};
    std::uint64_t key = 0;  // hash of `a` (set by fm_normalize), compared before `a` itself
    std::uint64_t nkey = 0; // hash of `-a`: finds the other half of an equality quickly
};

/// Budgets of one projection; beyond them rows are dropped (sound, looser).
struct fm_limits {
    std::size_t max_rows = 32;
};

/// Divides a row by the gcd of its coefficients (flooring b). Returns false when the row has no
/// variables left: then `feasible` tells whether 0 <= b.
template <Integer I>
bool fm_normalize(fm_row<I>& r, bool& feasible) {
    I g = 0;
    for (const I& x : r.a)
        if (x != 0) g = gcd(g, x);
    if (g == 0) {
        feasible = r.b >= 0;
        return false;
    }
    if (g != 1) {
        for (I& x : r.a) x = floor_div(x, g);
        r.b = floor_div(r.b, g);
    }
    std::uint64_t h = 0x9e3779b97f4a7c15ULL, nh = h;
    for (const I& x : r.a) {
        h = (h ^ hash_integer(x)) * 0x100000001b3ULL;
        // hash_integer(-x), without negating (int64's hash is linear in x, so this is exact)
        std::uint64_t hn;
        if constexpr (std::is_same_v<I, std::int64_t>) hn = std::uint64_t(0) - hash_integer(x);
        else hn = hash_integer(I(-x));
        nh = (nh ^ hn) * 0x100000001b3ULL;
    }
    r.key = h;
    r.nkey = nh;
    return true;
}

/// Adds `r` to `rows` unless an identical left side is present (then keeps the smaller b).
/// Returns false when the row is contradictory on its own.
template <Integer I>
bool fm_insert(std::vector<fm_row<I>>& rows, fm_row<I>&& r) {
    bool feasible = true;
    if (!fm_normalize(r, feasible)) return feasible;
    for (auto& o : rows)
        if (o.key == r.key && o.a == r.a) {
            if (r.b < o.b) o.b = r.b;
            return true;
        }
    rows.push_back(std::move(r));
    return true;
}

/// The interval of x_target implied by `rows` (n variables each). Gives all integers when the
/// budget runs out or an intermediate coefficient overflows; empty when the rows contradict.
template <Integer I>
interval<I> fm_project(std::vector<fm_row<I>> rows, std::size_t n, std::size_t target, const fm_limits& lim = {}) {
    std::vector<bool> gone(n, false);
    gone[target] = true;
    for (;;) {
        // An equality (rows r and -r) with a coefficient +-1 on a remaining variable removes that
        // variable exactly, keeping integrality (substitution, no real shadow).
        bool substituted = false;
        for (std::size_t i = 0; i < rows.size() && !substituted; ++i) {
            // (not one through the target: that would fold the others' integrality into it)
            if (rows[i].a[target] != 0) continue;
            for (std::size_t k = i + 1; k < rows.size() && !substituted; ++k) {
                if (rows[k].key != rows[i].nkey || rows[k].b != -rows[i].b) continue;
                bool neg = true;
                for (std::size_t t = 0; t < n && neg; ++t) neg = rows[k].a[t] == -rows[i].a[t];
                if (!neg) continue;
                for (std::size_t j = 0; j < n; ++j) {
                    if (gone[j] || (rows[i].a[j] != 1 && rows[i].a[j] != -1)) continue;
                    const fm_row<I> eq = rows[i];
                    std::vector<fm_row<I>> next;
                    for (std::size_t o = 0; o < rows.size(); ++o) {
                        if (o == i || o == k) continue;
                        fm_row<I> r = rows[o];
                        if (r.a[j] != 0) {
                            const I sc = r.a[j] * eq.a[j]; // r -= sc * eq
                            for (std::size_t t = 0; t < n; ++t) {
                                I x;
                                if (!try_mul(sc, eq.a[t], x) || !try_sub(r.a[t], x, r.a[t])) return interval<I>::all();
                            }
                            I x;
                            if (!try_mul(sc, eq.b, x) || !try_sub(r.b, x, r.b)) return interval<I>::all();
                        }
                        if (!fm_insert(next, std::move(r))) return interval<I>::empty();
                    }
                    rows = std::move(next);
                    gone[j] = true;
                    substituted = true;
                    break;
                }
            }
        }
        if (substituted) continue;
        // Pick the variable whose elimination creates the fewest rows.
        std::size_t best = n;
        long best_cost = 0;
        for (std::size_t j = 0; j < n; ++j) {
            if (gone[j]) continue;
            long pos = 0, neg = 0;
            for (const auto& r : rows) {
                if (r.a[j] > 0) ++pos;
                else if (r.a[j] < 0) ++neg;
            }
            if (pos + neg == 0) {
                gone[j] = true;
                continue;
            }
            long cost = pos * neg - pos - neg;
            if (best == n || cost < best_cost) {
                best = j;
                best_cost = cost;
            }
        }
        if (best == n) break;
        const std::size_t j = best;
        gone[j] = true;
        std::vector<fm_row<I>> keep, pos, neg;
        for (auto& r : rows) {
            if (r.a[j] > 0) pos.push_back(std::move(r));
            else if (r.a[j] < 0) neg.push_back(std::move(r));
            else keep.push_back(std::move(r));
        }
        for (const auto& p : pos) {
            for (const auto& q : neg) {
                // |q_j| * p + p_j * q eliminates x_j.
                const I kp = checked_neg(q.a[j]);
                const I& kq = p.a[j];
                I g = gcd(kp, kq);
                I mp = floor_div(kp, g), mq = floor_div(kq, g);
                fm_row<I> c;
                c.a.resize(n);
                for (std::size_t t = 0; t < n; ++t) {
                    I x, y;
                    if (!try_mul(mp, p.a[t], x) || !try_mul(mq, q.a[t], y) || !try_add(x, y, c.a[t])) return interval<I>::all();
                }
                I x, y;
                if (!try_mul(mp, p.b, x) || !try_mul(mq, q.b, y) || !try_add(x, y, c.b)) return interval<I>::all();
                if (!fm_insert(keep, std::move(c))) return interval<I>::empty();
            }
        }
        if (keep.size() > lim.max_rows) {
            // Over budget: keep the sparsest rows. Dropping rows only weakens the system, so
            // the bound stays sound, merely looser.
            auto nnz = [&](const fm_row<I>& r) {
                std::size_t k = 0;
                for (std::size_t t = 0; t < n; ++t)
                    if (!gone[t] || t == target) k += r.a[t] != 0;
                return k;
            };
            std::stable_sort(keep.begin(), keep.end(), [&](const fm_row<I>& x, const fm_row<I>& y) { return nnz(x) < nnz(y); });
            keep.resize(lim.max_rows);
        }
        rows = std::move(keep);
    }
    interval<I> out = interval<I>::all();
    for (const auto& r : rows) {
        const I& a = r.a[target];
        if (a > 0) out.hi = std::min(out.hi, extended<I>(floor_div(r.b, a)));
        else if (a < 0) out.lo = std::max(out.lo, extended<I>(ceil_div(r.b, a)));
        else if (r.b < 0) return interval<I>::empty();
    }
    return out;
}

} // namespace symshape::detail
