// Tests of the tensor runtime: sym_int, dtypes and promotion, views, every op family, errors
// (type and text), the op table, and a seeded property test of broadcasting against a naive loop.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <set>
#include <string>

#include "symshape/tensor.hpp"

using namespace symshape;

namespace {
template <class T> std::vector<T> values(const tensor& x) {
    tensor c = x.contiguous();
    const T* p = c.data_ptr<T>();
    return std::vector<T>(p, p + c.numel());
}
std::vector<std::int64_t> sizes_of(const tensor& x) {
    std::vector<std::int64_t> r;
    for (const sym_int& s : x.sizes()) r.push_back(s.unsafe_hint());
    return r;
}
using v64 = std::vector<std::int64_t>;
using vf = std::vector<float>;
} // namespace

TEST_CASE("sym_int: arithmetic is checked and floor-based, comparisons decide") {
    sym_int a = 7, b = -2;
    CHECK((a + b).unsafe_hint() == 5);
    CHECK((a - b).unsafe_hint() == 9);
    CHECK((a * b).unsafe_hint() == -14);
    CHECK(floor_div(a, b).unsafe_hint() == -4);
    CHECK(mod(a, b).unsafe_hint() == -1);
    CHECK(min(a, b).unsafe_hint() == -2);
    CHECK(max(a, b).unsafe_hint() == 7);
    CHECK(a.is_constant());
    CHECK(a.value() == 7);
    CHECK(a > b);
    CHECK_FALSE(a == b);
    CHECK((a != b).unsafe_hint());
    CHECK(static_cast<bool>(!(a < b) && (a >= 7)));
    sym_int big = std::numeric_limits<std::int64_t>::max();
    CHECK_THROWS_AS(big + 1, overflow_error);
    CHECK_THROWS_AS(big * 2, overflow_error);
    CHECK_THROWS_AS(floor_div(a, 0), division_by_zero);
    CHECK(to_string(shape_vec{3, 2}) == "[3, 2]");
}

TEST_CASE("dtype: names and PyTorch promotion") {
    CHECK(std::string(short_name(dtype::b8)) == "b8");
    CHECK(std::string(torch_name(dtype::f32)) == "torch.float32");
    CHECK(promote(dtype::i32, dtype::i64) == dtype::i64);
    CHECK(promote(dtype::i64, dtype::f32) == dtype::f32);
    CHECK(result_type(dtype::f64, true, dtype::f32, false) == dtype::f32);  // zero-dim does not widen
    CHECK(result_type(dtype::f32, true, dtype::i64, false) == dtype::f32);  // but raises the category
    CHECK(result_type(dtype::i64, true, dtype::f32, false) == dtype::f32);
    CHECK((ones({2}, dtype::i64) + ones({2}, dtype::f32)).dtype() == dtype::f32);
    CHECK((ones({2}, dtype::i32) + ones({2}, dtype::i64)).dtype() == dtype::i64);
    CHECK((ones({2}, dtype::i32) + 5).dtype() == dtype::i32);
    CHECK((ones({2}, dtype::i64) * 0.5).dtype() == dtype::f32);
    CHECK((ones({2}, dtype::i64) / 2).dtype() == dtype::f32);
    CHECK((ones({2}, dtype::b8) + ones({2}, dtype::b8)).dtype() == dtype::b8);
    CHECK((scalar_tensor(3) * ones({2}, dtype::f32)).dtype() == dtype::f32);   // dictionary: i64[] * f32
    CHECK((scalar_tensor(2.0, dtype::f64) * ones({2}, dtype::f32)).dtype() == dtype::f32);
    CHECK((ones({2}) < 3).dtype() == dtype::b8);
    CHECK(values<float>(ones({2}, dtype::i64) / 2) == vf{0.5f, 0.5f});
}

