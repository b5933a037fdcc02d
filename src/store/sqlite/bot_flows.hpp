// The chatbot's flow catalog: one row per flow (bot_flows) and every version stored
// (bot_flow_versions). Writes run on the writer connection inside their savepoint (see
// mutations.hpp); reads on a borrowed read connection. The JSON is kept as given, unread.
#pragma once

#include <string_view>
#include <vector>

#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace fl::sqlite {

// See Store::seed_bot_flow.
[[nodiscard]] Result<BotFlowRecord> seed_bot_flow(Connection& c, std::string_view id,
                                                  std::string_view shipped, Timestamp now);
// See Store::save_bot_flow.
[[nodiscard]] Result<BotFlowRecord> save_bot_flow(Connection& c, const BotFlowRecord& flow,
                                                  const Event& event);
[[nodiscard]] Result<BotFlowRecord> load_bot_flow(Connection& c, std::string_view id);
[[nodiscard]] Result<std::vector<BotFlowRecord>> load_bot_flows(Connection& c);
[[nodiscard]] Result<std::vector<BotFlowVersion>> load_bot_flow_versions(Connection& c,
                                                                         std::string_view id);

}  // namespace fl::sqlite
