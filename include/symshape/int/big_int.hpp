// symshape/int/big_int.hpp — big_int, the arbitrary-precision backend (Boost.Multiprecision
// cpp_int). Include it only where big_int is named: the rest of symshape does not parse Boost.
#pragma once

#include <boost/multiprecision/cpp_int.hpp>

#include "symshape/int/integer.hpp"

namespace symshape {

/// Arbitrary-precision integer; expression templates off so `auto` is always a value.
using big_int = boost::multiprecision::number<boost::multiprecision::cpp_int_backend<>,
                                              boost::multiprecision::et_off>;

namespace detail {
template <>
inline constexpr bool is_big_int_v<big_int> = true;
} // namespace detail

template <Integer I>
class basic_expr;
/// Expressions over big_int.
using big_expr = basic_expr<big_int>;

} // namespace symshape