TEST_CASE("creation ops") {
    tensor z = zeros({2, 3});
    CHECK(z.dtype() == dtype::f32);
    CHECK(sizes_of(z) == v64{2, 3});
    CHECK(values<float>(z) == vf(6, 0.0f));
    CHECK(values<std::int64_t>(ones({2}, dtype::i64)) == v64{1, 1});
    CHECK(values<float>(full({2}, 1.5)) == vf{1.5f, 1.5f});
    CHECK(full({1}, 7).dtype() == dtype::i64);
    CHECK(full({1}, true).dtype() == dtype::b8);
    CHECK(values<std::int64_t>(arange(5)) == v64{0, 1, 2, 3, 4});
    CHECK(values<std::int64_t>(arange(2, 9, 3)) == v64{2, 5, 8});
    CHECK(values<float>(arange(0, 1, 0.25)) == vf{0, 0.25f, 0.5f, 0.75f});
    CHECK(arange(5, 0).numel() == 0);
    CHECK(sizes_of(empty({4, 0})) == v64{4, 0});
    CHECK(equal(randn({3, 4}, 9), randn({3, 4}, 9)));
    CHECK_FALSE(equal(randn({3, 4}, 9), randn({3, 4}, 10)));
    tensor r = rand({1000}, 3);
    CHECK(values<float>(r.min())[0] >= 0.0f);
    CHECK(values<float>(r.max())[0] < 1.0f);
    tensor d = from_data<std::int32_t>({1, 2, 3});
    CHECK(d.dtype() == dtype::i32);
    CHECK(scalar_tensor(4).dtype() == dtype::i64);
    CHECK(scalar_tensor(3.14).dim() == 0);
    std::vector<double> six{1, 2, 3, 4, 5, 6};
    CHECK(sizes_of(from_data<double>(std::span<const double>(six), {2, 3})) == v64{2, 3});
    CHECK_THROWS_WITH_AS(from_data<double>(std::span<const double>(six), {4, 2}),
                         "from_data: 6 values do not fill shape [4, 2]\n  the shape holds 8 elements", shape_error);
    CHECK_THROWS_WITH_AS(zeros({2, -1}), "zeros: negative size -1 in [2, -1]", usage_error);
    CHECK_THROWS_WITH_AS(randn({2}, 0, dtype::i64), "randn: needs a floating dtype, got i64", usage_error);
    CHECK_THROWS_WITH_AS(zeros({1, 1, 1, 1, 1, 1, 1, 1, 1}), "tensors have at most 8 dimensions, got 9", usage_error);
}

TEST_CASE("views share storage; slicing clamps as Python does") {
    tensor x = arange(6).view({3, 2});
    tensor s = x[upto(4)]; // the seed: x[:4] of 3 rows is [3, 2]
    CHECK(sizes_of(s) == v64{3, 2});
    CHECK(s.shares_storage(x));
    CHECK(sizes_of(x[from(1)]) == v64{2, 2});
    CHECK(values<std::int64_t>(x[from(-1)]) == v64{4, 5});
    CHECK(x.slice(0, 5, 9).numel() == 0);
    CHECK(x.slice(0, 2, 1).numel() == 0);
    CHECK(values<std::int64_t>(x.slice(0, 0, end_of_dim, 2)) == v64{0, 1, 4, 5});
    CHECK(values<std::int64_t>(x.index({all, from(1)})) == v64{1, 3, 5});
    CHECK(values<std::int64_t>(x[1]) == v64{2, 3});
    CHECK(values<std::int64_t>(x.select(1, -1)) == v64{1, 3, 5});
    CHECK(values<std::int64_t>(x.transpose(0, 1)) == v64{0, 2, 4, 1, 3, 5});
    CHECK_FALSE(x.transpose(0, 1).is_contiguous());
    CHECK(values<std::int64_t>(x.permute({1, 0})) == values<std::int64_t>(x.transpose(0, 1)));
    CHECK(sizes_of(x.view({-1})) == v64{6});
    CHECK(sizes_of(x.view({2, -1})) == v64{2, 3});
    CHECK(sizes_of(x.unsqueeze(1)) == v64{3, 1, 2});
    CHECK(sizes_of(x.unsqueeze(-1)) == v64{3, 2, 1});
    CHECK(sizes_of(x.unsqueeze(0).squeeze()) == v64{3, 2});
    CHECK(sizes_of(ones({1, 2, 1}).squeeze(2)) == v64{1, 2});
    CHECK(sizes_of(ones({1, 2, 1}).squeeze(1)) == v64{1, 2, 1});
    CHECK(sizes_of(ones({2, 3, 4}).flatten(1)) == v64{2, 12});
    CHECK(sizes_of(ones({2, 3, 4}).flatten()) == v64{24});
    tensor e = from_data<std::int64_t>({1, 2}).expand({3, -1});
    CHECK(values<std::int64_t>(e) == v64{1, 2, 1, 2, 1, 2});
    CHECK(e.stride(0) == 0);
    tensor t = x.transpose(0, 1);
    tensor r = t.reshape({6});
    CHECK_FALSE(r.shares_storage(t));
    CHECK(values<std::int64_t>(r) == v64{0, 2, 4, 1, 3, 5});
    CHECK(x.reshape({2, 3}).shares_storage(x));
    CHECK(values<std::int64_t>(t.flatten()) == v64{0, 2, 4, 1, 3, 5});
    CHECK(t.contiguous().is_contiguous());
    CHECK(x.contiguous().shares_storage(x));
}

