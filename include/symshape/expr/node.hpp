// symshape/expr/node.hpp — the hash-consed node store behind basic_expr: node kinds (listed once),
// the per-thread arena that interns every distinct node exactly once, and the structural order
// that makes canonical forms deterministic (never address-dependent).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <new>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "symshape/error.hpp"
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

/// A read-only view of an array stored in the arena.
template <class T>
struct array_view {
    const T* ptr = nullptr;
    std::uint32_t count = 0;
    std::size_t size() const noexcept { return count; }
    bool empty() const noexcept { return count == 0; }
    const T& operator[](std::size_t i) const noexcept { return ptr[i]; }
    const T* begin() const noexcept { return ptr; }
    const T* end() const noexcept { return ptr + count; }
    const T& front() const noexcept { return ptr[0]; }
    const T& back() const noexcept { return ptr[count - 1]; }
};

/// One interned node. Immutable once created; its arrays live in the same arena.
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
    const node* const* args_ = nullptr;
    const I* coeffs_ = nullptr; // nullptr, or nargs_ coefficients / exponents
    const char* name_ = nullptr;
    I value{};
    std::uint32_t hash32 = 0;
    std::uint32_t nargs_ = 0;
    std::uint32_t name_len_ = 0;
    std::uint32_t symbol_index = 0;
    node_kind kind = node_kind::constant;
    // The length of the node's printed text without enclosing parentheses, plus 1 (0: not yet
    // measured; see text_length()). Filled on first use: a node belongs to one thread, and its
    // text never changes.
    mutable std::uint16_t text_len_ = 0;

    array_view<const node*> args() const noexcept { return {args_, nargs_}; }
    array_view<I> coeffs() const noexcept { return {coeffs_, coeffs_ ? nargs_ : 0u}; }
    std::string_view name() const noexcept { return {name_, name_len_}; }
    std::size_t hash() const noexcept { return hash32; }
};

inline std::uint64_t hash_mix(std::uint64_t h, std::uint64_t v) noexcept {
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h;
}

template <Integer I>
std::uint64_t hash_integer(const I& v) {
    if constexpr (std::is_same_v<I, std::int64_t>) return static_cast<std::uint64_t>(v) * 0xff51afd7ed558ccdULL;
    else {
        if (v >= std::numeric_limits<std::int64_t>::min() && v <= std::numeric_limits<std::int64_t>::max())
            return static_cast<std::uint64_t>(static_cast<std::int64_t>(v)) * 0xff51afd7ed558ccdULL;
        return std::hash<std::string>{}(v.str());
    }
}

/// The per-thread store of interned nodes: a bump arena plus an open-addressing table of node
/// pointers. Nodes live as long as the thread. Hashes only pick table slots; nothing observable
/// depends on them.
template <Integer I>
class arena {
public:
    static arena& get() {
        thread_local arena a;
        return a;
    }

    /// The unique node with these fields (created on first request).
    const node<I>* intern(node_kind kind, const I& value, std::span<const node<I>* const> args,
                          std::span<const I> coeffs, std::string_view name = {}) {
        std::uint64_t h = hash_mix(static_cast<std::uint64_t>(kind) + 1, hash_integer(value));
        for (const node<I>* a : args) h = hash_mix(h, reinterpret_cast<std::uintptr_t>(a) >> 4);
        for (const I& c : coeffs) h = hash_mix(h, hash_integer(c));
        if (!name.empty()) h = hash_mix(h, std::hash<std::string_view>{}(name));
        // Final avalanche (murmur3 fmix64) so linear probing sees well-spread slots.
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdULL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53ULL;
        h ^= h >> 33;
        const std::uint32_t h32 = static_cast<std::uint32_t>(h);
        if ((count_ + 1) * 4 > slots_.size() * 3) grow();
        const std::size_t mask = slots_.size() - 1;
        const std::uintptr_t tag = h32 >> 28; // 4 hash bits kept in the pointer's alignment bits
        std::size_t i = h32 & mask;
        for (; slots_[i]; i = (i + 1) & mask) {
            if ((slots_[i] & 15) != tag) continue;
            const node<I>* n = reinterpret_cast<const node<I>*>(slots_[i] & ~std::uintptr_t(15));
            if (n->hash32 == h32 && n->kind == kind && n->nargs_ == args.size() && n->value == value &&
                n->name() == name && std::equal(args.begin(), args.end(), n->args_) &&
                (coeffs.empty() ? n->coeffs_ == nullptr : (n->coeffs_ && std::equal(coeffs.begin(), coeffs.end(), n->coeffs_))))
                return n;
        }
        node<I>* n = create(kind, value, args, coeffs, name, h32);
        slots_[i] = reinterpret_cast<std::uintptr_t>(n) | tag;
        ++count_;
        return n;
    }

