// Compile-time probe 3 (bench/compile-time): a full export of a one-op program with a dynamic
// batch, printed and re-run on another batch size.
#include <symshape/symshape.hpp>

#include <iostream>

int main() {
    auto forward = [](const symshape::tensor& x) { return x * 2; };
    symshape::dim batch("batch", 1, 64);
    symshape::exported_program ep = symshape::export_program(
        forward, symshape::dynamic_shapes{{"x", {{0, batch}}}}, symshape::named("x", symshape::randn({4, 3}, 1)));
    std::cout << ep;
    std::vector<symshape::tensor> out = ep.run({symshape::randn({7, 3}, 2)});
    return out.size() == 1 && out[0].dim() == 2 ? 0 : 1;
}
