// Tests of symbolic shapes in export (issue 5): dynamic dims and backed symbols, guards recorded
// by shape rules and user code, constraint violations with suggested fixes, range constraints,
// and checked re-runs (every kind of input_error).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "symshape/export.hpp"
#include "symshape/io.hpp"
#include "../bench/programs.hpp"

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
    CHECK((a + 2).unsafe_hint() == 5);
    CHECK((a + 2).is_constant());
    expr s = expr::symbol("s0");
    sym_int x(4, s);
    CHECK_FALSE(x.is_constant());
    sym_int y = 2 * x + 1;
    CHECK(y.unsafe_hint() == 9);
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
    CHECK(ep.run({randn({5, 2})})[0].size(0).unsafe_hint() == 10);
}

// ---- unbacked values: item(), check(), constrain_as_*() ----

TEST_CASE("constrain_as_size: item() is an unbacked u0, assertions and the range-constraint node, f32[u0, 5]") {
    auto f = [](const tensor& x) {
        sym_int a = x.item_int();
        constrain_as_size(a, 0, 5);
        return ones({a, 5});
    };
    exported_program ep = export_program(f, named("x", scalar_tensor(4)));
    std::string text = to_string(ep);
    CHECK(text.find("item: Sym(u0) = torch.ops.aten.item.default(x)") != std::string::npos);
    CHECK(text.find("ge: Sym(u0 >= 0) = item >= 0") != std::string::npos);
    CHECK(text.find("torch.ops.aten._assert_scalar.default(ge, \"Runtime assertion failed for expression u0 >= 0 on node 'ge'\")") !=
          std::string::npos);
    CHECK(text.find("le: Sym(u0 <= 5) = item <= 5") != std::string::npos);
    CHECK(text.find("torch.ops.aten.sym_constrain_range_for_size.default(item, min = 0, max = 5)") != std::string::npos);
    CHECK(text.find("ones: f32[u0, 5] = torch.ops.aten.ones.default([item, 5]") != std::string::npos);
    CHECK(ranges_text(ep) == "u0: VR[0, 5]");
    CHECK(type_of_output(ep) == "f32[u0, 5]");
    // Re-runs read the value anew.
    CHECK(ep.run({scalar_tensor(2)})[0].size(0).unsafe_hint() == 2);
    CHECK(ep.run({scalar_tensor(0)})[0].size(0).unsafe_hint() == 0);
    CHECK_THROWS_WITH_AS(ep.run({scalar_tensor(6)}), "Runtime assertion failed for expression u0 <= 5 on node 'le'",
                         assertion_error);
    CHECK_THROWS_WITH_AS(ep.run({scalar_tensor(-1)}), "Runtime assertion failed for expression u0 >= 0 on node 'ge'",
                         assertion_error);
}

TEST_CASE("constrain_as_value: a branch the range settles records no guard and no error") {
    auto f = [](const tensor& x, const tensor& y) {
        sym_int a = x.item_int();
        constrain_as_value(a, 0, 5);
        if (a < 6) return y.sin();
        return y.cos();
    };
    exported_program ep = export_program(f, named("x", scalar_tensor(4)), named("y", randn({5, 5}, 1)));
    std::string text = to_string(ep);
    CHECK(text.find("sym_constrain_range_default = torch.ops.aten.sym_constrain_range.default(item, min = 0, max = 5)") !=
          std::string::npos);
    CHECK(text.find("sin: f32[5, 5] = torch.ops.aten.sin.default(y)") != std::string::npos);
    CHECK(text.find("cos") == std::string::npos);
    CHECK(text.find("lt:") == std::string::npos); // the settled comparison leaves no node
    CHECK(ep.guards().empty());
    CHECK(ranges_text(ep) == "u0: VR[0, 5]");
    tensor y = randn({5, 5}, 2);
    CHECK(equal(ep.run({scalar_tensor(1), y})[0], y.sin()));
    CHECK_THROWS_AS(ep.run({scalar_tensor(9), y}), assertion_error);
}