    std::size_t size() const noexcept { return count_; }

    /// The symbol node named `name` (recently used names from a small direct-mapped table).
    const node<I>* symbol(std::string_view name) {
        std::uint64_t h = 0xcbf29ce484222325ULL;
        for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
        const node<I>*& slot = recent_symbols_[(h ^ (h >> 32)) & (recent_symbols_.size() - 1)];
        if (slot && slot->name() == name) return slot;
        slot = intern(node_kind::symbol, I(0), {}, {}, name);
        return slot;
    }

    /// Squares built from a sum, remembered so that range analysis can bound them as squares
    /// after expansion has hidden it: a node with these terms (the constant aside) is
    /// sign * (root^2 - offset) + its own constant.
    struct square_hint {
        const node<I>* square; // root * root as built (an add node)
        const node<I>* root;
        int sign;
    };
    static std::uint64_t terms_key(const node<I>* const* args, const I* coeffs, std::uint32_t n, int sign) {
        std::uint64_t h = 0x84222325cbf29ce4ULL + n;
        for (std::uint32_t i = 0; i < n; ++i) {
            h = hash_mix(h, reinterpret_cast<std::uintptr_t>(args[i]) >> 4);
            std::uint64_t hc;
            if constexpr (std::is_same_v<I, std::int64_t>) hc = sign == 1 ? hash_integer(coeffs[i]) : std::uint64_t(0) - hash_integer(coeffs[i]);
            else hc = hash_integer(I(coeffs[i] * sign));
            h = hash_mix(h, hc);
        }
        return h;
    }
    void note_square(const node<I>* square, const node<I>* root) {
        if (square->kind != node_kind::add || square->nargs_ == 0 || square_of(square)) return;
        for (int sign : {1, -1}) squares_.emplace(terms_key(square->args_, square->coeffs_, square->nargs_, sign), square_hint{square, root, sign});
    }
    /// The hint for add node n (nullptr if none).
    const square_hint* square_of(const node<I>* n) const {
        if (squares_.empty() || n->kind != node_kind::add) return nullptr;
        {
            // entries are keyed by the terms of the node they describe
            auto [it, end] = squares_.equal_range(terms_key(n->args_, n->coeffs_, n->nargs_, 1));
            for (; it != end; ++it) {
                const node<I>* q = it->second.square;
                const int sign = it->second.sign;
                if (q->nargs_ != n->nargs_ || !std::equal(n->args_, n->args_ + n->nargs_, q->args_)) continue;
                bool same = true;
                for (std::uint32_t i = 0; i < n->nargs_ && same; ++i) {
                    I t;
                    same = sign == 1 ? n->coeffs_[i] == q->coeffs_[i] : (try_add(n->coeffs_[i], q->coeffs_[i], t) && t == 0);
                }
                if (same) return &it->second;
            }
        }
        return nullptr;
    }

    /// The constant node of v (small values from a table, the rest interned).
    const node<I>* constant(const I& v) {
        if (v >= small_lo && v < small_hi) {
            const auto i = static_cast<std::size_t>(static_cast<std::int64_t>(v - small_lo));
            if (!small_[i]) small_[i] = intern(node_kind::constant, v, {}, {});
            return small_[i];
        }
        return intern(node_kind::constant, v, {}, {});
    }

