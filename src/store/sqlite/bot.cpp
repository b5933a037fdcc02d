// Chatbot conversation rows: see bot.hpp. A session and the turns of one answer are written in
// one savepoint of the writer, so an acknowledged answer is there in full after a crash.
#include "store/sqlite/bot.hpp"

#include <spdlog/fmt/fmt.h>

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

}  // namespace fl::sqlite
