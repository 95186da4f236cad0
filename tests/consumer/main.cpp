// Uses symshape from outside its tree, as a user would: bound a padded size, prove a relation, and
// export a small program with a dynamic batch, then re-run it on another batch. Built by run.sh
// through a Meson subproject, pkg-config and CMake's find_package, header-only and compiled.
#include <symshape/symshape.hpp>

#include <iostream>

int main() {
    namespace ss = symshape;
    ss::fact_store<std::int64_t> facts;
    ss::expr n = ss::expr::symbol("n");
    facts.set_range(n, 1, 1024);
    ss::expr padded = ss::floor_div(n + 63, ss::expr(64)) * 64;
    ss::interval<std::int64_t> b = facts.bound(padded);
    ss::truth t = facts.prove(ss::ge(padded, n));
    std::cout << ss::to_string(padded) << " in " << b << "; " << ss::to_string(padded) << " >= n: " << ss::to_string(t) << "\n";

    auto forward = [](const ss::tensor& x) { return (x * 2).relu().sum({1}); };
    ss::dim batch("batch", 1, 64);
    ss::exported_program ep =
        ss::export_program(forward, ss::dynamic_shapes{{"x", {{0, batch}}}}, ss::named("x", ss::randn({4, 3}, 1)));
    ss::tensor x = ss::randn({9, 3}, 2);
    std::vector<ss::tensor> out = ep.run({x});
    const bool same = out.size() == 1 && ss::allclose(out[0], forward(x));
    std::cout << "exported program re-run at batch 9 matches eager: " << (same ? "yes" : "NO") << "\n";
    return b == ss::interval<std::int64_t>{64, 1024} && t == ss::truth::yes && same ? 0 : 1;
}
