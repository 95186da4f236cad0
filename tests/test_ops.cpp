// Tests of the ops added after the first tensor layer: activations, clamp and masking, triangles,
// statistics and normalisation, indexing by tensors, topk, splitting, padding, repetition, flips,
// conv2d, pooling, attention, ops with several results under export, symbolic conv/pool sizes,
// and user-defined ops. Every expected value is written out by hand (or computed with Python's
// math module), never by calling the op under test.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "symshape/export.hpp"
#include "symshape/io.hpp"
#include "symshape/tensor.hpp"
#include "symshape/tensor/custom_op.hpp"

using namespace symshape;

namespace {
tensor tf(std::initializer_list<float> v, const shape_vec& s) {
    return from_data<float>(std::span<const float>(v.begin(), v.size()), s);
}
tensor tf(std::initializer_list<float> v) { return from_data<float>(v); }
tensor ti(std::initializer_list<std::int64_t> v, const shape_vec& s) {
    return from_data<std::int64_t>(std::span<const std::int64_t>(v.begin(), v.size()), s);
}
tensor ti(std::initializer_list<std::int64_t> v) { return from_data<std::int64_t>(v); }
tensor tb(std::initializer_list<bool> v, const shape_vec& s) {
    return from_data<bool>(std::span<const bool>(v.begin(), v.size()), s);
}
bool close(const tensor& got, const tensor& want) { return allclose(got, want, 1e-5, 1e-6); }
std::vector<std::int64_t> sizes_of(const tensor& x) {
    std::vector<std::int64_t> r;
    for (const sym_int& s : x.sizes()) r.push_back(s.unsafe_hint());
    return r;
}
template <class T> std::vector<T> values(const tensor& x) {
    tensor c = x.contiguous();
    const T* p = c.data_ptr<T>();
    return std::vector<T>(p, p + c.numel());
}
using v64 = std::vector<std::int64_t>;
const float nan_f = std::numeric_limits<float>::quiet_NaN();
const float inf_f = std::numeric_limits<float>::infinity();
} // namespace

// ---------------------------------------------------------------- activations

TEST_CASE("rsqrt, erf, gelu (exact and tanh), silu") {
    CHECK(close(rsqrt(tf({1, 4, 0.25f, 16})), tf({1, 0.5f, 2, 0.25f})));
    CHECK(rsqrt(ti({1, 4})).dtype() == dtype::f32); // integer input gives f32
    CHECK(close(rsqrt(ti({1, 4})), tf({1, 0.5f})));
    CHECK(values<float>(rsqrt(tf({0})))[0] == inf_f);

    const tensor x = tf({-1, 0, 0.5f, 2});
    // math.erf
    CHECK(close(erf(x), tf({-0.842700793f, 0, 0.520499878f, 0.995322265f})));
    // 0.5 x (1 + erf(x / sqrt 2))
    CHECK(close(gelu(x), tf({-0.158655254f, 0, 0.345731231f, 1.95449974f})));
    CHECK(close(gelu(x, "none"), tf({-0.158655254f, 0, 0.345731231f, 1.95449974f})));
    // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    CHECK(close(gelu(x, "tanh"), tf({-0.158808009f, 0, 0.34571401f, 1.95459769f})));
    CHECK_THROWS_AS(gelu(x, "sigmoid"), usage_error);
    CHECK_THROWS_WITH_AS(gelu(x, "Tanh"), doctest::Contains("Tanh"), usage_error);
    // x / (1 + e^-x)
    CHECK(close(silu(x), tf({-0.268941421f, 0, 0.311229666f, 1.76159416f})));
    CHECK(silu(x).dtype() == dtype::f32);
    CHECK(sizes_of(silu(ones({2, 3}))) == v64{2, 3});
}

// ---------------------------------------------------------------- clamp, masked_fill, tril/triu

TEST_CASE("clamp: both bounds, one bound, NaN, integer promotion, no bound") {
    const tensor x = tf({-2, -0.5f, 0.5f, 3, nan_f});
    tensor both = clamp(x, -1.0, 1.0);
    CHECK(close(both, tf({-1, -0.5f, 0.5f, 1, nan_f})));
    CHECK(std::isnan(values<float>(both)[4])); // NaN stays NaN
    CHECK(close(clamp(x, 0.0, std::nullopt), tf({0, 0, 0.5f, 3, nan_f})));
    CHECK(close(clamp(x, std::nullopt, 0.0), tf({-2, -0.5f, 0, 0, nan_f})));
    CHECK(std::isnan(values<float>(clamp(x, 0.0, std::nullopt))[4]));
    CHECK(std::isnan(values<float>(clamp(x, std::nullopt, 0.0))[4]));
    CHECK(clamp(x, -1.0, 1.0).dtype() == dtype::f32);

    const tensor xi = ti({-3, 0, 5});
    tensor lo = clamp(xi, 0.5, std::nullopt); // a real bound makes an integer tensor f32
    CHECK(lo.dtype() == dtype::f32);
    CHECK(close(lo, tf({0.5f, 0.5f, 5})));
    CHECK(equal(clamp(xi, 0, 2), ti({0, 0, 2}))); // integer bounds keep i64
    CHECK(equal(clamp(xi, std::nullopt, 1), ti({-3, 0, 1})));
    CHECK(sizes_of(clamp(ones({2, 3}), 0.0, 0.5)) == v64{2, 3});
    // min > max gives max everywhere, as in PyTorch; NaN still stays NaN
    CHECK(close(clamp(x, 2.0, 1.0), tf({1, 1, 1, 1, nan_f})));
    // a b8 tensor with an integer bound becomes i64
    tensor cb = clamp(tb({false, true}, {2}), 0, 5);
    CHECK(cb.dtype() == dtype::i64);
    CHECK(equal(cb, ti({0, 1})));

    CHECK_THROWS_AS(clamp(x, std::nullopt, std::nullopt), usage_error);
}

