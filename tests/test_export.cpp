// Tests of recording, export, printing and re-running: graph contents and names, the printed
// program, the graph signature (parameters, buffers, lifted constants, input mutation), input
// checks with their exact messages, assume_constant_result, and a seeded property test that a
// re-run of an exported random program equals its eager run.
#include <doctest/doctest.h>

#include <map>
#include <random>
#include <set>
#include <string>

#include "symshape/export.hpp"
#include "symshape/io.hpp"

using namespace symshape;

namespace {
std::vector<std::string> node_lines(const exported_program& ep) {
    std::vector<std::string> r;
    const graph& g = ep.graph();
    for (std::size_t v = 0; v < g.nodes.size(); ++v)
        if (g.nodes[v].k == graph_node::kind::call) r.push_back(node_text(g, static_cast<int>(v)));
    return r;
}
using lines = std::vector<std::string>;

struct linear_module : module {
    tensor weight = randn({2, 4}, 1), bias = randn({2}, 2);
    linear_module() {
        register_parameter("weight", weight);
        register_parameter("bias", bias);
    }
    tensor forward(const tensor& x) const { return linear(x, weight, bias); }
};
struct with_buffer : module {
    linear_module lin;
    tensor steps = zeros({1});
    with_buffer() {
        register_module("linear", lin);
        register_buffer("steps", steps);
    }
    tensor forward(const tensor& x) {
        steps.add_(1);
        return lin.forward(x) + steps;
    }
};
} // namespace

TEST_CASE("the seed: assume_constant_result burns the value in, prints the seed's layout") {
    auto get_item = assume_constant_result([](const tensor& y) { return y.to(dtype::i32).item_int(); });
    auto forward = [&](const tensor& x, const tensor& y) { return x[upto(get_item(y))]; };
    tensor x = randn({3, 2}, 1), y = scalar_tensor(4);
    exported_program ep = export_program(forward, named("x", x), named("y", y));
    CHECK(to_string(ep) ==
          "ExportedProgram:\n"
          "    class GraphModule(torch.nn.Module):\n"
          "        def forward(self, x: f32[3, 2], y: i64[]):\n"
          "            slice_1: f32[3, 2] = torch.ops.aten.slice.Tensor(x, 0, 0, 4);  x = None\n"
          "            return (slice_1,)\n"
          "\n"
          "Graph signature:\n"
          "    # inputs\n"
          "    x: USER_INPUT\n"
          "    y: USER_INPUT\n"
          "\n"
          "    # outputs\n"
          "    slice_1: USER_OUTPUT\n"
          "\n"
          "Range constraints: {}\n");
    tensor x2 = randn({3, 2}, 2);
    CHECK(equal(ep.run({x2, y})[0], forward(x2, y)));
    // The documented risk: a different y is not re-checked; the burned-in 4 is used.
    CHECK(equal(ep.run({x2, scalar_tensor(1)})[0], x2));
    CHECK(ep.range_constraints().empty());
    CHECK(ep.user_input_names() == std::vector<std::string>{"x", "y"});
}

TEST_CASE("item() during export without the escape hatch: a decision on it is a data-dependent error") {
    auto f = [](const tensor& x, const tensor& y) { return x[upto(y.item_int())]; };
    CHECK_THROWS_WITH_AS(export_program(f, named("x", ones({3, 2})), named("y", scalar_tensor(2))),
                         "could not decide the data-dependent expression u0 < 0 (it depends on u0, read from tensor data)\n"
                         "    asked by: shape rule of aten.slice.Tensor\n"
                         "    ranges in force: u0: [-inf, inf] (item() of 'y')\n"
                         "    to settle it, add check(u0 >= 0) (true on the traced data) (or check(u0 < 0)) before this point, or narrow the range "
                         "with constrain_as_value / constrain_as_size",
                         data_dependent_error);
    // The tracer is gone after the error: eager item() works again, and a new export may start.
    CHECK(scalar_tensor(2).item_int().unsafe_hint() == 2);
    CHECK_NOTHROW(export_program([](const tensor& x) { return x + 1; }, ones({1})));
}

