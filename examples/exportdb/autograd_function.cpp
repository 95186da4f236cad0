// ExportDB `autograd_function`: a custom autograd.Function whose forward clones its input. Only the
// forward exists here (symshape has no autograd), so the graph is `clone(x)`.
#include "check.hpp"

using namespace symshape;

namespace {
struct my_autograd_function {
    static tensor forward(const tensor& x) { return x.clone(); }
    // backward (grad + 1 in the original) has no counterpart: symshape records forward programs.
};
} // namespace

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "autograd_function");
    auto forward = [](const tensor& x) { return my_autograd_function::forward(x); };
    exported_program ep = export_program(forward, named("x", randn({3, 2}, 1)));
    return exportdb::report(ep, {randn({3, 2}, 2)}, [&](std::vector<tensor>& in) { return std::vector<tensor>{forward(in[0])}; });
}
