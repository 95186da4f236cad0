// symshape/export/impl/export.hpp — the definitions behind symshape/export/export.hpp: compiled into
// libsymshape in compiled mode, included by that header in header-only mode. Not for direct
// inclusion.
#pragma once

#include <string_view>
#include <unordered_map>

#include "symshape/export/export.hpp"

namespace symshape {

namespace detail {
/// `mul*name + add` as a person writes it: `16*h`, `h + 1`, `2*h - 3`.
SYMSHAPE_INLINE std::string affine_text(std::int64_t mul, const std::string& name, std::int64_t add) {
    std::string r = mul == 1 ? name : std::to_string(mul) + "*" + name;
    if (add > 0) r += " + " + std::to_string(add);
    if (add < 0) r += " - " + (add == std::numeric_limits<std::int64_t>::min() ? std::string("9223372036854775808") : std::to_string(-add));
    return r;
}
SYMSHAPE_INLINE tensor prepare_input(tracer& tr, const tensor& t, std::size_t k) {
    tensor c = t;
    tr.add_input(c, "arg" + std::to_string(k), input_kind::user_input);
    return c;
}
SYMSHAPE_INLINE tensor prepare_input(tracer& tr, const named_input<tensor>& in, std::size_t) {
    tensor c = in.value;
    tr.add_input(c, in.name, input_kind::user_input);
    return c;
}
SYMSHAPE_INLINE std::vector<tensor> prepare_input(tracer& tr, const named_input<std::vector<tensor>>& in, std::size_t) {
    std::vector<tensor> r = in.value;
    for (std::size_t i = 0; i < r.size(); ++i) tr.add_input(r[i], in.name + "_" + std::to_string(i), input_kind::user_input);
    return r;
}
SYMSHAPE_INLINE std::map<std::string, tensor> prepare_input(tracer& tr, const named_input<std::map<std::string, tensor>>& in,
                                                   std::size_t) {
    std::map<std::string, tensor> r = in.value;
    for (auto& [k, t] : r) tr.add_input(t, in.name.empty() ? k : in.name + "_" + k, input_kind::user_input);
    return r;
}
SYMSHAPE_INLINE std::optional<tensor> prepare_input(tracer& tr, const named_input<std::optional<tensor>>& in, std::size_t) {
    std::optional<tensor> r = in.value;
    if (r) tr.add_input(*r, in.name, input_kind::user_input);
    return r;
}

SYMSHAPE_INLINE void collect_outputs(tracer& tr, const tensor& t) { tr.add_output(t); }
SYMSHAPE_INLINE void collect_outputs(tracer& tr, const sym_int& v) { tr.add_output(v); }
SYMSHAPE_INLINE void collect_outputs(tracer& tr, const std::vector<tensor>& ts) {
    for (const tensor& t : ts) tr.add_output(t);
}
SYMSHAPE_INLINE void collect_outputs(tracer& tr, const std::map<std::string, tensor>& ts) {
    for (const auto& [k, t] : ts) tr.add_output(t);
}
SYMSHAPE_INLINE void add_state(tracer& tr, const module& m, std::vector<std::pair<std::string, tensor>>& state) {
    auto flat = [](std::string s) {
        for (char& ch : s)
            if (ch == '.') ch = '_';
        return s;
    };
    const auto params = m.named_parameters();
    const auto buffers = m.named_buffers();
    tr.reserve(params.size() + buffers.size());
    state.reserve(state.size() + params.size() + buffers.size());
    for (const auto& [name, t] : params) {
        int v = tr.add_input(*t, "p_" + flat(name), input_kind::parameter, name);
        state.emplace_back(tr.current().name_of(v), *t);
    }
    for (const auto& [name, t] : buffers) {
        int v = tr.add_input(*t, "b_" + flat(name), input_kind::buffer, name);
        state.emplace_back(tr.current().name_of(v), *t);
    }
}
} // namespace detail

namespace detail {
/// Makes the dynamic dims of user inputs symbolic as the tracer registers them.
class symbolizer {
public:
    symbolizer(shape_env& env, const dynamic_shapes& spec) : env_(env), spec_(spec), used_(spec.size(), false) {}
    void operator()(tensor& t, const std::string& name) {
        const int k = position_++;
        names_ += (names_.empty() ? "" : ", ") + name;
        for (std::size_t i = 0; i < spec_.size(); ++i)
            if (spec_[i].position == k || (spec_[i].position < 0 && spec_[i].input == name)) {
                used_[i] = true;
                apply(t, name, k, spec_[i].dims);
            }
    }
    /// Throws usage_error for spec entries that matched no input.
    void check_all_used() const {
        for (std::size_t i = 0; i < spec_.size(); ++i)
            if (!used_[i])
                throw usage_error("dynamic_shapes names input " +
                                  (spec_[i].position >= 0 ? std::to_string(spec_[i].position) : "'" + spec_[i].input + "'") +
                                  ", which is not a user input\n  the inputs are (" + names_ + ")");
    }
    struct root {
        expr sym;
        dim spec;
        std::int64_t hint;
        int first_binding;
    };
    struct binding {
        int input, d, root;
        std::int64_t mul, add;
    };
    std::vector<root> roots;
    std::vector<binding> bindings;

private:
    void apply(tensor& t, const std::string& name, int k, const std::map<int, derived_dim>& dims) {
        for (const auto& [d0, dd] : dims) {
            const int rank = t.dim();
            const int d = d0 < 0 ? d0 + rank : d0;
            const std::string src = name + ".size(" + std::to_string(d) + ")";
            dim base = dd.base; // an unnamed auto_ / dynamic dim is named after its input and dimension
            if (base.name.empty()) {
                if (base.mode == dim::hint::exact) throw usage_error("dynamic_shapes gives " + src + " a dim without a name; name it, or use dim::auto_() / dim::dynamic()");
                base.name = name + "_dim" + std::to_string(d);
            }
            if (d < 0 || d >= rank)
                throw usage_error("dynamic_shapes gives input '" + name + "' a dim '" + base.name + "' for dimension " +
                                  std::to_string(d0) + ", but it has " + std::to_string(rank) + " dimensions");
            if (dd.mul <= 0)
                throw usage_error("derived dim of '" + base.name + "' for " + src + " needs a positive multiplier, got " +
                                  std::to_string(dd.mul));
            const std::int64_t size = t.impl().sizes[d].unsafe_hint();
            // Each place a dim is used, as a person reads it: `x.size(0)`, `x.size(0) = dy - 6`.
            const std::string where = dd.mul == 1 && dd.add == 0 ? src : src + " = " + affine_text(dd.mul, base.name, dd.add);
            const std::string& base_name = base.name; // (clang 14 cannot capture a structured binding)
            const bool pinned = base.min.is_finite() && base.min == base.max;
            auto same_name = [&](const dim& o) {
                return o.name == base_name && (!(o.min == base.min) || !(o.max == base.max) || o.mode != base.mode);
            };
            if (std::any_of(seen_.begin(), seen_.end(), same_name))
                throw usage_error("two dims named '" + base.name + "' have different ranges or kinds; use one dim object");
            seen_.push_back(base);
            if (pinned) {
                // A dim pinned to one value (`dim("dy", 12, 12)`, the fix for a specialised dim) is
                // a static size wherever it is used.
                const std::int64_t want = checked_add(checked_mul(dd.mul, base.min.value()), dd.add);
                if (want != size)
                    throw usage_error("dim '" + base.name + "' is pinned to " + base.min.str() + ", which makes " + src + " " +
                                      std::to_string(want) + ", but its example size is " + std::to_string(size) +
                                      "\n  pass examples whose sizes agree with the dynamic_shapes spec");
                continue;
            }
            auto it = std::find_if(roots.begin(), roots.end(), [&](const root& r) { return r.spec.name == base_name; });
            if (it == roots.end()) {
                const std::int64_t num = checked_sub(size, dd.add);
                if (floor_mod(num, dd.mul) != 0)
                    throw usage_error("the example size " + std::to_string(size) + " of " + src + " is not " +
                                      affine_text(dd.mul, base.name, dd.add) + " for any integer " + base.name + "\n  pass an example that fits the derived dim");
                const std::int64_t hint = floor_div(num, dd.mul);
                expr s = env_.create_backed(hint, where, base.name, base.min, base.max);
                roots.push_back({s, base, hint, static_cast<int>(bindings.size())});
                it = roots.end() - 1;
            } else {
                const std::int64_t want = checked_add(checked_mul(dd.mul, it->hint), dd.add);
                if (want != size)
                    throw usage_error("dim '" + base.name + "' makes " + src + " equal " + to_string(expr(dd.mul) * it->sym + expr(dd.add)) +
                                      " = " + std::to_string(want) + " for the examples, but its example size is " +
                                      std::to_string(size) + "\n  pass examples whose sizes agree with the dynamic_shapes spec");
                env_.add_source(it->sym, where);
            }
            t.impl().sizes[d] = sym_int(size, expr(dd.mul) * it->sym + expr(dd.add));
            bindings.push_back({k, d, static_cast<int>(it - roots.begin()), dd.mul, dd.add});
        }
    }
    shape_env& env_;
    const dynamic_shapes& spec_;
    std::vector<dim> seen_; // every dim applied so far (names must mean one dim)
    std::vector<bool> used_;
    int position_ = 0;
    std::string names_;
};

/// Makes `env` the shape environment of this thread's trace for its lifetime.
class env_scope {
public:
    explicit env_scope(shape_env* env) noexcept : saved_(active_shape_env) { active_shape_env = env; }
    ~env_scope() { active_shape_env = saved_; }
    env_scope(const env_scope&) = delete;
    env_scope& operator=(const env_scope&) = delete;

private:
    shape_env* saved_;
};

SYMSHAPE_INLINE sym_int normalized(const shape_env& env, const sym_int& v) {
    return v.is_constant() ? v : sym_int(v.unsafe_hint(), env.normalize(v.to_expr()));
}

struct export_session::state {
    tracer tr;
    shape_env env;
    symbolizer sym;
    env_scope scope;
    std::vector<std::pair<std::string, tensor>> module_state;
    std::vector<std::pair<std::string, const void*>> registered; // storage of each parameter and buffer at the start
    explicit state(const dynamic_shapes& shapes, bool draft) : sym(env, shapes), scope(&env) {
        tr.on_user_input = std::ref(sym);
        env.set_drafting(draft);
    }
};

SYMSHAPE_INLINE export_session::export_session(const dynamic_shapes& shapes, bool draft) : s_(std::make_unique<state>(shapes, draft)) {}
SYMSHAPE_INLINE export_session::~export_session() = default;
SYMSHAPE_INLINE tracer& export_session::trace() noexcept { return s_->tr; }
SYMSHAPE_INLINE void export_session::add_module_state(const module& m) {
    add_state(s_->tr, m, s_->module_state);
    for (const auto& [name, t] : m.named_parameters()) s_->registered.emplace_back(name, t->impl().st.get());
    for (const auto& [name, t] : m.named_buffers()) s_->registered.emplace_back(name, t->impl().st.get());
}
SYMSHAPE_INLINE void export_session::check_module_state(const module& m) const {
    std::vector<std::pair<std::string, tensor*>> now = m.named_parameters();
    for (auto& b : m.named_buffers()) now.push_back(b);
    for (std::size_t i = 0; i < now.size() && i < s_->registered.size(); ++i)
        if (now[i].second->impl().st.get() != s_->registered[i].second)
            throw usage_error("the module's " + std::string(i < m.named_parameters().size() ? "parameter" : "buffer") + " '" +
                              now[i].first + "' was replaced by a new tensor during export\n  an exported program takes the "
                              "module's state as inputs, so forward() may not assign new tensors to it; compute the new "
                              "value as a local tensor, or change the state in place (mul_, copy_, ...: a buffer mutation)");
}
SYMSHAPE_INLINE void export_session::inputs_done() { s_->sym.check_all_used(); }

SYMSHAPE_INLINE exported_program export_session::finish() {
    exported_program ep;
    ep.state_ = std::move(s_->module_state);
    ep.g_ = s_->tr.finish();
    for (const auto& c : s_->tr.constants()) ep.state_.push_back(c);
    // Order the state as the graph's non-user inputs, and remember what each user input must be
    // (state found by name through an index: linear in the number of parameters and buffers).
    // (Graph names are unique, so each placeholder names one entry.)
    std::unordered_map<std::string_view, std::size_t> by_name;
    by_name.reserve(ep.state_.size());
    for (std::size_t i = 0; i < ep.state_.size(); ++i) by_name.emplace(ep.state_[i].first, i);
    std::vector<std::size_t> order;
    order.reserve(ep.state_.size());
    for (int v : ep.g_.inputs) {
        const symshape::graph_node& n = ep.g_.nodes[static_cast<std::size_t>(v)];
        if (n.input == input_kind::user_input) {
            ep.expected_.push_back({n.name, n.type.dt, n.type.sizes});
            continue;
        }
        if (auto it = by_name.find(n.name); it != by_name.end()) order.push_back(it->second);
    }
    std::vector<std::pair<std::string, tensor>> ordered;
    ordered.reserve(order.size());
    for (std::size_t i : order) ordered.push_back(std::move(ep.state_[i]));
    ep.state_ = std::move(ordered);
    if (!s_->env.symbols().empty()) finish_symbolic(ep, s_->env, s_->sym);
    return ep;
}

SYMSHAPE_INLINE void export_session::finish_symbolic(exported_program& ep, shape_env& env, const symbolizer& sym) {
    // Dims hinted auto_ / dynamic accept what the program needs (a narrower range, an equality, a
    // guard no range expresses; auto_ also a constant); the others must be honoured as declared.
    auto mode_of = [&](const std::string& name) {
        for (const auto& r : sym.roots)
            if (r.spec.name == name) return r.spec.mode;
        return dim::hint::exact;
    };
    std::vector<range_violation> hard;
    std::string dynamic_note;
    for (const range_violation& v : check_declared_ranges(env)) {
        const dim::hint mode = mode_of(v.dim_name);
        if (mode == dim::hint::exact) hard.push_back(v);
        if (mode == dim::hint::dynamic && v.specialized_to) {
            hard.push_back(v);
            dynamic_note += "\n  dim '" + v.dim_name + "' is dim::dynamic(), which may not become a constant; use dim::auto_() to allow it";
        }
    }
    if (!hard.empty() && !env.drafting()) throw constraint_violation(format_violations(hard) + dynamic_note);
    for (const range_violation& v : hard) {
        // Draft: each violation is a problem; the guards still check every run.
        std::string what = format_violations({v});
        what = what.substr(what.find("\n    ") + 5);
        what = what.substr(0, what.find("\n"));
        const std::string fix = violation_fix(v);
        env.add_problem({"constraint violation", what, "dim '" + v.dim_name + "' (" + v.source + ")",
                         fix.empty() ? "none: no dim range expresses the guards; they are checked on every run" : fix});
    }
    ep.draft_report_ = env.problems();
    // Types and arguments print with replacements applied (two dims found equal: one symbol).
    std::vector<expr> used;
    auto note = [&](const sym_int& v) {
        if (v.is_constant()) return;
        for (const expr& s : symbols_of(v.to_expr()))
            if (std::find(used.begin(), used.end(), s) == used.end()) used.push_back(s);
    };
    auto normalize_graph = [&](auto& self, symshape::graph& g) -> void {
        for (symshape::graph_node& n : g.nodes) {
            for (sym_int& x : n.type.sizes) note(x = normalized(env, x));
            n.type.sym = normalized(env, n.type.sym);
            note(n.type.sym);
            for (symshape::node_arg& a : n.args) {
                note(a.i = normalized(env, a.i));
                for (sym_int& x : a.ints) note(x = normalized(env, x));
            }
        }
        for (output_ref& o : g.outputs) note(o.constant = normalized(env, o.constant));
        for (symshape::graph& sub : g.subgraphs) self(self, sub);
    };
    normalize_graph(normalize_graph, ep.g_);
    for (auto& e : ep.expected_)
        for (sym_int& x : e.sizes) x = normalized(env, x);
    for (const symbol_info& si : env.symbols())
        if (std::find(used.begin(), used.end(), si.sym) != used.end()) {
            interval<std::int64_t> r = env.range(si.sym);
            ep.ranges_.emplace_back(to_string(si.sym), "VR[" + r.lo.str() + ", " + r.hi.str() + "]");
        }
    for (const auto& b : sym.bindings) ep.bindings_.push_back({b.input, b.d, b.root, b.mul, b.add});
    for (const auto& r : sym.roots) {
        interval<std::int64_t> declared = env.info(r.sym)->declared;
        if (r.spec.mode != dim::hint::exact) {
            // What the hinted dim became: a constant, another dim's expression, or a range.
            const interval<std::int64_t> found = env.range(r.sym);
            const expr image = env.normalize(r.sym);
            std::string became;
            if (found.is_point()) became = "specialised to " + found.lo.str();
            else if (!(image == r.sym)) became = "equal to " + dim_names_text(env, image);
            else became = found == declared ? "dynamic, " + found.str() : "dynamic, " + found.str() + " (declared " + declared.str() + ")";
            ep.dim_outcomes_.push_back(r.spec.name + " (" + env.info(r.sym)->source + ", " +
                                       (r.spec.mode == dim::hint::automatic ? "auto" : "dynamic") + "): " + became);
            declared = found;
        }
        ep.roots_.push_back({r.sym, r.spec.name, declared, r.first_binding});
    }
    for (const guard& g : env.guards()) ep.guards_.push_back(g);
    ep.build_checks();
}
} // namespace detail

SYMSHAPE_INLINE void exported_program::build_checks() {
    // Input checks, compiled once: every range end of every root, then every guard.
    std::vector<expr> syms, preds;
    check_text_.clear();
    for (const root_symbol& r : roots_) syms.push_back(r.sym);
    for (const root_symbol& r : roots_) {
        if (r.declared.lo.is_finite()) {
            preds.push_back(ge(r.sym, expr(r.declared.lo.value())));
            check_text_.push_back(">= " + r.declared.lo.str());
        }
        if (r.declared.hi.is_finite()) {
            preds.push_back(le(r.sym, expr(r.declared.hi.value())));
            check_text_.push_back("<= " + r.declared.hi.str());
        }
    }
    for (const guard& g : guards_) {
        preds.push_back(g.predicate);
        check_text_.push_back({});
    }
    checks_ = compiled_checks(syms, preds);
}

SYMSHAPE_INLINE std::vector<exported_program::dim_info> exported_program::dims() const {
    std::vector<dim_info> r;
    for (const root_symbol& s : roots_) r.push_back({s.sym, s.dim_name, s.declared});
    return r;
}

SYMSHAPE_INLINE graph_signature exported_program::signature() const {
    graph_signature s;
    for (int v : g_.inputs) {
        const graph_node& n = g_.nodes[static_cast<std::size_t>(v)];
        s.inputs.push_back({n.input, n.name, n.target});
    }
    for (const output_ref& o : g_.outputs)
        s.outputs.push_back({o.kind, o.value >= 0 ? g_.name_of(o.value) : to_string(o.constant), o.target});
    return s;
}

SYMSHAPE_INLINE std::vector<std::string> exported_program::user_input_names() const {
    std::vector<std::string> r;
    for (const expected_input& e : expected_) r.push_back(e.name);
    return r;
}

SYMSHAPE_INLINE std::size_t exported_program::check_count() const noexcept {
    std::size_t n = 0;
    for (const expected_input& e : expected_) {
        n += 1; // rank (and dtype)
        for (const sym_int& x : e.sizes) n += x.is_constant() ? 1 : 0;
    }
    return n + (bindings_.size() - roots_.size()) + checks_.size();
}

SYMSHAPE_INLINE std::string exported_program::binding_text(const dim_binding& b) const {
    const root_symbol& r = roots_[static_cast<std::size_t>(b.root)];
    std::string e = to_string(expr(b.mul) * expr::symbol(r.dim_name) + expr(b.add));
    return "input '" + expected_[static_cast<std::size_t>(b.input)].name + "' dimension " + std::to_string(b.d) +
           " (dim '" + r.dim_name + "'" + (e == r.dim_name ? std::string() : ": " + e) + ")";
}

SYMSHAPE_INLINE void exported_program::check_inputs(const std::vector<tensor>& inputs) const {
    std::int64_t buf[16];
    std::vector<std::int64_t> heap;
    std::int64_t* values = buf;
    if (roots_.size() > 16) {
        heap.resize(roots_.size());
        values = heap.data();
    }
    check_and_bind(inputs, values);
}

SYMSHAPE_INLINE void exported_program::throw_input_mismatch(std::size_t k, const tensor& t) const {
    const expected_input& e = expected_[k];
    const std::string who = "input '" + e.name + "' (input " + std::to_string(k) + ")";
    if (!t.defined()) throw input_error(who + " is an undefined tensor");
    if (t.dtype() != e.dt)
        throw input_error(who + " has dtype " + short_name(t.dtype()) + " but the program was exported for " + short_name(e.dt));
    if (t.dim() != e.sizes.size())
        throw input_error(who + " has " + std::to_string(t.dim()) + " dimensions but the program was exported for " +
                          std::to_string(e.sizes.size()) + "\n  expected shape " + to_string(e.sizes) + ", got " +
                          to_string(t.sizes()));
    for (int d = 0; d < t.dim(); ++d)
        if (e.sizes[d].is_constant() && t.impl().sizes[d].unsafe_hint() != e.sizes[d].unsafe_hint())
            throw input_error(who + " has size " + to_string(t.impl().sizes[d]) + " in dimension " + std::to_string(d) +
                              " but the program was exported with the static size " + to_string(e.sizes[d]) +
                              "\n  expected shape " + to_string(e.sizes) + ", got " + to_string(t.sizes()) +
                              "\n  to accept other sizes, export with a dynamic dim for " + e.name + " dimension " +
                              std::to_string(d));
    throw internal_error("input " + std::to_string(k) + " failed a check but no message was found");
}

SYMSHAPE_INLINE void exported_program::check_and_bind(const std::vector<tensor>& inputs, std::int64_t* values) const {
    if (inputs.size() != expected_.size()) {
        std::string names;
        for (const expected_input& e : expected_) names += (names.empty() ? "" : ", ") + e.name;
        throw input_error("expected " + std::to_string(expected_.size()) + " input" + (expected_.size() == 1 ? "" : "s") +
                          " but got " + std::to_string(inputs.size()) + "\n  the program's inputs are (" + names + ")");
    }
    // The fast path allocates nothing; messages are built only once a check has failed.
    for (std::size_t k = 0; k < inputs.size(); ++k) {
        const expected_input& e = expected_[k];
        const tensor& t = inputs[k];
        bool ok = t.defined() && t.dtype() == e.dt && t.dim() == e.sizes.size();
        for (int d = 0; ok && d < t.dim(); ++d)
            ok = !e.sizes[d].is_constant() || t.impl().sizes[d].unsafe_hint() == e.sizes[d].unsafe_hint();
        if (!ok) [[unlikely]] throw_input_mismatch(k, t);
    }
    if (roots_.empty()) return;
    // Bind each root symbol from its first dimension, then check the other dims that share it.
    for (std::size_t i = 0; i < roots_.size(); ++i) values[i] = 0;
    for (std::size_t k = 0; k < bindings_.size(); ++k) {
        const dim_binding& b = bindings_[k];
        const std::int64_t size = inputs[static_cast<std::size_t>(b.input)].impl().sizes[b.d].unsafe_hint();
        const root_symbol& r = roots_[static_cast<std::size_t>(b.root)];
        if (r.first_binding == static_cast<int>(k)) {
            const std::int64_t num = size - b.add; // sizes are small: no overflow
            if (num % b.mul != 0 || num < 0)
                throw input_error(binding_text(b) + " has size " + std::to_string(size) + ", which is not " +
                                  detail::affine_text(b.mul, r.dim_name, b.add) + " for any size " + r.dim_name);
            values[b.root] = num / b.mul;
            continue;
        }
        const std::int64_t want = b.mul * values[b.root] + b.add;
        if (want != size) {
            const dim_binding& f = bindings_[static_cast<std::size_t>(r.first_binding)];
            throw input_error(binding_text(b) + " has size " + std::to_string(size) + " but must be " + std::to_string(want) +
                              "\n  it shares dim '" + r.dim_name + "' with " + binding_text(f) + ", which has size " +
                              std::to_string(inputs[static_cast<std::size_t>(f.input)].impl().sizes[f.d].unsafe_hint()));
        }
    }
    const int bad = checks_.first_failure(values);
    if (bad < 0) [[likely]] return;
    // Which check failed: a range end of a root (in root order), or a guard.
    int idx = 0;
    for (std::size_t i = 0; i < roots_.size(); ++i) {
        const root_symbol& r = roots_[i];
        const int ends = (r.declared.lo.is_finite() ? 1 : 0) + (r.declared.hi.is_finite() ? 1 : 0);
        if (bad < idx + ends) {
            const dim_binding& f = bindings_[static_cast<std::size_t>(r.first_binding)];
            const std::int64_t size = inputs[static_cast<std::size_t>(f.input)].impl().sizes[f.d].unsafe_hint();
            throw input_error(binding_text(f) + " has size " + std::to_string(size) + " but " + r.dim_name + " must be " +
                              check_text_[static_cast<std::size_t>(bad)] + " (got " + r.dim_name + " = " +
                              std::to_string(values[i]) + ")\n  dim '" + r.dim_name + "' is declared " + r.declared.str());
        }
        idx += ends;
    }
    const guard& g = guards_[static_cast<std::size_t>(bad - idx)];
    std::string where;
    for (const expr& s : symbols_of(g.predicate))
        for (std::size_t i = 0; i < roots_.size(); ++i)
            if (roots_[i].sym == s)
                where += "\n  " + to_string(s) + " = " + std::to_string(values[i]) + " from " +
                         binding_text(bindings_[static_cast<std::size_t>(roots_[i].first_binding)]);
    throw input_error("the inputs break the guard " + to_string(g.predicate) + " the program was exported under (asked by: " +
                      g.reason + ")" + where + "\n  the exported graph is only valid when it holds; re-export with examples of this shape");
}

SYMSHAPE_INLINE std::vector<tensor> exported_program::run(const std::vector<tensor>& inputs) const {
    std::vector<std::int64_t> values(roots_.size());
    check_and_bind(inputs, values.data());
    valuation<std::int64_t> vals;
    for (std::size_t i = 0; i < roots_.size(); ++i) vals.set(roots_[i].sym, values[i]);
    std::vector<tensor> all;
    all.reserve(state_.size() + inputs.size());
    for (const auto& s : state_) all.push_back(s.second);
    for (const tensor& t : inputs) all.push_back(t);
    std::vector<tensor> outs = interpret(g_, all, &vals);
    std::vector<tensor> user;
    for (std::size_t i = 0; i < outs.size(); ++i)
        if (g_.outputs[i].kind == output_kind::user_output) user.push_back(std::move(outs[i]));
    return user;
}

} // namespace symshape
