// symcalc — a command-line calculator over symshape for debugging shape formulas.
//
//   symcalc [--check] [--big] [FILE...]      (stdin when no FILE)
//
// Reads lines in the format of ../shared/vectors/README.md:
//   bound    | x:[0,10] y:[-5,5] | <expr>      | <lo> | <hi>
//   simplify | <ranges or ->     | <expr>      | <expected>
//   prove    | <ranges or ->     | <bool expr> | true | false | unknown
//   eval     | x=3 y=-2          | <expr>      | <value>
// and writes each back with its answer columns replaced by symshape's answer (the answers may be
// missing in the input). Comments and blank lines are echoed. A line it cannot handle gets
// `error: <message>` as its answer. --check compares with the given answers (a trailing
// `# loose: true bound is [a,b]` counts as the true bound), marks disagreements with a trailing
// `# symshape: ...` comment, prints a summary, and exits 1 on any UNSOUND, WRONG or NOT EQUIVALENT.
// --big computes with arbitrary-precision integers instead of int64.
#include <cstdint>
#include <fstream>
#include <iostream>
#include <random>
#include <cctype>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "symshape/int/big_int.hpp"
#include "symshape/symshape.hpp"

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

struct summary {
    int bound_exact = 0, bound_loose = 0, bound_unsound = 0;
    int prove_right = 0, prove_unknown = 0, prove_wrong = 0, prove_undecidable_right = 0;
    int simp_ok = 0, simp_longer = 0, simp_not_equiv = 0;
    int eval_right = 0, eval_wrong = 0;
    int errors = 0, skipped = 0;
    bool bad() const { return bound_unsound || prove_wrong || simp_not_equiv || eval_wrong; }
};

