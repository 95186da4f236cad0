// Tests of the guard layer: backed and unbacked symbols, evaluate() with guards, data-dependent
// errors, runtime assertions, compiled checks (property-tested against evaluation), emitters.
#include <doctest/doctest.h>

#include <map>
#include <random>
#include <string>

#include "random_expr.hpp"
#include "symshape/guard.hpp"

using namespace symshape;
using i64 = std::int64_t;

TEST_CASE("symbols are named in creation order") {
    shape_env env;
    expr s0 = env.create_backed(8, "x.size(0)", "batch", 1, 64);
    expr s1 = env.create_backed(5, "x.size(1)");
    expr u0 = env.create_unbacked("item() of y");
    expr u1 = env.create_unbacked("nonzero(x).size(0)", true);
    CHECK(to_string(s0) == "s0");
    CHECK(to_string(s1) == "s1");
    CHECK(to_string(u0) == "u0");
    CHECK(to_string(u1) == "u1");
    CHECK(env.range(s0) == interval<i64>{i64(1), i64(64)});
    CHECK(env.range(u1) == interval<i64>::at_least(i64(0)));
    CHECK(env.hint(s0 * 2 + s1) == 21);
    CHECK_FALSE(env.hint(u0 + 1).has_value());
    CHECK(env.info(s0)->dim_name == "batch");
    CHECK_THROWS_WITH_AS(env.create_backed(0, "z.size(0)", "n", 1, 8),
                         "the example value 0 of z.size(0) is outside the declared range [1, 8] of dim 'n'\n"
                         "    widen the dim's range or pass an example inside it",
                         constraint_violation);
}

TEST_CASE("evaluate: proven -> no guard; backed -> guard fed back as a fact") {
    shape_env env;
    expr s0 = env.create_backed(8, "x.size(0)", "batch", 1, 64);
    expr s1 = env.create_backed(8, "y.size(0)");
    CHECK(env.evaluate(ge(s0, 1), "x.size(0) >= 1"));
    CHECK(env.guards().empty());
    CHECK(env.evaluate(gt(s0, 2), "if (x.size(0) > 2)"));
    REQUIRE(env.guards().size() == 1);
    CHECK(to_string(env.guards()[0].predicate) == "s0 > 2");
    CHECK(env.guards()[0].reason == "if (x.size(0) > 2)");
    CHECK(env.evaluate(gt(s0, 1), "again")); // implied by the guard: nothing new
    CHECK(env.guards().size() == 1);
    CHECK_FALSE(env.evaluate(lt(s0, 5), "x.size(0) < 5"));
    CHECK(to_string(env.guards()[1].predicate) == "s0 >= 5");
    // an equality between dims becomes one symbol
    CHECK(env.evaluate(eq(s0, s1), "broadcast x.size(0) with y.size(0)"));
    CHECK(env.normalize(s1) == s0);
    CHECK(to_string(env.guards()[2].predicate) == "s0 == s1");
    CHECK(env.guards().size() == 3);
    // specialisation
    CHECK(env.evaluate_int(s0 * 2, "zeros(2*x.size(0))") == 16);
    CHECK(to_string(env.guards()[3].predicate) == "s0 == 8");
    CHECK(env.evaluate_int(s1, "y.size(0)") == 8); // now proven: no guard
    CHECK(env.guards().size() == 4);
    CHECK(guards_to_text(env.guards()).find("s0 > 2    (asked by: if (x.size(0) > 2))\n") == 0);
}

// Two dims found equal, then one found even (a congruence, rewritten internally as 2*q): the
// other dim still reads as the first, with its hint, and later guards and assertions name user
// symbols only (found by review: hint(s1) was nullopt, s1 > 5 threw a data_dependent_error
// about s0'1, and check(s1 <= 1000) recorded s0'1 <= 500).
TEST_CASE("guards after a congruence name user symbols only") {
    shape_env env;
    expr s0 = env.create_backed(8, "x.size(0)", "n", 2, 1024);
    expr s1 = env.create_backed(8, "y.size(0)", "m", 2, 1024);
    CHECK(env.evaluate(eq(s0, s1), "same"));
    CHECK(env.evaluate(eq(mod(s0, expr(2)), expr(0)), "even"));
    CHECK(env.normalize(s1) == s0);
    CHECK(env.hint(s1) == std::optional<std::int64_t>(8));
    CHECK(env.evaluate(gt(s1, expr(5)), "big"));
    env.check(le(s1, expr(1000)), "fits");
    auto user_only = [](const expr& p) {
        for (const expr& s : symbols_of(p))
            if (to_string(s).find('\'') != std::string::npos) return false;
        return true;
    };
    for (const auto& g : env.guards()) {
        CAPTURE(to_string(g.predicate));
        CHECK(user_only(g.predicate));
    }
    for (const auto& a : env.assertions()) {
        CAPTURE(to_string(a.predicate));
        CHECK(user_only(a.predicate));
    }
}

