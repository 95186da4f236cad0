// ExportDB `dynamic_shape_slicing` (torch.dynamic-shape), exported with static shapes:
// `x[: x.shape[0] - 2, x.shape[1] - 1 :: 2]` gives `slice_1: f32[1, 2] = slice(x, 0, 0, 1)` and
// `slice_2: f32[1, 1] = slice(slice_1, 1, 1, 9223372036854775807, 2)` (INT64_MAX = "to the end").
#include "check.hpp"

using namespace symshape;

int main() {
    auto forward = [](const tensor& x) { return x.index({upto(x.size(0) - 2), slice_spec{x.size(1) - 1, end_of_dim, 2}}); };
    exported_program ep = export_program(forward, named("x", randn({3, 2}, 1)));
    return exportdb::report(ep, {randn({3, 2}, 2)}, [&](std::vector<tensor>& in) { return std::vector<tensor>{forward(in[0])}; });
}
