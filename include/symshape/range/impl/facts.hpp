// symshape/range/impl/facts.hpp — the definitions behind symshape/range/facts.hpp: compiled into
// libsymshape in compiled mode, included by that header in header-only mode. Not for direct
// inclusion.
#pragma once

#include "symshape/range/facts.hpp"

namespace symshape {

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
basic_expr<I> fact_store<I>::lowered(const E& e) const {
    if (state_.replacements.empty() && state_.lowering.empty()) return e;
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
    std::unordered_map<const node_t*, E> memo;
    return detail::rebuild_with(out.node(), back, memo);
}

template <Integer I>
typename fact_store<I>::info fact_store<I>::analyze_uncached(const node_t* n) {
    info r{iv::all(), congruence<I>::unknown()};
    bool deep_rule = false; // a rule of the deep tier may apply to n
    switch (n->kind) {
    case node_kind::constant: r = {iv::point(n->value), congruence<I>::exact(n->value)}; r.exact = true; return r;
    case node_kind::symbol: break;
    case node_kind::add: {
        r.range = iv::point(n->value);
        r.cg = congruence<I>::exact(n->value);
        for (std::size_t i = 0; i < n->args().size(); ++i) {
            const info& a = analyze(n->args()[i]);
            r.range = iv_add(r.range, iv_scale(a.range, n->coeffs()[i]));
            r.cg = cg_add(r.cg, cg_scale(a.cg, n->coeffs()[i]));
        }
        // A node built as a square of a sum (up to sign and constant): bounded as a square.
        if (const auto* sq = detail::arena<I>::get().square_of(n)) {
            const iv root2 = iv_pow(analyze(sq->root).range, I(2));
            const I shift = checked_sub(n->value, checked_mul(I(sq->sign), sq->square->value));
            r.range = intersect(r.range, iv_add(iv_scale(root2, I(sq->sign)), iv::point(shift)));
        }
        for (auto* t : n->args())
            if (t->kind == node_kind::mul) {
                r.range = intersect(r.range, poly_bound(n));
                if (!r.range.is_bounded()) {
                    try {
                        r.range = intersect(r.range, sign_bound(n));
                    } catch (const overflow_error&) {
                        // coefficients beyond int64 while splitting: no sharper bound
                    }
                }
                break;
            }
        if (minmax_terms(n) > 0) {
            deep_rule = true;
            if (deep_ && distributing_) r.partial = true;
            else if (deep_) r.range = intersect(r.range, distribute_minmax(n));
        }
        break;
    }
    case node_kind::mul: {
        r.range = iv::point(I(1));
        r.cg = congruence<I>::exact(I(1));
        for (std::size_t i = 0; i < n->args().size(); ++i) {
            const info& a = analyze(n->args()[i]);
            r.range = iv_mul(r.range, iv_pow(a.range, n->coeffs()[i]));
            for (I e = 0; e < n->coeffs()[i] && e < 8; ++e) r.cg = cg_mul(r.cg, a.cg);
            if (n->coeffs()[i] >= 8) r.cg = congruence<I>::unknown();
        }
        // (X // Y) * Y * rest == (X - X % Y) * rest: bounds the correlated pair together.
        for (std::size_t i = 0; i < n->args().size(); ++i) {
            const node_t* f = n->args()[i];
            if (f->kind != node_kind::floor_div || n->coeffs()[i] != 1) continue;
            lin ly = detail::to_linear(f->args()[1]);
            if (ly.c != 0 || ly.terms.size() != 1 || ly.terms[0].first != 1) continue;
            detail::factor_list<I> have, need;
            detail::monomial_factors(n, have);
            detail::monomial_factors(ly.terms[0].second, need);
            have.erase(have.begin() + static_cast<std::ptrdiff_t>(i));
            bool ok = true;
            for (const auto& ae : need) {
                const auto& atom = ae.first;
                const auto& e = ae.second;
                auto it = std::find_if(have.begin(), have.end(), [&](const auto& p) { return p.first == atom; });
                if (it == have.end() || it->second < e) { ok = false; break; }
                it->second -= e;
            }
            if (!ok) continue;
            have.erase(std::remove_if(have.begin(), have.end(), [](const auto& p) { return p.second == 0; }), have.end());
            if (have.empty()) {
                // (X // y) * y is non-decreasing in X for each fixed y != 0: when y takes few
                // values, the hull over them of [Xlo // y * y, Xhi // y * y] is exact.
                const iv yb = analyze(f->args()[1]).range, xb = analyze(f->args()[0]).range;
                I w;
                if (yb.is_bounded() && try_sub(yb.hi.value(), yb.lo.value(), w) && w < I(64)) {
                    iv h = iv::empty();
                    // (X // v) * v, false when it does not fit (X // -1 may not, though the
                    // product is X)
                    auto multiple = [](const I& x, const I& v, I& t) {
                        if (v == 1 || v == -1) { t = x; return true; }
                        return try_mul(floor_div(x, v), v, t);
                    };
                    for (I k = 0; k <= w; ++k) { // (counted: yb.hi + 1 may not fit)
                        const I v = yb.lo.value() + k;
                        if (v == 0) continue;
                        iv one = iv::all();
                        I t;
                        if (xb.lo.is_finite() && multiple(xb.lo.value(), v, t)) one.lo = t;
                        if (xb.hi.is_finite() && multiple(xb.hi.value(), v, t)) one.hi = t;
                        h = hull(h, one);
                    }
                    r.range = intersect(r.range, h);
                }
            }
            E x(f->args()[0]), y(f->args()[1]);
            E alt = (x - mod(x, y)) * E(detail::make_monomial(have));
            r.range = intersect(r.range, analyze(alt.node()).range);
            break;
        }
        break;
    }
    case node_kind::floor_div:
    case node_kind::mod: {
        const info a = analyze(n->args()[0]);
        const info b = analyze(n->args()[1]);
        if (n->kind == node_kind::floor_div) {
            r.range = iv_floor_div(a.range, b.range);
            if (b.range.is_point() && b.range.lo.value() > 0) r.cg = cg_floor_div(a.cg, b.range.lo.value());
        } else {
            r.range = iv_mod(a.range, b.range);
            if (b.range.is_point() && b.range.lo.value() > 0) r.cg = cg_mod(a.cg, b.range.lo.value());
        }
        if (n->args()[0]->kind != node_kind::constant && n->args()[1]->kind != node_kind::constant) {
            deep_rule = true;
            if (deep_) r.range = intersect(r.range, quotient_by_difference(n, a, b));
        }
        break;
    }
    case node_kind::min:
    case node_kind::max: {
        r = analyze(n->args()[0]);
        for (std::size_t i = 1; i < n->args().size(); ++i) {
            const info& a = analyze(n->args()[i]);
            r.range = n->kind == node_kind::min ? iv_min(r.range, a.range) : iv_max(r.range, a.range);
            r.cg = cg_join(r.cg, a.cg);
        }
        break;
    }
    default: throw usage_error("bound() of a boolean expression");
    }
    if (auto it = state_.ranges.find(n); it != state_.ranges.end()) r.range = intersect(r.range, it->second);
    if (auto it = state_.cgs.find(n); it != state_.cgs.end()) {
        const congruence<I>& c = it->second;
        if (r.cg.m == 0) {
            // exact already
        } else if (c.m == 0 || (r.cg.m != 0 && floor_mod(c.m, r.cg.m) == 0)) {
            r.cg = c; // the fact is at least as precise
        }
    }
    r.deep_same = !deep_rule;
    for (const node_t* a : n->args()) {
        if (!r.deep_same && (!deep_ || r.partial)) break;
        // (the children were analysed above: mostly a lookup, without copying the info)
        bool same, part;
        if (const info* c = cache_.find(a)) {
            same = c->deep_same;
            part = c->partial;
        } else {
            const info x = analyze(a);
            same = x.deep_same;
            part = x.partial;
        }
        r.deep_same = r.deep_same && same;
        r.partial = r.partial || part;
    }
    const iv before = r.range;
    r.range = tighten(r.range, r.cg);
    if (r.range.is_point()) r.cg = congruence<I>::exact(r.range.lo.value());
    // (min/max start from a copy of their first argument's info: drop its attainment facts)
    r.syms = 0;
    r.sweep = nullptr;
    r.span = r.span_any = I(0);
    r.exact = false;
    if (free_box_) {
        if (r.range == before) {
            attain(n, r);
        } else {
            // (the congruence moved an end: no attainment claim, but the symbols stay known,
            // which parents and bound()'s grouping of a sum rely on)
            if (n->kind == node_kind::symbol) r.syms = symbol_bit(n);
            for (const node_t* a : n->args()) r.syms |= analyze(a).syms;
        }
    }
    return r;
}

/// A sum with a min or max term (at most two such terms) that shares symbols with the rest:
/// rest + c*max(a, b) == max(rest + c*a, rest + c*b) for c > 0 (a min for c < 0, and likewise
/// for min), each arm bounded with what cancels in it (max(x, y) - x is bounded as max(0, y - x)).
/// All integers when it does not apply.
template <Integer I>
interval<I> fact_store<I>::distribute_minmax(const node_t* n) {
    if (minmax_terms(n) == 0) return iv::all();
    std::size_t pick = 0;
    while (n->args()[pick]->kind != node_kind::min && n->args()[pick]->kind != node_kind::max) ++pick;
    const node_t* m = n->args()[pick];
    const I c = n->coeffs()[pick];
    try {
        const E cm = E(c) * E(m);
        const E rest = E(n) - cm;
        if (free_box_ && !(analyze(rest.node()).syms & analyze(m).syms)) return iv::all(); // independent
        // rest + c*max(...) is the max of the arms for c > 0, their min for c < 0
        const bool take_max = (m->kind == node_kind::max) == (c > 0);
        iv r = iv::empty();
        bool first = true;
        const bool outer = !distributing_;
        distributing_ = true; // (the arms' own min/max terms stay whole: no blow-up)
        struct reset {
            fact_store& fs;
            bool outer;
            ~reset() {
                if (!outer) return;
                fs.distributing_ = false;
                fs.partial_cache_.clear();
            }
        } guard{*this, outer};
        for (const node_t* arm : m->args()) {
            const iv a = analyze((rest + E(c) * E(arm)).node()).range;
            r = first ? a : take_max ? iv_max(r, a) : iv_min(r, a);
            first = false;
        }
        return r;
    } catch (const overflow_error&) {
        return iv::all();
    }
}

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
    for (const node_t* x : syms) {
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
        } else if (d.hi <= zero) {
            at_hi.emplace(E(x), E(b.lo.value()));
            at_lo.emplace(E(x), E(b.hi.value()));
        }
    }
    if (at_hi.empty()) return std::nullopt;
    if (syms.size() - at_hi.size() > budget_.monotone_free) return std::nullopt;
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

