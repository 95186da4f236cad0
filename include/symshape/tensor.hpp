// symshape/tensor.hpp — umbrella header of the tensor runtime: sym_int, dtypes, tensors, the op
// table and every eager op.
#pragma once
#include "symshape/tensor/sym_int.hpp"
#include "symshape/tensor/dtype.hpp"
#include "symshape/tensor/core.hpp"
#include "symshape/tensor/call.hpp"
#include "symshape/tensor/op_table.hpp"
#include "symshape/tensor/ops.hpp"
#include "symshape/tensor/custom_op.hpp"
