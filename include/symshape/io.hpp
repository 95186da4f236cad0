// symshape/io.hpp — umbrella header of the io layer: printing exported programs in the seed's layout
// and as Graphviz pictures. (Saving and loading is symshape/io/serialize.hpp, included on its own:
// it is the one part of symshape that uses nlohmann-json.)
#pragma once
#include "symshape/io/printer.hpp"
#include "symshape/io/dot.hpp"
