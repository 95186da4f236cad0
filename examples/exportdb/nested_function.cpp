// ExportDB `nested_function` (python.closure): a closure that updates a captured tensor in place
// (`nonlocal x; x += 1`) — the in-place `add_` stays in the graph; the intermediate it mutates is
// not an input, so the signature has no mutation.
#include "check.hpp"

using namespace symshape;

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "nested_function");
    auto forward = [](const tensor& a, const tensor& b) {
        tensor x = a + b;
        tensor z = a - b;
        auto closure = [&](const tensor& y) {
            x += 1;
            tensor m = x * y;
            return m + z;
        };
        return closure(x);
    };
    exported_program ep = export_program(forward, named("a", randn({3, 2}, 1)), named("b", randn({2}, 2)));
    return exportdb::report(ep, {randn({3, 2}, 3), randn({2}, 4)},
                            [&](std::vector<tensor>& in) { return std::vector<tensor>{forward(in[0], in[1])}; });
}
