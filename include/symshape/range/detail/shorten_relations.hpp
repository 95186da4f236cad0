// symshape/range/detail/shorten_relations.hpp — shorter forms of relations, conjunctions and disjunctions.
// Definitions of shortener members (range/detail/shorten.hpp, which includes this file).
#pragma once

namespace symshape::detail {

// ---- relations ----

template <Integer I>
void shortener<I>::relation_rules(const E& e, best& b, int depth) {
    const node_kind k = e.kind();
    const E lhs = e.arg(0), rhs = e.arg(1);
    const lin d = lin_of(lhs - rhs);
    if (d.terms.empty()) return;
    linear_forms(k, d, b, depth);
    // c*(Y // c) -> Y - Y % c
    E replaced(d.c);
    bool any = false;
    for (const auto& [kk, m] : d.terms) {
        I c;
        if (m->kind == node_kind::floor_div && const_divisor(m, c) && floor_mod(kk, c) == 0) {
            const E y(m->args()[0]);
            replaced = replaced + E(floor_div(kk, c)) * (y - mod(y, E(c)));
            any = true;
        } else {
            replaced = replaced + E(kk) * E(m);
        }
    }
    if (any) {
        const lin r = lin_of(replaced);
        if (r.terms.empty()) offer(b, relation_of(k, replaced, E(0)), depth);
        else linear_forms(k, r, b, depth);
    }
    one_sided_rules(e, b, depth);
    split_minmax(k, d, b, depth);
}

// d OP 0 as `P OP' N (+ constant on either side)` with the terms of d cancelled, divided by
// their gcd, and each on the side where its coefficient is positive.
template <Integer I>
void shortener<I>::linear_forms(node_kind k, lin d, best& b, int depth) {
    I g(0);
    for (const auto& t : d.terms) g = gcd(g, t.first);
    I c = d.c;
    if (k == node_kind::eq || k == node_kind::ne) {
        if (floor_mod(c, g) != 0) {
            offer(b, E::bool_constant(k == node_kind::ne), depth);
            return;
        }
        c = floor_div(c, g);
    } else if (k == node_kind::lt) { // g*X + c < 0  <=>  X <= floor((-c - 1) / g)
        c = checked_neg(floor_div(checked_sub(checked_neg(c), I(1)), g));
    } else { // g*X + c <= 0  <=>  X <= floor(-c / g)
        c = checked_neg(floor_div(checked_neg(c), g));
    }
    lin lp, ln; // X + c OP 0 with X = p - n
    for (const auto& [kk, m] : d.terms) {
        const I q = floor_div(kk, g);
        if (q > 0) lp.terms.emplace_back(q, m);
        else ln.terms.emplace_back(checked_neg(q), m);
    }
    const E p = expr_of(std::move(lp)), n = expr_of(std::move(ln));
    if (k == node_kind::eq || k == node_kind::ne) {
        offer(b, relation_of(k, p + E(c), n), depth);
        offer(b, relation_of(k, p, n - E(c)), depth);
        return;
    }
    // (on a tie the first wins: the constant on the right reads best)
    offer(b, le(p, n - E(c)), depth);
    offer(b, lt(p, n - E(c) + E(1)), depth);
    offer(b, le(p + E(c), n), depth);
    offer(b, lt(p + E(c) - E(1), n), depth);
}

// A relation with a constant side: Y // c OP k, and (Y + a) % c == k.
template <Integer I>
void shortener<I>::one_sided_rules(const E& e, best& b, int depth) {
    const node_kind k = e.kind();
    const bool const_left = e.arg(0).is_constant();
    if (!const_left && !e.arg(1).is_constant()) return;
    const E side = const_left ? e.arg(1) : e.arg(0);
    const I kv = const_left ? e.arg(0).constant_value() : e.arg(1).constant_value();
    const node<I>* s = side.node();
    I c;
    if (s->kind == node_kind::floor_div && const_divisor(s, c)) {
        const E y(s->args()[0]);
        if (k == node_kind::lt && !const_left) offer(b, lt(y, E(checked_mul(c, kv))), depth); // Y//c < k
        if (k == node_kind::le && !const_left)                                                   // Y//c <= k
            offer(b, lt(y, E(checked_mul(c, checked_add(kv, I(1))))), depth);
        if (k == node_kind::lt && const_left) // k < Y//c
            offer(b, le(E(checked_mul(c, checked_add(kv, I(1)))), y), depth);
        if (k == node_kind::le && const_left) offer(b, le(E(checked_mul(c, kv)), y), depth); // k <= Y//c
    }
    // max(f, lo) == k: false below lo, f <= lo at lo, f == k above; min(f, hi) == k likewise
    if ((s->kind == node_kind::max || s->kind == node_kind::min) && s->args().size() == 2 &&
        (k == node_kind::eq || k == node_kind::ne) &&
        (s->args()[0]->kind == node_kind::constant) != (s->args()[1]->kind == node_kind::constant)) {
        const bool is_max = s->kind == node_kind::max;
        const node<I>* cn = s->args()[0]->kind == node_kind::constant ? s->args()[0] : s->args()[1];
        const E f(cn == s->args()[0] ? s->args()[1] : s->args()[0]);
        const I& edge = cn->value;
        E holds;
        if (kv == edge) holds = is_max ? le(f, E(edge)) : le(E(edge), f);
        else if (is_max ? kv < edge : kv > edge) holds = E::bool_constant(false);
        else holds = eq(f, E(kv));
        offer(b, k == node_kind::eq ? holds : logical_not(holds), depth);
    }
    if (s->kind == node_kind::mod && const_divisor(s, c) && (k == node_kind::eq || k == node_kind::ne)) {
        if (kv < 0 || kv >= c) {
            offer(b, E::bool_constant(k == node_kind::ne), depth);
            return;
        }
        lin y = to_linear(s->args()[0]);
        if (y.c != 0) {
            const I shifted = floor_mod(checked_sub(kv, y.c), c);
            y.c = I(0);
            offer(b, relation_of(k, mod(expr_of(y), E(c)), E(shifted)), depth);
        }
    }
}

// min(a, b) < R  <=>  a < R or b < R (and the other three shapes): d = s*M + R OP 0.
template <Integer I>
void shortener<I>::split_minmax(node_kind k, const lin& d, best& b, int depth) {
    if (k != node_kind::lt && k != node_kind::le) return;
    for (std::size_t i = 0; i < d.terms.size(); ++i) {
        const auto& [s, m] = d.terms[i];
        if ((m->kind != node_kind::min && m->kind != node_kind::max) || (s != 1 && s != -1)) continue;
        lin rest = d;
        rest.terms.erase(rest.terms.begin() + static_cast<std::ptrdiff_t>(i));
        const E r = expr_of(rest);
        // s = 1: M + R OP 0, i.e. M OP -R; s = -1: R OP M.
        const bool any = (m->kind == node_kind::min) == (s == 1); // "or" of the pieces
        E acc = E::bool_constant(!any);
        for (const node<I>* a : m->args()) {
            E piece = s == 1 ? relation_of(k, E(a), -r) : relation_of(k, r, E(a));
            piece = shorten(piece, max_depth - 1);
            acc = any ? logical_or(acc, piece) : logical_and(acc, piece);
        }
        offer(b, acc, depth);
    }
}

// ---- and / or ----

template <Integer I>
void shortener<I>::logic_rules(const E& e, best& b, int depth) {
    const node<I>* n = e.node();
    const bool is_and = n->kind == node_kind::and_;
    std::vector<E> items;
    for (const node<I>* a : n->args()) items.push_back(E(a));
    auto combine = [&](const std::vector<E>& xs) {
        E r = E::bool_constant(is_and);
        for (const E& x : xs) r = is_and ? logical_and(r, x) : logical_or(r, x);
        return r;
    };
    // x == k in a conjunction (x != k in a disjunction) decides x in the others
    for (std::size_t i = 0; i < items.size(); ++i) {
        const E& it = items[i];
        if (it.kind() != (is_and ? node_kind::eq : node_kind::ne) || !it.arg(0).is_symbol() || !it.arg(1).is_constant()) continue;
        const std::unordered_map<E, E, expr_hash> bind{{it.arg(0), it.arg(1)}};
        std::vector<E> out{it};
        for (std::size_t j = 0; j < items.size(); ++j)
            if (j != i) out.push_back(substitute(items[j], bind));
        // in a disjunction the others are read where x == k, so x != k or P(x) is x != k or P(k)
        offer(b, combine(out), depth);
    }
    // Y // c == q in a conjunction: c*q <= Y <= c*q + c - 1, and Y % c is Y - c*q in the other
    // relations (x // 10 == 5 and x % 10 < 7 -> x >= 50 and x < 57; x // 8 == 3 and x % 8 == 4
    // -> x == 28 once x == 28 decides the rest)
    if (is_and) {
        for (std::size_t i = 0; i < items.size(); ++i) {
            const E& di = items[i];
            I c;
            if (di.kind() != node_kind::eq || !di.arg(1).is_constant() || di.arg(0).kind() != node_kind::floor_div ||
                !const_divisor(di.arg(0).node(), c))
                continue;
            const E y = di.arg(0).arg(0);
            const I low = checked_mul(c, di.arg(1).constant_value());
            const node<I>* rem = mod(y, E(c)).node();
            std::vector<E> out{le(E(low), y), le(y, E(checked_add(low, c - 1)))};
            bool used = false;
            for (std::size_t j = 0; j < items.size(); ++j) {
                if (j == i) continue;
                const E& it = items[j];
                const node_kind k = it.kind();
                if (k != node_kind::eq && k != node_kind::ne && k != node_kind::lt && k != node_kind::le) {
                    out.push_back(it);
                    continue;
                }
                lin d = lin_of(it.arg(0) - it.arg(1));
                E replaced(d.c);
                for (const auto& [kk, m] : d.terms) {
                    if (m == rem) {
                        replaced = replaced + E(kk) * (y - E(low));
                        used = true;
                    } else {
                        replaced = replaced + E(kk) * E(m);
                    }
                }
                out.push_back(relation_of(k, replaced, E(0)));
            }
            if (used) offer(b, combine(out), depth);
        }
    }
    // relations X <= k of one linear form X: the conjunction keeps the least k, the disjunction the greatest
    struct bounded {
        E x;
        I k;
        bool used = false;
    };
    std::vector<bounded> forms;
    std::vector<E> others;
    for (const E& it : items) {
        if (it.kind() != node_kind::lt && it.kind() != node_kind::le) {
            others.push_back(it);
            continue;
        }
        lin d = lin_of(it.arg(0) - it.arg(1)); // d < 0 or d <= 0: X + c OP 0
        if (d.terms.empty()) {
            others.push_back(it);
            continue;
        }
        I k = checked_neg(d.c);
        if (it.kind() == node_kind::lt) k = checked_sub(k, I(1));
        d.c = I(0);
        forms.push_back({expr_of(d), k});
    }
    bool merged = false;
    std::vector<E> out = others;
    for (std::size_t i = 0; i < forms.size(); ++i) {
        if (forms[i].used) continue;
        I k = forms[i].k;
        for (std::size_t j = i + 1; j < forms.size(); ++j) {
            if (forms[j].used || forms[j].x != forms[i].x) continue;
            k = is_and ? std::min(k, forms[j].k) : std::max(k, forms[j].k);
            forms[j].used = true;
            merged = true;
        }
        out.push_back(shorten(le(forms[i].x, E(k)), max_depth - 1));
    }
    if (merged) offer(b, combine(out), depth);
    // lo <= A - c*Y <= lo + c - 1 in a conjunction is Y == (A - lo) // c:
    // 0 <= x - y*5 and x - y*5 < 5 -> y == x // 5
    if (!is_and) return;
    for (std::size_t i = 0; i < forms.size(); ++i) {
        for (std::size_t j = 0; j < forms.size(); ++j) {
            if (i == j || forms[j].x != -forms[i].x) continue;
            // L <= hi and -L <= -lo, each the tightest of its form (every relation on L or -L
            // is dropped below: the window is all of them)
            const E l = forms[i].x;
            I hi = forms[i].k, neg_lo = forms[j].k;
            for (const bounded& f : forms) {
                if (f.x == l) hi = std::min(hi, f.k);
                if (f.x == forms[j].x) neg_lo = std::min(neg_lo, f.k);
            }
            const I lo = checked_neg(neg_lo);
            const I width = checked_add(checked_sub(hi, lo), I(1)); // c, if the window fits one Y
            if (width < 2) continue;
            for (const auto& [k, y] : lin_of(l).terms) {
                if (k != checked_neg(width)) continue;
                const E a = l + E(width) * E(y); // L = A - c*Y
                std::vector<E> rest;
                for (std::size_t m = 0; m < items.size(); ++m) {
                    const E& it = items[m];
                    bool is_pair = false;
                    if (it.kind() == node_kind::lt || it.kind() == node_kind::le) {
                        lin d = lin_of(it.arg(0) - it.arg(1));
                        d.c = I(0);
                        is_pair = !d.terms.empty() && (expr_of(d) == l || expr_of(d) == -l);
                    }
                    if (!is_pair) rest.push_back(it);
                }
                rest.push_back(eq(E(y), floor_div(a - E(lo), E(width))));
                offer(b, combine(rest), depth);
            }
        }
    }
}

} // namespace symshape::detail
