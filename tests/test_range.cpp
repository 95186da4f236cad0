// Tests of the range layer: interval and congruence transfer functions, the fact store, bound,
// the tri-state prove, simplify; seeded property tests against brute force on small domains.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "random_expr.hpp"
#include "symshape/range.hpp"

using namespace symshape;
using i64 = std::int64_t;
using iv = interval<i64>;

namespace {
iv bound_of(const char* ranges, const char* text, std::uint64_t enumerate = 2048) {
    fact_store<i64> fs;
    fs.budget().enumerate_points = enumerate;
    declare_ranges<i64>(ranges, fs);
    return fs.bound(parse<i64>(text));
}
truth prove_of(const char* ranges, const char* text) {
    fact_store<i64> fs;
    declare_ranges<i64>(ranges, fs);
    return fs.prove(parse<i64>(text));
}
std::string simplify_of(const char* ranges, const char* text) {
    fact_store<i64> fs;
    declare_ranges<i64>(ranges, fs);
    return to_string(simplify(parse<i64>(text), fs));
}
} // namespace

TEST_CASE("interval transfer functions") {
    const iv a{i64(-3), i64(4)}, b{i64(2), i64(5)};
    CHECK(iv_add(a, b) == iv{i64(-1), i64(9)});
    CHECK(iv_mul(a, b) == iv{i64(-15), i64(20)});
    CHECK(iv_scale(a, i64(-2)) == iv{i64(-8), i64(6)});
    CHECK(iv_pow(a, i64(2)) == iv{i64(0), i64(16)});
    CHECK(iv_floor_div(a, b) == iv{i64(-2), i64(2)});
    CHECK(iv_floor_div(iv{i64(7), i64(7)}, iv{i64(-2), i64(2)}) == iv{i64(-7), i64(7)}); // zero excluded
    CHECK(iv_mod(a, b) == iv{i64(0), i64(4)});
    CHECK(iv_mod(iv{i64(3), i64(6)}, iv{i64(10), i64(10)}) == iv{i64(3), i64(6)});
    CHECK(iv_mod(iv{i64(12), i64(14)}, iv{i64(10), i64(10)}) == iv{i64(2), i64(4)});
    CHECK(iv_mod(iv{i64(0), i64(100)}, iv{i64(-4), i64(-4)}) == iv{i64(-3), i64(0)});
    CHECK(iv_min(a, b) == iv{i64(-3), i64(4)});
    CHECK(iv_max(a, b) == iv{i64(2), i64(5)});
    CHECK(iv_floor_div(iv::at_least(i64(0)), iv{i64(1), extended<i64>::pos_inf()}) == iv::at_least(i64(0)));
    CHECK(iv_mul(iv::at_least(i64(1)), iv{i64(-2), i64(0)}) == iv::at_most(i64(0)));
    CHECK(tighten(iv{i64(0), i64(10)}, congruence<i64>{i64(4), i64(3)}) == iv{i64(3), i64(7)});
    CHECK(tighten(iv{i64(4), i64(6)}, congruence<i64>{i64(8), i64(1)}).is_empty());
}

TEST_CASE("congruences") {
    using cg = congruence<i64>;
    CHECK(cg_mul(cg{6, 3}, cg{4, 1}) == cg{6, 3}); // (6x+3)(4y+1) is 3 mod 6
    CHECK(cg_add(cg{4, 1}, cg{6, 2}) == cg{2, 1});
    CHECK(cg_mod(cg{256, 61}, i64(64)) == cg::exact(61));
    CHECK(cg_floor_div(cg{8, 5}, i64(4)) == cg{2, 1});
    CHECK(bound_of("n:[0,1000]", "(n*64 + 61) % 256", 0) == iv{i64(61), i64(253)});
    fact_store<i64> fs;
    CHECK(fs.congruence_of(parse<i64>("(6*x + 3)*(4*y + 1)")) == cg{6, 3});
}

