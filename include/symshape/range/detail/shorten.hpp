// symshape/range/detail/shorten.hpp — rewrites that hold for every value of the symbols (no facts
// needed) and give an equal expression that prints shorter: the last step of simplify() on each
// node. The canonical form stays as it is (it is the identity of an expression, and the solver's
// input); these rules only choose, among equal forms, the one a reader gets.
//
// Each rule offers candidates; the shortest text (spaces not counted, as `symcalc --check`
// measures) wins, and the input is kept on a tie. The families, each with its table case in
// tests/test_simplify_rules.cpp:
//   relations   d OP 0 normalised (common terms cancelled, coefficients divided by their gcd,
//               `<` and `<=` exchanged with the constant) and the terms put on the side where
//               they are positive: x - 1 < y -> x <= y, x - y < x - z -> z < y;
//               Y // c OP k -> Y OP' k': x // 2 < 3 -> x < 6;
//               c*(Y // c) -> Y - Y % c in a relation: (x // 4)*4 < x -> x % 4 > 0;
//               (Y + a) % c == k -> Y % c == (k - a) mod c;
//               a min or max side split: min(x, 11) < 10 -> x < 10.
//   sums        terms pushed into a min or max, or into a floor division, where they cancel:
//               min(x + y, z) - x -> min(y, z - x), (y - x) // 3 + x -> (2*x + y) // 3;
//               A // c - B // c -> (B % c + A - B) // c;  Y // c + (Y % c + Z) // c -> (Y + Z) // c;
//               -(Y % c) + k -> (-Y - 1) % c + k - c + 1;  min(a, b) + max(a, b) -> a + b;
//               c*(A // c) + B % c -> A when A - B is a multiple of c.
//   products    min(a, b)*max(a, b) -> a*b.
//   divisions   (Y % 2 + 1) // 2 -> Y % 2.
//   min / max   common terms and common factors taken out (min(x + y, x + z) -> x + min(y, z),
//               min(8*x, 24) -> 8*min(x, 3)), divisions by one constant merged
//               (min(x // 4, y // 4) -> min(x, y) // 4), a shared argument of the dual taken out
//               (max(min(x, y), min(x, z)) -> min(x, max(y, z))), an inner min of the same kind
//               with an offset opened (min(min(x, y) + 1, x) -> min(x, y + 1)).
//   and / or    x == k substituted in the other conjuncts (x != k in the other disjuncts);
//               relations of one linear form keep the tightest; Y // c == q and Y % c == r ->
//               Y == c*q + r.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "symshape/expr/eval.hpp"
#include "symshape/expr/expr.hpp"
#include "symshape/expr/print.hpp"

namespace symshape::detail {

template <Integer I>
class shortener {
public:
    using E = basic_expr<I>;

    /// e with every node, from the leaves up, in the shortest form the rules find.
    E tree(const E& e) {
        if (e.is_constant() || e.is_symbol() || e.kind() == node_kind::bool_const) return e;
        if (auto it = tree_memo_.find(e.node()); it != tree_memo_.end()) return it->second;
        const node<I>* n = e.node();
        std::vector<E> a;
        for (const node<I>* x : n->args()) a.push_back(tree(E(x)));
        E r;
        switch (n->kind) {
        case node_kind::add:
            r = E(n->value);
            for (std::size_t i = 0; i < a.size(); ++i) r = r + E(n->coeffs()[i]) * a[i];
            break;
        case node_kind::mul:
            r = E(I(1));
            for (std::size_t i = 0; i < a.size(); ++i)
                for (I p = 0; p < n->coeffs()[i]; ++p) r = r * a[i];
            break;
        case node_kind::floor_div: r = floor_div(a[0], a[1]); break;
        case node_kind::mod: r = mod(a[0], a[1]); break;
        case node_kind::min: r = min(std::move(a)); break;
        case node_kind::max: r = max(std::move(a)); break;
        case node_kind::eq:
        case node_kind::ne:
        case node_kind::lt:
        case node_kind::le: r = rel(n->kind, a[0], a[1]); break;
        case node_kind::not_: r = logical_not(a[0]); break;
        case node_kind::and_:
        case node_kind::or_:
            r = E::bool_constant(n->kind == node_kind::and_);
            for (const E& x : a) r = n->kind == node_kind::and_ ? logical_and(r, x) : logical_or(r, x);
            break;
        default: r = e; break;
        }
        r = (*this)(r);
        // the whole input is a candidate too: a rebuilt node is not always the shorter one
        if (text_length(e) < text_length(r)) r = e;
        tree_memo_.emplace(n, r);
        return r;
    }

