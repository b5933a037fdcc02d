// Queue counts and saved views: see queues.hpp.
#include "store/sqlite/queues.hpp"

#include <spdlog/fmt/fmt.h>

#include "store/sqlite/records.hpp"

namespace fl::sqlite {

namespace {

void bind_parameters(Statement& statement, const std::vector<SqlValue>& parameters) {
  for (const auto& parameter : parameters)
    std::visit([&](const auto& value) { statement.bind(value); }, parameter);
}

constexpr std::string_view kViewColumns =
    "id, user_id, name, query, shared, created_at, updated_at";

Result<SavedView> view_from_row(const Statement& row) {
  return SavedView{row.int64_at(0),      row.int64_at(1), row.text_at(2), row.text_at(3),
                   row.int64_at(4) != 0, row.time_at(5),  row.time_at(6)};
}

std::unexpected<Error> refused(Connection& c, Error error, const SavedView& v) {
  if (is_unique_clash(error, "saved_views.user_id"))
    return fail(ErrorCode::conflict, fmt::format("you have a view named '{}' already", v.name));
  if (is_missing_reference(error))
    return fail(ErrorCode::invalid_argument, fmt::format("user {} not found", v.owner));
  (void)c;
  return std::unexpected(std::move(error));
}

}  // namespace

std::optional<ListingSql> queue_counts_sql(const TicketScope& scope, Timestamp now) {
  if (!scope.everything && scope.any_of.empty()) return std::nullopt;
  ListingSql out;
  // Parameters in the order their placeholders appear: the select list's first.
  const std::string at_risk = sla_state_condition(SlaState::at_risk, now, out.parameters);
  const std::string breached = sla_state_condition(SlaState::breached, now, out.parameters);
  // The statuses are written out, not bound: SQLite uses the partial index tickets_unsolved
  // (migration 15) only when the query repeats its WHERE, which a parameter would not. They
  // are this binary's constants, never input.
  std::string statuses;
  for (std::string_view status : open_status_names())
    statuses += fmt::format("{}'{}'", statuses.empty() ? "" : ", ", status);
  std::string where = fmt::format("t.status IN ({})", statuses);
  if (!scope.everything) where += " AND " + scope_condition(scope, out.parameters);
  out.sql = fmt::format(
      "SELECT t.line, t.team_id, COUNT(*), SUM(t.assignee_id IS NULL), SUM({}), SUM({}) "
      "FROM tickets t WHERE {} GROUP BY t.team_id, t.line ORDER BY t.line, t.team_id",
      at_risk, breached, where);
  return out;
}

Result<std::vector<QueueCount>> load_queue_counts(Connection& c, const TicketScope& scope,
                                                  Timestamp now) {
  auto sql = queue_counts_sql(scope, now);
  if (!sql) return std::vector<QueueCount>{};
  auto statement = c.prepare(sql->sql);
  if (!statement) return error_of(statement);
  bind_parameters(*statement, sql->parameters);
  return collect<QueueCount>(*statement, [](const Statement& row) -> Result<QueueCount> {
    return QueueCount{row.int_at(0),   row.int64_at(1), row.int64_at(2),
                      row.int64_at(3), row.int64_at(4), row.int64_at(5)};
  });
}

Result<SavedView> save_view(Connection& c, const SavedView& v) {
  SavedViewId id = v.id;
  if (id == 0) {
    auto statement = c.prepare(
        "INSERT INTO saved_views (user_id, name, query, shared, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?)");
    if (!statement) return error_of(statement);
    statement->bind_all(v.owner, v.name, v.query, v.shared, v.created_at, v.updated_at);
    if (auto r = statement->run(); !r) return refused(c, std::move(r.error()), v);
    id = c.last_insert_id();
  } else {
    auto statement = c.prepare(
        "UPDATE saved_views SET name = ?, query = ?, shared = ?, updated_at = ? "
        "WHERE id = ? AND user_id = ?");
    if (!statement) return error_of(statement);
    statement->bind_all(v.name, v.query, v.shared, v.updated_at, v.id, v.owner);
    if (auto r = statement->run(); !r) return refused(c, std::move(r.error()), v);
    if (c.changes() == 0) return fail(ErrorCode::not_found, fmt::format("view {} not found", v.id));
  }
  return load_view(c, id);
}

Result<SavedView> load_view(Connection& c, SavedViewId id) {
  static const std::string sql =
      fmt::format("SELECT {} FROM saved_views WHERE id = ?", kViewColumns);
  return one<SavedView>(c, sql, id, view_from_row, fmt::format("view {}", id));
}

Result<std::vector<SavedView>> load_views(Connection& c, UserId user,
                                          const std::vector<TeamId>& teams) {
  std::vector<SqlValue> parameters{user};
  std::string shared;
  if (!teams.empty()) {
    std::string in;
    for (TeamId team : teams) {
      in += in.empty() ? "?" : ", ?";
      parameters.emplace_back(team);
    }
    shared = fmt::format(
        " OR (shared = 1 AND user_id IN (SELECT m.user_id FROM user_teams m WHERE m.team_id IN "
        "({})))",
        in);
  }
  auto statement =
      c.prepare(fmt::format("SELECT {} FROM saved_views WHERE user_id = ?{} "
                            "ORDER BY name, id",
                            kViewColumns, shared));
  if (!statement) return error_of(statement);
  bind_parameters(*statement, parameters);
  return collect<SavedView>(*statement, view_from_row);
}

Result<void> delete_view(Connection& c, SavedViewId id) {
  auto statement = c.prepare("DELETE FROM saved_views WHERE id = ?");
  if (!statement) return error_of(statement);
  statement->bind(id);
  if (auto r = statement->run(); !r) return r;
  if (c.changes() == 0) return fail(ErrorCode::not_found, fmt::format("view {} not found", id));
  return {};
}

}  // namespace fl::sqlite