    /// A memo of recent operations (op tag, operands) -> canonical result, so that rebuilding an
    /// expression the thread has built before costs a probe per operator. Two-way set
    /// associative: a set is two adjacent entries (one 64-byte line); a new entry goes first and
    /// pushes the older one second. Results are interned nodes (never freed), so a hit is always
    /// the right answer.
    struct memo_entry {
        const node<I>* a = nullptr;
        const node<I>* b = nullptr;
        const node<I>* r = nullptr;
        std::uint32_t op = 0;
    };
    /// The result remembered for (op, a, b), or nullptr.
    const node<I>* memo_find(std::uint32_t op, const node<I>* a, const node<I>* b) {
        const memo_entry* set = memo_set(op, a, b);
        if (set[0].op == op && set[0].a == a && set[0].b == b) return set[0].r;
        if (set[1].op == op && set[1].a == a && set[1].b == b) return set[1].r;
        return nullptr;
    }
    void memo_store(std::uint32_t op, const node<I>* a, const node<I>* b, const node<I>* r) {
        memo_entry* set = memo_set(op, a, b);
        set[1] = set[0];
        set[0] = {a, b, r, op};
    }
    /// Symbols in creation order.
    const std::vector<const node<I>*>& symbols() const noexcept { return symbols_; }

    const node<I>* zero() { return zero_; }
    const node<I>* one() { return one_; }
    const node<I>* true_node() { return true_; }
    const node<I>* false_node() { return false_; }

    arena(const arena&) = delete;
    arena& operator=(const arena&) = delete;
    ~arena() {
        if constexpr (!std::is_trivially_destructible_v<I>) {
            for (node<I>* n : owned_) {
                for (std::uint32_t i = 0; n->coeffs_ && i < n->nargs_; ++i) n->coeffs_[i].~I();
                n->~node();
            }
        }
    }

private:
    arena() : slots_(1024, 0) {
        zero_ = intern(node_kind::constant, I(0), {}, {});
        one_ = intern(node_kind::constant, I(1), {}, {});
        true_ = intern(node_kind::bool_const, I(1), {}, {});
        false_ = intern(node_kind::bool_const, I(0), {}, {});
    }

    void* allocate(std::size_t bytes) {
        bytes = (bytes + 15) & ~std::size_t(15);
        if (bytes > left_) {
            std::size_t size = std::max<std::size_t>(bytes, chunk_bytes);
            chunks_.emplace_back(new std::byte[size]);
            next_ = chunks_.back().get();
            left_ = size;
        }
        void* p = next_;
        if (reinterpret_cast<std::uintptr_t>(p) & 15) throw internal_error("arena memory is not 16-byte aligned");
        next_ += bytes;
        left_ -= bytes;
        return p;
    }

    node<I>* create(node_kind kind, const I& value, std::span<const node<I>* const> args, std::span<const I> coeffs,
                    std::string_view name, std::uint32_t h32) {
        std::size_t bytes = sizeof(node<I>) + args.size() * sizeof(node<I>*) + coeffs.size() * sizeof(I) + name.size();
        std::byte* mem = static_cast<std::byte*>(allocate(bytes));
        node<I>* n = new (mem) node<I>();
        std::byte* tail = mem + sizeof(node<I>);
        if (!coeffs.empty()) {
            I* c = reinterpret_cast<I*>(tail);
            for (std::size_t i = 0; i < coeffs.size(); ++i) new (c + i) I(coeffs[i]);
            n->coeffs_ = c;
            tail += coeffs.size() * sizeof(I);
        }
        if (!args.empty()) {
            const node<I>** a = reinterpret_cast<const node<I>**>(tail);
            std::copy(args.begin(), args.end(), a);
            n->args_ = a;
            tail += args.size() * sizeof(node<I>*);
        }
        if (!name.empty()) {
            char* s = reinterpret_cast<char*>(tail);
            std::copy(name.begin(), name.end(), s);
            n->name_ = s;
        }
        n->value = value;
        n->hash32 = h32;
        n->nargs_ = static_cast<std::uint32_t>(args.size());
        n->name_len_ = static_cast<std::uint32_t>(name.size());
        n->kind = kind;
        if (kind == node_kind::symbol) {
            n->symbol_index = static_cast<std::uint32_t>(symbols_.size());
            symbols_.push_back(n);
        }
        if constexpr (!std::is_trivially_destructible_v<I>) owned_.push_back(n);
        return n;
    }