TEST_CASE("node names, scalar arguments, keywords and releases follow FX") {
    auto f = [](const tensor& x) {
        tensor a = x[upto(2)];
        tensor b = x[from(1)];
        tensor s = (a * b).sum({1});
        tensor t = (x * 0.5 + 1).abs().sum();
        tensor z0 = zeros({2}); // operands of + are unsequenced in C++: name them to fix the order
        tensor z = z0 + full({2}, 1.5);
        tensor dead = ones({3});
        (void)dead;
        return std::tuple{s.relu(), t, z, x.transpose(0, 1).reshape({-1}).to(dtype::f64)};
    };
    exported_program ep = export_program(f, named("x", randn({3, 4}, 3)));
    CHECK(node_lines(ep) ==
          lines{"slice_1: f32[2, 4] = torch.ops.aten.slice.Tensor(x, 0, 0, 2)",
                "slice_2: f32[2, 4] = torch.ops.aten.slice.Tensor(x, 0, 1, 9223372036854775807)",
                "mul: f32[2, 4] = torch.ops.aten.mul.Tensor(slice_1, slice_2)",
                "sum_1: f32[2] = torch.ops.aten.sum.dim_IntList(mul, [1])",
                "mul_1: f32[3, 4] = torch.ops.aten.mul.Tensor(x, 0.5)",
                "add: f32[3, 4] = torch.ops.aten.add.Tensor(mul_1, 1)",
                "abs_1: f32[3, 4] = torch.ops.aten.abs.default(add)",
                "sum_2: f32[] = torch.ops.aten.sum.default(abs_1)",
                "zeros: f32[2] = torch.ops.aten.zeros.default([2], device = device(type='cpu'), pin_memory = False)",
                "full: f32[2] = torch.ops.aten.full.default([2], 1.5, device = device(type='cpu'), pin_memory = False)",
                "add_1: f32[2] = torch.ops.aten.add.Tensor(zeros, full)",
                "ones: f32[3] = torch.ops.aten.ones.default([3], device = device(type='cpu'), pin_memory = False)",
                "relu: f32[2] = torch.ops.aten.relu.default(sum_1)",
                "transpose: f32[4, 3] = torch.ops.aten.transpose.int(x, 0, 1)",
                "reshape: f32[12] = torch.ops.aten.reshape.default(transpose, [-1])",
                "to: f64[12] = torch.ops.aten.to.dtype(reshape, torch.float64)"});
    std::string text = to_string(ep);
    CHECK(text.find("mul: f32[2, 4] = torch.ops.aten.mul.Tensor(slice_1, slice_2);  slice_1 = slice_2 = None\n") != std::string::npos);
    CHECK(text.find("pin_memory = False);  ones = None\n") != std::string::npos); // dead node released at once
    CHECK(text.find("torch.ops.aten.transpose.int(x, 0, 1);  x = None\n") != std::string::npos);
    CHECK(text.find("return (relu, sum_2, add_1, to)\n") != std::string::npos);
    tensor x2 = randn({3, 4}, 4);
    auto got = ep.run({x2});
    auto want = f(x2);
    REQUIRE(got.size() == 4);
    CHECK(equal(got[0], std::get<0>(want)));
    CHECK(equal(got[1], std::get<1>(want)));
    CHECK(equal(got[2], std::get<2>(want)));
    CHECK(equal(got[3], std::get<3>(want)));
}

TEST_CASE("creation ops print their dtype only when it is not the default") {
    auto f = [](const tensor& x) {
        tensor a = zeros({2}, dtype::i64);
        tensor b = full({2}, 3);
        tensor c = full({2}, 3, dtype::f64);
        tensor d = arange(0, 4, 2);
        tensor e = arange(0, 1, 0.5);
        tensor r = randn({2}, 9);
        return std::vector<tensor>{x, a, b, c, d, e, r};
    };
    exported_program ep = export_program(f, named("x", ones({1})));
    const std::string dev = "device = device(type='cpu'), pin_memory = False)";
    CHECK(node_lines(ep) == lines{"zeros: i64[2] = torch.ops.aten.zeros.default([2], dtype = torch.int64, " + dev,
                                  "full: i64[2] = torch.ops.aten.full.default([2], 3, " + dev,
                                  "full_1: f64[2] = torch.ops.aten.full.default([2], 3, dtype = torch.float64, " + dev,
                                  "arange: i64[2] = torch.ops.aten.arange.start_step(0, 4, 2, " + dev,
                                  "arange_1: f32[2] = torch.ops.aten.arange.start_step(0, 1, 0.5, " + dev,
                                  "randn: f32[2] = torch.ops.aten.randn.default([2], seed = 9, " + dev});
    std::vector<tensor> got = ep.run({ones({1})}), want = f(ones({1}));
    for (std::size_t i = 0; i < got.size(); ++i) CHECK(equal(got[i], want[i]));
}

