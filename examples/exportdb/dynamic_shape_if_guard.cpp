// ExportDB `dynamic_shape_if_guard` (torch.dynamic-shape, python.control-flow; SUPPORTED):
//     if x.shape[0] == 3: return x.cos()
//     return x.sin()
// 1. Exported with static shapes, as on the ExportDB page: the test is decided while tracing, so
//    the graph is `cos: f32[3, 2, 2]`.
// 2. The page's docstring: export fails when dim 0 is marked dynamic, because the guard
//    `Eq(s0, 3)` specialises it (PyTorch raises a constraint violation for dim0_x saying the
//    program specialised it to the constant 3). symshape throws constraint_violation naming the
//    dim and its declared range, the constant the program needs (`s0 == 3`), that user code asked,
//    and the fix; printed below.
// 3. The fix applied: the program only works for size 3, so dim 0 stays static (dynamic_shapes
//    for the other dims only): a dynamic dim 1 exports, and runs on new sizes of dim 1 match eager.
#include "check.hpp"

using namespace symshape;

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "dynamic_shape_if_guard");
    auto forward = [](const tensor& x) {
        if (x.size(0) == 3) return x.cos();
        return x.sin();
    };
    auto eager = [&](std::vector<tensor>& in) { return std::vector<tensor>{forward(in[0])}; };
    exported_program ep = export_program(forward, named("x", randn({3, 2, 2}, 1)));
    int rc = exportdb::report(ep, {randn({3, 2, 2}, 2)}, eager);

    exportdb::section("with dynamic_shapes {x: {0: dim(\"dim0_x\")}}");
    rc |= exportdb::expect_error<constraint_violation>("export -> constraint_violation", [&] {
        (void)export_program(forward, dynamic_shapes{{"x", {{0, dim("dim0_x")}}}}, named("x", randn({3, 2, 2}, 1)));
    });

    exportdb::section("the fix: dim 0 static, dynamic_shapes {x: {1: dim(\"dim1_x\")}}");
    exported_program fixed =
        export_program(forward, dynamic_shapes{{"x", {{1, dim("dim1_x")}}}}, named("x", randn({3, 2, 2}, 1)));
    rc |= exportdb::report_runs(fixed, {{randn({3, 5, 2}, 3)}, {randn({3, 1, 2}, 4)}}, eager);
    rc |= exportdb::expect_input_error(fixed, {randn({4, 5, 2}, 5)});
    return rc;
}
