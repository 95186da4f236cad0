// ExportDB `dynamic_shape_assert` (python.assert; SUPPORTED):
//     assert x.shape[0] > 2, f"{x.shape[0]} is greater than 2"
//     assert x.shape[0] > 1
//     return x                                              # x = randn(3, 2)
// The asserts are written as check(cond, message) / check(cond) on the sizes.
// 1. Static export, as on the ExportDB page: both conditions are constants (3 > 2, 3 > 1), checked
//    while tracing; nothing is recorded and the graph just returns x.
// 2. With `dim("dim0_x")` on dim 0 ([0, inf]): check() is symshape's torch._check, a runtime
//    assertion rather than a guard, so the first check records `gt: Sym(s0 > 2)` and an
//    `_assert_scalar` carrying the message, and refines the range of s0 to [3, inf]; the second
//    (s0 > 1) then follows from that range and records nothing. Runs on new sizes match eager; a
//    size 2 input fails the runtime assertion with its message (assertion_error).
// 3. With `dim("dim0_x", 3)`: the declared range already proves both checks, so nothing is
//    recorded, as in the static export, but the size stays symbolic.
#include "check.hpp"

using namespace symshape;

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "dynamic_shape_assert");
    auto forward = [](const tensor& x) {
        check(x.size(0) > 2, "x.size(0) is greater than 2");
        check(x.size(0) > 1);
        return x;
    };
    auto eager = [&](std::vector<tensor>& in) { return std::vector<tensor>{forward(in[0])}; };
    exported_program ep = export_program(forward, named("x", randn({3, 2}, 1)));
    int rc = exportdb::report(ep, {randn({3, 2}, 2)}, eager);

    exportdb::section("with dynamic_shapes {x: {0: dim(\"dim0_x\")}}");
    exported_program dyn = export_program(forward, dynamic_shapes{{"x", {{0, dim("dim0_x")}}}}, named("x", randn({3, 2}, 1)));
    rc |= exportdb::report_runs(dyn, {{randn({3, 2}, 3)}, {randn({8, 2}, 4)}}, eager);
    rc |= exportdb::expect_error<assertion_error>("run on x: f32[2, 2] -> assertion_error", [&] { (void)dyn.run({randn({2, 2}, 5)}); });

    exportdb::section("with dynamic_shapes {x: {0: dim(\"dim0_x\", 3)}}");
    exported_program narrow =
        export_program(forward, dynamic_shapes{{"x", {{0, dim("dim0_x", 3)}}}}, named("x", randn({3, 2}, 1)));
    rc |= exportdb::report_runs(narrow, {{randn({4, 2}, 6)}}, eager);
    rc |= exportdb::expect_input_error(narrow, {randn({2, 2}, 7)});
    return rc;
}
