// symshape/config.hpp — the compile mode. Header-only by default: every header carries its
// definitions. Define SYMSHAPE_COMPILED (the `symshape_compiled` Meson dependency, the
// `symshape::compiled` CMake target and the `symshape-compiled` pkg-config module do) to see
// declarations only and link libsymshape, which holds the definitions once. Use one mode in a
// whole program.
#pragma once

#if defined(SYMSHAPE_COMPILED)
#define SYMSHAPE_HEADER_ONLY 0
#else
#define SYMSHAPE_HEADER_ONLY 1
#endif

// Marks the definition of a non-template function declared in a public header: `inline` in
// header-only mode (defined in every file that includes it), nothing in libsymshape.
#if SYMSHAPE_HEADER_ONLY
#define SYMSHAPE_INLINE inline
#else
#define SYMSHAPE_INLINE
#endif
