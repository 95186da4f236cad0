// symshape/int/integer.hpp — the Integer concept and its two backends: std::int64_t with
// overflow-checked arithmetic (never wraps) and big_int (Boost.Multiprecision cpp_int, declared
// in symshape/int/big_int.hpp). floor_div / floor_mod / ceil_div / gcd follow Python's floor
// semantics for both.
#pragma once

#include <concepts>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>

#include "symshape/error.hpp"

namespace symshape {

namespace detail {
/// True for big_int (set in symshape/int/big_int.hpp).
template <class T>
inline constexpr bool is_big_int_v = false;
} // namespace detail

/// The integer types symshape computes with: std::int64_t, and big_int where
/// symshape/int/big_int.hpp is included.
template <class I>
concept Integer = std::same_as<I, std::int64_t> || detail::is_big_int_v<I>;

/// Decimal text of an integer.
template <Integer I>
std::string to_string(const I& v) {
    if constexpr (std::is_same_v<I, std::int64_t>) return std::to_string(v);
    else return v.str();
}

// ---- non-throwing checked primitives: return false when the result does not fit ----

namespace detail {
// The int64 path copies the operands and computes into a local first: `out` may be the same
// object as `a` or `b` (try_add(x, y, x) is a common call), and with the builtin writing
// straight into it GCC 12 reported no overflow for sums and products that wrapped (seen at
// -O0, -O1 and -O2; clang 14 was right). On overflow `out` is left unchanged. `overflows` is
// one of the __builtin_*_overflow (as a lambda), `exact` the operation on big_int.
template <Integer I, class Overflows, class Exact>
bool try_op(const I& a, const I& b, I& out, Overflows overflows, Exact exact) noexcept {
    if constexpr (std::is_same_v<I, std::int64_t>) {
        const std::int64_t x = a, y = b;
        std::int64_t r;
        if (overflows(x, y, &r)) return false;
        out = r;
    } else {
        out = exact(a, b);
    }
    return true;
}
} // namespace detail

template <Integer I>
bool try_add(const I& a, const I& b, I& out) noexcept {
    return detail::try_op(a, b, out, [](std::int64_t x, std::int64_t y, std::int64_t* r) { return __builtin_add_overflow(x, y, r); },
                          [](const I& x, const I& y) { return I(x + y); });
}
template <Integer I>
bool try_sub(const I& a, const I& b, I& out) noexcept {
    return detail::try_op(a, b, out, [](std::int64_t x, std::int64_t y, std::int64_t* r) { return __builtin_sub_overflow(x, y, r); },
                          [](const I& x, const I& y) { return I(x - y); });
}
template <Integer I>
bool try_mul(const I& a, const I& b, I& out) noexcept {
    return detail::try_op(a, b, out, [](std::int64_t x, std::int64_t y, std::int64_t* r) { return __builtin_mul_overflow(x, y, r); },
                          [](const I& x, const I& y) { return I(x * y); });
}

namespace detail {
[[noreturn]] inline void throw_overflow(const char* op, const std::string& a, const std::string& b) {
    throw overflow_error("int64 overflow in " + a + " " + op + " " + b +
                         ": the result does not fit in 64 bits (use big_int for larger values)");
}
} // namespace detail

/// a + b; throws overflow_error instead of wrapping.
template <Integer I>
I checked_add(const I& a, const I& b) {
    I r;
    if (!try_add(a, b, r)) detail::throw_overflow("+", to_string(a), to_string(b));
    return r;
}
/// a - b; throws overflow_error instead of wrapping.
template <Integer I>
I checked_sub(const I& a, const I& b) {
    I r;
    if (!try_sub(a, b, r)) detail::throw_overflow("-", to_string(a), to_string(b));
    return r;
}
/// a * b; throws overflow_error instead of wrapping.
template <Integer I>
I checked_mul(const I& a, const I& b) {
    I r;
    if (!try_mul(a, b, r)) detail::throw_overflow("*", to_string(a), to_string(b));
    return r;
}
/// -a; throws overflow_error for INT64_MIN.
template <Integer I>
I checked_neg(const I& a) {
    return checked_sub(I(0), a);
}

namespace detail {
// The throwing paths of floor_div / floor_mod, kept out of line (they build strings) so that
// the division itself stays small enough to inline in hot loops.
template <Integer I>
[[noreturn, gnu::noinline, gnu::cold]] void throw_zero_divisor(const char* lead, const I& a, const char* tail) {
    throw division_by_zero(lead + to_string(a) + tail);
}
template <Integer I>
[[noreturn, gnu::noinline, gnu::cold]] void throw_div_overflow(const I& a, const I& b) {
    throw_overflow("//", to_string(a), to_string(b));
}
} // namespace detail

/// Floor division (rounds toward -inf, as Python's //). Throws division_by_zero, overflow_error.
template <Integer I>
I floor_div(const I& a, const I& b) {
    if (b == 0) detail::throw_zero_divisor("division by zero in ", a, " // 0");
    if constexpr (std::is_same_v<I, std::int64_t>) {
        if (a == std::numeric_limits<std::int64_t>::min() && b == -1) detail::throw_div_overflow(a, b);
    }
    I q = a / b; // truncates toward zero for both backends
    I r = a - q * b;
    if (r != 0 && ((r < 0) != (b < 0))) q -= 1;
    return q;
}

/// Floor modulo (result has the divisor's sign, as Python's %). Throws division_by_zero.
template <Integer I>
I floor_mod(const I& a, const I& b) {
    if (b == 0) detail::throw_zero_divisor("modulo by zero in ", a, " % 0");
    if constexpr (std::is_same_v<I, std::int64_t>) {
        if (b == -1) return 0; // avoids INT64_MIN % -1 trapping
    }
    I r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) r += b;
    return r;
}