    /// The shortest equal form of e that the rules find (e itself when none is shorter).
    E operator()(const E& e) {
        // again on a changed result, which may open a further rule (a few rounds at most)
        E r = shorten(e, 0);
        for (int round = 0; round < 3; ++round) {
            E again = shorten(r, 0);
            if (again == r) break;
            r = again;
        }
        return r;
    }

private:
    using lin = linear<I>;
    static constexpr int max_depth = 2; // candidates are shortened again, this many levels deep

    struct best {
        E e;
        std::size_t size;
    };

    E shorten(const E& e, int depth) {
        if (e.is_constant() || e.is_symbol() || e.kind() == node_kind::bool_const) return e;
        if ((e.kind() == node_kind::add || e.kind() == node_kind::mul) && !has_rule_atom(e.node())) return e;
        if (auto it = memo_.find(e.node()); it != memo_.end()) return it->second;
        best b{e, text_length(e)};
        try {
            switch (e.kind()) {
            case node_kind::eq:
            case node_kind::ne:
            case node_kind::lt:
            case node_kind::le: relation_rules(e, b, depth); break;
            case node_kind::add: sum_rules(e, b, depth); break;
            case node_kind::mul: product_rules(e, b, depth); break;
            case node_kind::floor_div: division_rules(e, b, depth); break;
            case node_kind::mod: remainder_of_multiple(e, b, depth); break;
            case node_kind::min:
            case node_kind::max: minmax_rules(e, b, depth); break;
            case node_kind::and_:
            case node_kind::or_: logic_rules(e, b, depth); break;
            default: break;
            }
        } catch (const overflow_error&) {
            // a candidate whose constants leave int64: the best form found so far stands
        }
        if (depth == 0) memo_.emplace(e.node(), b.e);
        return b.e;
    }

    void offer(best& b, const E& cand, int depth) {
        if (cand == b.e) return;
        std::size_t s = text_length(cand);
        // a candidate far longer than the best is not shortened further (the rules shorten by a
        // few characters each; this bounds the work on large sums)
        if (depth + 1 < max_depth && s < b.size + slack) {
            E c = shorten(cand, depth + 1);
            if (c != cand) {
                s = text_length(c);
                if (s < b.size) b = best{c, s};
                return;
            }
        }
        if (s < b.size) b = best{cand, s};
    }
    static constexpr std::size_t slack = 8;

    // The atoms of l: its terms, and one level into the arguments of a min or max term.
    static void atoms_of(const lin& l, std::vector<const node<I>*>& out) {
        for (const auto& t : l.terms) {
            out.push_back(t.second);
            if (t.second->kind == node_kind::min || t.second->kind == node_kind::max)
                for (const node<I>* a : t.second->args())
                    for (const auto& u : to_linear(a).terms) out.push_back(u.second);
        }
    }
    // Whether moving `part` into an expression with these atoms and constants can cancel or merge
    // anything: a shared atom, or two constants.
    static bool meets(const lin& part, const std::vector<const node<I>*>& atoms, bool has_constant) {
        if (part.c != 0 && has_constant) return true;
        for (const auto& t : part.terms)
            if (std::find(atoms.begin(), atoms.end(), t.second) != atoms.end()) return true;
        return false;
    }

    static lin lin_of(const E& e) { return to_linear(e.node()); }
    // (one node: l's terms are sorted and nonzero, as to_linear and linear_combine leave them)
    static E expr_of(lin l) { return E(from_linear(std::move(l))); }
    // Whether a sum or product has a term the sum and product rules work on (a polynomial in
    // symbols is already as short as its canonical form).
    static bool has_rule_atom(const node<I>* n) {
        for (const node<I>* a : n->args())
            if (a->kind == node_kind::min || a->kind == node_kind::max || a->kind == node_kind::floor_div || a->kind == node_kind::mod)
                return true;
        return false;
    }
    static bool const_divisor(const node<I>* n, I& c) {
        if (n->args()[1]->kind != node_kind::constant || n->args()[1]->value <= 0) return false;
        c = n->args()[1]->value;
        return true;
    }
    static E rel(node_kind k, const E& a, const E& b) {
        switch (k) {
        case node_kind::eq: return eq(a, b);
        case node_kind::ne: return ne(a, b);
        case node_kind::lt: return lt(a, b);
        default: return le(a, b);
        }
    }

