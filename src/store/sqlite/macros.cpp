// Macro rows: see macros.hpp. What a macro may say (placeholders, levels, tags) is checked by
// core (core/macro.hpp); the store keeps it and guards only what its columns need.
#include "store/sqlite/macros.hpp"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include "store/sqlite/mutations.hpp"
#include "store/sqlite/records.hpp"

namespace fl::sqlite {

namespace {

// The columns save_macro writes, in the order bind_fields() binds them. id and version are
// the store's.
constexpr std::string_view kFieldColumns =
    "name, team_id, entry_kind, text, status, add_tags, impact, urgency, assign_to_me, active, "
    "updated_at";

// id, version, then kFieldColumns: the order macro_from_row() reads.
const std::string& macro_select() {
  static const std::string sql = fmt::format("SELECT id, version, {} FROM macros", kFieldColumns);
  return sql;
}

Result<Macro> macro_from_row(const Statement& row) {
  auto entry_kind = enum_at<EntryKind>(row, 4, "entry kind");
  if (!entry_kind) return error_of(entry_kind);
  Macro m;
  m.id = row.int64_at(0);
  m.version = row.int64_at(1);
  m.name = row.text_at(2);
  m.team = row.optional_int64_at(3);
  m.entry_kind = *entry_kind;
  m.text = row.text_at(5);
  if (!row.is_null(6)) {
    auto status = enum_at<TicketStatus>(row, 6, "status");
    if (!status) return error_of(status);
    m.status = *status;
  }
  m.add_tags = split_list(row.text_at(7));
  if (!row.is_null(8)) m.impact = row.int_at(8);
  if (!row.is_null(9)) m.urgency = row.int_at(9);
  m.assign_to_me = row.int64_at(10) != 0;
  m.active = row.int64_at(11) != 0;
  m.updated_at = row.time_at(12);
  return m;
}

void bind_fields(Statement& s, const Macro& m) {
  std::optional<std::string_view> status;
  if (m.status) status = name_of(*m.status);
  s.bind_all(m.name, m.team, name_of(m.entry_kind), m.text, status, join_list(m.add_tags), m.impact,
             m.urgency, m.assign_to_me, m.active, m.updated_at);
}

// Tags share one column (join_list): each must survive the round trip.
Result<void> storable_tags(const std::vector<std::string>& tags) {
  if (auto ok = joinable(tags, "add_tags", "tag"); !ok) return ok;
  if (std::ranges::any_of(tags, [](const std::string& tag) { return tag.empty(); }))
    return invalid_field("add_tags", "a tag must not be empty");
  return {};
}

// A write that failed: a taken name is a conflict saying where (SQLite's message names the
// expression index, not its columns); a foreign-key failure can only be the team, and the
// port's contract makes a missing team not_found.
std::unexpected<Error> refused(Connection& c, Error error, const Macro& m) {
  if (is_unique_clash(error, "macros_name")) {
    const std::string where = m.team ? fmt::format("in team {}", *m.team)
                                     : std::string("among the macros for every team");
    return fail(ErrorCode::conflict,
                fmt::format("a macro named '{}' exists already {}", m.name, where));
  }
  if (is_missing_reference(error) && m.team) {
    auto found = exists(c, Table::teams, *m.team);
    if (!found) return error_of(found);
    if (!*found) return fail(ErrorCode::not_found, fmt::format("team {} not found", *m.team));
  }
  return std::unexpected(std::move(error));
}

}  // namespace

Result<Macro> save_macro(Connection& c, const Macro& m, const Event& event) {
  if (auto ok = storable_tags(m.add_tags); !ok) return std::unexpected(ok.error());
  MacroId id = m.id;
  if (id == 0) {
    static const std::string sql =
        fmt::format("INSERT INTO macros ({}, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                    kFieldColumns);
    auto statement = c.prepare(sql);
    if (!statement) return error_of(statement);
    bind_fields(*statement, m);
    if (auto r = statement->run(); !r) return refused(c, std::move(r.error()), m);
    id = c.last_insert_id();
  } else {
    static const std::string sql = fmt::format(
        "UPDATE macros SET ({}) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?), version = version + 1 "
        "WHERE id = ? AND version = ?",
        kFieldColumns);
    auto statement = c.prepare(sql);
    if (!statement) return error_of(statement);
    bind_fields(*statement, m);
    statement->bind_all(m.id, m.version);
    if (auto r = statement->run(); !r) return refused(c, std::move(r.error()), m);
    if (c.changes() == 0) {
      // No row matched: the macro does not exist, or was saved meanwhile.
      if (auto current = load_macro(c, m.id); !current) return current;
      return fail(ErrorCode::conflict,
                  fmt::format("macro {} was changed meanwhile (version {} is no longer current)",
                              m.id, m.version));
    }
  }
  if (auto stored = insert_event(c, event); !stored) return error_of(stored);
  return load_macro(c, id);
}

Result<Macro> load_macro(Connection& c, MacroId id) {
  static const std::string sql = macro_select() + " WHERE id = ?";
  return one<Macro>(c, sql, id, macro_from_row, fmt::format("macro {}", id));
}

Result<std::vector<Macro>> load_macros(Connection& c) {
  static const std::string sql = macro_select() + " ORDER BY name, id";
  auto statement = c.prepare(sql);
  if (!statement) return error_of(statement);
  return collect<Macro>(*statement, macro_from_row);
}

}  // namespace fl::sqlite