TEST_CASE("view errors name the op, the shapes and the fix") {
    tensor x = ones({3, 2});
    CHECK_THROWS_WITH_AS(x.view({4, 2}), "view: shape [4, 2] is invalid for an input of 6 elements\n  input shape [3, 2]",
                         shape_error);
    CHECK_THROWS_WITH_AS(x.view({-1, 4}), "view: shape [-1, 4] is invalid for an input of 6 elements\n  input shape [3, 2]",
                         shape_error);
    CHECK_THROWS_WITH_AS(x.view({-1, -1}), "view: only one dimension can be -1 in [-1, -1]", usage_error);
    CHECK_THROWS_WITH_AS(x.transpose(0, 1).view({6}),
                         "view: the input of shape [2, 3] is laid out so that it cannot be viewed as [6] without a copy; "
                         "use reshape (which copies) instead",
                         usage_error);
    // A layout that is not contiguous but keeps each merged or split group contiguous can be viewed
    // (a piece of a split along the last dim, as attention heads are made).
    tensor qkv = arange(0, 24).reshape({2, 12});
    tensor k = qkv.slice(1, 4, 8); // [2, 4], row stride 12
    tensor heads = k.view({2, 2, 2});
    CHECK(heads.shares_storage(qkv));
    CHECK(equal(heads.contiguous(), from_data<std::int64_t>({4, 5, 6, 7, 16, 17, 18, 19}).view({2, 2, 2})));
    CHECK_THROWS_AS(k.view({8}), usage_error); // rows 12 apart cannot merge
    CHECK_THROWS_WITH_AS(x.slice(2, 0, 1), "dim 2 is out of range for a tensor with 2 dimensions (expected -2 to 1)",
                         usage_error);
    CHECK_THROWS_WITH_AS(x.slice(0, 0, 1, 0), "slice: step must be positive, got 0", usage_error);
    CHECK_THROWS_WITH_AS(x.select(0, 3), "select: index 3 is out of range for dimension 0 of size 3", usage_error);
    CHECK_THROWS_WITH_AS(x.expand({3, 4}),
                         "expand: cannot expand shape [3, 2] to [3, 4]\n  dimension 1: size 2 is neither 4 nor 1",
                         shape_error);
    CHECK_THROWS_WITH_AS(x.permute({0, 0}), "permute: dim 0 appears twice", usage_error);
    CHECK_THROWS_WITH_AS(x.index({all, all, all}), "index: 3 slices for a tensor with 2 dimensions", usage_error);
}

