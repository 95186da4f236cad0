// libsymshape: the export layer's definitions (compiled once; see symshape/config.hpp).
#include "symshape/export.hpp"
#include "symshape/export/impl/export.hpp"
