// ExportDB `cond_branch_nonlocal_variables` (torch.cond, torch.dynamic-shape): PyTorch's rewrite
// passes what the branches need as operands, a tensor computed in forward and a buffer:
//     my_tensor_var = x + 100
//     return cond(x.shape[0] > 5, lambda x, y, z: x + y + z, lambda x, y, z: x - y - z,
//                 [x, my_tensor_var, self.my_primitive_var])            x = ones(6), buffer tensor(3.14)
// Static shapes: 6 > 5, the taken branch is inlined (`add`, `add_1`, `add_2`, the buffer a BUFFER
// input). The page's "will not work" form, branches that capture `my_tensor_var` and the buffer
// instead of taking them, works in symshape: with a dynamic dim the captured tensors are lifted to
// operands of the cond node (`(x, add, b_my_primitive_var)`), as the rewrite does by hand.
#include "check.hpp"

using namespace symshape;

namespace {
struct cond_branch_nonlocal_variables : module {
    tensor my_primitive_var = scalar_tensor(3.14);
    cond_branch_nonlocal_variables() { register_buffer("my_primitive_var", my_primitive_var); }
    tensor forward(const tensor& x) const {
        tensor my_tensor_var = x + 100;
        return cond(
            x.size(0) > 5, [](const tensor& a, const tensor& y, const tensor& z) { return a + y + z; },
            [](const tensor& a, const tensor& y, const tensor& z) { return a - y - z; }, x, my_tensor_var, my_primitive_var);
    }
    /// The page's closure form: the branches capture the tensor and the buffer.
    tensor forward_captured(const tensor& x) const {
        tensor my_tensor_var = x + 100;
        return cond(
            x.size(0) > 5, [&](const tensor& y) { return y + my_tensor_var + my_primitive_var; },
            [&](const tensor& y) { return y - my_tensor_var - my_primitive_var; }, x);
    }
};
struct captured_form : cond_branch_nonlocal_variables {
    tensor forward(const tensor& x) const { return forward_captured(x); }
};
} // namespace

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "cond_branch_nonlocal_variables");
    cond_branch_nonlocal_variables m;
    auto eager = [&](std::vector<tensor>& in) { return std::vector<tensor>{m.forward(in[0])}; };
    exportdb::section("static shapes: x = ones(6)");
    int rc = exportdb::report_runs(export_program(m, named("x", ones({6}))), {{randn({6}, 2)}}, eager);
    exportdb::section("branches that capture, dynamic_shapes {x: {0: dim(\"n\")}}");
    captured_form c;
    exported_program dyn = export_program(c, dynamic_shapes{{"x", {{0, dim("n")}}}}, named("x", ones({6})));
    rc |= exportdb::report_runs(dyn, {{randn({8}, 3)}, {randn({5}, 4)}, {randn({1}, 5)}}, eager);
    return rc;
}
