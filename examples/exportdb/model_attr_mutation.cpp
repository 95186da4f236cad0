// ExportDB `model_attr_mutation` (python.object-model; NOT_SUPPORTED_YET in PyTorch, which fails with
// "Mutating module attribute attr_list during export"):
//     self.attr_list = [torch.randn(3, 2), torch.randn(3, 2)]
//     def forward(self, x):
//         self.attr_list = self.recreate_list()        # [zeros(3, 2), zeros(3, 2)]
//         return x.sum() + self.attr_list[0].sum()
// The C++ analogue: a module whose registered buffers (attr_list_0, attr_list_1) are replaced by new tensors in forward. The
// exported program takes the module's state as inputs, so export refuses with a usage_error naming
// the buffer and what to do instead. Changing the buffers in place is a buffer mutation, which
// exports (second section).
#include "check.hpp"

using namespace symshape;

namespace {
struct model_attr_mutation : module {
    tensor attr0 = randn({3, 2}, 1), attr1 = randn({3, 2}, 2);
    model_attr_mutation() {
        register_buffer("attr_list_0", attr0);
        register_buffer("attr_list_1", attr1);
    }
    std::vector<tensor> recreate_list() const { return {zeros({3, 2}), zeros({3, 2})}; }
    tensor forward(const tensor& x) {
        std::vector<tensor> fresh = recreate_list();
        attr0 = fresh[0];
        attr1 = fresh[1];
        tensor total = x.sum();
        return total + attr0.sum();
    }
};
struct in_place_form : model_attr_mutation {
    tensor forward(const tensor& x) {
        attr0.mul_(0);
        attr1.mul_(0);
        // (x's sum named first: C++ leaves the order of `a + b`'s operands open, Python runs left first)
        tensor total = x.sum();
        return total + attr0.sum();
    }
};
} // namespace

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "model_attr_mutation");
    model_attr_mutation m;
    int rc = exportdb::expect_error<usage_error>("export -> usage_error", [&] { (void)export_program(m, named("x", randn({3, 2}, 3))); });
    exportdb::section("the buffers changed in place instead");
    in_place_form p;
    exported_program ep = export_program(p, named("x", randn({3, 2}, 3)));
    in_place_form q;
    rc |= exportdb::report_runs(ep, {{randn({3, 2}, 4)}}, [&](std::vector<tensor>& in) { return std::vector<tensor>{q.forward(in[0])}; });
    return rc;
}
