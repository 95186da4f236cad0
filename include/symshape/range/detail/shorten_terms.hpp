// symshape/range/detail/shorten_terms.hpp — shorter forms of sums, products, divisions, min and max.
// Definitions of shortener members (range/detail/shorten.hpp, which includes this file).
#pragma once

namespace symshape::detail {

// ---- sums ----

template <Integer I>
void shortener<I>::sum_rules(const E& e, best& b, int depth) {
    const lin l = lin_of(e);
    for (std::size_t i = 0; i < l.terms.size(); ++i) {
        const auto& [s, m] = l.terms[i];
        I c;
        const bool minmax = m->kind == node_kind::min || m->kind == node_kind::max;
        if ((s != 1 && s != -1) || !(minmax || (m->kind == node_kind::floor_div && const_divisor(m, c)))) continue;
        lin rest = l;
        rest.terms.erase(rest.terms.begin() + static_cast<std::ptrdiff_t>(i));
        if (minmax) push_into_minmax(m, s, rest, b, depth);
        else push_into_division(m, c, s, rest, b, depth);
    }
    division_pairs(l, b, depth);
    // the sum of its terms shortened (a term a rule built, not yet shortened itself)
    {
        bool changed = false;
        boost::container::small_vector<E, 8> terms;
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
template <Integer I>
auto shortener<I>::parts_of(const lin& rest) -> std::vector<lin> {
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

// s*M + R with M = min/max(a_i): s = 1 gives M(a_i + R), s = -1 gives dual(R - a_i).
template <Integer I>
void shortener<I>::push_into_minmax(const node<I>* m, const I& s, const lin& rest, best& b, int depth) {
    const bool is_min = m->kind == node_kind::min;
    atom_list atoms;
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
template <Integer I>
void shortener<I>::push_into_division(const node<I>* m, const I& c, const I& s, const lin& rest, best& b, int depth) {
    const E y(m->args()[0]);
    if (s == -1) offer(b, expr_of(rest) + floor_div(E(c - 1) - y, E(c)), depth); // -(Y // c) alone
    atom_list atoms;
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
template <Integer I>
void shortener<I>::division_pairs(const lin& l, best& b, int depth) {
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
template <Integer I>
void shortener<I>::remainder_rules(const lin& l, best& b, int depth) {
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
        // m*a*((Y // a) % b) + m*(Y % a) -> m*(Y % (a*b)) (the digits of Y in base a, then b)
        if (m->kind == node_kind::mod && const_divisor(m, c) && m->args()[0]->kind == node_kind::floor_div) {
            const node<I>* q = m->args()[0];
            I a;
            if (const_divisor(q, a) && floor_mod(s, a) == 0) {
                const I mult = floor_div(s, a);
                const E y(q->args()[0]);
                const node<I>* low = mod(y, E(a)).node();
                for (std::size_t j = 0; j < l.terms.size(); ++j) {
                    if (l.terms[j].second != low || l.terms[j].first != mult) continue;
                    lin rest = l;
                    rest.terms.erase(rest.terms.begin() + static_cast<std::ptrdiff_t>(std::max(i, j)));
                    rest.terms.erase(rest.terms.begin() + static_cast<std::ptrdiff_t>(std::min(i, j)));
                    offer(b, expr_of(rest) + E(mult) * mod(y, E(checked_mul(a, c))), depth);
                }
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

template <Integer I>
void shortener<I>::product_rules(const E& e, best& b, int depth) {
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
template <Integer I>
void shortener<I>::division_rules(const E& e, best& b, int depth) {
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
template <Integer I>
void shortener<I>::remainder_of_multiple(const E& e, best& b, int depth) {
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

template <Integer I>
void shortener<I>::minmax_rules(const E& e, best& b, int depth) {
    const node<I>* n = e.node();
    const bool is_min = n->kind == node_kind::min;
    auto build = [&](bool as_min, std::vector<E> args) { return as_min ? min(std::move(args)) : max(std::move(args)); };
    std::vector<lin> ls;
    ls.reserve(n->args().size());
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
            args.reserve(ls.size());
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
        // -max(-a, -b) prints shorter than min(a, b) only when negating saves characters: when
        // some argument prints with a leading minus, which needs all its terms negative (the
        // printer puts positive terms first) or a negative constant alone
        bool leading_minus = false;
        for (const lin& l : ls) {
            bool all_negative = l.terms.empty() ? l.c < 0 : true;
            for (const auto& t : l.terms) all_negative = all_negative && t.first < 0;
            leading_minus = leading_minus || all_negative;
        }
        if (g > 0) {
            for (const I& f : {g, checked_neg(g)}) {
                if (f == 1 || (f == -1 && !leading_minus)) continue;
                std::vector<E> args;
                args.reserve(ls.size());
                for (const lin& l : ls) args.push_back(expr_of(divide_exact(l, f)));
                // (a plain negation, -max(-a, -b), is offered as it is: the rules are symmetric
                // under negation, so shortening it again finds what this search finds)
                offer(b, E(f) * build(is_min == (f > 0), std::move(args)), f == -1 ? max_depth - 1 : depth);
            }
        }
    }
    // divisions by one constant: min(x // 4 + 2, y // 4) -> min(x + 8, y) // 4
    {
        I c(0);
        bool ok = true;
        std::vector<E> nums;
        nums.reserve(ls.size());
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
    // an argument y of the outer max needs no place in a max under a min under it:
    // max(y, min(max(x, y), z)) -> max(y, min(x, z)) (where x < y both are y; else the same)
    const node_kind dual = is_min ? node_kind::max : node_kind::min;
    for (std::size_t i = 0; i < n->args().size(); ++i) {
        const node<I>* a = n->args()[i];
        if (a->kind != dual) continue;
        for (std::size_t j = 0; j < a->args().size(); ++j) {
            const node<I>* inner = a->args()[j];
            if (inner->kind != n->kind) continue;
            std::vector<E> kept; // inner's arguments without those of the outer node
            for (const node<I>* x : inner->args()) {
                bool outer = false;
                for (std::size_t k = 0; k < n->args().size(); ++k) outer = outer || (k != i && n->args()[k] == x);
                if (!outer) kept.push_back(E(x));
            }
            if (kept.empty() || kept.size() == inner->args().size()) continue;
            std::vector<E> dual_args;
            for (std::size_t k = 0; k < a->args().size(); ++k)
                dual_args.push_back(k == j ? build(is_min, std::move(kept)) : E(a->args()[k]));
            std::vector<E> args;
            for (std::size_t k = 0; k < n->args().size(); ++k)
                args.push_back(k == i ? build(!is_min, std::move(dual_args)) : E(n->args()[k]));
            offer(b, build(is_min, std::move(args)), depth);
        }
    }
}

} // namespace symshape::detail
