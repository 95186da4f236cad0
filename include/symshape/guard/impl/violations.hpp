// symshape/guard/impl/violations.hpp — the definitions behind symshape/guard/violations.hpp: compiled into
// libsymshape in compiled mode, included by that header in header-only mode. Not for direct
// inclusion.
#pragma once

#include "symshape/guard/violations.hpp"

#include <unordered_map>

namespace symshape {

namespace detail {
SYMSHAPE_INLINE std::string dim_decl(const std::string& name, const interval<std::int64_t>& r) {
    std::string s = "dim(\"" + name + "\"";
    if (r.lo.is_finite() || r.hi.is_finite()) s += ", " + (r.lo.is_finite() ? r.lo.str() : std::string("dim::unbounded"));
    if (r.hi.is_finite()) s += ", " + r.hi.str();
    return s + ")";
}
/// The widest range inside `declared` around the example value `hint` on which `holds(lo, hi)`
/// (every guard proven): the lowest start found by bisection with the end at the hint, then the
/// highest end. The guards of shape arithmetic (`H // 2 >= 4`) are monotone in practice; the
/// answer is verified, so a non-monotone guard can only make it narrower, never wrong. Nothing
/// when even [hint, hint] fails or only that point is left.
template <class Holds>
std::optional<interval<std::int64_t>> widest_range_around(std::int64_t hint, const interval<std::int64_t>& declared, Holds&& holds) {
    using ext = extended<std::int64_t>;
    if (!holds(ext(hint), ext(hint))) return std::nullopt;
    // Lowest start: within [declared.lo, hint] (an open end starts the search 2^40 below the hint).
    std::int64_t lo = declared.lo.is_finite() ? declared.lo.value() : hint - (std::int64_t{1} << 40);
    ext best_lo = declared.lo;
    if (!holds(declared.lo, ext(hint))) {
        std::int64_t bad = lo, good = hint; // holds(good), not holds(bad)
        while (good - bad > 1) {
            const std::int64_t mid = bad + (good - bad) / 2;
            (holds(ext(mid), ext(hint)) ? good : bad) = mid;
        }
        best_lo = ext(good);
    }
    ext best_hi = declared.hi;
    if (!holds(best_lo, declared.hi)) {
        std::int64_t hi = declared.hi.is_finite() ? declared.hi.value() : hint + (std::int64_t{1} << 40);
        std::int64_t good = hint, bad = hi;
        while (bad - good > 1) {
            const std::int64_t mid = good + (bad - good) / 2;
            (holds(best_lo, ext(mid)) ? good : bad) = mid;
        }
        best_hi = ext(good);
    }
    // A single point is no range (the guard is not an interval, like `s0 % 2 == 0`): no fix.
    if (!(best_lo < best_hi) || !holds(best_lo, best_hi)) return std::nullopt;
    return interval<std::int64_t>{best_lo, best_hi};
}
} // namespace detail

SYMSHAPE_INLINE std::string dim_names_text(const shape_env& env, const expr& e) {
    std::unordered_map<expr, expr, expr_hash> names;
    for (const expr& sym : symbols_of(e))
        if (const symbol_info* si = env.info(sym); si && !si->dim_name.empty()) names.emplace(sym, expr::symbol(si->dim_name));
    return to_string(substitute(e, names));
}

namespace detail {
/// `e` in the program's own terms: each symbol as the size it is read from when that is a plain
/// `x.size(d)` (`x.size(2) % 2 == 0`), else as its dim's name.
SYMSHAPE_INLINE std::string user_terms(const shape_env& env, const expr& e) {
    std::unordered_map<expr, expr, expr_hash> names;
    for (const expr& sym : symbols_of(e))
        if (const symbol_info* si = env.info(sym)) {
            const std::string first = si->source.substr(0, si->source.find(", "));
            if (!first.empty() && first.find(' ') == std::string::npos) names.emplace(sym, expr::symbol(first));
            else if (!si->dim_name.empty()) names.emplace(sym, expr::symbol(si->dim_name));
        }
    return to_string(substitute(e, names));
}
/// The smallest progression `m*k + r` (m in 2..64, r the example's residue) on which every guard
/// in `mine` holds, with k's range from the declared one.
SYMSHAPE_INLINE std::optional<range_violation::progression> find_progression(shape_env& env, const symbol_info& s,
                                                                            const std::vector<expr>& mine) {
    if (!s.hint) return std::nullopt;
    const expr k = expr::symbol("k\x01"); // a name no user symbol has
    for (std::int64_t m = 2; m <= 64; ++m) {
        const std::int64_t r = floor_mod(*s.hint, m);
        extended<std::int64_t> lo = 0, hi = extended<std::int64_t>::pos_inf();
        if (s.declared.lo.is_finite()) lo = std::max<std::int64_t>(0, ceil_div(s.declared.lo.value() - r, m));
        if (s.declared.hi.is_finite()) hi = floor_div(s.declared.hi.value() - r, m);
        if (hi < lo) continue;
        fact_store<std::int64_t> check;
        for (const auto& o : env.symbols())
            if (o.kind == symbol_kind::backed && !(o.sym == s.sym)) check.set_range(o.sym, o.declared.lo, o.declared.hi);
        check.set_range(k, lo, hi);
        std::unordered_map<expr, expr, expr_hash> sub{{s.sym, expr(m) * k + expr(r)}};
        bool all = true;
        for (const expr& g : mine) all = all && check.prove(substitute(g, sub)) == truth::yes;
        if (all) return range_violation::progression{m, r, {lo, hi}};
    }
    return std::nullopt;
}
} // namespace detail

SYMSHAPE_INLINE std::vector<range_violation> check_declared_ranges(shape_env& env) {
    std::vector<range_violation> out;
    // The world the user promised: only the declared ranges of the backed symbols.
    fact_store<std::int64_t> declared;
    for (const auto& s : env.symbols())
        if (s.kind == symbol_kind::backed) declared.set_range(s.sym, s.declared.lo, s.declared.hi);
    std::vector<const guard*> failing;
    for (const auto& g : env.guards())
        if (declared.prove(g.predicate) != truth::yes) failing.push_back(&g);
    if (failing.empty()) return out;
    for (const auto& s : env.symbols()) {
        if (s.kind != symbol_kind::backed || s.dim_name.empty()) continue;
        range_violation v;
        v.dim_name = s.dim_name;
        v.source = s.source;
        v.declared = s.declared;
        std::vector<expr> mine;
        for (const guard* g : failing) {
            auto syms = symbols_of(g->predicate);
            if (std::find(syms.begin(), syms.end(), s.sym) == syms.end()) continue;
            mine.push_back(g->predicate);
            v.guards.push_back(dim_names_text(env, g->predicate) + " (asked by: " + g->reason + ")");
        }
        if (mine.empty()) continue;
        // What the guards imply for this symbol, on top of the declared ranges.
        fact_store<std::int64_t> narrowed;
        for (const auto& o : env.symbols())
            if (o.kind == symbol_kind::backed) narrowed.set_range(o.sym, o.declared.lo, o.declared.hi);
        bool consistent = true;
        for (const expr& g : mine) consistent = consistent && narrowed.try_add_fact(g);
        expr image = narrowed.normalize(s.sym);
        if (consistent && !(image == s.sym)) {
            if (image.is_constant()) {
                v.specialized_to = image.constant_value();
            } else {
                v.equal_to = dim_names_text(env, image);
                // `mul*d + add` for one other dim d: the derived dim to paste (`dim("dimx") + 1`).
                const std::vector<expr> os = symbols_of(image);
                const symbol_info* oi = os.size() == 1 ? env.info(os[0]) : nullptr;
                if (oi && !oi->dim_name.empty()) {
                    auto at = [&](std::int64_t x) {
                        valuation<std::int64_t> val;
                        val.set(os[0], x);
                        return evaluate(image, val);
                    };
                    const std::int64_t add = at(0), mul = at(1) - add;
                    if (mul > 0 && expr(mul) * os[0] + expr(add) == image) { // exactly affine (canonical forms agree)
                        std::string d = detail::dim_decl(oi->dim_name, oi->declared);
                        if (mul != 1) d = std::to_string(mul) + " * " + d;
                        if (add > 0) d += " + " + std::to_string(add);
                        if (add < 0) d += " - " + std::to_string(-add);
                        v.equal_derived = d;
                    }
                }
                if (image.is_symbol())
                    if (const symbol_info* oi = env.info(image)) {
                        v.equal_dim = oi->dim_name;
                        v.equal_source = oi->source;
                    }
            }
        }
        if (consistent && !v.specialized_to && !v.equal_to) {
            interval<std::int64_t> r = narrowed.bound(s.sym);
            if (r.is_point()) {
                v.specialized_to = r.lo.value();
            } else {
                // Suggest a range only if, with it, every guard on this symbol is proven.
                auto holds_on = [&](const extended<std::int64_t>& lo, const extended<std::int64_t>& hi) {
                    fact_store<std::int64_t> check;
                    for (const auto& o : env.symbols())
                        if (o.kind == symbol_kind::backed) check.set_range(o.sym, o.declared.lo, o.declared.hi);
                    check.set_range(s.sym, lo, hi);
                    for (const expr& g : mine)
                        if (check.prove(g) != truth::yes) return false;
                    return true;
                };
                if (!(r == s.declared) && holds_on(r.lo, r.hi)) v.suggested = r;
                else if (s.hint) v.suggested = detail::widest_range_around(*s.hint, s.declared, holds_on);
                // A range that keeps every guard but not every example size is no fix; a guard no
                // range expresses may be a progression (`h % 2 == 0`: h = 2*k).
                if (v.suggested && s.hint && !v.suggested->contains(*s.hint)) v.suggested.reset();
                // A progression is preferred to a range that keeps fewer sizes: [7, 8] of [0, inf]
                // for `((h - 1) // 2) % 2 != 0`, where h = 4*k + 3 keeps a quarter of all sizes.
                auto span = [](const interval<std::int64_t>& i) -> std::optional<std::int64_t> {
                    if (!i.lo.is_finite() || !i.hi.is_finite()) return std::nullopt;
                    return i.hi.value() - i.lo.value() + 1;
                };
                const std::optional<std::int64_t> whole = span(s.declared), kept = v.suggested ? span(*v.suggested) : std::nullopt;
                if (!v.suggested || (kept && (!whole || *kept * 64 < *whole))) {
                    v.derived = detail::find_progression(env, s, mine);
                    if (v.derived && v.suggested && whole && *kept * v.derived->mul >= *whole) v.derived.reset();
                    if (v.derived) v.suggested.reset();
                }
            }
        }
        if (!v.specialized_to && !v.equal_to && !v.suggested && !v.derived) {
            expr all = expr::bool_constant(true);
            for (const expr& g : mine) all = logical_and(all, g);
            v.check_text = "check(" + detail::user_terms(env, all) + ")";
        }
        out.push_back(std::move(v));
    }
    // A dim whose failing guards are all equalities another dim is reported equal to (by its
    // partner) adds nothing: the fix is stated once, on the partner.
    std::vector<range_violation> kept;
    for (const auto& v : out) {
        bool covered = !v.specialized_to && !v.equal_to && !v.suggested && !v.derived;
        for (const auto& g : v.guards) {
            bool in_partner = false;
            for (const auto& w : out)
                if (&w != &v && w.equal_to && std::find(w.guards.begin(), w.guards.end(), g) != w.guards.end()) in_partner = true;
            covered = covered && in_partner;
        }
        if (!covered) kept.push_back(v);
    }
    return kept;
}

SYMSHAPE_INLINE std::string violation_fix(const range_violation& v) {
    if (v.specialized_to) {
        const std::string n = std::to_string(*v.specialized_to);
        return detail::dim_decl(v.dim_name, {*v.specialized_to, *v.specialized_to}) + "  (" + v.dim_name + " is always " + n +
               "; this pins it at " + v.source + "; or drop dim '" + v.dim_name + "' from dynamic_shapes there)";
    }
    if (v.equal_to && !v.equal_dim.empty())
        return "use dim '" + v.equal_dim + "' (the dim of " + v.equal_source + ") instead of dim '" + v.dim_name + "' at " + v.source;
    if (v.equal_to && !v.equal_derived.empty())
        return v.equal_derived + "  (" + v.dim_name + " = " + *v.equal_to + ": use it instead of dim '" + v.dim_name + "' at " + v.source + ")";
    if (v.equal_to) return "declare " + v.source + " as the derived dim " + *v.equal_to + " instead of dim '" + v.dim_name + "'";
    if (v.suggested) return detail::dim_decl(v.dim_name, *v.suggested);
    if (v.derived) {
        const std::string k = detail::dim_decl(v.dim_name + "_k", v.derived->k);
        std::string d = std::to_string(v.derived->mul) + " * " + k;
        if (v.derived->add) d += " + " + std::to_string(v.derived->add);
        return d + "  (sizes " + std::to_string(v.derived->mul) + "*k" + (v.derived->add ? " + " + std::to_string(v.derived->add) : std::string()) +
               " keep the guards, more of them than any range of " + v.dim_name + ": use it instead of dim '" + v.dim_name + "' at " +
               v.source + ")";
    }
    if (!v.check_text.empty())
        return v.check_text + "  (no dim range or derived dim expresses the guards: assert them in the program before they are "
                              "asked, or use dim::auto_(\"" + v.dim_name + "\") to keep them as guards)";
    return {};
}

SYMSHAPE_INLINE std::string format_violations(const std::vector<range_violation>& vs) {
    if (vs.empty()) return {};
    std::string names;
    for (const auto& v : vs) names += (names.empty() ? "" : ", ") + v.dim_name;
    std::string msg = "the declared range of " + names + " admits sizes the program cannot handle";
    std::string fixes;
    for (const auto& v : vs) {
        msg += "\n    dim '" + v.dim_name + "' (" + v.source + ") declared " + v.declared.str() + ":";
        if (v.specialized_to) msg += " the program only works when it is " + std::to_string(*v.specialized_to);
        else if (v.equal_to) msg += " the program needs it equal to " + *v.equal_to;
        else msg += " not every value satisfies the program's guards";
        for (const auto& g : v.guards) msg += "\n        guard: " + g;
        if (const std::string fix = violation_fix(v); !fix.empty()) fixes += "\n    " + fix;
    }
    if (!fixes.empty()) msg += "\n  suggested fixes:" + fixes;
    return msg;
}

} // namespace symshape
