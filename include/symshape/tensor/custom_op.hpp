// symshape/tensor/custom_op.hpp — ops defined by users without editing symshape (torch.library's
// `register_fake` plus a kernel, for C++): a name, an argument schema, a shape rule written with
// sym_int / sym_bool, and an eager kernel. A registered op runs eagerly, traces as one node printed
// `torch.ops.<ns>.<name>.default(...)`, re-runs in exported programs, and is named in errors.
#pragma once

#include "symshape/config.hpp"

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "symshape/tensor/op_table.hpp"

namespace symshape {

/// What a parameter of a user op accepts.
enum class param_kind : std::uint8_t {
    tensor,          ///< a tensor
    optional_tensor, ///< a tensor or None (an undefined tensor)
    integer,         ///< an integer, possibly symbolic (a size)
    real,            ///< a floating-point number
    boolean,         ///< a bool
    ints,            ///< a list of integers, possibly symbolic
};

/// One parameter of a user op's schema.
struct op_param {
    std::string name;
    param_kind kind = param_kind::tensor;
};

/// The arguments of one call of a user op, as its shape rule and kernel see them (in schema order).
class op_args {
public:
    explicit op_args(const call& c) noexcept : c_(c) {}
    /// Number of arguments.
    int size() const noexcept { return c_.n; }
    /// Tensor argument `k` (undefined for an absent optional tensor).
    const tensor& tensor_at(int k) const;
    /// True when optional tensor argument `k` was given.
    bool has_tensor(int k) const noexcept { return c_.given(k) && c_.a[k].kind == arg_kind::tensor; }
    /// Integer argument `k` (symbolic during export when it came from a size).
    sym_int int_at(int k) const;
    /// Floating-point argument `k`.
    double real_at(int k) const;
    /// Bool argument `k`.
    bool bool_at(int k) const;
    /// Integer-list argument `k`.
    std::span<const sym_int> ints_at(int k) const;

private:
    const arg& checked(int k, arg_kind want, const char* what) const;
    const call& c_;
};

/// What a shape rule returns: the result's dtype and sizes.
struct tensor_meta {
    dtype dt = dtype::f32;
    shape_vec sizes;
};

/// Everything that defines a user op.
struct op_definition {
    std::string ns;                 ///< namespace, an identifier (`mylib`)
    std::string name;               ///< name, an identifier (`pad_to_multiple`)
    std::vector<op_param> params;   ///< the arguments, in order
    /// The result's dtype and sizes from the arguments. Ask shape questions through sym_int /
    /// sym_bool (comparisons, check()); during export they become guards, violations or runtime
    /// assertions like those of built-in ops. A data-dependent size may be created with
    /// new_unbacked_size().
    std::function<tensor_meta(const op_args&)> shape_rule;
    /// Fills `out` (fresh, contiguous, with the rule's dtype and sizes).
    std::function<void(const op_args&, tensor& out)> kernel;
};

/// One argument of a call of a user op: a tensor, a number, a bool, a list of sizes, or None.
class op_value {
public:
    op_value(const tensor& t) noexcept : kind_(arg_kind::tensor), t_(&t) {} // NOLINT: implicit by design
    op_value(std::nullopt_t) noexcept : kind_(arg_kind::none) {}         // NOLINT
    template <class I>
        requires(std::is_integral_v<I> && !std::is_same_v<I, bool>)
    op_value(I v) noexcept : kind_(arg_kind::integer), i_(static_cast<std::int64_t>(v)) {} // NOLINT
    op_value(sym_int v) noexcept : kind_(arg_kind::integer), i_(v) {}    // NOLINT
    op_value(double v) noexcept : kind_(arg_kind::real), d_(v) {}        // NOLINT
    op_value(bool v) noexcept : kind_(arg_kind::boolean), b_(v) {}       // NOLINT
    op_value(const shape_vec& v) noexcept : kind_(arg_kind::ints), l_(&v) {} // NOLINT

private:
    friend class custom_op;
    arg_kind kind_;
    const tensor* t_ = nullptr;
    sym_int i_;
    double d_ = 0;
    bool b_ = false;
    const shape_vec* l_ = nullptr;
};

/// A registered user op: call it like a function.
class custom_op {
public:
    /// Runs the op on `args` (checked against the schema: usage_error naming the op and the
    /// parameter on a wrong count or kind).
    tensor operator()(std::initializer_list<op_value> args) const;
    /// `ns::name`.
    std::string qualified_name() const;
    /// The registry's id of the op.
    std::uint16_t id() const noexcept { return id_; }

private:
    friend custom_op register_op(op_definition def);
    friend std::optional<custom_op> find_op(std::string_view qualified_name);
    explicit custom_op(std::uint16_t id) noexcept : id_(id) {}
    std::uint16_t id_;
};

/// Registers an op for the life of the process. Throws usage_error when a name is not an
/// identifier, the name is taken, the rule or kernel is missing, or 65,535 ops exist.
/// Register before exporting or running programs that use it (registration is thread-safe).
custom_op register_op(op_definition def);

/// The op registered as `ns::name`, or nothing.
std::optional<custom_op> find_op(std::string_view qualified_name);

/// A fresh size whose value the data decides (during export an unbacked symbol u0, u1, ... in
/// [min, max], max optional; eagerly just `value`). For shape rules of user ops whose result size
/// depends on the data, like nonzero's. `why` appears in errors about the symbol.
sym_int new_unbacked_size(std::int64_t value, std::int64_t min, std::optional<std::int64_t> max, const std::string& why);

} // namespace symshape

#if SYMSHAPE_HEADER_ONLY
#include "symshape/tensor/impl/custom_op.hpp"
#endif
