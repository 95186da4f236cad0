// ExportDB `scalar_output` (torch.dynamic-shape; SUPPORTED):
//     def scalar_output(x): return x.shape[1] + 1
//     dynamic_shapes={"x": {1: Dim("dim1_x")}}
// PyTorch prints `forward(x: f32[3, s27])`, `sym_size_int_1: Sym(s27) = aten.sym_size.int(x, 1)`,
// `add: Sym(s27 + 1) = sym_size_int_1 + 1`, returns `add` (a SymInt output) and the range
// constraints `{s27: VR[0, int_oo]}`. symshape numbers backed symbols in input order, so the
// same graph reads `x: f32[3, s0]`, `sym_size_int: Sym(s0)`, `add: Sym(s0 + 1)`, with
// `s0: VR[0, inf]` (a Dim without bounds is [0, inf]; 0 and 1 are not specialised away). The
// integer output comes back from run() as an i64 scalar tensor; eager returns the plain number.
// Runs on widths 7, 1 and 0 give 8, 2 and 1; a wrong static dim 0 is an input_error.
#include "check.hpp"

using namespace symshape;

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "scalar_output");
    auto forward = [](const tensor& x) { return x.size(1) + 1; };
    auto eager = [&](std::vector<tensor>& in) { return std::vector<tensor>{scalar_tensor(forward(in[0]).unsafe_hint())}; };
    exported_program ep =
        export_program(forward, dynamic_shapes{{"x", {{1, dim("dim1_x")}}}}, named("x", randn({3, 2}, 1)));
    int rc = exportdb::report_runs(ep, {{randn({3, 7}, 2)}, {randn({3, 1}, 3)}, {randn({3, 0}, 4)}}, eager);
    rc |= exportdb::expect_input_error(ep, {randn({4, 7}, 5)});
    return rc;
}
