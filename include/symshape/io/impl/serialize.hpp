// symshape/io/impl/serialize.hpp — the definitions behind symshape/io/serialize.hpp (compiled
// into libsymshape in compiled mode, included by that header in header-only mode). The JSON
// reading and writing is nlohmann-json's (Debian nlohmann-json3-dev); this file only maps the
// program to its document and back, checking everything it reads. Not for direct inclusion.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "symshape/expr/parse.hpp"
#include "symshape/io/serialize.hpp"
#include "symshape/range/facts.hpp"

namespace symshape {

namespace detail {

using ojson = nlohmann::ordered_json;

// ---- small codecs: base64, dtypes, kinds, symbolic integers ----

SYMSHAPE_INLINE std::string base64_encode(const unsigned char* p, std::size_t n) {
    static constexpr char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string r;
    r.reserve((n + 2) / 3 * 4);
    for (std::size_t i = 0; i < n; i += 3) {
        const unsigned v = (unsigned(p[i]) << 16) | (i + 1 < n ? unsigned(p[i + 1]) << 8 : 0u) | (i + 2 < n ? unsigned(p[i + 2]) : 0u);
        r += digits[(v >> 18) & 63];
        r += digits[(v >> 12) & 63];
        r += i + 1 < n ? digits[(v >> 6) & 63] : '=';
        r += i + 2 < n ? digits[v & 63] : '=';
    }
    return r;
}
/// Decodes strict base64 (padded, no whitespace); false on any other character or length.
SYMSHAPE_INLINE bool base64_decode(std::string_view s, std::string& out) {
    auto value = [](char ch) -> int {
        if (ch >= 'A' && ch <= 'Z') return ch - 'A';
        if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
        if (ch >= '0' && ch <= '9') return ch - '0' + 52;
        if (ch == '+') return 62;
        if (ch == '/') return 63;
        return -1;
    };
    if (s.size() % 4 != 0) return false;
    out.clear();
    out.reserve(s.size() / 4 * 3);
    for (std::size_t i = 0; i < s.size(); i += 4) {
        const bool last = i + 4 == s.size();
        const int pad = last ? (s[i + 3] == '=') + (s[i + 2] == '=' && s[i + 3] == '=') : 0;
        int v[4];
        for (int k = 0; k < 4; ++k) {
            v[k] = k >= 4 - pad ? 0 : value(s[i + static_cast<std::size_t>(k)]);
            if (v[k] < 0) return false;
        }
        const unsigned w = (unsigned(v[0]) << 18) | (unsigned(v[1]) << 12) | (unsigned(v[2]) << 6) | unsigned(v[3]);
        out += static_cast<char>((w >> 16) & 255);
        if (pad < 2) out += static_cast<char>((w >> 8) & 255);
        if (pad < 1) out += static_cast<char>(w & 255);
    }
    return true;
}

/// Tensor bytes in little-endian order (swapped element by element on a big-endian machine).
SYMSHAPE_INLINE void to_little_endian(std::string& bytes, std::size_t esize) {
    if constexpr (std::endian::native == std::endian::big)
        for (std::size_t i = 0; i + esize <= bytes.size(); i += esize) std::reverse(bytes.begin() + i, bytes.begin() + i + esize);
    (void)bytes;
    (void)esize;
}

SYMSHAPE_INLINE const char* sym_op_name(sym_op op) noexcept {
    static constexpr const char* names[] = {"sym_size", "add", "sub", "mul", "floordiv", "mod", "sym_min", "sym_max",
                                            "neg", "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "not", "item",
                                            "assert", "constrain_range", "constrain_range_for_size"};
    return names[static_cast<int>(op)];
}

/// Where in the document a value is, for messages: `$.graph_module.graph.nodes[3].target`.
struct json_path {
    std::string text = "$";
    json_path operator/(std::string_view key) const { return {text + "." + std::string(key)}; }
    json_path operator[](std::size_t i) const { return {text + "[" + std::to_string(i) + "]"}; }
};

[[noreturn]] SYMSHAPE_INLINE void fail(const json_path& at, const std::string& what) {
    throw load_error("cannot load the program: " + at.text + ": " + what);
}

SYMSHAPE_INLINE const char* json_type_name(const ojson& j) noexcept {
    switch (j.type()) {
    case ojson::value_t::null: return "null";
    case ojson::value_t::object: return "an object";
    case ojson::value_t::array: return "an array";
    case ojson::value_t::string: return "a string";
    case ojson::value_t::boolean: return "a bool";
    case ojson::value_t::number_integer:
    case ojson::value_t::number_unsigned: return "an integer";
    case ojson::value_t::number_float: return "a number";
    default: return "something else";
    }
}

// Typed access that names the path on a mismatch.
SYMSHAPE_INLINE const ojson& member(const ojson& j, std::string_view key, const json_path& at) {
    if (!j.is_object()) fail(at, std::string("expected an object, found ") + json_type_name(j));
    auto it = j.find(key);
    if (it == j.end()) fail(at / key, "missing");
    return *it;
}
SYMSHAPE_INLINE const ojson* optional_member(const ojson& j, std::string_view key) {
    auto it = j.find(key);
    return it == j.end() ? nullptr : &*it;
}
SYMSHAPE_INLINE const ojson& array_of(const ojson& j, const json_path& at) {
    if (!j.is_array()) fail(at, std::string("expected an array, found ") + json_type_name(j));
    return j;
}
SYMSHAPE_INLINE std::string string_of(const ojson& j, const json_path& at) {
    if (!j.is_string()) fail(at, std::string("expected a string, found ") + json_type_name(j));
    return j.get<std::string>();
}
SYMSHAPE_INLINE std::int64_t int_of(const ojson& j, const json_path& at) {
    if (j.is_number_integer()) return j.get<std::int64_t>();
    if (j.is_number_unsigned()) {
        const std::uint64_t u = j.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) fail(at, "integer out of the int64 range");
        return static_cast<std::int64_t>(u);
    }
    fail(at, std::string("expected an integer, found ") + json_type_name(j));
}
SYMSHAPE_INLINE bool bool_of(const ojson& j, const json_path& at) {
    if (!j.is_boolean()) fail(at, std::string("expected a bool, found ") + json_type_name(j));
    return j.get<bool>();
}
SYMSHAPE_INLINE double float_of(const ojson& j, const json_path& at) {
    if (j.is_number()) return j.get<double>();
    if (j.is_string()) {
        const std::string s = j.get<std::string>();
        if (s == "inf") return std::numeric_limits<double>::infinity();
        if (s == "-inf") return -std::numeric_limits<double>::infinity();
        if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
    }
    fail(at, std::string("expected a number (or \"inf\", \"-inf\", \"nan\"), found ") + json_type_name(j));
}
SYMSHAPE_INLINE ojson float_json(double d) {
    if (std::isnan(d)) return "nan";
    if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
    return d;
}

SYMSHAPE_INLINE dtype dtype_of_name(const std::string& s, const json_path& at) {
    for (int k = 0; k < dtype_count; ++k)
        if (s == short_name(static_cast<dtype>(k))) return static_cast<dtype>(k);
    fail(at, "unknown dtype '" + s + "' (expected b8, i32, i64, f32 or f64)");
}
SYMSHAPE_INLINE input_kind input_kind_of(const std::string& s, const json_path& at) {
    for (input_kind k : {input_kind::parameter, input_kind::buffer, input_kind::constant_tensor, input_kind::user_input})
        if (s == kind_name(k)) return k;
    fail(at, "unknown input kind '" + s + "'");
}
SYMSHAPE_INLINE output_kind output_kind_of(const std::string& s, const json_path& at) {
    for (output_kind k : {output_kind::user_input_mutation, output_kind::buffer_mutation, output_kind::user_output})
        if (s == kind_name(k)) return k;
    fail(at, "unknown output kind '" + s + "'");
}

/// A symbolic integer as torch.export writes SymInt: {"as_int": 3} or {"as_expr": {"expr_str", "hint"}}.
SYMSHAPE_INLINE ojson sym_int_json(const sym_int& v) {
    ojson j = ojson::object();
    if (v.is_constant()) {
        j["as_int"] = v.unsafe_hint();
    } else {
        ojson e = ojson::object();
        e["expr_str"] = to_string(v.to_expr());
        e["hint"] = v.unsafe_hint();
        j["as_expr"] = std::move(e);
    }
    return j;
}
/// A predicate or expression as text.
SYMSHAPE_INLINE expr parse_expr_at(const std::string& text, const json_path& at) {
    try {
        return parse<std::int64_t>(text);
    } catch (const error& e) {
        fail(at, "the expression '" + text + "' does not parse: " + e.what());
    }
}
} // namespace detail

