// ExportDB `static_for_loop` (python.control-flow): a loop with a static trip count is unrolled by
// tracing, giving ten `add(x, i)` nodes and ten outputs.
#include "check.hpp"

using namespace symshape;

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "static_for_loop");
    auto forward = [](const tensor& x) {
        std::vector<tensor> ret;
        for (int i = 0; i < 10; ++i) ret.push_back(x + i);
        return ret;
    };
    exported_program ep = export_program(forward, named("x", randn({3, 2}, 1)));
    return exportdb::report(ep, {randn({3, 2}, 2)}, [&](std::vector<tensor>& in) { return forward(in[0]); });
}
