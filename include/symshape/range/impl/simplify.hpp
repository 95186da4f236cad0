// symshape/range/impl/simplify.hpp — the definitions behind symshape/range/simplify.hpp: compiled into
// libsymshape in compiled mode, included by that header in header-only mode. Not for direct
// inclusion.
#pragma once

#include "symshape/range/simplify.hpp"

#include <optional>

#include "symshape/range/detail/shorten.hpp"

namespace symshape {

namespace detail {

template <Integer I>
class simplifier {
public:
    using E = basic_expr<I>;
    simplifier(fact_store<I>& fs, simplify_memos<I>& memos) : fs_(fs), shorten_(memos), memo_(memos.results) {}

    E run(const node<I>* n) {
        if (const node<I>* const* m = memo_.find(n)) return E(*m);
        E r(n);
        try {
            r = rewrite(n);
        } catch (const overflow_error&) {
            // a rewrite whose constants leave int64 (ranges near its ends): keep the node
            r = E(n);
        }
        // A non-constant integer whose range is a single point is that constant (not worth a
        // full bound when two allowed points already give it two values: the fixed points
        // first, then a search, which shows most of what the fixed points leave).
        if (!r.is_bool() && !r.is_constant() && !fs_.seen_varying(r) && !fs_.searched_varying(r)) {
            interval<I> b = fs_.bound(r);
            if (b.is_point()) r = E(b.lo.value());
        }
        memo_.insert(n, r.node());
        return r;
    }

private:
    E rewrite(const node<I>* n) {
        auto sub = [&](std::size_t i) { return run(n->args()[i]); };
        switch (n->kind) {
        case node_kind::constant:
        case node_kind::symbol:
        case node_kind::bool_const: return E(n);
        case node_kind::add:
        case node_kind::mul: {
            // (the node itself when no argument changed: rebuilding it would give it back)
            boost::container::small_vector<E, 8> a; // (most have few arguments: no allocation)
            bool same = true;
            for (std::size_t i = 0; i < n->args().size(); ++i) {
                a.push_back(sub(i));
                same = same && a.back().node() == n->args()[i];
            }
            return same ? E(n) : remade<I>(n, [&](std::size_t i) -> const E& { return a[i]; });
        }
        case node_kind::floor_div: {
            E a = sub(0), b = sub(1);
            // A divisor that is 0 wherever defined: the expression is defined nowhere; keep it.
            if (b.is_constant() && b.constant_value() == 0) return E(n);
            interval<I> bb = fs_.bound(b);
            if (bb.lo >= extended<I>(I(1))) {
                const small_dividend sd = dividend_range(a, b, bb);
                // 0 <= a < b  ->  0
                if (sd.below && (sd.below_by_ranges || fs_.prove(lt(a, b)) == truth::yes)) return E(I(0));
                // -b <= a < 0 -> -1
                if (sd.above && (sd.above_by_ranges || fs_.prove(le(-a, b)) == truth::yes)) return E(I(-1));
            }
            if (b.is_constant() && b.constant_value() > 1)
                if (auto r = known_remainder(a, b.constant_value(), false)) return linear_in_two_point_symbol(*r);
            return linear_in_two_point_symbol(floor_div(a, b));
        }
        case node_kind::mod: {
            E a = sub(0), b = sub(1);
            if (b.is_constant() && b.constant_value() == 0) return E(n);
            interval<I> bb = fs_.bound(b);
            if (bb.lo >= extended<I>(I(1))) {
                const small_dividend sd = dividend_range(a, b, bb);
                if (sd.below && (sd.below_by_ranges || fs_.prove(lt(a, b)) == truth::yes)) return a;
                if (sd.above && (sd.above_by_ranges || fs_.prove(le(-a, b)) == truth::yes)) return a + b;
            }
            if (b.is_constant() && b.constant_value() > 1)
                if (auto r = known_remainder(a, b.constant_value(), true)) return linear_in_two_point_symbol(*r);
            return linear_in_two_point_symbol(mod(a, b));
        }
        case node_kind::min:
        case node_kind::max: {
            const bool is_min = n->kind == node_kind::min;
            std::vector<E> args;
            args.reserve(n->args().size());
            for (std::size_t i = 0; i < n->args().size(); ++i) args.push_back(sub(i));
            // Drop every argument that another one is proven to dominate.
            std::vector<E> kept;
            kept.reserve(args.size());
            for (std::size_t i = 0; i < args.size(); ++i) {
                bool dominated = false;
                for (std::size_t j = 0; j < args.size() && !dominated; ++j) {
                    if (i == j) continue;
                    // keep the earliest of proven-equal arguments
                    const E& lower = is_min ? args[j] : args[i];
                    const E& upper = is_min ? args[i] : args[j];
                    if (seen_greater(lower, upper)) continue; // a point where j does not dominate
                    // (most dominations show in the two ranges alone: no difference to build)
                    if (decide_by_sides(node_kind::le, fs_.analysis_range(lower), fs_.analysis_range(upper)) != truth::yes &&
                        fs_.prove(le(lower, upper)) != truth::yes)
                        continue;
                    if (j < i) {
                        dominated = true;
                        continue;
                    }
                    const bool equal = !seen_greater(upper, lower) && fs_.prove(eq(args[i], args[j])) == truth::yes;
                    if (!equal) dominated = true;
                }
                if (!dominated) kept.push_back(args[i]);
            }
            if (kept.empty()) kept.push_back(args[0]);
            return is_min ? min(std::move(kept)) : max(std::move(kept));
        }
        case node_kind::eq:
        case node_kind::ne:
        case node_kind::lt:
        case node_kind::le: {
            E a = sub(0), b = sub(1);
            E r = n->kind == node_kind::eq ? eq(a, b) : n->kind == node_kind::ne ? ne(a, b) : n->kind == node_kind::lt ? lt(a, b) : le(a, b);
            if (r.is_bool() && (r.is_true() || r.is_false())) return r;
            truth t = fs_.prove(r);
            if (t != truth::unknown) return E::bool_constant(t == truth::yes);
            if (r.kind() == node_kind::lt || r.kind() == node_kind::le)
                if (auto q = known_offset(r)) return *q;
            return r;
        }
        case node_kind::not_: return logical_not(sub(0));
        case node_kind::and_:
        case node_kind::or_: {
            E r = E::bool_constant(n->kind == node_kind::and_);
            for (std::size_t i = 0; i < n->args().size(); ++i) r = n->kind == node_kind::and_ ? logical_and(r, sub(i)) : logical_or(r, sub(i));
            if (!r.is_true() && !r.is_false()) {
                truth t = fs_.prove(r);
                if (t != truth::unknown) return E::bool_constant(t == truth::yes);
            }
            return r;
        }
        }
        throw internal_error("simplify: unhandled node kind");
    }

