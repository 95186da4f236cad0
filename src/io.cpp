// libsymshape: the io layer's definitions (compiled once; see symshape/config.hpp).
#include "symshape/io.hpp"
#include "symshape/io/impl/printer.hpp"
#include "symshape/io/impl/dot.hpp"
