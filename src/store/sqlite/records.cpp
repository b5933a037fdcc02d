// Row <-> record mapping for the SQLite adapter: see records.hpp. Column order in each SELECT
// below is the order its *_from_row function reads.
#include "store/sqlite/records.hpp"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <string>

#include "store/sqlite/attachments.hpp"

namespace fl::sqlite {

namespace {

Result<std::vector<std::int64_t>> ids(Connection& c, std::string_view sql, std::int64_t key) {
  auto statement = c.prepare(sql);
  if (!statement) return error_of(statement);
  statement->bind(key);
  return collect<std::int64_t>(
      *statement, [](const Statement& row) -> Result<std::int64_t> { return row.int64_at(0); });
}

// --- directory ---------------------------------------------------------------------------

constexpr std::string_view kUserColumns =
    "id, login, name, email, role, organization_id, language, password_hash, active, created_at, "
    "availability, skills, phone, extension";

Result<UserRecord> user_record_from_row(const Statement& row) {
  auto role = enum_at<Role>(row, 4, "role");
  if (!role) return error_of(role);
  auto availability = enum_at<Availability>(row, 10, "availability");
  if (!availability) return error_of(availability);
  UserRecord record;
  User& u = record.user;
  u.id = row.int64_at(0);
  u.login = row.text_at(1);
  u.name = row.text_at(2);
  u.email = row.text_at(3);
  u.role = *role;
  u.organization = row.optional_int64_at(5);
  u.language = row.text_at(6);
  record.password_hash = row.text_at(7);
  u.active = row.int64_at(8) != 0;
  u.created_at = row.time_at(9);
  u.availability = *availability;
  u.skills = split_list(row.text_at(11));
  u.phone = row.text_at(12);
  u.extension = row.text_at(13);
  return record;
}

Result<void> load_user_teams(Connection& c, User& user) {
  auto teams = ids(c, "SELECT team_id FROM user_teams WHERE user_id = ? ORDER BY team_id", user.id);
  if (!teams) return error_of(teams);
  user.teams = std::move(*teams);
  return {};
}

Result<UserRecord> with_teams(Connection& c, Result<UserRecord> record) {
  if (!record) return record;
  if (auto r = load_user_teams(c, record->user); !r) return error_of(r);
  return record;
}

constexpr std::string_view kTeamColumns =
    "id, name, line, kind, created_at, assignment, skill_routing";

Result<Team> team_from_row(const Statement& row) {
  auto kind = enum_at<TeamKind>(row, 3, "team kind");
  if (!kind) return error_of(kind);
  auto assignment = enum_at<AssignmentMode>(row, 5, "assignment mode");
  if (!assignment) return error_of(assignment);
  Team t;
  t.id = row.int64_at(0);
  t.name = row.text_at(1);
  t.line = row.int_at(2);
  t.kind = *kind;
  t.created_at = row.time_at(4);
  t.assignment = *assignment;
  t.skill_routing = row.int64_at(6) != 0;
  return t;
}

Result<void> load_served_organizations(Connection& c, Team& team) {
  auto orgs = ids(c,
                  "SELECT organization_id FROM team_organizations WHERE team_id = ? "
                  "ORDER BY organization_id",
                  team.id);
  if (!orgs) return error_of(orgs);
  team.served_organizations = std::move(*orgs);
  return {};
}

Result<Organization> organization_from_row(const Statement& row) {
  Organization o;
  o.id = row.int64_at(0);
  o.name = row.text_at(1);
  o.domain = row.text_at(2);
  o.customers_see_all_tickets = row.int64_at(3) != 0;
  o.created_at = row.time_at(4);
  return o;
}

constexpr std::string_view kCredentialColumns =
    "id, user_id, kind, name, token_hash, created_at, expires_at, revoked";

Result<Credential> credential_from_row(const Statement& row) {
  auto kind = enum_at<CredentialKind>(row, 2, "credential kind");
  if (!kind) return error_of(kind);
  Credential c;
  c.id = row.int64_at(0);
  c.user = row.int64_at(1);
  c.kind = *kind;
  c.name = row.text_at(3);
  c.token_hash = row.text_at(4);
  c.created_at = row.time_at(5);
  c.expires_at = row.optional_time_at(6);
  c.revoked = row.int64_at(7) != 0;
  return c;
}

// --- tickets -----------------------------------------------------------------------------

Result<Entry> entry_from_row(const Statement& row) {
  auto kind = enum_at<EntryKind>(row, 2, "entry kind");
  if (!kind) return error_of(kind);
  Entry e;
  e.id = row.int64_at(0);
  e.ticket = row.int64_at(1);
  e.kind = *kind;
  e.author = row.int64_at(3);
  e.body = row.text_at(4);
  if (!row.is_null(5)) {
    auto direction = enum_at<CallDirection>(row, 5, "call direction");
    if (!direction) return error_of(direction);
    e.call = CallDetails{*direction, row.int_at(6), row.text_at(7)};
  }
  e.created_at = row.time_at(8);
  e.time_spent_minutes = row.int_at(9);
  return e;
}

constexpr std::string_view kEventColumns = "id, type, ticket_id, actor_id, at, payload, article_id";

Result<Event> event_from_row(const Statement& row) {
  Event e;
  e.id = row.int64_at(0);
  e.type = row.text_at(1);
  e.ticket = row.optional_int64_at(2);
  e.actor = row.optional_int64_at(3);
  e.at = row.time_at(4);
  e.payload = row.text_at(5);
  e.article = row.optional_int64_at(6);
  return e;
}

Result<void> require(Connection& c, Table table, std::int64_t id, std::string_view what) {
  auto found = exists(c, table, id);
  if (!found) return error_of(found);
  if (!*found) return fail(ErrorCode::not_found, fmt::format("{} {} not found", what, id));
  return {};
}

// One separator for every list kept in a column, tags included.
constexpr char kListSeparator = kTagSeparator;

}  // namespace

std::string join_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += kListSeparator;
    out += item;
  }
  return out;
}

