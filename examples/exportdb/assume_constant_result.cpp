// ExportDB `assume_constant_result` (torch.escape-hatch), the seed page in C++: `get_item(y)` reads
// `y` as an integer; wrapped in assume_constant_result it runs eagerly during export and its value
// (4) is burned into the graph, so `x[: get_item(y)]` records one slice with end 4 (clamped to the
// 3 rows: f32[3, 2]) and `y` stays unused. RISK: the constant is not re-checked on new inputs.
#include "check.hpp"

using namespace symshape;

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "assume_constant_result");
    auto get_item = assume_constant_result([](const tensor& y) { return y.to(dtype::i32).item_int(); });
    auto forward = [&](const tensor& x, const tensor& y) { return x[upto(get_item(y))]; };
    exported_program ep = export_program(forward, named("x", randn({3, 2}, 42)), named("y", scalar_tensor(4)));
    return exportdb::report(ep, {randn({3, 2}, 7), scalar_tensor(4)},
                            [&](std::vector<tensor>& in) { return std::vector<tensor>{forward(in[0], in[1])}; });
}
