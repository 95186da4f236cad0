// symshape/io/serialize.hpp — exported programs as files: save() writes one JSON document shaped
// after torch.export's serialized schema (graph_module.graph.nodes with ATen targets, sizes as
// `as_int` / `as_expr{expr_str, hint}`, range_constraints with null for infinite ends,
// schema_version{major, minor}), plus symshape's dims, bindings, guards and state (tensor bytes,
// little-endian, base64). load() reads it back into the same program, or throws load_error
// naming the JSON path and what is wrong. Only this header (in header-only mode, its
// implementation) uses nlohmann-json; nothing else in symshape includes it.
#pragma once

#include "symshape/config.hpp"

#include <iosfwd>
#include <string>
#include <string_view>

#include "symshape/export/export.hpp"

namespace symshape {

/// The schema version written by save(). A minor version may add optional fields (older readers
/// of the same major ignore them); anything else — a field removed, renamed or given a new
/// meaning — makes a new major version. load() reads every version of its major up to its own
/// minor and beyond (ignoring unknown fields), and refuses other majors with load_error.
inline constexpr int schema_major = 1;
inline constexpr int schema_minor = 0;

/// The program as JSON text (deterministic: the same program gives the same bytes).
std::string save_string(const exported_program& ep);
/// Writes save_string(ep) to `os`.
void save(const exported_program& ep, std::ostream& os);
/// Writes the program to the file at `path` (usage_error when it cannot be written).
void save(const exported_program& ep, const std::string& path);

/// Reads a program from JSON text. Throws load_error (with the JSON path of the fault) for
/// anything that is not a program this version can run exactly. Ops registered by users are
/// looked up by name (register them before loading).
exported_program load_string(std::string_view text);
/// Reads a program from a stream.
exported_program load(std::istream& is);
/// Reads a program from the file at `path` (load_error when it cannot be read).
exported_program load(const std::string& path);

} // namespace symshape

#if SYMSHAPE_HEADER_ONLY
#include "symshape/io/impl/serialize.hpp"
#endif
