// symshape/range/detail/relational_bound.hpp — relational bounds: a difference sharpened by stored
// relations, and Fourier–Motzkin projection of the linear constraints an expression implies.
// Definitions of fact_store members (range/facts.hpp), included through range/impl/facts.hpp.
#pragma once

#include "symshape/range/detail/fourier_motzkin.hpp"
#include "symshape/range/facts.hpp"

namespace symshape {

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

} // namespace symshape
