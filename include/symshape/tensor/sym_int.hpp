// symshape/tensor/sym_int.hpp — sym_int (a tensor size or integer scalar) and sym_bool (the answer to
// a shape question). Today both hold concrete values; the symbolic-shape layer turns a sym_int into
// "a constant or an expression with an example value" and a sym_bool's conversion into a guard.
#pragma once

#include <cstdint>
#include <limits>
#include <ostream>
#include <string>

#include "symshape/int/integer.hpp"

namespace symshape {

class sym_bool;

namespace detail {
/// The one place where a shape question becomes a C++ bool. Every decision a tensor op makes
/// (broadcast equal-or-1, slice clamping, view sizes, cat sizes, matmul inner dims) and every
/// `if (x.size(0) > 2)` in user code reaches this function through sym_bool's conversion.
/// Today it returns the concrete answer; with symbolic sizes it becomes `evaluate(p)`, which
/// proves the answer or records a guard on the example values.
inline bool decide(const sym_bool& b);
} // namespace detail

/// The answer to a comparison of sym_ints. Converting it to bool is a shape decision
/// (see detail::decide); `hint()` reads the example answer without deciding anything.
class sym_bool {
public:
    /// A constant truth value.
    constexpr explicit sym_bool(bool v) noexcept : v_(v) {}
    /// The answer on the example values; records nothing.
    constexpr bool hint() const noexcept { return v_; }
    /// True when the answer does not depend on any symbol.
    constexpr bool is_constant() const noexcept { return true; }
    /// Decide the question (a guard once sizes are symbolic).
    operator bool() const { return detail::decide(*this); } // NOLINT: implicit by design, like SymBool
    friend sym_bool operator!(const sym_bool& a) noexcept { return sym_bool(!a.v_); }
    friend sym_bool operator&&(const sym_bool& a, const sym_bool& b) noexcept { return sym_bool(a.v_ && b.v_); }
    friend sym_bool operator||(const sym_bool& a, const sym_bool& b) noexcept { return sym_bool(a.v_ || b.v_); }
    friend std::ostream& operator<<(std::ostream& os, const sym_bool& b) { return os << (b.v_ ? "True" : "False"); }

private:
    bool v_;
};

/// A tensor size, stride-free shape entry or integer scalar. Today it holds a concrete int64
/// (its hint); once sizes are symbolic it is a constant or an expression with an example value.
/// Arithmetic never wraps: it throws overflow_error (or division_by_zero).
class sym_int {
public:
    constexpr sym_int() noexcept = default;
    /// A constant.
    constexpr sym_int(std::int64_t v) noexcept : v_(v) {} // NOLINT: implicit so `x.size(0) - 2` reads naturally
    /// The example value; never records a guard.
    constexpr std::int64_t hint() const noexcept { return v_; }
    /// The value as a C++ integer. With symbolic sizes this specialises (records `== value`).
    constexpr std::int64_t value() const noexcept { return v_; }
    /// True when the size is a known constant (always, until sizes become symbolic).
    constexpr bool is_constant() const noexcept { return true; }

    friend sym_int operator+(const sym_int& a, const sym_int& b) { return checked_add(a.v_, b.v_); }
    friend sym_int operator-(const sym_int& a, const sym_int& b) { return checked_sub(a.v_, b.v_); }
    friend sym_int operator*(const sym_int& a, const sym_int& b) { return checked_mul(a.v_, b.v_); }
    friend sym_int operator-(const sym_int& a) { return checked_neg(a.v_); }
    sym_int& operator+=(const sym_int& b) { return *this = *this + b; }
    sym_int& operator-=(const sym_int& b) { return *this = *this - b; }
    sym_int& operator*=(const sym_int& b) { return *this = *this * b; }

    friend sym_bool operator==(const sym_int& a, const sym_int& b) noexcept { return sym_bool(a.v_ == b.v_); }
    friend sym_bool operator!=(const sym_int& a, const sym_int& b) noexcept { return sym_bool(a.v_ != b.v_); }
    friend sym_bool operator<(const sym_int& a, const sym_int& b) noexcept { return sym_bool(a.v_ < b.v_); }
    friend sym_bool operator<=(const sym_int& a, const sym_int& b) noexcept { return sym_bool(a.v_ <= b.v_); }
    friend sym_bool operator>(const sym_int& a, const sym_int& b) noexcept { return sym_bool(a.v_ > b.v_); }
    friend sym_bool operator>=(const sym_int& a, const sym_int& b) noexcept { return sym_bool(a.v_ >= b.v_); }

    friend std::ostream& operator<<(std::ostream& os, const sym_int& a) { return os << a.v_; }

private:
    std::int64_t v_ = 0;
};

/// Floor division (Python's //); throws division_by_zero.
inline sym_int floor_div(const sym_int& a, const sym_int& b) { return floor_div(a.hint(), b.hint()); }
/// Floor modulo (Python's %); throws division_by_zero.
inline sym_int mod(const sym_int& a, const sym_int& b) { return floor_mod(a.hint(), b.hint()); }
/// The smaller of two sizes (torch.sym_min).
inline sym_int min(const sym_int& a, const sym_int& b) { return a.hint() < b.hint() ? a : b; }
/// The larger of two sizes (torch.sym_max).
inline sym_int max(const sym_int& a, const sym_int& b) { return a.hint() < b.hint() ? b : a; }
/// Decimal text of a sym_int.
inline std::string to_string(const sym_int& a) { return std::to_string(a.hint()); }

/// The `end` of a slice that runs to the end of its dimension (ATen prints it as INT64_MAX).
inline constexpr std::int64_t end_of_dim = std::numeric_limits<std::int64_t>::max();

// ---- implementation ----

inline bool detail::decide(const sym_bool& b) { return b.hint(); }

} // namespace symshape
