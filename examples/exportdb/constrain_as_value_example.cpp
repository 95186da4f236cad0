// ExportDB `constrain_as_value_example` (torch.escape-hatch, torch.dynamic-value; SUPPORTED), the
// seed page ../shared/seeds/exportdb_escape_hatch_v2.txt:
//     a = x.item(); constrain_as_value(a, min=0, max=5)
//     if a < 6: return y.sin()
//     return y.cos()
// PyTorch 2.1 prints `_local_scalar_dense: Sym(i4)`, the two `_assert_async.msg` for `i4 >= 0` and
// `i4 <= 5`, `sym_constrain_range(_local_scalar_dense, min = 0, max = 5)` and only
// `sin: f32[5, 5] = aten.sin.default(arg1_1)`: `a < 6` is decided from the range [0, 5], with no
// guard and no data-dependent error. symshape prints the same nodes in the newer naming (`item:
// Sym(u0)`, `_assert_scalar` for `u0 >= 0` and `u0 <= 5`, `sym_constrain_range`), only the `sin`
// branch, no guard, and the range table `u0: VR[0, 5]` (the seed lists stale copies i0..i4). Runs
// with other values take the same branch; a value outside [0, 5] fails the runtime assertion.
#include "check.hpp"

using namespace symshape;

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "constrain_as_value_example");
    auto forward = [](const tensor& x, const tensor& y) {
        sym_int a = x.item_int();
        constrain_as_value(a, 0, 5);
        if (a < 6) return y.sin();
        return y.cos();
    };
    auto eager = [&](std::vector<tensor>& in) { return std::vector<tensor>{forward(in[0], in[1])}; };
    exported_program ep = export_program(forward, named("x", scalar_tensor(4)), named("y", randn({5, 5}, 1)));
    int rc = exportdb::report_runs(ep, {{scalar_tensor(0), randn({5, 5}, 2)}, {scalar_tensor(5), randn({5, 5}, 3)}}, eager);
    std::cout << "guards recorded: " << ep.guards().size() << "\n";
    rc |= exportdb::expect_error<assertion_error>("run with x = 9 -> assertion_error",
                                                  [&] { (void)ep.run({scalar_tensor(9), randn({5, 5}, 4)}); });
    rc |= exportdb::expect_input_error(ep, {scalar_tensor(1), randn({4, 5}, 5)});
    return rc;
}
