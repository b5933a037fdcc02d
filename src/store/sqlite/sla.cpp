// SLA rows: see sla.hpp. The documents' bodies are the app's (JSON); the store keeps them as
// text and only versions and names them.
#include "store/sqlite/sla.hpp"

#include <spdlog/fmt/fmt.h>

#include <algorithm>

#include "store/sqlite/mutations.hpp"
#include "store/sqlite/records.hpp"

namespace fl::sqlite {

namespace {

// id, name, version, body, updated_at.
Result<ConfigDocument> document_from_row(const Statement& row) {
  ConfigDocument d;
  d.id = row.int64_at(0);
  d.name = row.text_at(1);
  d.version = row.int64_at(2);
  d.body = row.text_at(3);
  d.updated_at = row.time_at(4);
  return d;
}

// A write that failed: a name another document of the kind has is a conflict naming it.
std::unexpected<Error> refused(Error error, std::string_view name_column, std::string_view what,
                               const ConfigDocument& doc) {
  if (is_unique_clash(error, name_column))
    return fail(ErrorCode::conflict, fmt::format("{} name '{}' is taken", what, doc.name));
  return std::unexpected(std::move(error));
}

// An update that matched no row: the document does not exist, or was saved meanwhile.
std::unexpected<Error> missing_or_stale(Connection& c, std::string_view exists_sql,
                                        std::string_view what, const ConfigDocument& doc) {
  auto statement = c.prepare(exists_sql);
  if (!statement) return error_of(statement);
  statement->bind(doc.id);
  auto found = statement->step();
  if (!found) return error_of(found);
  if (!*found) return fail(ErrorCode::not_found, fmt::format("{} {} not found", what, doc.id));
  return fail(ErrorCode::conflict,
              fmt::format("{} {} was changed meanwhile (version {} is no longer current)", what,
                          doc.id, doc.version));
}

}  // namespace

Result<std::vector<TicketId>> load_tickets_due_for_sla(Connection& c, Timestamp now, int limit) {
  auto statement = c.prepare(kTicketsDueForSlaSql);
  if (!statement) return error_of(statement);
  statement->bind_all(now, std::clamp(limit, 1, kMaxDueTicketsPerCall));
  return collect<TicketId>(
      *statement, [](const Statement& row) -> Result<TicketId> { return row.int64_at(0); });
}

Result<ConfigDocument> save_current_document(Connection& c, std::string_view table,
                                             std::string_view what, const ConfigDocument& doc,
                                             const Event& event) {
  // `table` is one of ours, never input: formatting it into the SQL is safe.
  const std::string name_column = fmt::format("{}.name", table);
  std::int64_t id = doc.id;
  if (id == 0) {
    auto statement = c.prepare(fmt::format(
        "INSERT INTO {} (name, version, body, updated_at) VALUES (?, 1, ?, ?)", table));
    if (!statement) return error_of(statement);
    statement->bind_all(doc.name, doc.body, doc.updated_at);
    if (auto r = statement->run(); !r) return refused(std::move(r.error()), name_column, what, doc);
    id = c.last_insert_id();
  } else {
    auto statement = c.prepare(fmt::format(
        "UPDATE {} SET name = ?, version = version + 1, body = ?, updated_at = ? "
        "WHERE id = ? AND version = ?",
        table));
    if (!statement) return error_of(statement);
    statement->bind_all(doc.name, doc.body, doc.updated_at, doc.id, doc.version);
    if (auto r = statement->run(); !r) return refused(std::move(r.error()), name_column, what, doc);
    if (c.changes() == 0)
      return missing_or_stale(c, fmt::format("SELECT 1 FROM {} WHERE id = ?", table), what, doc);
  }
  if (auto stored = insert_event(c, event); !stored) return error_of(stored);
  return one<ConfigDocument>(
      c, fmt::format("SELECT id, name, version, body, updated_at FROM {} WHERE id = ?", table), id,
      document_from_row, fmt::format("{} {}", what, id));
}

Result<std::vector<ConfigDocument>> load_current_documents(Connection& c, std::string_view table) {
  auto statement = c.prepare(
      fmt::format("SELECT id, name, version, body, updated_at FROM {} ORDER BY id", table));
  if (!statement) return error_of(statement);
  return collect<ConfigDocument>(*statement, document_from_row);
}

Result<ConfigDocument> load_current_document(Connection& c, std::string_view table,
                                             std::string_view what, std::string_view name) {
  return one<ConfigDocument>(
      c, fmt::format("SELECT id, name, version, body, updated_at FROM {} WHERE name = ?", table),
      name, document_from_row, fmt::format("{} '{}'", what, name));
}

Result<ConfigDocument> save_calendar(Connection& c, const ConfigDocument& doc, const Event& event) {
  return save_current_document(c, "sla_calendars", "calendar", doc, event);
}

Result<std::vector<ConfigDocument>> load_calendars(Connection& c) {
  return load_current_documents(c, "sla_calendars");
}

Result<ConfigDocument> save_sla_policy(Connection& c, const ConfigDocument& doc, const Event& event) {
  constexpr std::string_view what = "SLA policy";
  ConfigDocument stored = doc;
  if (doc.id == 0) {
    auto statement =
        c.prepare("INSERT INTO sla_policies (name, version, updated_at) VALUES (?, 1, ?)");
    if (!statement) return error_of(statement);
    statement->bind_all(doc.name, doc.updated_at);
    if (auto r = statement->run(); !r)
      return refused(std::move(r.error()), "sla_policies.name", what, doc);
    stored.id = c.last_insert_id();
    stored.version = 1;
  } else {
    auto statement = c.prepare(
        "UPDATE sla_policies SET name = ?, version = version + 1, updated_at = ? "
        "WHERE id = ? AND version = ?");
    if (!statement) return error_of(statement);
    statement->bind_all(doc.name, doc.updated_at, doc.id, doc.version);
    if (auto r = statement->run(); !r)
      return refused(std::move(r.error()), "sla_policies.name", what, doc);
    if (c.changes() == 0)
      return missing_or_stale(c, "SELECT 1 FROM sla_policies WHERE id = ?", what, doc);
    stored.version = doc.version + 1;
  }
  // The current version too: a ticket's clocks read theirs from here alone.
  auto version = c.prepare(
      "INSERT INTO sla_policy_versions (policy_id, version, name, body, saved_at) "
      "VALUES (?, ?, ?, ?, ?)");
  if (!version) return error_of(version);
  version->bind_all(stored.id, stored.version, stored.name, stored.body, stored.updated_at);
  if (auto r = version->run(); !r) return error_of(r);
  if (auto e = insert_event(c, event); !e) return error_of(e);
  return load_sla_policy_version(c, stored.id, stored.version);
}

Result<std::vector<ConfigDocument>> load_sla_policies(Connection& c) {
  auto statement = c.prepare(
      "SELECT v.policy_id, v.name, v.version, v.body, v.saved_at FROM sla_policies p "
      "JOIN sla_policy_versions v ON v.policy_id = p.id AND v.version = p.version "
      "ORDER BY p.id");
  if (!statement) return error_of(statement);
  return collect<ConfigDocument>(*statement, document_from_row);
}

Result<ConfigDocument> load_sla_policy_version(Connection& c, std::int64_t id, std::int64_t version) {
  auto statement = c.prepare(
      "SELECT policy_id, name, version, body, saved_at FROM sla_policy_versions "
      "WHERE policy_id = ? AND version = ?");
  if (!statement) return error_of(statement);
  statement->bind_all(id, version);
  auto found = statement->step();
  if (!found) return error_of(found);
  if (!*found)
    return fail(ErrorCode::not_found,
                fmt::format("version {} of SLA policy {} not found", version, id));
  return document_from_row(*statement);
}

}  // namespace fl::sqlite
