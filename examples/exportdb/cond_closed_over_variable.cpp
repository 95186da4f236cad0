// ExportDB `cond_closed_over_variable` (torch.cond, python.closure; SUPPORTED): the predicate is a
// tensor, so the choice depends on data and the cond node stays in the graph:
//     def true_fn(val): return x * 2
//     def false_fn(val): return x - 2
//     return cond(pred, true_fn, false_fn, [x + 1])      pred = tensor(True), x = randn(3, 2)
// As on the page: `cond(pred, true_graph_0, false_graph_0, (x,))`: the branches ignore their operand
// `x + 1` (it is computed and dropped: `add = None`) and use the captured `x`, which becomes the
// operand; subgraphs `mul(x, 2)` and `sub(x, 2)`. Runs with pred True and False match eager.
#include "check.hpp"

using namespace symshape;

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "cond_closed_over_variable");
    auto forward = [](const tensor& pred, const tensor& x) {
        auto true_fn = [&](const tensor&) { return x * 2; };
        auto false_fn = [&](const tensor&) { return x - 2; };
        return cond(pred, true_fn, false_fn, x + 1);
    };
    auto eager = [&](std::vector<tensor>& in) { return std::vector<tensor>{forward(in[0], in[1])}; };
    exported_program ep = export_program(forward, named("pred", scalar_tensor(true)), named("x", randn({3, 2}, 1)));
    return exportdb::report_runs(ep, {{scalar_tensor(true), randn({3, 2}, 2)}, {scalar_tensor(false), randn({3, 2}, 3)}}, eager);
}
