// ExportDB `dynamic_shape_view` (torch.dynamic-shape; SUPPORTED):
//     new_x_shape = x.size()[:-1] + (2, 5)
//     x = x.view(*new_x_shape)
//     return x.permute(0, 2, 1)
// 1. Exported with static shapes, as on the ExportDB page: `view: f32[10, 2, 5] =
//    aten.view.default(x, [10, 2, 5])` and `permute: f32[10, 5, 2]`.
// 2. With a dim on dim 0 (`dynamic_shapes={"x": {0: Dim("dim0_x")}}`), PyTorch records
//    `sym_size_int: Sym(s0) = aten.sym_size.int(x, 0)`, `view: f32[s0, 2, 5] = aten.view.default(x,
//    [sym_size_int, 2, 5])` and `permute: f32[s0, 5, 2]`; symshape prints the same. The sizes are
//    read one by one with x.size(i), each recording its sym_size node: x.sizes() returns the stored
//    sizes without recording a read, and the view would then print the bare symbol `s0` as its
//    argument (it still runs correctly). Runs on new batch sizes match eager.
// 3. With a dim on dim 1 instead: the view's numel check `s0 == 10` specialises the dim (the
//    program only works when it is 10), so export throws constraint_violation; its fix, dropping
//    that dim, is export 1 (or export 2, where dim 1 is static).
#include "check.hpp"

using namespace symshape;

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "dynamic_shape_view");
    auto forward = [](const tensor& x) {
        shape_vec new_shape;
        for (int i = 0; i + 1 < x.dim(); ++i) new_shape.push_back(x.size(i)); // x.size()[:-1]
        new_shape.push_back(2);
        new_shape.push_back(5);
        return x.view(new_shape).permute({0, 2, 1});
    };
    auto eager = [&](std::vector<tensor>& in) { return std::vector<tensor>{forward(in[0])}; };
    exported_program ep = export_program(forward, named("x", randn({10, 10}, 1)));
    int rc = exportdb::report(ep, {randn({10, 10}, 2)}, eager);

    exportdb::section("with dynamic_shapes {x: {0: dim(\"dim0_x\")}}");
    exported_program dyn = export_program(forward, dynamic_shapes{{"x", {{0, dim("dim0_x")}}}}, named("x", randn({10, 10}, 1)));
    rc |= exportdb::report_runs(dyn, {{randn({4, 10}, 3)}, {randn({1, 10}, 4)}, {randn({0, 10}, 5)}}, eager);
    rc |= exportdb::expect_input_error(dyn, {randn({4, 12}, 6)});

    exportdb::section("with dynamic_shapes {x: {1: dim(\"dim1_x\")}}");
    rc |= exportdb::expect_error<constraint_violation>("export -> constraint_violation", [&] {
        (void)export_program(forward, dynamic_shapes{{"x", {{1, dim("dim1_x")}}}}, named("x", randn({10, 10}, 1)));
    });
    return rc;
}
