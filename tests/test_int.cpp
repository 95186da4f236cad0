// Tests of the integer layer: checked int64 arithmetic, floor semantics on both backends,
// extended integers with infinities.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>

#include "symshape/int.hpp"
#include "symshape/int/big_int.hpp"

using namespace symshape;
using i64 = std::int64_t;

static_assert(Integer<i64>);
static_assert(Integer<big_int>);
static_assert(!Integer<int>);
static_assert(!Integer<double>);

TEST_CASE_TEMPLATE("floor division and modulo follow Python", I, i64, big_int) {
    struct row { i64 a, b, q, r; };
    const row rows[] = {
        {7, 2, 3, 1}, {-7, 2, -4, 1}, {7, -2, -4, -1}, {-7, -2, 3, -1},
        {6, 3, 2, 0}, {-6, 3, -2, 0}, {0, 5, 0, 0}, {1, 7, 0, 1}, {-1, 7, -1, 6},
    };
    for (const auto& r : rows) {
        CAPTURE(r.a);
        CAPTURE(r.b);
        CHECK(floor_div(I(r.a), I(r.b)) == I(r.q));
        CHECK(floor_mod(I(r.a), I(r.b)) == I(r.r));
        // the defining identity a == b*q + r
        CHECK(I(r.b) * floor_div(I(r.a), I(r.b)) + floor_mod(I(r.a), I(r.b)) == I(r.a));
    }
    CHECK(ceil_div(I(7), I(2)) == I(4));
    CHECK(ceil_div(I(-7), I(2)) == I(-3));
    CHECK(ceil_div(I(6), I(3)) == I(2));
    CHECK(ceil_div(I(7), I(-2)) == I(-3));
    CHECK(gcd(I(12), I(-18)) == I(6));
    CHECK(gcd(I(0), I(0)) == I(0));
    CHECK(gcd(I(0), I(-5)) == I(5));
    CHECK(lcm(I(4), I(6)) == I(12));
}

TEST_CASE_TEMPLATE("division by zero throws", I, i64, big_int) {
    CHECK_THROWS_WITH_AS(floor_div(I(3), I(0)), "division by zero in 3 // 0", division_by_zero);
    CHECK_THROWS_WITH_AS(floor_mod(I(3), I(0)), "modulo by zero in 3 % 0", division_by_zero);
    CHECK_THROWS_AS(ceil_div(I(3), I(0)), division_by_zero);
}

TEST_CASE("int64 arithmetic never wraps") {
    const i64 mx = std::numeric_limits<i64>::max(), mn = std::numeric_limits<i64>::min();
    CHECK(checked_add(mx - 1, i64(1)) == mx);
    CHECK_THROWS_WITH_AS(checked_add(mx, i64(1)),
                         "int64 overflow in 9223372036854775807 + 1: the result does not fit in 64 bits (use big_int for larger values)",
                         overflow_error);
    CHECK_THROWS_AS(checked_sub(mn, i64(1)), overflow_error);
    CHECK_THROWS_WITH_AS(checked_mul(i64(1) << 40, i64(1) << 30),
                         "int64 overflow in 1099511627776 * 1073741824: the result does not fit in 64 bits (use big_int for larger values)",
                         overflow_error);
    CHECK_THROWS_AS(checked_neg(mn), overflow_error);
    CHECK_THROWS_AS(floor_div(mn, i64(-1)), overflow_error);
    CHECK(floor_mod(mn, i64(-1)) == 0);
    CHECK(floor_div(mn, i64(2)) == mn / 2);
    CHECK(gcd(mn, i64(6)) == 2);
    CHECK_THROWS_AS(gcd(mn, i64(0)), overflow_error);
}

