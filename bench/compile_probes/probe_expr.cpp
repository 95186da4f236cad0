// Compile-time probe 1 (bench/compile-time): expressions only. Builds, prints and parses back a
// padded size.
#include <symshape/expr.hpp>

#include <iostream>

int main() {
    symshape::expr n = symshape::expr::symbol("n");
    symshape::expr padded = symshape::floor_div(n + 63, symshape::expr(64)) * 64;
    symshape::expr back = symshape::parse<std::int64_t>(symshape::to_string(padded));
    std::cout << padded << (back == padded ? " (parses back)" : " (differs)") << "\n";
    return back == padded ? 0 : 1;
}