TEST_CASE("elementwise unary ops") {
    tensor x = from_data<float>({-1.0f, 0.0f, 2.0f});
    CHECK(values<float>(neg(x)) == vf{1, -0.0f, -2});
    CHECK(values<float>(x.abs()) == vf{1, 0, 2});
    CHECK(values<float>(x.relu()) == vf{0, 0, 2});
    CHECK(values<float>(x.sigmoid())[1] == 0.5f);
    CHECK(values<float>(x.tanh())[1] == 0.0f);
    CHECK(values<float>(x.exp())[2] == doctest::Approx(std::exp(2.0)).epsilon(1e-6));
    CHECK(values<float>(x.sin())[2] == doctest::Approx(std::sin(2.0)).epsilon(1e-6));
    CHECK(values<float>(x.cos())[0] == doctest::Approx(std::cos(-1.0)).epsilon(1e-6));
    CHECK(values<float>(from_data<float>({4.0f}).sqrt()) == vf{2});
    CHECK(values<float>(from_data<float>({1.0f}).log()) == vf{0});
    CHECK(arange(3).sin().dtype() == dtype::f32); // integer inputs of float functions give f32
    CHECK(values<std::int64_t>(-arange(3)) == v64{0, -1, -2});
    CHECK(values<std::int64_t>(arange(-2, 1).abs()) == v64{2, 1, 0});
}

TEST_CASE("binary ops broadcast, and report mismatches with both shapes") {
    tensor a = arange(6).view({2, 3});
    tensor b = from_data<std::int64_t>({10, 20, 30});
    CHECK(values<std::int64_t>(a + b) == v64{10, 21, 32, 13, 24, 35});
    CHECK(values<std::int64_t>(a.view({2, 3, 1}) * from_data<std::int64_t>({1, -1})).size() == 12);
    CHECK(values<std::int64_t>(b - a) == v64{10, 19, 28, 7, 16, 25});
    CHECK(values<std::int64_t>(2 * a) == v64{0, 2, 4, 6, 8, 10});
    CHECK(values<std::int64_t>(10 - a[0]) == v64{10, 9, 8});
    CHECK(values<float>(a[0] / 2) == vf{0, 0.5f, 1});
    CHECK(values<std::int64_t>(pow(a[1], 2)) == v64{9, 16, 25});
    CHECK(values<float>(pow(from_data<float>({2.0f}), from_data<float>({3.0f}))) == vf{8});
    CHECK(values<std::int64_t>(maximum(a[0], from_data<std::int64_t>({1}))) == v64{1, 1, 2});
    CHECK(values<std::int64_t>(minimum(a[0], from_data<std::int64_t>({1}))) == v64{0, 1, 1});
    CHECK(values<bool>(a[0] == 1) == std::vector<bool>{false, true, false});
    CHECK(values<bool>(a[0] != 1) == std::vector<bool>{true, false, true});
    CHECK(values<bool>(a[0] < a[1]) == std::vector<bool>{true, true, true});
    CHECK(values<bool>(a[0] >= 1) == std::vector<bool>{false, true, true});
    CHECK(values<bool>(a[0] <= 1) == std::vector<bool>{true, true, false});
    CHECK(values<bool>(a[0] > 1) == std::vector<bool>{false, false, true});
    CHECK(values<std::int64_t>(where(a[0] > 0, a[0], b)) == v64{10, 1, 2});
    CHECK(values<std::int64_t>(a.transpose(0, 1) + 1) == v64{1, 4, 2, 5, 3, 6});
    CHECK_THROWS_WITH_AS(ones({3, 2}) + ones({4, 2}),
                         "add: shapes [3, 2] and [4, 2] cannot be broadcast together\n  dimension 0 (counting the "
                         "broadcast shape): 3 vs 4; sizes must be equal or 1",
                         shape_error);
    CHECK_THROWS_WITH_AS(where(ones({2}), ones({2}), ones({2})), "where: the condition must be b8, got f32", usage_error);
}