TEST_CASE("run checks every input: count, definedness, dtype, rank, static sizes") {
    exported_program ep = export_program([](const tensor& x, const tensor& y) { return x + y; }, named("x", ones({3, 2})),
                                         named("y", ones({2})));
    CHECK_THROWS_WITH_AS(ep.run({ones({3, 2})}), "expected 2 inputs but got 1\n  the program's inputs are (x, y)", input_error);
    CHECK_THROWS_WITH_AS(ep.run({ones({3, 2}), tensor()}), "input 'y' (input 1) is an undefined tensor", input_error);
    CHECK_THROWS_WITH_AS(ep.run({ones({3, 2}, dtype::f64), ones({2})}),
                         "input 'x' (input 0) has dtype f64 but the program was exported for f32", input_error);
    CHECK_THROWS_WITH_AS(ep.run({ones({3, 2, 1}), ones({2})}),
                         "input 'x' (input 0) has 3 dimensions but the program was exported for 2\n  expected shape [3, "
                         "2], got [3, 2, 1]",
                         input_error);
    CHECK_THROWS_WITH_AS(ep.run({ones({3, 3}), ones({2})}),
                         "input 'x' (input 0) has size 3 in dimension 1 but the program was exported with the static "
                         "size 2\n  expected shape [3, 2], got [3, 3]\n  to accept other sizes, export with a dynamic dim "
                         "for x dimension 1",
                         input_error);
    CHECK_NOTHROW(ep.check_inputs({ones({3, 2}), ones({2})}));
    // A strided input of the right shape is fine.
    tensor xt = randn({2, 3}, 5).transpose(0, 1);
    CHECK(equal(ep.run({xt, ones({2})})[0], xt + ones({2})));
}

TEST_CASE("modules: parameters and buffers are lifted, buffer mutation is in the signature") {
    linear_module m;
    exported_program ep = export_program(m, named("x", randn({3, 4}, 7)));
    std::string text = to_string(ep);
    CHECK(text.find("def forward(self, p_weight: f32[2, 4], p_bias: f32[2], x: f32[3, 4]):\n") != std::string::npos);
    CHECK(text.find("linear: f32[3, 2] = torch.ops.aten.linear.default(x, p_weight, p_bias);  x = p_weight = p_bias = None") !=
          std::string::npos);
    CHECK(text.find("    p_weight: PARAMETER target='weight'\n    p_bias: PARAMETER target='bias'\n    x: USER_INPUT\n") !=
          std::string::npos);
    tensor x2 = randn({3, 4}, 8);
    CHECK(equal(ep.run({x2})[0], m.forward(x2)));
    REQUIRE(ep.state().size() == 2);
    CHECK(ep.state()[0].first == "p_weight");

    with_buffer w;
    exported_program eb = export_program(w, named("x", randn({3, 4}, 7)));
    std::string tb = to_string(eb);
    CHECK(tb.find("def forward(self, p_linear_weight: f32[2, 4], p_linear_bias: f32[2], b_steps: f32[1], x: f32[3, 4]):") !=
          std::string::npos);
    CHECK(tb.find("add_: f32[1] = torch.ops.aten.add_.Tensor(b_steps, 1);  b_steps = None") != std::string::npos);
    CHECK(tb.find("    b_steps: BUFFER target='steps' persistent=True\n") != std::string::npos);
    CHECK(tb.find("    add_: BUFFER_MUTATION target='steps'\n    add: USER_OUTPUT\n") != std::string::npos);
    CHECK(tb.find("return (add_, add)") != std::string::npos);
    // Running mutates the buffer (as the eager forward does): after export 1, after a run 2.
    CHECK(w.steps.item_double() == 1.0);
    tensor x3 = randn({3, 4}, 9);
    tensor r = eb.run({x3})[0];
    CHECK(w.steps.item_double() == 2.0);
    CHECK(allclose(r, w.lin.forward(x3) + 2.0));
}

