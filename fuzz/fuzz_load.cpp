// libFuzzer target: symshape::load_string on arbitrary bytes. Every input must either load (and
// then print and save without error) or throw load_error; any other exception, a crash or a
// sanitizer report is a finding. Built by fuzz/run.sh.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "symshape/io.hpp"
#include "symshape/io/serialize.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        symshape::exported_program ep = symshape::load_string(text);
        (void)symshape::to_string(ep);
        (void)symshape::save_string(ep);
    } catch (const symshape::load_error&) {
    }
    return 0;
}