/// While bound_residues() bounds its pieces: the store's caches kept aside (the pieces' analyses
/// depend on ranges of q and r that change from piece to piece), the ranges of q and r set by
/// the caller, and everything as it was once it ends (also by an exception).
template <Integer I>
struct fact_store<I>::residue_scope {
    fact_store& fs;
    const node_t* q;
    const node_t* r;
    explicit residue_scope(fact_store& f, const node_t* q_, const node_t* r_) noexcept : fs(f), q(q_), r(r_) {
        fs.residue_ = true;
        fs.cache_.swap(fs.residue_cache_);
        fs.deep_cache_.swap(fs.residue_deep_cache_);
        fs.corner_cache_.swap(fs.residue_corner_cache_);
    }
    /// Carries over the store's analyses of e's nodes without q and r (the same nodes over the
    /// same ranges as in the store's own box); a node found there ends the walk below it (a
    /// node below that is asked for later is analysed again).
    void seed(const node_t* e) {
        const std::uint64_t bits = symbol_bit(q) | symbol_bit(r);
        detail::for_each_node(e, 512, [&](const node_t* n) {
            const info* a = fs.residue_cache_.find(n);
            if (!a || (a->syms & bits)) return true;
            fs.cache_.insert(n, *a);
            if (const info* d = fs.residue_deep_cache_.find(n)) fs.deep_cache_.insert(n, *d);
            return false;
        });
    }
    /// Before each piece: drops the analyses that read the previous piece's ranges of q and r.
    void next_piece() {
        const std::uint64_t bits = symbol_bit(q) | symbol_bit(r);
        fs.cache_.retain([&](const node_t*, const info& x) { return !(x.syms & bits); });
        fs.deep_cache_.retain([&](const node_t*, const info& x) { return !(x.syms & bits); });
        fs.corner_cache_.clear();
    }
    ~residue_scope() {
        fs.state_.ranges.erase(q);
        fs.state_.ranges.erase(r);
        fs.cache_.clear();
        fs.deep_cache_.clear();
        fs.corner_cache_.clear();
        fs.cache_.swap(fs.residue_cache_);
        fs.deep_cache_.swap(fs.residue_deep_cache_);
        fs.corner_cache_.swap(fs.residue_corner_cache_);
        fs.residue_ = false;
    }
    residue_scope(const residue_scope&) = delete;
    residue_scope& operator=(const residue_scope&) = delete;
};

/// r (a sound bound of e) sharpened by a split of a symbol's range by residues, while the box is
/// free: for x with `x % c` or `x // c` in e (c >= 2 a constant) and x in [lo, hi], every x is
/// c*q + r with 0 <= r < c in exactly one of the boxes q = lo // c with r in [lo % c, c - 1]; q
/// in [lo // c + 1, hi // c - 1] with r in [0, c - 1]; q = hi // c with r in [0, hi % c]. e with
/// x := c*q + r takes the same values over those boxes as e over x's range, so the hull of the
/// pieces' bounds is a bound of e. Canonical form makes `x % c` into `r % c` and `x // c` into
/// `q + r // c`, which the analysis, with r in [0, c - 1], reads as r and q: the sawtooth of
/// `x % c` becomes a plain symbol that the exact stages (corners, monotone symbols, quadratics)
/// can place. At most budget().residue_splits such (x, c), in the order met.
template <Integer I>
interval<I> fact_store<I>::bound_residues(const E& e, iv r, unsigned need) {
    if (!free_box_ || residue_ || budget_.residue_splits == 0) return r;
    struct candidate {
        const node_t* x;
        I c, lo, hi; // (x's range [lo, hi])
    };
    boost::container::small_vector<candidate, 4> cands;
    detail::for_each_node(e.node(), 512, [&](const node_t* n) {
        if (cands.size() >= budget_.residue_splits) return false;
        if ((n->kind == node_kind::mod || n->kind == node_kind::floor_div) && n->args()[0]->kind == node_kind::symbol &&
            n->args()[1]->kind == node_kind::constant && n->args()[1]->value >= I(2)) {
            const node_t* x = n->args()[0];
            const I& c = n->args()[1]->value;
            const iv b = analyze(x).range;
            const bool known = std::any_of(cands.begin(), cands.end(), [&](const candidate& p) { return p.x == x && p.c == c; });
            // (one period or less: the quotient is one value, which prune_atoms() already used)
            if (!known && b.is_bounded() && floor_div(b.lo.value(), c) != floor_div(b.hi.value(), c))
                cands.push_back({x, c, b.lo.value(), b.hi.value()});
        }
        return true;
    });
    if (cands.empty()) return r;
    // One pair of internal symbols for every split (named as no parsed text can name a symbol),
    // so that splits add two symbols to the thread's arena in all, not two per symbol split.
    const E q = E::symbol("'q"), rs = E::symbol("'r");
    boost::container::small_vector<const node_t*, 8> syms;
    detail::collect_symbols(e.node(), syms);
    auto taken = [&](const E& s) { return std::find(syms.begin(), syms.end(), s.node()) != syms.end() || state_.ranges.count(s.node()); };
    if (taken(q) || taken(rs)) return r; // (a name in use: not a fresh symbol)
    for (const auto& [x, c, lo, hi] : cands) {
        const I qlo = floor_div(lo, c), qhi = floor_div(hi, c);
        struct piece {
            I q0, q1, r0, r1;
        };
        boost::container::small_vector<piece, 3> pieces;
        // (the whole periods first: the widest piece, the likeliest to show that the split cannot
        // sharpen the bound, which ends the split early)
        if (qhi - qlo >= I(2)) pieces.push_back({I(qlo + 1), I(qhi - 1), I(0), I(c - 1)});
        pieces.push_back({qhi, qhi, I(0), floor_mod(hi, c)});
        pieces.push_back({qlo, qlo, floor_mod(lo, c), I(c - 1)});
        // What the pieces must cover before they cannot sharpen a needed end.
        const iv enough{need & low_end ? r.lo : r.hi, need & high_end ? r.hi : r.lo};
        try {
            std::unordered_map<E, E, expr_hash> at{{E(x), E(c) * q + rs}};
            const E es = substitute(e, at);
            residue_scope scope(*this, q.node(), rs.node());
            scope.seed(es.node());
            iv h = iv::empty();
            bool covered = false;
            for (const piece& p : pieces) {
                scope.next_piece();
                state_.ranges[q.node()] = iv{extended<I>(p.q0), extended<I>(p.q1)};
                state_.ranges[rs.node()] = iv{extended<I>(p.r0), extended<I>(p.r1)};
                // (with the whole search, a piece's end that is not needed is sound, maybe loose)
                h = hull(h, budget_.residue_search ? bound_lowered(es, need) : analyze(es.node()).range);
                if ((covered = h.contains(enough))) break; // the split cannot sharpen it
            }
            if (!covered) r = intersect(r, h);
        } catch (const overflow_error&) {
            // a piece needs a constant beyond int64: r stays as it was
        }
        if (r.is_point()) break;
    }
    return r;
}

/// x // y and x % y (node n, with a and b the analyses of x and y) through x - k*y for k = 1
/// and k = -1, for a divisor of one sign: x // y == k + (x - k*y) // y and x % y == (x - k*y) %
/// y; and x % y == x when 0 <= x < y, x + y when -y <= x < 0 (mirrored for y < 0). Canonical
/// subtraction cancels what x and y have in common, so this sees x < y where the ranges of x and
/// y alone overlap (s // (s + 12) is 0, (-s) // (s + 3) is -1). All integers when it does not
/// apply.
template <Integer I>
interval<I> fact_store<I>::quotient_by_difference(const node_t* n, const info& a, const info& b) {
    const node_t* x = n->args()[0];
    const node_t* y = n->args()[1];
    const extended<I> zero(I(0));
    const bool pos = b.range.lo > zero, neg = b.range.hi < zero;
    if (x->kind == node_kind::constant || y->kind == node_kind::constant || !(pos || neg)) return iv::all();
    if (free_box_ && !(a.syms & b.syms)) return iv::all(); // independent: the ranges say it all
    iv r = iv::all();
    for (const I& k : {I(1), I(-1)}) {
        iv d;
        try {
            d = analyze((E(x) - E(k) * E(y)).node()).range;
        } catch (const overflow_error&) {
            continue; // the difference's coefficients do not fit
        }
        if (n->kind == node_kind::floor_div) {
            r = intersect(r, iv_add(iv_floor_div(d, b.range), iv::point(k)));
            continue;
        }
        r = intersect(r, iv_mod(d, b.range));
        if (k == 1 ? (pos && a.range.lo >= zero && d.hi < zero)    // 0 <= x < y
                   : (pos && a.range.hi < zero && d.lo >= zero))   // -y <= x < 0
            r = intersect(r, k == 1 ? a.range : d);
        if (k == 1 ? (neg && a.range.hi <= zero && d.lo > zero)    // y < x <= 0
                   : (neg && a.range.lo > zero && d.hi <= zero))   // 0 < x <= -y
            r = intersect(r, k == 1 ? a.range : d);
    }
    return r;
}

