// Compile-time probe 2 (bench/compile-time): ranges and prove. Bounds a padded size and proves it
// covers the size.
#include <symshape/range.hpp>

#include <iostream>

int main() {
    symshape::fact_store<std::int64_t> facts;
    symshape::expr n = symshape::expr::symbol("n");
    facts.set_range(n, 1, 1024);
    symshape::expr padded = symshape::floor_div(n + 63, symshape::expr(64)) * 64;
    symshape::interval<std::int64_t> b = facts.bound(padded);
    symshape::truth t = facts.prove(symshape::ge(padded, n));
    std::cout << padded << " in " << b << "; covers n: " << symshape::to_string(t) << "\n";
    return t == symshape::truth::yes ? 0 : 1;
}
