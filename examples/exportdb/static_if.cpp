// ExportDB `static_if` (python.control-flow): a branch on the rank, which is always static, is
// resolved while tracing; only the taken branch (`ones`, `add`) is recorded.
#include "check.hpp"

using namespace symshape;

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "static_if");
    auto forward = [](const tensor& x) {
        if (x.dim() == 3) return x + ones({1, 1, 1});
        return x;
    };
    exported_program ep = export_program(forward, named("x", randn({3, 2, 2}, 1)));
    return exportdb::report(ep, {randn({3, 2, 2}, 2)}, [&](std::vector<tensor>& in) { return std::vector<tensor>{forward(in[0])}; });
}