TEST_CASE("masked_fill: broadcast mask, value, non-b8 mask") {
    const tensor x = tf({1, 2, 3, 4, 5, 6}, {2, 3});
    const tensor m = tb({true, false, true}, {1, 3});
    CHECK(close(masked_fill(x, m, -1.0), tf({-1, 2, -1, -1, 5, -1}, {2, 3})));
    CHECK(masked_fill(x, m, -1.0).dtype() == dtype::f32);
    // a full [2, 3] mask
    CHECK(close(masked_fill(x, x > 3.5, 0.0), tf({1, 2, 3, 0, 0, 0}, {2, 3})));
    // integer tensor
    CHECK(equal(masked_fill(ti({1, 2, 3}), tb({false, true, false}, {3}), 9), ti({1, 9, 3})));
    // the mask may also broadcast x: [1, 3] against a [2, 3] mask gives [2, 3]
    CHECK(close(masked_fill(tf({1, 2, 3}, {1, 3}), tb({true, false, false, false, false, true}, {2, 3}), 0.0),
                tf({0, 2, 3, 1, 2, 0}, {2, 3})));
    CHECK_THROWS_AS(masked_fill(x, ti({1, 0, 1}, {1, 3}), 0.0), usage_error);
    CHECK_THROWS_AS(masked_fill(x, tf({1, 0, 1}, {1, 3}), 0.0), usage_error);
}

TEST_CASE("tril / triu on a 3x4 matrix and a batch of 3x3") {
    const tensor x = arange(1, 13).view({3, 4}); // i64 [[1..4],[5..8],[9..12]]
    CHECK(equal(tril(x), ti({1, 0, 0, 0, 5, 6, 0, 0, 9, 10, 11, 0}, {3, 4})));
    CHECK(equal(tril(x, 1), ti({1, 2, 0, 0, 5, 6, 7, 0, 9, 10, 11, 12}, {3, 4})));
    CHECK(equal(tril(x, -1), ti({0, 0, 0, 0, 5, 0, 0, 0, 9, 10, 0, 0}, {3, 4})));
    CHECK(equal(triu(x), ti({1, 2, 3, 4, 0, 6, 7, 8, 0, 0, 11, 12}, {3, 4})));
    CHECK(equal(triu(x, 1), ti({0, 2, 3, 4, 0, 0, 7, 8, 0, 0, 0, 12}, {3, 4})));
    CHECK(equal(triu(x, -1), ti({1, 2, 3, 4, 5, 6, 7, 8, 0, 10, 11, 12}, {3, 4})));

    const tensor b = arange(1, 19).to(dtype::f32).view({2, 3, 3});
    CHECK(close(tril(b), tf({1, 0, 0, 4, 5, 0, 7, 8, 9, 10, 0, 0, 13, 14, 0, 16, 17, 18}, {2, 3, 3})));
    CHECK(close(triu(b, 1), tf({0, 2, 3, 0, 0, 6, 0, 0, 0, 0, 11, 12, 0, 0, 15, 0, 0, 0}, {2, 3, 3})));
    CHECK(close(tril(b, -1), tf({0, 0, 0, 4, 0, 0, 7, 8, 0, 0, 0, 0, 13, 0, 0, 16, 17, 0}, {2, 3, 3})));
    CHECK(close(triu(b, -1), tf({1, 2, 3, 4, 5, 6, 0, 8, 9, 10, 11, 12, 13, 14, 15, 0, 17, 18}, {2, 3, 3})));
    // a non-contiguous input: the transposed matrices [[1,4,7],[2,5,8],[3,6,9]] ...
    CHECK(close(tril(b.transpose(1, 2)), tf({1, 0, 0, 2, 5, 0, 3, 6, 9, 10, 0, 0, 11, 14, 0, 12, 15, 18}, {2, 3, 3})));
    CHECK(b.dtype() == dtype::f32);
    // the input is not modified
    CHECK(values<float>(b)[1] == 2.0f);

    CHECK_THROWS_AS(tril(ti({1, 2, 3})), usage_error);
    CHECK_THROWS_AS(triu(ti({1, 2, 3})), usage_error);
}

// ---------------------------------------------------------------- statistics and normalisation

TEST_CASE("var / std: correction, keepdim, all dims, integer input") {
    const tensor x = tf({1, 2, 3, 4, 2, 4, 6, 8}, {2, 4});
    // row 0: mean 2.5, sum of squares 5; row 1: mean 5, sum of squares 20
    CHECK(close(var(x, {1}), tf({5.0f / 3, 20.0f / 3})));
    CHECK(close(var(x, {-1}), tf({5.0f / 3, 20.0f / 3})));
    CHECK(close(var(x, {1}, 0), tf({1.25f, 5})));
    CHECK(close(symshape::std(x, {1}), tf({1.2909944487f, 2.5819888975f})));
    CHECK(close(symshape::std(x, {1}, 0), tf({1.1180339887f, 2.2360679775f})));
    tensor k = var(x, {1}, 1, true);
    CHECK(sizes_of(k) == v64{2, 1});
    CHECK(close(k, tf({5.0f / 3, 20.0f / 3}, {2, 1})));
    CHECK(sizes_of(symshape::std(x, {0}, 1, true)) == v64{1, 4});
    CHECK(close(var(x, {0}), tf({0.5f, 2, 4.5f, 8})));
    // all dims: mean 3.75, sum of squares 37.5
    tensor all_v = var(x);
    CHECK(all_v.dim() == 0);
    CHECK(close(all_v, scalar_tensor(37.5 / 7, dtype::f32)));
    CHECK(close(var(x, {}, 0), scalar_tensor(4.6875, dtype::f32)));
    CHECK(close(symshape::std(x), scalar_tensor(2.3145502494, dtype::f32)));
    CHECK(sizes_of(var(x, {}, 1, true)) == v64{1, 1});
    CHECK(var(x.to(dtype::f64), {1}).dtype() == dtype::f64);
    // one element with correction 1: 0 / 0 (PyTorch gives nan)
    CHECK(std::isnan(values<float>(var(tf({3})))[0]));

    CHECK_THROWS_AS(var(ti({1, 2, 3})), usage_error);
    CHECK_THROWS_AS(symshape::std(ti({1, 2, 3}), {0}), usage_error);
}

