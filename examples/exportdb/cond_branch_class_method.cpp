// ExportDB `cond_branch_class_method` (torch.cond, torch.dynamic-shape): the branches are a
// sub-module's forward (`self.subm.forward`, which calls `foo`: cos) and a method (`bar`: sin):
//     return cond(x.shape[0] <= 2, self.subm.forward, self.bar, [x])     x = randn(3)
// With static shapes the predicate is the constant False, so only `bar` runs and the graph is
// `sin: f32[3]`, as on the page (no cond node, no guard). With a dynamic dim the predicate
// `s0 <= 2` stays symbolic: one cond node whose subgraphs are cos and sin, run here at sizes that
// take each branch.
#include "check.hpp"

using namespace symshape;

namespace {
struct my_sub_module : module {
    tensor foo(const tensor& x) const { return x.cos(); }
    tensor forward(const tensor& x) const { return foo(x); }
};

struct cond_branch_class_method : module {
    my_sub_module subm;
    cond_branch_class_method() { register_module("subm", subm); }
    tensor bar(const tensor& x) const { return x.sin(); }
    tensor forward(const tensor& x) const {
        return cond(x.size(0) <= 2, [this](const tensor& a) { return subm.forward(a); }, [this](const tensor& a) { return bar(a); }, x);
    }
};
} // namespace

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "cond_branch_class_method");
    cond_branch_class_method m;
    auto eager = [&](std::vector<tensor>& in) { return std::vector<tensor>{m.forward(in[0])}; };
    exportdb::section("static shapes: x = randn(3)");
    int rc = exportdb::report_runs(export_program(m, named("x", randn({3}, 1))), {{randn({3}, 2)}}, eager);
    exportdb::section("dynamic_shapes {x: {0: dim(\"n\")}}");
    exported_program dyn = export_program(m, dynamic_shapes{{"x", {{0, dim("n")}}}}, named("x", randn({3}, 1)));
    rc |= exportdb::report_runs(dyn, {{randn({1}, 3)}, {randn({2}, 4)}, {randn({7}, 5)}}, eager);
    return rc;
}
