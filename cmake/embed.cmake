# Turns a text file into a C++ source defining `std::string_view NAME()` (script mode:
# cmake -DINPUT=... -DOUTPUT=... -DNAME=... -P embed.cmake). Hex bytes, so any content is safe.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" len)
math(EXPR size "${len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE "${OUTPUT}.tmp" "// Generated from ${INPUT}; do not edit.\n#include <string_view>\nnamespace fl {\nnamespace { const unsigned char kData[] = {${bytes} 0}; }\nstd::string_view ${NAME}() { return {reinterpret_cast<const char*>(kData), ${size}}; }\n}\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