std::vector<std::string> split_columns(const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    int depth = 0;
    for (char c : s) {
        if (c == '(' || c == '[') ++depth;
        if (c == ')' || c == ']') --depth;
        if (c == '|' && depth <= 0) {
            out.emplace_back(trim(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    out.emplace_back(trim(cur));
    return out;
}

template <symshape::Integer I>
struct calculator {
    using E = symshape::basic_expr<I>;
    using X = symshape::extended<I>;
    bool check = false;
    summary sum;
    std::mt19937_64 rng{12345};

    static X parse_end(const std::string& t) {
        if (t == "inf" || t == "+inf") return X::pos_inf();
        if (t == "-inf") return X::neg_inf();
        return X(symshape::parse_integer<I>(t));
    }

    // Equivalence of two expressions at sampled points of the ranges (corners + random points).
    bool equivalent(const E& a, const E& b, symshape::fact_store<I>& fs, const std::vector<E>& syms) {
        std::vector<symshape::interval<I>> boxes;
        for (const auto& s : syms) boxes.push_back(fs.bound(s));
        auto pick = [&](const symshape::interval<I>& iv, int mode) -> I {
            I lo = iv.lo.is_finite() ? iv.lo.value() : (iv.hi.is_finite() ? iv.hi.value() - 1000 : I(-1000));
            I hi = iv.hi.is_finite() ? iv.hi.value() : lo + 1000;
            if (mode == 0) return lo;
            if (mode == 1) return hi;
            I w = hi - lo;
            if constexpr (std::is_same_v<I, std::int64_t>) {
                if (w < 0 || w > (I(1) << 40)) w = I(1) << 40;
                return lo + static_cast<I>(rng() % static_cast<std::uint64_t>(w + 1));
            } else {
                if (w > I(1) << 40) w = I(1) << 40;
                return lo + I(rng() % (static_cast<std::uint64_t>(w) + 1));
            }
        };
        int tested = 0;
        for (int trial = 0; trial < 400; ++trial) {
            symshape::valuation<I> v;
            for (std::size_t i = 0; i < syms.size(); ++i) {
                int mode = trial < 4 ? ((trial >> (i % 2)) & 1) : 2;
                v.set(syms[i], pick(boxes[i], mode));
            }
            bool adef = true;
            symshape::valuation<I>& vv = v;
            auto val = [&](const E& e, bool& def) -> I {
                try {
                    if (e.is_bool()) return symshape::evaluate_bool(e, vv) ? 1 : 0;
                    return symshape::evaluate(e, vv);
                } catch (const symshape::division_by_zero&) {
                    def = false;
                    return 0;
                } catch (const symshape::overflow_error&) {
                    def = false;
                    return 0;
                }
            };
            I x = val(a, adef);
            if (!adef) continue;
            bool bdef = true;
            I y = val(b, bdef);
            if (!bdef || x != y) return false;
            ++tested;
        }
        return true;
    }

    std::string handle(const std::string& body, const std::string& comment) {
        std::vector<std::string> cols = split_columns(body);
        const std::string& op = cols[0];
        if (cols.size() < 3) throw symshape::usage_error("expected at least 3 '|'-separated columns: op | ranges | expr");
        const bool trunc = comment.find("trunc") != std::string::npos;
        std::string out = op + " | " + cols[1] + " | " + cols[2] + " | ";
        if (trunc) {
            ++sum.skipped;
            throw symshape::usage_error("'# trunc' lines use C truncating division, which symcalc does not model");
        }
        if (op == "eval") {
            symshape::valuation<I> v;
            std::istringstream in(cols[1]);
            std::string a;
            while (in >> a) {
                auto eqp = a.find('=');
                if (eqp == std::string::npos) throw symshape::usage_error("eval assignments are name=value, got '" + a + "'");
                v.set(a.substr(0, eqp), symshape::parse_integer<I>(a.substr(eqp + 1)));
            }
            E e = symshape::parse<I>(cols[2]);
            std::string got = e.is_bool() ? (symshape::evaluate_bool(e, v) ? "true" : "false") : symshape::to_string(symshape::evaluate(e, v));
            out += got;
            if (check && cols.size() > 3 && !cols[3].empty()) {
                if (cols[3] == got) ++sum.eval_right;
                else { ++sum.eval_wrong; out += "  # symshape: WRONG, expected " + cols[3]; }
            }
            return out;
        }
        symshape::fact_store<I> fs;
        symshape::declare_ranges<I>(cols[1], fs);
        E e = symshape::parse<I>(cols[2]);
        if (op == "bound") {
            symshape::interval<I> b = fs.bound(e);
            out += b.lo.str() + " | " + b.hi.str();
            if (check && cols.size() > 4) {
                X lo = parse_end(cols[3]), hi = parse_end(cols[4]);
                auto lp = comment.find("loose: true bound is [");
                if (lp != std::string::npos) {
                    std::string r = comment.substr(lp + 22);
                    auto c = r.find(','), e2 = r.find(']');
                    lo = parse_end(std::string(trim(r.substr(0, c))));
                    hi = parse_end(std::string(trim(r.substr(c + 1, e2 - c - 1))));
                }
                if (b.lo == lo && b.hi == hi) ++sum.bound_exact;
                else if (b.lo <= lo && hi <= b.hi) { ++sum.bound_loose; out += "  # symshape: looser than [" + lo.str() + ", " + hi.str() + "]"; }
                else { ++sum.bound_unsound; out += "  # symshape: UNSOUND, true bound is [" + lo.str() + ", " + hi.str() + "]"; }
            }
            return out;
        }
        if (op == "prove") {
            if (!e.is_bool()) throw symshape::usage_error("prove needs a boolean expression");
            symshape::truth t = fs.prove(e);
            out += symshape::to_string(t);
            if (check && cols.size() > 3 && !cols[3].empty()) {
                const std::string& want = cols[3];
                std::string got = symshape::to_string(t);
                if (want == "unknown") {
                    if (t == symshape::truth::unknown) ++sum.prove_undecidable_right;
                    else { ++sum.prove_wrong; out += "  # symshape: WRONG, the answer depends on the values"; }
                } else if (t == symshape::truth::unknown) {
                    ++sum.prove_unknown;
                    out += "  # symshape: undecided, true answer is " + want;
                } else if (got == want) {
                    ++sum.prove_right;
                } else {
                    ++sum.prove_wrong;
                    out += "  # symshape: WRONG, true answer is " + want;
                }
            }
            return out;
        }
        if (op == "simplify") {
            E s = symshape::simplify(e, fs);
            out += symshape::to_string(s);
            if (check) {
                std::vector<E> syms = symshape::symbols_of(e);
                if (!equivalent(e, s, fs, syms)) {
                    ++sum.simp_not_equiv;
                    out += "  # symshape: NOT EQUIVALENT to the input";
                } else if (cols.size() > 3 && !cols[3].empty()) {
                    E want = symshape::simplify(symshape::parse<I>(cols[3]), fs);
                    if (symshape::text_length(s) <= symshape::text_length(want)) ++sum.simp_ok;
                    else { ++sum.simp_longer; out += "  # symshape: longer than " + symshape::to_string(want); }
                } else {
                    ++sum.simp_ok;
                }
            }
            return out;
        }
        throw symshape::usage_error("unknown operation '" + op + "' (expected bound, simplify, prove or eval)");
    }

    void run(std::istream& in) {
        std::string line;
        while (std::getline(in, line)) {
            std::string_view t = trim(line);
            if (t.empty() || t.front() == '#') {
                std::cout << line << '\n';
                continue;
            }
            std::string body = line, comment;
            if (auto h = line.find('#'); h != std::string::npos) {
                body = line.substr(0, h);
                comment = line.substr(h);
            }
            std::string result;
            try {
                result = handle(body, comment);
            } catch (const std::exception& ex) {
                std::vector<std::string> cols = split_columns(body);
                result.clear();
                for (std::size_t i = 0; i < cols.size() && i < 3; ++i) result += cols[i] + " | ";
                std::string msg = ex.what();
                for (char& c : msg)
                    if (c == '\n' || c == '|' || c == '#') c = ' ';
                result += "error: " + msg;
                if (comment.find("trunc") == std::string::npos) ++sum.errors;
            }
            std::cout << result;
            if (!comment.empty()) std::cout << "  " << comment;
            std::cout << '\n';
        }
    }

    void report() const {
        const summary& s = sum;
        int bounds = s.bound_exact + s.bound_loose + s.bound_unsound;
        int decidable = s.prove_right + s.prove_unknown + s.prove_wrong;
        auto pct = [](int a, int b) { return b == 0 ? std::string("n/a") : std::to_string((1000 * a / b) / 10) + "." + std::to_string((1000 * a / b) % 10) + "%"; };
        std::cout << "# summary: bounds " << s.bound_exact << " exact (" << pct(s.bound_exact, bounds) << "), "
                  << s.bound_loose << " looser but sound, " << s.bound_unsound << " UNSOUND\n"
                  << "# summary: proofs " << s.prove_right << " right (" << pct(s.prove_right, decidable)
                  << " of true/false lines decided), " << s.prove_unknown << " unknown, " << s.prove_wrong << " WRONG; "
                  << s.prove_undecidable_right << " value-dependent lines answered unknown\n"
                  << "# summary: simplifications " << s.simp_ok << " equivalent and no longer, " << s.simp_longer
                  << " longer, " << s.simp_not_equiv << " NOT EQUIVALENT\n"
                  << "# summary: evals " << s.eval_right << " right, " << s.eval_wrong << " WRONG\n"
                  << "# summary: " << s.errors << " lines with errors, " << s.skipped << " '# trunc' lines skipped\n";
    }
};

template <symshape::Integer I>
int run_all(bool check, const std::vector<std::string>& files) {
    calculator<I> calc;
    calc.check = check;
    if (files.empty()) calc.run(std::cin);
    for (const auto& f : files) {
        std::ifstream in(f);
        if (!in) {
            std::cerr << "symcalc: cannot open '" << f << "'\n";
            return 2;
        }
        calc.run(in);
    }
    if (check) {
        calc.report();
        return calc.sum.bad() ? 1 : 0;
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    bool check = false, big = false;
    std::vector<std::string> files;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--check") check = true;
        else if (a == "--big") big = true;
        else if (a == "--help" || a == "-h") {
            std::cout << "usage: symcalc [--check] [--big] [FILE...]\n"
                         "  reads bound/simplify/prove/eval lines (../shared/vectors/README.md format) and answers them\n"
                         "  --check  compare with the given answers, print a summary, exit 1 on UNSOUND/WRONG/NOT EQUIVALENT\n"
                         "  --big    use arbitrary-precision integers instead of int64\n";
            return 0;
        } else if (!a.empty() && a[0] == '-') {
            std::cerr << "symcalc: unknown option '" << a << "' (see --help)\n";
            return 2;
        } else files.push_back(a);
    }
    return big ? run_all<symshape::big_int>(check, files) : run_all<std::int64_t>(check, files);
}
