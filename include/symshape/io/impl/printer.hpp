// symshape/io/impl/printer.hpp — the definitions behind symshape/io/printer.hpp: compiled into
// libsymshape in compiled mode, included by that header in header-only mode. Not for direct
// inclusion.
#pragma once

#include "symshape/io/printer.hpp"

namespace symshape {

SYMSHAPE_INLINE std::string python_float(double d) {
    if (std::isnan(d)) return "nan";
    if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, d);
    std::string s(buf, res.ptr);
    if (s.find_first_of(".en") == std::string::npos) s += ".0";
    return s;
}

namespace detail {
/// A Python string literal in double quotes (as torch.export prints assertion messages).
SYMSHAPE_INLINE std::string python_string(const std::string& s) {
    std::string r = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') r += '\\';
        if (c == '\n') {
            r += "\\n";
            continue;
        }
        r += c;
    }
    return r + '"';
}

SYMSHAPE_INLINE void append_arg(std::string& r, const graph& g, const node_arg& a) {
    switch (a.kind) {
    case arg_kind::tensor: r += g.name_of(a.value); break;
    case arg_kind::tensors:
        r += '[';
        for (std::size_t i = 0; i < a.values.size(); ++i) r += (i ? ", " : "") + g.name_of(a.values[i]);
        r += ']';
        break;
    case arg_kind::integer: r += a.value >= 0 ? g.name_of(a.value) : to_string(a.i); break;
    case arg_kind::real: r += python_float(a.d); break;
    case arg_kind::boolean: r += a.b ? "True" : "False"; break;
    case arg_kind::ints:
        r += '[';
        for (std::size_t i = 0; i < a.ints.size(); ++i)
            r += (i ? ", " : "") + (i < a.int_values.size() && a.int_values[i] >= 0 ? g.name_of(a.int_values[i]) : to_string(a.ints[i]));
        r += ']';
        break;
    case arg_kind::dtype: r += torch_name(a.dt); break;
    case arg_kind::string: r += "'" + a.s + "'"; break;
    case arg_kind::none: r += "None"; break;
    }
}
} // namespace detail

namespace detail {
/// The dtype PyTorch infers for a creation op when none is given: f32, or from the fill value
/// (`full`) or the range ends (`arange`).
SYMSHAPE_INLINE dtype default_creation_dtype(const graph_node& n) {
    if (n.op == op_kind::full && n.args.size() > 1)
        return n.args[1].kind == arg_kind::real ? dtype::f32 : n.args[1].kind == arg_kind::boolean ? dtype::b8 : dtype::i64;
    if (n.op == op_kind::arange) {
        for (std::size_t i = 0; i < 3 && i < n.args.size(); ++i)
            if (n.args[i].kind == arg_kind::real) return dtype::f32;
        return dtype::i64;
    }
    return dtype::f32;
}
} // namespace detail

