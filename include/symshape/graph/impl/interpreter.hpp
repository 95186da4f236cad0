// symshape/graph/impl/interpreter.hpp — the definitions behind symshape/graph/interpreter.hpp: compiled into
// libsymshape in compiled mode, included by that header in header-only mode. Not for direct
// inclusion.
#pragma once

#include "symshape/graph/interpreter.hpp"

namespace symshape {

namespace detail {
SYMSHAPE_INLINE sym_int bind_symbols(const sym_int& v, const valuation<std::int64_t>* symbols) {
    // (a constant, or no symbols bound: the example value)
    if (v.is_constant() || !symbols) return v;
    return sym_int(evaluate(v.to_expr(), *symbols));
}
} // namespace detail

namespace detail {
/// Runs a Sym node: binds the symbol an `item` defines, checks an assertion.
SYMSHAPE_INLINE void run_sym_node(const graph_node& n, const std::vector<tensor>& env, valuation<std::int64_t>& vals) {
    switch (n.sop) {
    case sym_op::item: {
        const tensor& x = env[static_cast<std::size_t>(n.args.at(0).value)];
        tracer::pause paused;
        vals.set(n.type.sym.to_expr(), x.item().as<std::int64_t>());
        return;
    }
    case sym_op::assert_:
        if (!evaluate_bool(n.args.at(0).i.to_expr(), vals)) throw assertion_error(n.text);
        return;
    case sym_op::constrain:
    case sym_op::constrain_size: {
        const std::int64_t v = evaluate(n.args.at(0).i.to_expr(), vals);
        const node_arg &lo = n.args.at(1), &hi = n.args.at(2);
        const bool below = lo.kind == arg_kind::integer && v < lo.i.unsafe_hint();
        const bool above = hi.kind == arg_kind::integer && v > hi.i.unsafe_hint();
        if (below || above)
            throw assertion_error(to_string(n.args[0].i) + " = " + std::to_string(v) + " is outside of inline constraint [" +
                                  (lo.kind == arg_kind::integer ? std::to_string(lo.i.unsafe_hint()) : std::string("-inf")) + ", " +
                                  (hi.kind == arg_kind::integer ? std::to_string(hi.i.unsafe_hint()) : std::string("inf")) + "]");
        return;
    }
    default: return; // sizes, arithmetic and comparisons: evaluated from the bound symbols
    }
}
/// Binds unbacked symbols that first appear as output sizes of `n` (data-dependent sizes).
SYMSHAPE_INLINE void bind_output_sizes(const graph_node& n, const tensor& out, valuation<std::int64_t>& vals) {
    for (int d = 0; d < n.type.sizes.size(); ++d) {
        const sym_int& s = n.type.sizes[d];
        if (s.is_constant() || !s.to_expr().is_symbol() || vals.find(s.node())) continue;
        vals.set(s.to_expr(), out.impl().sizes[d].unsafe_hint());
    }
}

/// Binds the unbacked symbol a Sym result of cond stands for (u0 = the branch's value).
SYMSHAPE_INLINE void bind_result_symbol(const sym_int& s, const tensor& value, valuation<std::int64_t>& vals) {
    if (s.is_constant() || !s.to_expr().is_symbol() || vals.find(s.node())) return;
    tracer::pause paused;
    vals.set(s.to_expr(), value.item().as<std::int64_t>());
}

/// Runs a cond (the subgraph its predicate picks) or a map (the body on each row, stacked).
SYMSHAPE_INLINE std::vector<tensor> run_hop(const graph& g, const graph_node& n, const std::vector<tensor>& env,
                                            valuation<std::int64_t>* symbols, valuation<std::int64_t>& bound) {
    auto tensors_of = [&](const node_arg& a) {
        std::vector<tensor> r;
        for (int x : a.values) r.push_back(env[static_cast<std::size_t>(x)]);
        return r;
    };
    if (n.k == graph_node::kind::cond) {
        const node_arg& p = n.args.at(0);
        bool taken;
        if (p.kind == arg_kind::tensor) {
            eager_scope eager;
            taken = env[static_cast<std::size_t>(p.value)].item().as<std::int64_t>() != 0;
        } else {
            taken = symbols ? evaluate_bool(p.i.to_expr(), bound) : p.i.unsafe_hint() != 0;
        }
        return interpret(g.subgraphs.at(static_cast<std::size_t>(n.subgraphs.at(taken ? 0 : 1))), tensors_of(n.args.at(1)), symbols);
    }
    const graph& body = g.subgraphs.at(static_cast<std::size_t>(n.subgraphs.at(0)));
    const tensor xs = env[static_cast<std::size_t>(n.args.at(0).values.at(0))];
    const std::vector<tensor> rest = tensors_of(n.args.at(1));
    const std::int64_t rows = xs.size(0).unsafe_hint();
    std::vector<std::vector<tensor>> parts(body.outputs.size());
    for (std::int64_t r = 0; r < rows; ++r) {
        std::vector<tensor> in{xs.select(0, r)};
        in.insert(in.end(), rest.begin(), rest.end());
        // Each row binds the body's own unbacked symbols afresh (a data-dependent size per row).
        valuation<std::int64_t> row_symbols;
        if (symbols) row_symbols = bound;
        std::vector<tensor> out = interpret(body, in, symbols ? &row_symbols : nullptr);
        for (std::size_t k = 0; k < out.size(); ++k) parts[k].push_back(std::move(out[k]));
    }
    std::vector<tensor> result;
    for (std::size_t k = 0; k < body.outputs.size(); ++k) {
        if (rows > 0) {
            result.push_back(stack(parts[k], 0));
            continue;
        }
        // No rows: an empty result whose other sizes are the body's result sizes.
        const int ov = body.outputs[k].value;
        const value_type& t = body.nodes.at(static_cast<std::size_t>(ov < 0 ? 0 : ov)).type;
        shape_vec sizes{sym_int(0)};
        for (const sym_int& s : t.sizes) {
            std::int64_t x = s.unsafe_hint();
            if (symbols && !s.is_constant()) {
                bool all_bound = true;
                for (const expr& y : symbols_of(s.to_expr())) all_bound = all_bound && bound.find(y.node());
                x = all_bound ? evaluate(s.to_expr(), bound) : 0;
            }
            sizes.push_back(x);
        }
        result.push_back(zeros(sizes, t.dt));
    }
    return result;
}

/// For each value, the index of the last node that reads it as a tensor argument; -1 for values
/// no node reads and for the graph's outputs (never released).
SYMSHAPE_INLINE std::vector<int> last_uses(const graph& g) {
    std::vector<int> last(g.nodes.size(), -1);
    for (std::size_t v = 0; v < g.nodes.size(); ++v)
        for (const node_arg& a : g.nodes[v].args) {
            if (a.kind == arg_kind::tensor) last[static_cast<std::size_t>(a.value)] = static_cast<int>(v);
            if (a.kind == arg_kind::tensors)
                for (int x : a.values) last[static_cast<std::size_t>(x)] = static_cast<int>(v);
        }
    for (const output_ref& o : g.outputs)
        if (o.value >= 0) last[static_cast<std::size_t>(o.value)] = -1;
    return last;
}

/// Drops the handles of the values whose last reader is node v (a tuple's results with it).
SYMSHAPE_INLINE void release_last_uses(const graph_node& n, std::size_t v, const std::vector<int>& last, std::vector<tensor>& env,
                                       std::vector<std::vector<tensor>>& tuples) {
    for (const node_arg& a : n.args) {
        if (a.kind == arg_kind::tensor && last[static_cast<std::size_t>(a.value)] == static_cast<int>(v)) {
            env[static_cast<std::size_t>(a.value)] = tensor();
            tuples[static_cast<std::size_t>(a.value)].clear();
        }
        if (a.kind == arg_kind::tensors)
            for (int x : a.values)
                if (last[static_cast<std::size_t>(x)] == static_cast<int>(v)) env[static_cast<std::size_t>(x)] = tensor();
    }
}
} // namespace detail

SYMSHAPE_INLINE std::vector<tensor> interpret(const graph& g, std::span<const tensor> inputs,
                                     valuation<std::int64_t>* symbols) {
    // Unbacked symbols are bound as the graph defines them, into the caller's valuation or a
    // local one; integer arguments are evaluated only when the caller bound the symbols.
    valuation<std::int64_t> local;
    valuation<std::int64_t>& bound = symbols ? *symbols : local;
    if (inputs.size() != g.inputs.size())
        throw usage_error("interpret: the graph has " + std::to_string(g.inputs.size()) + " inputs, got " +
                          std::to_string(inputs.size()));
    std::vector<tensor> env(g.nodes.size());
    std::vector<std::vector<tensor>> tuples(g.nodes.size()); // results of ops with several results
    for (std::size_t k = 0; k < inputs.size(); ++k) env[static_cast<std::size_t>(g.inputs[k])] = inputs[k];
    // Each value is released after the last node that reads it (outputs are kept), so a run
    // holds only the tensors still to be read, as eager execution does.
    const std::vector<int> last = detail::last_uses(g);
    std::vector<tensor> lists[max_args];
    std::vector<sym_int> int_lists[max_args];
    for (std::size_t v = 0; v < g.nodes.size(); ++v) {
        const graph_node& n = g.nodes[v];
        if (n.k == graph_node::kind::placeholder) continue;
        if (n.k == graph_node::kind::sym) {
            detail::run_sym_node(n, env, bound);
            detail::release_last_uses(n, v, last, env, tuples);
            continue;
        }
        if (n.k == graph_node::kind::getitem) {
            env[v] = tuples[static_cast<std::size_t>(n.args.at(0).value)].at(static_cast<std::size_t>(n.args.at(1).i.unsafe_hint()));
            if (n.type.is_tensor) detail::bind_output_sizes(n, env[v], bound);
            else detail::bind_result_symbol(n.type.sym, env[v], bound);
            detail::release_last_uses(n, v, last, env, tuples);
            continue;
        }
        if (n.k == graph_node::kind::cond || n.k == graph_node::kind::map) {
            tuples[v] = detail::run_hop(g, n, env, symbols, bound);
            detail::release_last_uses(n, v, last, env, tuples);
            continue;
        }
        call c(n.op, n.alt);
        c.custom = n.custom;
        for (std::size_t i = 0; i < n.args.size(); ++i) {
            const node_arg& a = n.args[i];
            switch (a.kind) {
            case arg_kind::tensor: c.tensor_arg(env[static_cast<std::size_t>(a.value)]); break;
            case arg_kind::tensors:
                lists[i].clear();
                for (int x : a.values) lists[i].push_back(env[static_cast<std::size_t>(x)]);
                c.tensors_arg(lists[i]);
                break;
            case arg_kind::integer: c.int_arg(detail::bind_symbols(a.i, symbols)); break;
            case arg_kind::real: c.number_arg(scalar(a.d)); break;
            case arg_kind::boolean: c.bool_arg(a.b); break;
            case arg_kind::ints:
                int_lists[i].clear();
                for (const sym_int& x : a.ints) int_lists[i].push_back(detail::bind_symbols(x, symbols));
                c.ints_arg(int_lists[i]);
                break;
            case arg_kind::dtype: c.dtype_arg(a.dt); break;
            case arg_kind::string: c.string_arg(a.s.c_str()); break;
            case arg_kind::none: c.none_arg(); break;
            }
        }
        if (n.op != op_kind::custom && info(n.op).multi) {
            tuples[v] = apply_multi(c);
        } else {
            env[v] = apply(c);
            detail::bind_output_sizes(n, env[v], bound);
        }
        for (auto& l : lists) l.clear();
        detail::release_last_uses(n, v, last, env, tuples);
    }
    std::vector<tensor> out;
    out.reserve(g.outputs.size());
    for (const output_ref& o : g.outputs)
        out.push_back(o.value >= 0 && g.nodes[static_cast<std::size_t>(o.value)].k != graph_node::kind::sym
                          ? env[static_cast<std::size_t>(o.value)]
                          : scalar_tensor(detail::bind_symbols(o.constant, symbols).unsafe_hint(), dtype::i64));
    return out;
}

} // namespace symshape
