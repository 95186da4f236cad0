// symshape/io/impl/dot.hpp — the definitions behind symshape/io/dot.hpp (compiled into
// libsymshape in compiled mode, included by that header in header-only mode). Not for direct
// inclusion.
#pragma once

#include "symshape/io/dot.hpp"
#include "symshape/io/printer.hpp"

namespace symshape {

namespace detail {
/// A DOT string literal's contents: quotes and backslashes escaped, newlines as \n.
SYMSHAPE_INLINE std::string dot_escape(const std::string& s) {
    std::string r;
    for (char ch : s) {
        if (ch == '"' || ch == '\\') r += '\\';
        if (ch == '\n') {
            r += "\\n";
            continue;
        }
        r += ch;
    }
    return r;
}
SYMSHAPE_INLINE const char* input_colour(input_kind k) noexcept {
    switch (k) {
    case input_kind::user_input: return "#cfe2ff";
    case input_kind::parameter: return "#d1f2d9";
    case input_kind::buffer: return "#ffe5b4";
    case input_kind::constant_tensor: return "#e2e3e5";
    }
    return "white";
}
/// What a node computes, for its label: `aten.add.Tensor`, `sym_size.int`, `x + y`, `[0]`.
SYMSHAPE_INLINE std::string node_op_text(const graph& g, std::size_t v) {
    const graph_node& n = g.nodes[v];
    if (n.k == graph_node::kind::getitem) return g.name_of(n.args.at(0).value) + "[" + to_string(n.args.at(1).i) + "]";
    // The printed line after " = " (or the whole line for nodes without a type).
    std::string line = node_text(g, static_cast<int>(v));
    const std::size_t eq = line.find(" = ");
    if (eq != std::string::npos) line = line.substr(eq + 3);
    if (line.rfind("torch.ops.", 0) == 0) line = line.substr(10);
    const std::size_t paren = line.find('(');
    return n.k == graph_node::kind::call && paren != std::string::npos ? line.substr(0, paren) : line;
}
} // namespace detail

SYMSHAPE_INLINE std::string to_dot(const exported_program& ep) {
    const graph& g = ep.graph();
    std::string r = "digraph exported_program {\n";
    r += "  rankdir=TB;\n  node [fontname=\"monospace\", fontsize=10];\n  edge [fontname=\"monospace\", fontsize=9];\n";
    for (std::size_t v = 0; v < g.nodes.size(); ++v) {
        const graph_node& n = g.nodes[v];
        const std::string id = "n" + std::to_string(v);
        std::string label, attrs;
        switch (n.k) {
        case graph_node::kind::placeholder:
            label = n.name + "\n" + kind_name(n.input) + (n.target.empty() ? "" : " '" + n.target + "'") + "\n" + to_string(n.type);
            attrs = std::string("shape=box, style=\"filled\", fillcolor=\"") + detail::input_colour(n.input) + "\"";
            break;
        case graph_node::kind::call: {
            const bool tuple = n.op != op_kind::custom && has_flag(info(n.op).flags, op_flags::multi_out);
            label = n.name + "\n" + detail::node_op_text(g, v) + (tuple ? "" : "\n" + to_string(n.type));
            attrs = "shape=box, style=\"rounded\"";
            break;
        }
        case graph_node::kind::getitem:
            label = n.name + " = " + detail::node_op_text(g, v) + "\n" + to_string(n.type);
            attrs = "shape=box, style=\"rounded,dashed\"";
            break;
        case graph_node::kind::sym:
            if (n.sop == detail::sym_op::assert_ || n.sop == detail::sym_op::constrain || n.sop == detail::sym_op::constrain_size) {
                label = n.name + "\n" + detail::node_op_text(g, v);
                attrs = "shape=octagon, style=\"filled\", fillcolor=\"#f8d7da\"";
            } else {
                label = n.name + "\n" + detail::node_op_text(g, v) + "\n" + to_string(n.type);
                attrs = "shape=ellipse";
            }
            break;
        }
        r += "  " + id + " [label=\"" + detail::dot_escape(label) + "\", " + attrs + "];\n";
    }
    // Edges: each value to the nodes that read it (tensor, list and Sym arguments).
    for (std::size_t v = 0; v < g.nodes.size(); ++v)
        for (const node_arg& a : g.nodes[v].args) {
            auto edge = [&](int from, bool sym) {
                r += "  n" + std::to_string(from) + " -> n" + std::to_string(v) + (sym ? " [style=dotted]" : "") + ";\n";
            };
            if (a.kind == arg_kind::tensor) edge(a.value, false);
            for (int x : a.values) edge(x, false);
            if (a.kind == arg_kind::integer && a.value >= 0) edge(a.value, true);
            for (int x : a.int_values)
                if (x >= 0) edge(x, true);
        }
    for (std::size_t k = 0; k < g.outputs.size(); ++k) {
        const output_ref& o = g.outputs[k];
        const std::string id = "out" + std::to_string(k);
        std::string label = std::string("output ") + std::to_string(k) + "\n" + kind_name(o.kind) +
                            (o.target.empty() ? "" : " '" + o.target + "'");
        if (o.value < 0) label += "\n" + to_string(o.constant);
        r += "  " + id + " [label=\"" + detail::dot_escape(label) + "\", shape=box, style=\"filled\", fillcolor=\"#fff3cd\"];\n";
        if (o.value >= 0) r += "  n" + std::to_string(o.value) + " -> " + id + ";\n";
    }
    if (!ep.guards().empty() || !ep.range_constraints().empty()) {
        std::string note;
        if (!ep.range_constraints().empty()) {
            note += "range constraints:";
            for (const auto& [s, range] : ep.range_constraints()) note += "\n  " + s + ": " + range;
        }
        if (!ep.guards().empty()) {
            note += std::string(note.empty() ? "" : "\n") + "guards:";
            for (const guard& gd : ep.guards()) note += "\n  " + to_string(gd.predicate) + "  (" + gd.reason + ")";
        }
        r += "  checks [label=\"" + detail::dot_escape(note) + "\", shape=note, style=\"filled\", fillcolor=\"#f0f0f0\"];\n";
    }
    return r + "}\n";
}

} // namespace symshape
