// The chatbot's flow catalog: see bot_flows.hpp. Whether a flow is valid is decided by the app
// (bot::parse_flow); the store keeps the documents and their versions.
#include "store/sqlite/bot_flows.hpp"

#include <spdlog/fmt/fmt.h>

#include <string>

#include "store/sqlite/mutations.hpp"
#include "store/sqlite/records.hpp"

namespace fl::sqlite {

namespace {

constexpr std::string_view kSelect =
    "SELECT id, json, version, active, edited, shipped_json, updated_by, updated_at "
    "FROM bot_flows";

Result<BotFlowRecord> flow_from_row(const Statement& row) {
  BotFlowRecord f;
  f.id = row.text_at(0);
  f.json = row.text_at(1);
  f.version = row.int64_at(2);
  f.active = row.int64_at(3) != 0;
  f.edited = row.int64_at(4) != 0;
  f.shipped_json = row.text_at(5);
  f.updated_by = row.optional_int64_at(6);
  f.updated_at = row.time_at(7);
  return f;
}

// Keeps the version just written in the history.
Result<void> record_version(Connection& c, const BotFlowRecord& f) {
  auto insert = c.prepare(
      "INSERT INTO bot_flow_versions (flow_id, version, json, active, updated_by, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  if (!insert) return error_of(insert);
  insert->bind_all(f.id, f.version, f.json, f.active, f.updated_by, f.updated_at);
  return insert->run();
}

Result<BotFlowRecord> stored_and_recorded(Connection& c, std::string_view id) {
  auto stored = load_bot_flow(c, id);
  if (!stored) return stored;
  if (auto r = record_version(c, *stored); !r) return error_of(r);
  return stored;
}

}  // namespace

Result<BotFlowRecord> seed_bot_flow(Connection& c, std::string_view id, std::string_view shipped,
                                    Timestamp now) {
  auto current = load_bot_flow(c, id);
  if (!current) {
    if (current.error().code != ErrorCode::not_found) return current;
    auto insert = c.prepare(
        "INSERT INTO bot_flows (id, json, version, active, edited, shipped_json, updated_by, "
        "updated_at) VALUES (?, ?, 1, 1, 0, ?, NULL, ?)");
    if (!insert) return error_of(insert);
    insert->bind_all(id, shipped, shipped, now);
    if (auto r = insert->run(); !r) return error_of(r);
    return stored_and_recorded(c, id);
  }
  if (current->edited || current->json == shipped) return current;
  auto update = c.prepare(
      "UPDATE bot_flows SET json = ?, shipped_json = ?, version = version + 1, updated_by = NULL, "
      "updated_at = ? WHERE id = ?");
  if (!update) return error_of(update);
  update->bind_all(shipped, shipped, now, id);
  if (auto r = update->run(); !r) return error_of(r);
  return stored_and_recorded(c, id);
}

Result<BotFlowRecord> save_bot_flow(Connection& c, const BotFlowRecord& f, const Event& event) {
  if (f.version == 0) {
    auto insert = c.prepare(
        "INSERT INTO bot_flows (id, json, version, active, edited, shipped_json, updated_by, "
        "updated_at) VALUES (?, ?, 1, ?, ?, ?, ?, ?)");
    if (!insert) return error_of(insert);
    insert->bind_all(f.id, f.json, f.active, f.edited, f.shipped_json, f.updated_by, f.updated_at);
    if (auto r = insert->run(); !r) {
      if (r.error().code == ErrorCode::conflict)
        return fail(ErrorCode::conflict, fmt::format("a flow '{}' exists already", f.id));
      return error_of(r);
    }
  } else {
    auto update = c.prepare(
        "UPDATE bot_flows SET json = ?, active = ?, edited = ?, shipped_json = ?, "
        "updated_by = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?");
    if (!update) return error_of(update);
    update->bind_all(f.json, f.active, f.edited, f.shipped_json, f.updated_by, f.updated_at, f.id,
                     f.version);
    if (auto r = update->run(); !r) return error_of(r);
    if (c.changes() == 0) {
      if (auto current = load_bot_flow(c, f.id); !current) return current;
      return fail(ErrorCode::conflict,
                  fmt::format("flow '{}' was changed meanwhile (version {} is no longer current)",
                              f.id, f.version));
    }
  }
  if (auto stored = insert_event(c, event); !stored) return error_of(stored);
  return stored_and_recorded(c, f.id);
}

Result<BotFlowRecord> load_bot_flow(Connection& c, std::string_view id) {
  static const std::string sql = std::string(kSelect) + " WHERE id = ?";
  return one<BotFlowRecord>(c, sql, id, flow_from_row, fmt::format("flow '{}'", id));
}

Result<std::vector<BotFlowRecord>> load_bot_flows(Connection& c) {
  static const std::string sql = std::string(kSelect) + " ORDER BY rowid";
  auto statement = c.prepare(sql);
  if (!statement) return error_of(statement);
  return collect<BotFlowRecord>(*statement, flow_from_row);
}

Result<std::vector<BotFlowVersion>> load_bot_flow_versions(Connection& c, std::string_view id) {
  if (auto current = load_bot_flow(c, id); !current) return error_of(current);
  auto statement = c.prepare(
      "SELECT version, json, active, updated_by, updated_at FROM bot_flow_versions "
      "WHERE flow_id = ? ORDER BY version DESC");
  if (!statement) return error_of(statement);
  statement->bind(id);
  return collect<BotFlowVersion>(*statement, [](const Statement& row) -> Result<BotFlowVersion> {
    BotFlowVersion v;
    v.version = row.int64_at(0);
    v.json = row.text_at(1);
    v.active = row.int64_at(2) != 0;
    v.updated_by = row.optional_int64_at(3);
    v.updated_at = row.time_at(4);
    return v;
  });
}

}  // namespace fl::sqlite