    void grow() {
        std::vector<std::uintptr_t> old(slots_.size() * 2, 0);
        old.swap(slots_);
        std::size_t mask = slots_.size() - 1;
        for (std::uintptr_t s : old) {
            if (!s) continue;
            std::size_t i = reinterpret_cast<const node<I>*>(s & ~std::uintptr_t(15))->hash32 & mask;
            while (slots_[i]) i = (i + 1) & mask;
            slots_[i] = s;
        }
    }

    static constexpr std::size_t chunk_bytes = 1 << 20;
    static constexpr std::size_t memo_sets = std::size_t(1) << 14; // 2 x 16384 entries, 1 MiB
    struct alignas(64) memo_line {
        memo_entry e[2];
    };
    std::unique_ptr<memo_line[]> memo_;
    memo_entry* memo_set(std::uint32_t op, const node<I>* a, const node<I>* b) {
        if (!memo_) memo_.reset(new memo_line[memo_sets]);
        std::uint64_t h = (reinterpret_cast<std::uintptr_t>(a) >> 4) * 0x9e3779b97f4a7c15ULL;
        h ^= (reinterpret_cast<std::uintptr_t>(b) >> 4) + op * 0xc2b2ae3d27d4eb4fULL + (h >> 29);
        h *= 0xbf58476d1ce4e5b9ULL;
        return memo_[(h >> 40) & (memo_sets - 1)].e;
    }
    static constexpr int small_lo = -256, small_hi = 4096;
    std::array<const node<I>*, small_hi - small_lo> small_{};
    std::array<const node<I>*, 256> recent_symbols_{};
    std::unordered_multimap<std::uint64_t, square_hint> squares_;
    std::vector<std::unique_ptr<std::byte[]>> chunks_;
    std::byte* next_ = nullptr;
    std::size_t left_ = 0;
    std::vector<std::uintptr_t> slots_; // node pointer | 4-bit hash tag; 0 = empty
    std::size_t count_ = 0;
    std::vector<const node<I>*> symbols_;
    std::vector<node<I>*> owned_; // nodes whose I members need destruction (big_int only)
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
    if (a->kind == node_kind::symbol) return natural_compare(a->name(), b->name());
    if (a->value != b->value && (a->kind == node_kind::constant || a->kind == node_kind::bool_const))
        return a->value < b->value ? -1 : 1;
    std::size_t n = std::min(a->nargs_, b->nargs_);
    for (std::size_t i = 0; i < n; ++i)
        if (int c = compare(a->args_[i], b->args_[i]); c != 0) return c;
    if (a->nargs_ != b->nargs_) return a->nargs_ < b->nargs_ ? -1 : 1;
    if ((a->coeffs_ == nullptr) != (b->coeffs_ == nullptr)) return a->coeffs_ == nullptr ? -1 : 1;
    for (std::size_t i = 0; a->coeffs_ && i < a->nargs_; ++i)
        if (a->coeffs_[i] != b->coeffs_[i]) return a->coeffs_[i] < b->coeffs_[i] ? -1 : 1;
    if (a->value != b->value) return a->value < b->value ? -1 : 1;
    return 0; // unreachable for distinct interned nodes
}

template <Integer I>
struct node_less {
    bool operator()(const node<I>* a, const node<I>* b) const { return compare(a, b) < 0; }
};

} // namespace detail
} // namespace symshape