TEST_CASE("in-place ops write through views and keep the dtype") {
    tensor x = zeros({2, 3});
    tensor row = x[1];
    row.add_(ones({3}));
    row *= 4;
    CHECK(values<float>(x) == vf{0, 0, 0, 4, 4, 4});
    tensor y = x;
    y += 1;
    CHECK(y.shares_storage(x));
    CHECK(values<float>(x)[0] == 1);
    tensor t = arange(4).view({2, 2}).transpose(0, 1);
    t.sub_(1);
    CHECK(values<std::int64_t>(t) == v64{-1, 1, 0, 2});
    tensor f = ones({2});
    f /= 4;
    CHECK(values<float>(f) == vf{0.25f, 0.25f});
    tensor i = arange(2);
    CHECK_THROWS_WITH_AS(i.mul_(0.5), "mul_: result type f32 cannot be stored in the i64 operand", usage_error);
    CHECK_THROWS_WITH_AS(ones({1, 3}).add_(ones({2, 3})),
                         "add_: the result shape [2, 3] does not fit the in-place operand [1, 3]\n  operands [1, 3] and "
                         "[2, 3]",
                         shape_error);
}

TEST_CASE("reductions over dims, with keepdim") {
    tensor x = arange(6).view({2, 3});
    CHECK(values<std::int64_t>(x.sum()) == v64{15});
    CHECK(x.sum().dim() == 0);
    CHECK(values<std::int64_t>(x.sum({0})) == v64{3, 5, 7});
    CHECK(values<std::int64_t>(x.sum({-1})) == v64{3, 12});
    CHECK(sizes_of(x.sum({1}, true)) == v64{2, 1});
    CHECK(values<std::int64_t>(x.sum({0, 1})) == v64{15});
    CHECK(ones({2}, dtype::b8).sum().dtype() == dtype::i64);
    tensor f = x.to(dtype::f32);
    CHECK(values<float>(f.mean({0})) == vf{1.5f, 2.5f, 3.5f});
    CHECK(values<float>(f.mean()) == vf{2.5f});
    CHECK(values<float>(f.max({1})) == vf{2, 5});
    CHECK(values<float>(f.min({0})) == vf{0, 1, 2});
    CHECK(values<std::int64_t>((x + 1).prod(1)) == v64{6, 120});
    CHECK(values<std::int64_t>(from_data<float>({3, 9, 2}).argmax(0)) == v64{1});
    CHECK(values<std::int64_t>(x.argmax(1, true)) == v64{2, 2});
    CHECK(values<float>(f.transpose(0, 1).sum({1})) == vf{3, 5, 7});
    CHECK_THROWS_WITH_AS(x.mean(), "mean: needs a floating input, got i64 (use .to(dtype::f32) first)", usage_error);
    CHECK_THROWS_WITH_AS(x.sum({0, 0}), "sum: dim 0 appears twice", usage_error);
    CHECK_THROWS_WITH_AS(zeros({0, 2}).max({0}), "amax: cannot reduce over dimension 0 of size 0\n  input shape [0, 2]",
                         shape_error);
}