// ---- the codec ----

namespace detail {
struct program_codec {
    // -------- save --------
    static ojson arg_json(const graph& g, const node_arg& a) {
        ojson j = ojson::object();
        switch (a.kind) {
        case arg_kind::tensor: j["tensor"] = g.name_of(a.value); break;
        case arg_kind::tensors: {
            ojson l = ojson::array();
            for (int v : a.values) l.push_back(g.name_of(v));
            j["tensors"] = std::move(l);
            break;
        }
        case arg_kind::integer:
            j["int"] = sym_int_json(a.i);
            if (a.value >= 0) j["value"] = g.name_of(a.value);
            break;
        case arg_kind::real: j["float"] = float_json(a.d); break;
        case arg_kind::boolean: j["bool"] = a.b; break;
        case arg_kind::ints: {
            ojson l = ojson::array(), vals = ojson::array();
            bool any = false;
            for (std::size_t i = 0; i < a.ints.size(); ++i) {
                l.push_back(sym_int_json(a.ints[i]));
                const int v = i < a.int_values.size() ? a.int_values[i] : -1;
                vals.push_back(v >= 0 ? ojson(g.name_of(v)) : ojson(nullptr));
                any = any || v >= 0;
            }
            j["ints"] = std::move(l);
            if (any) j["values"] = std::move(vals);
            break;
        }
        case arg_kind::dtype: j["dtype"] = short_name(a.dt); break;
        case arg_kind::string: j["string"] = a.s; break;
        case arg_kind::none: j["none"] = nullptr; break;
        }
        return j;
    }
    static ojson type_json(const value_type& t) {
        ojson j = ojson::object();
        if (!t.is_tensor) {
            j["sym"] = sym_int_json(t.sym);
            return j;
        }
        j["dtype"] = short_name(t.dt);
        ojson sizes = ojson::array();
        for (const sym_int& s : t.sizes) sizes.push_back(sym_int_json(s));
        j["sizes"] = std::move(sizes);
        return j;
    }
    static std::string target_of(const graph_node& n) {
        if (n.op == op_kind::custom) return custom_op_label(n.custom);
        const op_info& row = info(n.op);
        return std::string("torch.ops.aten.") + (n.alt && row.aten_alt ? row.aten_alt : row.aten);
    }
    static ojson node_json(const graph& g, const graph_node& n) {
        ojson j = ojson::object();
        j["name"] = n.name;
        switch (n.k) {
        case graph_node::kind::placeholder:
            j["kind"] = "placeholder";
            j["input_kind"] = kind_name(n.input);
            if (!n.target.empty()) j["target"] = n.target;
            j["type"] = type_json(n.type);
            return j;
        case graph_node::kind::call: j["kind"] = "call"; j["target"] = target_of(n); break;
        case graph_node::kind::sym:
            j["kind"] = "sym";
            j["op"] = sym_op_name(n.sop);
            if (!n.text.empty()) j["text"] = n.text;
            break;
        case graph_node::kind::getitem: j["kind"] = "getitem"; break;
        case graph_node::kind::cond:
        case graph_node::kind::map: {
            j["kind"] = n.k == graph_node::kind::cond ? "cond" : "map";
            ojson subs = ojson::array();
            for (int sg : n.subgraphs) subs.push_back(g.subgraphs.at(static_cast<std::size_t>(sg)).name);
            j["subgraphs"] = std::move(subs);
            break;
        }
        }
        ojson args = ojson::array();
        for (const node_arg& a : n.args) args.push_back(arg_json(g, a));
        j["args"] = std::move(args);
        if (n.defines_value() && !n.has_several_results()) j["type"] = type_json(n.type);
        return j;
    }
    /// A graph: inputs, nodes, outputs, and its subgraphs when it has any.
    static ojson graph_json(const graph& g) {
        ojson nodes = ojson::array();
        for (const graph_node& n : g.nodes) nodes.push_back(node_json(g, n));
        ojson outputs = ojson::array();
        for (const output_ref& o : g.outputs) {
            ojson j = ojson::object();
            j["kind"] = kind_name(o.kind);
            if (o.value >= 0) j["value"] = g.name_of(o.value);
            else j["constant"] = sym_int_json(o.constant);
            if (!o.target.empty()) j["target"] = o.target;
            outputs.push_back(std::move(j));
        }
        ojson inputs = ojson::array();
        for (int v : g.inputs) inputs.push_back(g.name_of(v));
        ojson graph_j = ojson::object();
        graph_j["inputs"] = std::move(inputs);
        graph_j["nodes"] = std::move(nodes);
        graph_j["outputs"] = std::move(outputs);
        if (!g.subgraphs.empty()) {
            ojson subs = ojson::array();
            for (const graph& sub : g.subgraphs) subs.push_back({{"name", sub.name}, {"graph", graph_json(sub)}});
            graph_j["subgraphs"] = std::move(subs);
        }
        return graph_j;
    }
    static ojson save(const exported_program& ep) {
        const graph& g = ep.g_;
        ojson doc = ojson::object();
        doc["format"] = "symshape.exported_program";
        doc["schema_version"] = {{"major", schema_major}, {"minor", schema_minor}};
        doc["byte_order"] = "little";
        doc["graph_module"] = {{"graph", graph_json(g)}};
        // Range constraints, structured (null for an infinite end), in creation order.
        ojson ranges = ojson::object();
        for (const auto& [sym, text] : ep.ranges_) {
            // text is "VR[lo, hi]"
            const std::string inner = text.substr(3, text.size() - 4);
            const std::size_t comma = inner.find(", ");
            auto end_json = [](const std::string& e) -> ojson {
                if (e == "-inf" || e == "inf") return nullptr;
                return std::stoll(e);
            };
            ranges[sym] = {{"min_val", end_json(inner.substr(0, comma))}, {"max_val", end_json(inner.substr(comma + 2))}};
        }
        doc["range_constraints"] = std::move(ranges);
        ojson dims = ojson::array();
        for (const auto& r : ep.roots_) {
            ojson d = ojson::object();
            d["symbol"] = to_string(r.sym);
            d["name"] = r.dim_name;
            d["min"] = r.declared.lo.is_finite() ? ojson(r.declared.lo.value()) : ojson(nullptr);
            d["max"] = r.declared.hi.is_finite() ? ojson(r.declared.hi.value()) : ojson(nullptr);
            d["first_binding"] = r.first_binding;
            dims.push_back(std::move(d));
        }
        doc["dims"] = std::move(dims);
        ojson bindings = ojson::array();
        for (const auto& b : ep.bindings_)
            bindings.push_back({{"input", b.input}, {"dim", b.d}, {"root", b.root}, {"mul", b.mul}, {"add", b.add}});
        doc["bindings"] = std::move(bindings);
        ojson expected = ojson::array();
        for (const auto& e : ep.expected_) {
            ojson sizes = ojson::array();
            for (const sym_int& s : e.sizes) sizes.push_back(sym_int_json(s));
            expected.push_back({{"name", e.name}, {"dtype", short_name(e.dt)}, {"sizes", std::move(sizes)}});
        }
        doc["user_inputs"] = std::move(expected);
        ojson guards = ojson::array();
        for (const guard& gd : ep.guards_) guards.push_back({{"expr", to_string(gd.predicate)}, {"reason", gd.reason}});
        doc["guards"] = std::move(guards);
        if (!ep.dim_outcomes_.empty()) doc["dim_outcomes"] = ep.dim_outcomes_;
        if (!ep.draft_report_.empty()) {
            ojson report = ojson::array();
            for (const draft_problem& p : ep.draft_report_)
                report.push_back({{"kind", p.kind}, {"what", p.what}, {"where", p.where}, {"fix", p.fix}});
            doc["draft_report"] = std::move(report);
        }
        ojson state = ojson::array();
        for (const auto& [name, t] : ep.state_) {
            tensor c = t.contiguous();
            std::string bytes(static_cast<const char*>(c.impl().st->data) + c.impl().offset * static_cast<std::int64_t>(element_size(c.dtype())),
                              static_cast<std::size_t>(c.numel()) * element_size(c.dtype()));
            to_little_endian(bytes, element_size(c.dtype()));
            ojson sizes = ojson::array();
            for (const sym_int& s : c.sizes()) sizes.push_back(s.unsafe_hint());
            state.push_back({{"name", name},
                             {"dtype", short_name(c.dtype())},
                             {"sizes", std::move(sizes)},
                             {"data", base64_encode(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size())}});
        }
        doc["state"] = std::move(state);
        return doc;
    }

