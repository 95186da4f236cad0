// symshape/error.hpp — the one exception hierarchy every layer throws from.
// All errors derive from symshape::error (a std::runtime_error); pick the most specific one.
#pragma once

#include <stdexcept>
#include <string>

namespace symshape {

/// Base of every exception symshape throws.
class error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The caller broke a documented precondition (bad argument, bad dim, bad dtype, ...).
class usage_error : public error {
public:
    using error::error;
};

/// An int64 operation would have wrapped; names the operation and its operands.
class overflow_error : public error {
public:
    using error::error;
};

/// A division or modulo by zero (evaluation, constant folding, or a divisor that is zero).
class division_by_zero : public error {
public:
    using error::error;
};

/// Text could not be parsed; carries the 1-based line and column.
class parse_error : public error {
public:
    parse_error(const std::string& msg, int line, int column)
        : error("parse error at line " + std::to_string(line) + ", column " + std::to_string(column) +
                ": " + msg),
          line_(line), column_(column) {}
    int line() const noexcept { return line_; }
    int column() const noexcept { return column_; }

private:
    int line_;
    int column_;
};

/// A fact contradicts the facts already known (e.g. x >= 5 after x <= 3).
class contradiction_error : public error {
public:
    using error::error;
};

/// Two shapes do not fit together; the message shows both.
class shape_error : public error {
public:
    using error::error;
};

/// A decision on data-dependent (unbacked) symbols that ranges and facts cannot settle.
class data_dependent_error : public error {
public:
    using error::error;
};

/// A user's declared dynamic range admits values the program cannot handle.
class constraint_violation : public error {
public:
    using error::error;
};

/// A re-run of an exported program got inputs that break the program's checks.
class input_error : public error {
public:
    using error::error;
};

/// A saved program could not be loaded: not JSON, a newer major version, a wrong type, a
/// reference to an undefined value, an unknown op, a bad expression, tensor data of the wrong
/// length, ... The message names the place in the file (a JSON path such as
/// `$.graph_module.graph.nodes[3].target`) and what is wrong.
class load_error : public error {
public:
    using error::error;
};

/// A runtime assertion failed: check(cond) / constrain_as_value / constrain_as_size, in eager
/// code, on the example inputs during export, or on new inputs when an exported program runs.
class assertion_error : public error {
public:
    using error::error;
};

/// A bug in symshape itself. Please report it with the message.
class internal_error : public error {
public:
    explicit internal_error(const std::string& msg)
        : error("internal error (a bug in symshape, please report it): " + msg) {}
};

} // namespace symshape
