// symshape/graph/impl/graph.hpp — the definitions behind symshape/graph/graph.hpp: compiled into
// libsymshape in compiled mode, included by that header in header-only mode. Not for direct
// inclusion.
#pragma once

#include "symshape/graph/graph.hpp"

namespace symshape {

namespace detail {
SYMSHAPE_INLINE std::uint32_t next_trace_id() noexcept {
    static std::atomic<std::uint32_t> counter{0};
    return ++counter;
}
/// Python builtins that FX never uses bare as a node name (`slice` becomes `slice_1`).
SYMSHAPE_INLINE bool shadows_builtin(std::string_view s) noexcept {
    static constexpr std::string_view builtins[] = {"slice", "sum", "abs", "pow", "max", "min", "all", "any",
                                                    "round", "input", "len", "list", "map", "range", "type"};
    return std::find(std::begin(builtins), std::end(builtins), s) != std::end(builtins);
}
} // namespace detail

SYMSHAPE_INLINE void tracer::install_hooks() {
    hook_.record = &record_thunk;
    hook_.record_multi = &record_multi_thunk;
    hook_.record_item = &item_thunk;
    hook_.self = this;
    saved_ = detail::active_trace;
    detail::active_trace = &hook_;
    sym_hook_.record_size = &size_thunk;
    sym_hook_.record_op = &sym_thunk;
    sym_hook_.record_pred = &pred_thunk;
    sym_hook_.record_assert = &assert_thunk;
    sym_hook_.record_constrain = &constrain_thunk;
    sym_hook_.self = this;
    saved_sym_ = detail::active_sym_hook;
    detail::active_sym_hook = &sym_hook_;
}
SYMSHAPE_INLINE tracer::tracer() : id_(detail::next_trace_id()) {
    if (detail::active_trace)
        throw usage_error("export_program: another export is already tracing on this thread (exports cannot nest)");
    install_hooks();
}
SYMSHAPE_INLINE tracer::tracer(tracer& parent) : id_(detail::next_trace_id()), parent_(&parent) {
    if (detail::active_trace != &parent.hook_)
        throw internal_error("a subgraph recorder was started while its parent was not the active trace");
    install_hooks();
}
SYMSHAPE_INLINE tracer* tracer::active() noexcept {
    detail::trace_hook* h = detail::active_trace;
    return h && h->record == &record_thunk ? static_cast<tracer*>(h->self) : nullptr;
}
SYMSHAPE_INLINE void tracer::suspend() noexcept {
    if (detail::active_trace == &hook_) detail::active_trace = saved_;
    if (detail::active_sym_hook == &sym_hook_) detail::active_sym_hook = saved_sym_;
    if (parent_) {
        std::vector<std::uint32_t>& closed = root().closed_;
        if (std::find(closed.begin(), closed.end(), id_) == closed.end()) {
            try {
                closed.push_back(id_);
            } catch (...) {
                // (out of memory: an escaped tensor is then lifted instead of refused)
            }
        }
    }
}
SYMSHAPE_INLINE tracer::~tracer() { suspend(); }

SYMSHAPE_INLINE void tracer::refuse_escaped(const tensor& t) {
    const std::vector<std::uint32_t>& closed = root().closed_;
    if (std::find(closed.begin(), closed.end(), t.impl().tag.trace) != closed.end())
        throw usage_error("a tensor computed inside a cond branch or a map body is used outside it (kept in a variable "
                          "the branch captured by reference?)\n  return it from the branch instead: a branch's "
                          "results are the only values that leave it");
}

SYMSHAPE_INLINE int tracer::capture(const tensor& t) {
    const int pv = parent_->value_of(t);
    for (std::size_t i = 0; i < captured_.size(); ++i)
        if (captured_[i] == pv) return captured_placeholders_[i];
    tensor copy = t;
    copy.impl().tag = {};
    const int v = add_input(copy, parent_->g_.name_of(pv), input_kind::user_input);
    captured_.push_back(pv);
    captured_placeholders_.push_back(v);
    captured_tensors_.push_back(t);
    return v;
}

SYMSHAPE_INLINE void tracer::capture_value(int pv, const tensor& t) {
    if (!parent_) throw internal_error("capture_value on a program's recorder");
    if (std::find(captured_.begin(), captured_.end(), pv) != captured_.end()) return;
    tensor copy = t;
    copy.impl().tag = {};
    const int v = add_input(copy, parent_->g_.name_of(pv), input_kind::user_input);
    captured_.push_back(pv);
    captured_placeholders_.push_back(v);
    captured_tensors_.push_back(t);
}

SYMSHAPE_INLINE int tracer::add_sym_node(detail::sym_op op, std::string_view base, std::vector<node_arg> args, const sym_int& r) {
    graph_node n;
    n.k = graph_node::kind::sym;
    n.sop = op;
    n.args = std::move(args);
    n.name = fresh_name(base);
    n.type = value_type{false, dtype::i64, {}, r};
    int v = static_cast<int>(g_.nodes.size());
    g_.nodes.push_back(std::move(n));
    if (r.node()) sym_values_[r.node()] = v;
    return v;
}

SYMSHAPE_INLINE node_arg tracer::pred_operand(const sym_bool& p) const {
    node_arg a;
    a.kind = arg_kind::integer;
    const expr e = p.to_expr();
    a.i = sym_int(p.unsafe_hint() ? 1 : 0, e);
    if (!p.is_constant()) {
        auto it = sym_values_.find(e.node());
        if (it != sym_values_.end()) a.value = it->second;
    }
    return a;
}

SYMSHAPE_INLINE void tracer::on_pred(detail::sym_op op, const sym_int& a, const sym_int& b, const sym_bool* pa,
                            const sym_bool* pb, const sym_bool& r) {
    const expr e = r.to_expr();
    if (sym_values_.count(e.node())) return;
    static constexpr const char* names[] = {"eq", "ne", "lt", "le", "gt", "ge", "and_", "or_", "not_"};
    std::vector<node_arg> args;
    if (pa) {
        args.push_back(pred_operand(*pa));
        if (pb) args.push_back(pred_operand(*pb));
    } else {
        args = {int_operand(a), int_operand(b)};
    }
    add_sym_node(op, names[static_cast<int>(op) - static_cast<int>(detail::sym_op::eq)], std::move(args),
                 sym_int(r.unsafe_hint() ? 1 : 0, e));
}

SYMSHAPE_INLINE void tracer::on_assert(const sym_bool& p, const std::string& message) {
    node_arg a = pred_operand(p);
    std::string where = a.value >= 0 ? " on node '" + g_.name_of(a.value) + "'" : std::string();
    int v = add_sym_node(detail::sym_op::assert_, "_assert_scalar_default", {a}, sym_int());
    g_.nodes[static_cast<std::size_t>(v)].text =
        message.empty() ? "Runtime assertion failed for expression " + to_string(p.to_expr()) + where : message;
}

SYMSHAPE_INLINE void tracer::on_constrain(const sym_int& v, std::optional<std::int64_t> min, std::optional<std::int64_t> max,
                                 bool for_size) {
    auto bound = [](std::optional<std::int64_t> x) {
        node_arg a;
        if (x) {
            a.kind = arg_kind::integer;
            a.i = *x;
        }
        return a;
    };
    add_sym_node(for_size ? detail::sym_op::constrain_size : detail::sym_op::constrain,
                 for_size ? "sym_constrain_range_for_size_default" : "sym_constrain_range_default",
                 {int_operand(v), bound(min), bound(max)}, sym_int());
}

SYMSHAPE_INLINE void tracer::remove_unused_sym_nodes() {
    const std::size_t n = g_.nodes.size();
    std::vector<char> live(n, 0);
    for (const output_ref& o : g_.outputs)
        if (o.value >= 0) live[static_cast<std::size_t>(o.value)] = 1;
    // Unread results of an op with several results are dropped too, as torch.export does.
    // A getitem defining an unbacked symbol (an integer result of cond) is kept: subgraphs and
    // sizes may read the symbol without naming the node.
    auto droppable = [](const graph_node& x) {
        return (x.k == graph_node::kind::getitem && (x.type.is_tensor || !x.type.sym.to_expr().is_symbol())) ||
               (x.k == graph_node::kind::sym && x.sop != detail::sym_op::item && x.sop != detail::sym_op::assert_ &&
                x.sop != detail::sym_op::constrain && x.sop != detail::sym_op::constrain_size);
    };
    for (std::size_t v = n; v-- > 0;) {
        graph_node& x = g_.nodes[v];
        if (!droppable(x)) live[v] = 1;
        if (!live[v]) continue;
        for (const node_arg& a : x.args) {
            if (a.value >= 0) live[static_cast<std::size_t>(a.value)] = 1;
            for (int y : a.values) live[static_cast<std::size_t>(y)] = 1;
            for (int y : a.int_values)
                if (y >= 0) live[static_cast<std::size_t>(y)] = 1;
        }
    }
    detail::keep_nodes(g_, live);
}

SYMSHAPE_INLINE void detail::keep_nodes(graph& g, const std::vector<char>& keep) {
    const std::size_t n = g.nodes.size();
    if (std::find(keep.begin(), keep.end(), 0) == keep.end()) return;
    std::vector<int> to(n, -1);
    std::vector<graph_node> kept;
    for (std::size_t v = 0; v < n; ++v)
        if (keep[v]) {
            to[v] = static_cast<int>(kept.size());
            kept.push_back(std::move(g.nodes[v]));
        }
    auto remap = [&](int& x) {
        if (x >= 0) x = to[static_cast<std::size_t>(x)];
    };
    for (graph_node& x : kept)
        for (node_arg& a : x.args) {
            remap(a.value);
            for (int& y : a.values) remap(y);
            for (int& y : a.int_values) remap(y);
        }
    std::erase_if(g.inputs, [&](int x) { return !keep[static_cast<std::size_t>(x)]; });
    for (int& x : g.inputs) remap(x);
    for (output_ref& o : g.outputs) remap(o.value);
    g.nodes = std::move(kept);
}

SYMSHAPE_INLINE std::vector<char> detail::read_values(const graph& g) {
    std::vector<char> read(g.nodes.size(), 0);
    for (const graph_node& x : g.nodes)
        for (const node_arg& a : x.args) {
            if (a.value >= 0) read[static_cast<std::size_t>(a.value)] = 1;
            for (int y : a.values) read[static_cast<std::size_t>(y)] = 1;
            for (int y : a.int_values)
                if (y >= 0) read[static_cast<std::size_t>(y)] = 1;
        }
    for (const output_ref& o : g.outputs)
        if (o.value >= 0) read[static_cast<std::size_t>(o.value)] = 1;
    return read;
}

SYMSHAPE_INLINE node_arg tracer::int_operand(const sym_int& v) {
    node_arg a;
    a.kind = arg_kind::integer;
    a.i = v;
    a.value = value_for(v);
    return a;
}

SYMSHAPE_INLINE int tracer::value_for(const sym_int& v) {
    const int known = sym_value_of(v);
    if (known >= 0 || v.is_constant()) return known;
    auto it = size_sources_.find(v.node());
    if (it == size_sources_.end()) return -1;
    node_arg t;
    t.kind = arg_kind::tensor;
    t.value = it->second.first;
    node_arg k;
    k.kind = arg_kind::integer;
    k.i = it->second.second;
    return add_sym_node(detail::sym_op::size, "sym_size_int", {t, k}, v);
}

SYMSHAPE_INLINE void tracer::note_sizes(int v, const shape_vec& sizes) {
    for (int d = 0; d < sizes.size(); ++d)
        if (!sizes[d].is_constant()) size_sources_.try_emplace(sizes[d].node(), v, d);
}

SYMSHAPE_INLINE void tracer::on_size(const tensor& x, int d, const sym_int& r) {
    if (sym_value_of(r) >= 0) return; // the same size read twice is one value
    node_arg t;
    t.kind = arg_kind::tensor;
    t.value = value_of(x);
    node_arg k;
    k.kind = arg_kind::integer;
    k.i = d;
    add_sym_node(detail::sym_op::size, "sym_size_int", {t, k}, r);
}

SYMSHAPE_INLINE void tracer::on_sym(detail::sym_op op, const sym_int& a, const sym_int& b, const sym_int& r) {
    if (sym_value_of(r) >= 0) return;
    static constexpr const char* names[] = {"sym_size_int", "add", "sub", "mul", "floordiv", "mod", "sym_min", "sym_max", "neg"};
    std::vector<node_arg> args{int_operand(a)};
    if (op != detail::sym_op::neg) args.push_back(int_operand(b));
    add_sym_node(op, names[static_cast<int>(op)], std::move(args), r);
}

SYMSHAPE_INLINE std::string tracer::fresh_name(std::string_view base) {
    std::string b(base);
    if (!detail::shadows_builtin(b) && used_.insert(b)) return b;
    int& n = counters_[b];
    for (;;) {
        std::string cand = b + "_" + std::to_string(++n);
        if (used_.insert(cand)) return cand;
    }
}

SYMSHAPE_INLINE int tracer::add_input(tensor& t, const std::string& name, input_kind k, const std::string& target) {
    if (!t.defined()) throw usage_error("export_program: input '" + name + "' is an undefined tensor");
    if (k == input_kind::user_input && on_user_input) on_user_input(t, name);
    graph_node n;
    n.k = graph_node::kind::placeholder;
    n.name = used_.insert(name) ? name : fresh_name(name);
    n.type = value_type{true, t.dtype(), t.sizes(), 0};
    n.input = k;
    n.target = target;
    int v = static_cast<int>(g_.nodes.size());
    g_.nodes.push_back(std::move(n));
    g_.inputs.push_back(v);
    note_sizes(v, t.sizes());
    t.impl().tag = {id_, v};
    if (k == input_kind::user_input || k == input_kind::buffer) input_storage_.emplace_back(t.impl().st.get(), v);
    return v;
}

SYMSHAPE_INLINE int tracer::value_of(const tensor& t) {
    if (!t.defined()) throw usage_error("an undefined tensor was passed to an op during export");
    if (owns(t)) return t.impl().tag.value;
    if (t.impl().tag.trace != 0) refuse_escaped(t);
    if (parent_) return capture(t);
    // A tensor from outside the trace: lift it once per (storage, view) as a constant input.
    // Candidates are found by storage (a map), so many lifted constants cost no scan.
    auto [first, last] = constants_by_storage_.equal_range(t.impl().st.get());
    for (auto it = first; it != last; ++it) {
        const std::size_t k = it->second;
        const tensor& c = constants_[k].second;
        if (c.impl().offset == t.impl().offset && c.dtype() == t.dtype() && detail::same_sizes(c, t) &&
            c.impl().strides == t.impl().strides)
            return constant_values_[k];
    }
    std::string base = "lifted_tensor_" + std::to_string(constants_.size());
    tensor copy = t;
    int v = add_input(copy, "c_" + base, input_kind::constant_tensor, base);
    constants_by_storage_.emplace(t.impl().st.get(), constants_.size());
    constants_.emplace_back(g_.name_of(v), t);
    constant_values_.push_back(v);
    return v;
}

SYMSHAPE_INLINE graph_node tracer::call_node(const call& c) {
    graph_node n;
    n.k = graph_node::kind::call;
    n.op = c.op;
    n.alt = c.alt;
    n.custom = c.custom;
    n.args.resize(static_cast<std::size_t>(c.n));
    for (int i = 0; i < c.n; ++i) {
        const arg& a = c.a[i];
        node_arg& r = n.args[static_cast<std::size_t>(i)];
        r.kind = a.kind;
        r.dt = a.dt;
        r.b = a.b;
        r.i = a.i;
        r.d = a.d;
        if (a.kind == arg_kind::string) r.s = a.s;
        if (a.kind == arg_kind::integer) r.value = value_for(a.i);
        if (a.kind == arg_kind::tensor) r.value = value_of(*a.t);
        if (a.kind == arg_kind::tensors)
            for (const tensor& x : a.tensors()) r.values.push_back(value_of(x));
        if (a.kind == arg_kind::ints) {
            r.ints.assign(a.il, a.il + a.n);
            for (const sym_int& x : r.ints) r.int_values.push_back(value_for(x));
        }
    }
    // Nodes are named after the op: `add`, `add_1`, ... (a user op by its name without namespace).
    std::string_view label = c.op == op_kind::custom ? std::string_view(detail::custom_op_label(c.custom)) : info(c.op).aten;
    if (c.op == op_kind::custom) label = label.substr(label.rfind('.', label.rfind('.') - 1) + 1);
    n.name = fresh_name(label.substr(0, label.find('.')));
    return n;
}

SYMSHAPE_INLINE void tracer::record(const call& c, tensor& out) {
    graph_node n = call_node(c);
    n.type = value_type{true, out.dtype(), out.sizes(), 0};
    int v = static_cast<int>(g_.nodes.size());
    g_.nodes.push_back(std::move(n));
    out.impl().tag = {id_, v};
    note_sizes(v, out.sizes());
    if (c.op != op_kind::custom && has_flag(info(c.op).flags, op_flags::inplace)) {
        const void* st = out.impl().st.get();
        for (const auto& sp : input_storage_)
            if (const int p = sp.second; sp.first == st) {
                if (parent_)
                    throw usage_error(std::string("aten.") + info(c.op).aten + " changes '" + g_.name_of(p) +
                                      "' in place inside a cond branch or a map body; branches may not mutate their "
                                      "inputs (torch.cond forbids it too)\n  use the out-of-place op and return the result");
                auto it = std::find_if(mutations_.begin(), mutations_.end(), [&](const auto& m) { return m.first == p; });
                if (it == mutations_.end()) mutations_.emplace_back(p, v);
                else it->second = v;
            }
    }
}

namespace detail {
/// `name: type = <tuple>[i]`: result i of the node `tuple` (an op with several results, cond, map).
SYMSHAPE_INLINE graph_node getitem_node(int tuple, std::size_t i, std::string name, value_type type) {
    graph_node n;
    n.k = graph_node::kind::getitem;
    n.name = std::move(name);
    n.type = std::move(type);
    node_arg from, index;
    from.kind = arg_kind::tensor;
    from.value = tuple;
    index.kind = arg_kind::integer;
    index.i = static_cast<std::int64_t>(i);
    n.args = {std::move(from), std::move(index)};
    return n;
}
} // namespace detail

SYMSHAPE_INLINE void tracer::record_multi(const call& c, std::span<tensor> outs) {
    const int tuple = static_cast<int>(g_.nodes.size());
    g_.nodes.push_back(call_node(c));
    for (std::size_t i = 0; i < outs.size(); ++i) {
        const int v = static_cast<int>(g_.nodes.size());
        g_.nodes.push_back(detail::getitem_node(tuple, i, fresh_name("getitem"), value_type{true, outs[i].dtype(), outs[i].sizes(), 0}));
        outs[i].impl().tag = {id_, v};
        note_sizes(v, outs[i].sizes());
    }
}

SYMSHAPE_INLINE sym_int tracer::on_item(const tensor& x, std::int64_t value) {
    std::string who = owns(x) ? "'" + g_.name_of(x.impl().tag.value) + "'" : "a constant tensor";
    shape_env* env = detail::active_shape_env;
    if (!env || is_floating(x.dtype()) || x.dtype() == dtype::b8)
        throw data_dependent_error(
            "item() reads a " +
            std::string(is_floating(x.dtype()) ? "floating-point number" : x.dtype() == dtype::b8 ? "bool" : "number") +
            " out of tensor " + who +
            " during export, so the program depends on data the graph cannot see" +
            (env ? std::string("; only integers read from tensors can stay symbolic (unbacked u0, u1, ...)") : std::string()) +
            "\n  if the number may be treated as a constant of the example inputs, compute it inside "
            "assume_constant_result(...) (it is then burned into the graph and not re-checked on new inputs)");
    node_arg t;
    t.kind = arg_kind::tensor;
    t.value = value_of(x);
    sym_int r(value, env->create_unbacked("item() of " + who));
    add_sym_node(detail::sym_op::item, "item", {t}, r);
    return r;
}

SYMSHAPE_INLINE void tracer::add_output(const tensor& t, output_kind k, const std::string& target) {
    output_ref o;
    o.value = value_of(t);
    o.kind = k;
    o.target = target;
    g_.outputs.push_back(std::move(o));
}
SYMSHAPE_INLINE void tracer::add_output(sym_int v) {
    output_ref o;
    o.value = sym_value_of(v);
    o.constant = v;
    g_.outputs.push_back(std::move(o));
}

SYMSHAPE_INLINE graph tracer::finish() {
    std::stable_sort(g_.inputs.begin(), g_.inputs.end(), [&](int a, int b) {
        return g_.nodes[static_cast<std::size_t>(a)].input < g_.nodes[static_cast<std::size_t>(b)].input;
    });
    // Mutated user inputs and buffers come first among the outputs, in input order.
    std::vector<output_ref> muts;
    for (int p : g_.inputs)
        for (const auto& [ph, v] : mutations_)
            if (ph == p) {
                const graph_node& in = g_.nodes[static_cast<std::size_t>(p)];
                output_ref o;
                o.value = v;
                o.kind = in.input == input_kind::buffer ? output_kind::buffer_mutation : output_kind::user_input_mutation;
                o.target = in.input == input_kind::buffer ? in.target : in.name;
                muts.push_back(std::move(o));
            }
    g_.outputs.insert(g_.outputs.begin(), muts.begin(), muts.end());
    remove_unused_sym_nodes();
    suspend();
    return std::move(g_);
}

SYMSHAPE_INLINE void tracer::record_hop(graph_node n, std::vector<graph> subs, std::span<detail::hop_value> outs) {
    static constexpr const char* cond_names[] = {"true_graph", "false_graph"};
    n.name = fresh_name(n.k == graph_node::kind::cond ? "cond" : "map_impl");
    for (std::size_t i = 0; i < subs.size(); ++i) {
        const std::string prefix = std::string(n.k == graph_node::kind::cond ? cond_names[i % 2] : "body_graph") + "_";
        const auto taken = std::count_if(g_.subgraphs.begin(), g_.subgraphs.end(),
                                         [&](const graph& x) { return x.name.starts_with(prefix); });
        subs[i].name = prefix + std::to_string(taken);
        n.subgraphs.push_back(static_cast<int>(g_.subgraphs.size()));
        g_.subgraphs.push_back(std::move(subs[i]));
    }
    const int tuple = static_cast<int>(g_.nodes.size());
    g_.nodes.push_back(std::move(n));
    for (std::size_t i = 0; i < outs.size(); ++i) {
        detail::hop_value& o = outs[i];
        if (!o.is_tensor && o.i.is_constant()) continue; // both branches give the same constant
        const int v = static_cast<int>(g_.nodes.size());
        g_.nodes.push_back(detail::getitem_node(tuple, i, fresh_name("getitem"),
                                                o.is_tensor ? value_type{true, o.t.dtype(), o.t.sizes(), 0}
                                                            : value_type{false, dtype::i64, {}, o.i}));
        if (o.is_tensor) {
            o.t.impl().tag = {id_, v};
            note_sizes(v, o.t.sizes());
        } else if (!sym_values_.count(o.i.node())) {
            sym_values_[o.i.node()] = v;
        }
    }
}

} // namespace symshape