    // -------- load --------
    struct reader {
        exported_program& ep;
        graph* gr = nullptr; // the graph being read (the program's, or a subgraph)
        std::unordered_map<std::string, int> names;        // value name -> node index
        std::unordered_map<std::string, bool> symbols;     // symbols with a range
        std::vector<std::pair<expr, interval<std::int64_t>>> ranges; // declared ranges of the roots

        int ref(const ojson& j, const json_path& at) {
            const std::string name = string_of(j, at);
            auto it = names.find(name);
            if (it == names.end()) fail(at, "refers to '" + name + "', which no earlier node defines");
            return it->second;
        }
        int tensor_ref(const ojson& j, const json_path& at) {
            const int v = ref(j, at);
            const graph_node& n = gr->nodes[static_cast<std::size_t>(v)];
            if (!n.is_tensor_value()) fail(at, "'" + n.name + "' is not a tensor");
            return v;
        }
        void check_symbols(const expr& e, const json_path& at) {
            for (const expr& s : symbols_of(e))
                if (!symbols.count(to_string(s))) fail(at, "symbol " + to_string(s) + " has no entry in range_constraints");
        }
        sym_int sym(const ojson& j, const json_path& at) {
            if (!j.is_object()) fail(at, std::string("expected {\"as_int\": ...} or {\"as_expr\": ...}, found ") + json_type_name(j));
            if (const ojson* k = optional_member(j, "as_int")) return int_of(*k, at / "as_int");
            const ojson& e = member(j, "as_expr", at);
            const std::string text = string_of(member(e, "expr_str", at / "as_expr"), at / "as_expr" / "expr_str");
            const std::int64_t hint = int_of(member(e, "hint", at / "as_expr"), at / "as_expr" / "hint");
            expr x = parse_expr_at(text, at / "as_expr" / "expr_str"); // (a Sym value may be a predicate)
            check_symbols(x, at / "as_expr" / "expr_str");
            if (x.is_bool() && (x.is_true() || x.is_false())) return x.is_true() ? 1 : 0;
            if (x.is_constant()) return x.constant_value();
            return sym_int(hint, x);
        }
        value_type type(const ojson& j, const json_path& at) {
            value_type t;
            if (const ojson* s = optional_member(j, "sym")) {
                t.is_tensor = false;
                t.sym = sym(*s, at / "sym");
                return t;
            }
            t.dt = dtype_of_name(string_of(member(j, "dtype", at), at / "dtype"), at / "dtype");
            const ojson& sizes = array_of(member(j, "sizes", at), at / "sizes");
            if (sizes.size() > static_cast<std::size_t>(max_dims)) fail(at / "sizes", "more than " + std::to_string(max_dims) + " dimensions");
            for (std::size_t i = 0; i < sizes.size(); ++i) {
                sym_int s = sym(sizes[i], (at / "sizes")[i]);
                if (s.unsafe_hint() < 0) fail((at / "sizes")[i], "a negative size");
                if (!s.is_constant() && s.to_expr().is_bool()) fail((at / "sizes")[i], "a predicate is not a size");
                t.sizes.push_back(s);
            }
            return t;
        }
        node_arg arg(const ojson& j, const json_path& at) {
            node_arg a;
            if (!j.is_object() || j.size() == 0) fail(at, "expected an argument object such as {\"tensor\": \"x\"}");
            if (const ojson* t = optional_member(j, "tensor")) {
                a.kind = arg_kind::tensor;
                a.value = tensor_ref(*t, at / "tensor");
            } else if (const ojson* ts = optional_member(j, "tensors")) {
                a.kind = arg_kind::tensors;
                const ojson& l = array_of(*ts, at / "tensors");
                for (std::size_t i = 0; i < l.size(); ++i) a.values.push_back(tensor_ref(l[i], (at / "tensors")[i]));
            } else if (const ojson* i = optional_member(j, "int")) {
                a.kind = arg_kind::integer;
                a.i = sym(*i, at / "int");
                if (const ojson* v = optional_member(j, "value")) a.value = sym_ref(*v, at / "value");
            } else if (const ojson* f = optional_member(j, "float")) {
                a.kind = arg_kind::real;
                a.d = float_of(*f, at / "float");
            } else if (const ojson* b = optional_member(j, "bool")) {
                a.kind = arg_kind::boolean;
                a.b = bool_of(*b, at / "bool");
            } else if (const ojson* l = optional_member(j, "ints")) {
                a.kind = arg_kind::ints;
                const ojson& items = array_of(*l, at / "ints");
                const ojson* vals = optional_member(j, "values");
                if (vals && (!vals->is_array() || vals->size() != items.size()))
                    fail(at / "values", "expected an array as long as ints");
                for (std::size_t k = 0; k < items.size(); ++k) {
                    a.ints.push_back(sym(items[k], (at / "ints")[k]));
                    a.int_values.push_back(vals && !(*vals)[k].is_null() ? sym_ref((*vals)[k], (at / "values")[k]) : -1);
                }
            } else if (const ojson* d = optional_member(j, "dtype")) {
                a.kind = arg_kind::dtype;
                a.dt = dtype_of_name(string_of(*d, at / "dtype"), at / "dtype");
            } else if (const ojson* s = optional_member(j, "string")) {
                a.kind = arg_kind::string;
                a.s = string_of(*s, at / "string");
            } else if (optional_member(j, "none")) {
                a.kind = arg_kind::none;
            } else {
                fail(at, "unknown argument kind '" + j.begin().key() + "'");
            }
            return a;
        }
        int sym_ref(const ojson& j, const json_path& at) {
            const int v = ref(j, at);
            if (gr->nodes[static_cast<std::size_t>(v)].type.is_tensor) fail(at, "'" + j.get<std::string>() + "' is not a Sym value");
            return v;
        }
        static void resolve_target(graph_node& n, const std::string& target, const json_path& at) {
            constexpr std::string_view aten = "torch.ops.aten.";
            if (std::string_view(target).starts_with(aten)) {
                const std::string_view overload = std::string_view(target).substr(aten.size());
                for (int k = 0; k < op_count; ++k) {
                    const op_info& row = op_table()[static_cast<std::size_t>(k)];
                    if (overload == row.aten || (row.aten_alt && overload == row.aten_alt)) {
                        n.op = static_cast<op_kind>(k);
                        n.alt = overload != row.aten;
                        if (has_flag(row.flags, op_flags::scalar_out)) break; // item is a Sym node, not a call
                        return;
                    }
                }
                fail(at, "unknown op '" + target + "'");
            }
            constexpr std::string_view ops = "torch.ops.";
            // (a target shorter than "torch.ops." has no rest: checked before it is taken)
            const bool qualified_op = std::string_view(target).starts_with(ops);
            const std::string_view rest = qualified_op ? std::string_view(target).substr(ops.size()) : std::string_view();
            const std::size_t dot1 = rest.find('.'), dot2 = rest.rfind('.');
            if (!qualified_op || dot1 == std::string_view::npos || dot2 == dot1 || rest.substr(dot2) != ".default")
                fail(at, "unknown op '" + target + "' (expected torch.ops.aten.<op>.<overload> or torch.ops.<ns>.<name>.default)");
            const std::string qualified = std::string(rest.substr(0, dot1)) + "::" + std::string(rest.substr(dot1 + 1, dot2 - dot1 - 1));
            std::optional<custom_op> op = find_op(qualified);
            if (!op) fail(at, "the op " + qualified + " is not registered in this process (register it with register_op before loading)");
            n.op = op_kind::custom;
            n.custom = op->id();
        }
        static sym_op sym_op_of(const std::string& s, const json_path& at) {
            for (int k = 0; k <= static_cast<int>(sym_op::constrain_size); ++k)
                if (s == sym_op_name(static_cast<sym_op>(k))) return static_cast<sym_op>(k);
            fail(at, "unknown Sym op '" + s + "'");
        }
        void node(const ojson& j, const json_path& at) {
            graph_node n;
            n.name = string_of(member(j, "name", at), at / "name");
            if (n.name.empty()) fail(at / "name", "an empty name");
            if (names.count(n.name)) fail(at / "name", "'" + n.name + "' is defined twice");
            const std::string kind = string_of(member(j, "kind", at), at / "kind");
            if (kind == "placeholder") {
                n.k = graph_node::kind::placeholder;
                n.input = input_kind_of(string_of(member(j, "input_kind", at), at / "input_kind"), at / "input_kind");
                if (const ojson* t = optional_member(j, "target")) n.target = string_of(*t, at / "target");
                n.type = type(member(j, "type", at), at / "type");
                if (!n.type.is_tensor) fail(at / "type", "a placeholder must be a tensor");
            } else if (kind == "call" || kind == "sym" || kind == "getitem") {
                n.k = kind == "call" ? graph_node::kind::call : kind == "sym" ? graph_node::kind::sym : graph_node::kind::getitem;
                if (n.k == graph_node::kind::call) resolve_target(n, string_of(member(j, "target", at), at / "target"), at / "target");
                if (n.k == graph_node::kind::sym) {
                    n.sop = sym_op_of(string_of(member(j, "op", at), at / "op"), at / "op");
                    if (const ojson* t = optional_member(j, "text")) n.text = string_of(*t, at / "text");
                }
                const ojson& args = array_of(member(j, "args", at), at / "args");
                if (args.size() > static_cast<std::size_t>(max_args)) fail(at / "args", "more than " + std::to_string(max_args) + " arguments");
                for (std::size_t i = 0; i < args.size(); ++i) {
                    if (n.k == graph_node::kind::getitem && i == 0) {
                        // The node whose results are read (checked to have several, below).
                        node_arg from;
                        from.kind = arg_kind::tensor;
                        from.value = ref(member(args[0], "tensor", (at / "args")[0]), (at / "args")[0] / "tensor");
                        n.args.push_back(std::move(from));
                        continue;
                    }
                    n.args.push_back(arg(args[i], (at / "args")[i]));
                }
                check_node_shape(n, at);
                if (const ojson* t = optional_member(j, "type"); t && !t->is_null()) n.type = type(*t, at / "type");
                else if (defines_value(n)) fail(at / "type", "missing");
                if (n.k == graph_node::kind::sym && defines_value(n) && n.type.is_tensor) fail(at / "type", "a Sym node has a Sym type");
                if (n.k == graph_node::kind::call && !n.type.is_tensor) fail(at / "type", "expected a tensor type");
            } else if (kind == "cond" || kind == "map") {
                n.k = kind == "cond" ? graph_node::kind::cond : graph_node::kind::map;
                hop(n, j, at);
            } else {
                fail(at / "kind", "unknown node kind '" + kind + "' (expected placeholder, call, sym, getitem, cond or map)");
            }
            names.emplace(n.name, static_cast<int>(gr->nodes.size()));
            gr->nodes.push_back(std::move(n));
        }
        /// A cond or map node: its subgraphs (by name, read before the nodes) and its operands, which
        /// must match each subgraph's inputs in number and kind.
        void hop(graph_node& n, const ojson& j, const json_path& at) {
            const bool is_cond = n.k == graph_node::kind::cond;
            const ojson& subs = array_of(member(j, "subgraphs", at), at / "subgraphs");
            if (subs.size() != (is_cond ? 2u : 1u)) fail(at / "subgraphs", is_cond ? "expected 2 subgraphs (true, false)" : "expected 1 subgraph (the body)");
            for (std::size_t i = 0; i < subs.size(); ++i) {
                const std::string name = string_of(subs[i], (at / "subgraphs")[i]);
                auto it = std::find_if(gr->subgraphs.begin(), gr->subgraphs.end(), [&](const graph& x) { return x.name == name; });
                if (it == gr->subgraphs.end()) fail((at / "subgraphs")[i], "no subgraph named '" + name + "'");
                n.subgraphs.push_back(static_cast<int>(it - gr->subgraphs.begin()));
            }
            const ojson& args = array_of(member(j, "args", at), at / "args");
            if (args.size() != 2) fail(at / "args", "expected 2 arguments, found " + std::to_string(args.size()));
            for (std::size_t i = 0; i < 2; ++i) n.args.push_back(arg(args[i], (at / "args")[i]));
            if (is_cond) {
                const node_arg& p = n.args[0];
                if (p.kind == arg_kind::tensor) {
                    const value_type& t = gr->nodes[static_cast<std::size_t>(p.value)].type;
                    if (t.dt != dtype::b8 || !t.sizes.empty()) fail((at / "args")[0], "a tensor predicate must be b8[]");
                } else if (p.kind != arg_kind::integer || (!p.i.is_constant() && !p.i.to_expr().is_bool())) {
                    fail((at / "args")[0], "expected a predicate (a Sym value or a b8[] tensor)");
                }
            } else if (n.args[0].kind != arg_kind::tensors || n.args[0].values.size() != 1) {
                fail((at / "args")[0], "expected the list of the one tensor mapped over");
            }
            if (n.args[1].kind != arg_kind::tensors) fail((at / "args")[1], "expected the list of operands");
            // What each subgraph input receives: (dtype, rank) of the operand (a row for map's xs).
            std::vector<std::pair<dtype, int>> passed;
            if (!is_cond) {
                const value_type& xs = gr->nodes[static_cast<std::size_t>(n.args[0].values[0])].type;
                if (xs.sizes.size() == 0) fail((at / "args")[0], "map needs a tensor with at least one dimension");
                passed.emplace_back(xs.dt, xs.sizes.size() - 1);
            }
            for (int v : n.args[1].values) {
                const value_type& t = gr->nodes[static_cast<std::size_t>(v)].type;
                passed.emplace_back(t.dt, t.sizes.size());
            }
            std::vector<result_kind> results;
            for (std::size_t i = 0; i < n.subgraphs.size(); ++i) {
                const graph& sub = gr->subgraphs[static_cast<std::size_t>(n.subgraphs[i])];
                if (sub.inputs.size() != passed.size())
                    fail((at / "subgraphs")[i], "'" + sub.name + "' takes " + std::to_string(sub.inputs.size()) + " inputs but the node passes " +
                                                    std::to_string(passed.size()));
                for (std::size_t k = 0; k < passed.size(); ++k) {
                    const value_type& t = sub.nodes[static_cast<std::size_t>(sub.inputs[k])].type;
                    if (t.dt != passed[k].first || t.sizes.size() != passed[k].second)
                        fail((at / "subgraphs")[i], "input " + std::to_string(k) + " of '" + sub.name + "' is " + to_string(t) +
                                                        ", which the node's operand does not match in dtype or rank");
                }
                std::vector<result_kind> mine;
                for (const output_ref& o : sub.outputs) {
                    const value_type* t = o.value >= 0 ? &sub.nodes[static_cast<std::size_t>(o.value)].type : nullptr;
                    mine.push_back(t && t->is_tensor ? result_kind{true, t->dt, t->sizes.size() + (is_cond ? 0 : 1)} : result_kind{false, dtype::i64, 0});
                }
                if (!is_cond && std::any_of(mine.begin(), mine.end(), [](const result_kind& r) { return !r.tensor; }))
                    fail((at / "subgraphs")[i], "a map body returns tensors only");
                if (i && mine != results) fail((at / "subgraphs")[i], "the two branches return different numbers or kinds of results");
                results = std::move(mine);
            }
            n.type.is_tensor = true;
            hop_results_.emplace_back(gr->nodes.size(), std::move(results));
        }
        /// One result of a cond or map node: a tensor (dtype, rank) or an integer.
        struct result_kind {
            bool tensor;
            dtype dt;
            int rank;
            bool operator==(const result_kind&) const = default;
        };
        std::vector<std::pair<std::size_t, std::vector<result_kind>>> hop_results_; // results of cond / map nodes
        int depth = 0; // subgraph nesting

