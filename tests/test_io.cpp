// Tests of saved programs (symshape/io/serialize.hpp): round trips of every kind of program
// (static, dynamic with guards, unbacked sizes and assertions, modules, ops with several results,
// user ops, lifted constants, mutations), identical bytes, the version policy, a load_error with
// its JSON path for each kind of bad file, and a property test over random programs.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <random>
#include <string>
#include <vector>

#include "symshape/export.hpp"
#include "symshape/io.hpp"
#include "symshape/io/serialize.hpp"

using namespace symshape;
using json = nlohmann::ordered_json;

namespace {
/// Save, load, and check that the loaded program prints the same and saves the same bytes.
exported_program round_trip(const exported_program& ep) {
    const std::string text = save_string(ep);
    exported_program back = load_string(text);
    CHECK(to_string(back) == to_string(ep));
    CHECK(save_string(back) == text);
    CHECK(back.check_count() == ep.check_count());
    CHECK(back.guards().size() == ep.guards().size());
    return back;
}
/// Both programs give equal outputs on copies of `inputs` (or throw the same message).
void same_runs(const exported_program& a, const exported_program& b, const std::vector<tensor>& inputs) {
    std::vector<tensor> ia, ib;
    for (const tensor& t : inputs) ia.push_back(t.clone()), ib.push_back(t.clone());
    std::string ea, eb;
    std::vector<tensor> ra, rb;
    try {
        ra = a.run(ia);
    } catch (const std::exception& e) {
        ea = e.what();
    }
    try {
        rb = b.run(ib);
    } catch (const std::exception& e) {
        eb = e.what();
    }
    CHECK(ea == eb);
    REQUIRE(ra.size() == rb.size());
    for (std::size_t i = 0; i < ra.size(); ++i) CHECK(equal(ra[i], rb[i]));
    for (std::size_t i = 0; i < ia.size(); ++i) CHECK(equal(ia[i], ib[i]));
}
/// A program with a dynamic dim, a guard, an unbacked size with an assertion, several results.
exported_program rich_program() {
    auto f = [](const tensor& x, const tensor& n) {
        const sym_int k = n.item_int();
        check(k >= 0, "k must be non-negative");
        topk_result t = topk(x, 2, 1);
        tensor y = x.size(0) > 3 ? x * 2 : x; // a guard on the dynamic dim
        return std::vector<tensor>{t.values, y.softmax(1), zeros({k, 2}), pad(x, {1, 1}, 0.5)};
    };
    return export_program(f, dynamic_shapes{{"x", {{0, dim("batch", 4, 64)}}}}, named("x", randn({6, 5}, 1)),
                          named("n", scalar_tensor(3)));
}
/// Loads `doc`, expecting a load_error whose message contains each of `parts`.
void expect_load_error(const json& doc, std::initializer_list<std::string> parts) {
    try {
        (void)load_string(doc.dump());
        FAIL("loaded without error");
    } catch (const load_error& e) {
        const std::string msg = e.what();
        for (const std::string& p : parts) {
            INFO("message: " << msg);
            CHECK(msg.find(p) != std::string::npos);
        }
    }
}
} // namespace

TEST_CASE("a static program round-trips") {
    auto f = [](const tensor& x, const tensor& y) { return (x + y).relu().sum({1}); };
    exported_program ep = export_program(f, named("x", randn({3, 4}, 1)), named("y", randn({3, 4}, 2)));
    exported_program back = round_trip(ep);
    same_runs(ep, back, {randn({3, 4}, 3), randn({3, 4}, 4)});
    same_runs(ep, back, {randn({2, 4}, 3), randn({3, 4}, 4)}); // the same input_error
}

TEST_CASE("dynamic dims, guards, unbacked sizes, assertions and several results round-trip") {
    exported_program ep = rich_program();
    exported_program back = round_trip(ep);
    for (int b : {4, 9, 64}) same_runs(ep, back, {randn({b, 5}, 10 + b), scalar_tensor(b % 5)});
    same_runs(ep, back, {randn({3, 5}, 1), scalar_tensor(1)});  // below the dim's minimum
    same_runs(ep, back, {randn({8, 5}, 1), scalar_tensor(-1)}); // the runtime assertion fails
}

namespace {
struct mini : module {
    tensor w = randn({4, 3}, 5), b = zeros({4}), steps = zeros({1});
    mini() {
        register_parameter("w", w);
        register_parameter("b", b);
        register_buffer("steps", steps);
    }
    tensor forward(const tensor& x) {
        steps.add_(1); // a buffer mutation
        return linear(x, w, b) + from_data<float>({1.0f, 2.0f, 3.0f, 4.0f}); // a lifted constant
    }
};
} // namespace

