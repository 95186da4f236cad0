// Uses symshape from outside its tree: bound a padded size and prove a relation.
#include <symshape/symshape.hpp>

#include <iostream>

int main() {
    using namespace symshape;
    fact_store<std::int64_t> facts;
    expr n = expr::symbol("n");
    facts.set_range(n, 1, 1024);
    expr padded = floor_div(n + 63, expr(64)) * 64;
    interval<std::int64_t> b = facts.bound(padded);
    truth t = facts.prove(ge(padded, n));
    std::cout << to_string(padded) << " in " << b << "; " << to_string(padded) << " >= n: " << to_string(t) << "\n";
    return b == interval<std::int64_t>{64, 1024} && t == truth::yes ? 0 : 1;
}
