// Tests of symbolic shapes in export (issue 5): dynamic dims and backed symbols, guards recorded
// by shape rules and user code, constraint violations with suggested fixes, range constraints,
// and checked re-runs (every kind of input_error).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "symshape/export.hpp"
#include "symshape/io.hpp"

using namespace symshape;

namespace {
std::string ranges_text(const exported_program& ep) {
    std::string r;
    for (const auto& [s, t] : ep.range_constraints()) r += (r.empty() ? "" : ", ") + s + ": " + t;
    return r;
}
std::string type_of_output(const exported_program& ep, std::size_t k = 0) {
    const graph& g = ep.graph();
    return to_string(g.nodes[static_cast<std::size_t>(g.outputs[k].value)].type);
}
} // namespace

TEST_CASE("sym_int outside a trace is a constant; inside, arithmetic builds expressions") {
    sym_int a = 3;
    CHECK(a.is_constant());
    CHECK((a + 2).hint() == 5);
    CHECK((a + 2).is_constant());
    expr s = expr::symbol("s0");
    sym_int x(4, s);
    CHECK_FALSE(x.is_constant());
    sym_int y = 2 * x + 1;
    CHECK(y.hint() == 9);
    CHECK(to_string(y) == "2*s0 + 1");
    CHECK(to_string(y - 2 * x) == "1");
    CHECK((y - 2 * x).is_constant());
    // Without an active shape environment, a symbolic decision uses the value.
    CHECK(static_cast<bool>(x > 3));
    CHECK(to_string(floor_div(y, 2)) == "s0");
    CHECK(to_string(min(x, sym_int(100))) == "min(s0, 100)");
}

TEST_CASE("dynamic dims: backed symbols, symbolic types, range constraints, run on new sizes") {
    dim batch("batch", 2, 64);
    auto f = [](const tensor& x, const tensor& y) { return (x + y).relu(); };
    exported_program ep = export_program(f, dynamic_shapes{{"x", {{0, batch}}}, {"y", {{0, batch}}}},
                                         named("x", randn({3, 4}, 1)), named("y", randn({3, 4}, 2)));
    CHECK(type_of_output(ep) == "f32[s0, 4]");
    CHECK(ranges_text(ep) == "s0: VR[2, 64]");
    CHECK(ep.guards().empty());
    for (int n : {2, 5, 64}) {
        tensor x = randn({n, 4}, 3), y = randn({n, 4}, 4);
        auto out = ep.run({x, y});
        CHECK(equal(out[0], f(x, y)));
    }
    SUBCASE("below the minimum") {
        CHECK_THROWS_WITH_AS(ep.run({randn({1, 4}), randn({1, 4})}),
                             "input 'x' dimension 0 (dim 'batch') has size 1 but batch must be >= 2 (got batch = 1)\n"
                             "  dim 'batch' is declared [2, 64]",
                             input_error);
    }
    SUBCASE("above the maximum") {
        CHECK_THROWS_WITH_AS(ep.run({randn({65, 4}), randn({65, 4})}),
                             "input 'x' dimension 0 (dim 'batch') has size 65 but batch must be <= 64 (got batch = 65)\n"
                             "  dim 'batch' is declared [2, 64]",
                             input_error);
    }
    SUBCASE("two inputs sharing a dim disagree") {
        CHECK_THROWS_WITH_AS(ep.run({randn({5, 4}), randn({6, 4})}),
                             "input 'y' dimension 0 (dim 'batch') has size 6 but must be 5\n"
                             "  it shares dim 'batch' with input 'x' dimension 0 (dim 'batch'), which has size 5",
                             input_error);
    }
    SUBCASE("a static dim") {
        CHECK_THROWS_AS(ep.run({randn({5, 3}), randn({5, 4})}), input_error);
    }
    CHECK(ep.check_count() == 2 + 2 + 1 + 2); // ranks, static sizes, one equality, two range ends
}

TEST_CASE("min 0 and 1 are honoured: no specialisation, and the min is checked") {
    dim n("n", 0, 8);
    exported_program ep = export_program([](const tensor& x) { return x.sum({0}); }, dynamic_shapes{{0, {{0, n}}}},
                                         named("x", randn({1, 3}, 1)));
    CHECK(ranges_text(ep) == "s0: VR[0, 8]");
    CHECK(equal(ep.run({zeros({0, 3})})[0], zeros({3})));
    CHECK_THROWS_AS(ep.run({zeros({9, 3})}), input_error);
}

TEST_CASE("derived dims: 2*d and d + 1") {
    dim d("d", 1, 32);
    auto f = [](const tensor& x, const tensor& y, const tensor& z) {
        return std::make_tuple(x.sum({0}), y.sum({0}), z.sum({0}));
    };
    exported_program ep = export_program(f, dynamic_shapes{{"x", {{0, d}}}, {"y", {{0, 2 * d}}}, {"z", {{0, d + 1}}}},
                                         named("x", randn({3, 2})), named("y", randn({6, 2})), named("z", randn({4, 2})));
    CHECK(to_string(ep.graph().nodes[static_cast<std::size_t>(ep.graph().inputs[1])].type) == "f32[2*s0, 2]");
    CHECK(to_string(ep.graph().nodes[static_cast<std::size_t>(ep.graph().inputs[2])].type) == "f32[s0 + 1, 2]");
    CHECK_NOTHROW(ep.run({randn({5, 2}), randn({10, 2}), randn({6, 2})}));
    CHECK_THROWS_WITH_AS(ep.run({randn({5, 2}), randn({11, 2}), randn({6, 2})}),
                         "input 'y' dimension 0 (dim 'd': 2*d) has size 11 but must be 10\n"
                         "  it shares dim 'd' with input 'x' dimension 0 (dim 'd'), which has size 5",
                         input_error);
    CHECK_THROWS_AS(export_program(f, dynamic_shapes{{"x", {{0, d}}}, {"y", {{0, 2 * d}}}, {"z", {{0, d + 1}}}},
                                   named("x", randn({3, 2})), named("y", randn({7, 2})), named("z", randn({4, 2}))),
                    usage_error);
}

