// Chatbot conversation rows: see bot.hpp. A session and the turns of one answer are written in
// one savepoint of the writer, so an acknowledged answer is there in full after a crash.
#include "store/sqlite/bot.hpp"

#include <spdlog/fmt/fmt.h>

#include "store/sqlite/mutations.hpp"
#include "store/sqlite/records.hpp"

namespace fl::sqlite {

namespace {

constexpr std::string_view kSessionColumns =
    "id, user_id, language, status, state, ticket_id, deflection_session, client_key, "
    "created_at, updated_at";

Result<BotSession> session_from_row(const Statement& row) {
  auto status = enum_at<BotSessionStatus>(row, 3, "bot session status");
  if (!status) return error_of(status);
  BotSession s;
  s.id = row.text_at(0);
  s.user = row.optional_int64_at(1);
  s.language = row.text_at(2);
  s.status = *status;
  s.state = row.text_at(4);
  s.ticket = row.optional_int64_at(5);
  s.deflection_session = row.text_at(6);
  s.client_key = row.text_at(7);
  s.created_at = row.time_at(8);
  s.updated_at = row.time_at(9);
  return s;
}

Result<void> append_turns(Connection& c, const BotSession& session,
                          const std::vector<BotTurn>& turns) {
  for (const auto& t : turns) {
    auto insert = c.prepare(
        "INSERT INTO bot_turns (session_id, seq, at, who, text, payload) VALUES (?, ?, ?, ?, ?, "
        "?)");
    if (!insert) return error_of(insert);
    insert->bind_all(session.id, t.seq, t.at, name_of(t.who), t.text, t.payload);
    if (auto r = insert->run(); !r) {
      if (is_unique_clash(r.error(), "bot_turns.session_id"))
        return fail(ErrorCode::conflict,
                    fmt::format("turn {} of bot session is taken (answered meanwhile)", t.seq));
      return r;
    }
  }
  return {};
}

}  // namespace

Result<void> insert_bot_session(Connection& c, const BotSession& s,
                                const std::vector<BotTurn>& turns) {
  auto insert = c.prepare(
      "INSERT INTO bot_sessions (id, user_id, language, status, state, ticket_id, "
      "deflection_session, client_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?)");
  if (!insert) return error_of(insert);
  insert->bind_all(s.id, s.user, s.language, name_of(s.status), s.state, s.ticket,
                   s.deflection_session, s.client_key, s.created_at, s.updated_at);
  if (auto r = insert->run(); !r) {
    if (is_unique_clash(r.error(), "bot_sessions.id"))
      return fail(ErrorCode::conflict, "bot session id is taken");
    if (is_missing_reference(r.error()))
      return fail(ErrorCode::invalid_argument, "bot session names an unknown user or ticket");
    return r;
  }
  return append_turns(c, s, turns);
}

Result<void> update_bot_session(Connection& c, const BotSession& s,
                                const std::vector<BotTurn>& turns) {
  auto update = c.prepare(
      "UPDATE bot_sessions SET language = ?, status = ?, state = ?, ticket_id = ?, "
      "deflection_session = ?, updated_at = ? WHERE id = ?");
  if (!update) return error_of(update);
  update->bind_all(s.language, name_of(s.status), s.state, s.ticket, s.deflection_session,
                   s.updated_at, s.id);
  if (auto r = update->run(); !r) {
    if (is_missing_reference(r.error()))
      return fail(ErrorCode::invalid_argument, "bot session names an unknown ticket");
    return r;
  }
  if (c.changes() == 0) return fail(ErrorCode::not_found, "bot session not found");
  return append_turns(c, s, turns);
}

Result<BotSession> load_bot_session(Connection& c, std::string_view id) {
  static const std::string sql =
      fmt::format("SELECT {} FROM bot_sessions WHERE id = ?", kSessionColumns);
  return one<BotSession>(c, sql, id, session_from_row, "bot session");
}

Result<std::vector<BotTurn>> load_bot_turns(Connection& c, std::string_view session) {
  if (auto s = load_bot_session(c, session); !s) return error_of(s);
  auto statement = c.prepare(
      "SELECT session_id, seq, at, who, text, payload FROM bot_turns WHERE session_id = ? "
      "ORDER BY seq");
  if (!statement) return error_of(statement);
  statement->bind(session);
  return collect<BotTurn>(*statement, [](const Statement& row) -> Result<BotTurn> {
    auto who = enum_at<BotSpeaker>(row, 3, "bot turn speaker");
    if (!who) return error_of(who);
    return BotTurn{row.text_at(0), row.int_at(1),  row.time_at(2),
                   *who,           row.text_at(4), row.text_at(5)};
  });
}

Result<std::int64_t> count_bot_sessions(Connection& c, std::string_view client_key,
                                        Timestamp since) {
  auto statement =
      c.prepare("SELECT count(*) FROM bot_sessions WHERE client_key = ? AND created_at >= ?");
  if (!statement) return error_of(statement);
  statement->bind_all(client_key, since);
  auto row = statement->step();
  if (!row) return error_of(row);
  return statement->int64_at(0);
}

Result<std::int64_t> count_bot_user_turns(Connection& c, std::string_view session,
                                          Timestamp since) {
  auto statement =
      c.prepare("SELECT count(*) FROM bot_turns WHERE session_id = ? AND who = 'user' AND at >= ?");
  if (!statement) return error_of(statement);
  statement->bind_all(session, since);
  auto row = statement->step();
  if (!row) return error_of(row);
  return statement->int64_at(0);
}

Result<std::int64_t> abandon_idle_bot_sessions(Connection& c, Timestamp idle_before) {
  auto update =
      c.prepare("UPDATE bot_sessions SET status = 'abandoned' WHERE status = 'open' AND updated_at < ?");
  if (!update) return error_of(update);
  update->bind(idle_before);
  if (auto r = update->run(); !r) return error_of(r);
  return static_cast<std::int64_t>(c.changes());
}

namespace {

constexpr std::string_view kChatColumns =
    "session_id, ticket_id, status, agent_id, language, ended_by, requested_at, accepted_at, "
    "ended_at";

Result<LiveChat> chat_from_row(const Statement& row) {
  auto status = enum_at<LiveChatStatus>(row, 2, "live chat status");
  if (!status) return error_of(status);
  LiveChat chat;
  chat.session = row.text_at(0);
  chat.ticket = row.int64_at(1);
  chat.status = *status;
  chat.agent = row.optional_int64_at(3);
  chat.language = row.text_at(4);
  chat.ended_by = row.text_at(5);
  chat.requested_at = row.time_at(6);
  chat.accepted_at = row.optional_time_at(7);
  chat.ended_at = row.optional_time_at(8);
  return chat;
}

}  // namespace

Result<void> insert_live_chat(Connection& c, const LiveChat& chat, const Event& event) {
  auto insert = c.prepare(
      "INSERT INTO live_chats (session_id, ticket_id, status, agent_id, language, ended_by, "
      "requested_at, accepted_at, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return error_of(insert);
  insert->bind_all(chat.session, chat.ticket, name_of(chat.status), chat.agent, chat.language,
                   chat.ended_by, chat.requested_at, chat.accepted_at, chat.ended_at);
  if (auto r = insert->run(); !r) {
    if (r.error().code == ErrorCode::conflict)
      return fail(ErrorCode::conflict, "this ticket has a live chat already");
    if (is_missing_reference(r.error()))
      return fail(ErrorCode::invalid_argument, "live chat names an unknown session or ticket");
    return r;
  }
  if (auto stored = insert_event(c, event); !stored) return error_of(stored);
  return {};
}

Result<void> update_live_chat(Connection& c, const LiveChat& chat, LiveChatStatus expected,
                              const Event& event) {
  auto update = c.prepare(
      "UPDATE live_chats SET status = ?, agent_id = ?, ended_by = ?, accepted_at = ?, "
      "ended_at = ? WHERE session_id = ? AND status = ?");
  if (!update) return error_of(update);
  update->bind_all(name_of(chat.status), chat.agent, chat.ended_by, chat.accepted_at,
                   chat.ended_at, chat.session, name_of(expected));
  if (auto r = update->run(); !r) {
    if (is_missing_reference(r.error()))
      return fail(ErrorCode::invalid_argument, "live chat names an unknown agent");
    return r;
  }
  if (c.changes() == 0)
    return fail(ErrorCode::conflict, "the live chat was taken or ended meanwhile");
  if (auto stored = insert_event(c, event); !stored) return error_of(stored);
  return {};
}

Result<LiveChat> load_live_chat(Connection& c, TicketId ticket) {
  static const std::string sql = fmt::format(
      "SELECT {} FROM live_chats WHERE ticket_id = ? ORDER BY requested_at DESC, rowid DESC "
      "LIMIT 1",
      kChatColumns);
  return one<LiveChat>(c, sql, ticket, chat_from_row, "live chat");
}

Result<std::vector<LiveChat>> load_open_live_chats(Connection& c) {
  static const std::string sql = fmt::format(
      "SELECT {} FROM live_chats WHERE status != 'ended' ORDER BY requested_at, rowid",
      kChatColumns);
  auto statement = c.prepare(sql);
  if (!statement) return error_of(statement);
  return collect<LiveChat>(*statement, chat_from_row);
}

}  // namespace fl::sqlite
