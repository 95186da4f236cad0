// ExportDB `dynamic_shape_round` (torch.dynamic-shape, python.builtin; NOT_SUPPORTED_YET):
//     return x[: round(x.shape[0] / 2)]                     # x = randn(3, 2)
//     dynamic_shapes={"x": {0: Dim("dim0_x")}}
// PyTorch fails: `Unsupported: Constraints violated (dim0_x)!` (the true division gives a float,
// round() a RoundToInt of it, and the guards generated on that are not verified for dim0_x).
// symshape SUCCEEDS, because the C++ port stays in integer arithmetic, exactly:
// Python's round() rounds halves to even, so round(n / 2) is n / 2 for even n, and for odd n it is
// the even one of (n - 1) / 2 and (n + 1) / 2: n = 4k + 1 -> 2k, n = 4k + 3 -> 2k + 2. Both cases are
//     round(n / 2) == floor_div(n, 2) + floor_div(mod(n, 4), 3)
// (the second term is 1 exactly when n % 4 == 3). The simpler floor_div(n + 1, 2) rounds halves up
// and differs at n = 1, 5, 9, ...; it is not what Python computes. The program below uses the exact
// form, which the library proves never exceeds s0, so the slice needs no guard: the export has
// `mod`, two `floordiv` and `add` Sym nodes, `slice_1: f32[s0 // 2 + s0 % 4 // 3, 2]`, and keeps
// dim0_x's full range `s0: VR[0, inf]`.
// 1. Static export (x: f32[3, 2]): round(1.5) = 2, so `slice_1: f32[2, 2] = slice(x, 0, 0, 2)`.
// 2. With dim0_x: the program above; runs on sizes 0..9 match eager, and the row counts are
//    compared with std::nearbyint(n / 2.0) (round-half-even in the default rounding mode), i.e.
//    with Python's round, independently of the formula.
// The terms are computed in separate statements so that the node order does not depend on the
// order in which the compiler evaluates the operands of `+`.
#include <cmath>

#include "check.hpp"

using namespace symshape;

namespace {
/// round(n / 2) with Python's round-half-to-even, in integer arithmetic.
sym_int round_half(const sym_int& n) {
    sym_int down = floor_div(n, 2);
    sym_int odd_up = floor_div(mod(n, 4), 3);
    return down + odd_up;
}
} // namespace

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "dynamic_shape_round");
    auto forward = [](const tensor& x) { return x.index({upto(round_half(x.size(0)))}); };
    auto eager = [&](std::vector<tensor>& in) { return std::vector<tensor>{forward(in[0])}; };
    exported_program ep = export_program(forward, named("x", randn({3, 2}, 1)));
    int rc = exportdb::report(ep, {randn({3, 2}, 2)}, eager);

    exportdb::section("with dynamic_shapes {x: {0: dim(\"dim0_x\")}}");
    exported_program dyn = export_program(forward, dynamic_shapes{{"x", {{0, dim("dim0_x")}}}}, named("x", randn({3, 2}, 1)));
    std::vector<std::vector<tensor>> fresh;
    for (int n = 0; n < 10; ++n) fresh.push_back({randn({n, 2}, static_cast<std::uint64_t>(10 + n))});
    rc |= exportdb::report_runs(dyn, fresh, eager);
    std::cout << "\nrows of run(x) vs Python's round(x.shape[0] / 2):\n";
    for (int n = 0; n < 10; ++n) {
        std::int64_t rows = dyn.run({randn({n, 2}, 30)})[0].size(0).unsafe_hint();
        auto python = static_cast<std::int64_t>(std::nearbyint(n / 2.0));
        std::cout << "    n = " << n << ": rows = " << rows << ", round(" << n << " / 2) = " << python
                  << (rows == python ? "" : "  MISMATCH") << "\n";
        if (rows != python) rc = 1;
    }
    rc |= exportdb::expect_input_error(dyn, {randn({4, 3}, 40)});
    return rc;
}
