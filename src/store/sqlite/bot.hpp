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

[[nodiscard]] Result<std::int64_t> abandon_idle_bot_sessions(Connection& c, Timestamp idle_before);

// Live chats (migration 22); the event is inserted in the same savepoint.
[[nodiscard]] Result<void> insert_live_chat(Connection& c, const LiveChat& chat, const Event& event);
[[nodiscard]] Result<void> update_live_chat(Connection& c, const LiveChat& chat,
                                            LiveChatStatus expected, const Event& event);
[[nodiscard]] Result<LiveChat> load_live_chat(Connection& c, TicketId ticket);
[[nodiscard]] Result<std::vector<LiveChat>> load_open_live_chats(Connection& c);

}  // namespace fl::sqlite
