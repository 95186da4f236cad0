// The new ops against ATen (libtorch 1.13, Debian libtorch-dev) on random inputs: each result must
// match torch's to float precision. Built only when Meson finds libtorch (tests/meson.build);
// otherwise the test is reported as skipped. glog (pulled in by ATen) defines CHECK, so the
// doctest macros are spelled in full.
#include <doctest/doctest.h>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <cstdint>
#include <vector>

#include "symshape/tensor.hpp"

namespace ss = symshape;

namespace {
std::vector<std::int64_t> sizes_of(const ss::tensor& t) {
    std::vector<std::int64_t> r;
    for (const ss::sym_int& s : t.sizes()) r.push_back(s.unsafe_hint());
    return r;
}
/// A copy of a symshape tensor as an ATen tensor (f32, i64 or bool).
at::Tensor to_at(const ss::tensor& t) {
    ss::tensor c = t.contiguous();
    switch (c.dtype()) {
    case ss::dtype::f32: return at::from_blob(c.data_ptr<float>(), sizes_of(c), at::kFloat).clone();
    case ss::dtype::i64: return at::from_blob(c.data_ptr<std::int64_t>(), sizes_of(c), at::kLong).clone();
    case ss::dtype::b8: return at::from_blob(c.data_ptr<bool>(), sizes_of(c), at::kBool).clone();
    default: DOCTEST_FAIL("unsupported dtype in to_at"); return {};
    }
}
/// True when the symshape result equals the ATen result in shape and, within tolerance, values.
bool same(const ss::tensor& got, const at::Tensor& want, double atol = 1e-5) {
    at::Tensor g = to_at(got);
    if (g.sizes() != want.sizes()) {
        DOCTEST_MESSAGE("shape " << g.sizes() << " vs ATen " << want.sizes());
        return false;
    }
    if (g.scalar_type() != want.scalar_type()) {
        DOCTEST_MESSAGE("dtype differs from ATen");
        return false;
    }
    if (!g.is_floating_point()) return g.equal(want);
    const bool ok = at::allclose(g, want, 1e-4, atol, /*equal_nan=*/true);
    if (!ok) DOCTEST_MESSAGE("max abs diff " << (g - want).abs().nan_to_num(0).max().item<double>());
    return ok;
}
} // namespace

DOCTEST_TEST_CASE("activations, clamp, masking and triangles match ATen") {
    at::set_num_threads(1);
    ss::tensor x = ss::randn({5, 7}, 1) * 2.0;
    at::Tensor tx = to_at(x);
    DOCTEST_CHECK(same(ss::gelu(x), at::gelu(tx)));
    DOCTEST_CHECK(same(ss::gelu(x, "tanh"), at::gelu(tx, "tanh")));
    DOCTEST_CHECK(same(ss::silu(x), at::silu(tx)));
    DOCTEST_CHECK(same(ss::erf(x), at::erf(tx)));
    DOCTEST_CHECK(same(ss::rsqrt(x.abs() + 0.1), at::rsqrt(tx.abs() + 0.1)));
    DOCTEST_CHECK(same(ss::clamp(x, -0.5, 1.0), at::clamp(tx, -0.5, 1.0)));
    DOCTEST_CHECK(same(ss::clamp(x, std::nullopt, 0.25), at::clamp(tx, c10::nullopt, 0.25)));
    ss::tensor mask = ss::rand({1, 7}, 2) > 0.5;
    DOCTEST_CHECK(same(ss::masked_fill(x, mask, -3.0), tx.masked_fill(to_at(mask), -3.0)));
    for (std::int64_t k : {-2, 0, 1, 3}) {
        DOCTEST_CHECK(same(ss::tril(x, k), at::tril(tx, k)));
        DOCTEST_CHECK(same(ss::triu(x, k), at::triu(tx, k)));
    }
}

