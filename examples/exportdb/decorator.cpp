// ExportDB `decorator`: a wrapper (Python's functools.wraps decorator) that adds 1 to the wrapped
// function's result is traced through: `add(x, y)`, then `add(add, 1)`.
#include "check.hpp"

using namespace symshape;

namespace {
template <class Fn> auto test_decorator(Fn fn) {
    return [fn](const auto&... args) { return fn(args...) + 1; };
}
} // namespace

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "decorator");
    auto forward = test_decorator([](const tensor& x, const tensor& y) { return x + y; });
    exported_program ep = export_program(forward, named("x", randn({3, 2}, 1)), named("y", randn({3, 2}, 2)));
    return exportdb::report(ep, {randn({3, 2}, 3), randn({3, 2}, 4)},
                            [&](std::vector<tensor>& in) { return std::vector<tensor>{forward(in[0], in[1])}; });
}
