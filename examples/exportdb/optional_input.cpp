// ExportDB `optional_input` (python.object-model; SUPPORTED in the newest file):
//     def forward(self, x, y=None):
//         if y is not None: return x + y
//         return x                                 x = randn(2, 3), y = randn(2, 3)
// In C++ the optional argument is a `std::optional<tensor>`, named with `named("y", ...)`. Given a
// tensor it is a placeholder and the graph is `add(x, y)`, as on the page; given std::nullopt it is
// no input at all (run() takes x alone) and the program returns x.
#include <optional>

#include "check.hpp"

using namespace symshape;

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "optional_input");
    auto forward = [](const tensor& x, const std::optional<tensor>& y) {
        if (y) return x + *y;
        return x;
    };
    exportdb::section("y given: x = randn(2, 3), y = randn(2, 3)");
    exported_program both = export_program(forward, named("x", randn({2, 3}, 1)), named("y", std::optional<tensor>(randn({2, 3}, 2))));
    int rc = exportdb::report_runs(both, {{randn({2, 3}, 3), randn({2, 3}, 4)}},
                                   [&](std::vector<tensor>& in) { return std::vector<tensor>{forward(in[0], in[1])}; });
    exportdb::section("y = std::nullopt");
    exported_program alone = export_program(forward, named("x", randn({2, 3}, 1)), named("y", std::optional<tensor>()));
    rc |= exportdb::report_runs(alone, {{randn({2, 3}, 5)}},
                                [&](std::vector<tensor>& in) { return std::vector<tensor>{forward(in[0], std::nullopt)}; });
    return rc;
}
