// Tests of cond and map (higher-order ops with subgraphs), guard-free shape queries, optional and
// keyword-like inputs, and module state replaced during export: what is recorded, what run()
// computes on inputs that take each branch (against eager), save / load of subgraphs, and the
// errors for branches that disagree, mutate their inputs or leak tensors.
#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "symshape/export.hpp"
#include "symshape/io.hpp"
#include "symshape/io/serialize.hpp"

using namespace symshape;

namespace {
int count_kind(const graph& g, graph_node::kind k) {
    int n = 0;
    for (const graph_node& x : g.nodes) n += x.k == k;
    return n;
}
const dynamic_shapes dyn_x{{"x", {{0, dim("n")}}}};
auto add_fn = [](const tensor& a, const tensor& b) { return a + b; };
auto sub_fn = [](const tensor& a, const tensor& b) { return a - b; };
/// Runs `ep` and its saved-and-loaded copy on `in`; both must equal `want`.
void check_runs(const exported_program& ep, const std::vector<tensor>& in, const tensor& want) {
    CHECK(allclose(ep.run(in).at(0), want));
    exported_program loaded = load_string(save_string(ep));
    CHECK(to_string(loaded) == to_string(ep));
    CHECK(allclose(loaded.run(in).at(0), want));
}
} // namespace

TEST_CASE("cond: a bool or a decided sym_bool inlines the taken branch") {
    auto f = [](const tensor& x, const tensor& y) { return cond(true, add_fn, sub_fn, x, y); };
    exported_program ep = export_program(f, randn({3}, 1), randn({3}, 2));
    CHECK(count_kind(ep.graph(), graph_node::kind::cond) == 0);
    CHECK(ep.graph().call_count() == 1);
    // n in [3, 10]: n > 2 is proven, no guard and no cond node
    auto g = [](const tensor& x, const tensor& y) { return cond(x.size(0) > 2, add_fn, sub_fn, x, y); };
    exported_program d = export_program(g, dynamic_shapes{{"x", {{0, dim("n", 3, 10)}}}}, named("x", randn({4}, 1)), named("y", randn({1}, 2)));
    CHECK(count_kind(d.graph(), graph_node::kind::cond) == 0);
    CHECK(d.guards().empty());
    CHECK(node_text(d.graph(), 2).find("aten.add.Tensor") != std::string::npos);
}

TEST_CASE("cond: an undecided sym_bool keeps both branches, no guard") {
    auto f = [](const tensor& x, const tensor& y) { return cond(x.size(0) > 2, add_fn, sub_fn, x, y); };
    exported_program ep = export_program(f, dyn_x, named("x", randn({3, 2}, 1)), named("y", randn({2}, 2)));
    CHECK(ep.guards().empty());
    CHECK(count_kind(ep.graph(), graph_node::kind::cond) == 1);
    REQUIRE(ep.graph().subgraphs.size() == 2);
    CHECK(ep.graph().subgraphs[0].name == "true_graph_0");
    CHECK(ep.graph().subgraphs[1].name == "false_graph_0");
    const std::string text = to_string(ep);
    CHECK(text.find("cond = torch.ops.higher_order.cond(gt, true_graph_0, false_graph_0, (x, y))") != std::string::npos);
    CHECK(text.find("class false_graph_0(torch.nn.Module):") != std::string::npos);
    CHECK(ep.range_constraints().at(0).second == "VR[0, inf]");
    for (int n : {0, 1, 2, 3, 6}) {
        tensor x = randn({n, 2}, 10 + n), y = randn({2}, 3);
        check_runs(ep, {x, y}, n > 2 ? x + y : x - y);
    }
}

