// symshape/range/detail/fourier_motzkin.hpp — a small integer Fourier–Motzkin projection: given
// linear constraints sum(a_j * x_j) <= b over integer variables, the bounds they imply on one
// variable. Every derived row is a non-negative combination of the given ones, tightened by the
// gcd of its coefficients (valid because all variables are integers), so the result is sound; it
// is the exact LP bound rounded inward, often the exact integer bound.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <numeric>
#include <vector>

#include "symshape/range/interval.hpp"

namespace symshape::detail {

/// Budgets of one projection; beyond them rows are dropped (sound, looser).
struct fm_limits {
    std::size_t max_rows = 32;
};

/// A system of rows sum(a[j] * x_j) <= b over n integer variables, stored flat (row i's
/// coefficients are a[i*n, i*n + n)). Rows are kept divided by the gcd of their coefficients
/// (b floored) and without duplicate left sides (the smaller b wins).
template <Integer I>
class fm_system {
public:
    explicit fm_system(std::size_t n = 0) : n_(n) {}

    std::size_t vars() const noexcept { return n_; }
    std::size_t size() const noexcept { return b_.size(); }
    const I* row(std::size_t i) const noexcept { return a_.data() + i * n_; }
    const I& rhs(std::size_t i) const noexcept { return b_[i]; }
    /// Makes room for `rows` rows without reallocating.
    void reserve(std::size_t rows) {
        a_.reserve(rows * n_);
        b_.reserve(rows);
        key_.reserve(rows);
    }
    /// Empties the system and sets its number of variables (keeps the buffers).
    void reset(std::size_t n) {
        n_ = n;
        a_.clear();
        b_.clear();
        key_.clear();
    }
    /// Adds sum(a[j] * x_j) <= b (a has vars() entries). Returns false when the row has no
    /// variables and 0 <= b fails (the system is contradictory); a row without variables that
    /// holds is dropped.
    bool add(const I* a, const I& b) {
        I g = 0;
        for (std::size_t j = 0; j < n_ && g != 1; ++j)
            if (a[j] != 0) g = g == 0 ? abs_value(a[j]) : gcd(g, a[j]);
        if (g == 0) return b >= 0;
        // The key is linear in the row (a sum of coefficient times a per-column odd constant,
        // mod 2^64), so the key of the negated row is the negated key.
        std::uint64_t h = 0;
        tmp_.resize(n_);
        for (std::size_t j = 0; j < n_; ++j) {
            tmp_[j] = g == 1 ? a[j] : I(a[j] / g); // (g divides every coefficient exactly)
            if (tmp_[j] != 0) h += column_hash(tmp_[j]) * (0x9e3779b97f4a7c15ULL + 2 * j);
        }
        const I rb = g == 1 ? b : floor_div(b, g);
        for (std::size_t i = 0; i < b_.size(); ++i)
            if (key_[i] == h && std::equal(tmp_.begin(), tmp_.end(), a_.data() + i * n_)) {
                if (rb < b_[i]) b_[i] = rb;
                return true;
            }
        a_.insert(a_.end(), tmp_.begin(), tmp_.end());
        b_.push_back(rb);
        key_.push_back(h);
        return true;
    }
    /// Appends row i of `o` (same number of variables), which is normalized already and has a
    /// left side this system does not hold yet (the caller knows: rows of one system are
    /// distinct, and this system holds only rows of `o` so far).
    void append_distinct(const fm_system& o, std::size_t i) {
        a_.insert(a_.end(), o.row(i), o.row(i) + n_);
        b_.push_back(o.b_[i]);
        key_.push_back(o.key_[i]);
    }
    bool add(std::initializer_list<I> a, const I& b) {
        if (a.size() != n_) throw usage_error("fm_system::add: a row needs one coefficient per variable");
        return add(a.begin(), b);
    }
    /// Rows i and k have opposite left sides (likely, by hash; confirm with opposite()).
    bool maybe_opposite(std::size_t i, std::size_t k) const noexcept { return key_[k] == std::uint64_t(0) - key_[i]; }
    bool opposite(std::size_t i, std::size_t k) const noexcept {
        const I* x = row(i);
        const I* y = row(k);
        I s;
        for (std::size_t t = 0; t < n_; ++t) // (x + y == 0, without negating INT64_MIN)
            if (!try_add(x[t], y[t], s) || s != 0) return false;
        return true;
    }
    void swap(fm_system& o) noexcept {
        std::swap(n_, o.n_);
        a_.swap(o.a_);
        b_.swap(o.b_);
        key_.swap(o.key_);
    }

private:
    std::size_t n_ = 0;
    std::vector<I> a_, b_, tmp_;
    std::vector<std::uint64_t> key_;
    // A value standing for x in the key, with column_hash(-x) == -column_hash(x) (mod 2^64).
    static std::uint64_t column_hash(const I& x) noexcept {
        if constexpr (std::is_same_v<I, std::int64_t>) return static_cast<std::uint64_t>(x);
        else {
            const std::uint64_t m = static_cast<std::uint64_t>(x < 0 ? I(-x) % I(0x7fffffffffffffffLL) : x % I(0x7fffffffffffffffLL));
            return x < 0 ? std::uint64_t(0) - m : m;
        }
    }
};

/// Buffers of one projection, kept per thread so that projections in a loop do not allocate.
template <Integer I>
struct fm_scratch {
    fm_system<I> next;
    std::vector<I> c;
    std::vector<std::size_t> pos, neg, order;
    std::vector<unsigned char> gone;
};

/// The interval of x_target implied by `sys`, computed in place: `sys` is consumed (its rows are
/// unspecified afterwards, its buffers stay for reuse). Gives all integers when the budget runs
/// out or an intermediate coefficient overflows; empty when the rows contradict.
template <Integer I>
interval<I> fm_project_in_place(fm_system<I>& sys, std::size_t target, const fm_limits& lim = {}) {
    const std::size_t n = sys.vars();
    thread_local fm_scratch<I> scratch;
    auto& [next, c, pos, neg, order, gone] = scratch;
    gone.assign(n, 0);
    gone[target] = 1;
    next.reset(n);
    next.reserve(std::max(sys.size(), lim.max_rows) * 2);
    c.assign(n, I(0));
    for (;;) {
        // An equality (rows r and -r) with a coefficient +-1 on a remaining variable removes that
        // variable exactly, keeping integrality (substitution, no real shadow).
        bool substituted = false;
        for (std::size_t i = 0; i < sys.size() && !substituted; ++i) {
            // (not one through the target: that would fold the others' integrality into it)
            if (sys.row(i)[target] != 0) continue;
            for (std::size_t k = i + 1; k < sys.size() && !substituted; ++k) {
                I rsum;
                if (!sys.maybe_opposite(i, k) || !try_add(sys.rhs(i), sys.rhs(k), rsum) || rsum != 0 || !sys.opposite(i, k)) continue;
                const I* eq = sys.row(i);
                for (std::size_t j = 0; j < n; ++j) {
                    if (gone[j] || (eq[j] != 1 && eq[j] != -1)) continue;
                    next.reset(n);
                    for (std::size_t o = 0; o < sys.size(); ++o) {
                        if (o == i || o == k) continue;
                        const I* r = sys.row(o);
                        I rb = sys.rhs(o);
                        std::copy(r, r + n, c.begin());
                        if (r[j] != 0) {
                            I sc; // r -= sc * eq
                            if (!try_mul(r[j], eq[j], sc)) return interval<I>::all();
                            for (std::size_t t = 0; t < n; ++t) {
                                I x;
                                if (!try_mul(sc, eq[t], x) || !try_sub(c[t], x, c[t])) return interval<I>::all();
                            }
                            I x;
                            if (!try_mul(sc, sys.rhs(i), x) || !try_sub(rb, x, rb)) return interval<I>::all();
                        }
                        if (!next.add(c.data(), rb)) return interval<I>::empty();
                    }
                    sys.swap(next);
                    gone[j] = 1;
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
            long np = 0, nn = 0;
            for (std::size_t i = 0; i < sys.size(); ++i) {
                if (sys.row(i)[j] > 0) ++np;
                else if (sys.row(i)[j] < 0) ++nn;
            }
            if (np + nn == 0) {
                gone[j] = 1;
                continue;
            }
            long cost = np * nn - np - nn;
            if (best == n || cost < best_cost) {
                best = j;
                best_cost = cost;
            }
        }
        if (best == n) break;
        const std::size_t j = best;
        gone[j] = 1;
        pos.clear();
        neg.clear();
        next.reset(n);
        for (std::size_t i = 0; i < sys.size(); ++i) {
            const I& x = sys.row(i)[j];
            if (x > 0) pos.push_back(i);
            else if (x < 0) neg.push_back(i);
            else next.append_distinct(sys, i);
        }
        for (std::size_t pi : pos) {
            const I* p = sys.row(pi);
            for (std::size_t qi : neg) {
                const I* q = sys.row(qi);
                // |q_j| * p + p_j * q eliminates x_j.
                const I kp = checked_neg(q[j]);
                const I& kq = p[j];
                I g = gcd(kp, kq);
                I mp = floor_div(kp, g), mq = floor_div(kq, g);
                for (std::size_t t = 0; t < n; ++t) {
                    I x, y;
                    if (!try_mul(mp, p[t], x) || !try_mul(mq, q[t], y) || !try_add(x, y, c[t])) return interval<I>::all();
                }
                I x, y, cb;
                if (!try_mul(mp, sys.rhs(pi), x) || !try_mul(mq, sys.rhs(qi), y) || !try_add(x, y, cb)) return interval<I>::all();
                if (!next.add(c.data(), cb)) return interval<I>::empty();
            }
        }
        if (next.size() > lim.max_rows) {
            // Over budget: keep the sparsest rows. Dropping rows only weakens the system, so
            // the bound stays sound, merely looser.
            // (Named references: clang 14 cannot capture the structured bindings themselves.)
            auto& gone_ref = gone;
            auto& next_ref = next;
            auto nnz = [&](std::size_t i) {
                std::size_t k = 0;
                for (std::size_t t = 0; t < n; ++t)
                    if (!gone_ref[t] || t == target) k += next_ref.row(i)[t] != 0;
                return k;
            };
            order.resize(next.size());
            std::iota(order.begin(), order.end(), std::size_t(0));
            std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return nnz(x) < nnz(y); });
            order.resize(lim.max_rows);
            sys.reset(n);
            for (std::size_t i : order) sys.add(next.row(i), next.rhs(i));
        } else {
            sys.swap(next);
        }
    }
    interval<I> out = interval<I>::all();
    for (std::size_t i = 0; i < sys.size(); ++i) {
        const I& a = sys.row(i)[target];
        if (a > 0) out.hi = std::min(out.hi, extended<I>(floor_div(sys.rhs(i), a)));
        else if (a < 0) out.lo = std::max(out.lo, extended<I>(ceil_div(sys.rhs(i), a)));
        else if (sys.rhs(i) < 0) return interval<I>::empty();
    }
    return out;
}

/// fm_project_in_place on a copy of `sys`.
template <Integer I>
interval<I> fm_project(fm_system<I> sys, std::size_t target, const fm_limits& lim = {}) {
    return fm_project_in_place(sys, target, lim);
}

} // namespace symshape::detail