        static bool defines_value(const graph_node& n) { return n.defines_value() && !n.has_several_results(); }
        /// The argument layout the interpreter relies on for Sym and getitem nodes.
        void check_node_shape(const graph_node& n, const json_path& at) {
            auto need = [&](std::size_t count) {
                if (n.args.size() != count) fail(at / "args", "expected " + std::to_string(count) + " arguments, found " + std::to_string(n.args.size()));
            };
            auto kind_at = [&](std::size_t i, arg_kind k, const char* what) {
                if (n.args[i].kind != k) fail((at / "args")[i], std::string("expected ") + what);
            };
            if (n.k == graph_node::kind::getitem) {
                need(2);
                if (n.args[0].kind != arg_kind::tensor) fail((at / "args")[0], "expected the op whose result is read");
                kind_at(1, arg_kind::integer, "an integer index");
                // (getitem's first argument names a node with several results, not a tensor)
                return;
            }
            if (n.k != graph_node::kind::sym) return;
            switch (n.sop) {
            case sym_op::size: need(2); kind_at(0, arg_kind::tensor, "a tensor"); kind_at(1, arg_kind::integer, "a dim"); break;
            case sym_op::item: need(1); kind_at(0, arg_kind::tensor, "a tensor"); break;
            case sym_op::neg: case sym_op::not_: need(1); break;
            case sym_op::assert_: need(1); kind_at(0, arg_kind::integer, "a predicate"); break;
            case sym_op::constrain: case sym_op::constrain_size: need(3); kind_at(0, arg_kind::integer, "a value"); break;
            default: need(2); break;
            }
        }
    };

