// ExportDB `dynamic_shape_constructor` (torch.dynamic-shape; SUPPORTED): `torch.zeros(x.shape[0] * 2)`.
// 1. Exported with static shapes, as on the ExportDB page: `zeros: f32[6] = aten.zeros.default([6], ...)`.
// 2. Exported with `dynamic_shapes={"x": {0: Dim("dim0_x")}}` (the page suggests testing this):
//    PyTorch gives `sym_size_int: Sym(s0) = aten.sym_size.int(x, 0)`, `mul: Sym(2*s0) =
//    sym_size_int * 2` and `zeros: f32[2*s0] = aten.zeros.default([mul], ...)`; symshape prints
//    the same nodes, the size passed by reference to `mul`, and `s0: VR[0, inf]`. Runs on new
//    batch sizes (5, 1, 0) match eager; a wrong static dim 1 is an input_error.
#include "check.hpp"

using namespace symshape;

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "dynamic_shape_constructor");
    auto forward = [](const tensor& x) { return zeros({x.size(0) * 2}); };
    auto eager = [&](std::vector<tensor>& in) { return std::vector<tensor>{forward(in[0])}; };
    exported_program ep = export_program(forward, named("x", randn({3, 2}, 1)));
    int rc = exportdb::report(ep, {randn({3, 2}, 2)}, eager);

    exportdb::section("with dynamic_shapes {x: {0: dim(\"dim0_x\")}}");
    exported_program dyn = export_program(forward, dynamic_shapes{{"x", {{0, dim("dim0_x")}}}}, named("x", randn({3, 2}, 1)));
    rc |= exportdb::report_runs(dyn, {{randn({5, 2}, 3)}, {randn({1, 2}, 4)}, {randn({0, 2}, 5)}}, eager);
    rc |= exportdb::expect_input_error(dyn, {randn({5, 3}, 6)});
    return rc;
}
