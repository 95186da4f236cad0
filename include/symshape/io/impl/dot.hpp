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

namespace detail {
/// Nodes, edges and outputs of `g`, ids prefixed by `p` (`n3`, `true_graph_0_n3`); each subgraph is
/// a cluster, and a cond / map node has a dashed edge to each subgraph it runs.
SYMSHAPE_INLINE void dot_graph(const graph& g, const std::string& p, const std::string& pad, std::string& r) {
    for (std::size_t v = 0; v < g.nodes.size(); ++v) {
        const graph_node& n = g.nodes[v];
        const std::string id = p + "n" + std::to_string(v);
        std::string label, attrs;
        switch (n.k) {
        case graph_node::kind::placeholder:
            label = n.name + "\n" + kind_name(n.input) + (n.target.empty() ? "" : " '" + n.target + "'") + "\n" + to_string(n.type);
            attrs = std::string("shape=box, style=\"filled\", fillcolor=\"") + detail::input_colour(n.input) + "\"";
            break;
        case graph_node::kind::call:
            label = n.name + "\n" + detail::node_op_text(g, v) + (n.has_several_results() ? "" : "\n" + to_string(n.type));
            attrs = "shape=box, style=\"rounded\"";
            break;
        case graph_node::kind::cond:
        case graph_node::kind::map:
            label = n.name + "\nhigher_order." + (n.k == graph_node::kind::cond ? "cond" : "map_impl");
            attrs = "shape=box, style=\"rounded,bold\"";
            break;
        case graph_node::kind::getitem:
            label = n.name + " = " + detail::node_op_text(g, v) + "\n" + to_string(n.type);
            attrs = "shape=box, style=\"rounded,dashed\"";
            break;
        case graph_node::kind::sym:
            if (!n.defines_value()) {
                label = n.name + "\n" + detail::node_op_text(g, v);
                attrs = "shape=octagon, style=\"filled\", fillcolor=\"#f8d7da\"";
            } else {
                label = n.name + "\n" + detail::node_op_text(g, v) + "\n" + to_string(n.type);
                attrs = "shape=ellipse";
            }
            break;
        }
        r += pad + id + " [label=\"" + detail::dot_escape(label) + "\", " + attrs + "];\n";
    }
    // Edges: each value to the nodes that read it (tensor, list and Sym arguments).
    for (std::size_t v = 0; v < g.nodes.size(); ++v)
        for (const node_arg& a : g.nodes[v].args) {
            auto edge = [&](int from, bool sym) {
                r += pad + p + "n" + std::to_string(from) + " -> " + p + "n" + std::to_string(v) + (sym ? " [style=dotted]" : "") + ";\n";
            };
            if (a.kind == arg_kind::tensor) edge(a.value, false);
            for (int x : a.values) edge(x, false);
            if (a.kind == arg_kind::integer && a.value >= 0) edge(a.value, true);
            for (int x : a.int_values)
                if (x >= 0) edge(x, true);
        }
    for (std::size_t k = 0; k < g.outputs.size(); ++k) {
        const output_ref& o = g.outputs[k];
        const std::string id = p + "out" + std::to_string(k);
        std::string label = std::string("output ") + std::to_string(k) + (p.empty() ? std::string("\n") + kind_name(o.kind) : std::string()) +
                            (o.target.empty() ? "" : " '" + o.target + "'");
        if (o.value < 0) label += "\n" + to_string(o.constant);
        r += pad + id + " [label=\"" + detail::dot_escape(label) + "\", shape=box, style=\"filled\", fillcolor=\"#fff3cd\"];\n";
        if (o.value >= 0) r += pad + p + "n" + std::to_string(o.value) + " -> " + id + ";\n";
    }
    for (const graph& sub : g.subgraphs) {
        const std::string sp = p + sub.name + "_";
        r += pad + "subgraph cluster_" + sp + " {\n" + pad + "  label=\"" + detail::dot_escape(sub.name) + "\";\n" + pad + "  style=\"dashed\";\n";
        dot_graph(sub, sp, pad + "  ", r);
        r += pad + "}\n";
    }
    for (std::size_t v = 0; v < g.nodes.size(); ++v)
        for (int sg : g.nodes[v].subgraphs) {
            const graph& sub = g.subgraphs.at(static_cast<std::size_t>(sg));
            const std::string target = p + sub.name + "_" + (sub.nodes.empty() ? std::string("out0") : std::string("n0"));
            if (sub.nodes.empty() && sub.outputs.empty()) continue;
            r += pad + p + "n" + std::to_string(v) + " -> " + target + " [style=dashed, label=\"" + sub.name + "\"];\n";
        }
}
} // namespace detail

SYMSHAPE_INLINE std::string to_dot(const exported_program& ep) {
    const graph& g = ep.graph();
    std::string r = "digraph exported_program {\n";
    r += "  rankdir=TB;\n  node [fontname=\"monospace\", fontsize=10];\n  edge [fontname=\"monospace\", fontsize=9];\n";
    detail::dot_graph(g, "", "  ", r);
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
