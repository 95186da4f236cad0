// ExportDB `dynamic_shape_map` (torch.dynamic-shape, torch.map): functorch's map runs a body on
// each row of dimension 0:
//     def body(x, y): return x + y
//     return map(body, xs, y)                    xs = randn(3, 2), y = randn(2)
// As on the page: `map_impl = torch.ops.higher_order.map_impl(body_graph_0, [xs], [y])`, body
// `add: f32[2]`, result `getitem: f32[3, 2]`. With the number of rows dynamic it stays symbolic
// (`f32[s0, 2]`, no guard), and the program maps 1, 5 and 0 rows.
#include "check.hpp"

using namespace symshape;

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "dynamic_shape_map");
    auto forward = [](const tensor& xs, const tensor& y) {
        auto body = [](const tensor& x, const tensor& b) { return x + b; };
        return symshape::map(body, xs, y);
    };
    auto eager = [&](std::vector<tensor>& in) { return std::vector<tensor>{in[0] + in[1]}; };
    exportdb::section("static shapes: xs = randn(3, 2), y = randn(2)");
    int rc = exportdb::report_runs(export_program(forward, named("xs", randn({3, 2}, 1)), named("y", randn({2}, 2))),
                                   {{randn({3, 2}, 3), randn({2}, 4)}}, eager);
    exportdb::section("dynamic_shapes {xs: {0: dim(\"rows\")}}");
    exported_program dyn =
        export_program(forward, dynamic_shapes{{"xs", {{0, dim("rows")}}}}, named("xs", randn({3, 2}, 1)), named("y", randn({2}, 2)));
    rc |= exportdb::report_runs(dyn, {{randn({1, 2}, 5), randn({2}, 6)}, {randn({5, 2}, 7), randn({2}, 8)}, {randn({0, 2}, 9), randn({2}, 10)}},
                                eager);
    std::cout << "guards: " << dyn.guards().size() << "\n";
    return rc;
}
