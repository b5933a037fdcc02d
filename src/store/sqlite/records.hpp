// Reading Firstline's records out of SQLite rows. Used by read connections and by the writer
// (which reads back what it stored within the same transaction).
#pragma once

#include <spdlog/fmt/fmt.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/directory.hpp"
#include "core/event.hpp"
#include "core/ticket.hpp"
#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace fl::sqlite {

// --- helpers for reading rows, shared by the record readers -------------------------------

template <class E>
Result<E> enum_at(const Statement& row, int column, std::string_view what) {
  std::string text = row.text_at(column);
  if (auto value = parse_name<E>(text)) return *value;
  return fail(ErrorCode::internal, fmt::format("stored {} '{}' is not a known value", what, text));
}

// Steps through all rows, turning each into a T.
template <class T, class FromRow>
Result<std::vector<T>> collect(Statement& statement, FromRow from_row) {
  std::vector<T> out;
  for (;;) {
    auto has_row = statement.step();
    if (!has_row) return error_of(has_row);
    if (!*has_row) return out;
    auto item = from_row(statement);
    if (!item) return error_of(item);
    out.push_back(std::move(*item));
  }
}

// At most one row, by a key bound as the only parameter; not_found names `what`.
template <class T, class Key, class FromRow>
Result<T> one(Connection& c, std::string_view sql, const Key& key, FromRow from_row,
              std::string_view what) {
  auto statement = c.prepare(sql);
  if (!statement) return error_of(statement);
  statement->bind(key);
  auto has_row = statement->step();
  if (!has_row) return error_of(has_row);
  if (!*has_row) return fail(ErrorCode::not_found, fmt::format("{} not found", what));
  return from_row(*statement);
}

// The ticket columns in the order ticket_from_row() reads them; `t` is the tickets alias.
inline constexpr std::string_view kTicketColumns =
    "t.id, t.number, t.subject, t.requester_id, t.organization_id, t.channel, t.category, "
    "t.impact, t.urgency, t.priority, t.status, t.line, t.team_id, t.origin_team_id, "
    "t.assignee_id, t.vendor_reference, t.escalation_count, t.customer_contacts, "
    "t.resolved_at_line, t.resolved_at, t.created_at, t.updated_at, t.version, "
    "t.sla_policy, t.sla_policy_version, t.sla_check_at, t.sla_due_at, t.sla_warn_at, "
    "t.sla_state, t.rating_score, t.rating_comment, t.rated_at, t.first_rated_at, "
    // The tags ride along in one column, so a page of tickets is one query, not 1 + N.
    "(SELECT group_concat(tag, char(31)) FROM "
    "(SELECT tag FROM ticket_tags WHERE ticket_id = t.id ORDER BY tag))";

// The separator of the tags column; a tag never contains it (replace_tags refuses one that does).
inline constexpr char kTagSeparator = '\x1f';

// Lists kept in one column (article keywords, synonym terms, skills): the items joined by
// U+001F. An empty list is ''; so is a list of one empty item, which therefore cannot be kept.
[[nodiscard]] std::string join_list(const std::vector<std::string>& items);
[[nodiscard]] std::vector<std::string> split_list(std::string_view joined);
// join_list() can keep `items` apart only if none holds the separator: else invalid_argument
// naming `field` ("a {item} must not contain U+001F").
[[nodiscard]] Result<void> joinable(const std::vector<std::string>& items, std::string_view field,
                                    std::string_view item);

// A ticket, with its tags, from a row selected with kTicketColumns.
[[nodiscard]] Result<Ticket> ticket_from_row(const Statement& row);

// not_found when the record does not exist.
[[nodiscard]] Result<Ticket> load_ticket(Connection& c, TicketId id);
[[nodiscard]] Result<UserRecord> load_user_record(Connection& c, UserId id);
[[nodiscard]] Result<UserRecord> load_user_record_by_login(Connection& c, std::string_view login);
[[nodiscard]] Result<std::vector<User>> load_users(Connection& c, std::optional<Role> role);
[[nodiscard]] Result<std::vector<User>> load_users_by_phone(Connection& c, std::string_view phone);
[[nodiscard]] Result<std::vector<User>> load_staff_by_extension(Connection& c,
                                                                std::string_view extension);
[[nodiscard]] Result<Team> load_team(Connection& c, TeamId id);
[[nodiscard]] Result<std::vector<Team>> load_teams(Connection& c);
[[nodiscard]] Result<Organization> load_organization(Connection& c, OrganizationId id);
[[nodiscard]] Result<std::vector<Organization>> load_organizations(Connection& c);
[[nodiscard]] Result<Credential> load_credential(Connection& c, CredentialId id);
[[nodiscard]] Result<Credential> load_credential_by_hash(Connection& c, std::string_view hash);
[[nodiscard]] Result<std::vector<Credential>> load_credentials_of(Connection& c, UserId user,
                                                                  CredentialKind kind);
[[nodiscard]] Result<std::vector<Entry>> load_entries(Connection& c, TicketId ticket);
[[nodiscard]] Result<std::vector<Event>> load_ticket_events(Connection& c, TicketId ticket);
[[nodiscard]] Result<std::vector<Event>> load_events_after(Connection& c, EventId after, int limit);
[[nodiscard]] Result<std::vector<TicketCount>> load_ticket_counts(Connection& c);
[[nodiscard]] Result<std::vector<SlaRiskCount>> load_sla_risk_counts(Connection& c, Timestamp now);
// not_found for an unknown team.
[[nodiscard]] Result<std::vector<AssignmentLoad>> load_assignment_load(Connection& c, TeamId team);

// The statuses a ticket is open in (not solved), in the order the load query binds them.
[[nodiscard]] const std::vector<std::string_view>& open_status_names();
// load_assignment_load's query; parameters: the open_status_names(), then the team. Shown for
// white-box tests of its plan.
[[nodiscard]] const std::string& assignment_load_sql();

// Existence checks by primary key, for telling not_found apart and for naming the missing
// row behind a foreign-key failure.
enum class Table { users, teams, organizations, tickets, credentials };
[[nodiscard]] Result<bool> exists(Connection& c, Table table, std::int64_t id);

}  // namespace fl::sqlite
