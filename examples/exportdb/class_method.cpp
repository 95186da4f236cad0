// ExportDB `class_method`: a static method called three ways on the output of a Linear(4, 2)
// sub-module. The linear layer's parameters are lifted as PARAMETER inputs
// (`p_linear_weight: f32[2, 4]`, target 'linear.weight').
#include "check.hpp"

using namespace symshape;

namespace {
struct linear_layer : module {
    tensor weight, bias;
    linear_layer(std::int64_t in, std::int64_t out, std::uint64_t seed)
        : weight(randn({out, in}, seed)), bias(randn({out}, seed + 1)) {
        register_parameter("weight", weight);
        register_parameter("bias", bias);
    }
    tensor forward(const tensor& x) const { return linear(x, weight, bias); }
};

struct class_method_module : module {
    linear_layer lin{4, 2, 11};
    class_method_module() { register_module("linear", lin); }
    static tensor method(const tensor& x) { return x + 1; }
    tensor forward(const tensor& x0) const {
        tensor x = lin.forward(x0);
        tensor a = method(x);                      // self.method(x)
        tensor b = class_method_module::method(x); // self.__class__.method(x)
        tensor m = a * b;
        tensor c = std::remove_cvref_t<decltype(*this)>::method(x); // type(self).method(x)
        return m * c;
    }
};
} // namespace

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "class_method");
    class_method_module m;
    exported_program ep = export_program(m, named("x", randn({3, 4}, 1)));
    return exportdb::report(ep, {randn({3, 4}, 2)}, [&](std::vector<tensor>& in) { return std::vector<tensor>{m.forward(in[0])}; });
}
