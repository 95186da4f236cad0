// symshape — a command for saved programs (files written by symshape::save): print them, draw
// them, summarise them, ask whether inputs of given shapes would be accepted, and emit their
// input checks as standalone C++. Run `symshape --help` for the commands and exit codes.
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "symshape/guard/emit.hpp"
#include "symshape/io.hpp"
#include "symshape/io/serialize.hpp"

namespace ss = symshape;

namespace {
constexpr const char* usage_text = R"(usage: symshape COMMAND FILE [ARGS]

Commands on a saved program (a JSON file written by symshape::save):
  print FILE                 the program in the ExportedProgram layout
  dot FILE                   a Graphviz picture (pipe to `dot -Tsvg > graph.svg`)
  info FILE                  signature, dims and ranges, guards, op counts
  check FILE NAME=SHAPE...   would inputs of these shapes be accepted? SHAPE is a dtype and
                             sizes, e.g. x=f32[8,32] y=i64[]; every user input must be given
  guards FILE --cpp          the input checks as a standalone C++ function

Exit codes: 0 done (for check: accepted); 1 check: the inputs are rejected (the first failing
check is printed, in the words of run()); 2 usage error; 3 the file cannot be read or loaded.
)";

int usage(const std::string& why) {
    std::cerr << "symshape: " << why << "\n\n" << usage_text;
    return 2;
}