TEST_CASE("user input mutation, lifted constants, list inputs, constant outputs") {
    auto mut = [](tensor x) {
        x.mul_(2);
        return x.cos();
    };
    tensor x = randn({3, 2}, 1);
    tensor x_before = x.clone();
    exported_program ep = export_program(mut, named("x", x));
    CHECK(node_lines(ep) == lines{"mul_: f32[3, 2] = torch.ops.aten.mul_.Tensor(x, 2)",
                                  "cos: f32[3, 2] = torch.ops.aten.cos.default(mul_)"});
    CHECK(to_string(ep).find("    mul_: USER_INPUT_MUTATION target='x'\n    cos: USER_OUTPUT\n") != std::string::npos);
    CHECK(allclose(x, x_before * 2)); // export ran the program eagerly once
    tensor fresh = randn({3, 2}, 2), fresh_copy = fresh.clone();
    std::vector<tensor> out = ep.run({fresh});
    REQUIRE(out.size() == 1);
    CHECK(allclose(fresh, fresh_copy * 2)); // run mutates its input as eager does
    CHECK(allclose(out[0], (fresh_copy * 2).cos()));

    tensor c = from_data<float>({1.0f, 2.0f});
    auto uses_constant = [&](const tensor& a) { return a + c + c; };
    exported_program ec = export_program(uses_constant, named("a", ones({2})));
    std::string t = to_string(ec);
    CHECK(t.find("def forward(self, c_lifted_tensor_0: f32[2], a: f32[2]):") != std::string::npos);
    CHECK(t.find("    c_lifted_tensor_0: CONSTANT_TENSOR target='lifted_tensor_0'\n") != std::string::npos);
    CHECK(equal(ec.run({zeros({2})})[0], c + c));

    auto unpack = [](const std::vector<tensor>& args) { return std::pair{args[0] + args[1], 6}; };
    exported_program el = export_program(unpack, named("args", std::vector<tensor>{ones({3, 2}), scalar_tensor(2)}));
    std::string tl = to_string(el);
    CHECK(tl.find("def forward(self, args_0: f32[3, 2], args_1: i64[]):") != std::string::npos);
    CHECK(tl.find("return (add, 6)") != std::string::npos);
    auto r = el.run({zeros({3, 2}), scalar_tensor(5)});
    CHECK(r[1].item_int().unsafe_hint() == 6);
    CHECK(equal(r[0], full({3, 2}, 5.0)));

    auto dict = [](const tensor& a, const tensor& b) { return std::map<std::string, tensor>{{"y", b * (a * a)}}; };
    exported_program ed = export_program(dict, named("x", randn({3, 2}, 1)), named("y", scalar_tensor(3)));
    CHECK(node_lines(ed) == lines{"mul: f32[3, 2] = torch.ops.aten.mul.Tensor(x, x)",
                                  "mul_1: f32[3, 2] = torch.ops.aten.mul.Tensor(y, mul)"});
}

TEST_CASE("exports cannot nest; recording stops when export ends") {
    auto inner = [](const tensor& x) { return export_program([](const tensor& y) { return y; }, x).graph().call_count(); };
    CHECK_THROWS_WITH_AS(export_program([&](const tensor& x) { return sym_int(inner(x)); }, ones({1})),
                         "export_program: another export is already tracing on this thread (exports cannot nest)",
                         usage_error);
    CHECK(detail::active_trace == nullptr);
    tensor a = ones({2});
    tensor b = a + a; // not recorded anywhere
    CHECK(b.impl().tag.value == -1);
}

TEST_CASE("property: re-running an exported random program equals its eager run") {
    const unsigned seed = 4242;
    INFO("seed " << seed);
    std::mt19937 gen(seed);
    for (int trial = 0; trial < 60; ++trial) {
        std::vector<int> ops;
        for (int i = 0; i < 8; ++i) ops.push_back(static_cast<int>(gen() % 12));
        auto prog = [&](const tensor& x, const tensor& w) {
            tensor h = x;
            for (int op : ops) {
                switch (op) {
                case 0: h = h + w; break;
                case 1: h = h * 0.5; break;
                case 2: h = h.relu(); break;
                case 3: h = h.tanh(); break;
                case 4: h = matmul(h, w.transpose(0, 1).contiguous()).softmax(-1) + h; break;
                case 5: h = h.transpose(0, 1).contiguous().transpose(0, 1); break;
                case 6: h = cat({h[upto(2)], h[from(2)]}); break;
                case 7: h = h - h.mean({1}, true); break;
                case 8: h = h.reshape({-1}).view({h.size(0), h.size(1)}); break;
                case 9: h = where(h > 0, h, h.sigmoid()); break;
                case 10: h = h.max({0}, true).expand({h.size(0), h.size(1)}) + h; break;
                default: h = stack({h, h}).sum({0}); break;
                }
            }
            return h;
        };
        exported_program ep = export_program(prog, named("x", randn({4, 4}, gen())), named("w", randn({4, 4}, gen())));
        tensor x2 = randn({4, 4}, gen()), w2 = randn({4, 4}, gen());
        REQUIRE(equal(ep.run({x2, w2})[0], prog(x2, w2)));
    }
}

