// ExportDB `pytree_flatten`: a dictionary input is flattened (`tree_flatten`) and its first leaf
// used; placeholders are named `x_0_1`, `x_0_2` after the keys, and the graph is `add(x_0_1, 1)`.
#include <map>

#include "check.hpp"

using namespace symshape;

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "pytree_flatten");
    auto forward = [](const std::map<std::string, tensor>& x) {
        std::vector<tensor> y; // tree_flatten: leaves in key order
        for (const auto& kv : x) y.push_back(kv.second);
        return y[0] + 1;
    };
    exported_program ep =
        export_program(forward, named("x_0", std::map<std::string, tensor>{{"1", randn({3, 2}, 1)}, {"2", randn({3, 2}, 2)}}));
    return exportdb::report(ep, {randn({3, 2}, 3), randn({3, 2}, 4)}, [&](std::vector<tensor>& in) {
        return std::vector<tensor>{forward({{"1", in[0]}, {"2", in[1]}})};
    });
}