TEST_CASE("bounds") {
    struct row { const char* ranges; const char* e; i64 lo, hi; };
    const row rows[] = {
        {"x:[0,4] y:[1,10]", "x + y", 1, 14},
        {"x:[0,4] y:[1,10]", "x - y", -10, 3},
        {"x:[-3,4] y:[-8,2]", "x*y", -32, 24},
        {"x:[0,10]", "x*(5 - x)", -50, 6},          // correlated: exact at the vertex
        {"x:[0,10]", "x - x", 0, 0},
        {"x:[0,100]", "x % 8", 0, 7},
        {"x:[3,5]", "x % 8", 3, 5},
        {"x:[0,100] y:[1,10]", "x // y", 0, 100},
        {"a:[0,100]", "11 % (a + 1)", 0, 11},
        {"x:[-10,10] y:[-3,3]", "x // y", -10, 10}, // divisor split by sign, 0 excluded
        {"x:[0,1000] y:[1,1000]", "x // y * y", 0, 1000},
        {"x:[0,1000] y:[1,1000]", "x // y * y + x % y", 0, 1000},
        {"x:[0,10] y:[0,10]", "min(x, y) - max(x, y)", -10, 0},
        {"A:[1,4095] B:[1,4095] C:[2048,2048]", "(A + B)*C - A*B", 4095, 8384513},
    };
    for (const auto& r : rows) {
        CAPTURE(r.e);
        CHECK(bound_of(r.ranges, r.e) == iv{r.lo, r.hi});
    }
    CHECK(bound_of("x:[0,inf]", "1 - x") == iv::at_most(i64(1)));
    CHECK(bound_of("x:[-inf,4] y:[-8,2]", "x*y") == iv::all());
    CHECK(bound_of("-", "x % 8") == iv{i64(0), i64(7)});
}

TEST_CASE("int64 bounds never wrap") {
    fact_store<i64> fs;
    declare_ranges<i64>("x:[0,4611686018427387904]", fs);
    iv b = fs.bound(parse<i64>("4*x"));
    CHECK(b.lo == extended<i64>(i64(0)));
    CHECK(b.hi.is_pos_inf());
}

TEST_CASE("prove is tri-state") {
    struct row { const char* ranges; const char* p; truth t; };
    const row rows[] = {
        {"x:[0,10]", "x >= 0", truth::yes},
        {"x:[0,10]", "x > 10", truth::no},
        {"x:[0,10]", "x > 5", truth::unknown},
        {"-", "x % 4 < 4", truth::yes},
        {"-", "x + 1 > x", truth::yes},
        {"-", "(x // 8)*8 <= x", truth::yes},
        {"-", "(2*x) % 2 == 0", truth::yes},
        {"-", "2*x + 1 == 4*y", truth::no},      // parity
        {"-", "x < 1 or 0 < x", truth::yes},     // case split
        {"-", "x < 20 and x > 19", truth::no},
        {"-", "not (x % 4 == 1 and x % 3 == 1) or x % 12 == 1", truth::yes},
        {"-", "not (x % 2 == 0) or (x + 1) // 2 == x // 2", truth::yes},
        {"-", "not (2 < x and x < 5 and x % 4 == 0) or x == 4", truth::yes},
        {"x:[1,4095] y:[1,4095]", "x*y < (x + y)*2048", truth::yes},
        {"a:[1,inf] b:[1,inf]", "a == b", truth::unknown},
    };
    for (const auto& r : rows) {
        CAPTURE(r.p);
        CHECK(prove_of(r.ranges, r.p) == r.t);
    }
    fact_store<i64> fs;
    CHECK_THROWS_WITH_AS(fs.prove(parse<i64>("x + 1")), "prove() needs a boolean expression, got 'x + 1'", usage_error);
    CHECK_THROWS_WITH_AS(fs.bound(parse<i64>("x < 1")), "bound() needs an integer expression, got 'x < 1'", usage_error);
}

