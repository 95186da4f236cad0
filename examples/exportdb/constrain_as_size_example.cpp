// ExportDB `constrain_as_size_example` (torch.escape-hatch, torch.dynamic-value; SUPPORTED), the
// seed page ../shared/seeds/exportdb_escape_hatch_v2.txt:
//     a = x.item(); constrain_as_size(a, min=0, max=5); return torch.ones((a, 5))
// PyTorch 2.1 prints `_local_scalar_dense: Sym(i4)`, two `_assert_async.msg(...)` for `i4 >= 0` and
// `i4 <= 5`, `sym_constrain_range_for_size(_local_scalar_dense, min = 0, max = 5)`,
// `full: f32[i4, 5]`, and `Symbol to range` with i0..i4 (stale retrace copies). Newer PyTorch names
// the read `item: Sym(u0) = aten.item.default(x)` and the asserts `aten._assert_scalar.default`.
// symshape's graph has the same nodes in the newer naming: `item: Sym(u0)`, `ge: Sym(u0 >= 0)` and
// `le: Sym(u0 <= 5)` each with an `_assert_scalar`, the `sym_constrain_range_for_size` node, and
// `ones: f32[u0, 5]` (torch.ones is `aten.ones`, not `full`); the range table has the one symbol
// the program uses, `u0: VR[0, 5]`. The value is unbacked: each run reads it anew, so runs with 2
// and 0 give 2x5 and 0x5 tensors, and a value outside [0, 5] fails the runtime assertion.
#include "check.hpp"

using namespace symshape;

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "constrain_as_size_example");
    auto forward = [](const tensor& x) {
        sym_int a = x.item_int();
        constrain_as_size(a, 0, 5);
        return ones({a, 5});
    };
    auto eager = [&](std::vector<tensor>& in) { return std::vector<tensor>{forward(in[0])}; };
    exported_program ep = export_program(forward, named("x", scalar_tensor(4)));
    int rc = exportdb::report_runs(ep, {{scalar_tensor(4)}, {scalar_tensor(2)}, {scalar_tensor(0)}, {scalar_tensor(5)}}, eager);
    rc |= exportdb::expect_error<assertion_error>("run with x = 6 -> assertion_error", [&] { (void)ep.run({scalar_tensor(6)}); });
    rc |= exportdb::expect_error<assertion_error>("run with x = -1 -> assertion_error", [&] { (void)ep.run({scalar_tensor(-1)}); });
    return rc;
}