TEST_CASE("cond: a b8[] tensor predicate, and operands the branches do not read are dropped") {
    auto f = [](const tensor& pred, const tensor& x) {
        return cond(pred, [&](const tensor&) { return x * 2; }, [&](const tensor&) { return x - 2; }, x + 1);
    };
    exported_program ep = export_program(f, named("pred", scalar_tensor(true)), named("x", randn({3, 2}, 1)));
    const std::string text = to_string(ep);
    CHECK(text.find("cond(pred, true_graph_0, false_graph_0, (x,))") != std::string::npos);
    CHECK(text.find("add = None") != std::string::npos);
    tensor x = randn({3, 2}, 4);
    check_runs(ep, {scalar_tensor(true), x}, x * 2);
    check_runs(ep, {scalar_tensor(false), x}, x - 2);
    CHECK_THROWS_AS((void)export_program([](const tensor& p, const tensor& x) { return cond(p, add_fn, sub_fn, x, x); },
                                         named("p", scalar_tensor(1)), named("x", randn({2}, 1))),
                    usage_error);
}

TEST_CASE("cond: tensors a branch captures become operands") {
    auto f = [](const tensor& x, const tensor& y) {
        tensor c = y * 2;
        return cond(x.size(0) > 2, [&](const tensor& a) { return a + c; }, [&](const tensor& a) { return a - y; }, x);
    };
    exported_program ep = export_program(f, dyn_x, named("x", randn({3, 2}, 1)), named("y", randn({2}, 2)));
    CHECK(to_string(ep).find("(x, mul, y))") != std::string::npos);
    for (const graph& sub : ep.graph().subgraphs) CHECK(sub.inputs.size() == 3);
    tensor x = randn({5, 2}, 7), y = randn({2}, 8);
    check_runs(ep, {x, y}, x + y * 2);
    x = randn({1, 2}, 9);
    check_runs(ep, {x, y}, x - y);
}

TEST_CASE("cond: branches that disagree are a shape_error naming both") {
    auto f = [](const tensor& x) {
        return cond(x.size(0) > 2, [](const tensor& a) { return a; }, [](const tensor& a) { return a.slice(0, 0, 1); }, x);
    };
    try {
        (void)export_program(f, dyn_x, named("x", randn({3, 2}, 1)));
        FAIL("expected shape_error");
    } catch (const shape_error& e) {
        const std::string msg = e.what();
        CHECK(msg.find("true branch:  (f32[s0, 2],)") != std::string::npos);
        CHECK(msg.find("false branch: (f32[1, 2],)") != std::string::npos);
        CHECK(msg.find("dimension 0") != std::string::npos);
    }
    auto g = [](const tensor& x) {
        return cond(x.size(0) > 2, [](const tensor& a) { return a; }, [](const tensor& a) { return a.to(dtype::f64); }, x);
    };
    CHECK_THROWS_AS((void)export_program(g, dyn_x, named("x", randn({3, 2}, 1))), shape_error);
}

TEST_CASE("cond: integer results that differ are an unbacked value with both ranges") {
    auto f = [](const tensor& x) {
        sym_int k = cond(x.sum() > 3.0, [] { return 0; }, [] { return 1; });
        return x.select(0, k);
    };
    tensor x = randn({3, 2}, 1);
    exported_program ep = export_program(f, named("x", x));
    REQUIRE(ep.range_constraints().size() == 1);
    CHECK(ep.range_constraints()[0].first == "u0");
    CHECK(ep.range_constraints()[0].second == "VR[0, 1]");
    CHECK(to_string(ep).find("getitem: Sym(u0) = cond[0]") != std::string::npos);
    tensor big = ones({3, 2}), small = zeros({3, 2});
    check_runs(ep, {big}, big.select(0, 0));
    check_runs(ep, {small}, small.select(0, 1));
}

