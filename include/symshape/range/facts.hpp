// symshape/range/facts.hpp — the fact store: per-symbol (and per-atom) ranges, equalities as
// replacements, congruences / divisibility, other proven relations, RAII scoped assumptions;
// and the two questions everything above asks of it: bound(e) and the tri-state prove(p).
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "symshape/expr.hpp"
#include "symshape/range/interval.hpp"

namespace symshape {

/// The answer of prove(): proven always true, proven always false, or not decided.
enum class truth : std::uint8_t { no = 0, yes = 1, unknown = 2 };

inline const char* to_string(truth t) {
    return t == truth::yes ? "true" : t == truth::no ? "false" : "unknown";
}
inline truth negate(truth t) {
    return t == truth::yes ? truth::no : t == truth::no ? truth::yes : truth::unknown;
}

/// Budgets that keep the worst case fast; when one runs out, answers stay sound, only looser.
struct solver_budget {
    /// Largest number of points enumerated exhaustively for a bound or proof on a small box.
    std::uint64_t enumerate_points = 256;
    /// Largest number of disjunctions/conjunctions split by case analysis in one prove().
    int case_splits = 8;
};

/// Facts about symbols and the sound reasoning over them. Not thread-safe (one per thread,
/// like the expressions it holds).
template <Integer I>
class fact_store {
public:
    using E = basic_expr<I>;
    using iv = interval<I>;

    fact_store() = default;

    /// Declares lo <= s <= hi (intersected with what is known). Throws contradiction_error if
    /// the range becomes empty, usage_error if `s` is not a symbol.
    void set_range(const E& s, const extended<I>& lo, const extended<I>& hi);
    /// Adds the boolean fact `p` (a relation, or an `and` of relations). Throws
    /// contradiction_error naming the fact when it contradicts what is known; then the store is
    /// unchanged. Facts it cannot use are kept and used syntactically.
    void add_fact(const E& p);
    /// Like add_fact but reports a contradiction by returning false (store unchanged).
    bool try_add_fact(const E& p);

    /// The replacement-normal form of `e` (symbols found equal to expressions substituted).
    E normalize(const E& e) const;
    /// A sound interval containing every value of integer `e` under the facts.
    iv bound(const E& e);
    /// A sound congruence for integer `e` under the facts.
    congruence<I> congruence_of(const E& e);
    /// true / false if `p` holds at every / no point allowed by the facts; unknown otherwise.
    truth prove(const E& p);

    /// The declared range of symbol s (all integers if none).
    iv range_of(const E& s) const;
    /// Version counter: changes whenever a fact is added or a scope ends.
    std::uint64_t version() const noexcept { return version_; }
    solver_budget& budget() noexcept { return budget_; }

    /// RAII: facts added inside the scope are removed when it ends.
    class scope {
    public:
        explicit scope(fact_store& fs) : fs_(fs), saved_(fs.state_) {}
        ~scope() {
            fs_.state_ = std::move(saved_);
            ++fs_.version_;
        }
        scope(const scope&) = delete;
        scope& operator=(const scope&) = delete;

    private:
        fact_store& fs_;
        typename fact_store::state saved_;
    };

    /// RAII: assumes `p` until the returned object is destroyed. Throws contradiction_error.
    [[nodiscard]] std::unique_ptr<scope> assume(const E& p) {
        auto s = std::make_unique<scope>(*this);
        add_fact(p);
        return s;
    }

private:
    using node_t = detail::node<I>;
    using lin = detail::linear<I>;
    enum class rel_kind { le, eq, ne }; // D <= 0, D == 0, D != 0

    struct relation {
        E d;
        rel_kind kind;
    };
    struct state {
        std::unordered_map<const node_t*, iv> ranges;          // symbols and atoms
        std::unordered_map<const node_t*, congruence<I>> cgs;  // symbols and atoms
        std::unordered_map<const node_t*, E> replacements;     // symbol -> expression
        // Internal: a symbol known to be ≡ r (mod m) is rewritten as m*q + r with a fresh
        // symbol q (named like x'1, which no parsed text can name), so floor_div and mod of it
        // become exact. Never visible in normalize() or simplify() results.
        std::unordered_map<const node_t*, E> lowering;
        int fresh = 0;
        std::vector<relation> relations;                       // everything else
        std::vector<E> opaque;                                 // facts kept as-is (e.g. or)
    };
    struct info {
        iv range;
        congruence<I> cg;
    };

