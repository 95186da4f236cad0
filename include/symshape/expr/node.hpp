// symshape/expr/node.hpp — the hash-consed node store behind basic_expr: node kinds (listed once),
// the per-thread arena that interns every distinct node exactly once, and the structural order
// that makes canonical forms deterministic (never address-dependent).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "symshape/int/integer.hpp"

namespace symshape {

// Each node kind once: (enumerator, printed name). Integer kinds first, then boolean kinds.
#define SYMSHAPE_NODE_KINDS(X)                                                                     \
    X(constant, "constant")                                                                        \
    X(symbol, "symbol")                                                                            \
    X(add, "add")                                                                                  \
    X(mul, "mul")                                                                                  \
    X(floor_div, "floor_div")                                                                      \
    X(mod, "mod")                                                                                  \
    X(min, "min")                                                                                  \
    X(max, "max")                                                                                  \
    X(bool_const, "bool")                                                                          \
    X(eq, "eq")                                                                                    \
    X(ne, "ne")                                                                                    \
    X(lt, "lt")                                                                                    \
    X(le, "le")                                                                                    \
    X(and_, "and")                                                                                 \
    X(or_, "or")                                                                                   \
    X(not_, "not")

/// The kind of an expression node.
enum class node_kind : std::uint8_t {
#define SYMSHAPE_X(k, n) k,
    SYMSHAPE_NODE_KINDS(SYMSHAPE_X)
#undef SYMSHAPE_X
};

inline constexpr std::array<std::string_view, 16> node_kind_names = {
#define SYMSHAPE_X(k, n) n,
    SYMSHAPE_NODE_KINDS(SYMSHAPE_X)
#undef SYMSHAPE_X
};
static_assert(node_kind_names.size() == static_cast<std::size_t>(node_kind::not_) + 1,
              "node_kind_names must list every node kind");

/// True for kinds whose value is a boolean.
constexpr bool is_bool_kind(node_kind k) noexcept { return k >= node_kind::bool_const; }

namespace detail {

/// One interned node. Immutable once created.
///   constant:   value
///   symbol:     name, symbol_index (creation order within the thread's arena)
///   add:        value (constant offset) + sum of coeffs[i] * args[i]; args are monomials
///   mul:        product of args[i] ^ coeffs[i]; args are atoms, exponents >= 1
///   floor_div, mod: args = {dividend, divisor}
///   min, max:   args sorted, at least two
///   bool_const: value 0 or 1
///   eq, ne, lt, le: args = {lhs, rhs}
///   and_, or_:  args sorted, at least two; not_: args = {operand}
template <Integer I>
struct node {
    node_kind kind;
    std::uint32_t symbol_index = 0;
    std::size_t hash = 0;
    I value{};
    std::vector<const node*> args;
    std::vector<I> coeffs;
    std::string name;
};

inline std::size_t hash_mix(std::size_t h, std::size_t v) noexcept {
    return h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
}

template <Integer I>
std::size_t hash_integer(const I& v) {
    if constexpr (std::is_same_v<I, std::int64_t>) return std::hash<std::int64_t>{}(v);
    else {
        if (v >= std::numeric_limits<std::int64_t>::min() && v <= std::numeric_limits<std::int64_t>::max())
            return std::hash<std::int64_t>{}(static_cast<std::int64_t>(v));
        return std::hash<std::string>{}(v.str());
    }
}

template <Integer I>
std::size_t hash_node(const node<I>& n) {
    std::size_t h = static_cast<std::size_t>(n.kind) * 0x100000001b3ULL;
    h = hash_mix(h, hash_integer(n.value));
    for (const node<I>* a : n.args) h = hash_mix(h, a->hash);
    for (const I& c : n.coeffs) h = hash_mix(h, hash_integer(c));
    if (!n.name.empty()) h = hash_mix(h, std::hash<std::string>{}(n.name));
    return h;
}

template <Integer I>
struct node_ptr_hash {
    using is_transparent = void;
    std::size_t operator()(const node<I>* n) const noexcept { return n->hash; }
};
template <Integer I>
struct node_ptr_eq {
    using is_transparent = void;
    bool operator()(const node<I>* a, const node<I>* b) const {
        return a->hash == b->hash && a->kind == b->kind && a->value == b->value && a->args == b->args &&
               a->coeffs == b->coeffs && a->name == b->name;
    }
};

/// The per-thread store of interned nodes. Nodes live as long as the thread.
template <Integer I>
class arena {
public:
    static arena& get() {
        thread_local arena a;
        return a;
    }

