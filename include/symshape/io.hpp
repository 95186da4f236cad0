// symshape/io.hpp — umbrella header of the io layer: printing exported programs in the seed's layout.
#pragma once
#include "symshape/io/printer.hpp"
