// symshape/range/detail/shorten.hpp — rewrites that hold for every value of the symbols (no facts
// needed) and give an equal expression that prints shorter: simplify()'s second pass, node by
// node from the leaves. The canonical form stays as it is (it is the identity of an expression,
// and the solver's input); these rules only choose, among equal forms, the one a reader gets.
// The search is here; the rules are in shorten_relations.hpp (relations, and, or) and
// shorten_terms.hpp (sums, products, divisions, min, max).
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
//               a min or max side split: min(x, 11) < 10 -> x < 10;
//               a clamp against a constant: max(min(x, 5), 1) == 3 -> x == 3.
//   sums        terms pushed into a min or max, or into a floor division, where they cancel:
//               min(x + y, z) - x -> min(y, z - x), (y - x) // 3 + x -> (2*x + y) // 3;
//               A // c - B // c -> (B % c + A - B) // c;  Y // c + (Y % c + Z) // c -> (Y + Z) // c;
//               -(Y % c) + k -> (-Y - 1) % c + k - c + 1;  min(a, b) + max(a, b) -> a + b;
//               c*(A // c) + B % c -> A when A - B is a multiple of c;  c*(A // c) -> A - A % c;
//               (Y + k) // c -> Y // c + (Y % c + k) // c where Y % c is in the sum;
//               a*((Y // a) % b) + Y % a -> Y % (a*b).
//   products    min(a, b)*max(a, b) -> a*b.
//   divisions   (Y % 2 + 1) // 2 -> Y % 2;  (R + k*(Z % B)) % B -> 0 when R = -k*Z.
//   min / max   common terms and common factors taken out (min(x + y, x + z) -> x + min(y, z),
//               min(8*x, 24) -> 8*min(x, 3)), divisions by one constant merged
//               (min(x // 4, y // 4) -> min(x, y) // 4), a shared argument of the dual taken out
//               (max(min(x, y), min(x, z)) -> min(x, max(y, z))), an inner min of the same kind
//               with an offset opened (min(min(x, y) + 1, x) -> min(x, y + 1)), an outer
//               argument dropped from a nested max of the same kind
//               (max(min(max(x, y), z), y) -> max(y, min(x, z))).
//   and / or    x == k substituted in the other conjuncts (x != k in the other disjuncts);
//               relations of one linear form keep the tightest; Y // c == q opened into
//               c*q <= Y <= c*q + c - 1 with Y % c as Y - c*q (x // 8 == 3 and x % 8 == 4 -> x == 28);
//               lo <= A - c*Y <= lo + c - 1 -> Y == (A - lo) // c.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "symshape/expr/eval.hpp"
#include "symshape/expr/impl/eval.hpp" // (detail::remade: this header is internal to the range layer's definitions)
#include "symshape/expr/expr.hpp"
#include "symshape/expr/print.hpp"
#include "symshape/range/detail/simplify_memos.hpp"

namespace symshape::detail {

/// The expression of l in one node (l's terms sorted and nonzero, as to_linear and
/// linear_combine leave them).
template <Integer I>
basic_expr<I> expr_of_linear(linear<I> l) {
    return basic_expr<I>(from_linear(std::move(l)));
}

/// `a k b` for a relation kind k (eq, ne, lt or le).
template <Integer I>
basic_expr<I> relation_of(node_kind k, const basic_expr<I>& a, const basic_expr<I>& b) {
    switch (k) {
    case node_kind::eq: return eq(a, b);
    case node_kind::ne: return ne(a, b);
    case node_kind::lt: return lt(a, b);
    default: return le(a, b);
    }
}

template <Integer I>
class shortener {
public:
    using E = basic_expr<I>;
    explicit shortener(simplify_memos<I>& memos) : memo_(memos.shortened), shallow_memo_(memos.shortened_shallow), tree_memo_(memos.trees) {}