    // ---- relations ----

    void relation_rules(const E& e, best& b, int depth) {
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
            if (r.terms.empty()) offer(b, rel(k, replaced, E(0)), depth);
            else linear_forms(k, r, b, depth);
        }
        one_sided_rules(e, b, depth);
        split_minmax(k, d, b, depth);
    }

    // d OP 0 as `P OP' N (+ constant on either side)` with the terms of d cancelled, divided by
    // their gcd, and each on the side where its coefficient is positive.
    void linear_forms(node_kind k, lin d, best& b, int depth) {
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
            offer(b, rel(k, p + E(c), n), depth);
            offer(b, rel(k, p, n - E(c)), depth);
            return;
        }
        // (on a tie the first wins: the constant on the right reads best)
        offer(b, le(p, n - E(c)), depth);
        offer(b, lt(p, n - E(c) + E(1)), depth);
        offer(b, le(p + E(c), n), depth);
        offer(b, lt(p + E(c) - E(1), n), depth);
    }

    // A relation with a constant side: Y // c OP k, and (Y + a) % c == k.
    void one_sided_rules(const E& e, best& b, int depth) {
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
                offer(b, rel(k, mod(expr_of(y), E(c)), E(shifted)), depth);
            }
        }
    }

    // min(a, b) < R  <=>  a < R or b < R (and the other three shapes): d = s*M + R OP 0.
    void split_minmax(node_kind k, const lin& d, best& b, int depth) {
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
                E piece = s == 1 ? rel(k, E(a), -r) : rel(k, r, E(a));
                piece = shorten(piece, max_depth - 1);
                acc = any ? logical_or(acc, piece) : logical_and(acc, piece);
            }
            offer(b, acc, depth);
        }
    }

    // ---- sums ----

    void sum_rules(const E& e, best& b, int depth) {
        const lin l = lin_of(e);
        for (std::size_t i = 0; i < l.terms.size(); ++i) {
            const auto& [s, m] = l.terms[i];
            lin rest = l;
            rest.terms.erase(rest.terms.begin() + static_cast<std::ptrdiff_t>(i));
            if ((m->kind == node_kind::min || m->kind == node_kind::max) && (s == 1 || s == -1)) push_into_minmax(m, s, rest, b, depth);
            I c;
            if (m->kind == node_kind::floor_div && const_divisor(m, c) && (s == 1 || s == -1)) push_into_division(m, c, s, rest, b, depth);
        }
        division_pairs(l, b, depth);
        // the sum of its terms shortened (a term a rule built, not yet shortened itself)
        {
            bool changed = false;
            std::vector<E> terms;
            for (const auto& t : l.terms) {
                terms.push_back(shorten(E(t.second), max_depth - 1));
                changed = changed || terms.back().node() != t.second;
            }
            if (changed) {
                E r(l.c);
                for (std::size_t i = 0; i < terms.size(); ++i) r = r + E(l.terms[i].first) * terms[i];
                offer(b, r, depth);
            }
        }
        remainder_rules(l, b, depth);
    }

    // The parts of `rest` one could move into another term: all of it, its constant, each term.
    static std::vector<lin> parts_of(const lin& rest) {
        std::vector<lin> parts;
        if (rest.terms.empty() && rest.c == 0) return parts;
        parts.push_back(rest);
        if (rest.c != 0 && !rest.terms.empty()) {
            lin c;
            c.c = rest.c;
            parts.push_back(c);
        }
        if (rest.terms.size() > 1 || (rest.terms.size() == 1 && rest.c != 0))
            for (const auto& t : rest.terms) {
                lin one;
                one.terms.push_back(t);
                parts.push_back(one);
            }
        return parts;
    }
    static lin minus(const lin& a, const lin& b) { return linear_combine(a, b, I(-1)); }

    // s*M + R with M = min/max(a_i): s = 1 gives M(a_i + R), s = -1 gives dual(R - a_i).
    void push_into_minmax(const node<I>* m, const I& s, const lin& rest, best& b, int depth) {
        const bool is_min = m->kind == node_kind::min;
        std::vector<const node<I>*> atoms;
        bool has_constant = false;
        for (const node<I>* a : m->args()) {
            const lin la = to_linear(a);
            atoms_of(la, atoms);
            has_constant = has_constant || la.c != 0 || la.terms.empty();
        }
        for (const lin& part : parts_of(rest)) {
            if (!meets(part, atoms, has_constant)) continue;
            const E moved = expr_of(part), kept = expr_of(minus(rest, part));
            std::vector<E> args;
            for (const node<I>* a : m->args()) args.push_back(s == 1 ? E(a) + moved : moved - E(a));
            const bool as_min = is_min == (s == 1);
            offer(b, kept + (as_min ? min(std::move(args)) : max(std::move(args))), depth);
        }
    }

    // Y // c + R -> (Y + c*R) // c;  R - Y // c -> (c*R - Y + c - 1) // c.
    void push_into_division(const node<I>* m, const I& c, const I& s, const lin& rest, best& b, int depth) {
        const E y(m->args()[0]);
        if (s == -1) offer(b, expr_of(rest) + floor_div(E(c - 1) - y, E(c)), depth); // -(Y // c) alone
        std::vector<const node<I>*> atoms;
        const lin ly = lin_of(y);
        atoms_of(ly, atoms);
        for (const lin& part : parts_of(rest)) {
            if (!meets(part, atoms, ly.c != 0)) continue;
            const E moved = expr_of(part), kept = expr_of(minus(rest, part));
            E num = s == 1 ? y + E(c) * moved : E(c) * moved - y + E(c - 1);
            num = shorten(num, max_depth - 1);
            offer(b, kept + floor_div(num, E(c)), depth);
        }
    }

    // A // c - B // c -> (B % c + A - B) // c or (A - B - A % c + c - 1) // c;
    // Y // c + (Y % c + Z) // c -> (Y + Z) // c.
    void division_pairs(const lin& l, best& b, int depth) {
        for (std::size_t i = 0; i < l.terms.size(); ++i) {
            const auto& [si, mi] = l.terms[i];
            I c;
            if (mi->kind != node_kind::floor_div || !const_divisor(mi, c)) continue;
            for (std::size_t j = 0; j < l.terms.size(); ++j) {
                const auto& [sj, mj] = l.terms[j];
                I cj;
                if (i == j || mj->kind != node_kind::floor_div || !const_divisor(mj, cj) || cj != c) continue;
                lin rest = l;
                rest.terms.erase(rest.terms.begin() + static_cast<std::ptrdiff_t>(std::max(i, j)));
                rest.terms.erase(rest.terms.begin() + static_cast<std::ptrdiff_t>(std::min(i, j)));
                const E r = expr_of(rest), a(mi->args()[0]), bb(mj->args()[0]), cc(c);
                if (si == 1 && sj == -1) { // A // c - B // c
                    offer(b, r + floor_div(mod(bb, cc) + a - bb, cc), depth);
                    offer(b, r + floor_div(a - bb - mod(a, cc) + E(c - 1), cc), depth);
                }
                if (si == 1 && sj == 1 && i < j) { // Y // c + (Y % c + Z) // c, either way round
                    for (int w = 0; w < 2; ++w) {
                        const E y = w == 0 ? a : bb, z = w == 0 ? bb : a;
                        const lin lz = lin_of(z);
                        for (const auto& [kz, mz] : lz.terms) {
                            if (kz != 1 || mz != mod(y, cc).node()) continue;
                            offer(b, r + floor_div(y + z - mod(y, cc), cc), depth);
                        }
                    }
                }
            }
        }
    }

    // -(Y % c) + k -> (-Y - 1) % c + (k - c + 1);  k*(A // c) + (k/c)*(B % c) -> (k/c)*A when
    // A - B is a multiple of c;  min(a, b) + max(a, b) -> a + b.
    void remainder_rules(const lin& l, best& b, int depth) {
        for (std::size_t i = 0; i < l.terms.size(); ++i) {
            const auto& [s, m] = l.terms[i];
            I c;
            if (m->kind == node_kind::mod && const_divisor(m, c) && s == -1) {
                lin rest = l;
                rest.terms.erase(rest.terms.begin() + static_cast<std::ptrdiff_t>(i));
                const E y(m->args()[0]);
                offer(b, expr_of(rest) + mod(-y - E(1), E(c)) - E(c - 1), depth);
            }
            if (m->kind == node_kind::floor_div && const_divisor(m, c)) {
                const E a(m->args()[0]);
                lin rest = l;
                rest.terms.erase(rest.terms.begin() + static_cast<std::ptrdiff_t>(i));
                // (Y + k) // c is Y // c + (Y % c + k) // c: with Y % c in the sum,
                // (x + 1) // 2 - x % 2 -> x // 2
                lin ya = lin_of(a);
                if (ya.c != 0) {
                    const I k = ya.c;
                    ya.c = I(0);
                    const E y = expr_of(ya);
                    const node<I>* ym = mod(y, E(c)).node();
                    bool present = false;
                    for (const auto& t : rest.terms) present = present || t.second == ym;
                    if (present) {
                        const E split = floor_div(y, E(c)) + shorten(floor_div(E(ym) + E(k), E(c)), max_depth - 1);
                        offer(b, expr_of(rest) + E(s) * split, depth);
                    }
                }
                // c*(A // c) is A - A % c: y - ((y + z) // 5)*5 -> (y + z) % 5 - z
                if (floor_mod(s, c) == 0) offer(b, expr_of(rest) + E(floor_div(s, c)) * (a - mod(a, E(c))), depth);
            }
            if (m->kind == node_kind::floor_div && const_divisor(m, c) && floor_mod(s, c) == 0) {
                const I q = floor_div(s, c);
                const E a(m->args()[0]);
                for (std::size_t j = 0; j < l.terms.size(); ++j) {
                    const auto& [sj, mj] = l.terms[j];
                    I cj;
                    if (mj->kind != node_kind::mod || !const_divisor(mj, cj) || cj != c || sj != q) continue;
                    const lin diff = lin_of(a - E(mj->args()[0]));
                    bool multiple = floor_mod(diff.c, c) == 0;
                    for (const auto& t : diff.terms) multiple = multiple && floor_mod(t.first, c) == 0;
                    if (!multiple) continue;
                    lin rest = l;
                    rest.terms.erase(rest.terms.begin() + static_cast<std::ptrdiff_t>(std::max(i, j)));
                    rest.terms.erase(rest.terms.begin() + static_cast<std::ptrdiff_t>(std::min(i, j)));
                    offer(b, expr_of(rest) + E(q) * a, depth);
                }
            }
            if (m->kind == node_kind::min && m->args().size() == 2) {
                for (std::size_t j = 0; j < l.terms.size(); ++j) {
                    const auto& [sj, mj] = l.terms[j];
                    if (mj->kind != node_kind::max || sj != s || mj->args().size() != 2 || mj->args()[0] != m->args()[0] ||
                        mj->args()[1] != m->args()[1])
                        continue;
                    lin rest = l;
                    rest.terms.erase(rest.terms.begin() + static_cast<std::ptrdiff_t>(std::max(i, j)));
                    rest.terms.erase(rest.terms.begin() + static_cast<std::ptrdiff_t>(std::min(i, j)));
                    offer(b, expr_of(rest) + E(s) * (E(m->args()[0]) + E(m->args()[1])), depth);
                }
            }
        }
    }

    // ---- products and divisions ----

    void product_rules(const E& e, best& b, int depth) {
        const node<I>* n = e.node();
        for (std::size_t i = 0; i < n->args().size(); ++i) {
            const node<I>* a = n->args()[i];
            if (a->kind != node_kind::min || a->args().size() != 2 || n->coeffs()[i] != 1) continue;
            for (std::size_t j = 0; j < n->args().size(); ++j) {
                const node<I>* m = n->args()[j];
                if (m->kind != node_kind::max || n->coeffs()[j] != 1 || m->args()[0] != a->args()[0] || m->args()[1] != a->args()[1])
                    continue;
                E r(I(1));
                for (std::size_t f = 0; f < n->args().size(); ++f)
                    if (f != i && f != j)
                        for (I p = 0; p < n->coeffs()[f]; ++p) r = r * E(n->args()[f]);
                offer(b, r * E(a->args()[0]) * E(a->args()[1]), depth);
            }
        }
    }

    // (Y % 2 + 1) // 2 -> Y % 2: Y % 2 is 0 or 1.
    void division_rules(const E& e, best& b, int depth) {
        I c;
        if (!const_divisor(e.node(), c) || c != 2) return;
        const lin y = lin_of(e.arg(0));
        if (y.terms.size() != 1 || y.c != 1 || y.terms[0].first != 1) return;
        const node<I>* m = y.terms[0].second;
        I cm;
        if (m->kind == node_kind::mod && const_divisor(m, cm) && cm == 2) offer(b, E(m), depth);
    }

    // (R + k*(Z % W)) % B is 0 when R = -k*Z and W = B or -B: R + k*(Z % W) = -k*W*(Z // W), a
    // multiple of B ((x - x % y) % y -> 0).
    void remainder_of_multiple(const E& e, best& b, int depth) {
        const E divisor = e.arg(1);
        const lin a = lin_of(e.arg(0));
        for (std::size_t i = 0; i < a.terms.size(); ++i) {
            const auto& [k, m] = a.terms[i];
            if (m->kind != node_kind::mod) continue;
            const E w(m->args()[1]);
            if (w != divisor && w != -divisor) continue;
            lin rest = a;
            rest.terms.erase(rest.terms.begin() + static_cast<std::ptrdiff_t>(i));
            if (expr_of(rest) + E(k) * E(m->args()[0]) == E(0)) offer(b, E(0), depth);
        }
    }

    // ---- min and max ----

    void minmax_rules(const E& e, best& b, int depth) {
        const node<I>* n = e.node();
        const bool is_min = n->kind == node_kind::min;
        auto build = [&](bool as_min, std::vector<E> args) { return as_min ? min(std::move(args)) : max(std::move(args)); };
        std::vector<lin> ls;
        for (const node<I>* a : n->args()) ls.push_back(to_linear(a));
        // common terms: min(x + y, x + z) -> x + min(y, z)
        {
            lin common;
            for (const auto& t : ls[0].terms) {
                bool everywhere = true;
                for (std::size_t i = 1; i < ls.size() && everywhere; ++i)
                    everywhere = std::find(ls[i].terms.begin(), ls[i].terms.end(), t) != ls[i].terms.end();
                if (everywhere) common.terms.push_back(t);
            }
            if (!common.terms.empty()) {
                std::vector<E> args;
                for (const lin& l : ls) args.push_back(expr_of(minus(l, common)));
                offer(b, expr_of(common) + shorten(build(is_min, std::move(args)), max_depth - 1), depth);
            }
        }
        // common factor: min(8*x, 24) -> 8*min(x, 3); min(-2*x, -4) -> -2*max(x, 2)
        {
            I g(0);
            for (const lin& l : ls) {
                g = gcd(g, l.c);
                for (const auto& t : l.terms) g = gcd(g, t.first);
            }
            if (g > 0) {
                for (const I& f : {g, checked_neg(g)}) {
                    if (f == 1) continue;
                    std::vector<E> args;
                    for (const lin& l : ls) args.push_back(expr_of(divide_exact(l, f)));
                    offer(b, E(f) * build(is_min == (f > 0), std::move(args)), depth);
                }
            }
        }
        // divisions by one constant: min(x // 4 + 2, y // 4) -> min(x + 8, y) // 4
        {
            I c(0);
            bool ok = true;
            std::vector<E> nums;
            for (const lin& l : ls) {
                if (l.terms.size() != 1 || l.terms[0].first != 1 || l.terms[0].second->kind != node_kind::floor_div) {
                    ok = false;
                    break;
                }
                I ci;
                const node<I>* dv = l.terms[0].second;
                if (!const_divisor(dv, ci) || (c != 0 && ci != c)) {
                    ok = false;
                    break;
                }
                c = ci;
                nums.push_back(E(dv->args()[0]) + E(checked_mul(ci, l.c)));
            }
            if (ok && c != 0) offer(b, floor_div(shorten(build(is_min, std::move(nums)), max_depth - 1), E(c)), depth);
        }
        // a shared argument of the dual: max(min(x, y), min(x, z)) -> min(x, max(y, z)), also
        // when an offset opens one: min(max(x, 3), max(y, -1) + 4) -> max(min(x, y + 4), 3)
        {
            const node_kind dual = is_min ? node_kind::max : node_kind::min;
            std::vector<std::vector<E>> opened; // the arguments of each dual argument
            std::vector<E> plain;               // the other arguments, kept as they are
            for (std::size_t i = 0; i < ls.size(); ++i) {
                const lin& l = ls[i];
                if (l.terms.size() != 1 || l.terms[0].first != 1 || l.terms[0].second->kind != dual) {
                    plain.push_back(E(n->args()[i]));
                    continue;
                }
                std::vector<E> inner;
                for (const node<I>* a : l.terms[0].second->args()) inner.push_back(E(a) + E(l.c));
                opened.push_back(std::move(inner));
            }
            if (opened.size() >= 2) {
                for (const E& x : opened[0]) {
                    bool shared = true;
                    for (const auto& args : opened) shared = shared && std::find(args.begin(), args.end(), x) != args.end();
                    if (!shared) continue;
                    std::vector<E> outer;
                    bool empty_rest = false;
                    for (const auto& args : opened) {
                        std::vector<E> rest;
                        for (const E& y : args)
                            if (y != x) rest.push_back(y);
                        if (rest.empty()) empty_rest = true;
                        else outer.push_back(build(!is_min, std::move(rest)));
                    }
                    if (empty_rest) continue;
                    std::vector<E> args = plain;
                    args.push_back(build(!is_min, {x, shorten(build(is_min, std::move(outer)), max_depth - 1)}));
                    offer(b, build(is_min, std::move(args)), depth);
                }
            }
        }
        // an inner min of the same kind with an offset opened: min(min(x, y) + 1, x) -> min(x, y + 1)
        for (std::size_t i = 0; i < ls.size(); ++i) {
            for (const auto& [k, m] : ls[i].terms) {
                if (k != 1 || m->kind != n->kind) continue;
                lin off = ls[i];
                off.terms.erase(std::find(off.terms.begin(), off.terms.end(), std::make_pair(k, m)));
                const E r = expr_of(off);
                std::vector<E> args;
                for (std::size_t j = 0; j < ls.size(); ++j)
                    if (j != i) args.push_back(E(n->args()[j]));
                for (const node<I>* a : m->args()) args.push_back(E(a) + r);
                offer(b, build(is_min, std::move(args)), depth);
            }
        }
    }

    // ---- and / or ----

    void logic_rules(const E& e, best& b, int depth) {
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
        // Y // c == q and Y % c == r -> Y == c*q + r
        if (is_and) {
            for (std::size_t i = 0; i < items.size(); ++i) {
                const E& di = items[i];
                I c;
                if (di.kind() != node_kind::eq || !di.arg(1).is_constant() || di.arg(0).kind() != node_kind::floor_div ||
                    !const_divisor(di.arg(0).node(), c))
                    continue;
                const E y = di.arg(0).arg(0);
                for (std::size_t j = 0; j < items.size(); ++j) {
                    const E& mj = items[j];
                    if (mj.kind() != node_kind::eq || !mj.arg(1).is_constant() || mj.arg(0) != mod(y, E(c))) continue;
                    std::vector<E> out{eq(y, E(c) * di.arg(1) + mj.arg(1))};
                    for (std::size_t k = 0; k < items.size(); ++k)
                        if (k != i && k != j) out.push_back(items[k]);
                    offer(b, combine(out), depth);
                }
            }
        }
        // Y // c == q in a conjunction: c*q <= Y <= c*q + c - 1, and Y % c is Y - c*q in the other
        // relations (x // 10 == 5 and x % 10 < 7 -> x >= 50 and x < 57)
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
                    out.push_back(rel(k, replaced, E(0)));
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
    }

    std::unordered_map<const node<I>*, E> memo_;      // results of the full search (depth 0)
    std::unordered_map<const node<I>*, E> tree_memo_; // results of tree()
};

} // namespace symshape::detail
