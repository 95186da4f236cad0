// Tests of simplify()'s rules that choose a shorter equal form (range/detail/shorten.hpp) and
// of its rules that need the ranges: one row per rule, in the manner of Halide's
// check(input, expected). Each row is also checked point by point: input and output agree on
// every point of a grid inside the ranges (symbols without a range run over [-13, 13]).
#include <doctest/doctest.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "symshape/int/big_int.hpp"
#include "symshape/range.hpp"
#include "random_expr.hpp"
#include "range_helpers.hpp"

using namespace symshape;
using namespace range_test;

namespace {
using E = basic_expr<i64>;

// Every point of the grid: each symbol of `in` over its declared range (clipped to [-13, 13]).
void check_pointwise(const char* ranges, const E& in, const E& out) {
    fact_store<i64> fs;
    declare_ranges<i64>(ranges, fs);
    std::vector<E> syms = symbols_of(in);
    for (const E& s : symbols_of(out)) REQUIRE(std::find(syms.begin(), syms.end(), s) != syms.end());
    std::vector<std::pair<i64, i64>> spans;
    for (const E& s : syms) {
        interval<i64> b = fs.bound(s);
        i64 lo = b.lo.is_finite() ? std::max<i64>(b.lo.value(), -13) : -13;
        i64 hi = b.hi.is_finite() ? std::min<i64>(b.hi.value(), 13) : 13;
        spans.emplace_back(lo, hi);
    }
    valuation<i64> v;
    std::size_t points = 0;
    std::function<void(std::size_t)> walk = [&](std::size_t i) {
        if (i == syms.size()) {
            ++points;
            i64 want = 0;
            try {
                want = in.is_bool() ? i64(evaluate_bool(in, v)) : evaluate(in, v);
            } catch (const division_by_zero&) {
                return; // the input is not defined here
            }
            REQUIRE((out.is_bool() ? i64(evaluate_bool(out, v)) : evaluate(out, v)) == want);
            return;
        }
        for (i64 x = spans[i].first; x <= spans[i].second; ++x) {
            v.set(syms[i], x);
            walk(i + 1);
        }
    };
    walk(0);
    CHECK(points > 0);
}

struct row {
    const char* ranges;
    const char* in;
    const char* out;
};

void check_rows(const std::vector<row>& rows) {
    for (const auto& r : rows) {
        const std::string ranges = r.ranges, text = r.in;
        CAPTURE(ranges);
        CAPTURE(text);
        fact_store<i64> fs;
        declare_ranges<i64>(r.ranges, fs);
        const E in = parse<i64>(r.in);
        const E out = simplify(in, fs);
        CHECK(to_string(out) == r.out);
        check_pointwise(r.ranges, in, out);
    }
}
} // namespace

TEST_CASE("shorter forms of relations") {
    check_rows({
        // terms cancelled, divided by their gcd, each on its positive side, < and <= exchanged
        {"", "x - 1 < y", "x <= y"},
        {"", "x + 5 < y + 10", "x < y + 5"},
        {"", "x - y < x - z", "z < y"},
        {"", "x*(-3) < y*(-3)", "y < x"},
        {"", "(y + x)*17 == (z + y)*17", "x == z"},
        {"", "100 - x == 99 - y", "x == y + 1"},
        // a floor division against a constant
        {"", "x // 2 < 3", "x < 6"},
        {"", "3 < x // 2", "x > 7"},
        {"", "x // 2 <= -1", "x < 0"},
        {"", "x // 3 >= 0", "x >= 0"},
        // c*(Y // c) is Y - Y % c
        {"", "(x // 4)*4 < x", "x % 4 > 0"},
        {"", "(x // 4)*4 < x - y", "y < x % 4"},
        {"", "((x + 2) // 4)*4 >= x", "(x + 2) % 4 < 3"},
        // a remainder against a constant
        {"", "(x + 31) % 32 == 31", "x % 32 == 0"},
        {"", "(x + 3) % 14 == 1", "x % 14 == 12"},
        {"", "(x + 3) % 14 == 14", "false"},
        // a min or max side split
        {"", "min(x, 11) < 10", "x <= 9"},
        {"", "x + 1 < max(8, x)", "x < 7"},
        // a clamp against a constant
        {"", "max(min(x, 5), 1) == 1", "x < 2"},
        {"", "max(min(x, 5), 1) == 3", "x == 3"},
        {"", "max(min(x, 5), 1) != 5", "x < 5"},
        {"", "max(min(x, 5), 1) == 0", "false"},
    });
}