    /// e with every node, from the leaves up, in the shortest form the rules find.
    E tree(const E& e) {
        if (e.is_constant() || e.is_symbol() || e.kind() == node_kind::bool_const) return e;
        if (const node<I>* const* m = tree_memo_.find(e.node())) return E(*m);
        const node<I>* n = e.node();
        boost::container::small_vector<E, 8> a; // (most nodes have few arguments: no allocation)
        bool same = true;
        for (const node<I>* x : n->args()) {
            a.push_back(tree(E(x)));
            same = same && a.back().node() == x;
        }
        E r = e;
        try {
            // (the node itself when no argument changed: rebuilding it would give it back)
            r = same ? e : remade<I>(n, [&](std::size_t i) -> const E& { return a[i]; });
        } catch (const division_by_zero&) {
            // a divisor shortened to the constant 0 (it is 0 wherever it is defined): e is
            // defined nowhere, and kept as it is
            r = e;
        }
        r = (*this)(r);
        // the whole input is a candidate too: a rebuilt node is not always the shorter one
        if (text_length(e) < text_length(r)) r = e;
        tree_memo_.insert(n, r.node());
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
        // (each depth has its own memo, so a result depends on the node and the depth alone, not
        // on which searches ran before: the memos outlive the call)
        if (const node<I>* const* m = (depth == 0 ? memo_ : shallow_memo_).find(e.node())) return E(*m);
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
        } catch (const division_by_zero&) {
            // a candidate with a divisor that became the constant 0 (a divisor that is 0 wherever
            // it is defined): the best form found so far stands
        }
        (depth == 0 ? memo_ : shallow_memo_).insert(e.node(), b.e.node());
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

    using atom_list = boost::container::small_vector<const node<I>*, 16>;
    // The atoms of l: its terms, and one level into the arguments of a min or max term.
    static void atoms_of(const lin& l, atom_list& out) {
        for (const auto& t : l.terms) {
            out.push_back(t.second);
            if (t.second->kind == node_kind::min || t.second->kind == node_kind::max)
                for (const node<I>* a : t.second->args())
                    for (const auto& u : to_linear(a).terms) out.push_back(u.second);
        }
    }
    // Whether moving `part` into an expression with these atoms and constants can cancel or merge
    // anything: a shared atom, or two constants.
    static bool meets(const lin& part, const atom_list& atoms, bool has_constant) {
        if (part.c != 0 && has_constant) return true;
        for (const auto& t : part.terms)
            if (std::find(atoms.begin(), atoms.end(), t.second) != atoms.end()) return true;
        return false;
    }

    static lin lin_of(const E& e) { return to_linear(e.node()); }
    static E expr_of(lin l) { return expr_of_linear(std::move(l)); }
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
    // ---- the rules (range/detail/shorten_relations.hpp, range/detail/shorten_terms.hpp) ----

    void relation_rules(const E& e, best& b, int depth);
    void linear_forms(node_kind k, lin d, best& b, int depth);
    void one_sided_rules(const E& e, best& b, int depth);
    void split_minmax(node_kind k, const lin& d, best& b, int depth);
    void sum_rules(const E& e, best& b, int depth);
    static std::vector<lin> parts_of(const lin& rest);
    static lin minus(const lin& a, const lin& b) { return linear_combine(a, b, I(-1)); }
    void push_into_minmax(const node<I>* m, const I& s, const lin& rest, best& b, int depth);
    void push_into_division(const node<I>* m, const I& c, const I& s, const lin& rest, best& b, int depth);
    void division_pairs(const lin& l, best& b, int depth);
    void remainder_rules(const lin& l, best& b, int depth);
    void product_rules(const E& e, best& b, int depth);
    void division_rules(const E& e, best& b, int depth);
    void remainder_of_multiple(const E& e, best& b, int depth);
    void minmax_rules(const E& e, best& b, int depth);
    void logic_rules(const E& e, best& b, int depth);

    node_memo<I>& memo_;         // simplify_memos::shortened
    node_memo<I>& shallow_memo_; // simplify_memos::shortened_shallow
    node_memo<I>& tree_memo_;    // simplify_memos::trees
};

} // namespace symshape::detail

#include "symshape/range/detail/shorten_relations.hpp"
#include "symshape/range/detail/shorten_terms.hpp"