TEST_CASE("cond: guards a branch records hold only when it is taken") {
    auto f = [](const tensor& x) {
        return cond(x.size(0) > 4, [](const tensor& a) { return a.size(0) > 6 ? a * 2 : a * 3; }, [](const tensor& a) { return a - 1; }, x);
    };
    // (dim("n") would refuse the guard: no range expresses it; an auto_ dim adopts it)
    CHECK_THROWS_AS((void)export_program(f, dyn_x, named("x", randn({7}, 1))), constraint_violation);
    exported_program ep = export_program(f, dynamic_shapes{{"x", {{0, dim::auto_("n")}}}}, named("x", randn({7}, 1)));
    REQUIRE(ep.guards().size() == 1);
    CHECK(to_string(ep.guards()[0].predicate) == "s0 > 6 or s0 <= 4");
    tensor two = randn({2}, 2);
    check_runs(ep, {two}, two - 1); // the false branch: the guard does not apply
    tensor eight = randn({8}, 3);
    check_runs(ep, {eight}, eight * 2);
    CHECK_THROWS_AS((void)ep.run({randn({5}, 4)}), input_error); // true branch, other side of the guard
}

TEST_CASE("cond: branches may not mutate inputs or leak tensors") {
    auto mutate = [](const tensor& x) {
        return cond(x.size(0) > 2, [](const tensor& a) { tensor b = a; b.mul_(2); return b; }, [](const tensor& a) { return a + 1; }, x);
    };
    CHECK_THROWS_AS((void)export_program(mutate, dyn_x, named("x", randn({3}, 1))), usage_error);
    auto leak = [](const tensor& x) {
        tensor kept;
        tensor r = cond(x.size(0) > 2, [&](const tensor& a) { kept = a * 2; return a + 1; }, [](const tensor& a) { return a - 1; }, x);
        return r + kept;
    };
    CHECK_THROWS_AS((void)export_program(leak, dyn_x, named("x", randn({3}, 1))), usage_error);
}

TEST_CASE("cond outside export picks the branch by value") {
    tensor x = randn({3}, 1), y = randn({3}, 2);
    CHECK(allclose(cond(x.size(0) > 2, add_fn, sub_fn, x, y), x + y));
    CHECK(allclose(cond(scalar_tensor(false), add_fn, sub_fn, x, y), x - y));
    CHECK(cond(false, [] { return 3; }, [] { return 4; }).unsafe_hint() == 4);
}

TEST_CASE("map over a dynamic first dimension") {
    auto f = [](const tensor& xs, const tensor& y) {
        return symshape::map([](const tensor& r, const tensor& b) { return r * b + 1; }, xs, y);
    };
    exported_program ep = export_program(f, dynamic_shapes{{"xs", {{0, dim("rows")}}}}, named("xs", randn({3, 2}, 1)), named("y", randn({2}, 2)));
    CHECK(ep.guards().empty());
    const std::string text = to_string(ep);
    CHECK(text.find("map_impl = torch.ops.higher_order.map_impl(body_graph_0, [xs], [y])") != std::string::npos);
    CHECK(text.find("getitem: f32[s0, 2] = map_impl[0]") != std::string::npos);
    for (int n : {0, 1, 4}) {
        tensor xs = randn({n, 2}, 20 + n), y = randn({2}, 5);
        check_runs(ep, {xs, y}, xs * y + 1);
        CHECK(ep.run({xs, y}).at(0).size(0).unsafe_hint() == n);
    }
    // eager, and the errors
    tensor xs = randn({2, 3}, 1);
    CHECK(allclose(f(xs, ones({3})), xs + 1));
    CHECK_THROWS_AS((void)export_program(f, named("xs", randn({0, 2}, 1)), named("y", randn({2}, 2))), usage_error);
    CHECK_THROWS_AS((void)symshape::map([](const tensor& r) { return r; }, scalar_tensor(1.0)), usage_error);
}