TEST_CASE("a decision on an unbacked value that ranges cannot settle is a data-dependent error") {
    auto f = [](const tensor& x, const tensor& y) {
        sym_int a = x.item_int();
        if (a > 2) return y.sin();
        return y.cos();
    };
    CHECK_THROWS_WITH_AS(export_program(f, named("x", scalar_tensor(4)), named("y", randn({2}))),
                         "could not decide the data-dependent expression u0 > 2 (it depends on u0, read from tensor data)\n"
                         "    asked by: user code\n"
                         "    ranges in force: u0: [-inf, inf] (item() of 'x')\n"
                         "    to settle it, add check(u0 > 2) (true on the traced data) (or check(u0 <= 2)) before this point, or narrow the range "
                         "with constrain_as_value / constrain_as_size",
                         data_dependent_error);
    // A size from an unchecked item(): the shape rule's `size >= 0` question cannot be settled.
    auto g = [](const tensor& x) { return zeros({x.item_int()}); };
    CHECK_THROWS_WITH_AS(export_program(g, named("x", scalar_tensor(4))),
                         doctest::Contains("asked by: shape rule of aten.zeros"), data_dependent_error);
    // The suggested check settles it.
    auto h = [](const tensor& x, const tensor& y) {
        sym_int a = x.item_int();
        check(a > 2, "a must exceed 2");
        if (a > 2) return y.sin();
        return y.cos();
    };
    exported_program ep = export_program(h, named("x", scalar_tensor(4)), named("y", randn({2})));
    CHECK(to_string(ep).find("_assert_scalar.default(gt, \"a must exceed 2\")") != std::string::npos);
    CHECK_THROWS_WITH_AS(ep.run({scalar_tensor(1), randn({2})}), "a must exceed 2", assertion_error);
    CHECK(ranges_text(ep) == "u0: VR[3, inf]");
}

TEST_CASE("check() that fails on the example inputs, and eager check()") {
    CHECK_THROWS_WITH_AS(check(sym_bool(false), "never"), "check(False) fails: never", assertion_error);
    CHECK_NOTHROW(check(sym_bool(true)));
    auto f = [](const tensor& x) {
        check(x.item_int() < 3);
        return x + 1;
    };
    CHECK_THROWS_WITH_AS(export_program(f, named("x", scalar_tensor(4))), "check(u0 < 3) fails for the example inputs",
                         assertion_error);
    CHECK_THROWS_AS(constrain_as_size(sym_int(3), 4, 5), assertion_error);
    CHECK_THROWS_AS(constrain_as_size(sym_int(3), -1, 5), usage_error);
    CHECK_THROWS_AS(constrain_as_value(sym_int(3), 5, 4), usage_error);
}

TEST_CASE("item() of a floating-point tensor during export cannot be symbolic") {
    auto f = [](const tensor& x) { return zeros({static_cast<std::int64_t>(x.item_double())}); };
    CHECK_THROWS_WITH_AS(export_program(f, named("x", full({}, 2.0))),
                         doctest::Contains("item() reads a floating-point number out of tensor 'x' during export"),
                         data_dependent_error);
}

TEST_CASE("a symbolic size used as a number operand is recorded by reference") {
    dim n("n", 1, 16);
    auto f = [](const tensor& x) { return x * x.size(0); };
    exported_program ep = export_program(f, dynamic_shapes{{"x", {{0, n}}}}, named("x", ones({3})));
    std::string text = to_string(ep);
    CHECK(text.find("mul: f32[s0] = torch.ops.aten.mul.Tensor(x, sym_size_int)") != std::string::npos);
    CHECK(equal(ep.run({ones({5})})[0], full({5}, 5.0)));
}

TEST_CASE("an unbacked value used in arithmetic and returned") {
    auto f = [](const tensor& x) {
        sym_int a = x.item_int();
        return a * 2 + 1;
    };
    exported_program ep = export_program(f, named("x", scalar_tensor(4)));
    std::string text = to_string(ep);
    CHECK(text.find("mul: Sym(2*u0) = item * 2") != std::string::npos);
    CHECK(text.find("add: Sym(2*u0 + 1) = mul + 1") != std::string::npos);
    CHECK(ep.run({scalar_tensor(10)})[0].item_int().unsafe_hint() == 21);
}

TEST_CASE("nonzero: a data-dependent output size is a fresh unbacked size, bound again on every run") {
    tensor x = from_data<float>({0, 1, 0, 2, 3, 0}).view({2, 3});
    tensor nz = x.nonzero();
    CHECK(to_string(nz.sizes()) == "[3, 2]");
    CHECK(equal(nz, from_data<std::int64_t>({0, 1, 1, 0, 1, 1}).view({3, 2})));
    CHECK(zeros({0}).nonzero().size(0).unsafe_hint() == 0);
    auto f = [](const tensor& t) { return t.nonzero() * 2; };
    exported_program ep = export_program(f, named("t", x));
    CHECK(type_of_output(ep) == "i64[u0, 2]");
    CHECK(ranges_text(ep) == "u0: VR[0, 6]");
    tensor y = from_data<float>({5, 0, 0, 0, 0, 7}).view({2, 3});
    CHECK(equal(ep.run({y})[0], f(y)));
    // A decision about the unbacked size needs a check.
    auto g = [](const tensor& t) {
        tensor n = t.nonzero();
        return n.size(0) > 2 ? n.sum({0}) : n.sum({1});
    };
    CHECK_THROWS_AS(export_program(g, named("t", x)), data_dependent_error);
}

