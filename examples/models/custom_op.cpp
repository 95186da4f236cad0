// A user-defined op with a symbolic shape rule (torch.library's register_fake, for C++):
// `mylib::pad_to_multiple(x, multiple)` pads dim 0 of x with zeros up to the next multiple.
// Its shape rule computes the padded size with sym_int arithmetic, so during export the size
// stays symbolic (`((s0 + 7) // 8) * 8`-like); the kernel fills the result eagerly. The op traces as
// one node, `torch.ops.mylib.pad_to_multiple.default`, and the exported program re-runs it.
#include <cstring>
#include <iostream>

#include "../exportdb/check.hpp"
#include "symshape/symshape.hpp"

namespace {
namespace ss = symshape;

ss::custom_op pad_to_multiple() {
    static const ss::custom_op op = ss::register_op({
        "mylib",
        "pad_to_multiple",
        {{"x", ss::param_kind::tensor}, {"multiple", ss::param_kind::integer}},
        // Shape rule: sizes as sym_int; questions (here: is multiple positive?) are shape questions.
        [](const ss::op_args& a) {
            const ss::tensor& x = a.tensor_at(0);
            const ss::sym_int m = a.int_at(1);
            if (m <= 0) throw ss::usage_error("mylib::pad_to_multiple: multiple must be positive, got " + ss::to_string(m));
            if (x.dim() == 0) throw ss::usage_error("mylib::pad_to_multiple: x needs at least one dimension");
            ss::shape_vec sizes = x.sizes();
            sizes[0] = ss::floor_div(sizes[0] + m - 1, m) * m;
            return ss::tensor_meta{x.dtype(), sizes};
        },
        // Kernel: copy x into the first rows, zeros after (out is fresh and contiguous).
        [](const ss::op_args& a, ss::tensor& out) {
            const ss::tensor x = a.tensor_at(0).contiguous(); // ops in a kernel run eagerly, unrecorded
            const std::size_t bytes = static_cast<std::size_t>(out.numel()) * ss::element_size(out.dtype());
            const std::size_t used = static_cast<std::size_t>(x.numel()) * ss::element_size(x.dtype());
            auto* dst = static_cast<char*>(out.impl().st->data);
            std::memcpy(dst, static_cast<const char*>(x.impl().st->data) + x.storage_offset() * ss::element_size(x.dtype()), used);
            std::memset(dst + used, 0, bytes - used);
        },
    });
    return op;
}

struct program {
    ss::tensor forward(const ss::tensor& x) const {
        ss::tensor p = pad_to_multiple()({x.relu(), 8});
        return p.sum({1});
    }
};
} // namespace

int main(int argc, char** argv) {
    exportdb::init(argc, argv, "custom_op");
    program prog;
    auto f = [&](const ss::tensor& x) { return prog.forward(x); };
    ss::dim n("n", 1, 500);
    ss::exported_program ep = ss::export_program(f, ss::dynamic_shapes{{"x", {{0, n}}}}, ss::named("x", ss::randn({13, 4}, 1)));
    int rc = exportdb::report_runs(ep, {{ss::randn({1, 4}, 2)}, {ss::randn({16, 4}, 3)}, {ss::randn({17, 4}, 4)}},
                                   [&](std::vector<ss::tensor>& in) { return std::vector<ss::tensor>{prog.forward(in[0])}; });

    exportdb::section("a call that does not fit the schema");
    rc |= exportdb::expect_error<ss::usage_error>("pad_to_multiple(x, 2.5)", [&] { (void)pad_to_multiple()({ss::ones({2, 2}), 2.5}); });
    return rc;
}
