// symshape/graph/graph.hpp — graphs of recorded ops (nodes, values, types, outputs) and the tracer
// that appends a node for every op run while it is active. Nothing here prints; see io/.
#pragma once

#include "symshape/config.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "symshape/tensor.hpp"

namespace symshape {

/// The type of a graph value: a tensor (dtype and sizes) or a symbolic integer.
struct value_type {
    bool is_tensor = true;
    dtype dt = dtype::f32;
    shape_vec sizes;
    sym_int sym; ///< the integer, when !is_tensor
};

/// Text of a type as in the seeds: `f32[3, 2]`, `i64[]`, `Sym(4)`.
inline std::string to_string(const value_type& t) {
    if (!t.is_tensor) return "Sym(" + to_string(t.sym) + ")";
    std::string r = short_name(t.dt);
    r += '[';
    for (int i = 0; i < t.sizes.size(); ++i) {
        if (i) r += ", ";
        r += to_string(t.sizes[i]);
    }
    return r + ']';
}

/// One recorded argument: like `arg`, with tensors replaced by graph value ids and lists owned.
struct node_arg {
    arg_kind kind = arg_kind::none;
    dtype dt = dtype::f32;
    bool b = false;
    sym_int i;
    double d = 0;
    int value = -1;             ///< for a tensor argument, or the Sym value an integer came from
    std::vector<int> values;    ///< for a tensor list
    std::vector<sym_int> ints;  ///< for an integer list
    std::vector<int> int_values; ///< per list entry: the Sym value it came from, or -1
    std::string s;              ///< a string argument
};

/// What a graph input stands for (the graph signature's input kinds).
enum class input_kind : std::uint8_t { parameter, buffer, constant_tensor, user_input };

/// What a graph output stands for.
enum class output_kind : std::uint8_t { user_input_mutation, buffer_mutation, user_output };

/// Signature name of an input kind (`USER_INPUT`, `PARAMETER`, ...).
constexpr const char* kind_name(input_kind k) noexcept {
    switch (k) {
    case input_kind::parameter: return "PARAMETER";
    case input_kind::buffer: return "BUFFER";
    case input_kind::constant_tensor: return "CONSTANT_TENSOR";
    case input_kind::user_input: return "USER_INPUT";
    }
    return "?";
}
/// Signature name of an output kind (`USER_OUTPUT`, ...).
constexpr const char* kind_name(output_kind k) noexcept {
    switch (k) {
    case output_kind::user_input_mutation: return "USER_INPUT_MUTATION";
    case output_kind::buffer_mutation: return "BUFFER_MUTATION";
    case output_kind::user_output: return "USER_OUTPUT";
    }
    return "?";
}

/// A graph node: an input placeholder, an op call, a `Sym` node (a size read by user code,
/// integer arithmetic or a comparison on symbolic values, an `item` read from a tensor, or a
/// runtime assertion), a `getitem` reading result args[1] of an op with several results
/// (args[0] names that op's node), or a higher-order op whose branches are subgraphs:
/// `cond` (args: the predicate, a Sym value or a `b8[]` tensor; the operand tensors; subgraphs
/// {true, false}) and `map` (`map_impl`; args: the tensors mapped over dimension 0, the other
/// operands; subgraph {body}). Each node defines one value, its index (assertions define none;
/// the node of an op with several results, cond and map define the tuple their getitems read).
struct graph_node {
    enum class kind : std::uint8_t { placeholder, call, sym, getitem, cond, map };
    kind k = kind::call;
    std::string name;
    value_type type;
    // calls
    op_kind op = op_kind::clone;
    bool alt = false;
    std::uint16_t custom = 0; ///< for op_kind::custom: the registered op's id
    detail::sym_op sop = detail::sym_op::size; ///< for sym nodes
    std::string text; ///< the message of a runtime assertion node
    std::vector<node_arg> args;
    // placeholders
    input_kind input = input_kind::user_input;
    std::string target; ///< parameter / buffer / constant name (`linear.weight`)
    // cond and map
    std::vector<int> subgraphs; ///< indices into the graph's subgraphs