TEST_CASE("printer: python float literals") {
    CHECK(python_float(0.5) == "0.5");
    CHECK(python_float(2.0) == "2.0");
    CHECK(python_float(1e20) == "1e+20");
    CHECK(python_float(-std::numeric_limits<double>::infinity()) == "-inf");
    CHECK(python_float(0.1) == "0.1");
}

TEST_CASE("every op records under its ATen name and re-runs equal to eager") {
    auto prog = [](const tensor& x, const tensor& y, const tensor& idx) {
        std::vector<tensor> out;
        // creation
        out.push_back(zeros({2, 3}) + ones({2, 3}) + full({2, 3}, 2.5) + rand({2, 3}, 5) + randn({2, 3}, 6));
        out.push_back(arange(0, 6, 2));
        out.push_back(empty({0, 3}));
        // views and reshapes
        tensor v = x.slice(0, 1, 3).select(1, 0);                              // [2]
        out.push_back(v.unsqueeze(1).expand({2, 3}).transpose(0, 1).contiguous());
        out.push_back(x.view({-1}).reshape({4, 2}).permute({1, 0}).flatten());
        out.push_back(x.unsqueeze(0).squeeze(0).unsqueeze(2).squeeze());
        // unary
        tensor p = y.abs() + 0.5;
        out.push_back(neg(x) + x.sin() + x.cos() + x.exp() + p.log() + p.sqrt() + x.relu() + x.sigmoid() + x.tanh());
        // binary, comparisons, where
        out.push_back(x + y - y * 2 / p + pow(p, y) + pow(p, 2) + maximum(x, y) + minimum(x, y));
        out.push_back(where((x == y) + (x != y), x, y));
        out.push_back(where((x < 0) * (x <= y) * (x > -5) * (x >= y - 10), x, y));
        out.push_back((x < y).to(dtype::i64) + (x > y).to(dtype::i64) + (x <= 0).to(dtype::i64) + (x >= 0).to(dtype::i64) +
                      (x == 0).to(dtype::i64) + (x != 0).to(dtype::i64));
        // in place on an intermediate
        tensor t = x.clone();
        t.add_(y);
        t.sub_(1);
        t.mul_(y);
        t.div_(2);
        out.push_back(t);
        // reductions
        out.push_back(x.sum({1}) + x.mean({0}).sum() + x.max({1}) + x.min({1}, true).squeeze(1) + x.prod(1));
        out.push_back(x.argmax(1) + idx);
        // matmul, linear, softmax, joining
        out.push_back(matmul(x, y.transpose(0, 1)) + linear(x, y) + linear(x, y, y.select(1, 0)));
        out.push_back(x.softmax(1) + x.log_softmax(0));
        out.push_back(cat({x, y}, 1));
        out.push_back(stack({x, y}));
        // data-dependent size
        out.push_back((x > 0).nonzero());
        out.push_back(masked_select(x, x > 0));
        // activations, clamping, masking
        out.push_back(rsqrt(p) + erf(x) + gelu(x) + gelu(x, "tanh") + silu(x));
        out.push_back(clamp(x, -0.5, 0.5) + clamp(x, std::nullopt, 0.1) + masked_fill(x, x > 0, 2.0) + tril(x) + triu(x, 1));
        // statistics and normalisation
        out.push_back(var(x, {1}) + symshape::std(x, {1}, 0) + cumsum(x, 0).sum({1}));
        out.push_back(layer_norm(x, {2}, y.select(0, 0), y.select(0, 1)) + rms_norm(x, {2}));
        // indexing
        tensor ii = idx - 1; // 0..3
        out.push_back(embedding(x, ii) + index_select(x, 0, ii) + x[ii] + gather(x, 0, ii.unsqueeze(1).expand({4, 2})));
        topk_result tk = topk(x, 1, 1);
        out.push_back(tk.values + tk.indices);
        // splitting, padding, repetition, reversal
        std::vector<tensor> parts = split(x, 3);
        out.push_back(parts.at(0));
        out.push_back(parts.at(1));
        out.push_back(split_with_sizes(x, {1, 3}).at(1));
        out.push_back(pad(x, {1, 1}) + 0);
        out.push_back(x.repeat({2, 1}) + flip(x, {0}).repeat({2, 1}));
        // convolution, pooling, attention
        out.push_back(conv2d(x.reshape({1, 1, 4, 2}), y.reshape({2, 1, 2, 2}), {}, 1, 1));
        out.push_back(max_pool2d(x.reshape({1, 4, 2}), 2) + avg_pool2d(x.reshape({1, 4, 2}), 2));
        out.push_back(scaled_dot_product_attention(x, y, y, {}, true) + scaled_dot_product_attention(x, y, x, matmul(x, y.transpose(0, 1)) > 0));
        return out;
    };
    tensor x = randn({4, 2}, 1), y = randn({4, 2}, 2), idx = from_data<std::int64_t>({1, 2, 3, 4});
    exported_program ep = export_program(prog, named("x", x), named("y", y), named("idx", idx));
    std::set<op_kind> seen;
    for (const graph_node& n : ep.graph().nodes)
        if (n.k == graph_node::kind::call) seen.insert(n.op);
    for (int k = 0; k < op_count; ++k) {
        op_kind op = static_cast<op_kind>(k);
        if (op == op_kind::item) continue; // reads data out: a Sym node, not a call (tests in test_dynamic.cpp)
        INFO("op " << std::string(info(op).name));
        CHECK(seen.count(op) == 1);
    }
    std::string text = to_string(ep);
    for (const op_info& row : op_table()) {
        if (std::string(row.name) == "item") continue;
        INFO("op " << std::string(row.name));
        bool printed = text.find(std::string("torch.ops.aten.") + row.aten + "(") != std::string::npos ||
                       (row.aten_alt && text.find(std::string("torch.ops.aten.") + row.aten_alt + "(") != std::string::npos);
        CHECK(printed);
    }
    for (int trial = 0; trial < 5; ++trial) {
        tensor x2 = randn({4, 2}, 10 + trial), y2 = randn({4, 2}, 20 + trial);
        std::vector<tensor> got = ep.run({x2, y2, idx}), want = prog(x2, y2, idx);
        REQUIRE(got.size() == want.size());
        for (std::size_t i = 0; i < got.size(); ++i) {
            INFO("output " << i);
            CHECK(equal(got[i], want[i]));
        }
    }
}