std::vector<std::string> split_list(std::string_view joined) {
  std::vector<std::string> out;
  while (!joined.empty()) {
    auto end = joined.find(kListSeparator);
    out.emplace_back(joined.substr(0, end));
    joined = end == std::string_view::npos ? std::string_view{} : joined.substr(end + 1);
  }
  return out;
}

Result<void> joinable(const std::vector<std::string>& items, std::string_view field,
                      std::string_view item) {
  for (const auto& i : items)
    if (i.find(kListSeparator) != std::string::npos)
      return invalid_field(std::string(field), fmt::format("a {} must not contain U+001F", item));
  return {};
}

Result<Ticket> ticket_from_row(const Statement& row) {
  auto channel = enum_at<Channel>(row, 5, "channel");
  if (!channel) return error_of(channel);
  auto priority = enum_at<Priority>(row, 9, "priority");
  if (!priority) return error_of(priority);
  auto status = enum_at<TicketStatus>(row, 10, "status");
  if (!status) return error_of(status);
  Ticket t;
  t.id = row.int64_at(0);
  t.number = row.int64_at(1);
  t.subject = row.text_at(2);
  t.requester = row.int64_at(3);
  t.organization = row.optional_int64_at(4);
  t.channel = *channel;
  t.category = row.text_at(6);
  t.impact = row.int_at(7);
  t.urgency = row.int_at(8);
  t.priority = *priority;
  t.status = *status;
  t.line = row.int_at(11);
  t.team = row.int64_at(12);
  t.origin_team = row.int64_at(13);
  t.assignee = row.optional_int64_at(14);
  t.vendor_reference = row.text_at(15);
  t.escalation_count = row.int_at(16);
  t.customer_contacts = row.int_at(17);
  if (!row.is_null(18)) t.resolved_at_line = row.int_at(18);
  t.resolved_at = row.optional_time_at(19);
  t.created_at = row.time_at(20);
  t.updated_at = row.time_at(21);
  t.version = row.int64_at(22);
  t.sla_policy = row.optional_int64_at(23);
  t.sla_policy_version = row.int64_at(24);
  t.sla_check_at = row.optional_time_at(25);
  t.sla_due_at = row.optional_time_at(26);
  t.sla_warn_at = row.optional_time_at(27);
  auto sla_state = enum_at<SlaState>(row, 28, "SLA state");
  if (!sla_state) return error_of(sla_state);
  t.sla_state = *sla_state;
  if (!row.is_null(29))
    t.rating = TicketRating{row.int_at(29), row.text_at(30), row.time_at(31), row.time_at(32)};
  if (!row.is_null(33)) {
    const std::string all = row.text_at(33);
    std::string_view tags = all;
    while (!tags.empty()) {
      auto end = tags.find(kTagSeparator);
      t.tags.emplace_back(tags.substr(0, end));
      tags = end == std::string_view::npos ? std::string_view{} : tags.substr(end + 1);
    }
  }
  return t;
}