TEST_CASE("shorter forms of sums") {
    check_rows({
        // terms pushed into a min or max
        {"", "min(x, y - z) + z", "min(y, x + z)"},
        {"", "max(x, y - 10) + 10", "max(y, x + 10)"},
        {"", "min(x + 2, y + 3) + (-2)", "min(x, y + 1)"},
        {"", "min(x + y, z) - x", "min(y, z - x)"},
        {"", "x - max(x + y, 0)", "min(x, -y)"},
        {"", "max(0, 1 - x*4) + x*4", "max(4*x, 1)"},
        // terms pushed into a floor division
        {"", "2*x + (2*x + y) // 5", "(12*x + y) // 5"},
        {"", "(y - x) // 3 + x", "x + (y - x) // 3"},
        {"", "1 - (1 + y) // 2 - 1", "-y // 2"},
        // differences of floor divisions by one constant
        {"", "(x + y) // 3 - x // 3", "(y + x % 3) // 3"},
        {"", "(x + 5) // 3 - x // 3", "(x % 3 + 2) // 3 + 1"},
        {"", "x // 3 - (x - y) // 3", "(y - x % 3 + 2) // 3"},
        {"", "(x + 1) // 2 - x // 2", "x % 2"},
        {"", "((x % 2) + 7) // 2 + x // 2", "x // 2 + x % 2 + 3"},
        // a negated remainder
        {"", "((x + 2) // 3)*3 - x", "-x % 3"},
        // c*(A // c) is A - A % c; (Y + k) // c split where Y % c is in the sum
        {"", "y - ((y + z) // 5)*5", "(y + z) % 5 - z"},
        {"", "(x + 1) // 2 - x % 2", "x // 2"},
        // the digits of Y in base a, then b
        {"", "(x // 6)*6 + ((x // 3) % 2)*3 + x % 3", "x"},
        {"", "((x // 4) % 3)*4 + x % 4", "x % 12"},
        // min + max, c*(A // c) + B % c
        {"", "max(x, y*2) + min(x, y*2)", "x + 2*y"},
        {"x:[-100,1000] y:[-100,1000] z:[-100,100]", "((z*9 + y) // 2)*2 + (z*9 + y) % 2", "y + 9*z"},
    });
}

TEST_CASE("shorter forms of products, divisions, min and max") {
    check_rows({
        {"", "min(x, y)*max(x, y)", "x*y"},
        {"", "(x % 2 + 5) // 2", "x % 2 + 2"},
        {"y:[1,5]", "(x - x % y) % y", "0"},
        {"y:[1,5]", "(x + (-x) % y) % y", "0"},
        {"", "min(x + y, x + z)", "x + min(y, z)"},
        {"", "min(x*8, 24)", "8*min(x, 3)"},
        {"", "min(x*(-43), y*(-43))", "-43*max(x, y)"},
        {"", "max(-x - y, -(z // 2))", "-min(z // 2, x + y)"}, // a negation alone (factor -1)
        {"", "min(x - y, z - w)", "min(z - w, x - y)"},          // no argument all negative: kept
        {"", "min(x // 4, y // 4)", "min(x, y) // 4"},
        {"", "max(x // 4 + 2, y // 4)", "max(y, x + 8) // 4"},
        {"", "max(min(x, y), min(x, z))", "min(x, max(y, z))"},
        {"", "min(max(x, y), max(z, x))", "max(x, min(y, z))"},
        {"", "min(min(x, y) + 1, x)", "min(x, y + 1)"},
        {"", "min(max(x, 3), max(y, -1) + 4)", "max(min(x, y + 4), 3)"},
        {"", "max(min(max(x, y), z), y)", "max(y, min(x, z))"},
        {"", "min(y, max(z, min(y, x)))", "min(y, max(x, z))"},
        {"", "min(min(max(x, -10), 14), min(max(y, -10), 14))", "min(max(min(x, y), -10), 14)"},
    });
}

