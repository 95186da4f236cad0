// libsymshape: saving and loading exported programs (the only file of the library that uses
// nlohmann-json; compiled once; see symshape/config.hpp).
#include "symshape/io/serialize.hpp"
#include "symshape/io/impl/serialize.hpp"