TEST_CASE("matmul and linear agree with a naive loop") {
    std::mt19937 gen(1234);
    for (int trial = 0; trial < 20; ++trial) {
        std::int64_t n = gen() % 9 + 1, k = gen() % 40 + 1, m = gen() % 20 + 1;
        tensor a = randn({n, k}, gen()), b = randn({k, m}, gen());
        tensor c = matmul(a, b);
        std::vector<float> av = values<float>(a), bv = values<float>(b), cv = values<float>(c);
        for (std::int64_t i = 0; i < n; ++i)
            for (std::int64_t j = 0; j < m; ++j) {
                double s = 0;
                for (std::int64_t p = 0; p < k; ++p) s += static_cast<double>(av[i * k + p]) * bv[p * m + j];
                CHECK(cv[i * m + j] == doctest::Approx(s).epsilon(1e-4));
            }
        tensor w = randn({m, k}, gen()), bias = randn({m}, gen());
        CHECK(allclose(linear(a, w, bias), matmul(a, w.transpose(0, 1)) + bias, 1e-4, 1e-5));
    }
    tensor a = randn({2, 3, 4}, 1), b = randn({4, 5}, 2);
    CHECK(sizes_of(matmul(a, b)) == v64{2, 3, 5});
    CHECK(allclose(matmul(a, b)[1], matmul(a[1], b)));
    CHECK(sizes_of(matmul(randn({4}, 3), b)) == v64{5});
    CHECK(sizes_of(matmul(a, randn({4}, 3))) == v64{2, 3});
    CHECK(matmul(randn({4}, 3), randn({4}, 4)).dim() == 0);
    CHECK(values<std::int64_t>(matmul(arange(4).view({2, 2}), arange(4).view({2, 2}))) == v64{2, 3, 6, 11});
    CHECK_THROWS_WITH_AS(matmul(ones({2, 3}), ones({4, 5})),
                         "matmul: shapes [2, 3] and [4, 5] cannot be multiplied\n  inner dimensions differ: 3 vs 4",
                         shape_error);
    CHECK_THROWS_WITH_AS(matmul(ones({2, 3}), ones({3, 5}, dtype::f64)),
                         "matmul: operands must have the same dtype, got f32 and f64", usage_error);
    CHECK_THROWS_WITH_AS(linear(ones({2, 3}), ones({4, 5})),
                         "linear: input [2, 3] does not fit weight [4, 5]\n  the input's last dimension 3 must equal the "
                         "weight's dimension 1 (5)",
                         shape_error);
}

TEST_CASE("softmax, log_softmax") {
    tensor x = randn({3, 5}, 11);
    tensor s = x.softmax(-1);
    CHECK(allclose(s.sum({1}), ones({3}), 1e-5, 1e-6));
    CHECK(allclose(x.log_softmax(1), s.log(), 1e-4, 1e-5));
    tensor s0 = softmax(x, 0);
    CHECK(allclose(s0.sum({0}), ones({5}), 1e-5, 1e-6));
    CHECK(allclose(s0, softmax(x.transpose(0, 1), 1).transpose(0, 1)));
    CHECK_THROWS_WITH_AS(arange(3).softmax(0), "softmax: needs a floating input, got i64", usage_error);
}

TEST_CASE("cat, stack, clone, to, item") {
    tensor a = arange(4).view({2, 2});
    CHECK(values<std::int64_t>(cat({a, a + 4})) == v64{0, 1, 2, 3, 4, 5, 6, 7});
    CHECK(values<std::int64_t>(cat({a, a}, 1)) == v64{0, 1, 0, 1, 2, 3, 2, 3});
    CHECK(sizes_of(stack({a, a})) == v64{2, 2, 2});
    CHECK(values<std::int64_t>(stack({a[0], a[1]}, 1)) == v64{0, 2, 1, 3});
    CHECK(cat({a, a.to(dtype::f32)}).dtype() == dtype::f32);
    CHECK_THROWS_WITH_AS(cat({a, ones({2, 3}, dtype::i64)}),
                         "cat: tensor 1 of shape [2, 3] does not fit tensor 0 of shape [2, 2]\n  all sizes must match "
                         "except in dimension 0",
                         shape_error);
    CHECK_THROWS_WITH_AS(stack({a, a[0]}),
                         "stack: tensor 1 of shape [2] differs from tensor 0 of shape [2, 2]\n  stack needs tensors of "
                         "equal shape",
                         shape_error);
    tensor c = a.clone();
    CHECK_FALSE(c.shares_storage(a));
    CHECK(equal(c, a));
    CHECK(a.to(dtype::i64).shares_storage(a));
    CHECK(values<float>(from_data<float>({1.7f, -1.7f}).to(dtype::i32).to(dtype::f32)) == vf{1, -1});
    CHECK(scalar_tensor(4).item_int().unsafe_hint() == 4);
    CHECK(from_data<float>({2.5f}).item_double() == 2.5);
    CHECK(ones({1, 1}).item().is_real());
    CHECK_THROWS_WITH_AS(a.item(), "item: only a tensor with one element can be read as a number, got shape [2, 2]",
                         usage_error);
    CHECK_THROWS_WITH_AS(a.data_ptr<float>(), "data_ptr<f32>() of a tensor of dtype i64", usage_error);
}