TEST_CASE("arange with a symbolic end has a symbolic length") {
    dim n("n", 1, 100);
    auto f = [](const tensor& x) { return x + arange(x.size(0)); };
    exported_program ep = export_program(f, dynamic_shapes{{"x", {{0, n}}}}, named("x", zeros({4}, dtype::i64)));
    CHECK(type_of_output(ep) == "i64[s0]");
    CHECK(ep.guards().empty());
    tensor x = ones({7}, dtype::i64);
    CHECK(equal(ep.run({x})[0], f(x)));
}

TEST_CASE("mlp exported with a dynamic batch runs at other batch sizes like eager (bench mlp_dynamic)") {
    using namespace symshape::programs;
    mlp_weights w;
    exported_program ep = export_program(mlp, dynamic_shapes{{"x", {{0, dim("batch", 1, 1024)}}}}, named("x", randn({8, 32}, 7)),
                                         named("W1", w.w1), named("b1", w.b1), named("W2", w.w2), named("b2", w.b2),
                                         named("W3", w.w3), named("b3", w.b3));
    CHECK(type_of_output(ep) == "f32[s0, 16]");
    CHECK(ranges_text(ep) == "s0: VR[1, 1024]");
    CHECK(ep.guards().empty());
    for (int b : {1, 13, 64, 1024}) {
        tensor x = randn({b, 32}, 100 + b);
        CHECK(equal(ep.run({x, w.w1, w.b1, w.w2, w.b2, w.w3, w.b3})[0], mlp(x, w.w1, w.b1, w.w2, w.b2, w.w3, w.b3)));
    }
    // Every kind of input error, each naming the input and dimension.
    CHECK_THROWS_WITH_AS(ep.check_inputs({randn({13, 32})}), doctest::Contains("expected 7 inputs but got 1"), input_error);
    CHECK_THROWS_WITH_AS(ep.check_inputs({randn({13, 31}), w.w1, w.b1, w.w2, w.b2, w.w3, w.b3}),
                         doctest::Contains("input 'x' (input 0) has size 31 in dimension 1 but the program was exported "
                                           "with the static size 32"),
                         input_error);
    CHECK_THROWS_WITH_AS(ep.check_inputs({randn({13}), w.w1, w.b1, w.w2, w.b2, w.w3, w.b3}),
                         doctest::Contains("input 'x' (input 0) has 1 dimensions but the program was exported for 2"),
                         input_error);
    CHECK_THROWS_WITH_AS(ep.check_inputs({zeros({13, 32}, dtype::i64), w.w1, w.b1, w.w2, w.b2, w.w3, w.b3}),
                         "input 'x' (input 0) has dtype i64 but the program was exported for f32", input_error);
    CHECK_THROWS_WITH_AS(ep.check_inputs({randn({0, 32}), w.w1, w.b1, w.w2, w.b2, w.w3, w.b3}),
                         "input 'x' dimension 0 (dim 'batch') has size 0 but batch must be >= 1 (got batch = 0)\n"
                         "  dim 'batch' is declared [1, 1024]",
                         input_error);
    CHECK_THROWS_AS(ep.check_inputs({randn({1025, 32}), w.w1, w.b1, w.w2, w.b2, w.w3, w.b3}), input_error);
    CHECK_THROWS_AS(ep.check_inputs({tensor(), w.w1, w.b1, w.w2, w.b2, w.w3, w.b3}), input_error);
}

TEST_CASE("view / reshape with -1 of a symbolic shape infer a symbolic size (no silent constant)") {
    dim n("n", 1, 64);
    auto f = [](const tensor& x) { return x.view({-1}).reshape({-1, 2}); };
    exported_program ep = export_program(f, dynamic_shapes{{"x", {{0, n}}}}, named("x", randn({3, 4})));
    CHECK(type_of_output(ep) == "f32[2*s0, 2]");
    CHECK(ep.guards().empty());
    tensor x = randn({5, 4}, 9);
    CHECK(equal(ep.run({x})[0], f(x)));
    // numel() in user code specialises (a guard, here a violation); sym_numel() stays symbolic.
    auto g = [](const tensor& x) { return zeros({x.numel()}); };
    CHECK_THROWS_AS(export_program(g, dynamic_shapes{{"x", {{0, n}}}}, named("x", randn({3, 4}))), constraint_violation);
    auto h = [](const tensor& x) { return zeros({x.sym_numel()}); };
    exported_program eh = export_program(h, dynamic_shapes{{"x", {{0, n}}}}, named("x", randn({3, 4})));
    CHECK(type_of_output(eh) == "f32[4*s0]");
}

