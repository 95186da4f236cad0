// Test helpers: seeded random expression text, a reference evaluator of syntax trees that
// bypasses canonicalisation, and the property-test scale (SYMSHAPE_PROPERTY_SCALE, default 1).
#pragma once

#include <cstdint>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <string>

#include "symshape/expr.hpp"

namespace test_support {

/// Multiplier of property-test iteration counts (SYMSHAPE_PROPERTY_SCALE=10 for a long run).
inline int property_scale() {
    const char* s = std::getenv("SYMSHAPE_PROPERTY_SCALE");
    int v = s ? std::atoi(s) : 1;
    return v > 0 ? v : 1;
}

/// Random integer-expression text over the given symbols.
class expr_generator {
public:
    explicit expr_generator(std::uint64_t seed, std::vector<std::string> symbols = {"a", "b", "c"})
        : rng_(seed), syms_(std::move(symbols)) {}

    /// From now on, a third of the integer literals lie within 40 of INT64_MIN or INT64_MAX (or
    /// are half of either), so that printing, parsing and normalisation meet the ends of int64.
    void use_int64_ends(bool on = true) { ends_ = on; }

    std::string literal() {
        if (ends_ && rng_() % 3 == 0) {
            const std::int64_t lo = std::numeric_limits<std::int64_t>::min(), hi = std::numeric_limits<std::int64_t>::max();
            const std::int64_t off = static_cast<std::int64_t>(rng_() % 41);
            switch (rng_() % 4) {
            case 0: return std::to_string(lo + off);
            case 1: return std::to_string(hi - off);
            case 2: return std::to_string(lo / 2 + off - 20);
            default: return std::to_string(hi / 2 + off - 20);
            }
        }
        return std::to_string(static_cast<int>(rng_() % 13) - 6);
    }

    std::string integer(int depth) {
        int pick = depth <= 0 ? static_cast<int>(rng_() % 2) : static_cast<int>(rng_() % 11);
        switch (pick) {
        case 0: return literal();
        case 1: return syms_[rng_() % syms_.size()];
        case 2: return "(" + integer(depth - 1) + " + " + integer(depth - 1) + ")";
        case 3: return "(" + integer(depth - 1) + " - " + integer(depth - 1) + ")";
        case 4: return "(" + integer(depth - 1) + " * " + integer(depth - 1) + ")";
        case 5: return "(" + integer(depth - 1) + " // " + divisor(depth - 1) + ")";
        case 6: return "(" + integer(depth - 1) + " % " + divisor(depth - 1) + ")";
        case 7: return "min(" + integer(depth - 1) + ", " + integer(depth - 1) + ")";
        case 8: return "max(" + integer(depth - 1) + ", " + integer(depth - 1) + ")";
        case 9: return "-" + integer(depth - 1);
        default: return "(" + std::to_string(static_cast<int>(rng_() % 9) - 4) + " * " + integer(depth - 1) + ")";
        }
    }

    std::string boolean(int depth) {
        static const char* rel[] = {" < ", " <= ", " == ", " != ", " > ", " >= "};
        int pick = depth <= 0 ? 0 : static_cast<int>(rng_() % 6);
        switch (pick) {
        case 0:
        case 1:
        case 2: return integer(depth) + rel[rng_() % 6] + integer(depth);
        case 3: return "(" + boolean(depth - 1) + " and " + boolean(depth - 1) + ")";
        case 4: return "(" + boolean(depth - 1) + " or " + boolean(depth - 1) + ")";
        default: return "not (" + boolean(depth - 1) + ")";
        }
    }

    std::mt19937_64& rng() { return rng_; }

private:
    std::string divisor(int depth) {
        int pick = static_cast<int>(rng_() % 4);
        if (pick == 0) {
            int c = static_cast<int>(rng_() % 9) - 4;
            return std::to_string(c == 0 ? 3 : c);
        }
        if (pick == 1) return std::to_string(static_cast<int>(rng_() % 8) + 1);
        return integer(depth);
    }

    std::mt19937_64 rng_;
    std::vector<std::string> syms_;
    bool ends_ = false;
};

/// Parses generated text; nullopt when constant folding produced a literal zero divisor
/// (`x // (2 - 2)`), which the generator cannot rule out.
template <symshape::Integer I>
std::optional<symshape::basic_expr<I>> parse_generated(const std::string& text) {
    try {
        return symshape::parse<I>(text);
    } catch (const symshape::parse_error&) {
        return std::nullopt;
    }
}

/// Evaluates a syntax tree directly (no canonical form): the reference for property tests.
/// nullopt where a divisor is zero (outside the domain).
template <symshape::Integer I>
std::optional<I> reference_eval(const symshape::syntax_tree& t, const std::map<std::string, I>& env) {
    using op = symshape::syntax_tree::op;
    auto kid = [&](std::size_t i) { return reference_eval<I>(t.kids[i], env); };
    switch (t.kind) {
    case op::integer: return symshape::parse_integer<I>(t.text);
    case op::name: return env.at(t.text);
    case op::boolean: return I(t.text == "true" ? 1 : 0);
    case op::neg: {
        auto a = kid(0);
        if (!a) return std::nullopt;
        return symshape::checked_neg(*a);
    }
    case op::min:
    case op::max: {
        std::optional<I> r;
        for (std::size_t i = 0; i < t.kids.size(); ++i) {
            auto v = kid(i);
            if (!v) return std::nullopt;
            if (!r || (t.kind == op::min ? *v < *r : *v > *r)) r = v;
        }
        return r;
    }
    case op::not_: {
        auto a = kid(0);
        if (!a) return std::nullopt;
        return I(*a == 0 ? 1 : 0);
    }
    default: break;
    }
    auto a = kid(0), b = kid(1);
    if (!a || !b) return std::nullopt;
    switch (t.kind) {
    case op::add: return symshape::checked_add(*a, *b);
    case op::sub: return symshape::checked_sub(*a, *b);
    case op::mul: return symshape::checked_mul(*a, *b);
    case op::floor_div:
        if (*b == 0) return std::nullopt;
        return symshape::floor_div(*a, *b);
    case op::mod:
        if (*b == 0) return std::nullopt;
        return symshape::floor_mod(*a, *b);
    case op::lt: return I(*a < *b);
    case op::le: return I(*a <= *b);
    case op::gt: return I(*a > *b);
    case op::ge: return I(*a >= *b);
    case op::eq: return I(*a == *b);
    case op::ne: return I(*a != *b);
    case op::and_: return I(*a != 0 && *b != 0);
    case op::or_: return I(*a != 0 || *b != 0);
    default: break;
    }
    throw std::logic_error("reference_eval: unhandled node");
}

/// Evaluates a canonical expression; nullopt at a zero divisor.
template <symshape::Integer I>
std::optional<I> eval_canonical(const symshape::basic_expr<I>& e, const std::map<std::string, I>& env) {
    symshape::valuation<I> v;
    for (const auto& [k, x] : env) v.set(k, x);
    try {
        if (e.is_bool()) return I(symshape::evaluate_bool(e, v) ? 1 : 0);
        return symshape::evaluate(e, v);
    } catch (const symshape::division_by_zero&) {
        return std::nullopt;
    }
}

} // namespace test_support