TEST_CASE("cumsum: float along each dim, integer and bool give i64") {
    const tensor x = tf({1, 2, 3, 4, 5, 6}, {2, 3});
    CHECK(close(cumsum(x, 0), tf({1, 2, 3, 5, 7, 9}, {2, 3})));
    CHECK(close(cumsum(x, 1), tf({1, 3, 6, 4, 9, 15}, {2, 3})));
    CHECK(close(cumsum(x, -1), tf({1, 3, 6, 4, 9, 15}, {2, 3})));
    CHECK(cumsum(x, 0).dtype() == dtype::f32);
    // the transposed input [[1,4],[2,5],[3,6]]
    CHECK(close(cumsum(x.transpose(0, 1), 0), tf({1, 4, 3, 9, 6, 15}, {3, 2})));

    tensor i = cumsum(ti({1, 2, 3, -10}), 0);
    CHECK(i.dtype() == dtype::i64);
    CHECK(equal(i, ti({1, 3, 6, -4})));
    CHECK(equal(cumsum(from_data<std::int32_t>({5, 6, 7}), 0), ti({5, 11, 18}))); // i32 -> i64
    tensor b = cumsum(tb({true, false, true, true}, {4}), 0);
    CHECK(b.dtype() == dtype::i64);
    CHECK(equal(b, ti({1, 1, 2, 3})));
    CHECK_THROWS_AS(cumsum(x, 2), usage_error);
}

TEST_CASE("layer_norm: plain, weight and bias, eps, two normalised dims, errors") {
    const tensor x = tf({1, 2, 3, 0, 0, 6}, {2, 3});
    // (x - mean) / sqrt(biased var + 1e-5): row 0 mean 2 var 2/3, row 1 mean 2 var 8
    CHECK(close(layer_norm(x, {3}), tf({-1.22473569f, 0, 1.22473569f, -0.707106339f, -0.707106339f, 1.41421268f}, {2, 3})));
    const tensor w = tf({1, 2, 3}), b = tf({0.5f, 0, -0.5f});
    CHECK(close(layer_norm(x, {3}, w, b),
                tf({-0.724735686f, 0, 3.17420706f, -0.207106339f, -1.41421268f, 3.74263804f}, {2, 3})));
    CHECK(close(layer_norm(x, {3}, w), tf({-1.22473569f, 0, 3.67420706f, -0.707106339f, -1.41421268f, 4.24263804f}, {2, 3})));
    CHECK(close(layer_norm(x, {3}, {}, {}, 1.0), tf({-0.774596669f, 0, 0.774596669f, -0.666666667f, -0.666666667f, 1.33333333f}, {2, 3})));
    // over the last two dims of [1, 2, 2]: values 1, 2, 3, 6, mean 3, var 3.5
    CHECK(close(layer_norm(tf({1, 2, 3, 6}, {1, 2, 2}), {2, 2}), tf({-1.06904344f, -0.53452172f, 0, 1.60356516f}, {1, 2, 2})));

    CHECK_THROWS_AS(layer_norm(x, {4}), shape_error);
    CHECK_THROWS_AS(layer_norm(x, {2, 3, 1}), shape_error);
    CHECK_THROWS_AS(layer_norm(x, {3}, tf({1, 2})), shape_error);
    CHECK_THROWS_AS(layer_norm(x, {3}, w, tf({1, 2, 3, 4})), shape_error);
    CHECK_THROWS_AS(layer_norm(ti({1, 2, 3}), {3}), usage_error);
}

TEST_CASE("rms_norm: weight, explicit eps, default eps is float epsilon, errors") {
    // [3, 4]: mean square 12.5; [1, -1]: mean square 1; eps 1e-6
    CHECK(close(rms_norm(tf({3, 4, 1, -1}, {2, 2}), {2}, tf({1, 2}), 1e-6), tf({0.848528103f, 2.26274161f, 0.9999995f, -1.999999f}, {2, 2})));
    // x = +-2^-13: mean square 2^-26; with eps = 2^-23 (float epsilon) the rms is 3 * 2^-13,
    // so the result is +-1/3 (with eps 0 it would be +-1, with eps 1e-5 about +-0.0386).
    const float t = std::ldexp(1.0f, -13);
    const tensor small = tf({t, -t});
    CHECK(close(rms_norm(small, {2}), tf({1.0f / 3, -1.0f / 3})));
    CHECK(close(rms_norm(small, {2}, tf({1, 2})), tf({1.0f / 3, -2.0f / 3})));
    CHECK(close(rms_norm(small, {2}, {}, 0.0), tf({1, -1})));

    CHECK_THROWS_AS(rms_norm(tf({1, 2, 3}), {2}), shape_error);
    CHECK_THROWS_AS(rms_norm(tf({1, 2, 3}), {3}, tf({1, 2})), shape_error);
}

// ---------------------------------------------------------------- indexing

TEST_CASE("embedding: rows by index, shape indices.shape + [dim], out-of-range index") {
    const tensor table = tf({0, 1, 10, 11, 20, 21, 30, 31}, {4, 2});
    tensor e = embedding(table, ti({1, 3, 0, 1}, {2, 2}));
    CHECK(sizes_of(e) == v64{2, 2, 2});
    CHECK(close(e, tf({10, 11, 30, 31, 0, 1, 10, 11}, {2, 2, 2})));
    CHECK(close(embedding(table, from_data<std::int32_t>({2})), tf({20, 21}, {1, 2})));
    // a table that is a view with an offset (rows 1..3), and a strided index tensor
    CHECK(close(embedding(table[from(1)], ti({0, 2})), tf({10, 11, 30, 31}, {2, 2})));
    CHECK(close(embedding(table, ti({3, 9, 0, 9}, {2, 2}).select(1, 0)), tf({30, 31, 0, 1}, {2, 2})));
    CHECK_THROWS_WITH_AS(embedding(table, ti({1, 7})), doctest::Contains("7"), usage_error);
    CHECK_THROWS_WITH_AS(embedding(table, ti({-1})), doctest::Contains("-1"), usage_error);
    CHECK_THROWS_AS(embedding(table, tf({1})), usage_error); // float indices
}

