// The flows Firstline ships: src/bot/flows/*.json, compiled into fl_bot at build time. Each is
// a document for parse_flow(); the list's order is the files' order in src/bot/CMakeLists.txt.
#pragma once

#include <string_view>
#include <vector>

namespace fl::bot {

[[nodiscard]] std::vector<std::string_view> shipped_flows();

}  // namespace fl::bot
