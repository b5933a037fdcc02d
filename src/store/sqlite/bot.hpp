// Chatbot conversation rows (migration 20): sessions with their dialogue state, and the turns.
#pragma once

#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace fl::sqlite {

[[nodiscard]] Result<void> insert_bot_session(Connection& c, const BotSession& session,
                                              const std::vector<BotTurn>& turns);
[[nodiscard]] Result<void> update_bot_session(Connection& c, const BotSession& session,
                                              const std::vector<BotTurn>& turns);
[[nodiscard]] Result<BotSession> load_bot_session(Connection& c, std::string_view id);
[[nodiscard]] Result<std::vector<BotTurn>> load_bot_turns(Connection& c, std::string_view session);
[[nodiscard]] Result<std::int64_t> count_bot_sessions(Connection& c, std::string_view client_key,
                                                      Timestamp since);
[[nodiscard]] Result<std::int64_t> count_bot_user_turns(Connection& c, std::string_view session,
                                                        Timestamp since);

}  // namespace fl::sqlite