TEST_CASE("index_select, gather, x[idx], masked_select") {
    const tensor x = tf({1, 2, 3, 4, 5, 6, 7, 8, 9}, {3, 3});
    const tensor idx = ti({2, 0});
    CHECK(close(index_select(x, 0, idx), tf({7, 8, 9, 1, 2, 3}, {2, 3})));
    CHECK(close(index_select(x, 1, idx), tf({3, 1, 6, 4, 9, 7}, {3, 2})));
    CHECK(close(index_select(x, -1, ti({1, 1})), tf({2, 2, 5, 5, 8, 8}, {3, 2})));
    CHECK_THROWS_AS(index_select(x, 0, ti({3})), usage_error);
    CHECK_THROWS_AS(index_select(x, 0, ti({-1})), usage_error); // torch.index_select rejects negative indices too
    CHECK(close(index_select(x.transpose(0, 1), 0, idx), tf({3, 6, 9, 1, 4, 7}, {2, 3})));

    // torch.gather docs: t = [[1, 2], [3, 4]], gather(t, 1, [[0, 0], [1, 0]]) = [[1, 1], [4, 3]]
    CHECK(equal(gather(ti({1, 2, 3, 4}, {2, 2}), 1, ti({0, 0, 1, 0}, {2, 2})), ti({1, 1, 4, 3}, {2, 2})));
    const tensor y = tf({1, 2, 3, 4, 5, 6}, {2, 3});
    CHECK(close(gather(y, 1, ti({2, 0, 1, 1}, {2, 2})), tf({3, 1, 5, 5}, {2, 2})));
    CHECK(close(gather(y, 1, ti({0, 2, 1, 2, 2, 0}, {2, 3})), tf({1, 3, 2, 6, 6, 4}, {2, 3})));
    CHECK(close(gather(y, 0, ti({1, 0, 1}, {1, 3})), tf({4, 2, 6}, {1, 3})));
    CHECK_THROWS_AS(gather(y, 1, ti({0, 0, 0, 0, 0, 0, 0, 0}, {4, 2})), shape_error); // index larger than x in dim 0
    CHECK_THROWS_AS(gather(y, 1, ti({3, 0}, {1, 2})), usage_error);                    // index 3 out of range

    const tensor z = arange(6).view({3, 2}); // [[0,1],[2,3],[4,5]]
    CHECK(equal(z[ti({2, -1, 0})], ti({4, 5, 4, 5, 0, 1}, {3, 2})));
    CHECK(equal(z.index(ti({-3})), ti({0, 1}, {1, 2})));
    CHECK(sizes_of(z[ti({0, 2}, {1, 2})]) == v64{1, 2, 2});
    CHECK(equal(z[from(1)][ti({1, 0})], ti({4, 5, 2, 3}, {2, 2})));      // x is a view with an offset
    CHECK(equal(z.transpose(0, 1)[ti({1})], ti({1, 3, 5}, {1, 3})));      // x is not contiguous
    CHECK_THROWS_AS(z[ti({3})], usage_error);
    CHECK_THROWS_AS(z[ti({-4})], usage_error);

    tensor s = masked_select(y, y > 2.5);
    CHECK(s.dim() == 1);
    CHECK(close(s, tf({3, 4, 5, 6})));
    CHECK(close(masked_select(y, tb({true, false, true}, {3})), tf({1, 3, 4, 6})));
    CHECK(masked_select(y, y > 100.0).numel() == 0);
    // x broadcast against the mask: [1, 3] with a [2, 3] mask
    CHECK(close(masked_select(tf({1, 2, 3}, {1, 3}), tb({true, false, true, false, true, true}, {2, 3})), tf({1, 3, 2, 3})));
    CHECK_THROWS_AS(masked_select(y, ti({1, 0, 1})), usage_error);
}

TEST_CASE("topk: largest and smallest along dim -1 and 0, k too large") {
    const tensor x = tf({1, 5, 3, 4, 9, 2, 8, 7}, {2, 4});
    topk_result a = topk(x, 2);
    CHECK(close(a.values, tf({5, 4, 9, 8}, {2, 2})));
    CHECK(a.indices.dtype() == dtype::i64);
    CHECK(equal(a.indices, ti({1, 3, 0, 2}, {2, 2})));
    topk_result s = topk(x, 2, -1, false);
    CHECK(close(s.values, tf({1, 3, 2, 7}, {2, 2})));
    CHECK(equal(s.indices, ti({0, 2, 1, 3}, {2, 2})));
    topk_result c = topk(x, 1, 0);
    CHECK(close(c.values, tf({9, 5, 8, 7}, {1, 4})));
    CHECK(equal(c.indices, ti({1, 0, 1, 1}, {1, 4})));
    topk_result d = topk(x, 2, 0, false);
    CHECK(close(d.values, tf({1, 2, 3, 4, 9, 5, 8, 7}, {2, 4})));
    CHECK(equal(d.indices, ti({0, 1, 0, 0, 1, 0, 1, 1}, {2, 4})));
    CHECK(equal(topk(ti({3, 1, 2}), 3).values, ti({3, 2, 1})));
    CHECK(topk(x, 0).values.numel() == 0);
    // NaN counts as the largest value, as in PyTorch
    topk_result n = topk(tf({1, nan_f, 3}), 2);
    CHECK(std::isnan(values<float>(n.values)[0]));
    CHECK(values<float>(n.values)[1] == 3.0f);
    CHECK(equal(n.indices, ti({1, 2})));
    CHECK(equal(topk(tf({1, nan_f, 3}), 1, -1, false).indices, ti({0})));
    CHECK_THROWS_AS(topk(x, 5), shape_error);
    CHECK_THROWS_AS(topk(x, 3, 0), shape_error);
}

// ---------------------------------------------------------------- splitting, padding, repetition, reversal