    /// Reads a graph (its subgraphs first, then nodes, inputs and outputs) into *r.gr.
    static void load_graph(reader& r, const ojson& g, const json_path& gat) {
        if (const ojson* subs = optional_member(g, "subgraphs")) {
            const ojson& list = array_of(*subs, gat / "subgraphs");
            for (std::size_t i = 0; i < list.size(); ++i) {
                const json_path at = (gat / "subgraphs")[i];
                graph sub;
                sub.name = string_of(member(list[i], "name", at), at / "name");
                if (sub.name.empty()) fail(at / "name", "an empty name");
                for (const graph& other : r.gr->subgraphs)
                    if (other.name == sub.name) fail(at / "name", "'" + sub.name + "' is defined twice");
                if (r.depth >= 32) fail(at, "subgraphs nested more than 32 deep");
                reader child{r.ep, &sub, {}, r.symbols, {}, {}, r.depth + 1};
                load_graph(child, member(list[i], "graph", at), at / "graph");
                r.gr->subgraphs.push_back(std::move(sub));
            }
        }
        const ojson& nodes = array_of(member(g, "nodes", gat), gat / "nodes");
        for (std::size_t i = 0; i < nodes.size(); ++i) r.node(nodes[i], (gat / "nodes")[i]);
        // A getitem reads a node with several results; every other tensor argument a tensor.
        for (std::size_t i = 0; i < r.gr->nodes.size(); ++i) {
            const graph_node& n = r.gr->nodes[i];
            if (n.k != graph_node::kind::getitem) continue;
            const graph_node& from = r.gr->nodes[static_cast<std::size_t>(n.args[0].value)];
            if (!from.has_several_results()) fail(((gat / "nodes")[i] / "args")[0], "'" + from.name + "' has one result; getitem reads an op with several");
            if (n.args[1].i.unsafe_hint() < 0 || !n.args[1].i.is_constant()) fail(((gat / "nodes")[i] / "args")[1], "a negative or symbolic index");
            for (const auto& [node, kinds] : r.hop_results_) {
                if (node != static_cast<std::size_t>(n.args[0].value)) continue;
                const std::size_t k = static_cast<std::size_t>(n.args[1].i.unsafe_hint());
                if (k >= kinds.size()) fail(((gat / "nodes")[i] / "args")[1], "'" + from.name + "' has " + std::to_string(kinds.size()) + " results");
                if (kinds[k].tensor != n.type.is_tensor || (n.type.is_tensor && (kinds[k].dt != n.type.dt || kinds[k].rank != n.type.sizes.size())))
                    fail((gat / "nodes")[i] / "type", "differs in kind, dtype or rank from result " + std::to_string(k) + " of '" + from.name + "'");
            }
        }
        const ojson& inputs = array_of(member(g, "inputs", gat), gat / "inputs");
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            const int v = r.ref(inputs[i], (gat / "inputs")[i]);
            if (r.gr->nodes[static_cast<std::size_t>(v)].k != graph_node::kind::placeholder)
                fail((gat / "inputs")[i], "'" + r.gr->nodes[static_cast<std::size_t>(v)].name + "' is not a placeholder");
            if (std::find(r.gr->inputs.begin(), r.gr->inputs.end(), v) != r.gr->inputs.end()) fail((gat / "inputs")[i], "listed twice");
            r.gr->inputs.push_back(v);
        }
        for (std::size_t v = 0; v < r.gr->nodes.size(); ++v)
            if (r.gr->nodes[v].k == graph_node::kind::placeholder &&
                std::find(r.gr->inputs.begin(), r.gr->inputs.end(), static_cast<int>(v)) == r.gr->inputs.end())
                fail(gat / "inputs", "placeholder '" + r.gr->nodes[v].name + "' is missing");
        const ojson& outs = array_of(member(g, "outputs", gat), gat / "outputs");
        for (std::size_t i = 0; i < outs.size(); ++i) {
            const json_path at = (gat / "outputs")[i];
            output_ref o;
            o.kind = output_kind_of(string_of(member(outs[i], "kind", at), at / "kind"), at / "kind");
            if (const ojson* v = optional_member(outs[i], "value")) {
                o.value = r.ref(*v, at / "value");
                const graph_node& n = r.gr->nodes[static_cast<std::size_t>(o.value)];
                if (!reader::defines_value(n)) fail(at / "value", "'" + n.name + "' defines no value");
                if (!n.type.is_tensor) o.constant = n.type.sym;
            } else {
                o.constant = r.sym(member(outs[i], "constant", at), at / "constant");
            }
            if (const ojson* t = optional_member(outs[i], "target")) o.target = string_of(*t, at / "target");
            r.gr->outputs.push_back(std::move(o));
        }

    }