TEST_CASE("parameters, buffers, lifted constants and mutations round-trip exactly") {
    mini m;
    exported_program ep = export_program(m, dynamic_shapes{{"x", {{0, dim("n", 1, 32)}}}}, named("x", randn({2, 3}, 1)));
    exported_program back = round_trip(ep);
    REQUIRE(back.state().size() == ep.state().size());
    for (std::size_t i = 0; i < ep.state().size(); ++i) {
        CHECK(back.state()[i].first == ep.state()[i].first);
        CHECK(equal(back.state()[i].second, ep.state()[i].second));
    }
    same_runs(ep, back, {randn({7, 3}, 2)});
}

TEST_CASE("version policy: a newer major version is refused naming both versions; a newer minor loads") {
    json doc = json::parse(save_string(rich_program()));
    json newer = doc;
    newer["schema_version"]["major"] = schema_major + 1;
    expect_load_error(newer, {"$.schema_version", "the file has schema version " + std::to_string(schema_major + 1) + ".0",
                              "reads version " + std::to_string(schema_major) + ".x"});
    json minor = doc;
    minor["schema_version"]["minor"] = schema_minor + 3;
    minor["a_field_from_the_future"] = {{"x", 1}};
    CHECK_NOTHROW((void)load_string(minor.dump()));
}

TEST_CASE("bad files are load_errors naming where and what") {
    const std::string text = save_string(rich_program());
    const json doc = json::parse(text);
    SUBCASE("not JSON, truncated") {
        CHECK_THROWS_AS((void)load_string("not json"), load_error);
        CHECK_THROWS_AS((void)load_string(text.substr(0, text.size() / 2)), load_error);
        CHECK_THROWS_AS((void)load_string(""), load_error);
        CHECK_THROWS_AS((void)load_string("[1, 2]"), load_error);
    }
    SUBCASE("a wrong type") {
        json d = doc;
        d["graph_module"]["graph"]["nodes"][3]["name"] = 7;
        expect_load_error(d, {"$.graph_module.graph.nodes[3].name", "expected a string, found an integer"});
    }
    SUBCASE("a reference to an undefined value") {
        json d = doc;
        for (auto& n : d["graph_module"]["graph"]["nodes"])
            if (n["kind"] == "call") {
                n["args"][0] = {{"tensor", "nowhere"}};
                break;
            }
        expect_load_error(d, {".args[0].tensor", "refers to 'nowhere', which no earlier node defines"});
    }
    SUBCASE("an unknown op is named") {
        json d = doc;
        for (auto& n : d["graph_module"]["graph"]["nodes"])
            if (n["kind"] == "call") {
                n["target"] = "torch.ops.aten.frobnicate.default";
                break;
            }
        expect_load_error(d, {".target", "unknown op 'torch.ops.aten.frobnicate.default'"});
        for (auto& n : d["graph_module"]["graph"]["nodes"])
            if (n["kind"] == "call") {
                n["target"] = "torch.ops.nolib.thing.default";
                break;
            }
        expect_load_error(d, {"nolib::thing is not registered"});
    }
    SUBCASE("a size expression that does not parse, a symbol without a range") {
        json d = doc;
        d["user_inputs"][0]["sizes"][0] = {{"as_expr", {{"expr_str", "s0 +* 2"}, {"hint", 6}}}};
        expect_load_error(d, {"$.user_inputs[0].sizes[0].as_expr.expr_str", "does not parse"});
        d = doc;
        d["user_inputs"][0]["sizes"][0] = {{"as_expr", {{"expr_str", "s7 + 1"}, {"hint", 6}}}};
        expect_load_error(d, {"symbol s7 has no entry in range_constraints"});
    }
    SUBCASE("tensor data of the wrong length") {
        mini m;
        json d = json::parse(save_string(export_program(m, named("x", randn({2, 3}, 1)))));
        d["state"][0]["data"] = "AAAA";
        expect_load_error(d, {"$.state[0].data", "3 bytes for 12 elements of f32 (expected 48)"});
        d["state"][0]["data"] = "@@@@";
        expect_load_error(d, {"$.state[0].data", "not base64"});
    }
    SUBCASE("a guard the declared ranges contradict; one they allow loads and is checked") {
        json d = doc;
        d["guards"].push_back({{"expr", "s0 >= 100"}, {"reason", "test"}});
        expect_load_error(d, {"$.guards[" + std::to_string(d["guards"].size() - 1) + "].expr", "contradicts the declared ranges"});
        d["guards"].back()["expr"] = "s0 >= 10";
        exported_program p = load_string(d.dump());
        CHECK(p.guards().size() == rich_program().guards().size() + 1);
        CHECK_NOTHROW((void)p.run({randn({12, 5}, 1), scalar_tensor(2)}));
        CHECK_THROWS_AS((void)p.run({randn({6, 5}, 1), scalar_tensor(2)}), input_error);
    }
    SUBCASE("a missing field, a duplicate name, an unknown node kind") {
        json d = doc;
        d.erase("dims");
        expect_load_error(d, {"$.dims", "missing"});
        d = doc;
        d["graph_module"]["graph"]["nodes"][2]["name"] = d["graph_module"]["graph"]["nodes"][1]["name"];
        expect_load_error(d, {"$.graph_module.graph.nodes[2].name", "defined twice"});
        d = doc;
        d["graph_module"]["graph"]["nodes"][2]["kind"] = "lambda";
        expect_load_error(d, {"unknown node kind 'lambda'"});
    }
}