SYMSHAPE_INLINE std::string node_text(const graph& g, int v) {
    const graph_node& n = g.nodes.at(static_cast<std::size_t>(v));
    if (n.k == graph_node::kind::sym) {
        std::vector<std::string> a;
        for (const node_arg& x : n.args) {
            a.emplace_back();
            detail::append_arg(a.back(), g, x);
        }
        switch (n.sop) {
        case detail::sym_op::assert_:
            return n.name + " = torch.ops.aten._assert_scalar.default(" + a.at(0) + ", " + detail::python_string(n.text) + ")";
        case detail::sym_op::constrain:
        case detail::sym_op::constrain_size:
            return n.name + " = torch.ops.aten." +
                   (n.sop == detail::sym_op::constrain ? "sym_constrain_range" : "sym_constrain_range_for_size") +
                   ".default(" + a.at(0) + ", min = " + a.at(1) + ", max = " + a.at(2) + ")";
        default: break;
        }
        std::string r = n.name + ": " + to_string(n.type) + " = ";
        switch (n.sop) {
        case detail::sym_op::size: return r + "torch.ops.aten.sym_size.int(" + a.at(0) + ", " + a.at(1) + ")";
        case detail::sym_op::item: return r + "torch.ops.aten.item.default(" + a.at(0) + ")";
        case detail::sym_op::add: return r + a.at(0) + " + " + a.at(1);
        case detail::sym_op::sub: return r + a.at(0) + " - " + a.at(1);
        case detail::sym_op::mul: return r + a.at(0) + " * " + a.at(1);
        case detail::sym_op::floordiv: return r + a.at(0) + " // " + a.at(1);
        case detail::sym_op::mod: return r + a.at(0) + " % " + a.at(1);
        case detail::sym_op::min: return r + "torch.sym_min(" + a.at(0) + ", " + a.at(1) + ")";
        case detail::sym_op::max: return r + "torch.sym_max(" + a.at(0) + ", " + a.at(1) + ")";
        case detail::sym_op::neg: return r + "-" + a.at(0);
        case detail::sym_op::eq: return r + a.at(0) + " == " + a.at(1);
        case detail::sym_op::ne: return r + a.at(0) + " != " + a.at(1);
        case detail::sym_op::lt: return r + a.at(0) + " < " + a.at(1);
        case detail::sym_op::le: return r + a.at(0) + " <= " + a.at(1);
        case detail::sym_op::gt: return r + a.at(0) + " > " + a.at(1);
        case detail::sym_op::ge: return r + a.at(0) + " >= " + a.at(1);
        case detail::sym_op::and_: return r + a.at(0) + " & " + a.at(1);
        case detail::sym_op::or_: return r + a.at(0) + " | " + a.at(1);
        case detail::sym_op::not_: return r + "torch.sym_not(" + a.at(0) + ")";
        default: return r + "?";
        }
    }
    if (n.k == graph_node::kind::cond || n.k == graph_node::kind::map) {
        // cond(pred, true_graph_0, false_graph_0, (x, y)); map_impl(body_graph_0, [xs], [y])
        auto sub = [&](std::size_t i) { return g.subgraphs.at(static_cast<std::size_t>(n.subgraphs.at(i))).name; };
        std::string r = n.name + " = torch.ops.higher_order.";
        if (n.k == graph_node::kind::cond) {
            r += "cond(";
            detail::append_arg(r, g, n.args.at(0));
            r += ", " + sub(0) + ", " + sub(1) + ", (";
            const std::vector<int>& ops = n.args.at(1).values;
            for (std::size_t i = 0; i < ops.size(); ++i) r += (i ? ", " : "") + g.name_of(ops[i]);
            return r + (ops.size() == 1 ? ",))" : "))");
        }
        r += "map_impl(" + sub(0) + ", ";
        detail::append_arg(r, g, n.args.at(0));
        r += ", ";
        detail::append_arg(r, g, n.args.at(1));
        return r + ")";
    }
    if (n.k == graph_node::kind::getitem)
        return n.name + ": " + to_string(n.type) + " = " + g.name_of(n.args.at(0).value) + "[" + to_string(n.args.at(1).i) + "]";
    if (n.op == op_kind::custom) {
        std::string r = n.name + ": " + to_string(n.type) + " = " + detail::custom_op_label(n.custom) + "(";
        for (std::size_t i = 0; i < n.args.size(); ++i) {
            if (i) r += ", ";
            detail::append_arg(r, g, n.args[i]);
        }
        return r + ')';
    }
    const op_info& row = info(n.op);
    // An op with several results defines a tuple, printed without a type (its getitems have types).
    std::string r = n.name;
    if (!has_flag(row.flags, op_flags::multi_out)) r += ": " + to_string(n.type);
    r += " = torch.ops.aten.";
    r += n.alt && row.aten_alt ? row.aten_alt : row.aten;
    r += '(';
    std::string_view kw = row.keywords;
    bool first = true;
    for (std::size_t i = 0; i < n.args.size(); ++i) {
        std::string key;
        if (row.positional >= 0 && static_cast<int>(i) >= row.positional) {
            std::size_t comma = kw.find(',');
            key = std::string(kw.substr(0, comma));
            kw = comma == std::string_view::npos ? std::string_view{} : kw.substr(comma + 1);
        }
        // Like torch.export, a creation op's dtype is printed only when it is not the default.
        if (key == "dtype" && n.args[i].kind == arg_kind::dtype && n.args[i].dt == detail::default_creation_dtype(n)) continue;
        if (!first) r += ", ";
        first = false;
        if (!key.empty()) r += key + " = ";
        detail::append_arg(r, g, n.args[i]);
    }
    if (has_flag(row.flags, op_flags::creation)) r += ", device = device(type='cpu'), pin_memory = False";
    return r + ')';
}