TEST_CASE("split, split_with_sizes, chunk") {
    const tensor x = arange(10).view({5, 2});
    std::vector<tensor> p = split(x, 2);
    REQUIRE(p.size() == 3);
    CHECK(sizes_of(p[0]) == v64{2, 2});
    CHECK(sizes_of(p[1]) == v64{2, 2});
    CHECK(sizes_of(p[2]) == v64{1, 2});
    CHECK(equal(p[1], ti({4, 5, 6, 7}, {2, 2})));
    CHECK(equal(p[2], ti({8, 9}, {1, 2})));
    for (const tensor& t : p) CHECK(t.shares_storage(x)); // views

    std::vector<tensor> q = split(arange(10).view({2, 5}), 2, 1);
    REQUIRE(q.size() == 3);
    CHECK(equal(q[0], ti({0, 1, 5, 6}, {2, 2})));
    CHECK(equal(q[2], ti({4, 9}, {2, 1})));

    std::vector<tensor> w = split_with_sizes(x, {1, 4});
    REQUIRE(w.size() == 2);
    CHECK(sizes_of(w[0]) == v64{1, 2});
    CHECK(sizes_of(w[1]) == v64{4, 2});
    CHECK(equal(w[0], ti({0, 1}, {1, 2})));
    CHECK(w[1].shares_storage(x));
    CHECK_THROWS_AS(split_with_sizes(x, {2, 2}), shape_error);
    CHECK_THROWS_AS(split_with_sizes(x, {3, 3}), shape_error);

    std::vector<tensor> c = chunk(arange(5), 3);
    REQUIRE(c.size() == 3);
    CHECK(equal(c[0], ti({0, 1})));
    CHECK(equal(c[1], ti({2, 3})));
    CHECK(equal(c[2], ti({4})));
    std::vector<tensor> c6 = chunk(arange(6), 4); // torch gives 3 pieces of 2
    REQUIRE(c6.size() == 3);
    CHECK(equal(c6[0], ti({0, 1})));
    CHECK(equal(c6[1], ti({2, 3})));
    CHECK(equal(c6[2], ti({4, 5})));
    CHECK(chunk(arange(6), 1).size() == 1);
    CHECK_THROWS_AS(chunk(arange(6), 0), usage_error);
}

TEST_CASE("pad: constant value, two dims, negative pads crop") {
    const tensor x = tf({1, 2, 3, 4, 5, 6}, {2, 3});
    tensor p = pad(x, {1, 2, 0, 1});
    CHECK(sizes_of(p) == v64{3, 6});
    CHECK(close(p, tf({0, 1, 2, 3, 0, 0, 0, 4, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0}, {3, 6})));
    CHECK(close(pad(x, {1, 0}, 7.5), tf({7.5f, 1, 2, 3, 7.5f, 4, 5, 6}, {2, 4})));
    CHECK(close(pad(x, {-1, 0}), tf({2, 3, 5, 6}, {2, 2})));
    CHECK(close(pad(x, {0, -1, 1, 0}, 9.0), tf({9, 9, 1, 2, 4, 5}, {3, 2})));
    CHECK(equal(pad(ti({1, 2}), {1, 1}, 0), ti({0, 1, 2, 0})));
    // a non-contiguous input: x^T = [[1,4],[2,5],[3,6]]
    CHECK(close(pad(x.transpose(0, 1), {1, 0}), tf({0, 1, 4, 0, 2, 5, 0, 3, 6}, {3, 3})));
    CHECK_THROWS_AS(pad(x, {-2, -2}), shape_error);
    CHECK_THROWS_AS(pad(x, {1}), usage_error);
}

TEST_CASE("repeat and flip") {
    const tensor x = ti({1, 2, 3, 4}, {2, 2});
    CHECK(equal(x.repeat({2, 1}), ti({1, 2, 3, 4, 1, 2, 3, 4}, {4, 2})));
    CHECK(equal(x.repeat({1, 2}), ti({1, 2, 1, 2, 3, 4, 3, 4}, {2, 4})));
    tensor r = x.repeat({2, 1, 1});
    CHECK(sizes_of(r) == v64{2, 2, 2});
    CHECK(equal(r, ti({1, 2, 3, 4, 1, 2, 3, 4}, {2, 2, 2})));
    CHECK(equal(ti({1, 2, 3}).repeat({2, 2}), ti({1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3}, {2, 6})));
    CHECK(equal(x.transpose(0, 1).repeat({1, 2}), ti({1, 3, 1, 3, 2, 4, 2, 4}, {2, 4})));
    CHECK_THROWS_AS(x.repeat({2}), usage_error);

    const tensor y = ti({1, 2, 3, 4, 5, 6}, {2, 3});
    CHECK(equal(flip(y, {0}), ti({4, 5, 6, 1, 2, 3}, {2, 3})));
    CHECK(equal(flip(y, {1}), ti({3, 2, 1, 6, 5, 4}, {2, 3})));
    CHECK(equal(flip(y, {-1}), ti({3, 2, 1, 6, 5, 4}, {2, 3})));
    CHECK(equal(flip(y, {0, 1}), ti({6, 5, 4, 3, 2, 1}, {2, 3})));
    CHECK_FALSE(flip(y, {0}).shares_storage(y));
    CHECK_THROWS_AS(flip(y, {0, 0}), usage_error);
}

// ---------------------------------------------------------------- convolution, pooling, attention