TEST_CASE("saved programs carry subgraphs; a bad subgraph reference is a load_error") {
    auto f = [](const tensor& x, const tensor& y) { return cond(x.size(0) > 2, add_fn, sub_fn, x, y); };
    exported_program ep = export_program(f, dyn_x, named("x", randn({3, 2}, 1)), named("y", randn({2}, 2)));
    std::string text = save_string(ep);
    CHECK(save_string(load_string(text)) == text);
    const std::size_t at = text.find("\"false_graph_0\"", text.find("\"subgraphs\": [\n"));
    REQUIRE(at != std::string::npos);
    std::string bad = text;
    bad.replace(text.rfind("\"false_graph_0\""), 15, "\"false_graph_9\"");
    CHECK_THROWS_AS((void)load_string(bad), load_error);
}

TEST_CASE("statically_known_true, guard_or_false, guard_or_true") {
    // backed: n in [2, 10], example 4
    auto f = [](const tensor& x) {
        CHECK(statically_known_true(x.size(0) >= 2));
        CHECK_FALSE(statically_known_true(x.size(0) > 3)); // unknown: false, nothing recorded
        CHECK(guard_or_false(x.size(0) > 3));             // decided on the example: a guard
        return x + 1;
    };
    exported_program ep = export_program(f, dynamic_shapes{{"x", {{0, dim::auto_("n", 2, 10)}}}}, named("x", randn({4}, 1)));
    REQUIRE(ep.guards().size() == 1);
    CHECK(to_string(ep.guards()[0].predicate) == "s0 > 3");
    // unbacked: u0 read from a tensor, no error and no guard
    auto g = [](const tensor& n) {
        sym_int u = n.item().to_sym_int();
        CHECK_FALSE(statically_known_true(u > 3));
        CHECK_FALSE(guard_or_false(u > 3));
        CHECK(guard_or_true(u > 3));
        constrain_as_size(u, 0, 5);
        CHECK(guard_or_false(u <= 5)); // proven: the answer, no guard
        CHECK(statically_known_true(u >= 0));
        return zeros({u});
    };
    exported_program e2 = export_program(g, named("n", scalar_tensor(std::int64_t{4})));
    CHECK(e2.guards().empty());
    CHECK(statically_known_true(sym_int(3) > 2));
    CHECK(guard_or_true(sym_int(1) > 2) == false);
}

TEST_CASE("optional inputs, keyword-like inputs, and module state replaced during export") {
    auto f = [](const tensor& x, const std::optional<tensor>& y) { return y ? x + *y : x * 1; };
    exported_program with = export_program(f, named("x", randn({2}, 1)), named("y", std::optional<tensor>(randn({2}, 2))));
    CHECK(with.user_input_names() == std::vector<std::string>{"x", "y"});
    exported_program without = export_program(f, named("x", randn({2}, 1)), named("y", std::optional<tensor>()));
    CHECK(without.user_input_names() == std::vector<std::string>{"x"});
    tensor x = randn({2}, 3);
    CHECK(allclose(without.run({x}).at(0), x));
    auto k = [](const std::map<std::string, tensor>& kw) { return kw.at("a") + kw.at("b"); };
    exported_program kp = export_program(k, kwargs({{"b", randn({2}, 1)}, {"a", randn({2}, 2)}}));
    CHECK(kp.user_input_names() == std::vector<std::string>{"a", "b"});

    struct replaces : module {
        tensor buf = zeros({2});
        replaces() { register_buffer("buf", buf); }
        tensor forward(const tensor& x) {
            buf = x * 2;
            return buf + 1;
        }
    } m;
    try {
        (void)export_program(m, named("x", randn({2}, 1)));
        FAIL("expected usage_error");
    } catch (const usage_error& e) {
        CHECK(std::string(e.what()).find("buffer 'buf' was replaced") != std::string::npos);
    }
}