TEST_CASE("unbacked decisions the ranges cannot settle are errors that say what to add") {
    shape_env env;
    expr u0 = env.create_unbacked("x.item()");
    CHECK_THROWS_WITH_AS(env.evaluate(lt(u0, 6), "if (a < 6)"),
                         "could not decide the data-dependent expression u0 < 6 (it depends on u0, read from tensor data)\n"
                         "    asked by: if (a < 6)\n"
                         "    ranges in force: u0: [-inf, inf] (x.item())\n"
                         "    to settle it, add check(u0 < 6) (or check(u0 >= 6)) before this point, or narrow the range with constrain_as_value / constrain_as_size",
                         data_dependent_error);
    CHECK_THROWS_AS(env.evaluate_int(u0 + 1, "zeros(a + 1)"), data_dependent_error);
    // after constrain_as_value the seed's branch is settled statically
    env.constrain_as_value(u0, 0, 5);
    REQUIRE(env.assertions().size() == 2);
    CHECK(to_string(env.assertions()[0].predicate) == "u0 >= 0");
    CHECK(to_string(env.assertions()[1].predicate) == "u0 <= 5");
    CHECK(env.assertions()[0].message == "Runtime assertion failed for expression u0 >= 0");
    CHECK(env.evaluate(lt(u0, 6), "if (a < 6)"));
    CHECK(env.guards().empty());
    CHECK(env.range(u0) == interval<i64>{i64(0), i64(5)});
    // a check that is already proven records nothing; one that can never hold is an error
    env.check(le(u0, 10));
    CHECK(env.assertions().size() == 2);
    CHECK_THROWS_AS(env.check(gt(u0, 7), "a must exceed 7"), usage_error);
    CHECK_THROWS_AS(env.constrain_as_size(u0, -1, 3), usage_error);
    CHECK_THROWS_AS(env.constrain_as_value(u0, 3, 1), usage_error);
}

TEST_CASE("compiled checks") {
    expr a = expr::symbol("a"), b = expr::symbol("b");
    std::vector<expr> preds = {parse<i64>("a >= 1"), parse<i64>("a <= 64"), parse<i64>("b == 2*a"),
                               parse<i64>("(a + b) % 4 == 0 or a // b > 7")};
    compiled_checks cc({a, b}, preds);
    CHECK(cc.size() == 4);
    i64 good[] = {4, 8};
    i64 small[] = {0, 0};
    i64 big[] = {65, 130};
    i64 uneq[] = {4, 9};
    i64 mod[] = {3, 6};
    CHECK(cc.first_failure(good) == -1);
    CHECK(cc.first_failure(small) == 0);
    CHECK(cc.first_failure(big) == 1);
    CHECK(cc.first_failure(uneq) == 2);
    CHECK(cc.first_failure(mod) == 3);
    i64 div0[] = {0, 0};
    compiled_checks d({a, b}, {parse<i64>("a // b == 0")});
    CHECK(d.first_failure(div0) == 0); // undefined counts as failing
    i64 ovf[] = {i64(1) << 62, 0};
    compiled_checks o({a, b}, {parse<i64>("4*a + b > 0")});
    CHECK(o.first_failure(ovf) == 0);
    CHECK_THROWS_WITH_AS(compiled_checks({a}, {parse<i64>("a < c")}),
                         "compiled_checks: predicate 'a < c' uses symbol c that is not an input", usage_error);
}

TEST_CASE("property: compiled checks agree with evaluation") {
    const int iterations = 300 * test_support::property_scale();
    const std::uint64_t seed = 99;
    test_support::expr_generator gen(seed);
    std::vector<expr> syms = {expr::symbol("a"), expr::symbol("b"), expr::symbol("c")};
    std::uniform_int_distribution<int> val(-9, 9);
    for (int it = 0; it < iterations; ++it) {
        std::string text = gen.boolean(2);
        CAPTURE(seed);
        CAPTURE(it);
        CAPTURE(text);
        auto parsed_p = test_support::parse_generated<i64>(text);
        if (!parsed_p) continue;
        expr p = *parsed_p;
        compiled_checks cc(syms, {p});
        for (int k = 0; k < 8; ++k) {
            i64 v[3] = {val(gen.rng()), val(gen.rng()), val(gen.rng())};
            std::map<std::string, i64> env{{"a", v[0]}, {"b", v[1]}, {"c", v[2]}};
            auto want = test_support::eval_canonical<i64>(p, env);
            bool holds = want.has_value() && *want != 0;
            CHECK((cc.first_failure(v) == -1) == holds);
        }
    }
}

TEST_CASE("C++ emitter") {
    expr s0 = expr::symbol("s0"), s1 = expr::symbol("s1");
    std::string src = predicates_to_cpp({s0, s1}, {parse<i64>("s0 >= 2"), parse<i64>("s1 == s0 // 2 + 1")}, "check_x");
    CHECK(src.find("bool check_x(const std::int64_t* s) {") != std::string::npos);
    CHECK(src.find("// s1 == s0 // 2 + 1") != std::string::npos);
    CHECK(src.find("ck_fdiv(s[0], std::int64_t(2), ok)") != std::string::npos);
    CHECK_THROWS_AS(predicates_to_cpp({s0}, {parse<i64>("s1 > 0")}), usage_error);
}