    // Whether a > b was seen at an allowed point (false when that cannot be asked: a constant
    // beyond int64 on the way). Cheap: values at a few fixed points, memoized per node.
    bool seen_greater(const E& a, const E& b) {
        try {
            return fs_.seen_greater(a, b);
        } catch (const overflow_error&) {
            return false;
        }
    }
    // For a divisor b >= 1 (bound bb): which of 0 <= a < b (`below`, a // b is 0) and
    // -b <= a < 0 (`above`, a // b is -1) are still possible after the range of a and its values
    // at a few points; and which of them the two ranges already show.
    struct small_dividend {
        bool below = false, above = false;
        bool below_by_ranges = false, above_by_ranges = false;
    };
    small_dividend dividend_range(const E& a, const E& b, const interval<I>& bb) {
        small_dividend r{true, true};
        // (each value copied out before the next lookup, which may move the table)
        if (const auto va = fs_.fixed_point_values(a))
            if (const auto vb = fs_.fixed_point_values(b))
                for (std::size_t p = 0; p < va->v.size(); ++p) {
                    if (!(va->ok & vb->ok & (1u << p))) continue;
                    const I &x = va->v[p], &y = vb->v[p];
                    I s;
                    r.below = r.below && x >= 0 && x < y;
                    r.above = r.above && x < 0 && try_add(x, y, s) && s >= 0; // (x + y < 0 on an overflow)
                }
        if (!r.below && !r.above) return r;
        const interval<I> ba = fs_.bound(a);
        r.below = r.below && ba.lo >= extended<I>(I(0));
        r.above = r.above && ba.hi < extended<I>(I(0));
        r.below_by_ranges = r.below && ba.hi < bb.lo;
        r.above_by_ranges = r.above && iv_scale(ba, I(-1)).hi <= bb.lo;
        return r;
    }