/// Fills r.syms, r.exact, r.sweep / r.span from the children's (see `info`). Only claims what
/// the rules below show; a missed claim merely sends bound() down its slower paths, and a claim
/// never changes a range, so none of this can make a bound unsound.
template <Integer I>
void fact_store<I>::attain(const node_t* n, info& r) {
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
        // (poly_bound computes exactly those when a product is present; up to 7 atoms).
        boost::container::small_vector<const node_t*, 8> atoms;
        std::uint64_t seen = 0;
        bool exact = true, has_mul = false;
        auto atom = [&](const node_t* a, const I& e) {
            if (e != 1) { exact = false; return; }
            if (std::find(atoms.begin(), atoms.end(), a) != atoms.end()) return;
            const info x = analyze(a);
            if (!x.exact || (x.syms & seen)) exact = false;
            seen |= x.syms;
            atoms.push_back(a);
        };
        for (std::size_t i = 0; i < n->args().size() && exact; ++i) {
            const node_t* m = n->args()[i];
            if (m->kind == node_kind::mul) {
                has_mul = true;
                for (std::size_t j = 0; j < m->args().size() && exact; ++j) atom(m->args()[j], m->coeffs()[j]);
            } else {
                atom(m, I(1));
            }
        }
        for (const node_t* m : n->args()) r.syms |= analyze(m).syms;
        r.exact = exact && r.range.is_bounded() && (!has_mul || atoms.size() <= 7);
        // A unit-coefficient term that alone mentions a sweeping symbol keeps it sweeping.
        for (std::size_t i = 0; i < n->args().size(); ++i) {
            const node_t* m = n->args()[i];
            if (m->kind == node_kind::mul || (n->coeffs()[i] != 1 && n->coeffs()[i] != -1)) continue;
            const info x = analyze(m);
            if (!x.sweep || (r.sweep && x.span_any <= r.span_any)) continue;
            std::uint64_t others = 0;
            for (std::size_t j = 0; j < n->args().size(); ++j)
                if (j != i) others |= analyze(n->args()[j]).syms;
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

/// Exact range of a polynomial over the box of its atoms (treated as independent, which is
/// sound): multilinear -> extremes at the corners; one atom of degree 2 -> corners and vertex.
/// Returns all integers when it does not apply.
template <Integer I>
interval<I> fact_store<I>::poly_bound(const node_t* n) {
    boost::container::small_vector<const node_t*, 8> atoms;
    boost::container::small_vector<int, 8> degree;
    bool shared = false; // an atom in two terms (else the term-by-term sum is already this tight)
    auto note = [&](const node_t* a, const I& e) {
        auto it = std::find(atoms.begin(), atoms.end(), a);
        int d = e > 8 ? 9 : static_cast<int>(to_int64(e));
        if (it == atoms.end()) { atoms.push_back(a); degree.push_back(d); }
        else {
            shared = true;
            degree[static_cast<std::size_t>(it - atoms.begin())] = std::max(degree[static_cast<std::size_t>(it - atoms.begin())], d);
        }
    };
    for (std::size_t i = 0; i < n->args().size(); ++i) {
        const node_t* m = n->args()[i];
        if (m->kind == node_kind::mul)
            for (std::size_t j = 0; j < m->args().size(); ++j) note(m->args()[j], m->coeffs()[j]);
        else note(m, I(1));
    }
    if (!shared || atoms.size() > 7) return iv::all(); // at most 2^7 corners
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
    boost::container::small_vector<std::pair<std::uint8_t, std::uint8_t>, 16> spans; // (first factor, count)
    boost::container::small_vector<factor, 32> factors;
    for (std::size_t t = 0; t < n->args().size(); ++t) {
        const node_t* m = n->args()[t];
        const auto first = static_cast<std::uint8_t>(factors.size());
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
    auto mentions = [&](std::size_t t, std::uint8_t atom) {
        for (std::size_t f = spans[t].first; f < std::size_t(spans[t].first) + spans[t].second; ++f)
            if (factors[f].atom == atom) return true;
        return false;
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
                if (!mentions(t, a)) continue;
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

template <Integer I>
typename fact_store<I>::info fact_store<I>::analyze(const node_t* n) {
    check_version();
    if (const info* c = cache_.find(n)) return *c;
    // (in the deep tier, deep_cache_ holds the cheap tier's infos)
    if (deep_)
        if (const info* c = deep_cache_.find(n); c && c->deep_same) return *c;
    if (distributing_)
        if (const info* c = partial_cache_.find(n)) return *c;
    info r = analyze_uncached(n);
    if (!r.partial) cache_.insert(n, r);
    else partial_cache_.insert(n, r);
    return r;
}

/// analyze() with the rules that build new expressions (min/max distributed over a sum, a
/// quotient through the difference of its operands) on every node: sharper where subterms share
/// symbols, and several times the cost, so bound() and prove() use it only for what the cheap
/// tier left loose or open. Cached per version apart from the cheap tier's infos.
template <Integer I>
typename fact_store<I>::info fact_store<I>::deep_analyze(const node_t* n) {
    check_version();
    if (deep_) return analyze(n);
    deep_tier guard(*this);
    return analyze(n);
}

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

/// bound of a difference d, sharpened by stored relations (one relation at a time).
template <Integer I>
interval<I> fact_store<I>::bound_relational(const E& d) {
    iv b = analyze(d.node()).range;
    if (state_.relations.empty()) return b;
    lin ld = detail::to_linear(d.node());
    for (const auto& rel : state_.relations) {
        if (rel.kind == rel_kind::ne) continue;
        lin lf = detail::to_linear(rel.d.node());
        for (const auto& [kf, mf] : lf.terms) {
            std::ptrdiff_t idx = detail::find_term(ld, mf);
            if (idx < 0) continue;
            const I& kd = ld.terms[static_cast<std::size_t>(idx)].first;
            if (floor_mod(kd, kf) != 0) continue;
            I lambda = floor_div(kd, kf);
            iv rest = analyze((d - E(lambda) * rel.d).node()).range;
            // d = rest + lambda*F with F <= 0 (or == 0).
            if (rel.kind == rel_kind::eq) b = intersect(b, rest);
            else if (lambda > 0) b.hi = std::min(b.hi, rest.hi);
            else b.lo = std::max(b.lo, rest.lo);
        }
    }
    return b;
}

/// Values of `e` at points of its symbols' box that satisfy every fact: a few fixed points (the
/// low and high corners, the centre, two alternating corners), then, with a target bound, a
/// fixed-seed sample of the box and a coordinate search from the best point towards each end
/// not yet attained (each symbol in turn tries its ends, their neighbours, a step either way and
/// a sampled value). Used only to stop early: a bound attained at both ends is exact; a relation
/// seen both true and false depends on the values. `stop` (optional) ends the search as soon as
/// it holds of the values seen. Every evaluation is of the compiled expression (flat_eval), so
/// the search neither allocates nor throws once warm; budget().witness_evals caps it.
template <Integer I>
template <class Stop>
typename fact_store<I>::witness_t fact_store<I>::witness(const node_t* e, const iv* target, Stop&& stop, unsigned need) {
    witness_t w;
    wsyms_.clear();
    weval_.compile(e, wsyms_); // (also lists e's symbols, in the order collect_symbols would)
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
    auto attained = [&](bool up) { // (an end not needed counts as attained)
        if (!(need & (up ? high_end : low_end))) return true;
        return w.any && (up ? target->hi == extended<I>(w.hi) : target->lo == extended<I>(w.lo));
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
    wsyms_.clear();
    weval_.compile(d, wsyms_);
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

/// Sub-boxes of the box of e's symbols, analysed in a scratch cache with the symbols' ranges
/// narrowed (restored, with the store's cache, on destruction). Every analysis is sound for its
/// sub-box, so a hull over sub-boxes that cover the box is sound for the box.
template <Integer I>
struct fact_store<I>::box_search {
    using box = boost::container::small_vector<iv, 8>;
    fact_store& fs;
    const node_t* e;
    boost::container::small_vector<const node_t*, 8> syms;
    box saved;
    bool ok = false;
    std::size_t used = 0;

    box_search(fact_store& f, const node_t* expr) : fs(f), e(expr) {
        boost::container::small_vector<const node_t*, 8> all;
        detail::collect_symbols(e, all);
        if (all.empty() || all.size() > 8) return;
        for (const node_t* s : all) {
            auto it = fs.state_.ranges.find(s);
            if (it == fs.state_.ranges.end() || !it->second.is_bounded()) return;
            syms.push_back(s);
            saved.push_back(it->second);
        }
        ok = true;
        fs.cache_.swap(fs.split_cache_);
    }
    ~box_search() {
        if (!ok) return;
        for (std::size_t i = 0; i < syms.size(); ++i) fs.state_.ranges[syms[i]] = saved[i];
        fs.cache_.swap(fs.split_cache_);
        fs.split_cache_.clear();
    }
    box_search(const box_search&) = delete;
    box_search& operator=(const box_search&) = delete;

    box last; // the box the cached analyses belong to (empty: none)
    info analyze(const box& b) {
        ++used;
        // With a free box every analysis records the symbols it depends on: the ones of the
        // last box that do not involve a symbol whose range changed stay valid.
        std::uint64_t changed = 0;
        for (std::size_t i = 0; i < syms.size() && !last.empty(); ++i)
            if (!(last[i] == b[i])) changed |= symbol_bit(syms[i]);
        if (fs.free_box_ && !last.empty()) fs.cache_.retain([&](const node_t*, const info& x) { return !(x.syms & changed); });
        else fs.cache_.clear();
        for (std::size_t i = 0; i < syms.size(); ++i) fs.state_.ranges[syms[i]] = b[i];
        last = b;
        return fs.analyze(e);
    }
    /// Halves the widest symbol of b; false when b is a single point.
    bool split(const box& b, box& lo, box& hi) const {
        // Shape expressions are mostly products and quotients of positive sizes, where what
        // matters is the ratio of a range's ends: a positive range is measured by log(hi/lo)
        // and halved at its geometric middle, any other by log(width + 1) and halved evenly.
        std::size_t w = syms.size();
        double best = 0;
        for (std::size_t i = 0; i < b.size(); ++i) {
            if (b[i].lo == b[i].hi) continue;
            const double l = static_cast<double>(b[i].lo.value()), h = static_cast<double>(b[i].hi.value());
            const double spread = l >= 1 ? std::log2(h / l) : std::log2(h - l + 1);
            if (w == syms.size() || spread > best) { w = i; best = spread; }
        }
        if (w == syms.size()) return false;
        I mid = midpoint(b[w].lo.value(), b[w].hi.value());
        if (b[w].lo >= extended<I>(I(1))) {
            const double g = std::sqrt(static_cast<double>(b[w].lo.value()) * static_cast<double>(b[w].hi.value()));
            if (g >= 0 && g < 9.0e18) {
                I gm = static_cast<I>(static_cast<std::int64_t>(g));
                if (extended<I>(gm) >= b[w].lo && extended<I>(gm) < b[w].hi) mid = gm;
            }
        }
        lo = b;
        hi = b;
        lo[w].hi = extended<I>(mid);
        hi[w].lo = extended<I>(mid + 1);
        return true;
    }
    /// e at the centre of b, when that point is allowed.
    std::optional<I> centre(const box& b) {
        boost::container::small_vector<I, 8> pt(syms.size());
        for (std::size_t i = 0; i < syms.size(); ++i) pt[i] = midpoint(b[i].lo.value(), b[i].hi.value());
        if (!compiled) {
            compiled = true;
            boost::container::small_vector<const node_t*, 8> order(syms.begin(), syms.end());
            fs.beval_.compile(e, order); // (every symbol of e is in syms already)
        }
        I x;
        if (!fs.beval_.run(pt.data(), x)) return std::nullopt; // a zero divisor or an overflow here
        if (fs.free_box_) return x;
        fs.wval_.clear();
        for (std::size_t i = 0; i < syms.size(); ++i) fs.wval_.set(E(syms[i]), pt[i]);
        try {
            for (std::size_t i = 0; i < syms.size(); ++i) fs.state_.ranges[syms[i]] = saved[i];
            if (!fs.point_allowed(fs.wval_)) return std::nullopt;
            return x;
        } catch (const error&) {
            return std::nullopt;
        }
    }
    bool compiled = false; // fs.beval_ holds e
};

/// Branch and bound on the box of e's symbols for each end of r not yet shown attained: the
/// sub-box with the most extreme bound is halved until that bound is a value seen at a point
/// (then it is exact) or the budget runs out (then the best sub-box bound stands: sound).
template <Integer I>
interval<I> fact_store<I>::box_bound(const node_t* e, iv r, const witness_t& w, unsigned need) {
    if (budget_.bound_box_splits == 0 || !r.is_bounded()) return r;
    box_search bs(*this, e);
    if (!bs.ok) return r;
    using box = typename box_search::box;
    for (int side = 0; side < 2; ++side) {
        const bool up = side == 1;
        if (!(need & (up ? high_end : low_end))) continue;
        extended<I> seen = up ? (w.any ? extended<I>(w.hi) : extended<I>::neg_inf()) : (w.any ? extended<I>(w.lo) : extended<I>::pos_inf());
        const extended<I> cur = up ? r.hi : r.lo;
        if (cur == seen) continue;
        struct open_box {
            box b;
            extended<I> end; // this side's bound on the sub-box
            bool exact;
        };
        std::vector<open_box> open;
        open.push_back({bs.saved, cur, false});
        extended<I> stuck = up ? extended<I>::neg_inf() : extended<I>::pos_inf();
        const std::size_t limit = bs.used + budget_.bound_box_splits / 2;
        extended<I> last_end = cur;
        int stalled = 0;
        for (;;) {
            // the most promising box
            std::size_t best = 0;
            for (std::size_t i = 1; i < open.size(); ++i)
                if (up ? open[i].end > open[best].end : open[i].end < open[best].end) best = i;
            if (open.empty() || (up ? open[best].end <= seen : open[best].end >= seen)) break; // attained
            if (open[best].exact) { seen = open[best].end; break; }
            if (bs.used >= limit) break;
            // Halving that has not moved the bound for a while rarely moves it later.
            if (open[best].end == last_end) {
                if (++stalled >= 4) break;
            } else {
                last_end = open[best].end;
                stalled = 0;
            }
            box lo, hi;
            const box b = open[best].b;
            const extended<I> open_end = open[best].end;
            open.erase(open.begin() + static_cast<std::ptrdiff_t>(best));
            if (!bs.split(b, lo, hi)) {
                // A single point: its value, or, when it cannot be evaluated here (a fact over
                // other symbols), its analysed bound stays in the answer.
                const extended<I> end = open_end;
                if (auto v = bs.centre(b)) {
                    if (up ? extended<I>(*v) > seen : extended<I>(*v) < seen) seen = *v;
                } else {
                    stuck = up ? std::max(stuck, end) : std::min(stuck, end);
                }
                continue;
            }
            for (box* c : {&lo, &hi}) {
                const info x = bs.analyze(*c);
                if (x.range.is_empty()) continue;
                if (auto v = bs.centre(*c))
                    if (up ? extended<I>(*v) > seen : extended<I>(*v) < seen) seen = *v;
                const extended<I> end = up ? std::min(x.range.hi, cur) : std::max(x.range.lo, cur);
                open.push_back({*c, end, x.exact && free_box_ && (up ? x.range.hi <= cur : x.range.lo >= cur)});
            }
        }
        extended<I> res = up ? std::max(seen, stuck) : std::min(seen, stuck);
        for (const auto& o : open) res = up ? std::max(res, o.end) : std::min(res, o.end);
        if (up) r.hi = std::min(r.hi, res);
        else r.lo = std::max(r.lo, res);
    }
    return r;
}

/// Branch and bound for a relation on d: sub-boxes are halved until each is decided by its own
/// bound; the same answer in every sub-box is the answer, different answers mean it depends.
template <Integer I>
template <class Decide, class Holds>
truth fact_store<I>::box_prove(const node_t* d, Decide&& decide, Holds&& holds) {
    if (budget_.box_splits == 0) return truth::unknown;
    box_search bs(*this, d);
    if (!bs.ok) return truth::unknown;
    using box = typename box_search::box;
    std::vector<box> open{bs.saved};
    truth all = truth::unknown;
    bool seen_true = false, seen_false = false;
    std::size_t next = 0;
    while (next < open.size()) {
        // Each open box still costs at least two analyses (its halves): when the budget left
        // cannot pay for that, the search cannot end in an answer, so stop now.
        if (bs.used + 2 * (open.size() - next) > budget_.box_splits) return truth::unknown;
        // No sub-box decided after a few halvings: the rest of the budget rarely helps.
        if (all == truth::unknown && bs.used >= 4) return truth::unknown;
        box lo, hi;
        const box b = open[next++];
        if (!bs.split(b, lo, hi)) return truth::unknown; // an undecided single point: should not happen
        for (box* c : {&lo, &hi}) {
            const info x = bs.analyze(*c);
            if (x.range.is_empty()) continue; // no allowed point here
            const truth t = decide(x);
            if (t == truth::unknown) {
                // seen to hold at one point and fail at another: it depends, stop searching
                if (free_box_ && x.exact) {
                    (holds(x.range.lo.value()) ? seen_true : seen_false) = true; // both ends are values
                    (holds(x.range.hi.value()) ? seen_true : seen_false) = true;
                }
                if (auto v = bs.centre(*c)) (holds(*v) ? seen_true : seen_false) = true;
                if (seen_true && seen_false) return truth::unknown;
                open.push_back(*c);
                continue;
            }
            if (all != truth::unknown && t != all) return truth::unknown; // it depends
            all = t;
        }
    }
    return all == truth::unknown ? truth::yes : all; // every sub-box empty: vacuous
}

/// Looks for a point of the box (every point allowed: free box only) where d is 0: from a few
/// base points, along each symbol whose two ends give d opposite signs, by bisection. Finding
/// one proves that d == 0 is possible; not finding one proves nothing.
template <Integer I>
bool fact_store<I>::find_zero(const node_t* d) {
    if (!free_box_) return false;
    wsyms_.clear();
    weval_.compile(d, wsyms_);
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
    int budget = 96; // evaluations
    for (int p = 0; p < 3; ++p) {
        for (std::size_t j = 0; j < ns; ++j) {
            const iv& b = boxes[j];
            const bool low = p == 0 || (p == 2 && j % 2 == 0);
            pt[j] = p == 1 ? b.hi.value() : low ? b.lo.value() : b.hi.value();
        }
        for (std::size_t j = 0; j < ns; ++j) {
            const iv& b = boxes[j];
            const I keep = pt[j];
            I lo = b.lo.value(), hi = b.hi.value(), dl, dh;
            budget -= 2;
            if (at(j, lo, dl) && at(j, hi, dh)) {
                if (dl == 0 || dh == 0) return true;
                if ((dl < 0) != (dh < 0)) {
                    // invariant: d(lo) and d(hi) have opposite signs
                    while (lo < hi && lo + 1 < hi && budget-- > 0) { // (hi - lo may not fit)
                        const I mid = midpoint(lo, hi);
                        I dm;
                        if (!at(j, mid, dm)) break;
                        if (dm == 0) return true;
                        if ((dm < 0) == (dl < 0)) lo = mid;
                        else hi = mid;
                    }
                }
            }
            pt[j] = keep;
            if (budget <= 0) return false;
        }
    }
    return false;
}

/// Calls f(info of e) with the range of the symbol of e with the fewest values among those that
/// occur more than once (fewer than budget().split_values values) narrowed to each value in
/// turn, in a scratch cache (the store's cache and version stay as they were). f returns false
/// to stop. Returns false when no symbol qualifies or f stopped early.
template <Integer I>
template <class F>
bool fact_store<I>::split_values(const node_t* e, F&& f) {
    const std::uint64_t cap = budget_.split_values;
    const node_t* best = nullptr;
    I best_w{};
    // Only a symbol that occurs twice or more in e's tree (counted up to 2) is split on: the
    // looseness a split removes comes from one symbol's occurrences varying independently in
    // interval reasoning (on the benchmark corpus this choice is both cheaper and more exact).
    boost::container::small_vector<std::pair<const node_t*, std::uint8_t>, 8> seen; // (symbol, count)
    std::size_t steps = 0;
    auto count = [&](auto& self, const node_t* n) -> void {
        if (++steps > 4096) return;
        if (n->kind == node_kind::symbol) {
            auto it = std::find_if(seen.begin(), seen.end(), [&](const auto& p) { return p.first == n; });
            if (it == seen.end()) seen.emplace_back(n, std::uint8_t(1));
            else if (it->second < 2) ++it->second;
            return;
        }
        for (const node_t* a : n->args()) self(self, a);
    };
    count(count, e);
    if (steps > 4096) { // a huge tree, not counted to the end: every symbol qualifies
        boost::container::small_vector<const node_t*, 8> all;
        detail::collect_symbols(e, all);
        seen.clear();
        for (const node_t* sym : all) seen.emplace_back(sym, std::uint8_t(2));
    }
    for (const auto& [sym, k] : seen) {
        if (k < 2) continue;
        const iv b = analyze(sym).range;
        I wd;
        if (!b.is_bounded() || !try_sub(b.hi.value(), b.lo.value(), wd) || wd < I(1) || wd >= I(cap)) continue;
        if (!best || wd < best_w) { best = sym; best_w = wd; }
    }
    auto it = best ? state_.ranges.find(best) : state_.ranges.end();
    if (it == state_.ranges.end()) return false;
    const iv saved = it->second;
    const iv b = analyze(best).range;
    struct restore {
        fact_store& fs;
        const node_t* sym;
        iv range;
        ~restore() {
            fs.state_.ranges[sym] = range;
            fs.cache_.swap(fs.split_cache_);
            fs.split_cache_.clear();
        }
    } guard{*this, best, saved};
    cache_.swap(split_cache_); // (right after the guard, which swaps back)
    // Nodes of e that do not mention the symbol keep their analysis across the values.
    boost::container::small_vector<std::pair<const node_t*, bool>, 32> dep; // node -> mentions the symbol
    auto mentions = [&](auto& self, const node_t* n) -> bool {
        if (n == best) return true;
        for (const auto& [m, d] : dep)
            if (m == n) return d;
        bool d = false;
        for (const node_t* a : n->args()) d = self(self, a) || d;
        dep.emplace_back(n, d);
        return d;
    };
    if (e->args().size() > 0) mentions(mentions, e);
    boost::container::small_vector<std::pair<const node_t*, info>, 16> keep;
    // Values from the ends inwards (lo, hi, lo + 1, hi - 1, ...): the extremes are most often
    // near the ends, so a split that cannot sharpen the bound is seen to cover it soonest.
    I lo = b.lo.value(), hi = b.hi.value();
    for (bool first = true, low_side = true; lo <= hi; low_side = !low_side) {
        const I v = low_side ? lo++ : hi--;
        cache_.clear();
        for (const auto& [m, x] : keep) cache_.insert(m, x);
        state_.ranges[best] = iv::point(v);
        if (!f(analyze(e))) return false;
        if (first)
            for (const auto& [m, d] : dep)
                if (!d)
                    if (const info* c = cache_.find(m)) keep.emplace_back(m, *c);
        first = false;
    }
    return true;
}

/// e with every min/max argument that the ranges show can never be the extreme one dropped
/// (max(7, x) -> x when x >= 16) and every quotient the deep tier shows to be one value k
/// rewritten (x // y -> k, x % y -> x - k*y), re-canonicalised so that cancellations can follow;
/// `e` itself when nothing changes. Only the nodes above a change are rebuilt.
template <Integer I>
basic_expr<I> fact_store<I>::prune_atoms(const E& e) {
    prune_memo_.clear();
    try {
        const node_t* r = prune_rec(e.node());
        return r ? E(r) : e;
    } catch (const division_by_zero&) {
        return e; // a divisor that is 0 wherever defined: leave it alone
    } catch (const overflow_error&) {
        return e;
    }
}

/// prune_atoms of n; nullptr when nothing at or below n changes.
template <Integer I>
const detail::node<I>* fact_store<I>::prune_rec(const node_t* n) {
    const std::size_t na = n->args().size();
    if (na == 0 || is_bool_kind(n->kind)) return nullptr;
    if (const node_t* const* c = prune_memo_.find(n)) return *c;
    boost::container::small_vector<const node_t*, 8> kids(na, nullptr);
    bool changed = false;
    for (std::size_t i = 0; i < na; ++i) changed = (kids[i] = prune_rec(n->args()[i])) != nullptr || changed;
    boost::container::small_vector<bool, 8> kept(na, true);
    if (n->kind == node_kind::min || n->kind == node_kind::max) {
        // An argument whose range lies beyond another kept argument's never is the extreme one.
        for (std::size_t i = 0; i < na; ++i) {
            const iv bi = analyze(n->args()[i]).range;
            for (std::size_t j = 0; j < na; ++j) {
                if (j == i || !kept[j]) continue;
                const iv bj = analyze(n->args()[j]).range;
                if (n->kind == node_kind::min ? bi.lo >= bj.hi : bi.hi <= bj.lo) {
                    kept[i] = false;
                    changed = true;
                    break;
                }
            }
        }
    }
    // A quotient that is one value k wherever defined (by the deep tier): x // y is k and x % y
    // is x - k*y, which can cancel against the rest.
    std::optional<I> quotient;
    if (n->kind == node_kind::floor_div || n->kind == node_kind::mod) {
        const iv q = deep_analyze(n->kind == node_kind::floor_div ? n : floor_div(E(n->args()[0]), E(n->args()[1])).node()).range;
        if (q.is_point()) {
            quotient = q.lo.value();
            changed = true;
        }
    }
    const node_t* out = nullptr;
    if (changed) {
        auto arg = [&](std::size_t i) { return E(kids[i] ? kids[i] : n->args()[i]); };
        E r;
        switch (n->kind) {
        case node_kind::add:
            r = E(n->value);
            for (std::size_t i = 0; i < na; ++i) r = r + E(n->coeffs()[i]) * arg(i);
            break;
        case node_kind::mul:
            r = E(I(1));
            for (std::size_t i = 0; i < na; ++i) {
                E f = arg(i);
                for (I k = 0; k < n->coeffs()[i]; ++k) r = r * f;
            }
            break;
        case node_kind::floor_div: r = quotient ? E(*quotient) : floor_div(arg(0), arg(1)); break;
        case node_kind::mod: r = quotient ? arg(0) - E(*quotient) * arg(1) : mod(arg(0), arg(1)); break;
        case node_kind::min:
        case node_kind::max: {
            std::vector<E> args;
            for (std::size_t i = 0; i < na; ++i)
                if (kept[i]) args.push_back(arg(i));
            r = n->kind == node_kind::min ? min(std::move(args)) : max(std::move(args));
            break;
        }
        default: throw usage_error("prune_atoms of a boolean expression");
        }
        out = r.node();
    }
    prune_memo_.insert(n, out);
    return out;
}

/// Relational bound of d: its monomials become integer variables, each atom contributes the
/// linear constraints it implies (c*(X // c) <= X <= c*(X // c) + c - 1, X == c*(X // c) + X % c,
/// 0 <= X % Y <= Y - 1, min(a, b) <= a, a <= max(a, b), dominance of an argument), ranges become
/// box constraints, stored relations join in; Fourier–Motzkin then projects onto d. Sound (a
/// dropped constraint only loosens); all integers when it does not apply or over budget.
template <Integer I>
interval<I> fact_store<I>::fm_bound(const node_t* d, const iv& enough) {
    const std::size_t cap = budget_.relational_vars;
    if (cap == 0 || d->kind == node_kind::constant || d->kind == node_kind::symbol) return iv::all();
    struct srow {
        lin l;  // l.c + sum(terms) + tk * t <= 0
        I tk{};
    };
    boost::container::small_vector<const node_t*, 16> vars{nullptr}; // 0: the objective t
    std::vector<srow> rows;
    rows.reserve(32);
    bool structural = false; // any constraint beyond the boxes?
    struct split {
        // the extra rows of each case (the atom equals that argument)
        std::vector<boost::container::small_vector<lin, 2>> cases;
    };
    std::vector<split> splits;
    const std::size_t max_splits = budget_.relational_splits;
    std::size_t minmax_splits = 0;
    auto index_of = [&](const node_t* m) -> std::ptrdiff_t {
        for (std::size_t i = 1; i < vars.size(); ++i)
            if (vars[i] == m) return static_cast<std::ptrdiff_t>(i);
        if (vars.size() > cap) return -1;
        vars.push_back(m);
        return static_cast<std::ptrdiff_t>(vars.size() - 1);
    };
    // Adds l <= 0 when every monomial fits in the variable budget (else drops it: sound).
    // Where each variable is used (the objective or the atom whose definition mentions it):
    // without a variable used in two places the constraints form a tree and intervals are
    // already as tight, so the projection is skipped.
    boost::container::small_vector<std::ptrdiff_t, 16> first_use;
    std::ptrdiff_t cur_src = 0;
    bool shared = false;
    auto add_le = [&](lin l, I tk = I(0)) {
        for (const auto& t : l.terms)
            if (index_of(t.second) < 0) return;
        for (const auto& t : l.terms) {
            auto idx = static_cast<std::size_t>(std::find(vars.begin() + 1, vars.end(), t.second) - vars.begin());
            if (static_cast<std::ptrdiff_t>(idx) == cur_src) continue;
            if (first_use.size() <= idx) first_use.resize(idx + 1, -1);
            if (first_use[idx] < 0) first_use[idx] = cur_src;
            else if (first_use[idx] != cur_src) shared = true;
        }
        rows.push_back({std::move(l), std::move(tk)});
    };
    auto single = [](const node_t* m, const I& k) {
        lin l;
        l.terms.emplace_back(k, m);
        return l;
    };
    try {
        lin ld = detail::to_linear(d);
        for (const auto& t : ld.terms)
            if (index_of(t.second) < 0) return iv::all();
        {
            lin neg = ld;
            neg.c = checked_neg(neg.c);
            for (auto& t : neg.terms) t.first = checked_neg(t.first);
            add_le(ld, I(-1));  // d - t <= 0
            add_le(neg, I(1));  // t - d <= 0
        }
        std::size_t rel_scanned_at = 0;
        std::vector<bool> rel_used(state_.relations.size(), false);
        for (std::size_t i = 1;; ++i) {
            if (i >= vars.size()) {
                // Stored relations that mention a variable join in (once each).
                if (rel_scanned_at == vars.size()) break;
                rel_scanned_at = vars.size();
                for (std::size_t ri = 0; ri < state_.relations.size(); ++ri) {
                    const relation& rel = state_.relations[ri];
                    if (rel_used[ri] || rel.kind == rel_kind::ne) continue;
                    lin lr = detail::to_linear(rel.d.node());
                    bool shares = false;
                    for (const auto& t : lr.terms)
                        if (std::find(vars.begin() + 1, vars.end(), t.second) != vars.end()) shares = true;
                    if (!shares) continue;
                    rel_used[ri] = true;
                    structural = true;
                    shared = true;
                    if (rel.kind == rel_kind::eq) {
                        lin neg = lr;
                        neg.c = checked_neg(neg.c);
                        for (auto& t : neg.terms) t.first = checked_neg(t.first);
                        add_le(std::move(neg));
                    }
                    add_le(std::move(lr));
                }
                if (i >= vars.size()) break;
            }
            const node_t* n = vars[i];
            cur_src = static_cast<std::ptrdiff_t>(i);
            const iv box = analyze(n).range;
            if (box.lo.is_finite()) add_le(lin{box.lo.value(), {{I(-1), n}}});
            if (box.hi.is_finite()) add_le(lin{checked_neg(box.hi.value()), {{I(1), n}}});
            switch (n->kind) {
            case node_kind::floor_div: {
                const node_t* x = n->args()[0];
                const node_t* y = n->args()[1];
                lin lx = detail::to_linear(x);
                if (y->kind == node_kind::constant) {
                    const I& c = y->value; // > 0 in canonical form
                    if (c <= 0) break;
                    structural = true;
                    add_le(detail::linear_combine(single(n, c), lx, I(-1)));          // c*q - X <= 0
                    lin up = detail::linear_combine(lx, single(n, c), I(-1));         // X - c*q - (c-1) <= 0
                    up.c = checked_sub(up.c, checked_sub(c, I(1)));
                    add_le(std::move(up));
                } else {
                    const iv yb = analyze(y).range, xb = analyze(x).range;
                    if (yb.lo >= extended<I>(I(1)) && xb.lo >= extended<I>(I(0))) {
                        structural = true;
                        add_le(detail::linear_combine(single(n, yb.lo.value()), lx, I(-1))); // ylo*q <= X
                        if (yb.hi.is_finite()) {
                            const I& yh = yb.hi.value();
                            lin up = detail::linear_combine(lx, single(n, yh), I(-1)); // X < yhi*(q+1)
                            up.c = checked_sub(up.c, checked_sub(yh, I(1)));
                            add_le(std::move(up));
                        }
                    }
                }
                break;
            }
            case node_kind::mod: {
                const node_t* x = n->args()[0];
                const node_t* y = n->args()[1];
                lin lx = detail::to_linear(x);
                if (y->kind == node_kind::constant) {
                    const I& c = y->value;
                    if (c <= 0) break;
                    structural = true;
                    // X - c*(X // c) - r == 0
                    lin lq = detail::to_linear(detail::make_floor_div(x, y));
                    lin e = detail::linear_combine(detail::linear_combine(lx, lq, checked_neg(c)), single(n, I(1)), I(-1));
                    lin ne = e;
                    ne.c = checked_neg(ne.c);
                    for (auto& t : ne.terms) t.first = checked_neg(t.first);
                    add_le(std::move(e));
                    add_le(std::move(ne));
                    // The real shadow of X == c*q + r can miss the integer optimum by a fraction;
                    // for a small c, one case per residue (budgeted) lets the equalities be
                    // substituted exactly.
                    std::size_t product = 1;
                    for (const auto& sp : splits) product *= sp.cases.size();
                    if (c <= I(4) && product * static_cast<std::size_t>(to_int64(c)) <= 8) {
                        split sp{};
                        for (I k = 0; k < c; ++k)
                            sp.cases.push_back({lin{checked_neg(k), {{I(1), n}}}, lin{k, {{I(-1), n}}}});
                        splits.push_back(std::move(sp));
                    }
                } else {
                    const iv yb = analyze(y).range, xb = analyze(x).range;
                    if (yb.lo >= extended<I>(I(1))) {
                        structural = true;
                        lin r = detail::linear_combine(single(n, I(1)), detail::to_linear(y), I(-1)); // r - Y + 1 <= 0
                        r.c = checked_add(r.c, I(1));
                        add_le(std::move(r));
                        if (xb.lo >= extended<I>(I(0))) add_le(detail::linear_combine(single(n, I(1)), lx, I(-1))); // r <= X
                    }
                }
                break;
            }
            case node_kind::min:
            case node_kind::max: {
                const bool is_min = n->kind == node_kind::min;
                bool dominated = false;
                structural = true;
                const std::size_t na = n->args().size();
                for (std::size_t a = 0; a < na; ++a) {
                    lin la = detail::to_linear(n->args()[a]);
                    // min: m - a <= 0; max: a - M <= 0
                    add_le(is_min ? detail::linear_combine(single(n, I(1)), la, I(-1))
                                  : detail::linear_combine(la, single(n, I(1)), I(-1)));
                }
                // An argument that is the extreme one by ranges alone: equality.
                for (std::size_t a = 0; a < na; ++a) {
                    const iv ba = analyze(n->args()[a]).range;
                    bool dominant = true;
                    for (std::size_t o = 0; o < na && dominant; ++o) {
                        if (o == a) continue;
                        const iv bo = analyze(n->args()[o]).range;
                        dominant = is_min ? ba.hi <= bo.lo : ba.lo >= bo.hi;
                    }
                    if (!dominant) continue;
                    lin la = detail::to_linear(n->args()[a]);
                    add_le(is_min ? detail::linear_combine(la, single(n, I(1)), I(-1))
                                  : detail::linear_combine(single(n, I(1)), la, I(-1)));
                    dominated = true;
                    break;
                }
                // Otherwise the atom equals one of its arguments: a case split (below).
                if (!dominated && minmax_splits < max_splits) {
                    ++minmax_splits;
                    split s{};
                    for (std::size_t a = 0; a < na; ++a) {
                        lin la = detail::to_linear(n->args()[a]);
                        s.cases.push_back({is_min ? detail::linear_combine(la, single(n, I(1)), I(-1))
                                                  : detail::linear_combine(single(n, I(1)), la, I(-1))});
                    }
                    splits.push_back(std::move(s));
                }
                break;
            }
            case node_kind::mul: {
                // A product of two factors (or a square) with bounded ranges: its McCormick
                // envelope, the four planes through the corners of the factors' box that bound
                // x*y from below and above, links the product to its factors.
                if (!budget_.relational_products) break;
                const node_t* x = n->args()[0];
                const node_t* y = nullptr;
                if (n->args().size() == 1 && n->coeffs()[0] == 2) y = x;
                else if (n->args().size() == 2 && n->coeffs()[0] == 1 && n->coeffs()[1] == 1) y = n->args()[1];
                if (!y) break;
                const iv xb = analyze(x).range, yb = analyze(y).range;
                if (!xb.is_bounded() || !yb.is_bounded()) break;
                const I &xl = xb.lo.value(), &xu = xb.hi.value(), &yl = yb.lo.value(), &yu = yb.hi.value();
                // sign * (x*y - (a*x + b*y - a*b)) <= 0 for the corner (b, a) = (x end, y end):
                // below x*y at (xl, yl) and (xu, yu), above it at (xu, yl) and (xl, yu).
                auto plane = [&](const I& xe, const I& ye, int sign) {
                    I ab, ca, cb, cc;
                    if (!try_mul(xe, ye, ab)) return;
                    // sign*(m - ye*x - xe*y + xe*ye) <= 0
                    if (!try_mul(I(-sign), ye, ca) || !try_mul(I(-sign), xe, cb) || !try_mul(I(sign), ab, cc)) return;
                    lin l;
                    l.c = cc;
                    l.terms.emplace_back(I(sign), n);
                    if (x == y) {
                        I both;
                        if (!try_add(ca, cb, both)) return;
                        l.terms.emplace_back(both, x);
                    } else {
                        l.terms.emplace_back(ca, x);
                        l.terms.emplace_back(cb, y);
                    }
                    add_le(std::move(l));
                };
                structural = true;
                plane(xl, yl, -1); // x*y >= yl*x + xl*y - xl*yl
                plane(xu, yu, -1); // x*y >= yu*x + xu*y - xu*yu
                plane(xu, yl, 1);  // x*y <= yl*x + xu*y - xu*yl
                plane(xl, yu, 1);  // x*y <= yu*x + xl*y - xl*yu
                break;
            }
            default: break;
            }
        }
        if (!structural || !shared) return iv::all();
        const std::size_t nv = vars.size();
        std::vector<I> dense_row(nv);
        // Adds l + tk*t <= 0 to sys; a row with a variable over budget is dropped (sound).
        auto add_row = [&](detail::fm_system<I>& sys, const lin& l, const I& tk) {
            std::fill(dense_row.begin(), dense_row.end(), I(0));
            dense_row[0] = tk;
            for (const auto& [k, m] : l.terms) {
                auto it = std::find(vars.begin() + 1, vars.end(), m);
                if (it == vars.end()) return true;
                auto pos = static_cast<std::size_t>(it - vars.begin());
                dense_row[pos] = checked_add(dense_row[pos], k);
            }
            return sys.add(dense_row.data(), checked_neg(l.c));
        };
        detail::fm_system<I> dense(nv);
        dense.reserve(rows.size() + 8);
        for (const auto& r : rows)
            if (!add_row(dense, r.l, r.tk)) return iv::empty();
        const detail::fm_limits lim{budget_.relational_rows};
        if (splits.empty()) return detail::fm_project_in_place(dense, 0, lim);
        // Hull over the cases of each min/max atom (infeasible cases drop out).
        iv out = iv::empty();
        std::vector<std::size_t> pick(splits.size(), 0);
        detail::fm_system<I> sys;
        for (;;) {
            sys = dense;
            bool feasible = true;
            for (std::size_t si = 0; si < splits.size() && feasible; ++si)
                for (const lin& row : splits[si].cases[pick[si]])
                    if (feasible) feasible = add_row(sys, row, I(0));
            if (feasible) {
                out = hull(out, detail::fm_project_in_place(sys, 0, lim));
                // The hull only grows: once it covers `enough` the caller learns nothing more.
                if (out.contains(enough)) return out;
            }
            std::size_t si = 0;
            for (; si < splits.size(); ++si) {
                if (++pick[si] < splits[si].cases.size()) break;
                pick[si] = 0;
            }
            if (si == splits.size()) break;
        }
        return out;
    } catch (const overflow_error&) {
        return iv::all();
    }
}

template <Integer I>
truth fact_store<I>::prove_rel(node_kind k, const E& a, const E& b) {
    E d;
    try {
        d = a - b;
    } catch (const overflow_error&) {
        // a - b has a constant beyond int64 (`x + 9223372036854775807 >= -65`): compare the bounds
        // of the two sides instead, each rounded outward
        const iv x = bound(a), y = bound(b);
        if (x.is_empty() || y.is_empty()) return truth::yes; // no point satisfies the facts
        const bool apart = x.hi < y.lo || y.hi < x.lo, same_point = x.is_point() && y.is_point() && x.lo == y.lo;
        switch (k) {
        case node_kind::eq: return same_point ? truth::yes : apart ? truth::no : truth::unknown;
        case node_kind::ne: return same_point ? truth::no : apart ? truth::yes : truth::unknown;
        case node_kind::lt: return x.hi < y.lo ? truth::yes : x.lo >= y.hi ? truth::no : truth::unknown;
        default: return x.hi <= y.lo ? truth::yes : x.lo > y.hi ? truth::no : truth::unknown;
        }
    }
    iv r = bound_relational(d);
    if (r.is_empty()) return truth::yes; // no point satisfies the facts: vacuously true
    congruence<I> cg = analyze(d.node()).cg;
    auto decide = [&](const iv& x) -> truth {
        const extended<I> zero(I(0));
        switch (k) {
        case node_kind::eq:
            if (x.is_point() && x.lo == zero) return truth::yes;
            if (!x.contains(I(0))) return truth::no;
            if (cg.m == 0 ? cg.r != 0 : (cg.m > 1 && cg.r != 0)) return truth::no;
            return truth::unknown;
        case node_kind::ne:
            if (x.is_point() && x.lo == zero) return truth::no;
            if (!x.contains(I(0))) return truth::yes;
            if (cg.m == 0 ? cg.r != 0 : (cg.m > 1 && cg.r != 0)) return truth::yes;
            return truth::unknown;
        case node_kind::lt:
            if (x.hi < zero) return truth::yes;
            if (x.lo >= zero) return truth::no;
            return truth::unknown;
        default:
            if (x.hi <= zero) return truth::yes;
            if (x.lo > zero) return truth::no;
            return truth::unknown;
        }
    };
    truth t = decide(r);
    if (t != truth::unknown) return t;
    if (free_box_) {
        const info x = analyze(d.node());
        // Both ends are values of d: an order left open by them holds at one end and fails at
        // the other; so does an equation with 0 at an end.
        if (x.exact && r == x.range) {
            if (k == node_kind::lt || k == node_kind::le) return truth::unknown;
            if (r.lo == extended<I>(I(0)) || r.hi == extended<I>(I(0))) return truth::unknown;
        }
        if ((k == node_kind::eq || k == node_kind::ne) && x.sweep && zero_crossing(d.node(), x.sweep)) return truth::unknown;
    }
    // Seen both true and false at allowed points: it depends on the values.
    auto mixed = [&](const witness_t& x) {
        return k == node_kind::eq || k == node_kind::ne ? x.zero && x.nonzero
             : k == node_kind::lt                        ? x.lo < 0 && x.hi >= 0
                                                         : x.lo <= 0 && x.hi > 0;
    };
    // (an order: the search seeks both ends of d's bound and stops once it is seen mixed)
    const bool order = k == node_kind::lt || k == node_kind::le;
    const witness_t w = witness(d.node(), order ? &r : nullptr, mixed);
    if (w.any) {
        if (mixed(w)) return truth::unknown;
        // An equation seen false at a point and true at one found by search: it depends.
        if ((k == node_kind::eq || k == node_kind::ne) && w.nonzero && find_zero(d.node())) return truth::unknown;
    }
    r = intersect(r, deep_analyze(d.node()).range);
    if (r.is_empty()) return truth::yes;
    t = decide(r);
    if (t != truth::unknown) return t;
    if (E p = prune_atoms(d); !(p == d)) {
        d = p;
        r = intersect(r, bound_relational(d));
        cg = analyze(d.node()).cg;
        if (r.is_empty()) return truth::yes;
        t = decide(r);
        if (t != truth::unknown) return t;
    }
    // Known != facts decide equalities on the same difference.
    for (const auto& rel : state_.relations)
        if (rel.kind == rel_kind::ne && (rel.d == d || rel.d == -d)) {
            if (k == node_kind::eq) return truth::no;
            if (k == node_kind::ne) return truth::yes;
        }
    // A small box: every point visited.
    bool zero_seen = false;
    if (auto ex = enumerate(d, &zero_seen)) {
        if (ex->is_empty()) return truth::yes;
        // Every allowed point was visited: an equation holds nowhere unless 0 was seen.
        if (!zero_seen && (k == node_kind::eq || k == node_kind::ne)) return k == node_kind::eq ? truth::no : truth::yes;
        cg = congruence<I>::unknown();
        return decide(*ex);
    }
    // Case split on the values of the symbol with the fewest: decided alike in every case
    // (cheaper than the relational bound, so tried first).
    {
        const congruence<I> cg0 = cg;
        truth all = truth::unknown;
        bool first = true, same = true;
        if (split_values(d.node(), [&](const info& x) {
                if (x.range.is_empty()) return true; // no allowed point has this value
                cg = x.cg;
                truth tv = decide(x.range);
                if (tv == truth::unknown || (!first && tv != all)) { same = false; return false; }
                all = tv;
                first = false;
                return true;
            }) && same && !first)
            return all;
        cg = cg0;
    }
    {
        // An interval the answer would stay open on (the relational bound cannot help then).
        const extended<I> z(I(0)), m1(I(-1)), p1(I(1));
        const iv open = k == node_kind::le ? iv{z, p1} : k == node_kind::lt ? iv{m1, z} : r;
        r = intersect(r, fm_bound(d.node(), open));
    }
    if (r.is_empty()) return truth::yes;
    t = decide(r);
    if (t != truth::unknown) return t;
    return box_prove(
        d.node(),
        [&](const info& x) {
            cg = x.cg;
            return decide(x.range);
        },
        [&](const I& v) {
            switch (k) {
            case node_kind::eq: return v == 0;
            case node_kind::ne: return v != 0;
            case node_kind::lt: return v < 0;
            default: return v <= 0;
            }
        });
}

template <Integer I>
truth fact_store<I>::prove_rec(const E& p, int depth) {
    switch (p.kind()) {
    case node_kind::bool_const: return p.is_true() ? truth::yes : truth::no;
    case node_kind::eq:
    case node_kind::ne:
    case node_kind::lt:
    case node_kind::le: return prove_rel(p.kind(), lowered(p.arg(0)), lowered(p.arg(1))); // facts may have grown
    case node_kind::not_: return negate(prove_rec(p.arg(0), depth));
    case node_kind::and_:
    case node_kind::or_: {
        const bool is_and = p.kind() == node_kind::and_;
        const truth absorbing = is_and ? truth::no : truth::yes;
        std::vector<E> open;
        for (std::size_t i = 0; i < p.num_args(); ++i) {
            truth t = prove_rec(p.arg(i), depth);
            if (t == absorbing) return absorbing;
            if (t == truth::unknown) open.push_back(p.arg(i));
        }
        if (open.empty()) return negate(absorbing);
        if (depth >= budget_.case_splits) return truth::unknown;
        // Case split: (a or b) holds if b holds wherever a fails; (a and b) fails if b fails
        // wherever a holds.
        for (std::size_t i = 0; i < open.size(); ++i) {
            truth t;
            try {
                scope s(*this);
                bool consistent = true;
                for (std::size_t j = 0; j < open.size() && consistent; ++j)
                    if (j != i) consistent = add_fact_rec(is_and ? open[j] : logical_not(open[j]));
                if (!consistent) return absorbing; // the others can't all fail (or all hold)
                t = prove_rec(open[i], depth + 1);
            } catch (const division_by_zero&) {
                // Under this case's assumptions a divisor of p is 0 at every point: the case
                // holds no point of p's domain (points where a divisor is 0 are outside it), so,
                // like an inconsistent case, it cannot show p failing (or holding). The scope has
                // restored the store.
                t = absorbing;
            }
            if (t == absorbing) return absorbing;
        }
        return truth::unknown;
    }
    default: throw usage_error("prove() needs a boolean expression, got '" + to_string(p) + "'");
    }
}

template <Integer I>
truth fact_store<I>::prove(const E& p0) {
    if (!p0.is_bool()) throw usage_error("prove() needs a boolean expression, got '" + to_string(p0) + "'");
    check_version();
    try {
        E p = lowered(p0);
        for (const auto& f : state_.opaque) {
            if (f == p) return truth::yes;
            if (f == logical_not(p)) return truth::no;
        }
        truth t = prove_rec(p, 0);
        check_version();
        return t;
    } catch (const overflow_error&) {
        // a step of the proof needs a constant beyond int64 (ranges or facts near its ends)
        check_version();
        return truth::unknown;
    }
}

template <Integer I>
interval<I> fact_store<I>::bound(const E& e0) {
    if (e0.is_bool()) throw usage_error("bound() needs an integer expression, got '" + to_string(e0) + "'");
    check_version();
    try {
        return bound_lowered(lowered(e0));
    } catch (const overflow_error&) {
        // a step needs a constant beyond int64 (ranges or facts near its ends): no bound
        return iv::all();
    }
}

/// A sum whose terms fall into groups with no symbol in common, while the facts are a plain box:
/// the groups vary independently, so the sum's extremes are the sums of the groups' extremes,
/// and each group goes through the whole search (witnesses, splits, Fourier–Motzkin) on its
/// own, in fewer dimensions. Nothing when e is not such a sum.
template <Integer I>
std::optional<interval<I>> fact_store<I>::bound_parts(const E& e, unsigned need) {
    const node_t* n = e.node();
    if (!free_box_ || n->kind != node_kind::add || n->args().size() < 2) return std::nullopt;
    const info whole = analyze(n);
    if (whole.exact) return whole.range;
    const std::size_t na = n->args().size();
    // The symbols of each term, then groups: a term joins (and merges) every group it shares a
    // symbol with; groups stay pairwise disjoint, so one pass over them suffices. A mask's last
    // bit stands for every symbol of index >= 63, so those always land together (never split
    // wrongly, at worst not split).
    boost::container::small_vector<std::uint64_t, 8> term, group;
    for (std::size_t i = 0; i < na; ++i) {
        std::uint64_t merged = analyze(n->args()[i]).syms;
        term.push_back(merged);
        std::size_t kept = 0;
        for (const std::uint64_t g : group) {
            if (g & merged) merged |= g;
            else group[kept++] = g;
        }
        group.resize(kept);
        group.push_back(merged);
    }
    if (group.size() < 2) return std::nullopt;
    iv r = iv::point(n->value);
    for (const std::uint64_t g : group) {
        E part(I(0));
        for (std::size_t i = 0; i < na; ++i) // (a term without symbols joins the first group)
            if ((term[i] & g) || (term[i] == 0 && g == group.front())) part = part + E(n->coeffs()[i]) * E(n->args()[i]);
        r = iv_add(r, bound_whole(part, need));
    }
    return intersect(r, whole.range);
}

/// bound() of a lowered expression, by the whole search.
template <Integer I>
interval<I> fact_store<I>::bound_whole(E e, unsigned need) {
    iv r = bound_relational(e);
    if (!r.is_point() && !e.is_symbol()) {
        // Both ends shown attained by construction: exact, nothing to sharpen.
        if (free_box_ && analyze(e.node()).exact) return r;
        // The needed ends attained at allowed points: already exact there.
        const witness_t w = witness(e.node(), &r, need);
        auto attained = [&] {
            return w.any && (!(need & low_end) || r.lo == extended<I>(w.lo)) && (!(need & high_end) || r.hi == extended<I>(w.hi));
        };
        if (attained()) return r;
        if (E p = prune_atoms(e); !(p == e)) {
            e = p;
            r = intersect(r, bound_relational(e));
            if (r.is_point() || attained()) return r;
        }
        if (auto m = bound_monotone(e, r, need)) return *m;
        r = intersect(r, deep_analyze(e.node()).range);
        if (r.is_point() || attained()) return r;
        // A small box: every point, exact.
        if (auto ex = enumerate(e)) return intersect(r, *ex);
        // What the later stages must cover before they cannot sharpen a needed end.
        const iv enough{need & low_end ? r.lo : r.hi, need & high_end ? r.hi : r.lo};
        // Case split on the symbol with the fewest values: e at each value, bounded again
        // (cheaper than the relational bound, so tried first).
        iv h = iv::empty();
        if (split_values(e.node(), [&](const info& x) {
                h = hull(h, x.range);
                return !h.contains(enough); // once the hull covers it the split cannot sharpen
            }))
            r = intersect(r, h);
        if (attained()) return r;
        // (with one end needed, the projection may stop once `enough` is covered: its other
        // end is then of some cases only, so only the needed ends are taken)
        if (iv f = fm_bound(e.node(), enough); !f.is_empty()) {
            if (need & low_end) r.lo = std::max(r.lo, f.lo);
            if (need & high_end) r.hi = std::min(r.hi, f.hi);
        }
        if (attained()) return r;
        r = box_bound(e.node(), r, w, need);
        if (attained()) return r;
        r = bound_residues(e, r, need);
    }
    return r;
}

template <Integer I>
bool fact_store<I>::seen_varying(const E& e0) {
    if (e0.is_bool()) throw usage_error("seen_varying() needs an integer expression, got '" + to_string(e0) + "'");
    check_version();
    E e;
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

/// The values of integer node n at five fixed points of the box: every symbol at its low end;
/// at its high end; at its middle; low or high by the parity of its index; the opposite (an
/// unbounded side is replaced by the finite end, or by 0). Only while the box is free.
template <Integer I>
const typename fact_store<I>::corner_values& fact_store<I>::corners(const node_t* n) {
    if (const corner_values* c = corner_cache_.find(n)) return *c;
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
            kids.push_back(corner_cache_.find(n->args()[i]));
            r.ok &= kids.back()->ok;
        }
        for (std::size_t p = 0; p < 5; ++p) {
            if (!(r.ok & (1u << p))) continue;
            auto arg = [&](std::size_t i) -> const I& { return kids[i]->v[p]; };
            if (!detail::apply_op(n->kind, n->value, n->coeffs().begin(), na, arg, r.v[p])) r.ok = static_cast<std::uint8_t>(r.ok & ~(1u << p));
        }
    }
    }
    corner_cache_.insert(n, r);
    return *corner_cache_.find(n);
}

template <Integer I>
congruence<I> fact_store<I>::congruence_of(const E& e0) {
    check_version();
    return analyze(lowered(e0).node()).cg;
}

} // namespace symshape