    static exported_program load(const ojson& doc) {
        exported_program ep;
        reader r{ep, nullptr, {}, {}, {}, {}, 0};
        const json_path root;
        if (!doc.is_object()) fail(root, std::string("expected a JSON object, found ") + json_type_name(doc));
        if (const ojson* f = optional_member(doc, "format"); !f || !f->is_string() || f->get<std::string>() != "symshape.exported_program")
            fail(root / "format", "not a symshape exported program (expected \"symshape.exported_program\")");
        const ojson& ver = member(doc, "schema_version", root);
        const std::int64_t major = int_of(member(ver, "major", root / "schema_version"), root / "schema_version" / "major");
        const std::int64_t minor = int_of(member(ver, "minor", root / "schema_version"), root / "schema_version" / "minor");
        if (major != schema_major)
            fail(root / "schema_version", "the file has schema version " + std::to_string(major) + "." + std::to_string(minor) +
                                              "; this symshape reads version " + std::to_string(schema_major) + ".x (it writes " +
                                              std::to_string(schema_major) + "." + std::to_string(schema_minor) + ")");
        if (const ojson* bo = optional_member(doc, "byte_order"); bo && (!bo->is_string() || bo->get<std::string>() != "little"))
            fail(root / "byte_order", "only \"little\" is supported");

        // Symbols and their ranges first: every size expression is checked against them.
        const ojson& ranges = member(doc, "range_constraints", root);
        if (!ranges.is_object()) fail(root / "range_constraints", std::string("expected an object, found ") + json_type_name(ranges));
        for (auto it = ranges.begin(); it != ranges.end(); ++it) {
            const json_path at = root / "range_constraints" / it.key();
            expr s = parse_expr_at(it.key(), at);
            if (!s.is_symbol()) fail(at, "'" + it.key() + "' is not a symbol");
            auto end_of = [&](const char* key, bool lo) -> extended<std::int64_t> {
                const ojson& e = member(it.value(), key, at);
                if (e.is_null()) return lo ? extended<std::int64_t>::neg_inf() : extended<std::int64_t>::pos_inf();
                return int_of(e, at / key);
            };
            const extended<std::int64_t> lo = end_of("min_val", true), hi = end_of("max_val", false);
            if (hi < lo) fail(at, "an empty range [" + lo.str() + ", " + hi.str() + "]");
            r.symbols[it.key()] = true;
            ep.ranges_.emplace_back(it.key(), "VR[" + lo.str() + ", " + hi.str() + "]");
        }

        const json_path gat = root / "graph_module" / "graph";
        const ojson& g = member(member(doc, "graph_module", root), "graph", root / "graph_module");
        r.gr = &ep.g_;
        load_graph(r, g, gat);

        // Dims, bindings, user inputs, guards.
        const ojson& dims = array_of(member(doc, "dims", root), root / "dims");
        for (std::size_t i = 0; i < dims.size(); ++i) {
            const json_path at = (root / "dims")[i];
            exported_program::root_symbol rs;
            const std::string sname = string_of(member(dims[i], "symbol", at), at / "symbol");
            rs.sym = parse_expr_at(sname, at / "symbol");
            if (!rs.sym.is_symbol()) fail(at / "symbol", "'" + sname + "' is not a symbol");
            if (!r.symbols.count(sname)) fail(at / "symbol", "symbol " + sname + " has no entry in range_constraints");
            rs.dim_name = string_of(member(dims[i], "name", at), at / "name");
            const ojson& lo = member(dims[i], "min", at);
            const ojson& hi = member(dims[i], "max", at);
            rs.declared = {lo.is_null() ? extended<std::int64_t>::neg_inf() : extended<std::int64_t>(int_of(lo, at / "min")),
                           hi.is_null() ? extended<std::int64_t>::pos_inf() : extended<std::int64_t>(int_of(hi, at / "max"))};
            if (rs.declared.hi < rs.declared.lo) fail(at, "an empty range");
            rs.first_binding = static_cast<int>(int_of(member(dims[i], "first_binding", at), at / "first_binding"));
            r.ranges.emplace_back(rs.sym, rs.declared);
            ep.roots_.push_back(std::move(rs));
        }
        std::size_t user_inputs = 0;
        for (int v : ep.g_.inputs)
            if (ep.g_.nodes[static_cast<std::size_t>(v)].input == input_kind::user_input) ++user_inputs;
        const ojson& bindings = array_of(member(doc, "bindings", root), root / "bindings");
        for (std::size_t i = 0; i < bindings.size(); ++i) {
            const json_path at = (root / "bindings")[i];
            exported_program::dim_binding b{};
            b.input = static_cast<int>(int_of(member(bindings[i], "input", at), at / "input"));
            b.d = static_cast<int>(int_of(member(bindings[i], "dim", at), at / "dim"));
            b.root = static_cast<int>(int_of(member(bindings[i], "root", at), at / "root"));
            b.mul = int_of(member(bindings[i], "mul", at), at / "mul");
            b.add = int_of(member(bindings[i], "add", at), at / "add");
            if (b.input < 0 || static_cast<std::size_t>(b.input) >= user_inputs) fail(at / "input", "no such user input");
            if (b.root < 0 || static_cast<std::size_t>(b.root) >= ep.roots_.size()) fail(at / "root", "no such dim");
            if (b.mul <= 0) fail(at / "mul", "must be positive");
            if (b.d < 0 || b.d >= max_dims) fail(at / "dim", "no such dimension");
            ep.bindings_.push_back(b);
        }
        for (std::size_t i = 0; i < ep.roots_.size(); ++i) {
            const int fb = ep.roots_[i].first_binding;
            if (fb < 0 || static_cast<std::size_t>(fb) >= ep.bindings_.size() || ep.bindings_[static_cast<std::size_t>(fb)].root != static_cast<int>(i))
                fail((root / "dims")[i] / "first_binding", "not a binding of this dim");
        }
        const ojson& expected = array_of(member(doc, "user_inputs", root), root / "user_inputs");
        if (expected.size() != user_inputs) fail(root / "user_inputs", "expected one entry per USER_INPUT placeholder (" + std::to_string(user_inputs) + ")");
        std::size_t k = 0;
        for (int v : ep.g_.inputs) {
            const graph_node& n = ep.g_.nodes[static_cast<std::size_t>(v)];
            if (n.input != input_kind::user_input) continue;
            const json_path at = (root / "user_inputs")[k];
            exported_program::expected_input e;
            e.name = string_of(member(expected[k], "name", at), at / "name");
            if (e.name != n.name) fail(at / "name", "expected '" + n.name + "' (the placeholder in this position)");
            e.dt = dtype_of_name(string_of(member(expected[k], "dtype", at), at / "dtype"), at / "dtype");
            const ojson& sizes = array_of(member(expected[k], "sizes", at), at / "sizes");
            if (sizes.size() > static_cast<std::size_t>(max_dims)) fail(at / "sizes", "too many dimensions");
            for (std::size_t d = 0; d < sizes.size(); ++d) e.sizes.push_back(r.sym(sizes[d], (at / "sizes")[d]));
            ep.expected_.push_back(std::move(e));
            ++k;
        }
        for (const auto& b : ep.bindings_)
            if (b.d >= ep.expected_[static_cast<std::size_t>(b.input)].sizes.size())
                fail(root / "bindings", "a binding names dimension " + std::to_string(b.d) + " of input '" +
                                            ep.expected_[static_cast<std::size_t>(b.input)].name + "', which has fewer");
        fact_store<std::int64_t> declared;
        for (const auto& [s, range] : r.ranges) declared.set_range(s, range.lo, range.hi);
        const ojson& guards = array_of(member(doc, "guards", root), root / "guards");
        for (std::size_t i = 0; i < guards.size(); ++i) {
            const json_path at = (root / "guards")[i];
            guard gd;
            const std::string text = string_of(member(guards[i], "expr", at), at / "expr");
            gd.predicate = parse_expr_at(text, at / "expr");
            if (!gd.predicate.is_bool()) fail(at / "expr", "'" + text + "' is not a predicate");
            for (const expr& s : symbols_of(gd.predicate))
                if (std::none_of(ep.roots_.begin(), ep.roots_.end(), [&](const auto& rs) { return rs.sym == s; }))
                    fail(at / "expr", "symbol " + to_string(s) + " is not a dim of the program");
            gd.reason = string_of(member(guards[i], "reason", at), at / "reason");
            if (declared.prove(gd.predicate) == truth::no) fail(at / "expr", "the guard '" + text + "' contradicts the declared ranges of the dims");
            ep.guards_.push_back(std::move(gd));
        }
        if (const ojson* outcomes = optional_member(doc, "dim_outcomes")) {
            const ojson& list = array_of(*outcomes, root / "dim_outcomes");
            for (std::size_t i = 0; i < list.size(); ++i) ep.dim_outcomes_.push_back(string_of(list[i], (root / "dim_outcomes")[i]));
        }
        if (const ojson* report = optional_member(doc, "draft_report")) {
            const ojson& list = array_of(*report, root / "draft_report");
            for (std::size_t i = 0; i < list.size(); ++i) {
                const json_path at = (root / "draft_report")[i];
                auto field = [&](const char* key) { return string_of(member(list[i], key, at), at / key); };
                ep.draft_report_.push_back({field("kind"), field("what"), field("where"), field("fix")});
            }
        }
        // Tensors bound to the non-user inputs, in input order.
        const ojson& state = array_of(member(doc, "state", root), root / "state");
        std::size_t s_idx = 0;
        for (int v : ep.g_.inputs) {
            const graph_node& n = ep.g_.nodes[static_cast<std::size_t>(v)];
            if (n.input == input_kind::user_input) continue;
            const json_path at = (root / "state")[s_idx];
            if (s_idx >= state.size()) fail(root / "state", "no tensor for input '" + n.name + "'");
            const ojson& e = state[s_idx++];
            const std::string name = string_of(member(e, "name", at), at / "name");
            if (name != n.name) fail(at / "name", "expected '" + n.name + "' (the input in this position)");
            const dtype dt = dtype_of_name(string_of(member(e, "dtype", at), at / "dtype"), at / "dtype");
            const ojson& sizes = array_of(member(e, "sizes", at), at / "sizes");
            shape_vec sv;
            if (sizes.size() > static_cast<std::size_t>(max_dims)) fail(at / "sizes", "too many dimensions");
            std::int64_t count = 1;
            for (std::size_t d = 0; d < sizes.size(); ++d) {
                const std::int64_t x = int_of(sizes[d], (at / "sizes")[d]);
                if (x < 0) fail((at / "sizes")[d], "a negative size");
                if (x != 0 && count > std::numeric_limits<std::int64_t>::max() / x) fail(at / "sizes", "too many elements");
                count *= x;
                sv.push_back(x);
            }
            if (dt != n.type.dt || sv.size() != n.type.sizes.size()) fail(at, "dtype or rank differs from the placeholder's type " + to_string(n.type));
            for (int d = 0; d < sv.size(); ++d)
                if (!n.type.sizes[d].is_constant() || n.type.sizes[d].unsafe_hint() != sv[d].unsafe_hint())
                    fail((at / "sizes")[static_cast<std::size_t>(d)], "differs from the placeholder's type " + to_string(n.type));
            std::string bytes;
            if (!base64_decode(string_of(member(e, "data", at), at / "data"), bytes)) fail(at / "data", "not base64");
            const std::size_t want = static_cast<std::size_t>(count) * element_size(dt);
            if (count > std::numeric_limits<std::int64_t>::max() / 8 || bytes.size() != want)
                fail(at / "data", std::to_string(bytes.size()) + " bytes for " + std::to_string(count) + " elements of " + short_name(dt) +
                                      " (expected " + std::to_string(want) + ")");
            to_little_endian(bytes, element_size(dt));
            if (dt == dtype::b8)
                for (char ch : bytes)
                    if (ch != 0 && ch != 1) fail(at / "data", "a b8 element that is neither 0 nor 1");
            tensor t = make_tensor(dt, sv);
            if (!bytes.empty()) std::memcpy(t.impl().st->data, bytes.data(), bytes.size());
            ep.state_.emplace_back(name, std::move(t));
        }
        if (s_idx != state.size()) fail((root / "state")[s_idx], "no input takes this tensor");
        try {
            ep.build_checks();
        } catch (const error& e) {
            fail(root / "guards", std::string("the checks do not compile: ") + e.what());
        }
        return ep;
    }
};
} // namespace detail