DOCTEST_TEST_CASE("statistics and normalisation match ATen") {
    ss::tensor x = ss::randn({4, 6, 5}, 3);
    at::Tensor tx = to_at(x);
    DOCTEST_CHECK(same(ss::var(x, {1}), at::var(tx, {1}, /*unbiased=*/true)));
    DOCTEST_CHECK(same(ss::var(x, {0, 2}, 0, true), at::var(tx, at::IntArrayRef{0, 2}, /*unbiased=*/false, /*keepdim=*/true)));
    DOCTEST_CHECK(same(ss::std(x, {2}), at::std(tx, {2}, /*unbiased=*/true)));
    DOCTEST_CHECK(same(ss::cumsum(x, 1), at::cumsum(tx, 1)));
    ss::tensor xi = (ss::rand({3, 4}, 4) * 10.0).to(ss::dtype::i64);
    DOCTEST_CHECK(same(ss::cumsum(xi, 0), at::cumsum(to_at(xi), 0)));
    ss::tensor w = ss::randn({6, 5}, 5), b = ss::randn({6, 5}, 6);
    DOCTEST_CHECK(same(ss::layer_norm(x, {6, 5}, w, b), at::layer_norm(tx, {6, 5}, to_at(w), to_at(b))));
    DOCTEST_CHECK(same(ss::layer_norm(x, {5}), at::layer_norm(tx, {5})));
    // rms_norm is not in ATen 1.13: its definition, in ATen ops.
    ss::tensor g = ss::randn({5}, 7);
    at::Tensor want = tx * at::rsqrt(tx.pow(2).mean({-1}, true) + 1e-6) * to_at(g);
    DOCTEST_CHECK(same(ss::rms_norm(x, {5}, g, 1e-6), want));
}

DOCTEST_TEST_CASE("indexing, topk, splitting, padding, repetition and flips match ATen") {
    ss::tensor x = ss::randn({6, 4}, 8);
    at::Tensor tx = to_at(x);
    ss::tensor idx = (ss::rand({3, 2}, 9) * 6.0).to(ss::dtype::i64);
    DOCTEST_CHECK(same(ss::embedding(x, idx), at::embedding(tx, to_at(idx))));
    ss::tensor row = (ss::rand({5}, 10) * 6.0).to(ss::dtype::i64);
    DOCTEST_CHECK(same(ss::index_select(x, 0, row), at::index_select(tx, 0, to_at(row))));
    ss::tensor col = (ss::rand({3}, 11) * 4.0).to(ss::dtype::i64);
    DOCTEST_CHECK(same(ss::index_select(x, 1, col), at::index_select(tx, 1, to_at(col))));
    ss::tensor gi = (ss::rand({6, 3}, 12) * 4.0).to(ss::dtype::i64);
    DOCTEST_CHECK(same(ss::gather(x, 1, gi), at::gather(tx, 1, to_at(gi))));
    DOCTEST_CHECK(same(x[row], tx.index({to_at(row)})));
    ss::tensor m = x > 0.3;
    DOCTEST_CHECK(same(ss::masked_select(x, m), at::masked_select(tx, to_at(m))));
    ss::topk_result tk = ss::topk(x, 3, 0);
    auto [tv, ti] = at::topk(tx, 3, 0);
    DOCTEST_CHECK(same(tk.values, tv));
    DOCTEST_CHECK(same(tk.indices, ti));
    ss::topk_result lo = ss::topk(x, 2, -1, false);
    DOCTEST_CHECK(same(lo.values, std::get<0>(at::topk(tx, 2, -1, false))));
    std::vector<ss::tensor> parts = ss::split(x, 4, 0);
    std::vector<at::Tensor> tparts = at::split(tx, 4, 0);
    DOCTEST_REQUIRE(parts.size() == tparts.size());
    for (std::size_t i = 0; i < parts.size(); ++i) DOCTEST_CHECK(same(parts[i], tparts[i]));
    std::vector<ss::tensor> chunks = ss::chunk(x, 4, 0);
    std::vector<at::Tensor> tchunks = at::chunk(tx, 4, 0);
    DOCTEST_REQUIRE(chunks.size() == tchunks.size());
    for (std::size_t i = 0; i < chunks.size(); ++i) DOCTEST_CHECK(same(chunks[i], tchunks[i]));
    DOCTEST_CHECK(same(ss::pad(x, {1, 2, -1, 3}, 0.5), at::constant_pad_nd(tx, {1, 2, -1, 3}, 0.5)));
    DOCTEST_CHECK(same(x.repeat({2, 1, 3}), tx.repeat({2, 1, 3})));
    DOCTEST_CHECK(same(ss::flip(x, {0, 1}), at::flip(tx, {0, 1})));
}

