// ExportDB `cond_branch_nested_function` (torch.cond, torch.dynamic-shape): branches that call
// nested closures over their argument:
//     def true_fn(x):  def inner_true_fn(y): return x + y;  return inner_true_fn(x)
//     def false_fn(x): def inner_false_fn(y): return x - y; return inner_false_fn(x)
//     return cond(x.shape[0] < 10, true_fn, false_fn, [x])              x = randn(3)
// Static shapes: 3 < 10, the graph is `add = aten.add.Tensor(x, x)` as on the page. With a dynamic
// dim the nested lambdas are traced into the subgraphs of one cond node.
#include "check.hpp"

using namespace symshape;

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "cond_branch_nested_function");
    auto forward = [](const tensor& x) {
        auto true_fn = [](const tensor& a) {
            auto inner_true_fn = [&](const tensor& y) { return a + y; };
            return inner_true_fn(a);
        };
        auto false_fn = [](const tensor& a) {
            auto inner_false_fn = [&](const tensor& y) { return a - y; };
            return inner_false_fn(a);
        };
        return cond(x.size(0) < 10, true_fn, false_fn, x);
    };
    auto eager = [&](std::vector<tensor>& in) { return std::vector<tensor>{forward(in[0])}; };
    exportdb::section("static shapes: x = randn(3)");
    int rc = exportdb::report_runs(export_program(forward, named("x", randn({3}, 1))), {{randn({3}, 2)}}, eager);
    exportdb::section("dynamic_shapes {x: {0: dim(\"n\")}}");
    exported_program dyn = export_program(forward, dynamic_shapes{{"x", {{0, dim("n")}}}}, named("x", randn({3}, 1)));
    rc |= exportdb::report_runs(dyn, {{randn({9}, 3)}, {randn({10}, 4)}, {randn({12}, 5)}}, eager);
    return rc;
}
