// ExportDB `list_contains` (torch.dynamic-shape, python.data-structure, python.assert; SUPPORTED):
//     assert x.size(-1) in [6, 2]
//     assert x.size(0) not in [4, 5, 6]
//     assert "monkey" not in ["cow", "pig"]
//     return x + x                                          # x = randn(3, 2)
// PyTorch's page exports static shapes: the asserts are decided while tracing and the graph is
// `add: f32[3, 2] = aten.add.Tensor(x, x)`. In symshape, `in` is an Or of Eqs and `not in` an And
// of Nes, built with `|` / `&` into one compound predicate each and passed to check(); the string
// test is a plain C++ constant.
// 1. Static export: both predicates are constants; only `add` is recorded.
// 2. With `dim("dim0_x")` on dim 0: the compound predicate `s0 != 4 and s0 != 5 and s0 != 6`
//    cannot be a range (it has a hole), so it is recorded as one `_assert_scalar` over `and_` nodes
//    and the range stays [0, inf]. Sizes 7 and 1 run; size 5 fails the runtime assertion.
// 3. With `dim("dim1_x")` on dim 1: `s0 == 6 or s0 == 2` likewise becomes one assertion. Sizes 6
//    and 2 run; size 4 fails it.
// Each comparison is a separate statement so that the node order does not depend on the order in
// which the compiler evaluates the operands of `|` and `&`.
#include <algorithm>
#include <array>
#include <string_view>

#include "check.hpp"

using namespace symshape;

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "list_contains");
    auto forward = [](const tensor& x) {
        sym_int last = x.size(-1);
        sym_bool is6 = last == 6;
        sym_bool is2 = last == 2;
        check(is6 | is2, "x.size(-1) in [6, 2]");
        sym_int first = x.size(0);
        sym_bool ne4 = first != 4;
        sym_bool ne5 = first != 5;
        sym_bool ne6 = first != 6;
        check(ne4 & ne5 & ne6, "x.size(0) not in [4, 5, 6]");
        constexpr std::array<std::string_view, 2> animals{"cow", "pig"};
        check(sym_bool(std::find(animals.begin(), animals.end(), "monkey") == animals.end()), "\"monkey\" not in [\"cow\", \"pig\"]");
        return x + x;
    };
    auto eager = [&](std::vector<tensor>& in) { return std::vector<tensor>{forward(in[0])}; };
    exported_program ep = export_program(forward, named("x", randn({3, 2}, 1)));
    int rc = exportdb::report(ep, {randn({3, 2}, 2)}, eager);

    exportdb::section("with dynamic_shapes {x: {0: dim(\"dim0_x\")}}");
    exported_program d0 = export_program(forward, dynamic_shapes{{"x", {{0, dim("dim0_x")}}}}, named("x", randn({3, 2}, 1)));
    rc |= exportdb::report_runs(d0, {{randn({7, 2}, 3)}, {randn({1, 2}, 4)}}, eager);
    rc |= exportdb::expect_error<assertion_error>("run on x: f32[5, 2] -> assertion_error", [&] { (void)d0.run({randn({5, 2}, 5)}); });

    exportdb::section("with dynamic_shapes {x: {1: dim(\"dim1_x\")}}");
    exported_program d1 = export_program(forward, dynamic_shapes{{"x", {{1, dim("dim1_x")}}}}, named("x", randn({3, 2}, 1)));
    rc |= exportdb::report_runs(d1, {{randn({3, 6}, 6)}, {randn({3, 2}, 7)}}, eager);
    rc |= exportdb::expect_error<assertion_error>("run on x: f32[3, 4] -> assertion_error", [&] { (void)d1.run({randn({3, 4}, 8)}); });
    return rc;
}