Result<Ticket> load_ticket(Connection& c, TicketId id) {
  static const std::string sql =
      fmt::format("SELECT {} FROM tickets t WHERE t.id = ?", kTicketColumns);
  return one<Ticket>(c, sql, id, ticket_from_row, fmt::format("ticket {}", id));
}

Result<UserRecord> load_user_record(Connection& c, UserId id) {
  static const std::string sql = fmt::format("SELECT {} FROM users WHERE id = ?", kUserColumns);
  return with_teams(c,
                    one<UserRecord>(c, sql, id, user_record_from_row, fmt::format("user {}", id)));
}

Result<UserRecord> load_user_record_by_login(Connection& c, std::string_view login) {
  static const std::string sql = fmt::format("SELECT {} FROM users WHERE login = ?", kUserColumns);
  return with_teams(
      c, one<UserRecord>(c, sql, login, user_record_from_row, fmt::format("user '{}'", login)));
}

Result<std::vector<User>> load_users(Connection& c, std::optional<Role> role) {
  static const std::string all_sql =
      fmt::format("SELECT {} FROM users WHERE login <> ? ORDER BY id", kUserColumns);
  static const std::string by_role_sql =
      fmt::format("SELECT {} FROM users WHERE login <> ? AND role = ? ORDER BY id", kUserColumns);
  auto statement = c.prepare(role ? by_role_sql : all_sql);
  if (!statement) return error_of(statement);
  statement->bind(kSystemLogin);
  if (role) statement->bind(name_of(*role));
  auto records = collect<UserRecord>(*statement, user_record_from_row);
  if (!records) return error_of(records);
  std::vector<User> users;
  users.reserve(records->size());
  for (auto& record : *records) {
    if (auto r = load_user_teams(c, record.user); !r) return error_of(r);
    users.push_back(std::move(record.user));
  }
  return users;
}

namespace {

// Users selected by one text key (`sql` selects kUserColumns), with their teams.
Result<std::vector<User>> load_users_where(Connection& c, const std::string& sql,
                                           std::string_view key) {
  auto statement = c.prepare(sql);
  if (!statement) return error_of(statement);
  statement->bind(key);
  auto records = collect<UserRecord>(*statement, user_record_from_row);
  if (!records) return error_of(records);
  std::vector<User> users;
  for (auto& record : *records) {
    if (auto r = load_user_teams(c, record.user); !r) return error_of(r);
    users.push_back(std::move(record.user));
  }
  return users;
}

}  // namespace

Result<std::vector<User>> load_users_by_phone(Connection& c, std::string_view phone) {
  // `phone <> ''` is the partial index's condition (migration 14), repeated so it is used.
  static const std::string sql =
      fmt::format("SELECT {} FROM users WHERE phone = ? AND phone <> '' ORDER BY id", kUserColumns);
  return load_users_where(c, sql, phone);
}

Result<std::vector<User>> load_staff_by_extension(Connection& c, std::string_view extension) {
  static const std::string sql = fmt::format(
      "SELECT {} FROM users WHERE extension = ? AND extension <> '' AND active = 1 "
      "AND role <> 'customer' ORDER BY id",
      kUserColumns);
  return load_users_where(c, sql, extension);
}

Result<Team> load_team(Connection& c, TeamId id) {
  static const std::string sql = fmt::format("SELECT {} FROM teams WHERE id = ?", kTeamColumns);
  auto team = one<Team>(c, sql, id, team_from_row, fmt::format("team {}", id));
  if (!team) return team;
  if (auto r = load_served_organizations(c, *team); !r) return error_of(r);
  return team;
}