SYMSHAPE_INLINE std::string graph_text(const graph& g, int indent) {
    const std::string pad(static_cast<std::size_t>(indent), ' ');
    // Last use of each value by a call node (values used by an output are never released).
    std::vector<int> last(g.nodes.size(), -1);
    std::vector<bool> used_by_output(g.nodes.size(), false), used(g.nodes.size(), false);
    for (std::size_t v = 0; v < g.nodes.size(); ++v)
        for (const node_arg& a : g.nodes[v].args) {
            auto mark = [&](int x) {
                last[static_cast<std::size_t>(x)] = static_cast<int>(v);
                used[static_cast<std::size_t>(x)] = true;
            };
            if (a.value >= 0) mark(a.value);
            for (int x : a.values) mark(x);
            for (int x : a.int_values)
                if (x >= 0) mark(x);
        }
    for (const output_ref& o : g.outputs)
        if (o.value >= 0) used_by_output[static_cast<std::size_t>(o.value)] = used[static_cast<std::size_t>(o.value)] = true;

    std::string r = pad + "def forward(self";
    for (int v : g.inputs) r += ", " + g.name_of(v) + ": " + to_string(g.nodes[static_cast<std::size_t>(v)].type);
    r += "):\n";
    for (std::size_t v = 0; v < g.nodes.size(); ++v) {
        const graph_node& n = g.nodes[v];
        if (n.k == graph_node::kind::placeholder) continue;
        // A higher-order op first reads its subgraphs as attributes (`true_graph_0 = self.true_graph_0`).
        for (int s : n.subgraphs) {
            const std::string& name = g.subgraphs.at(static_cast<std::size_t>(s)).name;
            r += pad + "    " + name + " = self." + name + "\n";
        }
        std::string line = pad + "    " + node_text(g, static_cast<int>(v));
        std::vector<std::string> dead;
        std::vector<int> seen;
        for (std::size_t i = 0; i < n.args.size(); ++i) {
            const node_arg& a = n.args[i];
            auto consider = [&](int x) {
                if (last[static_cast<std::size_t>(x)] == static_cast<int>(v) && !used_by_output[static_cast<std::size_t>(x)] &&
                    std::find(seen.begin(), seen.end(), x) == seen.end()) {
                    seen.push_back(x);
                    dead.push_back(g.name_of(x));
                }
            };
            if (a.value >= 0) consider(a.value);
            for (int x : a.values) consider(x);
            for (int x : a.int_values)
                if (x >= 0) consider(x);
            // (the subgraph attributes die after the predicate / the mapped tensors)
            if (i == 0 && n.k == graph_node::kind::cond)
                for (int s : n.subgraphs) dead.push_back(g.subgraphs.at(static_cast<std::size_t>(s)).name);
            if (i == 0 && n.k == graph_node::kind::map)
                dead.insert(dead.begin(), g.subgraphs.at(static_cast<std::size_t>(n.subgraphs.at(0))).name);
        }
        if (!used[v] && n.defines_value()) dead.push_back(n.name);
        if (!dead.empty()) {
            line += ";  ";
            for (const std::string& x : dead) line += x + " = ";
            line += "None";
        }
        r += line + "\n";
    }
    r += pad + "    return (";
    for (std::size_t i = 0; i < g.outputs.size(); ++i) {
        const output_ref& o = g.outputs[i];
        r += (i ? ", " : "") + (o.value >= 0 ? g.name_of(o.value) : to_string(o.constant));
    }
    r += g.outputs.size() == 1 ? ",)\n" : ")\n";
    for (const graph& sub : g.subgraphs) r += "\n" + pad + "class " + sub.name + "(torch.nn.Module):\n" + graph_text(sub, indent + 4);
    return r;
}

SYMSHAPE_INLINE std::string to_string(const exported_program& ep) {
    std::string r = "ExportedProgram:\n    class GraphModule(torch.nn.Module):\n";
    r += graph_text(ep.graph(), 8);
    r += "\nGraph signature:\n    # inputs\n";
    graph_signature s = ep.signature();
    for (const input_spec& in : s.inputs) {
        r += "    " + in.name + ": " + kind_name(in.kind);
        if (!in.target.empty()) r += " target='" + in.target + "'";
        if (in.kind == input_kind::buffer) r += " persistent=True";
        r += "\n";
    }
    r += "\n    # outputs\n";
    for (const output_spec& out : s.outputs) {
        r += "    " + out.name + ": " + kind_name(out.kind);
        if (!out.target.empty()) r += " target='" + out.target + "'";
        r += "\n";
    }
    r += "\nRange constraints: {";
    for (std::size_t i = 0; i < ep.range_constraints().size(); ++i)
        r += (i ? ", " : "") + ep.range_constraints()[i].first + ": " + ep.range_constraints()[i].second;
    r += "}\n";
    if (!ep.draft_report().empty()) {
        const std::size_t n = ep.draft_report().size();
        r += "\nDraft export report: " + std::to_string(n) + " problem" + (n == 1 ? "" : "s") +
             " (exported under runtime checks; apply the fixes to export cleanly)\n";
        for (std::size_t i = 0; i < n; ++i) {
            const draft_problem& p = ep.draft_report()[i];
            r += "    " + std::to_string(i + 1) + ". " + p.kind + ": " + p.what + "\n        where: " + p.where + "\n        fix: " + p.fix + "\n";
        }
    }
    if (!ep.dim_outcomes().empty()) {
        r += "\nDim hints:\n";
        for (const std::string& o : ep.dim_outcomes()) r += "    " + o + "\n";
    }
    return r;
}

SYMSHAPE_INLINE std::ostream& operator<<(std::ostream& os, const exported_program& ep) { return os << to_string(ep); }

} // namespace symshape