/// floor((lo + hi) / 2) for lo <= hi, without overflowing int64 when hi - lo does not fit.
template <Integer I>
I midpoint(const I& lo, const I& hi) {
    I d;
    if (try_sub(hi, lo, d)) return lo + floor_div(d, I(2));
    return floor_div(lo, I(2)) + floor_div(hi, I(2)); // (lo < 0 < hi here, far apart)
}

/// Ceiling division (rounds toward +inf). Throws division_by_zero, overflow_error.
template <Integer I>
I ceil_div(const I& a, const I& b) {
    if (b == 0) throw division_by_zero("division by zero in ceil_div(" + to_string(a) + ", 0)");
    I q = floor_div(a, b);
    if (floor_mod(a, b) != 0) q = checked_add(q, I(1));
    return q;
}

/// Absolute value; throws overflow_error for INT64_MIN.
template <Integer I>
I abs_value(const I& a) {
    return a < 0 ? checked_neg(a) : a;
}

/// Greatest common divisor, always >= 0; gcd(0, 0) = 0.
template <Integer I>
I gcd(I a, I b) {
    if constexpr (std::is_same_v<I, std::int64_t>) {
        // Work on unsigned magnitudes so INT64_MIN is handled.
        std::uint64_t x = a < 0 ? 0 - static_cast<std::uint64_t>(a) : static_cast<std::uint64_t>(a);
        std::uint64_t y = b < 0 ? 0 - static_cast<std::uint64_t>(b) : static_cast<std::uint64_t>(b);
        while (y != 0) { std::uint64_t t = x % y; x = y; y = t; }
        if (x > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            detail::throw_overflow("gcd", to_string(a), to_string(b));
        return static_cast<std::int64_t>(x);
    } else {
        if (a < 0) a = -a;
        if (b < 0) b = -b;
        while (b != 0) { I t = a % b; a = b; b = t; }
        return a;
    }
}

/// Least common multiple (>= 0); throws overflow_error when it does not fit.
template <Integer I>
I lcm(const I& a, const I& b) {
    if (a == 0 || b == 0) return I(0);
    I g = gcd(a, b);
    return abs_value(checked_mul(floor_div(a, g), b));
}

/// Convert to int64, throwing overflow_error when the value does not fit.
template <Integer I>
std::int64_t to_int64(const I& v) {
    if constexpr (std::is_same_v<I, std::int64_t>) return v;
    else {
        if (v > std::numeric_limits<std::int64_t>::max() || v < std::numeric_limits<std::int64_t>::min())
            throw overflow_error("value " + v.str() + " does not fit in int64");
        return static_cast<std::int64_t>(v);
    }
}

/// Parse decimal text (optional leading '-') into I; throws usage_error or overflow_error.
template <Integer I>
I parse_integer(const std::string& text) {
    if (text.empty()) throw usage_error("empty integer literal");
    std::size_t i = text[0] == '-' ? 1 : 0;
    if (i == text.size()) throw usage_error("integer literal '" + text + "' has no digits");
    I v = 0;
    for (; i < text.size(); ++i) {
        char c = text[i];
        if (c < '0' || c > '9') throw usage_error("'" + text + "' is not an integer literal");
        I d = c - '0';
        if (text[0] == '-') d = -d;
        I t;
        if (!try_mul(v, I(10), t) || !try_add(t, d, v))
            throw overflow_error("integer literal " + text + " does not fit in int64 (use big_int)");
    }
    return v;
}

} // namespace symshape