TEST_CASE("dim hints: auto_ specialises, relates and narrows; dynamic refuses a specialisation") {
    auto needs_three = [](const tensor& x) { return x.size(0) == 3 ? x * 2 : x * 3; };
    exported_program spec = export_program(needs_three, dynamic_shapes{{"x", {{0, dim::auto_()}}}}, named("x", randn({3, 2}, 1)));
    REQUIRE(spec.dim_outcomes().size() == 1);
    CHECK(spec.dim_outcomes()[0] == "x_dim0 (x.size(0), auto): specialised to 3");
    CHECK(to_string(spec).find("Dim hints:") != std::string::npos);
    CHECK(to_string(load_string(save_string(spec))) == to_string(spec));
    CHECK_THROWS_AS((void)spec.run({randn({4, 2}, 2)}), input_error);
    try {
        (void)export_program(needs_three, dynamic_shapes{{"x", {{0, dim::dynamic("rows")}}}}, named("x", randn({3, 2}, 1)));
        FAIL("expected constraint_violation");
    } catch (const constraint_violation& e) {
        CHECK(std::string(e.what()).find("dim 'rows' is dim::dynamic(), which may not become a constant") != std::string::npos);
    }
    // related: x + y makes the two auto dims equal
    auto add = [](const tensor& x, const tensor& y) { return x + y; };
    exported_program rel = export_program(add, dynamic_shapes{{"x", {{0, dim::auto_("a")}}}, {"y", {{0, dim::auto_("b")}}}},
                                          named("x", randn({4}, 1)), named("y", randn({4}, 2)));
    REQUIRE(rel.dim_outcomes().size() == 2);
    CHECK(rel.dim_outcomes()[1] == "b (y.size(0), auto): equal to a");
    tensor x = randn({6}, 3), y = randn({6}, 4);
    CHECK(allclose(rel.run({x, y}).at(0), x + y));
    CHECK_THROWS_AS((void)rel.run({randn({6}, 3), randn({5}, 4)}), input_error);
    // narrowed: x[2:] needs no guard, x.size(0) >= 3 in user code narrows to [3, inf]
    auto narrow = [](const tensor& x) {
        check(x.size(0) >= 0);
        return x.size(0) >= 3 ? x + 1 : x - 1;
    };
    exported_program nar = export_program(narrow, dynamic_shapes{{"x", {{0, dim::dynamic("n")}}}}, named("x", randn({5}, 1)));
    CHECK(nar.dim_outcomes().at(0) == "n (x.size(0), dynamic): dynamic, [3, inf] (declared [0, inf])");
    CHECK(nar.range_constraints().at(0).second == "VR[3, inf]");
}

TEST_CASE("draft_export reports every problem at once; its fixes, applied as printed, export cleanly") {
    auto program = [](bool with_check) {
        return [with_check](const tensor& x, const tensor& n) {
            sym_int u = n.item().to_sym_int();
            if (with_check) check(u > 3);
            tensor y = u > 3 ? x * 2 : x * 3;       // data-dependent
            return x.size(0) > 2 ? y + 1 : y - 1;   // needs dim d >= 3
        };
    };
    const tensor x = randn({4}, 1), n = scalar_tensor(std::int64_t{5});
    CHECK_THROWS_AS((void)export_program(program(false), dynamic_shapes{{"x", {{0, dim("d")}}}}, named("x", x), named("n", n)),
                    data_dependent_error);
    exported_program draft = draft_export(program(false), dynamic_shapes{{"x", {{0, dim("d")}}}}, named("x", x), named("n", n));
    REQUIRE(draft.draft_report().size() == 2);
    const draft_problem& dd = draft.draft_report()[0];
    const draft_problem& cv = draft.draft_report()[1];
    CHECK(dd.kind == "data-dependent");
    CHECK(dd.fix == "check(u0 > 3)");
    CHECK(cv.kind == "constraint violation");
    CHECK(cv.fix == "dim(\"d\", 3)");
    CHECK(to_string(draft).find("Draft export report: 2 problems") != std::string::npos);
    CHECK(to_string(load_string(save_string(draft))) == to_string(draft));
    // The draft program checks its decisions at run time.
    CHECK(allclose(draft.run({x, n}).at(0), x * 2 + 1));
    CHECK_THROWS_AS((void)draft.run({x, scalar_tensor(std::int64_t{2})}), assertion_error);
    // The fixes as printed: the check in the program, the dim's range from the printed dim(...).
    const std::string& fix = cv.fix;
    const std::int64_t lo = std::stoll(fix.substr(fix.find(", ") + 2));
    exported_program clean = export_program(program(true), dynamic_shapes{{"x", {{0, dim("d", lo)}}}}, named("x", x), named("n", n));
    CHECK(clean.draft_report().empty());
    exported_program clean_draft = draft_export(program(true), dynamic_shapes{{"x", {{0, dim("d", lo)}}}}, named("x", x), named("n", n));
    CHECK(clean_draft.draft_report().empty());
}

