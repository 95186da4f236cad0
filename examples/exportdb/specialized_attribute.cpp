// ExportDB `specialized_attribute`: non-tensor attributes (a string compared with an enum's value,
// an integer) are read while tracing and baked in as constants: `mul(x, x)`, `add(mul, 4)`.
#include <string>

#include "check.hpp"

using namespace symshape;

namespace {
enum class animal { cow };
constexpr const char* sound(animal a) { return a == animal::cow ? "moo" : "?"; }

struct specialized_attribute : module {
    std::string a = "moo";
    int b = 4;
    tensor forward(const tensor& x) const {
        if (a == sound(animal::cow)) return x * x + b;
        throw usage_error("bad");
    }
};
} // namespace

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "specialized_attribute");
    specialized_attribute m;
    exported_program ep = export_program(m, named("x", randn({3, 2}, 1)));
    return exportdb::report(ep, {randn({3, 2}, 2)}, [&](std::vector<tensor>& in) { return std::vector<tensor>{m.forward(in[0])}; });
}