TEST_CASE("conv2d: values, padding and stride, bias, dilation, groups, errors") {
    const tensor x = tf({1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 1, 3, 3});
    const tensor w1 = ones({1, 1, 2, 2});
    CHECK(close(conv2d(x, w1), tf({12, 16, 24, 28}, {1, 1, 2, 2})));
    // cross-correlation (the kernel is not flipped): kernel [[1, 2], [3, 4]]
    const tensor w2 = tf({1, 2, 3, 4}, {1, 1, 2, 2});
    CHECK(close(conv2d(x, w2), tf({37, 47, 67, 77}, {1, 1, 2, 2})));
    // padding 1, stride 2: (3 + 2 - 1 - 1) // 2 + 1 = 2; windows at rows/cols -1..0 and 1..2
    CHECK(close(conv2d(x, w1, {}, 2, 1), tf({1, 5, 11, 28}, {1, 1, 2, 2})));
    CHECK(close(conv2d(x, w1, tf({0.5f})), tf({12.5f, 16.5f, 24.5f, 28.5f}, {1, 1, 2, 2})));
    // dilation 2: one window of the four corners
    CHECK(close(conv2d(x, w1, {}, 1, 0, 2), tf({20}, {1, 1, 1, 1})));
    // two output channels with their biases
    const tensor w12 = cat({w1, w2}, 0);
    CHECK(close(conv2d(x, w12, tf({0, -1})), tf({12, 16, 24, 28, 36, 46, 66, 76}, {1, 2, 2, 2})));
    // two input channels summed: channel 1 all ones adds 4 per window
    const tensor x2 = cat({x, ones({1, 1, 3, 3})}, 1);
    CHECK(close(conv2d(x2, ones({1, 2, 2, 2})), tf({16, 20, 28, 32}, {1, 1, 2, 2})));
    // rectangular stride / padding pairs: stride (1, 2) -> [1, 1, 2, 1]
    CHECK(close(conv2d(x, w1, {}, size2(1, 2)), tf({12, 24}, {1, 1, 2, 1})));

    // a batch of two images (the second is 2x the first)
    CHECK(close(conv2d(cat({x, x * 2}, 0), w1), tf({12, 16, 24, 28, 24, 32, 48, 56}, {2, 1, 2, 2})));
    CHECK(close(conv2d(cat({x, x * 2}, 0), ones({1, 1, 1, 1}) * 3), cat({x, x * 2}, 0) * 3)); // 1x1 path

    // groups = 2: each channel scaled by its own 1x1 kernel
    const tensor g = tf({1, 2, 3, 4, 5, 6, 7, 8}, {1, 2, 2, 2});
    const tensor wg = tf({2, -1}, {2, 1, 1, 1});
    CHECK(close(conv2d(g, wg, {}, 1, 0, 1, 2), tf({2, 4, 6, 8, -5, -6, -7, -8}, {1, 2, 2, 2})));
    CHECK(close(conv2d(g, wg, tf({1, 10}), 1, 0, 1, 2), tf({3, 5, 7, 9, 5, 4, 3, 2}, {1, 2, 2, 2})));
    // groups = 2 with a 2x2 kernel of ones: each channel's own window sum
    CHECK(close(conv2d(g, ones({2, 1, 2, 2}), {}, 1, 0, 1, 2), tf({10, 26}, {1, 2, 1, 1})));

    CHECK_THROWS_AS(conv2d(ones({1, 3, 3, 3}), ones({1, 2, 2, 2})), shape_error);        // channels
    CHECK_THROWS_AS(conv2d(ones({1, 1, 1, 1}), ones({1, 1, 2, 2})), shape_error);        // too small
    CHECK_THROWS_AS(conv2d(ones({1, 2, 3, 3}), ones({3, 1, 1, 1}), {}, 1, 0, 1, 2), shape_error); // 3 outputs, 2 groups
    CHECK_THROWS_AS(conv2d(x, w1, tf({1, 2})), shape_error);                             // bias size
    CHECK_THROWS_AS(conv2d(ones({1, 3, 3}), ones({1, 1, 2, 2})), usage_error);           // 3-d input
}

TEST_CASE("max_pool2d and avg_pool2d") {
    const tensor x = arange(1, 17).to(dtype::f32).view({1, 4, 4}); // rows 1..4, 5..8, 9..12, 13..16
    CHECK(close(max_pool2d(x, 2), tf({6, 8, 14, 16}, {1, 2, 2})));
    CHECK(close(avg_pool2d(x, 2), tf({3.5f, 5.5f, 11.5f, 13.5f}, {1, 2, 2})));
    CHECK(close(max_pool2d(x.view({1, 1, 4, 4}), 2), tf({6, 8, 14, 16}, {1, 1, 2, 2})));
    CHECK(close(max_pool2d(x, 2, size2(1)), tf({6, 7, 8, 10, 11, 12, 14, 15, 16}, {1, 3, 3})));
    // padding 1 (stride 2): (4 + 2 - 1 - 1) // 2 + 1 = 3; on negative values so padding cannot win
    const tensor neg = x - 20;
    CHECK(close(max_pool2d(neg, 2, std::nullopt, 1), tf({-19, -17, -16, -11, -9, -8, -7, -5, -4}, {1, 3, 3})));
    // avg with padding counts the padded zeros (count_include_pad)
    CHECK(close(avg_pool2d(x, 2, std::nullopt, 1), tf({0.25f, 1.25f, 1, 3.5f, 8.5f, 5, 3.25f, 7.25f, 4}, {1, 3, 3})));
    CHECK(equal(max_pool2d(arange(16).view({1, 4, 4}), 2), ti({5, 7, 13, 15}, {1, 2, 2}))); // integer input
    // dilation 2, stride 1: windows of rows {i, i+2} and cols {j, j+2}
    CHECK(close(max_pool2d(x, 2, size2(1), 0, 2), tf({11, 12, 15, 16}, {1, 2, 2})));
    // NaN in a window wins
    tensor xn = tf({1, nan_f, 3, 4}, {1, 2, 2});
    CHECK(std::isnan(values<float>(max_pool2d(xn, 2))[0]));
    CHECK_THROWS_AS(max_pool2d(x, 2, std::nullopt, 2), usage_error);
    CHECK_THROWS_AS(avg_pool2d(x, 3, std::nullopt, 2), usage_error);
    CHECK_THROWS_AS(max_pool2d(x, 5), shape_error);
}

