// symshape/expr/impl/expr.hpp — the definitions behind symshape/expr/expr.hpp: compiled into
// libsymshape in compiled mode, included by that header in header-only mode. Not for direct
// inclusion.
#pragma once

#include <boost/container/small_vector.hpp>

#include "symshape/expr/expr.hpp"

namespace symshape {

namespace detail {
/// The most terms a product of two sums may expand to (usage_error beyond): the canonical form
/// expands products, which grow exponentially with the number of sums multiplied.
inline constexpr std::size_t max_expanded_terms = 1024;

template <Integer I>
using nptr = const node<I>*;

template <Integer I>
nptr<I> make_constant(const I& v) {
    auto& ar = arena<I>::get();
    if (v == 0) return ar.zero();
    if (v == 1) return ar.one();
    return ar.constant(v);
}

/// A linear combination c + sum(coeff * mono), terms sorted by `compare`, no zero coefficients.
template <Integer I>
struct linear {
    I c{};
    boost::container::small_vector<std::pair<I, nptr<I>>, 6> terms;
};

/// Factors of a monomial: (atom, exponent), sorted.
template <Integer I>
using factor_list = boost::container::small_vector<std::pair<nptr<I>, I>, 6>;

template <Integer I>
linear<I> to_linear(nptr<I> n) {
    linear<I> l;
    if (n->kind == node_kind::constant) {
        l.c = n->value;
    } else if (n->kind == node_kind::add) {
        l.c = n->value;
        l.terms.reserve(n->args().size());
        for (std::size_t i = 0; i < n->args().size(); ++i) l.terms.emplace_back(n->coeffs()[i], n->args()[i]);
    } else {
        l.terms.emplace_back(I(1), n);
    }
    return l;
}

template <Integer I>
nptr<I> from_linear(linear<I>&& l) {
    if (l.terms.empty()) return make_constant(l.c);
    if (l.terms.size() == 1 && l.c == 0 && l.terms[0].first == 1) return l.terms[0].second;
    boost::container::small_vector<nptr<I>, 6> args;
    boost::container::small_vector<I, 6> coeffs;
    for (auto& [k, m] : l.terms) {
        coeffs.push_back(std::move(k));
        args.push_back(m);
    }
    return arena<I>::get().intern(node_kind::add, l.c, {args.data(), args.size()}, {coeffs.data(), coeffs.size()});
}

/// a + scale * b on sorted term lists (merge), dropping zero coefficients.
template <Integer I>
linear<I> linear_combine(const linear<I>& a, const linear<I>& b, const I& scale) {
    linear<I> r;
    r.c = checked_add(a.c, checked_mul(scale, b.c));
    r.terms.reserve(a.terms.size() + b.terms.size());
    std::size_t i = 0, j = 0;
    while (i < a.terms.size() || j < b.terms.size()) {
        int c = i == a.terms.size() ? 1 : j == b.terms.size() ? -1 : compare(a.terms[i].second, b.terms[j].second);
        if (c < 0) {
            r.terms.push_back(a.terms[i++]);
        } else if (c > 0) {
            r.terms.emplace_back(checked_mul(scale, b.terms[j].first), b.terms[j].second);
            ++j;
        } else {
            I k = checked_add(a.terms[i].first, checked_mul(scale, b.terms[j].first));
            if (k != 0) r.terms.emplace_back(std::move(k), a.terms[i].second);
            ++i;
            ++j;
        }
    }
    return r;
}

template <Integer I>
nptr<I> make_floor_div(nptr<I> a, nptr<I> b);
template <Integer I>
nptr<I> make_mod(nptr<I> a, nptr<I> b);
template <Integer I>
nptr<I> multiply_monomials(nptr<I> x, nptr<I> y);
template <Integer I>
nptr<I> make_add(nptr<I> a, nptr<I> b);

template <Integer I>
nptr<I> make_atom2(node_kind k, nptr<I> a, nptr<I> b) {
    const nptr<I> args[2] = {a, b};
    return arena<I>::get().intern(k, I(0), args, {});
}

/// Finds term `m` in a sorted term list; returns its index or -1.
template <Integer I>
std::ptrdiff_t find_term(const linear<I>& l, nptr<I> m) {
    auto it = std::lower_bound(l.terms.begin(), l.terms.end(), m,
                               [](const std::pair<I, nptr<I>>& t, nptr<I> x) { return compare(t.second, x) < 0; });
    if (it != l.terms.end() && it->second == m) return it - l.terms.begin();
    return -1;
}

/// Does `l` contain k*X (all of X's non-constant terms, scaled by k)?
template <Integer I>
bool contains_scaled(const linear<I>& l, const linear<I>& x, const I& k) {
    for (const auto& [c, m] : x.terms) {
        std::ptrdiff_t idx = find_term(l, m);
        I want;
        if (idx < 0 || !try_mul(c, k, want) || l.terms[static_cast<std::size_t>(idx)].first != want) return false;
    }
    return true;
}

/// The div/mod identities inside a sum, applied until none matches:
///   k*(X % d) + k*d*(X // d)  ->  k*X
///   k*X - k*d*(X // d)         ->  k*(X % d)      (d a constant; X's terms all present)
template <Integer I>
void recombine_div_mod(linear<I>& l) {
    // Each rewrite removes one floor_div term; the cap only guards against pathological nesting.
    bool changed = true;
    for (int round = 0; changed && round < 16; ++round) {
        changed = false;
        for (std::size_t i = 0; i < l.terms.size() && !changed; ++i) {
            auto [k, m] = l.terms[i];
            if (m->kind == node_kind::mod) {
                nptr<I> x = m->args()[0], d = m->args()[1];
                nptr<I> div = make_floor_div(x, d);
                if (div->kind != node_kind::floor_div || div->args()[0] != x || div->args()[1] != d) continue;
                // The partner term is (k*d) * (X // d) for a constant d, or (k*kd) * ((X // d) * md)
                // for a single-term divisor d = kd*md.
                I want;
                if (d->kind == node_kind::constant) {
                    if (!try_mul(k, d->value, want)) continue;
                } else {
                    linear<I> ld = to_linear(d);
                    if (ld.c != 0 || ld.terms.size() != 1 || !try_mul(k, ld.terms[0].first, want)) continue;
                    div = multiply_monomials(div, ld.terms[0].second);
                }
                std::ptrdiff_t j = find_term(l, div);
                if (j < 0 || l.terms[static_cast<std::size_t>(j)].first != want) continue;
                linear<I> neg;
                neg.terms.emplace_back(checked_neg(k), m);
                neg.terms.emplace_back(checked_neg(want), div);
                std::sort(neg.terms.begin(), neg.terms.end(),
                          [](const auto& p, const auto& q) { return compare(p.second, q.second) < 0; });
                linear<I> r = linear_combine(l, neg, I(1));
                r = linear_combine(r, to_linear(x), k);
                l = std::move(r);
                changed = true;
            } else if (m->kind == node_kind::floor_div && m->args()[1]->kind == node_kind::constant) {
                const I& d = m->args()[1]->value;
                if (floor_mod(k, d) != 0) continue;
                I kx = checked_neg(floor_div(k, d));
                linear<I> x = to_linear(m->args()[0]);
                if (x.terms.empty() || !contains_scaled(l, x, kx)) continue;
                linear<I> r = linear_combine(l, x, checked_neg(kx));
                std::ptrdiff_t j = find_term(r, m);
                if (j < 0) continue;
                r.terms.erase(r.terms.begin() + j);
                linear<I> md = to_linear(make_mod(m->args()[0], m->args()[1]));
                l = linear_combine(r, md, kx);
                changed = true;
            } else if (m->kind == node_kind::mul) {
                // k*((X // Y)*Y) - k*X  ->  -k*(X % Y) for a symbolic single-term Y.
                for (std::size_t f = 0; f < m->args().size(); ++f) {
                    nptr<I> div = m->args()[f];
                    if (div->kind != node_kind::floor_div || m->coeffs()[f] != 1) continue;
                    nptr<I> y = div->args()[1];
                    if (y->kind == node_kind::add || y->kind == node_kind::constant) continue;
                    if (multiply_monomials(div, y) != m) continue;
                    I kx = checked_neg(k);
                    linear<I> x = to_linear(div->args()[0]);
                    if (x.terms.empty() || !contains_scaled(l, x, kx)) continue;
                    linear<I> r = linear_combine(l, x, checked_neg(kx));
                    std::ptrdiff_t j = find_term(r, m);
                    if (j < 0) continue;
                    r.terms.erase(r.terms.begin() + j);
                    l = linear_combine(r, to_linear(make_mod(div->args()[0], y)), kx);
                    changed = true;
                    break;
                }
            }
        }
    }
}

template <Integer I>
bool has_div_or_mod(const linear<I>& l) {
    for (const auto& t : l.terms) {
        if (t.second->kind == node_kind::mod || t.second->kind == node_kind::floor_div) return true;
        if (t.second->kind == node_kind::mul)
            for (auto* f : t.second->args())
                if (f->kind == node_kind::floor_div) return true;
    }
    return false;
}

template <Integer I>
nptr<I> make_add(nptr<I> a, nptr<I> b) {
    if (a->kind == node_kind::constant && b->kind == node_kind::constant) return make_constant(checked_add(a->value, b->value));
    if (a->kind == node_kind::constant && a->value == 0) return b;
    if (b->kind == node_kind::constant && b->value == 0) return a;
    linear<I> l = linear_combine(to_linear(a), to_linear(b), I(1));
    if (has_div_or_mod(l)) recombine_div_mod(l);
    return from_linear(std::move(l));
}

template <Integer I>
nptr<I> make_scale(nptr<I> a, const I& k) {
    if (k == 0) return make_constant(I(0));
    if (k == 1) return a;
    linear<I> l = to_linear(a);
    l.c = checked_mul(l.c, k);
    for (auto& t : l.terms) t.first = checked_mul(t.first, k);
    return from_linear(std::move(l));
}

/// Factors of a monomial: (atom, exponent), sorted.
template <Integer I>
void monomial_factors(nptr<I> m, factor_list<I>& out) {
    if (m->kind == node_kind::mul) {
        out.clear();
        for (std::size_t i = 0; i < m->args().size(); ++i) out.emplace_back(m->args()[i], m->coeffs()[i]);
    } else {
        // (assign, not clear + emplace_back: GCC 12 warns, wrongly, that the latter's growth
        // path writes past an empty buffer)
        out.assign(1, std::pair<nptr<I>, I>(m, I(1)));
    }
}

template <Integer I>
nptr<I> make_monomial(const factor_list<I>& f) {
    if (f.empty()) return make_constant(I(1));
    if (f.size() == 1 && f[0].second == 1) return f[0].first;
    boost::container::small_vector<nptr<I>, 6> args;
    boost::container::small_vector<I, 6> exps;
    for (const auto& [a, e] : f) {
        args.push_back(a);
        exps.push_back(e);
    }
    return arena<I>::get().intern(node_kind::mul, I(0), {args.data(), args.size()}, {exps.data(), exps.size()});
}

template <Integer I>
nptr<I> multiply_monomials(nptr<I> x, nptr<I> y) {
    factor_list<I> fx, fy, r;
    monomial_factors(x, fx);
    monomial_factors(y, fy);
    std::size_t i = 0, j = 0;
    while (i < fx.size() || j < fy.size()) {
        int c = i == fx.size() ? 1 : j == fy.size() ? -1 : compare(fx[i].first, fy[j].first);
        if (c < 0) r.push_back(fx[i++]);
        else if (c > 0) r.push_back(fy[j++]);
        else {
            r.emplace_back(fx[i].first, checked_add(fx[i].second, fy[j].second));
            ++i;
            ++j;
        }
    }
    return make_monomial(r);
}

template <Integer I>
nptr<I> make_mul(nptr<I> a, nptr<I> b) {
    if (a->kind == node_kind::constant) return make_scale(b, a->value);
    if (b->kind == node_kind::constant) return make_scale(a, b->value);
    linear<I> la = to_linear(a), lb = to_linear(b);
    // Expand the product of the two sums, within a budget: products of many sums grow
    // exponentially, and a canonical form that takes minutes is an error, not an answer.
    if ((la.terms.size() + 1) * (lb.terms.size() + 1) > max_expanded_terms)
        throw usage_error("expression too large: a product of sums of " + std::to_string(la.terms.size() + 1) + " and " +
                          std::to_string(lb.terms.size() + 1) + " terms would expand to more than " +
                          std::to_string(max_expanded_terms) + " terms");
    factor_list<I> acc; // (monomial, coefficient), unsorted
    acc.reserve((la.terms.size() + 1) * (lb.terms.size() + 1));
    for (const auto& [ka, ma] : la.terms) {
        for (const auto& [kb, mb] : lb.terms) acc.emplace_back(multiply_monomials(ma, mb), checked_mul(ka, kb));
    }
    if (lb.c != 0)
        for (const auto& [ka, ma] : la.terms) acc.emplace_back(ma, checked_mul(ka, lb.c));
    if (la.c != 0)
        for (const auto& [kb, mb] : lb.terms) acc.emplace_back(mb, checked_mul(kb, la.c));
    std::sort(acc.begin(), acc.end(), [](const auto& p, const auto& q) { return compare(p.first, q.first) < 0; });
    linear<I> r;
    r.c = checked_mul(la.c, lb.c);
    for (auto& [m, k] : acc) {
        if (!r.terms.empty() && r.terms.back().second == m) r.terms.back().first = checked_add(r.terms.back().first, k);
        else r.terms.emplace_back(k, m);
    }
    r.terms.erase(std::remove_if(r.terms.begin(), r.terms.end(), [](const auto& t) { return t.first == 0; }), r.terms.end());
    if (has_div_or_mod(r)) recombine_div_mod(r);
    nptr<I> out = from_linear(std::move(r));
    if (a == b && a->kind == node_kind::add) arena<I>::get().note_square(out, a); // for range analysis
    return out;
}

/// If every term of `a` is divisible by the monomial `d` (coefficient kd), split a = q*d + rest.
template <Integer I>
void split_by_monomial(const linear<I>& a, nptr<I> dm, const I& kd, linear<I>& q, linear<I>& rest) {
    factor_list<I> fd, fa, fq;
    monomial_factors(dm, fd);
    q = linear<I>{};
    rest = linear<I>{};
    rest.c = a.c;
    for (const auto& [k, m] : a.terms) {
        bool ok = floor_mod(k, kd) == 0;
        if (ok) {
            monomial_factors(m, fa);
            fq.clear();
            std::size_t j = 0;
            for (std::size_t i = 0; i < fa.size(); ++i) {
                if (j < fd.size() && fa[i].first == fd[j].first) {
                    if (fa[i].second < fd[j].second) { ok = false; break; }
                    if (fa[i].second > fd[j].second) fq.emplace_back(fa[i].first, fa[i].second - fd[j].second);
                    ++j;
                } else {
                    fq.push_back(fa[i]);
                }
            }
            if (j != fd.size()) ok = false;
        }
        if (ok) q.terms.emplace_back(floor_div(k, kd), make_monomial(fq));
        else rest.terms.emplace_back(k, m);
    }
    // Quotient monomials may be constants (exact division) or out of order: renormalise.
    linear<I> qq;
    std::sort(q.terms.begin(), q.terms.end(), [](const auto& x, const auto& y) { return compare(x.second, y.second) < 0; });
    for (auto& [k, m] : q.terms) {
        if (m->kind == node_kind::constant) qq.c = checked_add(qq.c, checked_mul(k, m->value));
        else qq.terms.emplace_back(k, m);
    }
    q = std::move(qq);
}

/// For a numerator `a` without constant term and a single-term divisor `b`: the common factor g
/// (constant content times shared atoms) of every term; a2 = a/g, b2 = b/g. Returns nullptr
/// when g == 1. The sign of g follows b's coefficient so that b2 keeps a positive coefficient.
template <Integer I>
nptr<I> cancel_common_factor(const linear<I>& a, const linear<I>& b, linear<I>& a2, linear<I>& b2) {
    if (a.c != 0 || a.terms.empty()) return nullptr;
    factor_list<I> g, f;
    monomial_factors(b.terms[0].second, g);
    I kg = abs_value(b.terms[0].first);
    for (const auto& [k, m] : a.terms) {
        kg = gcd(kg, k);
        monomial_factors(m, f);
        factor_list<I> keep;
        for (const auto& ae : g) {
            const auto& atom = ae.first;
            const auto& e = ae.second;
            auto it = std::find_if(f.begin(), f.end(), [&](const auto& p) { return p.first == atom; });
            if (it != f.end()) keep.emplace_back(atom, std::min(e, it->second));
        }
        g = std::move(keep);
    }
    if (g.empty() && kg == 1) return nullptr;
    auto divide = [&](const linear<I>& l) {
        linear<I> r;
        factor_list<I> fm;
        for (const auto& [k, m] : l.terms) {
            monomial_factors(m, fm);
            factor_list<I> rest;
            for (const auto& ae : fm) {
                const auto& atom = ae.first;
                const auto& e = ae.second;
                auto it = std::find_if(g.begin(), g.end(), [&](const auto& p) { return p.first == atom; });
                I left = it == g.end() ? e : e - it->second;
                if (left > 0) rest.emplace_back(atom, left);
            }
            r.terms.emplace_back(floor_div(k, kg), make_monomial(rest));
        }
        // Quotient monomials may collide or become constants: renormalise.
        linear<I> out;
        for (auto& [k, m] : r.terms) {
            linear<I> one;
            if (m->kind == node_kind::constant) one.c = checked_mul(k, m->value);
            else one.terms.emplace_back(k, m);
            out = linear_combine(out, one, I(1));
        }
        return out;
    };
    a2 = divide(a);
    b2 = divide(b);
    linear<I> gl;
    gl.terms.emplace_back(kg, make_monomial(g));
    if (gl.terms[0].second->kind == node_kind::constant) return make_constant(kg);
    return from_linear(std::move(gl));
}

template <Integer I>
I content_gcd(const linear<I>& l, I g) {
    g = gcd(g, l.c);
    for (const auto& t : l.terms) {
        if (g == 1) break;
        g = gcd(g, t.first);
    }
    return g;
}

template <Integer I>
linear<I> divide_exact(linear<I> l, const I& g) {
    l.c = floor_div(l.c, g);
    for (auto& t : l.terms) t.first = floor_div(t.first, g);
    return l;
}

template <Integer I>
nptr<I> make_floor_div(nptr<I> a, nptr<I> b) {
    if (b->kind == node_kind::constant) {
        const I& c = b->value;
        if (c == 0) throw division_by_zero("division by zero: a floor_div with constant divisor 0");
        if (a->kind == node_kind::constant) return make_constant(floor_div(a->value, c));
        if (c < 0) return make_floor_div(make_scale(a, I(-1)), make_constant(checked_neg(c)));
        if (c == 1) return a;
        linear<I> l = to_linear(a), q, rest;
        // (Y - Y % c + k) // c == Y // c + k // c: subtracting the remainder leaves c * (Y // c).
        for (std::size_t i = 0; i < l.terms.size(); ++i) {
            const auto& [k, m] = l.terms[i];
            if (k != I(-1) || m->kind != node_kind::mod || m->args()[1]->kind != node_kind::constant || m->args()[1]->value != c)
                continue;
            linear<I> others = l;
            others.terms.erase(others.terms.begin() + static_cast<std::ptrdiff_t>(i));
            linear<I> diff = linear_combine(others, to_linear(m->args()[0]), I(-1));
            if (diff.terms.empty()) return make_add(make_floor_div(m->args()[0], b), make_constant(floor_div(diff.c, c)));
        }
        q.c = floor_div(l.c, c);
        rest.c = floor_mod(l.c, c);
        for (auto& [k, m] : l.terms) {
            if (floor_mod(k, c) == 0) q.terms.emplace_back(floor_div(k, c), m);
            else rest.terms.emplace_back(k, m);
        }
        nptr<I> qn = from_linear(std::move(q));
        if (rest.terms.empty()) return qn; // 0 <= rest.c < c
        // (g*Y + b) // (g*d) == (Y + b // g) // d for g > 0 dividing every coefficient of Y and
        // the divisor: (8*x + 7) // 16 is x // 2.
        I d = c;
        I g = d;
        for (const auto& t : rest.terms) g = gcd(g, t.first);
        if (g > 1) {
            const I b = rest.c;
            rest.c = I(0);
            rest = divide_exact(std::move(rest), g);
            rest.c = floor_div(b, g);
            d = floor_div(d, g);
        }
        if (d == 1) return make_add(qn, from_linear(std::move(rest)));
        // (Y // a + b) // d == (Y + a*b) // (a*d) for a, d > 0: ((x // 2) + 1) // 3 is (x + 2) // 6.
        if (rest.terms.size() == 1 && rest.terms[0].first == 1) {
            nptr<I> inner = rest.terms[0].second;
            if (inner->kind == node_kind::floor_div && inner->args()[1]->kind == node_kind::constant && inner->args()[1]->value > 0) {
                const I& a = inner->args()[1]->value;
                I ab, ad;
                if (try_mul(a, rest.c, ab) && try_mul(a, d, ad)) {
                    linear<I> y = to_linear(inner->args()[0]);
                    I yc;
                    if (try_add(y.c, ab, yc)) {
                        y.c = yc;
                        return make_add(qn, make_floor_div(from_linear(std::move(y)), make_constant(ad)));
                    }
                }
            }
        }
        return make_add(qn, make_atom2(node_kind::floor_div, from_linear(std::move(rest)), make_constant(d)));
    }
    if (a == b) return make_constant(I(1));
    if (a->kind == node_kind::constant && a->value == 0) return a;
    linear<I> lb = to_linear(b);
    if (lb.c == 0 && lb.terms.size() == 1) {
        // (g*a) // (g*b) == a // b for any non-zero g (the divisor is non-zero where defined).
        linear<I> la = to_linear(a), a2, b2;
        if (cancel_common_factor(la, lb, a2, b2))
            return make_floor_div(from_linear(std::move(a2)), from_linear(std::move(b2)));
        linear<I> q, rest;
        split_by_monomial(la, lb.terms[0].second, lb.terms[0].first, q, rest);
        if (!q.terms.empty() || q.c != 0) {
            nptr<I> qn = from_linear(std::move(q));
            if (rest.terms.empty() && rest.c == 0) return qn;
            return make_add(qn, make_atom2(node_kind::floor_div, from_linear(std::move(rest)), b));
        }
    }
    return make_atom2(node_kind::floor_div, a, b);
}

template <Integer I>
nptr<I> make_mod(nptr<I> a, nptr<I> b) {
    if (b->kind == node_kind::constant) {
        const I& c = b->value;
        if (c == 0) throw division_by_zero("modulo by zero: a mod with constant divisor 0");
        if (a->kind == node_kind::constant) return make_constant(floor_mod(a->value, c));
        if (c < 0) return make_scale(make_mod(make_scale(a, I(-1)), make_constant(checked_neg(c))), I(-1));
        if (c == 1) return make_constant(I(0));
        linear<I> l = to_linear(a);
        linear<I> r;
        r.c = floor_mod(l.c, c);
        // (X % (c*j)) inside "% c" is X; coefficients reduce to the representative nearest 0.
        bool expanded = false;
        for (auto& [k, m] : l.terms) {
            if (m->kind == node_kind::mod && m->args()[1]->kind == node_kind::constant && floor_mod(m->args()[1]->value, c) == 0) {
                r = linear_combine(r, to_linear(m->args()[0]), k);
                expanded = true;
                continue;
            }
            I kr = floor_mod(k, c);
            if (kr == 0) continue;
            if (kr > c - kr) kr = kr - c;
            r = linear_combine(r, linear<I>{I(0), {{kr, m}}}, I(1));
        }
        if (expanded) return make_mod(from_linear(std::move(r)), b);
        if (r.terms.empty()) return make_constant(floor_mod(r.c, c));
        I g = content_gcd(r, c);
        I d = c;
        if (g > 1) {
            r = divide_exact(std::move(r), g);
            d = floor_div(d, g);
        }
        nptr<I> rn = from_linear(std::move(r));
        nptr<I> atom;
        if (d == 1) atom = make_constant(I(0));
        else if (rn->kind == node_kind::mod && rn->args()[1]->kind == node_kind::constant && floor_mod(d, rn->args()[1]->value) == 0)
            atom = rn; // (X % e) % d with e | d: already in [0, e) within [0, d)
        else if (g > 1) atom = make_mod(rn, make_constant(d)); // a smaller divisor: its own rules apply ((X % 4) % 2 is X % 2)
        else atom = make_atom2(node_kind::mod, rn, make_constant(d));
        return make_scale(atom, g);
    }
    if (a == b) return make_constant(I(0));
    if (a->kind == node_kind::constant && a->value == 0) return a;
    linear<I> lb = to_linear(b);
    if (lb.c == 0 && lb.terms.size() == 1) {
        // (g*a) % (g*b) == g * (a % b) for any non-zero g.
        linear<I> la = to_linear(a), a2, b2;
        nptr<I> g = cancel_common_factor(la, lb, a2, b2);
        if (g) return make_mul(g, make_mod(from_linear(std::move(a2)), from_linear(std::move(b2))));
        linear<I> q, rest;
        split_by_monomial(to_linear(a), lb.terms[0].second, lb.terms[0].first, q, rest);
        if (!q.terms.empty() || q.c != 0) {
            if (rest.terms.empty() && rest.c == 0) return make_constant(I(0));
            return make_atom2(node_kind::mod, from_linear(std::move(rest)), b);
        }
    }
    return make_atom2(node_kind::mod, a, b);
}

/// Splits e into (base, constant) with e = base + constant.
template <Integer I>
std::pair<nptr<I>, I> split_constant(nptr<I> e) {
    if (e->kind == node_kind::constant) return {make_constant(I(0)), e->value};
    if (e->kind == node_kind::add && e->value != 0) {
        linear<I> l = to_linear(e);
        I c = l.c;
        l.c = 0;
        return {from_linear(std::move(l)), c};
    }
    return {e, I(0)};
}

template <Integer I>
nptr<I> make_minmax(node_kind k, std::span<const nptr<I>> in) {
    const bool is_min = k == node_kind::min;
    using node_list = boost::container::small_vector<nptr<I>, 8>; // (no allocation for up to 8 arguments)
    node_list flat;
    for (nptr<I> a : in) {
        if (is_bool_kind(a->kind)) throw usage_error(std::string(is_min ? "min" : "max") + " of a boolean expression");
        if (a->kind == k) flat.insert(flat.end(), a->args().begin(), a->args().end());
        else flat.push_back(a);
    }
    // Arguments that differ by a constant: keep only the extreme one.
    factor_list<I> parts;
    for (nptr<I> a : flat) {
        auto [base, c] = split_constant(a);
        bool merged = false;
        for (auto& p : parts) {
            if (p.first == base) {
                if (is_min ? c < p.second : c > p.second) p.second = c;
                merged = true;
                break;
            }
        }
        if (!merged) parts.emplace_back(base, c);
    }
    node_list args;
    for (auto& [base, c] : parts) args.push_back(make_add(base, make_constant(c)));
    // Absorption: min(a, max(a, b)) = a and max(a, min(a, b)) = a.
    const node_kind dual = is_min ? node_kind::max : node_kind::min;
    node_list kept;
    for (nptr<I> a : args) {
        bool absorbed = false;
        if (a->kind == dual)
            for (nptr<I> inner : a->args())
                if (std::find(args.begin(), args.end(), inner) != args.end()) absorbed = true;
        if (!absorbed) kept.push_back(a);
    }
    std::sort(kept.begin(), kept.end(), node_less<I>{});
    kept.erase(std::unique(kept.begin(), kept.end()), kept.end());
    if (kept.size() == 1) return kept[0];
    return arena<I>::get().intern(k, I(0), {kept.data(), kept.size()}, {});
}

template <Integer I>
nptr<I> make_bool(bool b) {
    return b ? arena<I>::get().true_node() : arena<I>::get().false_node();
}

template <Integer I>
void require_int(nptr<I> a, const char* op) {
    if (is_bool_kind(a->kind)) throw usage_error(std::string("operand of '") + op + "' must be an integer expression, got a boolean");
}
template <Integer I>
void require_bool(nptr<I> a, const char* op) {
    if (!is_bool_kind(a->kind)) throw usage_error(std::string("operand of '") + op + "' must be a boolean expression, got an integer");
}

/// make_rel for int64 when the usual normalisation leaves int64 on the way (`-65 <= INT64_MAX`,
/// `x + INT64_MAX <= -65`): the difference a - b is formed with 128-bit coefficients. A relation
/// whose difference is a constant is decided; `X OP k` is formed when X's coefficients and k fit
/// in int64; otherwise the relation is kept with its two sides as given (true to the input, only
/// not normalised), since no int64 expression states it.
inline nptr<std::int64_t> make_rel_wide(node_kind k, nptr<std::int64_t> a, nptr<std::int64_t> b) {
    using I = std::int64_t;
    __extension__ typedef __int128 wide;
    auto fits = [](wide v) { return v >= std::numeric_limits<I>::min() && v <= std::numeric_limits<I>::max(); };
    auto decide = [&](wide v) { // v = a - b
        switch (k) {
        case node_kind::eq: return make_bool<I>(v == 0);
        case node_kind::ne: return make_bool<I>(v != 0);
        case node_kind::lt: return make_bool<I>(v < 0);
        default: return make_bool<I>(v <= 0);
        }
    };
    auto as_given = [&] {
        if ((k == node_kind::eq || k == node_kind::ne) && compare(a, b) > 0) std::swap(a, b);
        return make_atom2(k, a, b);
    };
    // d = a - b, merged on the sorted term lists
    const linear<I> la = to_linear(a), lb = to_linear(b);
    wide c = static_cast<wide>(la.c) - static_cast<wide>(lb.c);
    std::vector<std::pair<wide, nptr<I>>> terms;
    for (std::size_t i = 0, j = 0; i < la.terms.size() || j < lb.terms.size();) {
        int o = i == la.terms.size() ? 1 : j == lb.terms.size() ? -1 : compare(la.terms[i].second, lb.terms[j].second);
        if (o < 0) {
            terms.emplace_back(la.terms[i].first, la.terms[i].second);
            ++i;
        } else if (o > 0) {
            terms.emplace_back(-static_cast<wide>(lb.terms[j].first), lb.terms[j].second);
            ++j;
        } else {
            wide t = static_cast<wide>(la.terms[i].first) - static_cast<wide>(lb.terms[j].first);
            if (t != 0) terms.emplace_back(t, la.terms[i].second);
            ++i;
            ++j;
        }
    }
    if (terms.empty()) return decide(c);
    if (a->kind != node_kind::constant && b->kind != node_kind::constant) return as_given();
    // g*X + c OP 0 with X's leading coefficient positive; a negation flips the sides.
    bool flipped = false;
    if (terms[0].first < 0) {
        c = -c;
        for (auto& t : terms) t.first = -t.first;
        flipped = true;
    }
    wide g = 0;
    for (const auto& t : terms) {
        wide x = t.first < 0 ? -t.first : t.first, y = g;
        while (y != 0) { wide r = x % y; x = y; y = r; }
        g = x;
    }
    linear<I> x;
    for (const auto& t : terms) {
        wide q = t.first / g;
        if (!fits(q)) return as_given();
        x.terms.emplace_back(static_cast<I>(q), t.second);
    }
    auto fdiv = [](wide n, wide m) { wide q = n / m; return (n % m != 0 && ((n < 0) != (m < 0))) ? q - 1 : q; };
    auto cdiv = [&](wide n, wide m) { return -fdiv(-n, m); };
    const wide negc = -c;
    wide bound;
    nptr<I> lhs, rhs;
    nptr<I> xn = from_linear(std::move(x));
    // a OP b is d OP 0 with d = (flipped ? -1 : 1) * (g*X + c)
    if (k == node_kind::eq || k == node_kind::ne) {
        if (negc % g != 0) return make_bool<I>(k == node_kind::ne);
        bound = negc / g;
        if (!fits(bound)) return as_given();
        return make_atom2(k, xn, make_constant(static_cast<I>(bound)));
    }
    if (!flipped) { // g*X + c < 0  /  <= 0
        bound = k == node_kind::lt ? cdiv(negc, g) : fdiv(negc, g);
        if (!fits(bound)) return as_given();
        lhs = xn;
        rhs = make_constant(static_cast<I>(bound));
    } else { // 0 < g*X + c  /  0 <= g*X + c
        bound = k == node_kind::lt ? fdiv(negc, g) : cdiv(negc, g);
        if (!fits(bound)) return as_given();
        lhs = make_constant(static_cast<I>(bound));
        rhs = xn;
    }
    return make_atom2(k, lhs, rhs);
}

template <Integer I>
nptr<I> make_rel_narrow(node_kind k, nptr<I> a, nptr<I> b);

/// The relation a OP b (k one of eq, ne, lt, le) in canonical form.
template <Integer I>
nptr<I> make_rel(node_kind k, nptr<I> a, nptr<I> b) {
    if constexpr (std::is_same_v<I, std::int64_t>) {
        try {
            return make_rel_narrow(k, a, b);
        } catch (const overflow_error&) {
            return make_rel_wide(k, a, b);
        }
    } else {
        return make_rel_narrow(k, a, b);
    }
}

template <Integer I>
nptr<I> make_rel_narrow(node_kind k, nptr<I> a, nptr<I> b) {
    nptr<I> d = make_add(a, make_scale(b, I(-1)));
    if (d->kind == node_kind::constant) {
        const I& v = d->value;
        switch (k) {
        case node_kind::eq: return make_bool<I>(v == 0);
        case node_kind::ne: return make_bool<I>(v != 0);
        case node_kind::lt: return make_bool<I>(v < 0);
        default: return make_bool<I>(v <= 0);
        }
    }
    // A relation with a constant side is normalised to `X OP k` (or `k OP X`) where X has no
    // constant term and coprime coefficients: 2*x + 2 <= 7 is x <= 2, 2*s0 == 16 is s0 == 8.
    if (a->kind == node_kind::constant || b->kind == node_kind::constant) {
        bool const_left = a->kind == node_kind::constant;
        linear<I> l = to_linear(const_left ? make_add(b, make_scale(a, I(-1))) : d); // g*X + r OP 0 (mirrored if const_left)
        if (!l.terms.empty() && l.terms[0].first < 0) { // keep X's leading coefficient positive
            l.c = checked_neg(l.c);
            for (auto& t : l.terms) t.first = checked_neg(t.first);
            const_left = !const_left;
        }
        I r = l.c;
        l.c = 0;
        I g = content_gcd(l, I(0));
        if (g < 0) g = -g;
        linear<I> x = divide_exact(std::move(l), g);
        nptr<I> xn = from_linear(std::move(x));
        I negr = checked_neg(r);
        if (k == node_kind::eq || k == node_kind::ne) {
            if (floor_mod(negr, g) != 0) return make_bool<I>(k == node_kind::ne);
            return make_atom2(k, xn, make_constant(floor_div(negr, g)));
        }
        if (!const_left) // X*g + r < 0  /  <= 0
            return k == node_kind::lt ? make_atom2(k, xn, make_constant(ceil_div(negr, g)))
                                      : make_atom2(k, xn, make_constant(floor_div(negr, g)));
        // 0 < g*X + r  /  0 <= g*X + r
        return k == node_kind::lt ? make_atom2(k, make_constant(floor_div(negr, g)), xn)
                                  : make_atom2(k, make_constant(ceil_div(negr, g)), xn);
    }
    // eq / ne are symmetric: order the sides canonically.
    if ((k == node_kind::eq || k == node_kind::ne) && compare(a, b) > 0) std::swap(a, b);
    return make_atom2(k, a, b);
}

template <Integer I>
nptr<I> make_not(nptr<I> a) {
    switch (a->kind) {
    case node_kind::bool_const: return make_bool<I>(a->value == 0);
    case node_kind::not_: return a->args()[0];
    case node_kind::eq: return make_rel(node_kind::ne, a->args()[0], a->args()[1]);
    case node_kind::ne: return make_rel(node_kind::eq, a->args()[0], a->args()[1]);
    case node_kind::lt: return make_rel(node_kind::le, a->args()[1], a->args()[0]);
    case node_kind::le: return make_rel(node_kind::lt, a->args()[1], a->args()[0]);
    default: {
        const nptr<I> args[1] = {a};
        return arena<I>::get().intern(node_kind::not_, I(0), args, {});
    }
    }
}

template <Integer I>
nptr<I> make_logic(node_kind k, nptr<I> a, nptr<I> b) {
    const bool is_and = k == node_kind::and_;
    std::vector<nptr<I>> flat;
    for (nptr<I> x : {a, b}) {
        if (x->kind == k) flat.insert(flat.end(), x->args().begin(), x->args().end());
        else flat.push_back(x);
    }
    std::vector<nptr<I>> kept;
    for (nptr<I> x : flat) {
        if (x->kind == node_kind::bool_const) {
            bool v = x->value != 0;
            if (v != is_and) return make_bool<I>(v); // false in and / true in or decides
            continue;                                // the neutral element
        }
        kept.push_back(x);
    }
    std::sort(kept.begin(), kept.end(), node_less<I>{});
    kept.erase(std::unique(kept.begin(), kept.end()), kept.end());
    for (nptr<I> x : kept) // p and not p = false; p or not p = true
        if (std::binary_search(kept.begin(), kept.end(), make_not(x), node_less<I>{})) return make_bool<I>(!is_and);
    if (kept.empty()) return make_bool<I>(is_and);
    if (kept.size() == 1) return kept[0];
    return arena<I>::get().intern(k, I(0), {kept.data(), kept.size()}, {});
}

/// Operation tags of the arena's memo (see arena::memo_find).
enum class memo_op : std::uint32_t { add = 1, sub, neg, mul, floor_div, mod, min, max, eq, ne, lt, le };

/// f() (which builds the canonical result of `op` on a, b), through the arena's memo.
template <Integer I, class F>
nptr<I> memoized(memo_op op, nptr<I> a, nptr<I> b, F&& f) {
    // A product with a constant is a scale: about as cheap as a probe of the memo.
    if (op == memo_op::mul && (a->kind == node_kind::constant || b->kind == node_kind::constant)) return f();
    auto& ar = arena<I>::get();
    const auto tag = static_cast<std::uint32_t>(op);
    if (nptr<I> hit = ar.memo_find(tag, a, b)) return hit;
    nptr<I> r = f();
    ar.memo_store(tag, a, b, r);
    return r;
}

} // namespace detail

template <Integer I>
basic_expr<I>::basic_expr(const I& v) : n_(detail::make_constant(v)) {}

template <Integer I>
basic_expr<I> basic_expr<I>::symbol(const std::string& name) {
    if (name.empty()) throw usage_error("a symbol needs a non-empty name");
    return basic_expr(detail::arena<I>::get().symbol(name));
}

template <Integer I>
basic_expr<I> basic_expr<I>::bool_constant(bool b) {
    return basic_expr(detail::make_bool<I>(b));
}

template <Integer I>
const I& basic_expr<I>::constant_value() const {
    if (n_->kind != node_kind::constant) throw usage_error("constant_value() of a non-constant expression");
    return n_->value;
}

template <Integer I>
std::string basic_expr<I>::name() const {
    if (n_->kind != node_kind::symbol) throw usage_error("name() of an expression that is not a symbol");
    return std::string(n_->name());
}

template <Integer I>
basic_expr<I> operator+(const basic_expr<I>& a, const basic_expr<I>& b) {
    detail::require_int(a.node(), "+");
    detail::require_int(b.node(), "+");
    return basic_expr<I>(detail::memoized<I>(detail::memo_op::add, a.node(), b.node(), [&] { return detail::make_add(a.node(), b.node()); }));
}
template <Integer I>
basic_expr<I> operator-(const basic_expr<I>& a) {
    detail::require_int(a.node(), "-");
    return basic_expr<I>(detail::memoized<I>(detail::memo_op::neg, a.node(), nullptr, [&] { return detail::make_scale(a.node(), I(-1)); }));
}
template <Integer I>
basic_expr<I> operator-(const basic_expr<I>& a, const basic_expr<I>& b) {
    detail::require_int(a.node(), "-");
    detail::require_int(b.node(), "-");
    return basic_expr<I>(detail::memoized<I>(detail::memo_op::sub, a.node(), b.node(), [&] { return detail::make_add(a.node(), detail::make_scale(b.node(), I(-1))); }));
}
template <Integer I>
basic_expr<I> operator*(const basic_expr<I>& a, const basic_expr<I>& b) {
    detail::require_int(a.node(), "*");
    detail::require_int(b.node(), "*");
    return basic_expr<I>(detail::memoized<I>(detail::memo_op::mul, a.node(), b.node(), [&] { return detail::make_mul(a.node(), b.node()); }));
}
template <Integer I>
basic_expr<I> floor_div(const basic_expr<I>& a, const basic_expr<I>& b) {
    detail::require_int(a.node(), "//");
    detail::require_int(b.node(), "//");
    return basic_expr<I>(detail::memoized<I>(detail::memo_op::floor_div, a.node(), b.node(), [&] { return detail::make_floor_div(a.node(), b.node()); }));
}
template <Integer I>
basic_expr<I> mod(const basic_expr<I>& a, const basic_expr<I>& b) {
    detail::require_int(a.node(), "%");
    detail::require_int(b.node(), "%");
    return basic_expr<I>(detail::memoized<I>(detail::memo_op::mod, a.node(), b.node(), [&] { return detail::make_mod(a.node(), b.node()); }));
}
template <Integer I>
basic_expr<I> ceil_div(const basic_expr<I>& a, const basic_expr<I>& b) {
    return -floor_div(-a, b);
}
template <Integer I>
basic_expr<I> min(const basic_expr<I>& a, const basic_expr<I>& b) {
    return basic_expr<I>(detail::memoized<I>(detail::memo_op::min, a.node(), b.node(), [&] {
        const detail::node<I>* ab[2] = {a.node(), b.node()};
        return detail::make_minmax<I>(node_kind::min, ab);
    }));
}
template <Integer I>
basic_expr<I> max(const basic_expr<I>& a, const basic_expr<I>& b) {
    return basic_expr<I>(detail::memoized<I>(detail::memo_op::max, a.node(), b.node(), [&] {
        const detail::node<I>* ab[2] = {a.node(), b.node()};
        return detail::make_minmax<I>(node_kind::max, ab);
    }));
}
template <Integer I>
basic_expr<I> min(std::vector<basic_expr<I>> args) {
    if (args.empty()) throw usage_error("min() needs at least one argument");
    if (args.size() == 2) return min(args[0], args[1]);
    std::vector<const detail::node<I>*> v;
    for (auto& a : args) v.push_back(a.node());
    return basic_expr<I>(detail::make_minmax<I>(node_kind::min, v));
}
template <Integer I>
basic_expr<I> max(std::vector<basic_expr<I>> args) {
    if (args.empty()) throw usage_error("max() needs at least one argument");
    if (args.size() == 2) return max(args[0], args[1]);
    std::vector<const detail::node<I>*> v;
    for (auto& a : args) v.push_back(a.node());
    return basic_expr<I>(detail::make_minmax<I>(node_kind::max, v));
}

#define SYMSHAPE_REL(fn, kind, sym)                                                                \
    template <Integer I>                                                                           \
    basic_expr<I> fn(const basic_expr<I>& a, const basic_expr<I>& b) {                            \
        detail::require_int(a.node(), sym);                                                        \
        detail::require_int(b.node(), sym);                                                        \
        return basic_expr<I>(detail::memoized<I>(detail::memo_op::kind, a.node(), b.node(),          \
                                                 [&] { return detail::make_rel(node_kind::kind, a.node(), b.node()); })); \
    }
SYMSHAPE_REL(eq, eq, "==")
SYMSHAPE_REL(ne, ne, "!=")
SYMSHAPE_REL(lt, lt, "<")
SYMSHAPE_REL(le, le, "<=")
#undef SYMSHAPE_REL

template <Integer I>
basic_expr<I> logical_and(const basic_expr<I>& a, const basic_expr<I>& b) {
    detail::require_bool(a.node(), "and");
    detail::require_bool(b.node(), "and");
    return basic_expr<I>(detail::make_logic(node_kind::and_, a.node(), b.node()));
}
template <Integer I>
basic_expr<I> logical_or(const basic_expr<I>& a, const basic_expr<I>& b) {
    detail::require_bool(a.node(), "or");
    detail::require_bool(b.node(), "or");
    return basic_expr<I>(detail::make_logic(node_kind::or_, a.node(), b.node()));
}
template <Integer I>
basic_expr<I> logical_not(const basic_expr<I>& a) {
    detail::require_bool(a.node(), "not");
    return basic_expr<I>(detail::make_not(a.node()));
}

} // namespace symshape
