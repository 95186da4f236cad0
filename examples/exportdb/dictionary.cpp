// ExportDB `dictionary` (python.data-structure): a dictionary built inside the program and returned;
// outputs are flattened in key order. `i64[] * f32[3, 2]` promotes to f32.
#include <map>

#include "check.hpp"

using namespace symshape;

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "dictionary");
    auto forward = [](const tensor& x, tensor y) {
        std::map<std::string, tensor> elements;
        elements["x2"] = x * x;
        y = y * elements["x2"];
        return std::map<std::string, tensor>{{"y", y}};
    };
    exported_program ep = export_program(forward, named("x", randn({3, 2}, 1)), named("y", scalar_tensor(4)));
    return exportdb::report(ep, {randn({3, 2}, 2), scalar_tensor(5)},
                            [&](std::vector<tensor>& in) { return std::vector<tensor>{forward(in[0], in[1]).at("y")}; });
}