TEST_CASE("scaled_dot_product_attention: softmax by hand, causal, b8 mask, additive mask") {
    // q = k = I, v = [[1, 2], [3, 4]], scale 1/sqrt(2): query 0 scores (a, 0), query 1 (0, a), a = 0.7071.
    // With s = sigmoid(a) = 0.66976: row 0 = s*v0 + (1-s)*v1, row 1 = (1-s)*v0 + s*v1.
    const tensor q = tf({1, 0, 0, 1}, {2, 2}), k = tf({1, 0, 0, 1}, {2, 2}), v = tf({1, 2, 3, 4}, {2, 2});
    const tensor want = tf({1.6604769f, 2.6604769f, 2.3395231f, 3.3395231f}, {2, 2});
    CHECK(close(scaled_dot_product_attention(q, k, v), want));
    CHECK(close(scaled_dot_product_attention(q.view({1, 2, 2}), k.view({1, 2, 2}), v.view({1, 2, 2})), want.view({1, 2, 2})));
    // causal: query 0 sees only key 0
    CHECK(close(scaled_dot_product_attention(q, k, v, {}, true), tf({1, 2, 2.3395231f, 3.3395231f}, {2, 2})));
    // a b8 mask hiding key 1 (broadcast from [2]): both rows are v[0]
    CHECK(close(scaled_dot_product_attention(q, k, v, tb({true, false}, {2})), tf({1, 2, 1, 2}, {2, 2})));
    CHECK(close(scaled_dot_product_attention(q, k, v, tb({true, false, true, false}, {2, 2})), tf({1, 2, 1, 2}, {2, 2})));
    // an additive mask: +0.5 on query 0, key 0 -> s = sigmoid(a + 0.5)
    CHECK(close(scaled_dot_product_attention(q, k, v, tf({0.5f, 0, 0, 0}, {2, 2})), tf({1.46042675f, 2.46042675f, 2.3395231f, 3.3395231f}, {2, 2})));
    // -inf on key 1 for every query equals the b8 mask
    CHECK(close(scaled_dot_product_attention(q, k, v, tf({0, -inf_f}, {1, 2})), tf({1, 2, 1, 2}, {2, 2})));
    // an explicit scale of 1: s = sigmoid(1)
    CHECK(close(scaled_dot_product_attention(q, k, v, {}, false, 1.0), tf({1.53788284f, 2.53788284f, 2.46211716f, 3.46211716f}, {2, 2})));
    // a batch of two with a per-batch b8 mask [2, 1, 2]: batch 0 sees both keys, batch 1 only key 0
    const tensor q2 = cat({q.view({1, 2, 2}), q.view({1, 2, 2})}, 0), k2 = cat({k.view({1, 2, 2}), k.view({1, 2, 2})}, 0),
                 v2 = cat({v.view({1, 2, 2}), v.view({1, 2, 2})}, 0);
    CHECK(close(scaled_dot_product_attention(q2, k2, v2, tb({true, true, true, false}, {2, 1, 2})),
                tf({1.6604769f, 2.6604769f, 2.3395231f, 3.3395231f, 1, 2, 1, 2}, {2, 2, 2})));
    // value with another embedding size: Ev = 1
    CHECK(sizes_of(scaled_dot_product_attention(q, k, tf({1, 3}, {2, 1}))) == v64{2, 1});

    CHECK_THROWS_AS(scaled_dot_product_attention(q, k, v, tb({true, false}, {2}), true), usage_error);
    CHECK_THROWS_AS(scaled_dot_product_attention(q, tf({1, 0, 0}, {1, 3}), v), shape_error);
    CHECK_THROWS_AS(scaled_dot_product_attention(q, k, v, ti({1, 0}, {2})), usage_error);
}

// ---------------------------------------------------------------- export

TEST_CASE("export: topk and split are one node each, read by getitem; re-runs equal eager") {
    auto f = [](const tensor& x) {
        topk_result t = topk(x, 2);
        std::vector<tensor> parts = split(x, 2, 1);
        return std::tuple{t.values, t.indices, parts[0] + parts[1], parts[1] * 2};
    };
    dim B("B", 2, 64);
    tensor x = randn({5, 4}, 1);
    exported_program ep = export_program(f, dynamic_shapes{{"x", {{0, B}}}}, named("x", x));
    const std::string text = to_string(ep);
    CHECK(text.find("torch.ops.aten.topk.default(") != std::string::npos);
    CHECK(text.find("torch.ops.aten.split.Tensor(") != std::string::npos);
    CHECK(text.find("getitem") != std::string::npos);
    CHECK(text.find("topk[0]") != std::string::npos);
    for (std::int64_t n : {3, 9}) {
        tensor other = randn({n, 4}, static_cast<std::uint64_t>(n));
        std::vector<tensor> got = ep.run({other});
        auto want = f(other);
        REQUIRE(got.size() == 4);
        CHECK(sizes_of(got[0]) == v64{n, 2});
        CHECK(equal(got[0], std::get<0>(want)));
        CHECK(equal(got[1], std::get<1>(want)));
        CHECK(equal(got[2], std::get<2>(want)));
        CHECK(equal(got[3], std::get<3>(want)));
    }
}

TEST_CASE("export: topk along the dynamic dim (k = 2 fits since B >= 2)") {
    auto f = [](const tensor& x) {
        topk_result t = topk(x, 2, 0, false);
        return std::tuple{t.values, t.indices};
    };
    dim B("B", 2, 64);
    exported_program ep = export_program(f, dynamic_shapes{{"x", {{0, B}}}}, named("x", randn({6, 3}, 4)));
    tensor other = tf({5, 1, 4, 2, 8, 0, 3, 3, 3}, {3, 3});
    std::vector<tensor> got = ep.run({other});
    REQUIRE(got.size() == 2);
    CHECK(close(got[0], tf({2, 1, 0, 3, 3, 3}, {2, 3})));
    CHECK(equal(got[1], ti({1, 0, 1, 2, 2, 2}, {2, 3})));
}

TEST_CASE("export: conv2d and max_pool2d with dynamic H and W") {
    auto f = [](const tensor& x, const tensor& w) {
        tensor y = conv2d(x, w, {}, 2, 1);
        return std::tuple{y, max_pool2d(y, 2)};
    };
    dim H("H", 8, 64), W("W", 8, 64);
    tensor w = randn({2, 1, 3, 3}, 2);
    exported_program ep =
        export_program(f, dynamic_shapes{{"x", {{2, H}, {3, W}}}}, named("x", randn({1, 1, 16, 12}, 3)), named("w", w));
    const std::string text = to_string(ep);
    // (H + 2*1 - 1*(3 - 1) - 1) // 2 + 1 simplifies to (H + 1) // 2; the pool's (y - 2) // 2 + 1 to (H + 1) // 4
    CHECK(text.find("conv2d: f32[1, 2, (s0 + 1) // 2, (s1 + 1) // 2] = torch.ops.aten.conv2d.default(") != std::string::npos);
    CHECK(text.find("max_pool2d: f32[1, 2, (s0 + 1) // 4, (s1 + 1) // 4] = torch.ops.aten.max_pool2d.default(") != std::string::npos);
    CHECK(text.find("s0: VR[8, 64]") != std::string::npos);
    CHECK(text.find("torch.ops.aten.max_pool2d.default(") != std::string::npos);
    for (auto [h, wd] : {std::pair<std::int64_t, std::int64_t>{9, 20}, {64, 8}}) {
        tensor other = randn({1, 1, h, wd}, static_cast<std::uint64_t>(h * 100 + wd));
        std::vector<tensor> got = ep.run({other, w});
        auto want = f(other, w);
        REQUIRE(got.size() == 2);
        // (H + 2 - 2 - 1) // 2 + 1
        CHECK(sizes_of(got[0]) == v64{1, 2, (h - 1) / 2 + 1, (wd - 1) / 2 + 1});
        CHECK(allclose(got[0], std::get<0>(want), 1e-5, 1e-6));
        CHECK(allclose(got[1], std::get<1>(want), 1e-5, 1e-6));
    }
}

