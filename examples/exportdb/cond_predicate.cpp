// ExportDB `cond_predicate` (torch.cond, torch.dynamic-shape): the predicate is a boolean
// expression on the shape:
//     pred = x.dim() > 2 and x.shape[2] > 10
//     return cond(pred, lambda x: x.cos(), lambda y: y.sin(), [x])     x = randn(6, 4, 3)
// Static shapes: the predicate is False, the graph is `sin: f32[6, 4, 3]` as on the page. With
// dimension 2 dynamic the predicate `s0 > 10` stays symbolic (x.dim() > 2 is a C++ constant, so
// `&&` never asks the shape question) and both branches are kept in a cond node.
#include "check.hpp"

using namespace symshape;

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "cond_predicate");
    auto forward = [](const tensor& x) {
        const cond_predicate pred = x.dim() > 2 ? cond_predicate(x.size(2) > 10) : cond_predicate(false);
        return cond(pred, [](const tensor& a) { return a.cos(); }, [](const tensor& b) { return b.sin(); }, x);
    };
    auto eager = [&](std::vector<tensor>& in) { return std::vector<tensor>{forward(in[0])}; };
    exportdb::section("static shapes: x = randn(6, 4, 3)");
    int rc = exportdb::report_runs(export_program(forward, named("x", randn({6, 4, 3}, 1))), {{randn({6, 4, 3}, 2)}}, eager);
    exportdb::section("dynamic_shapes {x: {2: dim(\"d\")}}");
    exported_program dyn = export_program(forward, dynamic_shapes{{"x", {{2, dim("d")}}}}, named("x", randn({6, 4, 3}, 1)));
    rc |= exportdb::report_runs(dyn, {{randn({6, 4, 11}, 3)}, {randn({6, 4, 10}, 4)}, {randn({6, 4, 1}, 5)}}, eager);
    return rc;
}
