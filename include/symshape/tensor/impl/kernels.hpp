// symshape/tensor/impl/kernels.hpp — internals of the op table: the shape rule and the eager
// kernel of every op in SYMSHAPE_OPS and SYMSHAPE_MULTI_OPS, one file per family under kernels/.
// Shape rules decide through sym_int comparisons (detail::decide); kernels work on hints. Not for
// direct use: call the ops in tensor/ops.hpp.
#pragma once

#include "symshape/tensor/impl/kernels/common.hpp"
#include "symshape/tensor/impl/kernels/creation.hpp"
#include "symshape/tensor/impl/kernels/views.hpp"
#include "symshape/tensor/impl/kernels/elementwise.hpp"
#include "symshape/tensor/impl/kernels/reduce.hpp"
#include "symshape/tensor/impl/kernels/linalg.hpp"
#include "symshape/tensor/impl/kernels/normalize.hpp"
#include "symshape/tensor/impl/kernels/joining.hpp"
#include "symshape/tensor/impl/kernels/data_dependent.hpp"
#include "symshape/tensor/impl/kernels/indexing.hpp"
#include "symshape/tensor/impl/kernels/conv.hpp"
#include "symshape/tensor/impl/kernels/attention.hpp"
