// symshape/range/impl/facts.hpp — the definitions behind symshape/range/facts.hpp: compiled into
// libsymshape in compiled mode, included by that header in header-only mode. Not for direct
// inclusion. This file holds the fact store itself (ranges, substitutions, congruences,
// relations); the questions asked of it are answered by two pipelines and their stages:
//
//   range/impl/bound.hpp            bound(): the pipeline, one call per stage
//   range/impl/prove.hpp            prove(): the pipeline, one call per stage
//   range/detail/node_analysis.hpp  per-node ranges and congruences, cached; the deep tier
//   range/detail/attainment.hpp     which ends are values; values at fixed points of the box
//   range/detail/polynomial_extremes.hpp  corners and vertices of polynomials
//   range/detail/monotone_symbols.hpp     symbols fixed where the extreme lies
//   range/detail/residue_splits.hpp       x = c*q + r pieces for x % c, x // c
//   range/detail/point_search.hpp   enumeration, witnesses, zero searches
//   range/detail/box_search.hpp     branch and bound over sub-boxes; value splits
//   range/detail/atom_pruning.hpp   min/max arguments and quotients made simpler
//   range/detail/relational_bound.hpp  stored relations; Fourier–Motzkin
#pragma once

#include "symshape/range/facts.hpp"

namespace symshape {

template <Integer I>
fact_store<I>::fact_store() = default;
template <Integer I>
fact_store<I>::~fact_store() = default;
template <Integer I>
fact_store<I>::fact_store(const fact_store&) = default;
template <Integer I>
fact_store<I>::fact_store(fact_store&&) noexcept = default;
template <Integer I>
fact_store<I>& fact_store<I>::operator=(const fact_store&) = default;
template <Integer I>
fact_store<I>& fact_store<I>::operator=(fact_store&&) noexcept = default;

template <Integer I>
void fact_store<I>::check_version() {
    if (cache_version_ != version_) {
        cache_.clear();
        deep_cache_.clear();
        corner_cache_.clear();
        cache_version_ = version_;
        free_box_ = state_.relations.empty() && state_.opaque.empty() && state_.cgs.empty();
        for (const auto& [m, r] : state_.ranges)
            if (m->kind != node_kind::symbol) free_box_ = false;
    }
}

template <Integer I>
typename fact_store<I>::iv fact_store<I>::range_of(const E& s) const {
    if (state_.replacements.count(s.node()) || state_.lowering.count(s.node()))
        return const_cast<fact_store*>(this)->bound(s);
    auto it = state_.ranges.find(s.node());
    return it == state_.ranges.end() ? iv::all() : it->second;
}

template <Integer I>
basic_expr<I> fact_store<I>::substituted(const E& e) const {
    std::unordered_map<E, E, expr_hash> m;
    for (const auto& [k, v] : state_.replacements) m.emplace(E(k), v);
    for (const auto& [k, v] : state_.lowering) m.emplace(E(k), v);
    try {
        return substitute(e, m);
    } catch (const division_by_zero& x) {
        throw division_by_zero("'" + to_string(e) + "' divides by zero at every point the facts allow (a divisor there is " +
                               "always 0 under the known equalities and congruences): " + x.what());
    }
}

/// Records x := image (images in both maps are kept fully substituted), then re-states x's
/// old range and congruence as facts on the image.
template <Integer I>
bool fact_store<I>::add_substitution(const node_t* x, const E& image, bool internal) {
    iv had = iv::all();
    if (auto it = state_.ranges.find(x); it != state_.ranges.end()) had = it->second;
    std::optional<congruence<I>> had_cg;
    if (auto cg = state_.cgs.find(x); cg != state_.cgs.end()) had_cg = cg->second;
    state_.ranges.erase(x);
    state_.cgs.erase(x);
    std::unordered_map<E, E, expr_hash> one{{E(x), image}};
    for (auto& [sym, rep] : state_.replacements) rep = substitute(rep, one);
    for (auto& [sym, rep] : state_.lowering) rep = substitute(rep, one);
    (internal ? state_.lowering : state_.replacements)[x] = image;
    ++version_;
    if (had.lo.is_finite() && !add_relation(E(had.lo.value()) - image, rel_kind::le)) return false;
    if (had.hi.is_finite() && !add_relation(image - E(had.hi.value()), rel_kind::le)) return false;
    if (had_cg && had_cg->m != 1) {
        if (had_cg->m == 0) { if (!add_relation(image - E(had_cg->r), rel_kind::eq)) return false; }
        else if (!add_relation(mod(image - E(had_cg->r), E(had_cg->m)), rel_kind::eq)) return false;
    }
    // Stored relations and facts that mentioned x are restated on the image.
    std::vector<relation> rels = std::move(state_.relations);
    state_.relations.clear();
    for (auto& r : rels)
        if (!add_relation(r.d, r.kind)) return false;
    std::vector<std::pair<const node_t*, iv>> atoms;
    for (auto it = state_.ranges.begin(); it != state_.ranges.end();) {
        if (it->first->kind != node_kind::symbol) { atoms.emplace_back(*it); it = state_.ranges.erase(it); }
        else ++it;
    }
    for (auto& [m, r] : atoms) {
        E a = lowered(E(m));
        if (r.lo.is_finite() && !add_relation(E(r.lo.value()) - a, rel_kind::le)) return false;
        if (r.hi.is_finite() && !add_relation(a - E(r.hi.value()), rel_kind::le)) return false;
    }
    std::vector<std::pair<const node_t*, congruence<I>>> cgs;
    for (auto it = state_.cgs.begin(); it != state_.cgs.end();) {
        if (it->first->kind != node_kind::symbol) { cgs.emplace_back(*it); it = state_.cgs.erase(it); }
        else ++it;
    }
    for (auto& [m, c] : cgs) {
        E a = lowered(E(m));
        if (c.m == 0) { if (!add_relation(a - E(c.r), rel_kind::eq)) return false; }
        else if (c.m != 1 && !add_relation(mod(a - E(c.r), E(c.m)), rel_kind::eq)) return false;
    }
    return true;
}

/// x ≡ r (mod m), m >= 2: x := m*q + r with a fresh symbol q.
template <Integer I>
bool fact_store<I>::lower_symbol(const node_t* x, const I& m, const I& r) {
    std::string base(x->name().substr(0, x->name().find('\'')));
    E q = E::symbol(base + "'" + std::to_string(++state_.fresh));
    return add_substitution(x, E(m) * q + E(r), true);
}

template <Integer I>
void fact_store<I>::set_range(const E& s, const extended<I>& lo, const extended<I>& hi) {
    if (!s.is_symbol()) throw usage_error("set_range needs a symbol, got '" + to_string(s) + "'");
    if (lo.is_pos_inf() || hi.is_neg_inf() || lo > hi)
        throw usage_error("set_range(" + s.name() + ", " + lo.str() + ", " + hi.str() + "): the range is empty");
    state saved = state_;
    bool ok;
    if (state_.replacements.count(s.node()) || state_.lowering.count(s.node())) {
        ok = (!lo.is_finite() || add_relation(E(lo.value()) - s, rel_kind::le)) &&
             (!hi.is_finite() || add_relation(s - E(hi.value()), rel_kind::le));
    } else {
        ok = add_atom_range(s.node(), iv{lo, hi});
    }
    if (!ok) {
        iv had = range_of(s);
        state_ = std::move(saved);
        throw contradiction_error("range [" + lo.str() + ", " + hi.str() + "] for " + s.name() +
                                  " contradicts the known range " + had.str());
    }
    ++version_;
}

template <Integer I>
bool fact_store<I>::add_atom_range(const node_t* m, const iv& r) {
    auto it = state_.ranges.find(m);
    iv cur = it == state_.ranges.end() ? iv::all() : it->second;
    iv nr = intersect(cur, r);
    if (auto c = state_.cgs.find(m); c != state_.cgs.end()) nr = tighten(nr, c->second);
    if (nr.is_empty()) return false;
    state_.ranges[m] = nr;
    ++version_; // cached analyses may have used the old range
    return true;
}

template <Integer I>
bool fact_store<I>::add_atom_cg(const node_t* m, congruence<I> c) {
    auto it = state_.cgs.find(m);
    if (it != state_.cgs.end()) {
        congruence<I> o = it->second;
        if (o.m == 0 || c.m == 0) {
            congruence<I> ex = o.m == 0 ? o : c, other = o.m == 0 ? c : o;
            if (other.m != 0 && floor_mod(checked_sub(ex.r, other.r), other.m) != 0) return false;
            if (other.m == 0 && ex.r != other.r) return false;
            c = ex;
        } else {
            I g = gcd(o.m, c.m);
            if (floor_mod(checked_sub(o.r, c.r), g) != 0) return false;
            I l = lcm(o.m, c.m);
            // Chinese remainder by stepping (moduli here are small shape constants).
            I x = o.r;
            I steps = floor_div(l, o.m);
            bool found = false;
            for (I k = 0; k < steps && k < 1000000; ++k) {
                if (floor_mod(checked_sub(x, c.r), c.m) == 0) { found = true; break; }
                x = checked_add(x, o.m);
            }
            c = found ? cg_normal(l, x) : (o.m >= c.m ? o : c);
        }
    }
    state_.cgs[m] = c;
    ++version_;
    auto r = state_.ranges.find(m);
    iv cur = r == state_.ranges.end() ? iv::all() : r->second;
    iv t = tighten(cur, c);
    if (t.is_empty()) return false;
    if (r != state_.ranges.end() || !(t == cur)) state_.ranges[m] = t;
    return true;
}

template <Integer I>
bool fact_store<I>::add_relation(const E& d0, rel_kind k) {
    E d = lowered(d0);
    if (d.is_constant()) {
        const I& v = d.constant_value();
        return k == rel_kind::le ? v <= 0 : k == rel_kind::eq ? v == 0 : v != 0;
    }
    // Already decided by what is known?
    iv b = bound(d);
    if (k == rel_kind::le && b.lo > extended<I>(I(0))) return false;
    if (k == rel_kind::eq && !b.contains(I(0))) return false;
    if (k == rel_kind::ne && b.is_point() && b.lo == extended<I>(I(0))) return false;
    lin l = detail::to_linear(d.node());
    if (l.terms.size() == 1) {
        const I& kk = l.terms[0].first;
        const node_t* m = l.terms[0].second;
        I negc = checked_neg(l.c);
        if (k == rel_kind::le) {
            iv r = kk > 0 ? iv::at_most(floor_div(negc, kk)) : iv::at_least(ceil_div(negc, kk));
            if (!add_atom_range(m, r)) return false;
        } else if (k == rel_kind::eq) {
            if (floor_mod(negc, kk) != 0) return false;
            I v = floor_div(negc, kk);
            if (!add_atom_range(m, iv::point(v))) return false;
            if (!add_atom_cg(m, congruence<I>::exact(v))) return false;
            // X % c == v also tells X ≡ v (mod c). When X is a*x + b for one symbol x, solve for
            // x's residue and rewrite x as (c/g)*q + t.
            if (m->kind == node_kind::mod && m->args()[1]->kind == node_kind::constant && m->args()[1]->value > 0) {
                const I& c = m->args()[1]->value;
                lin lx = detail::to_linear(m->args()[0]);
                if (lx.terms.size() == 1 && lx.terms[0].second->kind == node_kind::symbol) {
                    const I& a = lx.terms[0].first;
                    I g = gcd(a, c);
                    I rhs = checked_sub(v, lx.c);
                    if (floor_mod(rhs, g) != 0) return false;
                    I cm = floor_div(c, g);
                    if (cm > 1) {
                        // t = (rhs/g) * inverse(a/g) mod cm, by extended Euclid.
                        I a0 = floor_mod(floor_div(a, g), cm), m0 = cm, x0 = 1, x1 = 0;
                        while (m0 != 0) {
                            I qd = floor_div(a0, m0);
                            I t0 = a0 - qd * m0; a0 = m0; m0 = t0;
                            I t1 = x0 - qd * x1; x0 = x1; x1 = t1;
                        }
                        I t = floor_mod(checked_mul(floor_mod(floor_div(rhs, g), cm), floor_mod(x0, cm)), cm);
                        return lower_symbol(lx.terms[0].second, cm, t);
                    }
                    return true;
                }
                if (!add_atom_cg(m->args()[0], cg_normal(c, v))) return false;
            }
        } else {
            if (floor_mod(negc, kk) == 0) {
                I v = floor_div(negc, kk);
                auto it = state_.ranges.find(m);
                iv cur = it == state_.ranges.end() ? iv::all() : it->second;
                if (cur.lo == extended<I>(v)) cur.lo = extended<I>(checked_add(v, I(1)));
                if (cur.hi == extended<I>(v)) cur.hi = extended<I>(checked_sub(v, I(1)));
                if (!add_atom_range(m, cur)) return false;
            }
            state_.relations.push_back({d, k});
            ++version_;
        }
        return true;
    }
    if (k == rel_kind::eq) {
        // A symbol with coefficient ±1 that the rest does not mention becomes a replacement.
        // Candidates: internal symbols (x'1) first, then user symbols latest-first, so that
        // s0 == s1 replaces s1 by s0.
        std::vector<std::pair<I, const node_t*>> cands;
        for (auto it = l.terms.rbegin(); it != l.terms.rend(); ++it)
            if (it->second->kind == node_kind::symbol && it->second->name().find('\'') != std::string::npos) cands.emplace_back(it->first, it->second);
        for (auto it = l.terms.rbegin(); it != l.terms.rend(); ++it)
            if (it->second->kind == node_kind::symbol && it->second->name().find('\'') == std::string::npos) cands.emplace_back(it->first, it->second);
        for (const auto& [kk, m] : cands) {
            if (kk != 1 && kk != -1) continue;
            E rest = kk == 1 ? E(m) - d : d + E(m); // m == rest
            bool mentions = false;
            for (const auto& s : symbols_of(rest))
                if (s.node() == m) mentions = true;
            if (mentions) continue;
            // Internal symbols (x'1) are replaced first; otherwise the first such symbol in the
            // canonical order is replaced, so s1 == s0 becomes s1 -> s0 only if s1 sorts first...
            return add_substitution(m, rest, m->name().find('\'') != std::string::npos);
        }
    }
    state_.relations.push_back({d, k});
    ++version_;
    return true;
}

template <Integer I>
bool fact_store<I>::add_fact_rec(const E& p0) {
    E p = lowered(p0);
    ++version_;
    switch (p.kind()) {
    case node_kind::bool_const: return p.is_true();
    case node_kind::and_:
        for (std::size_t i = 0; i < p.num_args(); ++i)
            if (!add_fact_rec(p.arg(i))) return false;
        return true;
    case node_kind::le: return add_relation(p.arg(0) - p.arg(1), rel_kind::le);
    case node_kind::lt: return add_relation(p.arg(0) - p.arg(1) + E(I(1)), rel_kind::le);
    case node_kind::eq: return add_relation(p.arg(0) - p.arg(1), rel_kind::eq);
    case node_kind::ne: return add_relation(p.arg(0) - p.arg(1), rel_kind::ne);
    default: {
        truth t = prove(p);
        if (t == truth::no) return false;
        state_.opaque.push_back(p);
        ++version_;
        return true;
    }
    }
}

template <Integer I>
bool fact_store<I>::try_add_fact(const E& p) {
    if (!p.is_bool()) throw usage_error("a fact must be a boolean expression, got '" + to_string(p) + "'");
    state saved = state_;
    bool ok = false;
    try {
        ok = add_fact_rec(p);
    } catch (const overflow_error&) {
        // Using the fact needs arithmetic beyond int64 (ranges near its ends): it is kept as
        // stated instead, like a fact the store cannot use (checked at points, matched as a
        // whole): sound, only used less. (When even that overflows, the store is left as it was
        // and the error goes to the caller.)
        state_ = std::move(saved);
        ++version_;
        state_.opaque.push_back(lowered(p));
        return true;
    } catch (...) {
        state_ = std::move(saved); // unchanged, whatever went wrong
        ++version_;
        throw;
    }
    if (!ok) state_ = std::move(saved);
    ++version_;
    return ok;
}

template <Integer I>
void fact_store<I>::add_fact(const E& p) {
    if (!try_add_fact(p))
        throw contradiction_error("the fact '" + to_string(p) + "' contradicts the facts already known" +
                                  "\n    no value of its symbols satisfies it together with the declared ranges and facts");
}

template <Integer I>
basic_expr<I> fact_store<I>::normalize(const E& e) const {
    if (state_.replacements.empty()) return e;
    std::unordered_map<E, E, expr_hash> m;
    for (const auto& [k, v] : state_.replacements) m.emplace(E(k), v);
    const E out = substitute(e, m);
    if (state_.lowering.empty()) return out;
    // Replacement images are kept in lowered form, so they may hold internal symbols (x'1 from
    // x := c*x'1 + r). Each goes back to the user's symbol it was made from: x'1 = (x - r) / c,
    // exactly; a term k*x'1 with c | k as (k/c)*(x - r) (so m == n with n % 8 == 0 known
    // gives m -> n, not 8*n'1), any other occurrence as (x - r) // c.
    struct origin {
        E x;
        I c, r;
    };
    std::unordered_map<const node_t*, origin> from;
    for (const auto& [x, image] : state_.lowering) {
        if (x->name().find('\'') != std::string_view::npos) continue; // (an internal symbol's own image)
        const lin l = detail::to_linear(image.node());
        if (l.terms.size() == 1 && l.terms[0].second->kind == node_kind::symbol)
            from.emplace(l.terms[0].second, origin{E(x), l.terms[0].first, l.c});
    }
    auto back = [&](const node_t* n, auto&& rec) -> std::optional<E> {
        if (n->kind == node_kind::symbol) {
            const auto it = from.find(n);
            if (it == from.end()) return std::nullopt;
            return floor_div(it->second.x - E(it->second.r), E(it->second.c));
        }
        if (n->kind != node_kind::add) return std::nullopt;
        E sum(n->value);
        for (std::size_t i = 0; i < n->args().size(); ++i) {
            const I& k = n->coeffs()[i];
            const auto it = from.find(n->args()[i]);
            if (it != from.end() && floor_mod(k, it->second.c) == 0)
                sum = sum + E(floor_div(k, it->second.c)) * (it->second.x - E(it->second.r));
            else sum = sum + E(k) * rec(n->args()[i]);
        }
        return sum;
    };
    detail::rebuild_memo<I> memo;
    return detail::rebuild_with(out.node(), back, memo);
}

} // namespace symshape

#include "symshape/range/impl/bound.hpp"
#include "symshape/range/impl/prove.hpp"
#include "symshape/range/detail/node_analysis.hpp"
#include "symshape/range/detail/attainment.hpp"
#include "symshape/range/detail/polynomial_extremes.hpp"
#include "symshape/range/detail/monotone_symbols.hpp"
#include "symshape/range/detail/residue_splits.hpp"
#include "symshape/range/detail/point_search.hpp"
#include "symshape/range/detail/box_search.hpp"
#include "symshape/range/detail/atom_pruning.hpp"
#include "symshape/range/detail/relational_bound.hpp"
