// The fixes a constraint_violation suggests, in the user's words and applied exactly as printed:
// each test exports a program that violates its declared dims, reads the fix from the message,
// parses it (`dim("T", 8, 8)`, `2 * dim("h_k", 0)`, `dim("dimx", 0) + 1`, `check(...)`), applies it
// and exports again, which must succeed in one round.
#include <doctest/doctest.h>

#include <regex>
#include <string>

#include "symshape/export.hpp"

using namespace symshape;

namespace {
/// The message of the constraint_violation `fn` throws ("" and a failed check if none).
template <class Fn> std::string violation_of(Fn&& fn) {
    try {
        fn();
    } catch (const constraint_violation& e) {
        return e.what();
    }
    FAIL("expected a constraint_violation");
    return {};
}
/// The suggested fixes (the lines after "suggested fixes:").
std::vector<std::string> fixes_of(const std::string& msg) {
    std::vector<std::string> r;
    const std::size_t at = msg.find("suggested fixes:");
    if (at == std::string::npos) return r;
    std::size_t p = msg.find('\n', at);
    while (p != std::string::npos) {
        const std::size_t q = msg.find('\n', p + 1);
        std::string line = msg.substr(p + 1, q == std::string::npos ? std::string::npos : q - p - 1);
        line.erase(0, line.find_first_not_of(' '));
        if (!line.empty()) r.push_back(line);
        p = q;
    }
    return r;
}
/// A derived dim parsed from a fix as printed: `[mul * ]dim("name"[, lo[, hi]])[ + add | - add]`.
derived_dim parse_dim(const std::string& fix) {
    static const std::regex re(R"re(^(?:(\d+) \* )?dim\("([^"]+)"(?:, (-?\d+|dim::unbounded))?(?:, (\d+))?\)(?: ([+-]) (\d+))?)re");
    std::smatch m;
    REQUIRE(std::regex_search(fix, m, re));
    extended<std::int64_t> lo = 0, hi = extended<std::int64_t>::pos_inf();
    if (m[3].matched) lo = m[3].str() == "dim::unbounded" ? dim::unbounded : extended<std::int64_t>(static_cast<std::int64_t>(std::stoll(m[3].str())));
    if (m[4].matched) hi = static_cast<std::int64_t>(std::stoll(m[4].str()));
    const std::int64_t mul = m[1].matched ? std::stoll(m[1].str()) : 1;
    std::int64_t add = m[6].matched ? std::stoll(m[6].str()) : 0;
    if (m[5].matched && m[5].str() == "-") add = -add;
    return derived_dim(dim(m[2].str(), lo, hi), mul, add);
}
} // namespace

TEST_CASE("a dim carried by several inputs: every input is named and one fix covers them") {
    auto f = [](const tensor& ids, const tensor& mask, const tensor& pos) { return (ids + mask + pos).view({2, 4}); };
    auto shapes = [](const derived_dim& t) { return dynamic_shapes{{"ids", {{0, t}}}, {"mask", {{0, t}}}, {"pos", {{0, t}}}}; };
    const tensor a = randn({8}, 1), b = randn({8}, 2), c = randn({8}, 3);
    const std::string msg = violation_of([&] { (void)export_program(f, shapes(dim("T")), named("ids", a), named("mask", b), named("pos", c)); });
    CHECK(msg.find("dim 'T' (ids.size(0), mask.size(0), pos.size(0))") != std::string::npos);
    const std::vector<std::string> fixes = fixes_of(msg);
    REQUIRE(fixes.size() == 1);
    CHECK(fixes[0].rfind("dim(\"T\", 8, 8)", 0) == 0);
    exported_program ep = export_program(f, shapes(parse_dim(fixes[0])), named("ids", a), named("mask", b), named("pos", c));
    CHECK(ep.range_constraints().empty());
    CHECK(allclose(ep.run({a, b, c}).at(0), f(a, b, c)));
}

TEST_CASE("a root dim forced to a constant through a derived dim: the fix pins the root") {
    auto f = [](const tensor& x, const tensor& y) { return x.reshape({-1}) + y; };
    auto shapes = [](const dim& dy) { return dynamic_shapes{{"x", {{0, derived_dim(dy) - 6}}}, {"y", {{0, dy}}}}; };
    const tensor x = randn({6, 2}, 1), y = randn({12}, 2);
    const std::string msg = violation_of([&] { (void)export_program(f, shapes(dim("dy")), named("x", x), named("y", y)); });
    CHECK(msg.find("x.size(0) = dy - 6, y.size(0)") != std::string::npos);
    CHECK(msg.find("s0") == std::string::npos); // in dim names only
    const std::vector<std::string> fixes = fixes_of(msg);
    REQUIRE(fixes.size() == 1);
    CHECK(fixes[0].rfind("dim(\"dy\", 12, 12)", 0) == 0);
    exported_program ep = export_program(f, shapes(parse_dim(fixes[0]).base), named("x", x), named("y", y));
    CHECK(allclose(ep.run({x, y}).at(0), x.reshape({-1}) + y));
}

TEST_CASE("a guard no range expresses: a derived dim when a progression keeps it, else a check") {
    auto even = [](const tensor& x) { return mod(x.size(2), 2) == 0 ? x * 2 : x * 3; };
    const tensor x = randn({1, 3, 16, 8}, 1);
    std::string msg = violation_of([&] { (void)export_program(even, dynamic_shapes{{"x", {{2, dim("h")}}}}, named("x", x)); });
    CHECK(msg.find("guard: h % 2 == 0") != std::string::npos);
    std::vector<std::string> fixes = fixes_of(msg);
    REQUIRE(fixes.size() == 1);
    CHECK(fixes[0].rfind("2 * dim(\"h_k\", 0)", 0) == 0);
    exported_program ep = export_program(even, dynamic_shapes{{"x", {{2, parse_dim(fixes[0])}}}}, named("x", x));
    CHECK(ep.guards().empty());

    auto odd_half = [](const tensor& x) { return mod(floor_div(x.size(2) - 1, 2), 2) != 0 ? x + 1 : x - 1; };
    const tensor y = randn({1, 3, 7, 8}, 2);
    msg = violation_of([&] { (void)export_program(odd_half, dynamic_shapes{{"x", {{2, dim("h")}}}}, named("x", y)); });
    fixes = fixes_of(msg);
    REQUIRE(fixes.size() == 1);
    CHECK(fixes[0].rfind("4 * dim(\"h_k\", 0) + 3", 0) == 0);
    ep = export_program(odd_half, dynamic_shapes{{"x", {{2, parse_dim(fixes[0])}}}}, named("x", y));
    CHECK(ep.guards().empty());
    CHECK(allclose(ep.run({randn({1, 3, 11, 8}, 3)}).at(0).sum(), (randn({1, 3, 11, 8}, 3) + 1).sum()));

    // h divisible by w: no range or progression of one dim expresses it; the fix is a check.
    auto divides = [](const tensor& x) { return mod(x.size(2), x.size(3)) == 0 ? x * 2 : x * 3; };
    auto divides_checked = [](const tensor& x) {
        check(mod(x.size(2), x.size(3)) == 0);
        return mod(x.size(2), x.size(3)) == 0 ? x * 2 : x * 3;
    };
    const dynamic_shapes hw{{"x", {{2, dim("h", 1)}, {3, dim("w", 1)}}}};
    msg = violation_of([&] { (void)export_program(divides, hw, named("x", x)); });
    fixes = fixes_of(msg);
    REQUIRE(!fixes.empty());
    CHECK(fixes[0].rfind("check(x.size(2) % x.size(3) == 0)", 0) == 0);
    ep = export_program(divides_checked, hw, named("x", x));
    CHECK(ep.guards().empty());
}

TEST_CASE("a dim equal to another's expression: the message and the fix in dim names") {
    auto f = [](const tensor& x, const tensor& y) { return cat({x, ones({1})}, 0) + y; };
    auto shapes = [](const derived_dim& dy) { return dynamic_shapes{{"x", {{0, dim("dimx")}}}, {"y", {{0, dy}}}}; };
    const tensor x = randn({4}, 1), y = randn({5}, 2);
    const std::string msg = violation_of([&] { (void)export_program(f, shapes(dim("dimy")), named("x", x), named("y", y)); });
    CHECK(msg.find("the program needs it equal to dimx + 1") != std::string::npos);
    CHECK(msg.find(" where ") == std::string::npos);
    const std::vector<std::string> fixes = fixes_of(msg);
    REQUIRE(fixes.size() == 1);
    CHECK(fixes[0].rfind("dim(\"dimx\", 0) + 1", 0) == 0);
    exported_program ep = export_program(f, shapes(parse_dim(fixes[0])), named("x", x), named("y", y));
    CHECK(ep.guards().empty());
}

TEST_CASE("reading a size's value in traced code specialises it with a guard, never silently") {
    // (sym_int has no hint(): the example value is read with value(), which guards, or with the
    // explicitly named unsafe_hint().)
    auto f = [](const tensor& x) { return x * static_cast<double>(x.size(0).value()); };
    const tensor x = randn({3}, 1);
    const std::string msg = violation_of([&] { (void)export_program(f, dynamic_shapes{{"x", {{0, dim("n")}}}}, named("x", x)); });
    CHECK(msg.find("only works when it is 3") != std::string::npos);
    exported_program ep = export_program(f, dynamic_shapes{{"x", {{0, dim::auto_("n")}}}}, named("x", x));
    CHECK(ep.dim_outcomes().at(0) == "n (x.size(0), auto): specialised to 3");
    CHECK_THROWS_AS((void)ep.run({randn({4}, 2)}), input_error); // not silently wrong at size 4
}