TEST_CASE("guards from shape rules: broadcasting two dims finds them equal (one symbol)") {
    dim a("a", 2, 16), b("b", 2, 16);
    auto f = [](const tensor& x, const tensor& y) { return x + y; };
    CHECK_THROWS_WITH_AS(
        export_program(f, dynamic_shapes{{"x", {{0, a}}}, {"y", {{0, b}}}}, named("x", randn({3})), named("y", randn({3}))),
        doctest::Contains("suggested fixes:"), constraint_violation);
    // The fix applied: the same dim on both inputs exports.
    exported_program ep = export_program(f, dynamic_shapes{{"x", {{0, a}}}, {"y", {{0, a}}}}, named("x", randn({3})),
                                         named("y", randn({3})));
    CHECK(type_of_output(ep) == "f32[s0]");
}

TEST_CASE("a guard in user code narrows the range: constraint violation with a ready-to-paste dim") {
    dim batch("batch", 1, 64);
    auto f = [](const tensor& x) { return x.size(0) > 2 ? x.sin() : x.cos(); };
    CHECK_THROWS_WITH_AS(export_program(f, dynamic_shapes{{"x", {{0, batch}}}}, named("x", randn({4, 2}))),
                         doctest::Contains("dim(\"batch\", 3, 64)"), constraint_violation);
    dim fixed("batch", 3, 64);
    exported_program ep = export_program(f, dynamic_shapes{{"x", {{0, fixed}}}}, named("x", randn({4, 2})));
    CHECK(ranges_text(ep) == "s0: VR[3, 64]");
    CHECK(equal(ep.run({ones({3, 2})})[0], ones({3, 2}).sin()));
}

TEST_CASE("specialisation: a dynamic dim compared with a constant") {
    dim n("n");
    auto f = [](const tensor& x) { return x.size(0) == 3 ? x.cos() : x.sin(); };
    CHECK_THROWS_WITH_AS(export_program(f, dynamic_shapes{{"x", {{0, n}}}}, named("x", randn({3, 2}))),
                         doctest::Contains("the program only works when it is 3"), constraint_violation);
}

TEST_CASE("a guard without a declared-range problem is checked on run") {
    // A guard on an undeclared... every dynamic dim has a declared range, so guards that hold on
    // the whole range record nothing, and the rest are violations; guards are still compiled.
    dim n("n", 4, 10);
    auto f = [](const tensor& x) { return x.size(0) > 2 ? x.sin() : x.cos(); };
    exported_program ep = export_program(f, dynamic_shapes{{"x", {{0, n}}}}, named("x", randn({5})));
    CHECK(ep.guards().empty()); // proven from [4, 10]
}

TEST_CASE("dynamic_shapes naming a missing input or dimension") {
    dim n("n");
    auto f = [](const tensor& x) { return x.sin(); };
    CHECK_THROWS_WITH_AS(export_program(f, dynamic_shapes{{"y", {{0, n}}}}, named("x", randn({3}))),
                         "dynamic_shapes names input 'y', which is not a user input\n  the inputs are (x)", usage_error);
    CHECK_THROWS_AS(export_program(f, dynamic_shapes{{"x", {{1, n}}}}, named("x", randn({3}))), usage_error);
}

TEST_CASE("scalar output: sym_size and Sym arithmetic nodes, rerun on a new size") {
    auto f = [](const tensor& x) { return x.size(1) + 1; };
    exported_program ep = export_program(f, dynamic_shapes{{"x", {{1, dim("dim1_x")}}}}, named("x", randn({3, 2})));
    std::string text = to_string(ep);
    CHECK(text.find("sym_size_int: Sym(s0) = torch.ops.aten.sym_size.int(x, 1)") != std::string::npos);
    CHECK(text.find("add: Sym(s0 + 1) = sym_size_int + 1") != std::string::npos);
    CHECK(ranges_text(ep) == "s0: VR[0, inf]");
    auto out = ep.run({randn({3, 7})});
    CHECK(out[0].item().i == 8);
}

TEST_CASE("sizes computed by user code are passed to ops by reference; shape rules record nothing") {
    dim n("n", 2, 100);
    auto f = [](const tensor& x) { return zeros({x.size(0) * 2}); };
    exported_program ep = export_program(f, dynamic_shapes{{"x", {{0, n}}}}, named("x", randn({3, 2})));
    std::string text = to_string(ep);
    CHECK(text.find("mul: Sym(2*s0) = sym_size_int * 2") != std::string::npos);
    CHECK(text.find("zeros: f32[2*s0] = torch.ops.aten.zeros.default([mul]") != std::string::npos);
    CHECK(ep.run({randn({5, 2})})[0].size(0).hint() == 10);
}