DOCTEST_TEST_CASE("conv2d and pooling match ATen") {
    ss::tensor x = ss::randn({2, 4, 11, 9}, 13);
    at::Tensor tx = to_at(x);
    ss::tensor w = ss::randn({6, 4, 3, 3}, 14), b = ss::randn({6}, 15);
    DOCTEST_CHECK(same(ss::conv2d(x, w, b), at::conv2d(tx, to_at(w), to_at(b))));
    DOCTEST_CHECK(same(ss::conv2d(x, w, b, {2, 1}, {1, 2}, {1, 2}), at::conv2d(tx, to_at(w), to_at(b), {2, 1}, {1, 2}, {1, 2})));
    ss::tensor wg = ss::randn({6, 2, 3, 1}, 16);
    DOCTEST_CHECK(same(ss::conv2d(x, wg, {}, 1, 0, 1, 2), at::conv2d(tx, to_at(wg), c10::optional<at::Tensor>(), at::IntArrayRef{1, 1}, at::IntArrayRef{0, 0}, at::IntArrayRef{1, 1}, 2)));
    ss::tensor w1 = ss::randn({3, 4, 1, 1}, 17);
    DOCTEST_CHECK(same(ss::conv2d(x, w1), at::conv2d(tx, to_at(w1))));
    DOCTEST_CHECK(same(ss::max_pool2d(x, 2), at::max_pool2d(tx, {2, 2})));
    DOCTEST_CHECK(same(ss::max_pool2d(x, 3, ss::size2(2, 1), 1, ss::size2(1, 2)), at::max_pool2d(tx, {3, 3}, {2, 1}, {1, 1}, {1, 2})));
    DOCTEST_CHECK(same(ss::avg_pool2d(x, 2), at::avg_pool2d(tx, {2, 2})));
    DOCTEST_CHECK(same(ss::avg_pool2d(x, 3, 2, 1), at::avg_pool2d(tx, {3, 3}, {2, 2}, {1, 1})));
}

DOCTEST_TEST_CASE("scaled_dot_product_attention matches ATen") {
    ss::tensor q = ss::randn({2, 3, 5, 8}, 18), k = ss::randn({2, 3, 7, 8}, 19), v = ss::randn({2, 3, 7, 4}, 20);
    at::Tensor tq = to_at(q), tk = to_at(k), tv = to_at(v);
    auto attn = [&](const c10::optional<at::Tensor>& mask, bool causal) {
        return std::get<0>(at::_scaled_dot_product_attention(tq, tk, tv, mask, 0.0, false, causal));
    };
    DOCTEST_CHECK(same(ss::scaled_dot_product_attention(q, k, v), attn({}, false)));
    DOCTEST_CHECK(same(ss::scaled_dot_product_attention(q, k, v, {}, true), attn({}, true)));
    ss::tensor keep = ss::rand({5, 7}, 21) > 0.3;
    keep = ss::cat({ss::ones({5, 1}, ss::dtype::b8), keep.slice(1, 1, 7)}, 1); // every query keeps key 0
    DOCTEST_CHECK(same(ss::scaled_dot_product_attention(q, k, v, keep), attn(to_at(keep), false)));
    ss::tensor add = ss::randn({1, 3, 5, 7}, 22);
    DOCTEST_CHECK(same(ss::scaled_dot_product_attention(q, k, v, add), attn(to_at(add), false)));
}
