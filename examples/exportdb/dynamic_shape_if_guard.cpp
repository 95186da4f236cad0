// ExportDB `dynamic_shape_if_guard` (torch.dynamic-shape, python.control-flow), exported with static
// shapes: `if x.shape[0] == 3: cos else sin` is decided while tracing, so the graph is
// `cos: f32[3, 2, 2]`. (With a dynamic dim 0 this becomes a guard; that is the symbolic-shape issue.)
#include "check.hpp"

using namespace symshape;

int main() {
    auto forward = [](const tensor& x) {
        if (x.size(0) == 3) return x.cos();
        return x.sin();
    };
    exported_program ep = export_program(forward, named("x", randn({3, 2, 2}, 1)));
    return exportdb::report(ep, {randn({3, 2, 2}, 2)}, [&](std::vector<tensor>& in) { return std::vector<tensor>{forward(in[0])}; });
}
