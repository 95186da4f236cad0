// symshape/range/detail/point_search.hpp — point searches: allowed points, exhaustive enumeration of a
// small box, witnesses (points that attain a bound's ends or show a relation both ways), zero searches, and
// seen_varying().
// Definitions of fact_store members (range/facts.hpp), included through range/impl/facts.hpp.
#pragma once

#include "symshape/range/facts.hpp"

namespace symshape {

template <Integer I>
bool fact_store<I>::point_allowed(const valuation<I>& v) {
    for (const auto& [m, r] : state_.ranges) {
        if (m->kind == node_kind::symbol) continue; // symbols are enumerated inside their range
        I x = detail::eval_int(m, v);
        if (!r.contains(x)) return false;
    }
    for (const auto& [m, c] : state_.cgs) {
        I x = detail::eval_int(m, v);
        if (c.m == 0 ? x != c.r : floor_mod(checked_sub(x, c.r), c.m) != 0) return false;
    }
    for (const auto& rel : state_.relations) {
        I x = evaluate(rel.d, v);
        if (rel.kind == rel_kind::le ? x > 0 : rel.kind == rel_kind::eq ? x != 0 : x == 0) return false;
    }
    for (const auto& p : state_.opaque)
        if (!evaluate_bool(p, v)) return false;
    return true;
}

/// Exact range of `e` by evaluating every point of its symbols' box, when the box is small and
/// every fact can be checked at a point. nullopt when over budget.
template <Integer I>
std::optional<interval<I>> fact_store<I>::enumerate(const E& e, bool* zero_seen) {
    std::vector<E> syms = symbols_of(e);
    // Facts about other symbols restrict this domain only through shared symbols; include the
    // symbols of every fact so the filter can evaluate them.
    auto add_syms = [&](const E& x) {
        for (auto& s : symbols_of(x))
            if (std::find(syms.begin(), syms.end(), s) == syms.end()) syms.push_back(s);
    };
    for (const auto& [m, r] : state_.ranges)
        if (m->kind != node_kind::symbol) add_syms(E(m));
    for (const auto& [m, c] : state_.cgs) add_syms(E(m));
    for (const auto& rel : state_.relations) add_syms(rel.d);
    for (const auto& p : state_.opaque) add_syms(p);
    std::vector<iv> boxes;
    std::uint64_t total = 1;
    for (const auto& s : syms) {
        iv b = analyze(s.node()).range;
        if (!b.is_bounded()) return std::nullopt;
        I w;
        if (!try_sub(b.hi.value(), b.lo.value(), w) || w >= I(budget_.enumerate_points)) return std::nullopt;
        total *= static_cast<std::uint64_t>(to_int64(w)) + 1;
        if (total > budget_.enumerate_points) return std::nullopt;
        boxes.push_back(b);
    }
    valuation<I> v;
    std::vector<I> cur;
    for (auto& b : boxes) cur.push_back(b.lo.value());
    iv result = iv::empty();
    for (;;) {
        for (std::size_t i = 0; i < syms.size(); ++i) v.set(syms[i], cur[i]);
        try {
            if (point_allowed(v)) {
                I x = evaluate(e, v);
                result = hull(result, iv::point(x));
                if (zero_seen && x == 0) *zero_seen = true;
            }
        } catch (const division_by_zero&) {
            // a zero divisor: the point is outside the domain
        } catch (const overflow_error&) {
            return std::nullopt;
        }
        std::size_t i = 0;
        for (; i < syms.size(); ++i) {
            if (extended<I>(cur[i]) < boxes[i].hi) { cur[i] += 1; break; }
            cur[i] = boxes[i].lo.value();
        }
        if (i == syms.size()) break;
    }
    return result;
}

/// weval_ holding e, and wsyms_ its symbols in the order collect_symbols lists them; compiled
/// again only for another expression (the point searches of one relation share d's). A node
/// lives as long as its thread, so its address names it, as in the analysis caches.
template <Integer I>
void fact_store<I>::compile_point_search(const node_t* e) {
    if (weval_root_ == e) return;
    weval_root_ = nullptr; // (until e is compiled whole: compile() may throw bad_alloc)
    wsyms_.clear();
    weval_.compile(e, wsyms_);
    weval_root_ = e;
}

/// Values of `e` at points of its symbols' box that satisfy every fact: a few fixed points (the
/// low and high corners, the centre, two alternating corners), then, with a target interval (a
/// bound, or the values an order must be seen at), a fixed-seed sample of the box and a
/// coordinate search from the best point towards each end of the target not yet reached (each
/// symbol in turn tries its ends, their neighbours, a step either way and a sampled value). Used
/// only to stop early: a bound attained at both ends is exact; a relation seen both true and
/// false depends on the values. `stop` (optional) ends the search as soon as
/// it holds of the values seen. Every evaluation is of the compiled expression (flat_eval), so
/// the search neither allocates nor throws once warm; budget().witness_evals caps it.
template <Integer I>
template <class Stop>
typename fact_store<I>::witness_t fact_store<I>::witness(const node_t* e, const iv* target, Stop&& stop, unsigned need) {
    witness_t w;
    compile_point_search(e);
    const std::size_t ns = wsyms_.size();
    if (ns == 0 || ns > 16) return w;
    using point = boost::container::small_vector<I, 8>;
    point best_lo(ns), best_hi(ns), cur(ns);
    boost::container::small_vector<iv, 8> box(ns);
    for (std::size_t j = 0; j < ns; ++j) {
        box[j] = analyze(wsyms_[j]).range;
        if (box[j].is_empty()) return w;
    }
    std::size_t evals = 0;
    const std::size_t cap = budget_.witness_evals;
    auto eval_at = [&](const point& pt, I& x) {
        ++evals;
        if (!weval_.run(pt.data(), x)) return false; // a zero divisor or an overflow here
        if (free_box_) return true;
        wval_.clear();
        for (std::size_t j = 0; j < ns; ++j) wval_.set(E(wsyms_[j]), pt[j]);
        try {
            return point_allowed(wval_);
        } catch (const error&) {
            return false; // a fact that cannot be evaluated here
        }
    };
    auto seen = [&](const point& pt, const I& x) {
        if (!w.any || x < w.lo) { w.lo = x; best_lo = pt; }
        if (!w.any || x > w.hi) { w.hi = x; best_hi = pt; }
        w.any = true;
        (x == 0 ? w.zero : w.nonzero) = true;
    };
    for (int p = 0; p < 5; ++p) {
        for (std::size_t j = 0; j < ns; ++j) {
            const iv& b = box[j];
            const bool low = p == 0 || (p == 3 && j % 2 == 0) || (p == 4 && j % 2 == 1);
            const auto [l, h] = point_ends(b);
            cur[j] = p == 2 && b.is_bounded() ? midpoint(l, h) : low ? l : h;
        }
        I x;
        if (eval_at(cur, x)) seen(cur, x);
    }
    if (!target) return w;
    auto attained = [&](bool up) { // (an end not needed counts as attained; so does one passed)
        if (!(need & (up ? high_end : low_end))) return true;
        return w.any && (up ? target->hi <= extended<I>(w.hi) : target->lo >= extended<I>(w.lo));
    };
    auto finished = [&] { return (attained(false) && attained(true)) || (w.any && stop(w)); };
    if (finished()) return w;
    // A value drawn from symbol j's range (its own end when unbounded on that side).
    std::uint64_t rng = 0x2545f4914f6cdd1dULL;
    auto draw = [&](std::size_t j) -> I {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        const iv& b = box[j];
        if (!b.is_bounded()) return b.lo.is_finite() ? b.lo.value() : b.hi.is_finite() ? b.hi.value() : I(0);
        I wd;
        if (!try_sub(b.hi.value(), b.lo.value(), wd) || wd >= I(std::numeric_limits<std::int64_t>::max())) return b.lo.value();
        const auto span = static_cast<std::uint64_t>(to_int64(wd)) + 1;
        return b.lo.value() + I(static_cast<std::int64_t>(rng % span));
    };
    for (std::size_t k = 0; k < budget_.witness_samples && evals < cap; ++k) {
        for (std::size_t j = 0; j < ns; ++j) cur[j] = draw(j);
        I x;
        if (eval_at(cur, x)) seen(cur, x);
        if (finished()) return w;
    }
    if (!w.any) return w;
    for (int side = 0; side < 2; ++side) {
        const bool up = side == 1;
        if (attained(up)) continue;
        point& pt = up ? best_hi : best_lo;
        // Sweeps that try only each symbol's two ends come first (extremes sit there most
        // often, and each such sweep is cheap); once they stop helping, every candidate.
        for (bool moved = true, only_ends = true; (moved || only_ends) && evals < cap && !attained(up);) {
            if (!moved) only_ends = false;
            moved = false;
            for (std::size_t j = 0; j < ns && evals < cap; ++j) {
                const iv& b = box[j];
                const I here = pt[j];
                I cand[7];
                int nc = 0;
                if (b.lo.is_finite()) {
                    cand[nc++] = b.lo.value();
                    if (!only_ends && extended<I>(b.lo.value()) < b.hi) cand[nc++] = b.lo.value() + 1;
                }
                if (b.hi.is_finite()) {
                    cand[nc++] = b.hi.value();
                    if (!only_ends && b.lo < extended<I>(b.hi.value())) cand[nc++] = b.hi.value() - 1;
                }
                if (!only_ends) {
                    if (b.lo < extended<I>(here)) cand[nc++] = here - 1;
                    if (extended<I>(here) < b.hi) cand[nc++] = here + 1;
                    cand[nc++] = draw(j);
                }
                for (int c = 0; c < nc; ++c) {
                    if (cand[c] == here || cand[c] == pt[j]) continue;
                    const I keep = pt[j];
                    pt[j] = cand[c];
                    I x;
                    if (eval_at(pt, x) && (up ? x > w.hi : x < w.lo)) {
                        (up ? w.hi : w.lo) = x;
                        moved = true;
                        (x == 0 ? w.zero : w.nonzero) = true;
                        if (finished()) return w;
                    } else {
                        pt[j] = keep;
                    }
                }
            }
        }
    }
    return w;
}

/// True when d, unit-step in its sweeping symbol s (see `info`), changes sign (or is 0) as s
/// goes from one end of its range to the other with the other symbols fixed at one of a few
/// points of the box: then it is 0 somewhere in between. Only with a free box (every point of
/// it allowed).
template <Integer I>
bool fact_store<I>::zero_crossing(const node_t* d, const node_t* s) {
    compile_point_search(d);
    const std::size_t ns = wsyms_.size();
    if (ns > 16) return false;
    const iv sb = analyze(s).range;
    if (!sb.is_bounded()) return false;
    const auto si = static_cast<std::size_t>(std::find(wsyms_.begin(), wsyms_.end(), s) - wsyms_.begin());
    if (si == ns) return false;
    boost::container::small_vector<I, 8> pt(ns);
    for (int p = 0; p < 4; ++p) {
        for (std::size_t j = 0; j < ns; ++j) {
            const iv b = analyze(wsyms_[j]).range;
            if (!b.is_bounded()) return false;
            const bool low = p == 0 || (p == 2 && j % 2 == 0) || (p == 3 && j % 2 == 1);
            I v = p == 1 ? b.hi.value() : low ? b.lo.value() : b.hi.value();
            if (p == 1 && j % 3 == 1) v = midpoint(b.lo.value(), b.hi.value());
            pt[j] = v;
        }
        // (a zero divisor or an overflow at this point: try the next)
        I a, b;
        pt[si] = sb.lo.value();
        if (!weval_.run(pt.data(), a)) continue;
        pt[si] = sb.hi.value();
        if (!weval_.run(pt.data(), b)) continue;
        if ((a <= 0 && b >= 0) || (a >= 0 && b <= 0)) return true;
    }
    return false;
}

/// Looks for a point of the box (every point allowed: free box only) where d is 0: from a few
/// base points, along each symbol whose two ends give d opposite signs, by bisection. A bisection
/// that ends between two neighbouring values without a zero (d steps over 0 along that symbol)
/// is searched again from each of the two values, along each other symbol, up to two symbols
/// deep: with integer coefficients a zero is often one or two symbols away. The lines from the
/// base points and the deeper search have a budget each, so the deeper search never takes the
/// base points' evaluations. Finding one proves that d == 0 is possible; not finding one proves
/// nothing.
template <Integer I>
bool fact_store<I>::find_zero(const node_t* d) {
    if (!free_box_) return false;
    compile_point_search(d);
    const std::size_t ns = wsyms_.size();
    if (ns == 0 || ns > 8) return false;
    boost::container::small_vector<iv, 8> boxes;
    for (const node_t* s : wsyms_) {
        boxes.push_back(analyze(s).range);
        if (!boxes.back().is_bounded()) return false;
    }
    boost::container::small_vector<I, 8> pt(ns);
    auto at = [&](std::size_t j, const I& v, I& out) {
        pt[j] = v;
        return weval_.run(pt.data(), out); // false: a zero divisor or an overflow here
    };
    // (on the benchmark corpus, two symbols deep and 96 evaluations find 12 more of the 22
    // equations that hold at some points and fail at others, which a deeper or longer search
    // barely improves)
    constexpr int max_depth = 2;
    int budgets[2] = {96, 96}; // evaluations: along the base points' lines, and deeper
    // d along symbol j from pt (pt as it was afterwards): true when d is 0 at a point seen.
    auto along = [&](auto& self, std::size_t j, int depth) -> bool {
        int& budget = budgets[depth > 0 ? 1 : 0];
        const I keep = pt[j];
        I lo = boxes[j].lo.value(), hi = boxes[j].hi.value(), dl, dh;
        budget -= 2;
        bool found = false, bracket = false;
        if (at(j, lo, dl) && at(j, hi, dh)) {
            if (dl == 0 || dh == 0) found = true;
            else if ((dl < 0) != (dh < 0)) {
                // invariant: d(lo) and d(hi) have opposite signs
                bracket = true;
                while (lo + 1 < hi && budget-- > 0) { // (hi - lo may not fit)
                    const I mid = midpoint(lo, hi);
                    I dm;
                    if (!at(j, mid, dm)) {
                        bracket = false;
                        break;
                    }
                    if (dm == 0) {
                        found = true;
                        break;
                    }
                    if ((dm < 0) == (dl < 0)) lo = mid;
                    else hi = mid;
                }
            }
        }
        // d steps over 0 between lo and hi = lo + 1: along the other symbols from each
        if (!found && bracket && lo + 1 == hi && depth < max_depth)
            for (const I& v : {lo, hi})
                for (std::size_t k = 0; k < ns && !found && budgets[1] > 0; ++k) {
                    if (k == j) continue;
                    pt[j] = v;
                    found = self(self, k, depth + 1);
                }
        pt[j] = keep;
        return found;
    };
    for (int p = 0; p < 3; ++p) {
        for (std::size_t j = 0; j < ns; ++j) {
            const iv& b = boxes[j];
            const bool low = p == 0 || (p == 2 && j % 2 == 0);
            pt[j] = p == 1 ? b.hi.value() : low ? b.lo.value() : b.hi.value();
        }
        for (std::size_t j = 0; j < ns; ++j) {
            if (along(along, j, 0)) return true;
            if (budgets[0] <= 0) return false;
        }
    }
    return false;
}

template <Integer I>
bool fact_store<I>::seen_varying(const E& e0) {
    if (e0.is_bool()) throw usage_error("seen_varying() needs an integer expression, got '" + to_string(e0) + "'");
    check_version();
    E e = e0; // (not E(): that reads the thread's arena)
    try {
        e = lowered(e0);
    } catch (const overflow_error&) {
        return false; // the facts' rewrite of e0 needs a constant beyond int64: nothing seen
    }
    if (e.is_constant()) return false;
    if (free_box_) {
        // Every point of the box is allowed: the values at five fixed points, computed from the
        // children's (memoized per node), so asking about every subterm of an expression costs
        // one step per node rather than one evaluation of each subterm.
        const corner_values& c = corners(e.node());
        int first = -1;
        for (int p = 0; p < 5; ++p) {
            if (!(c.ok & (1u << p))) continue;
            if (first < 0) first = p;
            else if (c.v[static_cast<std::size_t>(p)] != c.v[static_cast<std::size_t>(first)]) return true;
        }
        return false;
    }
    const witness_t w = witness(e.node());
    return w.any && w.lo != w.hi;
}

template <Integer I>
std::optional<typename fact_store<I>::corner_values> fact_store<I>::fixed_point_values(const E& e0) {
    check_version();
    if (!free_box_) return std::nullopt; // (other facts: the fixed points may not be allowed)
    try {
        return corners(lowered(e0).node());
    } catch (const overflow_error&) {
        return std::nullopt;
    }
}

template <Integer I>
bool fact_store<I>::searched_varying(const E& e0) {
    check_version();
    try {
        const E e = lowered(e0);
        if (e.is_constant()) return false;
        const iv r = analyze(e.node()).range;
        if (r.is_point()) return false;
        const witness_t w = witness(e.node(), &r, [](const witness_t& x) { return x.any && x.lo != x.hi; });
        return w.any && w.lo != w.hi;
    } catch (const overflow_error&) {
        return false; // (a constant beyond int64 on the way: nothing seen)
    }
}

template <Integer I>
bool fact_store<I>::seen_greater(const E& a0, const E& b0) {
    if (a0.is_bool() || b0.is_bool()) throw usage_error("seen_greater() needs integer expressions, got '" + to_string(a0) + "' and '" + to_string(b0) + "'");
    // (none while the facts are more than a box: the fixed points may not be allowed)
    const auto ca = fixed_point_values(a0);
    if (!ca) return false;
    const auto cb = fixed_point_values(b0);
    if (!cb) return false;
    for (std::size_t p = 0; p < 5; ++p)
        if ((ca->ok & cb->ok & (1u << p)) && ca->v[p] > cb->v[p]) return true;
    return false;
}

} // namespace symshape
