// ExportDB `dynamic_shape_constructor` (torch.dynamic-shape), exported with static shapes:
// `torch.zeros(x.shape[0] * 2)` gives `zeros: f32[6] = aten.zeros.default([6], ...)`.
#include "check.hpp"

using namespace symshape;

int main() {
    auto forward = [](const tensor& x) { return zeros({x.size(0) * 2}); };
    exported_program ep = export_program(forward, named("x", randn({3, 2}, 1)));
    return exportdb::report(ep, {randn({3, 2}, 2)}, [&](std::vector<tensor>& in) { return std::vector<tensor>{forward(in[0])}; });
}
