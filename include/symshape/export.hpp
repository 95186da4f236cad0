// symshape/export.hpp — umbrella header of the export layer: module, export_program,
// exported_program and assume_constant_result.
#pragma once
#include "symshape/export/module.hpp"
#include "symshape/export/export.hpp"