TEST_CASE("export: single-result new ops re-run with their arguments (strings, None, keywords)") {
    auto f = [](const tensor& x) {
        tensor a = gelu(x, "tanh");
        tensor b = clamp(x, std::nullopt, 0.25);
        tensor c = symshape::std(x, {1}, 0, true);
        tensor d = layer_norm(x, {4}, {}, {}, 0.5);
        tensor e = rms_norm(x, {4});
        tensor g = masked_fill(x, x > 0.0, 1.0);
        tensor h = cumsum(x, 0);
        tensor i = pad(x, {1, 1}, 2.0);
        tensor j = flip(x, {0});
        tensor k = scaled_dot_product_attention(x.unsqueeze(0), x.unsqueeze(0), x.unsqueeze(0), {}, true);
        return std::vector<tensor>{a, b, c, d, e, g, h, i, j, k, tril(x, -1), var(x)};
    };
    dim B("B", 2, 64);
    exported_program ep = export_program(f, dynamic_shapes{{"x", {{0, B}}}}, named("x", randn({5, 4}, 6)));
    const std::string text = to_string(ep);
    CHECK(text.find("torch.ops.aten.gelu.default(x, approximate = 'tanh')") != std::string::npos);
    CHECK(text.find("torch.ops.aten.clamp.default(x, None, 0.25)") != std::string::npos);
    for (std::int64_t n : {2, 7}) {
        tensor other = randn({n, 4}, static_cast<std::uint64_t>(n + 40));
        std::vector<tensor> got = ep.run({other});
        std::vector<tensor> want = f(other);
        REQUIRE(got.size() == want.size());
        for (std::size_t r = 0; r < got.size(); ++r) {
            CAPTURE(r);
            CHECK(allclose(got[r], want[r], 1e-5, 1e-6));
        }
    }
}

// ---------------------------------------------------------------- user-defined ops

namespace {
op_definition pad_rows_definition() {
    op_definition d;
    d.ns = "testlib";
    d.name = "pad_rows";
    d.params = {{"x", param_kind::tensor}, {"multiple", param_kind::integer}};
    d.shape_rule = [](const op_args& a) {
        const tensor& x = a.tensor_at(0);
        const sym_int m = a.int_at(1);
        if (m <= 0) throw std::runtime_error("multiple must be positive, got " + to_string(m));
        const sym_int rows = floor_div(x.size(0) + m - 1, m) * m;
        return tensor_meta{x.dtype(), shape_vec{rows, x.size(1)}};
    };
    d.kernel = [](const op_args& a, tensor& out) {
        const tensor& x = a.tensor_at(0);
        const float* p = x.data_ptr<float>();
        float* o = out.data_ptr<float>();
        const std::int64_t rows = x.size(0).unsafe_hint(), cols = x.size(1).unsafe_hint(), out_rows = out.size(0).unsafe_hint();
        for (std::int64_t i = 0; i < out_rows; ++i)
            for (std::int64_t j = 0; j < cols; ++j) o[i * cols + j] = i < rows ? p[i * x.stride(0) + j * x.stride(1)] : 0.0f;
    };
    return d;
}
custom_op pad_rows() {
    static const custom_op op = register_op(pad_rows_definition());
    return op;
}
} // namespace

TEST_CASE("user op testlib::pad_rows: eager, export, errors, registry") {
    const custom_op op = pad_rows();
    const tensor x = tf({1, 2, 3, 4, 5, 6}, {3, 2});
    CHECK(close(op({x, 2}), tf({1, 2, 3, 4, 5, 6, 0, 0}, {4, 2})));
    CHECK(close(op({x, 3}), x));
    CHECK(close(op({x, 5}), tf({1, 2, 3, 4, 5, 6, 0, 0, 0, 0}, {5, 2})));
    CHECK(close(op({x.transpose(0, 1), 4}), tf({1, 3, 5, 2, 4, 6, 0, 0, 0, 0, 0, 0}, {4, 3}))); // strided input

    // export with a dynamic first dim
    auto f = [](const tensor& t) { return pad_rows()({t, 4}) * 2; };
    dim B("B", 1, 64);
    exported_program ep = export_program(f, dynamic_shapes{{"x", {{0, B}}}}, named("x", randn({5, 3}, 5)));
    const std::string text = to_string(ep);
    CHECK(text.find("torch.ops.testlib.pad_rows.default(") != std::string::npos);
    for (std::int64_t n : {1, 8, 13}) {
        tensor other = randn({n, 3}, static_cast<std::uint64_t>(n + 20));
        std::vector<tensor> got = ep.run({other});
        REQUIRE(got.size() == 1);
        CHECK(sizes_of(got[0]) == v64{(n + 3) / 4 * 4, 3});
        CHECK(equal(got[0], f(other)));
    }

    // wrong argument kind or count
    CHECK_THROWS_WITH_AS(op({x, 2.5}), doctest::Contains("testlib::pad_rows"), usage_error);
    CHECK_THROWS_WITH_AS(op({x, x}), doctest::Contains("testlib::pad_rows"), usage_error);
    CHECK_THROWS_WITH_AS(op({x}), doctest::Contains("testlib::pad_rows"), usage_error);
    // a std::runtime_error from the shape rule becomes a usage_error naming the op
    CHECK_THROWS_WITH_AS(op({x, 0}), doctest::Contains("testlib::pad_rows"), usage_error);
    CHECK_THROWS_WITH_AS(op({x, 0}), doctest::Contains("multiple must be positive"), usage_error);

    // registry
    CHECK_THROWS_AS(register_op(pad_rows_definition()), usage_error);
    std::optional<custom_op> found = find_op("testlib::pad_rows");
    REQUIRE(found.has_value());
    CHECK(found->id() == op.id());
    CHECK(found->qualified_name() == "testlib::pad_rows");
    CHECK_FALSE(find_op("testlib::no_such_op").has_value());
}