    /// True for a node whose value is a tuple read through getitem nodes (an op with several
    /// results, cond, map).
    bool has_several_results() const noexcept {
        return k == kind::cond || k == kind::map ||
               (k == kind::call && op != op_kind::custom && has_flag(info(op).flags, op_flags::multi_out));
    }
    /// False for the runtime assertions, which define no value.
    bool defines_value() const noexcept {
        return k != kind::sym ||
               (sop != detail::sym_op::assert_ && sop != detail::sym_op::constrain && sop != detail::sym_op::constrain_size);
    }
    /// True for a value that is a tensor (not a Sym value, a tuple or an assertion).
    bool is_tensor_value() const noexcept { return type.is_tensor && defines_value() && !has_several_results(); }
};

/// One graph output: a value, or a constant integer when value < 0.
struct output_ref {
    int value = -1;
    sym_int constant;
    output_kind kind = output_kind::user_output;
    std::string target; ///< the mutated input or buffer, for mutation outputs
};

/// A recorded program: nodes in execution order, inputs in signature order, outputs, and the
/// subgraphs its cond and map nodes run (`true_graph_0`, `false_graph_0`, `body_graph_0`, ...).
struct graph {
    std::vector<graph_node> nodes;
    std::vector<int> inputs; ///< placeholder ids: parameters, buffers, constants, user inputs
    std::vector<output_ref> outputs;
    std::string name;             ///< a subgraph's attribute name; empty for the program's graph
    std::vector<graph> subgraphs; ///< owned by this graph, named uniquely within it

    /// Name of a value (for messages and printing).
    const std::string& name_of(int v) const { return nodes.at(static_cast<std::size_t>(v)).name; }
    /// Number of op-call nodes.
    int call_count() const noexcept {
        return static_cast<int>(std::count_if(nodes.begin(), nodes.end(), [](const graph_node& n) { return n.k == graph_node::kind::call; }));
    }
};

namespace detail {
/// One result of a cond branch or a map body: a tensor or an integer.
struct hop_value {
    tensor t;
    sym_int i;
    bool is_tensor = true;
};

/// The set of names given out in a trace, kept as 64-bit hashes in one open-addressed array: a
/// trace of 20,000 nodes checks 20,000 names, and a node-based set of strings made that cost grow
/// with the graph (cache misses). Two different names with one hash (odds 2^-64 per pair) only
/// make a name be skipped, never given out twice.
class name_set {
public:
    /// Adds `s`; false when it was already there.
    bool insert(std::string_view s) {
        if ((count_ + 1) * 2 > slots_.size()) grow();
        return place(hash(s));
    }

private:
    static std::uint64_t hash(std::string_view s) noexcept {
        std::uint64_t h = 1469598103934665603ull; // FNV-1a, then a final mix
        for (char ch : s) h = (h ^ static_cast<unsigned char>(ch)) * 1099511628211ull;
        h ^= h >> 29;
        h *= 0xbf58476d1ce4e5b9ull;
        h ^= h >> 32;
        return h | 1; // 0 marks an empty slot
    }
    bool place(std::uint64_t h) {
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = h & mask;; i = (i + 1) & mask) {
            if (slots_[i] == h) return false;
            if (slots_[i] == 0) {
                slots_[i] = h;
                ++count_;
                return true;
            }
        }
    }
    void grow() {
        std::vector<std::uint64_t> old = std::move(slots_);
        slots_.assign(old.empty() ? 64 : old.size() * 2, 0);
        count_ = 0;
        for (std::uint64_t h : old)
            if (h) place(h);
    }
    std::vector<std::uint64_t> slots_;
    std::size_t count_ = 0;
};
} // namespace detail

namespace detail {
/// Removes the nodes whose `keep` entry is 0 (they must be unread), renumbering the rest.
void keep_nodes(graph& g, const std::vector<char>& keep);
/// For each node: 1 when some node or output reads it.
std::vector<char> read_values(const graph& g);
} // namespace detail

/// Records every op run on this thread into a graph while it is alive (RAII). At most one tracer
/// may be active per thread (usage_error otherwise). Tensors it has not seen (created outside the
/// trace and not registered as inputs) are lifted into the graph as constant inputs.
class tracer {
public:
    tracer();
    /// A subgraph's recorder (a branch of cond, the body of map), active until finish() or
    /// suspend(). `parent` must be the active tracer. Tensors from outside the subgraph that its ops
    /// read are captured: each becomes a placeholder here and, through `parent.value_of`, an operand
    /// of the higher-order op in the parent. In-place ops on a subgraph's inputs are refused.
    explicit tracer(tracer& parent);
    ~tracer();
    tracer(const tracer&) = delete;
    tracer& operator=(const tracer&) = delete;