TEST_CASE("sizes known to be 1 broadcast and expand against a dynamic dim without a guard") {
    dim n("n", 0, 50);
    auto f = [](const tensor& x, const tensor& y) { return y.expand({x.size(0), 4}) + x + y; };
    exported_program ep = export_program(f, dynamic_shapes{{"x", {{0, n}}}}, named("x", randn({5, 4})), named("y", randn({1, 4})));
    CHECK(type_of_output(ep) == "f32[s0, 4]");
    CHECK(ep.guards().empty());
    for (int k : {0, 1, 9}) {
        tensor x = randn({k, 4}, k), y = randn({1, 4}, 3);
        CHECK(equal(ep.run({x, y})[0], f(x, y)));
    }
}

TEST_CASE("slicing to the end of a dynamic dim with a step asks nothing about INT64_MAX") {
    auto f = [](const tensor& x) { return x.slice(0, 0, x.size(0) - 2).slice(1, x.size(1) - 1, end_of_dim, 2); };
    exported_program ep = export_program(f, dynamic_shapes{{"x", {{0, dim("d0", 2, 100)}, {1, dim("d1", 1, 100)}}}},
                                         named("x", randn({3, 2})));
    CHECK(type_of_output(ep) == "f32[s0 - 2, 1]");
    CHECK(ep.guards().empty());
    tensor x = randn({10, 7}, 4);
    CHECK(equal(ep.run({x})[0], f(x)));
}

TEST_CASE("matmul of dims declared apart: one violation, with the dim to use") {
    dim a("a", 2, 32), k("k", 2, 64), k2("k2", 2, 64);
    auto f = [](const tensor& x, const tensor& w) { return matmul(x, w); };
    CHECK_THROWS_WITH_AS(export_program(f, dynamic_shapes{{"x", {{0, a}, {1, k}}}, {"w", {{0, k2}}}}, named("x", randn({3, 4})),
                                        named("w", randn({4, 5}))),
                         "the declared range of k2 admits sizes the program cannot handle\n"
                         "    dim 'k2' (w.size(0)) declared [2, 64]: the program needs it equal to k\n"
                         "        guard: k == k2 (asked by: shape rule of aten.matmul.default)\n"
                         "  suggested fixes:\n"
                         "    use dim 'k' (the dim of x.size(1)) instead of dim 'k2' at w.size(0)",
                         constraint_violation);
    exported_program ep = export_program(f, dynamic_shapes{{"x", {{0, a}, {1, k}}}, {"w", {{0, k}}}}, named("x", randn({3, 4})),
                                         named("w", randn({4, 5})));
    CHECK(type_of_output(ep) == "f32[s0, 5]");
}

TEST_CASE("a symbolic size taken from sizes() is passed by a sym_size node, like size()") {
    auto f = [](const tensor& x) { return x.view({x.sizes()[0], 2, 5}); };
    exported_program ep = export_program(f, dynamic_shapes{{"x", {{0, dim("n")}}}}, named("x", randn({4, 10}, 1)));
    std::string text = to_string(ep);
    CHECK(text.find("sym_size_int: Sym(s0) = torch.ops.aten.sym_size.int(x, 0)") != std::string::npos);
    CHECK(text.find("view: f32[s0, 2, 5] = torch.ops.aten.view.default(x, [sym_size_int, 2, 5])") != std::string::npos);
    tensor x = randn({3, 10}, 2);
    CHECK(equal(ep.run({x})[0], f(x)));
}

TEST_CASE("an unbacked size from nonzero used as an argument is bound on every run") {
    auto f = [](const tensor& t) { return zeros({t.nonzero().sizes()[0]}); };
    tensor x = from_data<float>({0, 1, 2, 0});
    exported_program ep = export_program(f, named("t", x));
    CHECK(type_of_output(ep) == "f32[u0]");
    tensor y = from_data<float>({3, 0, 0, 0});
    CHECK(ep.run({y})[0].size(0).unsafe_hint() == 1);
    CHECK(ep.run({x})[0].size(0).unsafe_hint() == 2);
}

TEST_CASE("a size taken from sizes() records like size(): a sym_size node of the tensor that has it") {
    dim n("n", 2, 64);
    auto f = [](const tensor& x) {
        tensor y = cat({x, x});                 // [2*s0, 3]
        const sym_int rows = y.sizes()[0];      // no node yet
        return zeros({rows}, dtype::f32) + y.sum({1});
    };
    exported_program ep = export_program(f, dynamic_shapes{{"x", {{0, n}}}}, named("x", randn({4, 3}, 1)));
    const std::string text = to_string(ep);
    INFO(text);
    CHECK(text.find("sym_size_int: Sym(2*s0) = torch.ops.aten.sym_size.int(cat, 0)") != std::string::npos);
    CHECK(text.find("torch.ops.aten.zeros.default([sym_size_int]") != std::string::npos);
    tensor x = randn({7, 3}, 2);
    CHECK(equal(ep.run({x})[0], f(x)));
}