TEST_CASE("op table: each op once, consistent rows") {
    static_assert(op_count == static_cast<int>(op_kind::custom));
    std::set<std::string> names, aten;
    for (int k = 0; k < op_count; ++k) CHECK(std::string(detail::op_name(static_cast<op_kind>(k))) == op_table()[k].name);
    for (const op_info& row : op_table()) {
        CHECK(names.insert(row.name).second);
        CHECK(aten.insert(row.aten).second);
        CHECK(std::string(row.aten).find('.') != std::string::npos);
        if (has_flag(row.flags, op_flags::multi_out)) {
            // ops with several results: one function does it all
            CHECK(static_cast<bool>(row.multi));
            CHECK(!row.rule);
            CHECK(!row.kernel);
            continue;
        }
        CHECK(!row.multi);
        CHECK(static_cast<bool>(row.rule));
        bool no_kernel = has_flag(row.flags, op_flags::view) || has_flag(row.flags, op_flags::scalar_out);
        CHECK(static_cast<bool>(row.kernel) != no_kernel);
    }
    CHECK(std::string(info(op_kind::slice).aten) == "slice.Tensor");
    CHECK(std::string(info(op_kind::pow).aten_alt) == "pow.Tensor_Scalar");
}

TEST_CASE("property: broadcasting binary ops equal a naive index loop") {
    std::mt19937 gen(20261123);
    INFO("seed 20261123");
    for (int trial = 0; trial < 200; ++trial) {
        int rank = static_cast<int>(gen() % 4);
        shape_vec sa, sb, so;
        for (int d = 0; d < rank; ++d) {
            std::int64_t n = gen() % 4 + 1;
            int pick = static_cast<int>(gen() % 3);
            sa.push_back(pick == 1 ? 1 : n);
            sb.push_back(pick == 2 ? 1 : n);
            so.push_back(n);
        }
        if (rank && gen() % 2) sb.erase(0), so[0] = sa[0];
        tensor a = randn(sa, gen()), b = randn(sb, gen());
        if (gen() % 3 == 0 && a.dim() >= 2) a = a.transpose(0, 1).contiguous().transpose(0, 1); // strided input
        int op = static_cast<int>(gen() % 4);
        tensor r = op == 0 ? a + b : op == 1 ? a - b : op == 2 ? a * b : maximum(a, b);
        CHECK(sizes_of(r).size() == static_cast<std::size_t>(so.size()));
        // naive: walk every output index
        tensor ac = a.contiguous(), bc = b.contiguous(), rc = r.contiguous();
        const float* pa = ac.data_ptr<float>();
        const float* pb = bc.data_ptr<float>();
        const float* pr = rc.data_ptr<float>();
        std::int64_t total = r.numel();
        for (std::int64_t flat = 0; flat < total; ++flat) {
            std::int64_t rem = flat, ia = 0, ib = 0, mula = 1, mulb = 1;
            for (int d = r.dim() - 1; d >= 0; --d) {
                std::int64_t n = r.sizes()[d].unsafe_hint(), idx = rem % n;
                rem /= n;
                int da = d - (r.dim() - a.dim()), db = d - (r.dim() - b.dim());
                if (da >= 0) {
                    ia += (a.sizes()[da].unsafe_hint() == 1 ? 0 : idx) * mula;
                    mula *= a.sizes()[da].unsafe_hint();
                }
                if (db >= 0) {
                    ib += (b.sizes()[db].unsafe_hint() == 1 ? 0 : idx) * mulb;
                    mulb *= b.sizes()[db].unsafe_hint();
                }
            }
            float x = pa[ia], y = pb[ib];
            float want = op == 0 ? x + y : op == 1 ? x - y : op == 2 ? x * y : std::max(x, y);
            REQUIRE(pr[flat] == want);
        }
    }
}

