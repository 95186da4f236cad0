// The doctest main shared by every test binary; test cases live in test_<layer>.cpp.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