    // The bound of y when it is finite.
    bool finite_bound(const E& y, I& lo, I& hi) {
        interval<I> by = fs_.bound(y);
        if (!by.lo.is_finite() || !by.hi.is_finite()) return false;
        lo = by.lo.value();
        hi = by.hi.value();
        return true;
    }

    // a = g*X + Y with g dividing c and 0 <= Y < g under the facts:
    // a // c is X // (c/g) and a % c is g*(X % (c/g)) + Y ((32*x + y) // 64 -> x // 2 for y in [0, 31]).
    std::optional<E> known_remainder(const E& a, const I& c, bool is_mod) {
        const linear<I> l = to_linear(a.node());
        std::optional<E> found;
        std::size_t found_size = 0;
        std::vector<I> tried; // (terms with the same g give the same split: one bound each)
        for (const auto& t : l.terms) {
            const I g = gcd(t.first, c);
            if (g <= 1 || std::find(tried.begin(), tried.end(), g) != tried.end()) continue;
            tried.push_back(g);
            linear<I> x, y;
            y.c = l.c;
            for (const auto& u : l.terms) (floor_mod(u.first, g) == 0 ? x : y).terms.push_back(u);
            const E ye = expr_of_linear(y);
            // (a point with Y outside [0, g) rules the split out before a bound is asked)
            if (seen_greater(E(I(0)), ye) || seen_greater(ye, E(I(g - 1)))) continue;
            I lo, hi;
            if (!finite_bound(ye, lo, hi) || lo < 0 || hi >= g) continue;
            const E xe = expr_of_linear(divide_exact(x, g)), cg(floor_div(c, g));
            const E r = is_mod ? E(g) * mod(xe, cg) + ye : floor_div(xe, cg);
            const std::size_t sz = text_length(r);
            if (!found || sz < found_size) {
                found = r;
                found_size = sz;
            }
        }
        return found;
    }

    // r = (D <= 0 or D < 0) with D = g*X + Y + c0 where, under the facts, floor((-c0 - Y) / g) is
    // one value t for every Y: r is X <= t (8*x + y < 16 -> x < 2 for y in [0, 7]).
    std::optional<E> known_offset(const E& r) {
        linear<I> d = to_linear((r.arg(0) - r.arg(1)).node());
        if (r.kind() == node_kind::lt) d.c = checked_add(d.c, I(1)); // D + 1 <= 0
        const I c0 = d.c;
        std::optional<E> found;
        std::size_t found_size = text_length(r);
        std::vector<I> tried; // (terms with the same |coefficient| give the same split)
        for (const auto& t : d.terms) {
            const I g = t.first < 0 ? checked_neg(t.first) : t.first;
            if (g <= 1 || std::find(tried.begin(), tried.end(), g) != tried.end()) continue;
            tried.push_back(g);
            linear<I> x, y;
            for (const auto& u : d.terms) (floor_mod(u.first, g) == 0 ? x : y).terms.push_back(u);
            I lo, hi;
            if (y.terms.empty() || !finite_bound(expr_of_linear(y), lo, hi)) continue;
            const I t_lo = floor_div(checked_sub(checked_neg(c0), hi), g), t_hi = floor_div(checked_sub(checked_neg(c0), lo), g);
            if (t_lo != t_hi) continue;
            const E cand = shorten_(le(expr_of_linear(divide_exact(x, g)), E(t_lo)));
            const std::size_t sz = text_length(cand);
            if (sz < found_size) {
                found = cand;
                found_size = sz;
            }
        }
        return found;
    }

