// ExportDB `dynamic_shape_slicing` (torch.dynamic-shape; SUPPORTED): `x[: x.shape[0] - 2, x.shape[1] - 1 :: 2]`.
// 1. Exported with static shapes, as on the ExportDB page: `slice_1: f32[1, 2] = slice(x, 0, 0, 1)`
//    and `slice_2: f32[1, 1] = slice(slice_1, 1, 1, 9223372036854775807, 2)` (INT64_MAX = "to the end").
// 2. Exported with dims on both dimensions of x (named like PyTorch's dim0_x / dim1_x) and their
//    default range [0, inf]: the slice rule needs `s0 - 2 >= 0` (a negative end would count from
//    the back) and `s1 - 1 >= 0` (likewise for the start), so export throws constraint_violation
//    with the narrowed dims as ready-to-paste suggested fixes, like PyTorch's "Suggested fixes".
//    PyTorch's page shows only the static export.
// 3. The suggested fixes applied: `dim("dim0_x", 2)`, `dim("dim1_x", 1)` export. The graph reads
//    both sizes (`sym_size_int`, `sym_size_int_1`), computes `sub: Sym(s0 - 2)` and
//    `sub_1: Sym(s1 - 1)`, and gives `slice_2: f32[s0 - 2, 1] = slice(slice_1, 1, sub_1,
//    9223372036854775807, 2)`; runs on new sizes match eager, and sizes below the new minimums
//    are input errors.
#include "check.hpp"

using namespace symshape;

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "dynamic_shape_slicing");
    auto forward = [](const tensor& x) { return x.index({upto(x.size(0) - 2), slice_spec{x.size(1) - 1, end_of_dim, 2}}); };
    auto eager = [&](std::vector<tensor>& in) { return std::vector<tensor>{forward(in[0])}; };
    exported_program ep = export_program(forward, named("x", randn({3, 2}, 1)));
    int rc = exportdb::report(ep, {randn({3, 2}, 2)}, eager);

    exportdb::section("with dynamic_shapes {x: {0: dim(\"dim0_x\"), 1: dim(\"dim1_x\")}}");
    rc |= exportdb::expect_error<constraint_violation>("export -> constraint_violation", [&] {
        (void)export_program(forward, dynamic_shapes{{"x", {{0, dim("dim0_x")}, {1, dim("dim1_x")}}}}, named("x", randn({3, 2}, 1)));
    });

    exportdb::section("the suggested fixes applied: dim(\"dim0_x\", 2), dim(\"dim1_x\", 1)");
    exported_program dyn = export_program(forward, dynamic_shapes{{"x", {{0, dim("dim0_x", 2)}, {1, dim("dim1_x", 1)}}}},
                                          named("x", randn({3, 2}, 1)));
    rc |= exportdb::report_runs(dyn, {{randn({6, 5}, 3)}, {randn({2, 1}, 4)}, {randn({9, 4}, 5)}}, eager);
    rc |= exportdb::expect_input_error(dyn, {randn({1, 4}, 6)});
    rc |= exportdb::expect_input_error(dyn, {randn({5, 0}, 7)});
    return rc;
}
