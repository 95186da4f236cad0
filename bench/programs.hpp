// bench/programs.hpp — the peer programs of ../shared/peers.md written with symshape (mlp,
// slicer). Shared by bench_tensor and the tests that check exported runs against eager.
#pragma once

#include <utility>

#include "symshape/tensor.hpp"

namespace symshape::programs {

struct mlp_weights {
    tensor w1 = randn({64, 32}, 1), b1 = randn({64}, 2), w2 = randn({64, 64}, 3), b2 = randn({64}, 4),
           w3 = randn({16, 64}, 5), b3 = randn({16}, 6);
};

inline tensor mlp(const tensor& x, const tensor& w1, const tensor& b1, const tensor& w2, const tensor& b2, const tensor& w3,
           const tensor& b3) {
    tensor h = linear(x, w1, b1).relu();
    h = linear(h, w2, b2);
    h = h * h.sigmoid();
    tensor r = h;
    h = linear(h, w2, b2);
    h = (h + r).tanh();
    h = linear(h, w3, b3);
    sym_int batch = x.size(0);
    h = h.view({batch, 4, 4}).transpose(1, 2).reshape({batch, 16});
    return (h * 0.5).softmax(-1);
}

inline std::pair<tensor, tensor> slicer(const tensor& x) {
    sym_int n = x.size(0);
    sym_int half = floor_div(n, 2);
    tensor a = x.slice(0, 0, half);
    tensor b = x.slice(0, half, half * 2);
    tensor y = (a * b).sum({1});
    tensor hi = x.slice(0, 1, n);
    tensor d = hi - x.slice(0, 0, n - 1);
    tensor ry = y.relu();
    return {ry, d.abs().mean({0})};
}

} // namespace symshape::programs
