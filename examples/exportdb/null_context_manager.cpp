// ExportDB `null_context_manager` (python.context-manager): `with contextlib.nullcontext():` is, in
// C++, a scope with an RAII guard that does nothing; the graph is just `sin`, `cos`, `add`.
#include "check.hpp"

using namespace symshape;

namespace {
struct null_context {}; // the C++ spelling of contextlib.nullcontext(): a guard with no effect
} // namespace

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "null_context_manager");
    auto forward = [](const tensor& x, const tensor& y) {
        null_context guard;
        (void)guard;
        tensor s = x.sin();
        return s + y.cos();
    };
    exported_program ep = export_program(forward, named("x", randn({3, 2}, 1)), named("y", randn({3, 2}, 2)));
    return exportdb::report(ep, {randn({3, 2}, 3), randn({3, 2}, 4)},
                            [&](std::vector<tensor>& in) { return std::vector<tensor>{forward(in[0], in[1])}; });
}