Result<std::vector<Team>> load_teams(Connection& c) {
  static const std::string sql = fmt::format("SELECT {} FROM teams ORDER BY id", kTeamColumns);
  auto statement = c.prepare(sql);
  if (!statement) return error_of(statement);
  auto teams = collect<Team>(*statement, team_from_row);
  if (!teams) return teams;
  for (auto& team : *teams)
    if (auto r = load_served_organizations(c, team); !r) return error_of(r);
  return teams;
}

Result<Organization> load_organization(Connection& c, OrganizationId id) {
  return one<Organization>(
      c,
      "SELECT id, name, domain, customers_see_all_tickets, created_at FROM organizations "
      "WHERE id = ?",
      id, organization_from_row, fmt::format("organization {}", id));
}

Result<std::vector<Organization>> load_organizations(Connection& c) {
  auto statement = c.prepare(
      "SELECT id, name, domain, customers_see_all_tickets, created_at FROM organizations "
      "ORDER BY id");
  if (!statement) return error_of(statement);
  return collect<Organization>(*statement, organization_from_row);
}

Result<Credential> load_credential(Connection& c, CredentialId id) {
  static const std::string sql =
      fmt::format("SELECT {} FROM credentials WHERE id = ?", kCredentialColumns);
  return one<Credential>(c, sql, id, credential_from_row, fmt::format("credential {}", id));
}

Result<Credential> load_credential_by_hash(Connection& c, std::string_view hash) {
  static const std::string sql =
      fmt::format("SELECT {} FROM credentials WHERE token_hash = ?", kCredentialColumns);
  // The hash is a bearer secret's stand-in: keep it out of messages and logs.
  return one<Credential>(c, sql, hash, credential_from_row, "credential");
}

Result<std::vector<Credential>> load_credentials_of(Connection& c, UserId user,
                                                    CredentialKind kind) {
  static const std::string sql = fmt::format(
      "SELECT {} FROM credentials WHERE user_id = ? AND kind = ? ORDER BY id", kCredentialColumns);
  auto statement = c.prepare(sql);
  if (!statement) return error_of(statement);
  statement->bind_all(user, name_of(kind));
  return collect<Credential>(*statement, credential_from_row);
}

Result<std::vector<Entry>> load_entries(Connection& c, TicketId ticket) {
  if (auto r = require(c, Table::tickets, ticket, "ticket"); !r) return error_of(r);
  auto statement = c.prepare(
      "SELECT id, ticket_id, kind, author_id, body, call_direction, call_duration_seconds, "
      "call_caller, created_at, time_spent_minutes FROM entries WHERE ticket_id = ? ORDER BY id");
  if (!statement) return error_of(statement);
  statement->bind(ticket);
  auto entries = collect<Entry>(*statement, entry_from_row);
  if (!entries) return entries;
  auto files = load_ticket_attachments(c, ticket);
  if (!files) return error_of(files);
  // Entries come in id order, the files by entry: one walk pairs them.
  std::size_t e = 0;
  for (auto& file : *files) {
    while (e < entries->size() && (*entries)[e].id != file.entry) ++e;
    if (e == entries->size()) break;
    (*entries)[e].attachments.push_back(std::move(file));
  }
  return entries;
}

Result<std::vector<Event>> load_ticket_events(Connection& c, TicketId ticket) {
  if (auto r = require(c, Table::tickets, ticket, "ticket"); !r) return error_of(r);
  static const std::string sql =
      fmt::format("SELECT {} FROM events WHERE ticket_id = ? ORDER BY id", kEventColumns);
  auto statement = c.prepare(sql);
  if (!statement) return error_of(statement);
  statement->bind(ticket);
  return collect<Event>(*statement, event_from_row);
}

Result<std::vector<Event>> load_events_after(Connection& c, EventId after, int limit) {
  static const std::string sql =
      fmt::format("SELECT {} FROM events WHERE id > ? ORDER BY id LIMIT ?", kEventColumns);
  auto statement = c.prepare(sql);
  if (!statement) return error_of(statement);
  statement->bind_all(after, limit);
  return collect<Event>(*statement, event_from_row);
}

