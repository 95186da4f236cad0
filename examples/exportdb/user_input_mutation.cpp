// ExportDB `user_input_mutation` (torch.mutation): `x.mul_(2); return x.cos()`. The in-place node
// is kept and the signature records the mutation (`mul_: USER_INPUT_MUTATION target='x'`); run()
// mutates its input as eager execution does.
#include "check.hpp"

using namespace symshape;

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "user_input_mutation");
    auto forward = [](tensor x) {
        x.mul_(2);
        return x.cos();
    };
    exported_program ep = export_program(forward, named("x", randn({3, 2}, 1)));
    return exportdb::report(ep, {randn({3, 2}, 2)}, [&](std::vector<tensor>& in) { return std::vector<tensor>{forward(in[0])}; });
}
