// libsymshape: the tensor layer's definitions (compiled once; see symshape/config.hpp).
#include "symshape/tensor.hpp"
#include "symshape/tensor/impl/core.hpp"
#include "symshape/tensor/impl/custom_op.hpp"
#include "symshape/tensor/impl/kernels.hpp"
#include "symshape/tensor/impl/op_table.hpp"
#include "symshape/tensor/impl/ops.hpp"
#include "symshape/tensor/impl/sym_int.hpp"