TEST_CASE("facts: ranges, relations, replacements, scopes") {
    fact_store<i64> fs;
    expr s0 = expr::symbol("s0"), s1 = expr::symbol("s1"), s2 = expr::symbol("s2");
    fs.set_range(s0, i64(2), i64(64));
    fs.set_range(s1, i64(1), extended<i64>::pos_inf());
    CHECK(fs.bound(s0) == iv{i64(2), i64(64)});
    {
        auto scope = fs.assume(le(s0, 10));
        CHECK(fs.bound(s0) == iv{i64(2), i64(10)});
        CHECK(fs.prove(lt(s0, 11)) == truth::yes);
    }
    CHECK(fs.bound(s0) == iv{i64(2), i64(64)});
    CHECK(fs.prove(lt(s0, 11)) == truth::unknown);

    // s1 == s0 makes s1 a replacement by s0 (the earlier symbol), keeping s1's range as a fact
    fs.add_fact(eq(s1, s0));
    CHECK(fs.normalize(s1 + s0) == 2 * s0);
    CHECK(fs.prove(eq(s1 - s0, 0)) == truth::yes);
    // relations between expressions are used
    fs.add_fact(le(s2 + s0, 20));
    fs.set_range(s2, i64(0), extended<i64>::pos_inf());
    CHECK(fs.prove(le(s2, 18)) == truth::yes);
    // divisibility facts
    expr n = expr::symbol("n");
    fs.add_fact(eq(mod(n, 8), 0));
    CHECK(fs.prove(eq(mod(n, 4), 0)) == truth::yes);
    CHECK(fs.prove(eq(floor_div(n + 7, 8) * 8, n)) == truth::yes);
    CHECK(to_string(fs.normalize(n)) == "n"); // internal rewrites never show
    // symbolic divisibility
    expr a = expr::symbol("a"), b = expr::symbol("b");
    fs.set_range(b, i64(1), i64(100));
    fs.add_fact(eq(mod(a, b), 0));
    CHECK(fs.prove(eq(floor_div(a, b) * b, a)) == truth::yes);
}

TEST_CASE("contradictory facts throw and leave the store unchanged") {
    fact_store<i64> fs;
    expr x = expr::symbol("x");
    fs.set_range(x, i64(0), i64(3));
    CHECK_THROWS_WITH_AS(fs.set_range(x, i64(5), i64(9)),
                         "range [5, 9] for x contradicts the known range [0, 3]", contradiction_error);
    CHECK_THROWS_WITH_AS(fs.add_fact(ge(x, 4)),
                         "the fact 'x >= 4' contradicts the facts already known\n"
                         "    no value of its symbols satisfies it together with the declared ranges and facts",
                         contradiction_error);
    CHECK_THROWS_AS(fs.add_fact(eq(2 * x, 3)), contradiction_error);
    CHECK_THROWS_AS(fs.add_fact(parse<i64>("x % 4 == 1 and x % 2 == 0")), contradiction_error);
    CHECK(fs.bound(x) == iv{i64(0), i64(3)});
    CHECK(fs.prove(eq(mod(x, 2), 0)) == truth::unknown);
    CHECK_THROWS_AS(fs.set_range(x + 1, i64(0), i64(1)), usage_error);
    CHECK_THROWS_AS(fs.set_range(x, i64(3), i64(2)), usage_error);
    CHECK_THROWS_AS(fs.add_fact(x), usage_error);
    CHECK_FALSE(fs.try_add_fact(lt(x, 0)));
}

TEST_CASE("range spec errors") {
    fact_store<i64> fs;
    CHECK_THROWS_WITH_AS(declare_ranges<i64>("x:[0,y]", fs),
                         "parse error at line 1, column 6: in range spec: expected an integer, 'inf' or '-inf', got 'y'", parse_error);
    CHECK_THROWS_WITH_AS(declare_ranges<i64>("x[0,1]", fs), "parse error at line 1, column 7: in range spec: expected ':' after 'x[0,1]'", parse_error);
    CHECK_THROWS_WITH_AS(declare_ranges<i64>("x:[5,1]", fs), "parse error at line 1, column 8: in range spec: the range of x is empty", parse_error);
    declare_ranges<i64>("x:[-inf,5] y:[0,inf]", fs);
    CHECK(fs.bound(expr::symbol("x")) == iv::at_most(i64(5)));
}

TEST_CASE("simplify under ranges") {
    struct row { const char* ranges; const char* in; const char* out; };
    const row rows[] = {
        {"x:[0,7]", "x % 8", "x"},
        {"x:[0,7]", "x // 8", "0"},
        {"x:[-8,-1]", "x // 8", "-1"},
        {"x:[0,10] y:[20,30]", "min(x, y)", "x"},
        {"x:[0,10] y:[20,30]", "max(x, y)", "y"},
        {"x:[0,7] y:[0,3]", "x % 8 + max(y, 3) - min(x // 8, 5)", "x + 3"},
        {"x:[0,10]", "x < 11", "true"},
        {"x:[0,10] y:[0,10]", "min(x, y)", "min(x, y)"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.in);
        CHECK(simplify_of(r.ranges, r.in) == r.out);
    }
}