TEST_CASE("run() holds no more tensor memory than eager execution of the same program") {
    // 12 layers; each step's temporaries die at the end of its statement in eager C++, and after
    // their last reader in run(). Counted exactly with tensor_memory(), so the test is not timed.
    auto f = [](const tensor& x0, const tensor& w) {
        tensor x = x0;
        for (int i = 0; i < 12; ++i) {
            tensor h = matmul(x, w);
            x = x + softmax(h.sigmoid() * h, -1) * 0.5;
        }
        return x;
    };
    tensor x = randn({4, 64, 32}, 1), w = randn({32, 32}, 2) * 0.1;
    exported_program ep = export_program(f, named("x", x), named("w", w));
    auto peak_of = [](auto&& g) {
        const std::size_t before = tensor_memory().live_bytes;
        reset_peak_tensor_memory();
        tensor keep = g();
        return tensor_memory().peak_bytes - before;
    };
    const std::size_t eager = peak_of([&] { return f(x, w); });
    const std::size_t run = peak_of([&] { return ep.run({x, w})[0]; });
    INFO("eager peak " << eager << " bytes, run() peak " << run << " bytes");
    CHECK(run <= eager);
    CHECK(tensor_memory().live_bytes >= x.numel() * 4); // x itself is still alive
}

TEST_CASE("assume_constant_result may return a tensor: it becomes a lifted constant") {
    auto scale = assume_constant_result([](const tensor& y) { return y * 2; });
    auto f = [&](const tensor& x, const tensor& y) { return x + scale(y); };
    exported_program ep = export_program(f, named("x", ones({2})), named("y", from_data<float>({1.0f, 2.0f})));
    CHECK(node_lines(ep) == lines{"add: f32[2] = torch.ops.aten.add.Tensor(x, c_lifted_tensor_0)"});
    CHECK(equal(ep.run({zeros({2}), zeros({2})})[0], from_data<float>({2.0f, 4.0f}))); // y is not read again
}
