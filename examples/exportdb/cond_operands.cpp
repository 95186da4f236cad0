// ExportDB `cond_operands` (torch.cond, torch.dynamic-shape; SUPPORTED):
//     def true_fn(x, y): return x + y
//     def false_fn(x, y): return x - y
//     return torch.cond(x.shape[0] > 2, true_fn, false_fn, [x, y])
//     dynamic_shapes={"x": {0: Dim("dim0_x")}, "y": None}, x = randn(3, 2), y = randn(2)
// As on the page, the predicate stays symbolic: `sym_size_int: Sym(s0)`, `gt: Sym(s0 > 2)`, one
// `torch.ops.higher_order.cond(gt, true_graph_0, false_graph_0, (x, y))` whose branches are the
// `add` / `sub` subgraphs on `f32[s0, 2]`, no guard, and the range `s0: VR[0, inf]` as declared.
// The one program runs both branches: sizes 5 and 3 take `add`, sizes 2 and 0 take `sub`.
// Written as plain C++ control flow instead (`if (x.size(0) > 2)`), the same program records the
// guard `s0 > 2`, and export asks for the range to be narrowed (last section).
#include "check.hpp"

using namespace symshape;

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "cond_operands");
    auto true_fn = [](const tensor& x, const tensor& y) { return x + y; };
    auto false_fn = [](const tensor& x, const tensor& y) { return x - y; };
    auto forward = [&](const tensor& x, const tensor& y) { return cond(x.size(0) > 2, true_fn, false_fn, x, y); };
    auto eager = [&](std::vector<tensor>& in) { return std::vector<tensor>{in[0].size(0).unsafe_hint() > 2 ? in[0] + in[1] : in[0] - in[1]}; };

    exportdb::section("torch.cond with dynamic_shapes {x: {0: dim(\"dim0_x\")}}");
    exported_program ep = export_program(forward, dynamic_shapes{{"x", {{0, dim("dim0_x")}}}}, named("x", randn({3, 2}, 1)),
                                         named("y", randn({2}, 2)));
    int rc = exportdb::report_runs(ep,
                                   {{randn({5, 2}, 3), randn({2}, 4)},
                                    {randn({3, 2}, 5), randn({2}, 6)},
                                    {randn({2, 2}, 7), randn({2}, 8)},
                                    {randn({0, 2}, 9), randn({2}, 10)}},
                                   eager);
    std::cout << "guards: " << ep.guards().size() << "\n";

    exportdb::section("the same branches as an if statement: a guard, and a narrower range to declare");
    auto with_if = [&](const tensor& x, const tensor& y) { return x.size(0) > 2 ? true_fn(x, y) : false_fn(x, y); };
    rc |= exportdb::expect_error<constraint_violation>("export -> constraint_violation", [&] {
        (void)export_program(with_if, dynamic_shapes{{"x", {{0, dim("dim0_x")}}}}, named("x", randn({3, 2}, 1)),
                             named("y", randn({2}, 2)));
    });
    return rc;
}