Result<std::vector<TicketCount>> load_ticket_counts(Connection& c) {
  // Grouped in the order of tickets_line_status, so the index alone answers it.
  auto statement = c.prepare(
      "SELECT status, line, COUNT(*) FROM tickets GROUP BY line, status ORDER BY line, status");
  if (!statement) return error_of(statement);
  return collect<TicketCount>(*statement, [](const Statement& row) -> Result<TicketCount> {
    auto status = enum_at<TicketStatus>(row, 0, "status");
    if (!status) return error_of(status);
    return TicketCount{*status, row.int_at(1), row.int64_at(2)};
  });
}

Result<std::vector<SlaRiskCount>> load_sla_risk_counts(Connection& c, Timestamp now) {
  // Running clocks are on unsolved tickets only, and only those have a due time.
  auto statement = c.prepare(
      "SELECT line, "
      "SUM(sla_state != 'breached' AND sla_warn_at <= ?1 AND (sla_due_at IS NULL OR sla_due_at > ?1)), "
      "SUM(sla_state = 'breached' OR sla_due_at <= ?1) "
      "FROM tickets WHERE status NOT IN ('resolved', 'closed') "
      "AND (sla_state = 'breached' OR (sla_state IN ('running', 'at_risk') AND sla_due_at IS NOT NULL)) "
      "GROUP BY line ORDER BY line");
  if (!statement) return error_of(statement);
  statement->bind(now);
  return collect<SlaRiskCount>(*statement, [](const Statement& row) -> Result<SlaRiskCount> {
    return SlaRiskCount{row.int_at(0), row.int64_at(1), row.int64_at(2)};
  });
}

const std::vector<std::string_view>& open_status_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> out;
    for (const auto& [status, name] : EnumNames<TicketStatus>::table)
      if (!is_solved(status)) out.push_back(name);
    return out;
  }();
  return names;
}

const std::string& assignment_load_sql() {
  // The open statuses are listed rather than the solved ones excluded: `status IN (...)` lets
  // tickets_assignee_status seek to a member's open tickets, where `NOT IN` would walk all the
  // tickets they ever had. user_teams_team holds (team_id, user_id), so members come out of it
  // in id order.
  static const std::string sql = [] {
    std::string placeholders;
    for (std::size_t i = 0; i < open_status_names().size(); ++i)
      placeholders += i == 0 ? "?" : ", ?";
    return fmt::format(
        "SELECT u.id, r.last_assigned_at, "
        "(SELECT count(*) FROM tickets t WHERE t.assignee_id = u.id AND t.team_id = m.team_id "
        "AND t.status IN ({})) "
        "FROM user_teams m JOIN users u ON u.id = m.user_id "
        "LEFT JOIN team_rotation r ON r.team_id = m.team_id AND r.user_id = m.user_id "
        "WHERE m.team_id = ? AND u.active = 1 ORDER BY m.user_id",
        placeholders);
  }();
  return sql;
}

Result<std::vector<AssignmentLoad>> load_assignment_load(Connection& c, TeamId team) {
  if (auto r = require(c, Table::teams, team, "team"); !r) return error_of(r);
  auto statement = c.prepare(assignment_load_sql());
  if (!statement) return error_of(statement);
  for (std::string_view status : open_status_names()) statement->bind(status);
  statement->bind(team);
  return collect<AssignmentLoad>(*statement, [](const Statement& row) -> Result<AssignmentLoad> {
    return AssignmentLoad{row.int64_at(0), row.optional_time_at(1), row.int64_at(2)};
  });
}

Result<bool> exists(Connection& c, Table table, std::int64_t id) {
  std::string_view sql;
  switch (table) {
    case Table::users:
      sql = "SELECT 1 FROM users WHERE id = ?";
      break;
    case Table::teams:
      sql = "SELECT 1 FROM teams WHERE id = ?";
      break;
    case Table::organizations:
      sql = "SELECT 1 FROM organizations WHERE id = ?";
      break;
    case Table::tickets:
      sql = "SELECT 1 FROM tickets WHERE id = ?";
      break;
    case Table::credentials:
      sql = "SELECT 1 FROM credentials WHERE id = ?";
      break;
  }
  auto statement = c.prepare(sql);
  if (!statement) return error_of(statement);
  statement->bind(id);
  return statement->step();
}

}  // namespace fl::sqlite