TEST_CASE("shorter forms of conjunctions and disjunctions") {
    check_rows({
        {"", "x == 1 and x != 2", "x == 1"},
        {"", "x != 1 or x == 2", "x != 1"},
        {"", "x < y + 1 and x < y - 2 and x < y", "x < y - 2"},
        {"", "x // 8 == 3 and x % 8 == 4", "x == 28"},
        {"", "x // 10 == 5 and x % 10 < 7", "x < 57 and x > 49"},
        {"", "0 <= x - y*5 and x - y*5 < 5", "y == x // 5"},
        {"", "2 <= x - y*3 and x - y*3 <= 4 and z > 0", "y == (x + 1) // 3 - 1 and z > 0"},
        // (not when a tighter bound on the same form makes the window narrower than 5)
        {"", "0 <= x - y*5 and x - y*5 < 5 and x - y*5 <= 2", "x < 5*y + 3 and 5*y <= x"},
    });
}

TEST_CASE("rules that need the ranges") {
    check_rows({
        {"y:[0,31]", "(x*32 + y) // 64", "x // 2"},
        {"y:[0,31] z:[0,3]", "(x*128 + y*4 + z) // 512", "x // 4"},
        {"y:[0,31]", "(x*32 + y) % 64", "y + 32*(x % 2)"},
        {"d:[0,7] i:[0,1] v:[0,7]", "((d*16 + i*8 + v) % 64) // 8", "i + 2*(d % 4)"},
        {"y:[0,7]", "x*8 + y < 16", "x < 2"},
        {"y:[0,7]", "x*(-8) + y < 16", "x > -2"},
        {"y:[0,1023]", "x*1024 + y < z*7168", "x < 7*z"},
        {"x:[0,1] y:[0,6]", "(x*360 + y) // 16", "22*x"},
        // a divisor that is 0 wherever it is defined, or at one of two values: kept
        {"b:[1,5]", "x % ((a - a % b) % b)", "x % ((a - a % b) % b)"},
        {"y:[0,1]", "x // y", "x // y"},
        // not when the remainder can reach the divisor
        {"y:[0,32]", "(x*32 + y) // 64", "(32*x + y) // 64"},
    });
}

// Random integer and boolean expressions over a, b, c (divisions, remainders, min, max,
// relations, and, or, not), simplified with no facts and under small ranges: wherever the input
// is defined, the output is defined and has its value. The shortening rules run on every node.
TEST_CASE_TEMPLATE("property: the shorter forms keep the value", I, i64, big_int) {
    using Ex = basic_expr<I>;
    const int iterations = 300 * test_support::property_scale();
    const std::uint64_t seed = 20261207;
    test_support::expr_generator gen(seed);
    int compared = 0;
    for (int it = 0; it < iterations; ++it) {
        const std::string text = it % 2 == 0 ? gen.integer(3) : gen.boolean(2);
        CAPTURE(seed);
        CAPTURE(it);
        CAPTURE(text);
        auto parsed = test_support::parse_generated<I>(text);
        if (!parsed) continue;
        for (const char* ranges : {"", "a:[-4,6] b:[1,5] c:[-3,3]"}) {
            fact_store<I> fs;
            declare_ranges<I>(ranges, fs);
            const Ex s = simplify(*parsed, fs);
            const std::string shown = to_string(s);
            CAPTURE(shown);
            for_each_point<I>([&](const std::map<std::string, I>& env) {
                auto want = test_support::eval_canonical<I>(*parsed, env);
                if (!want) return;
                auto got = test_support::eval_canonical<I>(s, env);
                REQUIRE(got.has_value());
                CHECK(*got == *want);
                ++compared;
            });
        }
    }
    CHECK(compared > iterations * 100);
}
