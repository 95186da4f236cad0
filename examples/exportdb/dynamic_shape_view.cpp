// ExportDB `dynamic_shape_view` (torch.dynamic-shape), exported with static shapes:
// `x.view(*(x.size()[:-1] + (2, 5))).permute(0, 2, 1)` gives `view: f32[10, 2, 5]` and
// `permute: f32[10, 5, 2]`.
#include "check.hpp"

using namespace symshape;

int main() {
    auto forward = [](const tensor& x) {
        shape_vec new_shape(x.sizes().begin(), x.sizes().end() - 1);
        new_shape.push_back(2);
        new_shape.push_back(5);
        return x.view(new_shape).permute({0, 2, 1});
    };
    exported_program ep = export_program(forward, named("x", randn({10, 10}, 1)));
    return exportdb::report(ep, {randn({10, 10}, 2)}, [&](std::vector<tensor>& in) { return std::vector<tensor>{forward(in[0])}; });
}