TEST_CASE("saving twice gives identical bytes; streams and files work") {
    exported_program ep = rich_program();
    CHECK(save_string(ep) == save_string(ep));
    std::stringstream ss;
    save(ep, ss);
    CHECK(ss.str() == save_string(ep));
    CHECK(to_string(load(ss)) == to_string(ep));
    CHECK_THROWS_AS((void)load(std::string("/nonexistent/dir/p.json")), load_error);
    CHECK_THROWS_AS(save(ep, std::string("/nonexistent/dir/p.json")), usage_error);
}

TEST_CASE("property: random programs round-trip and run the same") {
    std::mt19937 rng(1234);
    int refused = 0;
    for (int trial = 0; trial < 40; ++trial) {
        std::vector<int> ops;
        const int n = 3 + static_cast<int>(rng() % 6);
        for (int i = 0; i < n; ++i) ops.push_back(static_cast<int>(rng() % 12));
        auto f = [ops](const tensor& x0) {
            tensor x = x0;
            std::vector<tensor> outs;
            for (int op : ops) {
                switch (op) {
                case 0: x = x + 0.5; break;
                case 1: x = x.relu() * x; break;
                case 2: x = cat({x, x}, 0); break;
                case 3: x = x.slice(0, 1, x.size(0)); break;
                case 4: x = x.softmax(-1); break;
                case 5: outs.push_back(x.sum({1}, true)); break;
                case 6: x = gelu(x, "tanh"); break;
                case 7: outs.push_back(topk(x, 2, 1).values); break;
                case 8: x = x.transpose(0, 1).contiguous().transpose(0, 1); break;
                case 9: x = layer_norm(x, {4}); break;
                case 10: x = pad(x, {1, -1}, 2.0); break;
                default: outs.push_back(split(x, 2, 1).at(1)); break;
                }
            }
            outs.push_back(x);
            return outs;
        };
        INFO("trial " << trial);
        exported_program ep;
        try {
            ep = export_program(f, dynamic_shapes{{"x", {{0, dim("rows", 2, 512)}}}}, named("x", randn({5, 4}, trial)));
        } catch (const constraint_violation&) {
            ++refused; // (slices that need more rows than the range's minimum)
            continue;
        }
        exported_program back = round_trip(ep);
        for (int rows : {2, 7, 33}) same_runs(ep, back, {randn({rows, 4}, 100 + trial)});
    }
    CHECK(refused < 10);
}

TEST_CASE("to_dot draws inputs by kind, ops with types, Sym values, assertions, outputs and checks") {
    exported_program ep = rich_program();
    const std::string d = to_dot(ep);
    CHECK(d.rfind("digraph exported_program {", 0) == 0);
    CHECK(d.find("x\\nUSER_INPUT\\nf32[s0, 5]") != std::string::npos);
    CHECK(d.find("aten.topk.default") != std::string::npos);
    CHECK(d.find("topk[0]") != std::string::npos);
    CHECK(d.find("shape=octagon") != std::string::npos); // the runtime assertion
    CHECK(d.find("shape=ellipse") != std::string::npos); // Sym values
    CHECK(d.find("range constraints:\\n  s0: VR[4, 64]") != std::string::npos);
    CHECK(d.find("USER_OUTPUT") != std::string::npos);
    CHECK(to_dot(ep) == d); // deterministic
    CHECK(to_dot(load_string(save_string(ep))) == d);
}

TEST_CASE("a call target shorter than torch.ops. is a load_error (fuzz finding)") {
    // fuzz_load, 900 s: "target": "x" threw std::out_of_range from string_view::substr.
    exported_program ep = export_program([](const tensor& x) { return x.cos(); }, named("x", randn({2}, 1)));
    std::string text = save_string(ep);
    const std::size_t at = text.find("\"torch.ops.aten.cos.default\"");
    REQUIRE(at != std::string::npos);
    text.replace(at, std::string("\"torch.ops.aten.cos.default\"").size(), "\"x\"");
    CHECK_THROWS_AS((void)load_string(text), load_error);
}