/// `f32[8,32]` -> a zero tensor of that dtype and shape; throws usage_error when malformed.
ss::tensor tensor_of(const std::string& spec) {
    const std::size_t open = spec.find('['), close = spec.rfind(']');
    if (open == std::string::npos || close != spec.size() - 1)
        throw ss::usage_error("'" + spec + "' is not a shape like f32[8,32] or i64[]");
    const std::string dt = spec.substr(0, open);
    ss::dtype t = ss::dtype::f32;
    bool found = false;
    for (int k = 0; k < ss::dtype_count; ++k)
        if (dt == ss::short_name(static_cast<ss::dtype>(k))) t = static_cast<ss::dtype>(k), found = true;
    if (!found) throw ss::usage_error("unknown dtype '" + dt + "' in '" + spec + "' (b8, i32, i64, f32, f64)");
    ss::shape_vec sizes;
    std::string inner = spec.substr(open + 1, close - open - 1), item;
    for (std::size_t i = 0; i <= inner.size(); ++i) {
        if (i == inner.size() || inner[i] == ',') {
            if (item.empty() && inner.empty()) break;
            std::size_t used = 0;
            long long v = -1;
            try {
                v = std::stoll(item, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (used != item.size() || v < 0) throw ss::usage_error("size '" + item + "' in '" + spec + "' is not a size >= 0");
            sizes.push_back(v);
            item.clear();
        } else if (inner[i] != ' ') {
            item += inner[i];
        }
    }
    // The checks read dtype and sizes only: one element of storage, every stride 0 (a shape of
    // any size costs nothing).
    ss::tensor r = ss::zeros({}, t);
    r.impl().sizes = sizes;
    r.impl().strides = {};
    return r;
}

std::string interval_text(const ss::interval<std::int64_t>& r) { return "[" + r.lo.str() + ", " + r.hi.str() + "]"; }

int info(const ss::exported_program& ep) {
    const ss::graph_signature sig = ep.signature();
    std::cout << "inputs:\n";
    for (const auto& in : sig.inputs) {
        std::string type;
        for (const auto& n : ep.graph().nodes)
            if (n.name == in.name) type = ss::to_string(n.type);
        std::cout << "  " << in.name << ": " << type << "  " << ss::kind_name(in.kind) << (in.target.empty() ? "" : " '" + in.target + "'") << "\n";
    }
    std::cout << "outputs:\n";
    for (const auto& out : sig.outputs)
        std::cout << "  " << out.name << "  " << ss::kind_name(out.kind) << (out.target.empty() ? "" : " '" + out.target + "'") << "\n";
    std::cout << "dims:\n";
    if (ep.dims().empty()) std::cout << "  (none: every size is static)\n";
    for (const auto& d : ep.dims()) std::cout << "  " << ss::to_string(d.symbol) << " = dim '" << d.name << "' " << interval_text(d.declared) << "\n";
    std::cout << "range constraints:\n";
    for (const auto& [s, r] : ep.range_constraints()) std::cout << "  " << s << ": " << r << "\n";
    std::cout << "guards:\n";
    if (ep.guards().empty()) std::cout << "  (none)\n";
    for (const auto& g : ep.guards()) std::cout << "  " << ss::to_string(g.predicate) << "  (asked by: " << g.reason << ")\n";
    std::map<std::string, int> ops;
    int calls = 0;
    for (const auto& n : ep.graph().nodes) {
        if (n.k != ss::graph_node::kind::call) continue;
        ++calls;
        std::string line = ss::node_text(ep.graph(), static_cast<int>(&n - ep.graph().nodes.data()));
        const std::size_t at = line.find("torch.ops."), paren = line.find('(', at);
        ++ops[line.substr(at + 10, paren - at - 10)];
    }
    std::cout << "ops: " << calls << " calls\n";
    for (const auto& [op, count] : ops) std::cout << "  " << op << ": " << count << "\n";
    std::cout << "input checks: " << ep.check_count() << "\n";
    return 0;
}

int check(const ss::exported_program& ep, const std::vector<std::string>& args) {
    std::map<std::string, std::string> given;
    for (const std::string& a : args) {
        const std::size_t eq = a.find('=');
        if (eq == std::string::npos || eq == 0) return usage("'" + a + "' is not NAME=SHAPE");
        if (!given.emplace(a.substr(0, eq), a.substr(eq + 1)).second) return usage("input '" + a.substr(0, eq) + "' given twice");
    }
    std::vector<ss::tensor> inputs;
    for (const std::string& name : ep.user_input_names()) {
        auto it = given.find(name);
        if (it == given.end()) return usage("no shape for input '" + name + "' (the program's inputs: " + [&] {
            std::string all;
            for (const auto& n : ep.user_input_names()) all += (all.empty() ? "" : ", ") + n;
            return all;
        }() + ")");
        inputs.push_back(tensor_of(it->second));
        given.erase(it);
    }
    if (!given.empty()) return usage("the program has no input '" + given.begin()->first + "'");
    try {
        ep.check_inputs(inputs);
    } catch (const ss::input_error& e) {
        std::cout << "rejected: " << e.what() << "\n";
        return 1;
    }
    std::cout << "accepted\n";
    return 0;
}

int guards_cpp(const ss::exported_program& ep) {
    std::vector<ss::expr> syms, preds;
    for (const auto& d : ep.dims()) {
        syms.push_back(d.symbol);
        if (d.declared.lo.is_finite()) preds.push_back(ss::ge(d.symbol, ss::expr(d.declared.lo.value())));
        if (d.declared.hi.is_finite()) preds.push_back(ss::le(d.symbol, ss::expr(d.declared.hi.value())));
    }
    for (const auto& g : ep.guards()) preds.push_back(g.predicate);
    std::cout << "// The input checks of the program (range ends and guards of its dims" << (syms.empty() ? ": none" : "");
    for (std::size_t i = 0; i < ep.dims().size(); ++i) std::cout << (i ? ", " : " ") << "s[" << i << "] = dim '" << ep.dims()[i].name << "'";
    std::cout << ").\n" << ss::predicates_to_cpp(syms, preds);
    return 0;
}
} // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) return usage("no command");
    if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::cout << usage_text;
        return 0;
    }
    const std::string cmd = args[0];
    if (cmd != "print" && cmd != "dot" && cmd != "info" && cmd != "check" && cmd != "guards") return usage("unknown command '" + cmd + "'");
    if (args.size() < 2) return usage(cmd + " needs a FILE");
    ss::exported_program ep;
    try {
        ep = ss::load(args[1]);
    } catch (const ss::error& e) {
        std::cerr << "symshape: " << args[1] << ": " << e.what() << "\n";
        return 3;
    }
    const std::vector<std::string> rest(args.begin() + 2, args.end());
    try {
        if (cmd == "print" || cmd == "dot" || cmd == "info") {
            if (!rest.empty()) return usage(cmd + " takes only FILE");
            if (cmd == "print") std::cout << ep;
            if (cmd == "dot") std::cout << ss::to_dot(ep);
            return cmd == "info" ? info(ep) : 0;
        }
        if (cmd == "check") return check(ep, rest);
        if (rest.size() != 1 || rest[0] != "--cpp") return usage("guards takes FILE --cpp");
        return guards_cpp(ep);
    } catch (const ss::usage_error& e) {
        return usage(e.what());
    } catch (const ss::error& e) {
        std::cerr << "symshape: " << e.what() << "\n";
        return 3;
    }
}