TEST_CASE("review cases: branch facts stay in the branch, map rows bind their own sizes") {
    // A check() inside a tensor-predicate branch runs only with that branch: it proves nothing after.
    auto leak = [](const tensor& x) {
        tensor y = cond(x.sum() > 0.0, [](const tensor& a) { check(a.size(0) > 4); return a + 1; }, [](const tensor& a) { return a - 1; }, x);
        return x.size(0) > 4 ? y * 2 : y;
    };
    exported_program ep = export_program(leak, dynamic_shapes{{"x", {{0, dim::auto_("n")}}}}, named("x", ones({8})));
    const tensor small = ones({2}) * -1.0;
    bool rejected = false; // rejected is sound; silently wrong is not
    std::vector<tensor> got;
    try {
        got = ep.run({small});
    } catch (const input_error&) {
        rejected = true;
    }
    CHECK((rejected || allclose(got.at(0), leak(small))));
    CHECK(ep.guards().size() == 1);

    // Each row of map has its own data-dependent size.
    auto count = [](const tensor& xs) {
        return symshape::map([](const tensor& r) { return ones({r.nonzero().size(0)}).sum(); }, xs);
    };
    exported_program mp = export_program(count, dynamic_shapes{{"xs", {{0, dim("rows")}}}}, named("xs", tril(ones({3, 3}))));
    const tensor other = triu(ones({4, 3}));
    CHECK(allclose(mp.run({other}).at(0), count(other)));

    // A tensor made in one branch and read by the other is refused, not baked in.
    auto cross = [](const tensor& x) {
        tensor tmp;
        return cond(x.size(0) > 2, [&](const tensor& a) { tmp = a * 2; return a + 1; }, [&](const tensor& a) { return a + tmp; }, x);
    };
    CHECK_THROWS_AS((void)export_program(cross, dyn_x, named("x", randn({3}, 1))), usage_error);

    // An integer result of cond read only inside a later subgraph.
    auto later = [](const tensor& p, const tensor& xs) {
        sym_int n = cond(p, [] { return 2; }, [] { return 3; });
        return symshape::map([&](const tensor& r) { return r + ones({n}).sum(); }, xs);
    };
    exported_program lp = export_program(later, named("p", scalar_tensor(true)), named("xs", randn({2, 3}, 1)));
    const tensor xs = randn({2, 3}, 2);
    CHECK(allclose(lp.run({scalar_tensor(false), xs}).at(0), xs + 3.0));
    CHECK(allclose(lp.run({scalar_tensor(true), xs}).at(0), xs + 2.0));

    // A check() that the example fails in the branch it does not take is recorded, not thrown.
    auto guarded = [](const tensor& x) {
        return cond(x.size(0) > 4, [](const tensor& a) { return a + 1; }, [](const tensor& a) { check(a.size(0) <= 4); return a - 1; }, x);
    };
    exported_program gp = export_program(guarded, dyn_x, named("x", randn({8}, 1)));
    const tensor two = randn({2}, 3);
    CHECK(allclose(gp.run({two}).at(0), two - 1));
}