    /// Called for each user input before its placeholder is recorded (export makes sizes symbolic here).
    std::function<void(tensor&, const std::string&)> on_user_input;

    /// Room for `extra` more nodes and inputs (export reserves one per parameter and buffer).
    void reserve(std::size_t extra) {
        g_.nodes.reserve(g_.nodes.size() + extra);
        g_.inputs.reserve(g_.inputs.size() + extra);
    }
    /// Make `t` an input of the graph named `name` (tags the handle); returns its value id.
    int add_input(tensor& t, const std::string& name, input_kind k, const std::string& target = {});
    /// The value id of `t`, lifting it as a constant input if the trace has not seen it.
    int value_of(const tensor& t);
    /// Append an output.
    void add_output(const tensor& t, output_kind k = output_kind::user_output, const std::string& target = {});
    /// Append a constant integer output.
    void add_output(sym_int v);
    /// Finish: orders the inputs, prepends mutation outputs, and hands back the graph.
    graph finish();
    /// Lifted constants by placeholder name (valid after finish()).
    std::vector<std::pair<std::string, tensor>>& constants() noexcept { return constants_; }
    /// The graph recorded so far.
    const graph& current() const noexcept { return g_; }

    /// For a subgraph's recorder: the parent's value of each captured tensor, in placeholder order
    /// after the explicit inputs.
    const std::vector<int>& captured() const noexcept { return captured_; }
    /// The captured tensors, in the order of captured().
    const std::vector<tensor>& captured_tensors() const noexcept { return captured_tensors_; }
    /// Adds a placeholder for the parent's value `parent_value`, the tensor `t` (a capture made by a
    /// sibling branch; unused here unless this branch reads it too). No-op if already captured.
    void capture_value(int parent_value, const tensor& t);
    /// Stops recording (the parent's hooks are active again) without finishing the graph. A
    /// subgraph's recorder never records again: tensors it made may no longer be read elsewhere.
    void suspend() noexcept;
    /// A predicate argument for a node (the Sym value holding it, when there is one).
    node_arg predicate_arg(const sym_bool& p) const { return pred_operand(p); }
    /// Records a cond or map node `n` (args set, subgraphs in `subs`) and a getitem node for each
    /// result that is a tensor or a symbolic integer; tags the tensors in `outs` as those results.
    void record_hop(graph_node n, std::vector<graph> subs, std::span<detail::hop_value> outs);
    /// The tracer recording on this thread (nullptr when none, or while paused).
    static tracer* active() noexcept;

    /// Pause recording for the lifetime of the returned object (used by assume_constant_result).
    class pause {
    public:
        pause() noexcept : saved_(detail::active_trace) { detail::active_trace = nullptr; }
        ~pause() { detail::active_trace = saved_; }
        pause(const pause&) = delete;
        pause& operator=(const pause&) = delete;