    bool add_relation(const E& d, rel_kind k);
    bool add_atom_range(const node_t* m, const iv& r);
    bool add_atom_cg(const node_t* m, congruence<I> c);
    bool add_fact_rec(const E& p);
    bool lower_symbol(const node_t* x, const I& m, const I& r);
    bool add_substitution(const node_t* x, const E& image, bool internal);
    E lowered(const E& e) const;
    iv poly_bound(const node_t* n);
    void check_version();
    const info& analyze(const node_t* n);
    info analyze_uncached(const node_t* n);
    iv bound_relational(const E& d);
    truth prove_rel(node_kind k, const E& a, const E& b);
    truth prove_rec(const E& p, int depth);
    std::optional<iv> enumerate(const E& e);
    bool point_allowed(const valuation<I>& v);

    state state_;
    std::uint64_t version_ = 0;
    std::uint64_t cache_version_ = ~std::uint64_t(0);
    std::unordered_map<const node_t*, info> cache_;
    solver_budget budget_;
};

// ---- implementation ----

template <Integer I>
void fact_store<I>::check_version() {
    if (cache_version_ != version_) {
        cache_.clear();
        cache_version_ = version_;
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
    return substitute(e, m);
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
    bool ok = add_fact_rec(p);
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
    return substitute(e, m);
}

template <Integer I>
typename fact_store<I>::info fact_store<I>::analyze_uncached(const node_t* n) {
    info r{iv::all(), congruence<I>::unknown()};
    switch (n->kind) {
    case node_kind::constant: return {iv::point(n->value), congruence<I>::exact(n->value)};
    case node_kind::symbol: break;
    case node_kind::add: {
        r.range = iv::point(n->value);
        r.cg = congruence<I>::exact(n->value);
        for (std::size_t i = 0; i < n->args().size(); ++i) {
            const info& a = analyze(n->args()[i]);
            r.range = iv_add(r.range, iv_scale(a.range, n->coeffs()[i]));
            r.cg = cg_add(r.cg, cg_scale(a.cg, n->coeffs()[i]));
        }
        for (auto* t : n->args())
            if (t->kind == node_kind::mul) {
                r.range = intersect(r.range, poly_bound(n));
                break;
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
            for (const auto& [atom, e] : need) {
                auto it = std::find_if(have.begin(), have.end(), [&](const auto& p) { return p.first == atom; });
                if (it == have.end() || it->second < e) { ok = false; break; }
                it->second -= e;
            }
            if (!ok) continue;
            have.erase(std::remove_if(have.begin(), have.end(), [](const auto& p) { return p.second == 0; }), have.end());
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
    r.range = tighten(r.range, r.cg);
    if (r.range.is_point()) r.cg = congruence<I>::exact(r.range.lo.value());
    return r;
}

/// Exact range of a polynomial over the box of its atoms (treated as independent, which is
/// sound): multilinear -> extremes at the corners; one atom of degree 2 -> corners and vertex.
/// Returns all integers when it does not apply.
template <Integer I>
interval<I> fact_store<I>::poly_bound(const node_t* n) {
    std::vector<const node_t*> atoms;
    std::vector<int> degree;
    auto note = [&](const node_t* a, const I& e) {
        auto it = std::find(atoms.begin(), atoms.end(), a);
        int d = e > 8 ? 9 : static_cast<int>(to_int64(e));
        if (it == atoms.end()) { atoms.push_back(a); degree.push_back(d); }
        else degree[static_cast<std::size_t>(it - atoms.begin())] = std::max(degree[static_cast<std::size_t>(it - atoms.begin())], d);
    };
    for (std::size_t i = 0; i < n->args().size(); ++i) {
        const node_t* m = n->args()[i];
        if (m->kind == node_kind::mul)
            for (std::size_t j = 0; j < m->args().size(); ++j) note(m->args()[j], m->coeffs()[j]);
        else note(m, I(1));
    }
    if (atoms.size() > 10) return iv::all();
    std::vector<iv> boxes;
    int nonlinear = 0;
    for (std::size_t i = 0; i < atoms.size(); ++i) {
        boxes.push_back(analyze(atoms[i]).range);
        if (!boxes.back().is_bounded()) return iv::all();
        if (degree[i] > 1) ++nonlinear;
        if (degree[i] > 2) return iv::all();
    }
    if (nonlinear > 1) return iv::all();
    // Candidate values per atom: its ends, plus for the one quadratic atom its vertex (only
    // when it is the only atom, so the vertex does not depend on the others).
    std::vector<std::vector<I>> cand(atoms.size());
    for (std::size_t i = 0; i < atoms.size(); ++i) {
        cand[i] = {boxes[i].lo.value(), boxes[i].hi.value()};
        if (degree[i] == 2) {
            if (atoms.size() != 1) return iv::all();
            I A = 0, B = 0;
            for (std::size_t t = 0; t < n->args().size(); ++t)
                (n->args()[t]->kind == node_kind::mul ? A : B) = n->coeffs()[t];
            // vertex of A x^2 + B x at -B / (2A)
            I den;
            if (!try_mul(A, I(2), den)) return iv::all();
            I v0 = floor_div(checked_neg(B), den);
            for (I v : {v0, v0 + 1})
                if (boxes[i].contains(v)) cand[i].push_back(v);
        }
    }
    std::vector<std::size_t> idx(atoms.size(), 0);
    extended<I> lo = extended<I>::pos_inf(), hi = extended<I>::neg_inf();
    std::vector<I> val(atoms.size());
    for (;;) {
        for (std::size_t i = 0; i < atoms.size(); ++i) val[i] = cand[i][idx[i]];
        I sum = n->value;
        for (std::size_t t = 0; t < n->args().size(); ++t) {
            const node_t* m = n->args()[t];
            I prod = n->coeffs()[t];
            auto mulby = [&](const node_t* a, const I& e) {
                I x = val[static_cast<std::size_t>(std::find(atoms.begin(), atoms.end(), a) - atoms.begin())];
                for (I k = 0; k < e; ++k)
                    if (!try_mul(prod, x, prod)) return false;
                return true;
            };
            bool ok = true;
            if (m->kind == node_kind::mul) {
                for (std::size_t j = 0; j < m->args().size() && ok; ++j) ok = mulby(m->args()[j], m->coeffs()[j]);
            } else ok = mulby(m, I(1));
            if (!ok || !try_add(sum, prod, sum)) return iv::all();
        }
        lo = std::min(lo, extended<I>(sum));
        hi = std::max(hi, extended<I>(sum));
        std::size_t i = 0;
        for (; i < atoms.size(); ++i) {
            if (++idx[i] < cand[i].size()) break;
            idx[i] = 0;
        }
        if (i == atoms.size()) break;
    }
    return {lo, hi};
}

template <Integer I>
const typename fact_store<I>::info& fact_store<I>::analyze(const node_t* n) {
    check_version();
    if (auto it = cache_.find(n); it != cache_.end()) return it->second;
    info r = analyze_uncached(n);
    return cache_.emplace(n, r).first->second;
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
std::optional<interval<I>> fact_store<I>::enumerate(const E& e) {
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

template <Integer I>
truth fact_store<I>::prove_rel(node_kind k, const E& a, const E& b) {
    E d = a - b;
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
    // Known != facts decide equalities on the same difference.
    for (const auto& rel : state_.relations)
        if (rel.kind == rel_kind::ne && (rel.d == d || rel.d == -d)) {
            if (k == node_kind::eq) return truth::no;
            if (k == node_kind::ne) return truth::yes;
        }
    if (auto ex = enumerate(d)) {
        if (ex->is_empty()) return truth::yes;
        cg = congruence<I>::unknown();
        return decide(*ex);
    }
    return truth::unknown;
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
            scope s(*this);
            bool consistent = true;
            for (std::size_t j = 0; j < open.size() && consistent; ++j)
                if (j != i) consistent = add_fact_rec(is_and ? open[j] : logical_not(open[j]));
            if (!consistent) return absorbing; // the others can't all fail (or all hold)
            truth t = prove_rec(open[i], depth + 1);
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
    E p = lowered(p0);
    for (const auto& f : state_.opaque) {
        if (f == p) return truth::yes;
        if (f == logical_not(p)) return truth::no;
    }
    truth t = prove_rec(p, 0);
    check_version();
    return t;
}

template <Integer I>
interval<I> fact_store<I>::bound(const E& e0) {
    if (e0.is_bool()) throw usage_error("bound() needs an integer expression, got '" + to_string(e0) + "'");
    check_version();
    E e = lowered(e0);
    iv r = bound_relational(e);
    if (!r.is_point() && !e.is_symbol()) {
        if (auto ex = enumerate(e)) r = intersect(r, *ex);
    }
    return r;
}

template <Integer I>
congruence<I> fact_store<I>::congruence_of(const E& e0) {
    check_version();
    return analyze(lowered(e0).node()).cg;
}

} // namespace symshape