TEST_CASE("vector exp / tanh / sigmoid match libm to float accuracy, including special values") {
    std::mt19937 gen(77);
    INFO("seed 77");
    std::uniform_real_distribution<float> wide(-95.0f, 95.0f), narrow(-3.0f, 3.0f);
    std::vector<float> xs{0.0f, -0.0f, 1e-8f, -1e-8f, 0.3f, 0.624f, 0.626f, -0.7f, 20.0f, -20.0f, 88.0f, -88.0f, 89.0f,
                          -89.0f, 1000.0f, -1000.0f};
    for (int i = 0; i < 3000; ++i) xs.push_back(i % 2 ? wide(gen) : narrow(gen));
    tensor x = from_data<float>(xs);
    std::vector<float> e = values<float>(x.exp()), t = values<float>(x.tanh()), s = values<float>(x.sigmoid());
    for (std::size_t i = 0; i < xs.size(); ++i) {
        INFO("x = " << xs[i]);
        double ex = std::exp(static_cast<double>(xs[i]));
        if (ex > 3.4e38) CHECK(std::isinf(e[i]));
        else CHECK(std::abs(e[i] - ex) <= 3e-7 * ex + 1e-37);
        double th = std::tanh(static_cast<double>(xs[i]));
        CHECK(std::abs(t[i] - th) <= 2e-7 * std::abs(th) + 1e-30);
        double sg = 1.0 / (1.0 + std::exp(-static_cast<double>(xs[i])));
        CHECK(std::abs(s[i] - sg) <= 3e-7 * sg + 1e-37);
    }
    float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
    std::vector<float> sp = values<float>(from_data<float>({inf, -inf, nan}).exp());
    CHECK(std::isinf(sp[0]));
    CHECK(sp[1] == 0.0f);
    CHECK(std::isnan(sp[2]));
    std::vector<float> tp = values<float>(from_data<float>({inf, -inf, nan}).tanh());
    CHECK(tp[0] == 1.0f);
    CHECK(tp[1] == -1.0f);
    CHECK(std::isnan(tp[2]));
    CHECK(std::isnan(values<float>(from_data<float>({nan}).relu())[0]));
    CHECK(values<float>(from_data<float>({-inf, 0.0f}).softmax(0)) == vf{0.0f, 1.0f});
}

TEST_CASE("edge shapes: empty tensors, zero-dim tensors, blocked matmul") {
    tensor e = zeros({0, 3});
    CHECK(sizes_of(e + 1) == v64{0, 3});
    CHECK(values<float>(e.sum({0})) == vf{0, 0, 0});
    CHECK(sizes_of(e.softmax(1)) == v64{0, 3});
    CHECK(sizes_of(cat({e, ones({2, 3})})) == v64{2, 3});
    CHECK(values<float>(matmul(zeros({2, 0}), zeros({0, 3}))) == vf(6, 0.0f));
    CHECK(sizes_of(linear(zeros({0, 4}), ones({2, 4}))) == v64{0, 2});
    tensor s = scalar_tensor(2.0);
    CHECK((s * s).dim() == 0);
    CHECK(values<float>(s.expand({3})) == vf{2, 2, 2});
    CHECK(values<float>(s.sum()) == vf{2});
    CHECK(values<float>(s.unsqueeze(0)) == vf{2});
    CHECK(sizes_of(s.flatten()) == v64{1});
    // k larger than one k-block and sizes that leave tails in every tile direction
    tensor a = randn({37, 300}, 5), b = randn({300, 50}, 6);
    tensor c = matmul(a, b);
    tensor c64 = matmul(a.to(dtype::f64), b.to(dtype::f64));
    CHECK(allclose(c.to(dtype::f64), c64, 1e-4, 1e-4));
    tensor w = randn({50, 300}, 7);
    CHECK(allclose(linear(a, w).to(dtype::f64), matmul(a.to(dtype::f64), w.to(dtype::f64).transpose(0, 1)), 1e-4, 1e-4));
}