    /// Returns the unique node equal to `n` (inserting it if new).
    const node<I>* intern(node<I>&& n) {
        n.hash = hash_node(n);
        if (auto it = table_.find(&n); it != table_.end()) return *it;
        if (n.kind == node_kind::symbol) n.symbol_index = static_cast<std::uint32_t>(symbols_.size());
        nodes_.push_back(std::move(n));
        const node<I>* p = &nodes_.back();
        table_.insert(p);
        if (p->kind == node_kind::symbol) symbols_.push_back(p);
        return p;
    }

    std::size_t size() const noexcept { return nodes_.size(); }
    /// Symbols in creation order.
    const std::vector<const node<I>*>& symbols() const noexcept { return symbols_; }

    const node<I>* zero() { return zero_; }
    const node<I>* one() { return one_; }
    const node<I>* true_node() { return true_; }
    const node<I>* false_node() { return false_; }

private:
    arena() {
        zero_ = make_const(I(0), node_kind::constant);
        one_ = make_const(I(1), node_kind::constant);
        true_ = make_const(I(1), node_kind::bool_const);
        false_ = make_const(I(0), node_kind::bool_const);
    }
    const node<I>* make_const(const I& v, node_kind k) {
        node<I> n;
        n.kind = k;
        n.value = v;
        return intern(std::move(n));
    }

    std::deque<node<I>> nodes_;
    std::unordered_set<const node<I>*, node_ptr_hash<I>, node_ptr_eq<I>> table_;
    std::vector<const node<I>*> symbols_;
    const node<I>* zero_ = nullptr;
    const node<I>* one_ = nullptr;
    const node<I>* true_ = nullptr;
    const node<I>* false_ = nullptr;
};

/// Rank of a kind in the canonical term order: symbols first, constants last.
constexpr int order_rank(node_kind k) noexcept {
    switch (k) {
    case node_kind::symbol: return 0;
    case node_kind::floor_div: return 1;
    case node_kind::mod: return 2;
    case node_kind::min: return 3;
    case node_kind::max: return 4;
    case node_kind::mul: return 5;
    case node_kind::add: return 6;
    case node_kind::constant: return 7;
    default: return 8 + static_cast<int>(k);
    }
}

/// Compares names so that s2 < s10 (digit runs compare as numbers).
inline int natural_compare(std::string_view a, std::string_view b) {
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        bool da = a[i] >= '0' && a[i] <= '9', db = b[j] >= '0' && b[j] <= '9';
        if (da && db) {
            std::size_t i2 = i, j2 = j;
            while (i2 < a.size() && a[i2] == '0') ++i2;
            while (j2 < b.size() && b[j2] == '0') ++j2;
            std::size_t ie = i2, je = j2;
            while (ie < a.size() && a[ie] >= '0' && a[ie] <= '9') ++ie;
            while (je < b.size() && b[je] >= '0' && b[je] <= '9') ++je;
            if (ie - i2 != je - j2) return ie - i2 < je - j2 ? -1 : 1;
            if (int c = a.substr(i2, ie - i2).compare(b.substr(j2, je - j2)); c != 0) return c < 0 ? -1 : 1;
            i = ie;
            j = je;
        } else {
            if (a[i] != b[j]) return a[i] < b[j] ? -1 : 1;
            ++i;
            ++j;
        }
    }
    if (i < a.size()) return 1;
    if (j < b.size()) return -1;
    return a < b ? -1 : (a == b ? 0 : 1);
}

/// A total structural order on nodes (independent of addresses and creation history).
template <Integer I>
int compare(const node<I>* a, const node<I>* b) {
    if (a == b) return 0;
    int ra = order_rank(a->kind), rb = order_rank(b->kind);
    if (ra != rb) return ra < rb ? -1 : 1;
    if (a->kind == node_kind::symbol) return natural_compare(a->name, b->name);
    if (a->value != b->value && (a->kind == node_kind::constant || a->kind == node_kind::bool_const))
        return a->value < b->value ? -1 : 1;
    std::size_t n = std::min(a->args.size(), b->args.size());
    for (std::size_t i = 0; i < n; ++i)
        if (int c = compare(a->args[i], b->args[i]); c != 0) return c;
    if (a->args.size() != b->args.size()) return a->args.size() < b->args.size() ? -1 : 1;
    n = std::min(a->coeffs.size(), b->coeffs.size());
    for (std::size_t i = 0; i < n; ++i)
        if (a->coeffs[i] != b->coeffs[i]) return a->coeffs[i] < b->coeffs[i] ? -1 : 1;
    if (a->coeffs.size() != b->coeffs.size()) return a->coeffs.size() < b->coeffs.size() ? -1 : 1;
    if (a->value != b->value) return a->value < b->value ? -1 : 1;
    return 0; // unreachable for distinct interned nodes
}

template <Integer I>
struct node_less {
    bool operator()(const node<I>* a, const node<I>* b) const { return compare(a, b) < 0; }
};

} // namespace detail
} // namespace symshape