    private:
        detail::trace_hook* saved_;
    };

private:
    static void record_thunk(void* self, const call& c, tensor& out) { static_cast<tracer*>(self)->record(c, out); }
    static void record_multi_thunk(void* self, const call& c, std::span<tensor> outs) {
        static_cast<tracer*>(self)->record_multi(c, outs);
    }
    static sym_int item_thunk(void* self, const tensor& x, std::int64_t v) { return static_cast<tracer*>(self)->on_item(x, v); }
    static void pred_thunk(void* self, detail::sym_op op, const sym_int& a, const sym_int& b, const sym_bool* pa,
                           const sym_bool* pb, const sym_bool& r) {
        static_cast<tracer*>(self)->on_pred(op, a, b, pa, pb, r);
    }
    static void assert_thunk(void* self, const sym_bool& p, const std::string& message) {
        static_cast<tracer*>(self)->on_assert(p, message);
    }
    static void constrain_thunk(void* self, const sym_int& v, std::optional<std::int64_t> min,
                                std::optional<std::int64_t> max, bool for_size) {
        static_cast<tracer*>(self)->on_constrain(v, min, max, for_size);
    }
    void on_pred(detail::sym_op op, const sym_int& a, const sym_int& b, const sym_bool* pa, const sym_bool* pb,
                 const sym_bool& r);
    /// The placeholder standing for a tensor from outside this subgraph (added on first use).
    int capture(const tensor& t);
    /// The program's (outermost) recorder.
    tracer& root() noexcept { return parent_ ? parent_->root() : *this; }
    /// Throws usage_error for a tensor made inside a subgraph that has been finished.
    void refuse_escaped(const tensor& t);
    void install_hooks();
    void on_assert(const sym_bool& p, const std::string& message);
    void on_constrain(const sym_int& v, std::optional<std::int64_t> min, std::optional<std::int64_t> max, bool for_size);
    /// Drops Sym nodes whose values nothing uses (sizes read only to decide a guard, say) and
    /// getitem nodes of results nothing reads.
    void remove_unused_sym_nodes();
    static void size_thunk(void* self, const tensor& x, int d, const sym_int& r) { static_cast<tracer*>(self)->on_size(x, d, r); }
    static void sym_thunk(void* self, detail::sym_op op, const sym_int& a, const sym_int& b, const sym_int& r) {
        static_cast<tracer*>(self)->on_sym(op, a, b, r);
    }
    void on_size(const tensor& x, int d, const sym_int& r);
    void on_sym(detail::sym_op op, const sym_int& a, const sym_int& b, const sym_int& r);
    int add_sym_node(detail::sym_op op, std::string_view base, std::vector<node_arg> args, const sym_int& r);
    /// A predicate argument: refers to the Sym value holding it when there is one.
    node_arg pred_operand(const sym_bool& p) const;
    /// An integer argument: refers to the Sym value it came from when there is one.
    node_arg int_operand(const sym_int& v);
    /// The Sym value holding `v`. For a symbolic size not read through size() (say from
    /// sizes()), a sym_size node of the first tensor that has it is added, as size() would have
    /// recorded. -1 for constants and expressions no tensor has as a size.
    int value_for(const sym_int& v);
    /// Remembers the symbolic sizes of value v (the first tensor with each size is its source).
    void note_sizes(int v, const shape_vec& sizes);
    int sym_value_of(const sym_int& v) const {
        if (v.is_constant()) return -1;
        auto it = sym_values_.find(v.node());
        return it == sym_values_.end() ? -1 : it->second;
    }
    void record(const call& c, tensor& out);
    void record_multi(const call& c, std::span<tensor> outs);
    /// The call node of `c` (arguments resolved to values), not yet appended.
    graph_node call_node(const call& c);
    sym_int on_item(const tensor& x, std::int64_t value);
    std::string fresh_name(std::string_view base);
    bool owns(const tensor& t) const noexcept { return t.impl().tag.trace == id_ && t.impl().tag.value >= 0; }

    graph g_;
    std::uint32_t id_;
    detail::trace_hook hook_;
    detail::sym_hook sym_hook_;
    detail::sym_hook* saved_sym_ = nullptr;
    std::unordered_map<const void*, int> sym_values_; // expression node -> the Sym value holding it
    std::unordered_map<const void*, std::pair<int, int>> size_sources_; // expression node -> (value, dim) having it
    detail::trace_hook* saved_ = nullptr;
    std::unordered_map<std::string, int> counters_;
    detail::name_set used_;
    std::vector<std::pair<std::string, tensor>> constants_;
    std::vector<int> constant_values_;
    std::unordered_multimap<const void*, std::size_t> constants_by_storage_; // storage -> index in constants_
    std::vector<std::pair<const void*, int>> input_storage_; // storage of each user input / buffer
    std::vector<std::pair<int, int>> mutations_;             // (placeholder, latest value)
    tracer* parent_ = nullptr;                               // set for a subgraph's recorder
    std::vector<int> captured_;                              // parent values captured, in order
    std::vector<int> captured_placeholders_;                 // their placeholders here
    std::vector<tensor> captured_tensors_;                   // and the tensors
    std::vector<std::uint32_t> closed_;                      // (root only) ids of finished subgraph recorders
};

} // namespace symshape

#if SYMSHAPE_HEADER_ONLY
#include "symshape/graph/impl/graph.hpp"
#endif