TEST_CASE("declared ranges the guards do not allow are violations with fixes") {
    SUBCASE("a narrower range fixes it") {
        shape_env env;
        expr s0 = env.create_backed(8, "x.size(0)", "batch", 1, 64);
        env.evaluate(gt(s0, 2), "if (x.size(0) > 2)");
        auto v = check_declared_ranges(env);
        REQUIRE(v.size() == 1);
        CHECK(v[0].dim_name == "batch");
        REQUIRE(v[0].suggested.has_value());
        CHECK(*v[0].suggested == interval<i64>{i64(3), i64(64)});
        CHECK(format_violations(v) ==
              "the declared range of batch admits sizes the program cannot handle\n"
              "    dim 'batch' (x.size(0)) declared [1, 64]: not every value satisfies the program's guards\n"
              "        guard: batch > 2 (asked by: if (x.size(0) > 2))\n"
              "  suggested fixes:\n"
              "    dim(\"batch\", 3, 64)");
    }
    SUBCASE("specialisation") {
        shape_env env;
        expr s0 = env.create_backed(3, "x.size(0)", "dim0_x", 0, extended<i64>::pos_inf());
        CHECK(env.evaluate(eq(s0, 3), "if (x.size(0) == 3)"));
        auto v = check_declared_ranges(env);
        REQUIRE(v.size() == 1);
        CHECK(v[0].specialized_to == 3);
        CHECK(format_violations(v).find("the program only works when it is 3") != std::string::npos);
        CHECK(format_violations(v).find("dim(\"dim0_x\", 3, 3)  (dim0_x is always 3; this pins it at x.size(0)") != std::string::npos);
    }
    SUBCASE("two dims found equal") {
        shape_env env;
        expr s0 = env.create_backed(4, "x.size(0)", "dx", 1, 64);
        expr s1 = env.create_backed(4, "y.size(0)", "dy", 1, 64);
        CHECK(env.evaluate(eq(s0, s1), "x + y"));
        auto v = check_declared_ranges(env);
        // Reported once, on the dim that must follow the other, with the dim to use instead.
        REQUIRE(v.size() == 1);
        CHECK(v[0].dim_name == "dy");
        CHECK(v[0].equal_to == std::string("dx"));
        CHECK(format_violations(v).find("use dim 'dx' (the dim of x.size(0)) instead of dim 'dy' at y.size(0)") != std::string::npos);
    }
    SUBCASE("guards implied by the declared ranges are fine") {
        shape_env env;
        expr s0 = env.create_backed(8, "x.size(0)", "batch", 4, 64);
        env.evaluate(gt(s0, 2), "if (x.size(0) > 2)");
        CHECK(check_declared_ranges(env).empty());
        CHECK(format_violations({}).empty());
    }
    SUBCASE("a guard on shape arithmetic: the fix is the range where it holds") {
        // conv then pool then conv: H // 2 >= 4, i.e. H >= 8; and H // 4 <= 100, i.e. H <= 403.
        shape_env env;
        expr s0 = env.create_backed(32, "x.size(2)", "H", 4, 1024);
        env.evaluate(ge(floor_div(s0, expr(2)), expr(4)), "shape rule of aten.conv2d.default");
        env.evaluate(le(floor_div(s0, expr(4)), expr(100)), "user code");
        auto v = check_declared_ranges(env);
        REQUIRE(v.size() == 1);
        REQUIRE(v[0].suggested.has_value());
        CHECK(v[0].suggested->lo.value() == 8);
        CHECK(v[0].suggested->hi.value() == 403);
        CHECK(format_violations(v).find("dim(\"H\", 8, 403)") != std::string::npos);
    }
    SUBCASE("no range can express the guard: a derived dim does") {
        shape_env env;
        expr s0 = env.create_backed(8, "x.size(0)", "batch", 1, 64);
        env.evaluate(eq(mod(s0, 2), 0), "x.view(-1, 2)");
        auto v = check_declared_ranges(env);
        REQUIRE(v.size() == 1);
        CHECK_FALSE(v[0].suggested.has_value());
        REQUIRE(v[0].derived.has_value());
        CHECK(v[0].derived->mul == 2);
        CHECK(v[0].derived->add == 0);
        CHECK(v[0].derived->k == interval<i64>{i64(1), i64(32)});
        CHECK(format_violations(v).find("2 * dim(\"batch_k\", 1, 32)") != std::string::npos);
    }
    SUBCASE("neither a range nor a derived dim: the check to assert") {
        shape_env env;
        expr s0 = env.create_backed(8, "x.size(0)", "batch", 1, 64);
        expr s1 = env.create_backed(4, "x.size(1)", "n", 1, 64);
        env.evaluate(eq(mod(s0, s1), 0), "x.view(-1, n)");
        auto v = check_declared_ranges(env);
        REQUIRE(!v.empty());
        CHECK(v[0].check_text == "check(x.size(0) % x.size(1) == 0)");
        CHECK(format_violations(v).find("check(x.size(0) % x.size(1) == 0)  (no dim range or derived dim expresses") != std::string::npos);
    }
}
