// ExportDB `cond_operands` (torch.cond, torch.dynamic-shape; SUPPORTED), without a cond op:
//     def true_fn(x, y): return x + y
//     def false_fn(x, y): return x - y
//     return torch.cond(x.shape[0] > 2, true_fn, false_fn, [x, y])
//     dynamic_shapes={"x": {0: Dim("dim0_x")}, "y": None}, x = randn(3, 2), y = randn(2)
// PyTorch keeps the predicate symbolic and both branches: `sym_size_int_1: Sym(s77) =
// aten.sym_size.int(x, 0)`, `gt: Sym(s77 > 2) = sym_size_int_1 > 2`, `cond(gt, true_graph_0,
// false_graph_0, (x, y))` with `add` / `sub` subgraphs on `f32[s77, 2]`, and `{s77: VR[0, int_oo]}`.
// symshape has no cond operator: the predicate is ordinary C++ control flow, so `x.size(0) > 2` is
// decided on the example (3 > 2, the `add` branch) and recorded as the guard `s0 > 2`.
// 1. With PyTorch's dim0_x ([0, inf]) the guard does not hold on the whole declared range, so
//    export throws constraint_violation naming dim0_x, the guard, the user code that asked, and the
//    suggested fix `dim("dim0_x", 3)`.
// 2. The fix applied: export succeeds with only `add: f32[s0, 2]` (the guard is now proven by the
//    range, nothing else is recorded) and the range constraint narrowed to `s0: VR[3, inf]`; runs on
//    new sizes match eager and size 2 is rejected with an input_error.
// 3. The other branch is another program: exported from an example of size 2 with
//    `dim("dim0_x", 0, 2)` it records only `sub: f32[s0, 2]` with `s0: VR[0, 2]`.
#include "check.hpp"

using namespace symshape;

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "cond_operands");
    auto forward = [](const tensor& x, const tensor& y) {
        if (x.size(0) > 2) return x + y;
        return x - y;
    };
    auto eager = [&](std::vector<tensor>& in) { return std::vector<tensor>{forward(in[0], in[1])}; };

    exportdb::section("with dynamic_shapes {x: {0: dim(\"dim0_x\")}}");
    int rc = exportdb::expect_error<constraint_violation>("export -> constraint_violation", [&] {
        (void)export_program(forward, dynamic_shapes{{"x", {{0, dim("dim0_x")}}}}, named("x", randn({3, 2}, 1)),
                             named("y", randn({2}, 2)));
    });

    exportdb::section("the suggested fix applied: dim(\"dim0_x\", 3)");
    exported_program big = export_program(forward, dynamic_shapes{{"x", {{0, dim("dim0_x", 3)}}}},
                                          named("x", randn({3, 2}, 1)), named("y", randn({2}, 2)));
    rc |= exportdb::report_runs(big, {{randn({5, 2}, 3), randn({2}, 4)}, {randn({3, 2}, 5), randn({2}, 6)}}, eager);
    rc |= exportdb::expect_input_error(big, {randn({2, 2}, 7), randn({2}, 8)});

    exportdb::section("the other branch: dim(\"dim0_x\", 0, 2), example of size 2");
    exported_program small = export_program(forward, dynamic_shapes{{"x", {{0, dim("dim0_x", 0, 2)}}}},
                                            named("x", randn({2, 2}, 1)), named("y", randn({2}, 2)));
    rc |= exportdb::report_runs(small, {{randn({1, 2}, 9), randn({2}, 10)}, {randn({0, 2}, 11), randn({2}, 12)}}, eager);
    rc |= exportdb::expect_input_error(small, {randn({3, 2}, 13), randn({2}, 14)});
    return rc;
}