SYMSHAPE_INLINE std::string save_string(const exported_program& ep) { return detail::program_codec::save(ep).dump(1) + "\n"; }
SYMSHAPE_INLINE void save(const exported_program& ep, std::ostream& os) { os << save_string(ep); }
SYMSHAPE_INLINE void save(const exported_program& ep, const std::string& path) {
    std::ofstream f(path, std::ios::binary);
    if (!f) throw usage_error("save: cannot open '" + path + "' for writing");
    f << save_string(ep);
    if (!f) throw usage_error("save: writing '" + path + "' failed");
}

SYMSHAPE_INLINE exported_program load_string(std::string_view text) {
    detail::ojson doc;
    try {
        doc = detail::ojson::parse(text.begin(), text.end());
    } catch (const nlohmann::json::exception& e) {
        throw load_error(std::string("cannot load the program: not valid JSON: ") + e.what());
    }
    try {
        return detail::program_codec::load(doc);
    } catch (const load_error&) {
        throw;
    } catch (const nlohmann::json::exception& e) {
        throw load_error(std::string("cannot load the program: ") + e.what());
    } catch (const error& e) {
        throw load_error(std::string("cannot load the program: ") + e.what());
    }
}
SYMSHAPE_INLINE exported_program load(std::istream& is) {
    std::string text((std::istreambuf_iterator<char>(is)), std::istreambuf_iterator<char>());
    return load_string(text);
}
SYMSHAPE_INLINE exported_program load(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw load_error("cannot load the program: cannot open '" + path + "'");
    return load(f);
}

} // namespace symshape
