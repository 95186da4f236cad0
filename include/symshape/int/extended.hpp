// symshape/int/extended.hpp — extended integers: a finite value or a real -inf / +inf, with the
// arithmetic intervals need. An undefined form (inf - inf) throws internal_error, never a number.
#pragma once

#include <compare>
#include <ostream>
#include <string>

#include "symshape/int/integer.hpp"

namespace symshape {

namespace detail {
// Out of line and cold, so that value() inlines as one compare in hot loops.
[[noreturn, gnu::noinline, gnu::cold]] inline void throw_infinite_value() {
    throw internal_error("value() of an infinite extended integer");
}
} // namespace detail

/// An integer or one of the two infinities.
template <Integer I>
class extended {
public:
    enum class kind : signed char { neg_inf = -1, finite = 0, pos_inf = 1 };

    extended() = default;
    extended(const I& v) : kind_(kind::finite), value_(v) {}              // NOLINT: implicit by design
    extended(int v) requires(!std::is_same_v<I, int>) : kind_(kind::finite), value_(v) {} // NOLINT
    static extended neg_inf() { extended e; e.kind_ = kind::neg_inf; return e; }
    static extended pos_inf() { extended e; e.kind_ = kind::pos_inf; return e; }

    bool is_finite() const noexcept { return kind_ == kind::finite; }
    bool is_neg_inf() const noexcept { return kind_ == kind::neg_inf; }
    bool is_pos_inf() const noexcept { return kind_ == kind::pos_inf; }
    /// The finite value. Precondition: is_finite() (throws internal_error otherwise).
    const I& value() const {
        if (!is_finite()) [[unlikely]]
            detail::throw_infinite_value();
        return value_;
    }
    /// -1, 0 or 1.
    int sign() const noexcept {
        if (kind_ == kind::neg_inf) return -1;
        if (kind_ == kind::pos_inf) return 1;
        return value_ < 0 ? -1 : (value_ > 0 ? 1 : 0);
    }

    friend bool operator==(const extended& a, const extended& b) {
        return a.kind_ == b.kind_ && (a.kind_ != kind::finite || a.value_ == b.value_);
    }
    friend std::strong_ordering operator<=>(const extended& a, const extended& b) {
        if (a.kind_ != b.kind_) return static_cast<int>(a.kind_) <=> static_cast<int>(b.kind_);
        if (a.kind_ != kind::finite) return std::strong_ordering::equal;
        if (a.value_ < b.value_) return std::strong_ordering::less;
        if (b.value_ < a.value_) return std::strong_ordering::greater;
        return std::strong_ordering::equal;
    }

    std::string str() const {
        if (kind_ == kind::neg_inf) return "-inf";
        if (kind_ == kind::pos_inf) return "inf";
        return to_string(value_);
    }
    friend std::ostream& operator<<(std::ostream& os, const extended& e) { return os << e.str(); }

private:
    kind kind_ = kind::finite;
    I value_{};
};

/// Rounding direction for results that do not fit: toward -inf (lower bounds) or +inf (upper).
enum class round_to { down, up };

namespace detail {
// A finite result that does not fit I (only possible for int64). The true value is beyond the
// int64 range on the side of `positive`; round toward `r` so the answer stays a sound bound.
template <Integer I>
extended<I> saturate(round_to r, bool positive) {
    if constexpr (std::is_same_v<I, std::int64_t>) {
        if (positive) return r == round_to::down ? extended<I>(std::numeric_limits<I>::max()) : extended<I>::pos_inf();
        return r == round_to::up ? extended<I>(std::numeric_limits<I>::min()) : extended<I>::neg_inf();
    } else {
        return positive ? extended<I>::pos_inf() : extended<I>::neg_inf();
    }
}
} // namespace detail

/// a + b. inf + (-inf) throws internal_error. A finite sum that overflows int64 is rounded in
/// direction `r`: a lower bound (down) never exceeds the true value, an upper bound (up) never
/// falls below it.
template <Integer I>
extended<I> add(const extended<I>& a, const extended<I>& b, round_to r) {
    if (a.is_finite() && b.is_finite()) {
        I out;
        if (try_add(a.value(), b.value(), out)) return out;
        return detail::saturate<I>(r, a.value() > 0);
    }
    if ((a.is_pos_inf() && b.is_neg_inf()) || (a.is_neg_inf() && b.is_pos_inf()))
        throw internal_error("inf + (-inf) is undefined in interval arithmetic");
    return a.is_finite() ? b : a;
}

/// -a, rounded in direction `r` when it does not fit (only -INT64_MIN).
template <Integer I>
extended<I> negate(const extended<I>& a, round_to r) {
    if (a.is_neg_inf()) return extended<I>::pos_inf();
    if (a.is_pos_inf()) return extended<I>::neg_inf();
    I out;
    if (try_sub(I(0), a.value(), out)) return out;
    return detail::saturate<I>(r, true);
}

/// a * b with 0 * inf = 0 (interval convention: the finite factor's zero wins). A finite product
/// that overflows int64 is rounded in direction `r`.
template <Integer I>
extended<I> mul(const extended<I>& a, const extended<I>& b, round_to r) {
    int sa = a.sign(), sb = b.sign();
    if (sa == 0 || sb == 0) return I(0);
    if (a.is_finite() && b.is_finite()) {
        I out;
        if (try_mul(a.value(), b.value(), out)) return out;
        return detail::saturate<I>(r, sa * sb > 0);
    }
    return sa * sb > 0 ? extended<I>::pos_inf() : extended<I>::neg_inf();
}

} // namespace symshape