    // A division or remainder that, for each of the two values of a symbol s in [v, v + 1], is
    // one constant: p0 + (p1 - p0)*(s - v) ((360*x + y) // 16 -> 22*x for x in [0, 1], y in [0, 6]).
    E linear_in_two_point_symbol(const E& e) {
        if (e.kind() != node_kind::floor_div && e.kind() != node_kind::mod) return e;
        // (a symbol of two values is rare: one is looked for before the symbols are listed in
        // their order, which sorts them)
        auto two_values = [&](const E& s, I& lo, I& hi) {
            I w;
            return finite_bound(s, lo, hi) && try_sub(hi, lo, w) && w == 1;
        };
        boost::container::small_vector<const node<I>*, 8> seen;
        collect_symbols(e.node(), seen);
        if (std::none_of(seen.begin(), seen.end(), [&](const node<I>* s) {
                I lo, hi;
                return two_values(E(s), lo, hi);
            }))
            return e;
        E found = e;
        std::size_t found_size = text_length(e);
        for (const E& s : symbols_of(e)) {
            I lo, hi;
            if (!two_values(s, lo, hi)) continue;
            I p[2];
            bool points = true;
            for (int i = 0; i < 2 && points; ++i) {
                try {
                    interval<I> bi = fs_.bound(substitute(e, std::unordered_map<E, E, expr_hash>{{s, E(i == 0 ? lo : hi)}}));
                    points = bi.is_point();
                    if (points) p[i] = bi.lo.value();
                } catch (const division_by_zero&) {
                    points = false; // a divisor that is 0 at this value of s: e is not defined there
                }
            }
            if (!points) continue;
            const E cand = E(p[0]) + E(checked_sub(p[1], p[0])) * (s - E(lo));
            if (text_length(cand) < found_size) {
                found = cand;
                found_size = text_length(cand);
            }
        }
        return found;
    }

    fact_store<I>& fs_;
    shortener<I> shorten_;
    node_memo<I>& memo_; // simplify_memos::results
};

} // namespace detail

template <Integer I>
basic_expr<I> simplify(const basic_expr<I>& e, fact_store<I>& fs) {
    // Simplification bounds every subterm only to spot constants: the per-value case split, the
    // monotone-symbol reduction and the residue split of bound() cost more than they find there
    // (on the benchmark corpus the output is the same without them), so they are off for the
    // duration (the whole budget is restored after, also on an exception).
    struct restore {
        fact_store<I>& fs;
        solver_budget saved;
        ~restore() { fs.budget() = saved; }
    } guard{fs, fs.budget()};
    fs.budget().split_values = 0;
    fs.budget().monotone = false;
    fs.budget().residue_splits = 0;
    // (a replacement whose image needs a constant beyond int64: e as it is, simplified by the
    // same facts, rather than an overflow_error for an expression whose values all fit)
    basic_expr<I> start = e;
    try {
        start = fs.normalize(e);
    } catch (const overflow_error&) {
    }
    // The facts first, on the canonical forms the solver knows best; then the shortest form of
    // each node (range/detail/shorten.hpp), which needs no facts.
    // (results of earlier calls stand while the facts and the budget are the same)
    auto& memos = fs.simplify_memos_;
    if (memos.version != fs.version() || memos.budget != fs.budget()) {
        memos.results.clear();
        memos.version = fs.version();
        memos.budget = fs.budget();
    }
    basic_expr<I> r = detail::simplifier<I>(fs, memos).run(start.node());
    try {
        return detail::shortener<I>(memos).tree(r);
    } catch (const overflow_error&) {
        return r;
    }
}

} // namespace symshape