namespace {
// All points of the box {a:[-4,6], b:[1,5], c:[-3,3]}.
template <class I, class F>
void for_each_point(F&& f) {
    for (int a = -4; a <= 6; ++a)
        for (int b = 1; b <= 5; ++b)
            for (int c = -3; c <= 3; ++c) f(std::map<std::string, I>{{"a", I(a)}, {"b", I(b)}, {"c", I(c)}});
}
} // namespace

TEST_CASE_TEMPLATE("property: bound contains every value; simplify keeps the value", I, i64, big_int) {
    using E = basic_expr<I>;
    const int iterations = 150 * test_support::property_scale();
    const std::uint64_t seed = 7;
    test_support::expr_generator gen(seed);
    for (std::uint64_t budget : {std::uint64_t(0), std::uint64_t(2048)}) {
        for (int it = 0; it < iterations; ++it) {
            std::string text = gen.integer(3);
            CAPTURE(seed);
            CAPTURE(budget);
            CAPTURE(it);
            CAPTURE(text);
            E e;
            try {
                e = parse<I>(text);
            } catch (const parse_error&) {
                continue;
            }
            fact_store<I> fs;
            fs.budget().enumerate_points = budget;
            declare_ranges<I>("a:[-4,6] b:[1,5] c:[-3,3]", fs);
            interval<I> b = fs.bound(e);
            E s = simplify(e, fs);
            CAPTURE(to_string(s));
            CAPTURE(b.str());
            bool exact_lo = false, exact_hi = false, any = false;
            for_each_point<I>([&](const std::map<std::string, I>& env) {
                auto v = test_support::eval_canonical<I>(e, env);
                if (!v) return;
                any = true;
                CHECK(b.contains(*v));
                exact_lo |= b.lo == extended<I>(*v);
                exact_hi |= b.hi == extended<I>(*v);
                auto w = test_support::eval_canonical<I>(s, env);
                REQUIRE(w.has_value());
                CHECK(*w == *v);
            });
            // With enumeration on, a box this small gives exact bounds.
            if (budget > 0 && any) {
                CHECK(exact_lo);
                CHECK(exact_hi);
            }
        }
    }
}

TEST_CASE_TEMPLATE("property: prove never contradicts brute force", I, i64, big_int) {
    using E = basic_expr<I>;
    const int iterations = 200 * test_support::property_scale();
    const std::uint64_t seed = 11;
    test_support::expr_generator gen(seed);
    int decided = 0;
    for (std::uint64_t budget : {std::uint64_t(0), std::uint64_t(2048)}) {
        for (int it = 0; it < iterations; ++it) {
            std::string text = gen.boolean(2);
            CAPTURE(seed);
            CAPTURE(budget);
            CAPTURE(it);
            CAPTURE(text);
            E p;
            try {
                p = parse<I>(text);
            } catch (const parse_error&) {
                continue;
            }
            fact_store<I> fs;
            fs.budget().enumerate_points = budget;
            declare_ranges<I>("a:[-4,6] b:[1,5] c:[-3,3]", fs);
            // Most cases also carry facts (relations, equalities that become replacements,
            // residues that become internal rewrites); brute force filters points by them.
            static const char* facts[] = {"a <= b + c", "b == c + 2", "a % 3 == 1", "a % 2 == 0 and b % 3 == 2",
                                          "c != 0", "2*a + 1 == 3*b", "(a + c) % 4 == 3", "a == b and b <= c"};
            const bool with_fact = it % 3 != 0;
            E fact = parse<I>(facts[it % 8]);
            CAPTURE(facts[it % 8]);
            if (with_fact && !fs.try_add_fact(fact)) continue;
            truth t = fs.prove(p);
            bool saw_true = false, saw_false = false;
            for_each_point<I>([&](const std::map<std::string, I>& env) {
                if (with_fact && *test_support::eval_canonical<I>(fact, env) == 0) return;
                auto v = test_support::eval_canonical<I>(p, env);
                if (!v) return; // a zero divisor: outside the domain
                (*v != 0 ? saw_true : saw_false) = true;
            });
            if (t == truth::yes) CHECK_FALSE(saw_false);
            if (t == truth::no) CHECK_FALSE(saw_true);
            if (t != truth::unknown) ++decided;
        }
    }
    CHECK(decided > iterations / 2);
}
