// A small convolutional classifier exported with a dynamic image height H and width W:
// conv 3x3 -> relu -> max_pool 2 -> conv 3x3 stride 2 -> mean over H and W -> linear.
// The printed sizes are the floor-division formulas of the convolution arithmetic; the second
// convolution needs the pooled map to be at least 3 wide, so H and W must be at least 8. A range
// that starts lower is refused with a violation that names the minimum; with it, the program
// exports with no guard and re-runs at other sizes.
#include <iostream>

#include "../exportdb/check.hpp"
#include "symshape/symshape.hpp"

namespace {
namespace ss = symshape;

struct conv_layer : ss::module {
    ss::tensor weight, bias;
    std::int64_t stride;
    conv_layer(std::int64_t in, std::int64_t out, std::int64_t k, std::int64_t stride_, std::uint64_t seed)
        : weight(ss::randn({out, in, k, k}, seed) * 0.2), bias(ss::randn({out}, seed + 1) * 0.1), stride(stride_) {
        register_parameter("weight", weight);
        register_parameter("bias", bias);
    }
    ss::tensor operator()(const ss::tensor& x) const { return ss::conv2d(x, weight, bias, stride); }
};

struct classifier : ss::module {
    conv_layer conv1{3, 8, 3, 1, 1}, conv2{8, 16, 3, 2, 3};
    ss::tensor fc_weight = ss::randn({10, 16}, 5) * 0.2, fc_bias = ss::zeros({10});
    classifier() {
        register_module("conv1", conv1);
        register_module("conv2", conv2);
        register_parameter("fc_weight", fc_weight);
        register_parameter("fc_bias", fc_bias);
    }
    ss::tensor forward(const ss::tensor& x) const {
        ss::tensor y = ss::max_pool2d(conv1(x).relu(), 2);
        y = conv2(y).mean({2, 3});
        return ss::linear(y, fc_weight, fc_bias);
    }
};

ss::dynamic_shapes image_dims(const ss::dim& h, const ss::dim& w) { return {{"x", {{2, h}, {3, w}}}}; }
} // namespace

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "cnn");
    classifier model;
    const ss::tensor example = ss::randn({2, 3, 32, 24}, 7);

    exportdb::section("H, W in [4, 1024]: smaller than the kernels need");
    int rc = exportdb::expect_error<ss::constraint_violation>("export", [&] {
        (void)ss::export_program(model, image_dims(ss::dim("H", 4, 1024), ss::dim("W", 4, 1024)), ss::named("x", example));
    });

    exportdb::section("with the fix, H, W in [8, 1024]");
    ss::exported_program ep =
        ss::export_program(model, image_dims(ss::dim("H", 8, 1024), ss::dim("W", 8, 1024)), ss::named("x", example));
    std::cout << "guards: " << ep.guards().size() << "\n";
    rc |= exportdb::report_runs(ep, {{ss::randn({2, 3, 8, 8}, 11)}, {ss::randn({2, 3, 57, 40}, 12)}, {ss::randn({2, 3, 128, 9}, 13)}},
                                [&](std::vector<ss::tensor>& in) { return std::vector<ss::tensor>{model.forward(in[0])}; });
    return rc;
}