// The result written over an operand (try_add(x, y, x)), as bounds code does everywhere: GCC 12
// reported no overflow there for sums and products that wrapped (found by review).
TEST_CASE("non-throwing checked arithmetic with the result over an operand") {
    const i64 mx = std::numeric_limits<i64>::max(), mn = std::numeric_limits<i64>::min();
    i64 x = 9223372036854775788;
    CHECK_FALSE(try_mul(x, i64(4), x));
    CHECK(x == 9223372036854775788); // (left as it was)
    i64 y = 4;
    CHECK_FALSE(try_mul(i64(9223372036854775788), y, y));
    CHECK(y == 4);
    x = mx - 7;
    CHECK_FALSE(try_add(x, i64(100), x));
    CHECK_FALSE(try_sub(x, i64(-100), x));
    x = mn + 7;
    CHECK_FALSE(try_add(x, i64(-100), x));
    CHECK_FALSE(try_sub(x, i64(100), x));
    CHECK(x == mn + 7);
    // and where it fits, the result is written
    CHECK(try_add(x, i64(-7), x));
    CHECK(x == mn);
    x = 3037000499;
    CHECK(try_mul(x, x, x));
    CHECK(x == 9223372030926249001);
    CHECK_FALSE(try_mul(x, i64(2), x));
}

TEST_CASE("big_int computes past int64") {
    big_int a = big_int(std::numeric_limits<i64>::max());
    big_int b = checked_add(a, big_int(1));
    CHECK(b.str() == "9223372036854775808");
    CHECK(floor_div(-b, big_int(10)).str() == "-922337203685477581");
    CHECK(floor_mod(-b, big_int(10)) == 2);
    CHECK_THROWS_WITH_AS(to_int64(b), "value 9223372036854775808 does not fit in int64", overflow_error);
    CHECK(parse_integer<big_int>("-123456789012345678901234567890").str() == "-123456789012345678901234567890");
}

TEST_CASE("integer literals") {
    CHECK(parse_integer<i64>("-9223372036854775808") == std::numeric_limits<i64>::min());
    CHECK_THROWS_AS(parse_integer<i64>("9223372036854775808"), overflow_error);
    CHECK_THROWS_WITH_AS(parse_integer<i64>("12a"), "'12a' is not an integer literal", usage_error);
    CHECK_THROWS_AS(parse_integer<i64>("-"), usage_error);
    CHECK_THROWS_AS(parse_integer<i64>(""), usage_error);
}

TEST_CASE_TEMPLATE("extended integers", I, i64, big_int) {
    using X = extended<I>;
    const X ninf = X::neg_inf(), pinf = X::pos_inf();
    CHECK(ninf < X(I(-1000)));
    CHECK(X(I(1000)) < pinf);
    CHECK(ninf < pinf);
    CHECK(add(pinf, X(I(5)), round_to::up) == pinf);
    CHECK(add(X(I(2)), X(I(3)), round_to::up) == X(I(5)));
    CHECK_THROWS_AS(add(pinf, ninf, round_to::up), internal_error);
    CHECK(mul(X(I(0)), pinf, round_to::up) == X(I(0)));
    CHECK(mul(X(I(-2)), pinf, round_to::up) == ninf);
    CHECK(mul(ninf, ninf, round_to::up) == pinf);
    CHECK(negate(ninf, round_to::up) == pinf);
    CHECK(pinf.str() == "inf");
    CHECK(ninf.str() == "-inf");
    CHECK_THROWS_AS(pinf.value(), internal_error);
}

TEST_CASE("int64 bound arithmetic rounds outward instead of wrapping") {
    using X = extended<i64>;
    const i64 mx = std::numeric_limits<i64>::max(), mn = std::numeric_limits<i64>::min();
    // A sum too large for int64: as a lower bound it stays a valid (smaller) bound; as an upper
    // bound it becomes +inf.
    CHECK(add(X(mx), X(i64(1)), round_to::down) == X(mx));
    CHECK(add(X(mx), X(i64(1)), round_to::up) == X::pos_inf());
    CHECK(add(X(mn), X(i64(-1)), round_to::down) == X::neg_inf());
    CHECK(add(X(mn), X(i64(-1)), round_to::up) == X(mn));
    CHECK(mul(X(i64(1) << 40), X(i64(1) << 40), round_to::up) == X::pos_inf());
    CHECK(mul(X(i64(1) << 40), X(-(i64(1) << 40)), round_to::down) == X::neg_inf());
    CHECK(negate(X(mn), round_to::up) == X::pos_inf());
    CHECK(negate(X(mn), round_to::down) == X(mx));
}
