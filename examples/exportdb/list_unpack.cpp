// ExportDB `list_unpack` (python.control-flow, python.data-structure): `x, *y = args` on a list
// input; the list is flattened into placeholders `args_0, args_1, args_2`, and only `add` is recorded.
#include "check.hpp"

using namespace symshape;

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "list_unpack");
    auto forward = [](const std::vector<tensor>& args) {
        const tensor& x = args[0];
        std::vector<tensor> y(args.begin() + 1, args.end());
        return x + y[0];
    };
    exported_program ep =
        export_program(forward, named("args", std::vector<tensor>{randn({3, 2}, 1), scalar_tensor(4), scalar_tensor(5)}));
    return exportdb::report(ep, {randn({3, 2}, 2), scalar_tensor(6), scalar_tensor(7)},
                            [&](std::vector<tensor>& in) { return std::vector<tensor>{forward(in)}; });
}
