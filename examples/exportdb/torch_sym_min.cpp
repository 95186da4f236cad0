// ExportDB `unsupported_operator` (class TorchSymMin; torch.operator), formerly `torch_sym_min`:
//     return x.sum() + torch.sym_min(x.size(0), 100)        # x = randn(3, 2)
// The generated ExportDB index marks it NOT_SUPPORTED_YET ("Unsupported: torch.* op returned
// non-Tensor"); the newest file says torch.sym_min is supported in export.
// 1. Static export: the size is the constant 3, so min(3, 100) is 3 and the graph is
//    `sum_1: f32[] = aten.sum.default(x)`, `add: f32[] = aten.add.Tensor(sum_1, 3)`.
// 2. With a dim on dim 0 (PyTorch's page has none): `sym_size_int: Sym(s0)`, then
//    `sym_min: Sym(min(s0, 100)) = torch.sym_min(sym_size_int, 100)` (PyTorch prints
//    `Sym(Min(100, s0))` for the same node) and `add(sum_1, sym_min)`; no guard is needed, so the
//    range stays `s0: VR[0, inf]`. Runs on sizes 7, 150 (min is 100) and 0 match eager.
// The sum is computed in its own statement so that the node order does not depend on the order
// in which the compiler evaluates the operands of `+`.
#include "check.hpp"

using namespace symshape;

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "torch_sym_min");
    auto forward = [](const tensor& x) {
        tensor s = x.sum();
        return s + min(x.size(0), sym_int(100));
    };
    auto eager = [&](std::vector<tensor>& in) { return std::vector<tensor>{forward(in[0])}; };
    exported_program ep = export_program(forward, named("x", randn({3, 2}, 1)));
    int rc = exportdb::report(ep, {randn({3, 2}, 2)}, eager);

    exportdb::section("with dynamic_shapes {x: {0: dim(\"dim0_x\")}}");
    exported_program dyn = export_program(forward, dynamic_shapes{{"x", {{0, dim("dim0_x")}}}}, named("x", randn({3, 2}, 1)));
    rc |= exportdb::report_runs(dyn, {{randn({7, 2}, 3)}, {randn({150, 2}, 4)}, {randn({0, 2}, 5)}}, eager);
    rc |= exportdb::expect_input_error(dyn, {randn({7, 3}, 6)});
    return rc;
}
