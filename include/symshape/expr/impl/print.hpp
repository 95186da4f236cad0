// symshape/expr/impl/print.hpp — the definitions behind symshape/expr/print.hpp: compiled into
// libsymshape in compiled mode, included by that header in header-only mode. Not for direct
// inclusion.
#pragma once

#include "symshape/expr/print.hpp"

namespace symshape {

namespace detail {

// Precedence levels, loosest first.
enum : int { prec_or = 1, prec_and, prec_not, prec_rel, prec_add, prec_mul, prec_unary, prec_atom };

template <Integer I>
int precedence(const node<I>* n) {
    switch (n->kind) {
    case node_kind::constant: return n->value < 0 ? prec_unary : prec_atom;
    case node_kind::add:
        if (n->args().size() == 1 && n->value == 0) return n->coeffs()[0] < 0 ? (n->coeffs()[0] == -1 ? prec_unary : prec_mul) : prec_mul;
        return prec_add;
    case node_kind::mul:
    case node_kind::floor_div:
    case node_kind::mod: return prec_mul;
    case node_kind::eq:
    case node_kind::ne:
    case node_kind::lt:
    case node_kind::le: return prec_rel;
    case node_kind::not_: return prec_not;
    case node_kind::and_: return prec_and;
    case node_kind::or_: return prec_or;
    default: return prec_atom;
    }
}

template <Integer I>
void print_node(std::string& out, const node<I>* n, int min_prec);

// Decimal text of |k| for k < 0, without computing -k (which does not fit in int64 for INT64_MIN).
template <Integer I>
std::string magnitude_text(const I& k) {
    std::string s = to_string(k);
    return s.substr(1);
}

// Whether -k fits in I (false only for INT64_MIN).
template <Integer I>
bool negatable(const I& k) {
    I r;
    return try_sub(I(0), k, r);
}

// Prints k*m; `digits` is the text of the coefficient (a magnitude, or a literal with its sign).
template <Integer I>
void print_term(std::string& out, const std::string& digits, const node<I>* m) {
    if (digits == "1") {
        print_node(out, m, prec_mul);
        return;
    }
    out += digits;
    out += '*';
    print_node(out, m, m->kind == node_kind::mul ? prec_mul : prec_unary);
}

// Calls f with the index of each term of sum n in the order they are printed: the terms with a
// positive coefficient, then the others, each group in canonical order.
template <Integer I, class F>
void for_each_term_in_print_order(const node<I>* n, F&& f) {
    for (std::size_t i = 0; i < n->args().size(); ++i)
        if (n->coeffs()[i] > 0) f(i);
    for (std::size_t i = 0; i < n->args().size(); ++i)
        if (n->coeffs()[i] < 0) f(i);
}

template <Integer I>
void print_node(std::string& out, const node<I>* n, int min_prec) {
    const bool paren = precedence(n) < min_prec;
    if (paren) out += '(';
    switch (n->kind) {
    case node_kind::constant: out += to_string(n->value); break;
    case node_kind::symbol: out += n->name(); break;
    case node_kind::bool_const: out += n->value != 0 ? "true" : "false"; break;
    case node_kind::add: {
        // The terms with a positive coefficient first (`min(x, y) - x`, not `-x + min(x, y)`),
        // each group in canonical order. A negative coefficient or constant is printed as a
        // subtraction of its magnitude, except INT64_MIN: its magnitude is no int64 literal, so it
        // is added as a negative literal (`x + -9223372036854775808`), which parses back to the
        // same value.
        std::size_t pos = 0;
        for_each_term_in_print_order(n, [&](std::size_t i) {
            const I& k = n->coeffs()[i];
            if (k < 0 && !negatable(k)) {
                if (pos != 0) out += " + ";
                print_term(out, to_string(k), n->args()[i]);
            } else if (k < 0) {
                out += pos == 0 ? "-" : " - ";
                if (k == -1) print_node(out, n->args()[i], pos == 0 ? prec_unary : prec_mul);
                else print_term(out, magnitude_text(k), n->args()[i]);
            } else {
                if (pos != 0) out += " + ";
                print_term(out, to_string(k), n->args()[i]);
            }
            ++pos;
        });
        if (n->value > 0) out += " + " + to_string(n->value);
        else if (n->value < 0 && !negatable(n->value)) out += " + " + to_string(n->value);
        else if (n->value < 0) out += " - " + magnitude_text(n->value);
        break;
    }
    case node_kind::mul:
        for (std::size_t i = 0; i < n->args().size(); ++i)
            for (I e = 0; e < n->coeffs()[i]; ++e) {
                if (i != 0 || e != 0) out += '*';
                print_node(out, n->args()[i], prec_unary);
            }
        break;
    case node_kind::floor_div:
    case node_kind::mod:
        print_node(out, n->args()[0], prec_mul);
        out += n->kind == node_kind::floor_div ? " // " : " % ";
        print_node(out, n->args()[1], prec_unary);
        break;
    case node_kind::min:
    case node_kind::max:
        out += n->kind == node_kind::min ? "min(" : "max(";
        for (std::size_t i = 0; i < n->args().size(); ++i) {
            if (i) out += ", ";
            print_node(out, n->args()[i], 0);
        }
        out += ')';
        break;
    case node_kind::eq:
    case node_kind::ne:
    case node_kind::lt:
    case node_kind::le: {
        static constexpr const char* ops[] = {" == ", " != ", " < ", " <= "};
        // `c < x` reads better as `x > c` (and parses back to the same node).
        if ((n->kind == node_kind::lt || n->kind == node_kind::le) && n->args()[0]->kind == node_kind::constant &&
            n->args()[1]->kind != node_kind::constant) {
            print_node(out, n->args()[1], prec_add);
            out += n->kind == node_kind::lt ? " > " : " >= ";
            print_node(out, n->args()[0], prec_add);
            break;
        }
        print_node(out, n->args()[0], prec_add);
        out += ops[static_cast<int>(n->kind) - static_cast<int>(node_kind::eq)];
        print_node(out, n->args()[1], prec_add);
        break;
    }
    case node_kind::not_:
        out += "not ";
        print_node(out, n->args()[0], prec_rel);
        break;
    case node_kind::and_:
    case node_kind::or_:
        for (std::size_t i = 0; i < n->args().size(); ++i) {
            if (i) out += n->kind == node_kind::and_ ? " and " : " or ";
            print_node(out, n->args()[i], n->kind == node_kind::and_ ? prec_not : prec_and);
        }
        break;
    }
    if (paren) out += ')';
}

// Characters of the decimal text of k, its sign included.
template <Integer I>
std::size_t decimal_length(const I& k) {
    if constexpr (std::is_same_v<I, std::int64_t>) {
        std::uint64_t m = k < 0 ? 0 - static_cast<std::uint64_t>(k) : static_cast<std::uint64_t>(k);
        std::size_t n = k < 0 ? 2 : 1;
        while (m >= 10) {
            m /= 10;
            ++n;
        }
        return n;
    } else {
        return to_string(k).size();
    }
}

// What print_node(out, n, min_prec) appends, spaces not counted (the same cases, in the same order).
template <Integer I>
std::size_t length_node(const node<I>* n, int min_prec);

// print_term's length; `digits` is the length of the coefficient's text, 0 for a coefficient 1.
template <Integer I>
std::size_t length_term(std::size_t digits, const node<I>* m) {
    if (digits == 0) return length_node(m, prec_mul);
    return digits + 1 + length_node(m, m->kind == node_kind::mul ? prec_mul : prec_unary);
}

// The length of n's text without enclosing parentheses (measured once per node).
template <Integer I>
std::size_t length_body(const node<I>* n);

template <Integer I>
std::size_t length_node(const node<I>* n, int min_prec) {
    return (precedence(n) < min_prec ? 2 : 0) + length_body(n);
}

template <Integer I>
std::size_t length_body_uncached(const node<I>* n) {
    std::size_t len = 0;
    switch (n->kind) {
    case node_kind::constant: return decimal_length(n->value);
    case node_kind::symbol: return n->name().size();
    case node_kind::bool_const: return n->value != 0 ? 4 : 5;
    case node_kind::add: {
        std::size_t pos = 0;
        for_each_term_in_print_order(n, [&](std::size_t i) {
            const I& k = n->coeffs()[i];
            if (k < 0 && !negatable(k)) {
                len += (pos != 0 ? 1 : 0) + length_term(decimal_length(k), n->args()[i]);
            } else if (k < 0) {
                len += 1; // '-'
                if (k == -1) len += length_node(n->args()[i], pos == 0 ? prec_unary : prec_mul);
                else len += length_term(decimal_length(k) - 1, n->args()[i]);
            } else {
                len += (pos != 0 ? 1 : 0) + length_term(k == 1 ? 0 : decimal_length(k), n->args()[i]);
            }
            ++pos;
        });
        if (n->value > 0) len += 1 + decimal_length(n->value);
        else if (n->value < 0 && !negatable(n->value)) len += 1 + decimal_length(n->value);
        else if (n->value < 0) len += decimal_length(n->value); // ' - ' and the magnitude
        return len;
    }
    case node_kind::mul: {
        std::size_t factors = 0;
        for (std::size_t i = 0; i < n->args().size(); ++i)
            for (I e = 0; e < n->coeffs()[i]; ++e) {
                len += length_node(n->args()[i], prec_unary);
                ++factors;
            }
        return len + (factors > 0 ? factors - 1 : 0);
    }
    case node_kind::floor_div:
    case node_kind::mod:
        return length_node(n->args()[0], prec_mul) + (n->kind == node_kind::floor_div ? 2 : 1) + length_node(n->args()[1], prec_unary);
    case node_kind::min:
    case node_kind::max:
        len = 5 + (n->args().size() - 1); // "min(" ")" and the commas
        for (const node<I>* a : n->args()) len += length_node(a, 0);
        return len;
    case node_kind::eq:
    case node_kind::ne:
    case node_kind::lt:
    case node_kind::le: {
        // "<" (or ">" when printed flipped) is one character, the others two; a flip keeps the length
        const std::size_t op = n->kind == node_kind::lt ? 1 : 2;
        return length_node(n->args()[0], prec_add) + op + length_node(n->args()[1], prec_add);
    }
    case node_kind::not_: return 3 + length_node(n->args()[0], prec_rel);
    case node_kind::and_:
    case node_kind::or_:
        for (std::size_t i = 0; i < n->args().size(); ++i) {
            if (i) len += n->kind == node_kind::and_ ? 3 : 2;
            len += length_node(n->args()[i], n->kind == node_kind::and_ ? prec_not : prec_and);
        }
        return len;
    }
    return len;
}

template <Integer I>
std::size_t length_body(const node<I>* n) {
    if (n->text_len_ != 0) return n->text_len_ - 1u;
    const std::size_t len = length_body_uncached(n);
    if (len < 0xffff) n->text_len_ = static_cast<std::uint16_t>(len + 1); // (longer texts are measured each time)
    return len;
}

} // namespace detail

template <Integer I>
std::size_t text_length(const basic_expr<I>& e) {
    return detail::length_node(e.node(), 0);
}

template <Integer I>
std::string to_string(const basic_expr<I>& e) {
    std::string out;
    detail::print_node(out, e.node(), 0);
    return out;
}

} // namespace symshape
