// ExportDB `fn_with_kwargs` (python.data-structure): positional, tuple, *args, keyword-only and
// **kwargs inputs, flattened under the page's names:
//     def fn_with_kwargs(pos0, tuple0, *myargs, mykw0=None, **mykwargs):
//         out = pos0
//         for arg in tuple0: out *= arg
//         for arg in myargs: out *= arg
//         out *= mykw0
//         out *= mykwargs["input0"] * mykwargs["input1"]
//         return out
// In C++: a tensor, two lists (`named("tuple0", {...})`, `named("myargs", {...})`), a named tensor and
// `kwargs({...})`, whose placeholders are the keys. Placeholders: pos0, tuple0_0, tuple0_1,
// myargs_0, myargs_1, mykw0, input0, input1; seven muls, as on the page.
#include <map>

#include "check.hpp"

using namespace symshape;

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "fn_with_kwargs");
    auto forward = [](const tensor& pos0, const std::vector<tensor>& tuple0, const std::vector<tensor>& myargs, const tensor& mykw0,
                      const std::map<std::string, tensor>& mykwargs) {
        tensor out = pos0;
        for (const tensor& arg : tuple0) out = out * arg;
        for (const tensor& arg : myargs) out = out * arg;
        out = out * mykw0;
        out = out * (mykwargs.at("input0") * mykwargs.at("input1"));
        return out;
    };
    exported_program ep = export_program(forward, named("pos0", randn({4}, 1)), named("tuple0", std::vector<tensor>{randn({4}, 2), randn({4}, 3)}),
                                         named("myargs", std::vector<tensor>{randn({4}, 4), randn({4}, 5)}), named("mykw0", randn({4}, 6)),
                                         kwargs({{"input0", randn({4}, 7)}, {"input1", randn({4}, 8)}}));
    std::vector<tensor> fresh;
    for (std::uint64_t s = 11; s < 19; ++s) fresh.push_back(randn({4}, s));
    return exportdb::report_runs(ep, {fresh}, [&](std::vector<tensor>& in) {
        return std::vector<tensor>{forward(in[0], {in[1], in[2]}, {in[3], in[4]}, in[5], {{"input0", in[6]}, {"input1", in[7]}})};
    });
}
