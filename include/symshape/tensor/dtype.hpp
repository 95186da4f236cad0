// symshape/tensor/dtype.hpp — element types (f32, f64, i64, i32, b8), their names and sizes,
// PyTorch-style type promotion, and a dispatcher from a runtime dtype to a C++ type.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "symshape/error.hpp"

namespace symshape {

/// Element type of a tensor. Printed as in the seeds: `f32`, `f64`, `i64`, `i32`, `b8`.
enum class dtype : std::uint8_t { b8, i32, i64, f32, f64 };

/// Number of dtypes.
inline constexpr int dtype_count = 5;

/// Short name as printed in graph types (`f32`).
constexpr const char* short_name(dtype t) noexcept {
    switch (t) {
    case dtype::b8: return "b8";
    case dtype::i32: return "i32";
    case dtype::i64: return "i64";
    case dtype::f32: return "f32";
    case dtype::f64: return "f64";
    }
    return "?";
}

/// Name as printed in node arguments (`torch.float32`).
constexpr const char* torch_name(dtype t) noexcept {
    switch (t) {
    case dtype::b8: return "torch.bool";
    case dtype::i32: return "torch.int32";
    case dtype::i64: return "torch.int64";
    case dtype::f32: return "torch.float32";
    case dtype::f64: return "torch.float64";
    }
    return "?";
}

/// Size of one element in bytes.
constexpr std::size_t element_size(dtype t) noexcept {
    switch (t) {
    case dtype::b8: return 1;
    case dtype::i32: return 4;
    case dtype::i64: return 8;
    case dtype::f32: return 4;
    case dtype::f64: return 8;
    }
    return 1;
}

/// True for f32 and f64.
constexpr bool is_floating(dtype t) noexcept { return t == dtype::f32 || t == dtype::f64; }
/// True for i32 and i64 (not bool).
constexpr bool is_integral(dtype t) noexcept { return t == dtype::i32 || t == dtype::i64; }

inline std::ostream& operator<<(std::ostream& os, dtype t) { return os << short_name(t); }

/// The C++ type of a dtype's elements.
template <dtype T> struct dtype_traits;
template <> struct dtype_traits<dtype::b8> { using type = bool; };
template <> struct dtype_traits<dtype::i32> { using type = std::int32_t; };
template <> struct dtype_traits<dtype::i64> { using type = std::int64_t; };
template <> struct dtype_traits<dtype::f32> { using type = float; };
template <> struct dtype_traits<dtype::f64> { using type = double; };

/// The dtype of a C++ element type.
template <class T> constexpr dtype dtype_of() noexcept {
    if constexpr (std::is_same_v<T, bool>) return dtype::b8;
    else if constexpr (std::is_same_v<T, std::int32_t>) return dtype::i32;
    else if constexpr (std::is_same_v<T, std::int64_t>) return dtype::i64;
    else if constexpr (std::is_same_v<T, float>) return dtype::f32;
    else {
        static_assert(std::is_same_v<T, double>, "unsupported element type");
        return dtype::f64;
    }
}

/// The promoted type of two operands of the same standing (both tensors with dims, or both
/// zero-dim): the larger of the two in the order b8 < i32 < i64 < f32 < f64.
constexpr dtype promote(dtype a, dtype b) noexcept { return a < b ? b : a; }

namespace detail {
enum class category : std::uint8_t { boolean, integral, floating };
constexpr category category_of(dtype t) noexcept {
    return t == dtype::b8 ? category::boolean : is_floating(t) ? category::floating : category::integral;
}

/// Call `f.template operator()<T>()` with T the C++ type of `t`.
template <class F> decltype(auto) dispatch(dtype t, F&& f) {
    switch (t) {
    case dtype::b8: return f.template operator()<bool>();
    case dtype::i32: return f.template operator()<std::int32_t>();
    case dtype::i64: return f.template operator()<std::int64_t>();
    case dtype::f32: return f.template operator()<float>();
    case dtype::f64: return f.template operator()<double>();
    }
    throw internal_error("dispatch on an invalid dtype");
}
} // namespace detail

/// PyTorch's result type of a binary op between two tensors: a zero-dim tensor only raises the
/// result to a higher category (bool < integral < floating), never within one.
constexpr dtype result_type(dtype a, bool a_zero_dim, dtype b, bool b_zero_dim) noexcept {
    if (a_zero_dim == b_zero_dim) return promote(a, b);
    dtype dimmed = a_zero_dim ? b : a, zero = a_zero_dim ? a : b;
    return detail::category_of(zero) > detail::category_of(dimmed) ? zero : dimmed;
}

} // namespace symshape
