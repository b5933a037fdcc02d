// The Store's writes as SQL on the writer connection: see mutations.hpp. SQLite reports a
// foreign-key failure without saying which reference broke, so on that path the referenced
// rows are looked up to name the missing one.
#include "store/sqlite/mutations.hpp"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "store/sqlite/attachments.hpp"
#include "store/sqlite/mail.hpp"
#include "store/sqlite/mail_outbox.hpp"
#include "store/sqlite/records.hpp"

namespace fl::sqlite {

namespace {

struct Reference {
  std::string_view field;  // as the caller knows it: "team", "requester", ...
  Table table;
  std::optional<std::int64_t> id;
};

std::string_view singular(Table table) {
  switch (table) {
    case Table::users:
      return "user";
    case Table::teams:
      return "team";
    case Table::organizations:
      return "organization";
    case Table::tickets:
      return "ticket";
    case Table::credentials:
      return "credential";
  }
  return "record";
}

// A failed write's error, with a foreign-key failure turned into "which id does not exist".
Error explain(Connection& c, Error error, std::initializer_list<Reference> references) {
  if (!is_missing_reference(error)) return error;
  for (const auto& reference : references) {
    if (!reference.id) continue;
    auto found = exists(c, reference.table, *reference.id);
    if (!found) return std::move(found.error());
    if (!*found) {
      return invalid_field(
                 std::string(reference.field),
                 fmt::format("no {} with id {}", singular(reference.table), *reference.id))
          .error();
    }
  }
  return error;
}

std::vector<std::int64_t> sorted_unique(std::vector<std::int64_t> ids) {
  std::ranges::sort(ids);
  auto [first, last] = std::ranges::unique(ids);
  ids.erase(first, last);
  return ids;
}

// Inserts (owner, id) pairs into a link table, e.g. a user's teams.
Result<void> insert_links(Connection& c, std::string_view sql, std::int64_t owner,
                          const std::vector<std::int64_t>& ids, std::string_view field,
                          Table table) {
  for (std::int64_t id : ids) {
    auto statement = c.prepare(sql);
    if (!statement) return error_of(statement);
    statement->bind_all(owner, id);
    if (auto r = statement->run(); !r)
      return std::unexpected(explain(c, std::move(r.error()), {{field, table, id}}));
  }
  return {};
}

// Skills share one column (join_list): each must survive the round trip.
Result<void> storable_skills(const std::vector<std::string>& skills) {
  if (auto ok = joinable(skills, "skills", "skill"); !ok) return ok;
  if (std::ranges::any_of(skills, [](const std::string& skill) { return skill.empty(); }))
    return invalid_field("skills", "a skill must not be empty");
  return {};
}

// Sets one column of a user (`sql`: value, then id) and appends the event.
template <class Value>
Result<User> update_user(Connection& c, std::string_view sql, const Value& value, UserId id,
                         const Event& event) {
  auto statement = c.prepare(sql);
  if (!statement) return error_of(statement);
  statement->bind_all(value, id);
  if (auto r = statement->run(); !r) return error_of(r);
  if (c.changes() == 0) return fail(ErrorCode::not_found, fmt::format("user {} not found", id));
  if (auto e = insert_event(c, event); !e) return error_of(e);
  auto stored = load_user_record(c, id);
  if (!stored) return error_of(stored);
  return std::move(stored->user);
}

std::unexpected<Error> extension_taken(std::string_view extension) {
  return fail(ErrorCode::conflict,
              fmt::format("extension {} belongs to another active staff member", extension),
              {FieldError{"extension", "belongs to another active staff member"}});
}

Result<std::int64_t> count(Connection& c, std::string_view sql) {
  auto statement = c.prepare(sql);
  if (!statement) return error_of(statement);
  auto has_row = statement->step();
  if (!has_row) return error_of(has_row);
  return statement->int64_at(0);
}

// --- tickets -----------------------------------------------------------------------------

// Round robin's turn order: the member's last automatic assignment in the team.
Result<void> record_automatic_assignment(Connection& c, TeamId team,
                                         const AutomaticAssignment& assignment) {
  auto statement = c.prepare(
      "INSERT INTO team_rotation (team_id, user_id, last_assigned_at) VALUES (?, ?, ?) "
      "ON CONFLICT (team_id, user_id) DO UPDATE SET last_assigned_at = excluded.last_assigned_at");
  if (!statement) return error_of(statement);
  statement->bind_all(team, assignment.user, assignment.at);
  if (auto r = statement->run(); !r) {
    return std::unexpected(explain(c, std::move(r.error()),
                                   {{"automatic_assignment.user", Table::users, assignment.user}}));
  }
  return {};
}

// The columns a change may set, in the order bind_ticket_fields() binds them. id, number,
// created_at and version are the store's.
constexpr std::string_view kInsertTicket =
    "INSERT INTO tickets (id, number, created_at, version, subject, requester_id, "
    "organization_id, channel, category, impact, urgency, priority, status, line, team_id, "
    "origin_team_id, assignee_id, vendor_reference, escalation_count, customer_contacts, "
    "resolved_at_line, resolved_at, updated_at, sla_policy, sla_policy_version, sla_check_at, "
    "sla_due_at, sla_warn_at, sla_state, rating_score, rating_comment, rated_at, first_rated_at) "
    "VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?, ?, ?, ?, ?, ?, ?)";

// The columns no index of tickets covers: always written. An indexed column is written only
// when its value changed: SQLite rewrites an index entry for every column an UPDATE sets, even
// to the same value, and a ticket has ten indexes (bench/sla: 11 pages per commit instead of 2).
constexpr std::string_view kUpdateTicketPlain =
    "UPDATE tickets SET subject = ?, channel = ?, category = ?, impact = ?, urgency = ?, "
    "priority = ?, vendor_reference = ?, escalation_count = ?, customer_contacts = ?, "
    "resolved_at_line = ?, resolved_at = ?, updated_at = ?, sla_policy = ?, "
    "sla_policy_version = ?, sla_warn_at = ?, rating_score = ?, rating_comment = ?, "
    "rated_at = ?, first_rated_at = ?, version = version + 1";

constexpr TicketNumber kFirstTicketNumberBase = 100000;

// rating_score, rating_comment, rated_at, first_rated_at: all NULL without a rating.
void bind_rating(Statement& s, const std::optional<TicketRating>& r) {
  if (r)
    s.bind_all(r->score, r->comment, r->rated_at, r->first_rated_at);
  else
    s.bind_all(std::optional<int>{}, std::optional<std::string>{}, std::optional<Timestamp>{},
               std::optional<Timestamp>{});
}

void bind_ticket_fields(Statement& s, const Ticket& t) {
  s.bind_all(t.subject, t.requester, t.organization, name_of(t.channel), t.category, t.impact,
             t.urgency, name_of(t.priority), name_of(t.status), t.line, t.team, t.origin_team,
             t.assignee, t.vendor_reference, t.escalation_count, t.customer_contacts,
             t.resolved_at_line, t.resolved_at, t.updated_at, t.sla_policy, t.sla_policy_version,
             t.sla_check_at, t.sla_due_at, t.sla_warn_at, name_of(t.sla_state));
  bind_rating(s, t.rating);
}

Error explain_ticket(Connection& c, Error error, const Ticket& t) {
  return explain(c, std::move(error),
                 {{"requester", Table::users, t.requester},
                  {"organization", Table::organizations, t.organization},
                  {"team", Table::teams, t.team},
                  {"origin_team", Table::teams, t.origin_team},
                  {"assignee", Table::users, t.assignee}});
}

Result<TicketId> insert_ticket(Connection& c, const Ticket& t) {
  // The writer is the only writer and this runs inside its transaction, so max + 1 is
  // free; choosing the id here lets number = 100000 + id go into the same row.
  TicketId id = 0;
  {
    auto next = c.prepare("SELECT IFNULL(MAX(id), 0) + 1 FROM tickets");
    if (!next) return error_of(next);
    auto has_row = next->step();
    if (!has_row) return error_of(has_row);
    id = next->int64_at(0);
  }

  auto statement = c.prepare(kInsertTicket);
  if (!statement) return error_of(statement);
  statement->bind_all(id, kFirstTicketNumberBase + id, t.created_at);
  bind_ticket_fields(*statement, t);
  if (auto r = statement->run(); !r)
    return std::unexpected(explain_ticket(c, std::move(r.error()), t));
  return id;
}

// `before` is the stored row (read in the same transaction).
Result<void> update_ticket(Connection& c, const Ticket& t, const Ticket& before) {
  if (before.version != t.version)
    return fail(ErrorCode::conflict,
                fmt::format("ticket {} was changed meanwhile (version {} is no longer current)",
                            t.id, t.version));
  std::string sql(kUpdateTicketPlain);
  std::vector<std::function<void(Statement&)>> indexed;
  auto column = [&](std::string_view name, const auto& now, const auto& was) {
    if (now == was) return;
    sql += fmt::format(", {} = ?", name);  // a fixed column name; the value is bound
    indexed.push_back([&now](Statement& s) { s.bind(now); });
  };
  std::string status(name_of(t.status)), status_before(name_of(before.status));
  column("requester_id", t.requester, before.requester);
  column("organization_id", t.organization, before.organization);
  column("status", status, status_before);
  column("line", t.line, before.line);
  column("team_id", t.team, before.team);
  column("origin_team_id", t.origin_team, before.origin_team);
  column("assignee_id", t.assignee, before.assignee);
  column("sla_check_at", t.sla_check_at, before.sla_check_at);
  column("sla_due_at", t.sla_due_at, before.sla_due_at);
  std::string sla_state(name_of(t.sla_state)), sla_state_before(name_of(before.sla_state));
  column("sla_state", sla_state, sla_state_before);
  sql += " WHERE id = ? AND version = ?";
  auto statement = c.prepare(sql);
  if (!statement) return error_of(statement);
  statement->bind_all(t.subject, name_of(t.channel), t.category, t.impact, t.urgency,
                      name_of(t.priority), t.vendor_reference, t.escalation_count,
                      t.customer_contacts, t.resolved_at_line, t.resolved_at, t.updated_at,
                      t.sla_policy, t.sla_policy_version, t.sla_warn_at);
  bind_rating(*statement, t.rating);
  for (auto& bind : indexed) bind(*statement);
  statement->bind_all(t.id, t.version);
  if (auto r = statement->run(); !r)
    return std::unexpected(explain_ticket(c, std::move(r.error()), t));
  return {};
}

Result<void> replace_tags(Connection& c, TicketId id, const std::vector<std::string>& tags) {
  auto clear = c.prepare("DELETE FROM ticket_tags WHERE ticket_id = ?");
  if (!clear) return error_of(clear);
  clear->bind(id);
  if (auto r = clear->run(); !r) return r;
  for (const auto& tag : tags) {
    if (tag.find(kTagSeparator) != std::string::npos)
      return fail(ErrorCode::invalid_argument, "a tag must not contain the character U+001F");
    // OR IGNORE: a repeated tag is one tag, not a clash.
    auto insert = c.prepare("INSERT OR IGNORE INTO ticket_tags (ticket_id, tag) VALUES (?, ?)");
    if (!insert) return error_of(insert);
    insert->bind_all(id, tag);
    if (auto r = insert->run(); !r) return r;
  }
  return {};
}

Result<Entry> insert_entry(Connection& c, Entry entry) {
  auto statement = c.prepare(
      "INSERT INTO entries (ticket_id, kind, author_id, body, call_direction, "
      "call_duration_seconds, call_caller, created_at, time_spent_minutes) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!statement) return error_of(statement);
  statement->bind_all(entry.ticket, name_of(entry.kind), entry.author, entry.body);
  if (entry.call) {
    statement->bind_all(name_of(entry.call->direction), entry.call->duration_seconds,
                        entry.call->caller);
  } else {
    statement->bind_all(std::nullopt, std::nullopt, std::nullopt);
  }
  statement->bind_all(entry.created_at, entry.time_spent_minutes);
  if (auto r = statement->run(); !r) {
    return std::unexpected(
        explain(c, std::move(r.error()), {{"entry.author", Table::users, entry.author}}));
  }
  entry.id = c.last_insert_id();
  return entry;
}

}  // namespace

Result<Event> insert_event(Connection& c, Event event) {
  auto statement = c.prepare(
      "INSERT INTO events (type, ticket_id, article_id, actor_id, at, payload) VALUES (?, ?, ?, ?, "
      "?, ?)");
  if (!statement) return error_of(statement);
  statement->bind_all(event.type, event.ticket, event.article, event.actor, event.at,
                      event.payload);
  if (auto r = statement->run(); !r) {
    return std::unexpected(explain(c, std::move(r.error()),
                                   {{"event.ticket", Table::tickets, event.ticket},
                                    {"event.actor", Table::users, event.actor}}));
  }
  event.id = c.last_insert_id();
  return event;
}

Result<User> insert_user(Connection& c, const UserRecord& record, const Event& event) {
  User user = record.user;
  user.teams = sorted_unique(user.teams);
  if (auto ok = storable_skills(user.skills); !ok) return error_of(ok);
  auto statement = c.prepare(
      "INSERT INTO users (login, name, email, role, organization_id, language, password_hash, "
      "active, created_at, availability, skills, phone, extension) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!statement) return error_of(statement);
  statement->bind_all(user.login, user.name, user.email, name_of(user.role), user.organization,
                      user.language, record.password_hash, user.active, user.created_at,
                      name_of(user.availability), join_list(user.skills), user.phone,
                      user.extension);
  if (auto r = statement->run(); !r) {
    if (is_unique_clash(r.error(), "users.login"))
      return fail(ErrorCode::conflict, fmt::format("login '{}' is taken", user.login));
    if (is_unique_clash(r.error(), "users.extension")) return extension_taken(user.extension);
    return std::unexpected(explain(c, std::move(r.error()),
                                   {{"organization", Table::organizations, user.organization}}));
  }
  user.id = c.last_insert_id();
  if (auto r = insert_links(c, "INSERT INTO user_teams (user_id, team_id) VALUES (?, ?)", user.id,
                            user.teams, "teams", Table::teams);
      !r)
    return error_of(r);
  if (auto e = insert_event(c, event); !e) return error_of(e);
  return user;
}

Result<void> set_password_hash(Connection& c, UserId id, const std::string& hash) {
  auto statement = c.prepare("UPDATE users SET password_hash = ? WHERE id = ?");
  if (!statement) return error_of(statement);
  statement->bind_all(hash, id);
  if (auto r = statement->run(); !r) return r;
  if (c.changes() == 0) return fail(ErrorCode::not_found, fmt::format("user {} not found", id));
  return {};
}

Result<Team> insert_team(Connection& c, const Team& input, const Event& event) {
  Team team = input;
  team.served_organizations = sorted_unique(team.served_organizations);
  auto statement = c.prepare(
      "INSERT INTO teams (name, line, kind, created_at, assignment, skill_routing) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  if (!statement) return error_of(statement);
  statement->bind_all(team.name, team.line, name_of(team.kind), team.created_at,
                      name_of(team.assignment), team.skill_routing);
  if (auto r = statement->run(); !r) {
    if (is_unique_clash(r.error(), "teams.name"))
      return fail(ErrorCode::conflict, fmt::format("team name '{}' is taken", team.name));
    if (r.error().message.find("CHECK") != std::string::npos)
      return invalid_field("line", fmt::format("{} is not a ticket line (1-4)", team.line));
    return error_of(r);
  }
  team.id = c.last_insert_id();
  if (auto r = insert_links(c,
                            "INSERT INTO team_organizations (team_id, organization_id) "
                            "VALUES (?, ?)",
                            team.id, team.served_organizations, "served_organizations",
                            Table::organizations);
      !r)
    return error_of(r);
  if (auto e = insert_event(c, event); !e) return error_of(e);
  return team;
}

Result<Team> update_team_routing(Connection& c, TeamId id, AssignmentMode mode, bool skill_routing,
                                 const Event& event) {
  auto statement = c.prepare("UPDATE teams SET assignment = ?, skill_routing = ? WHERE id = ?");
  if (!statement) return error_of(statement);
  statement->bind_all(name_of(mode), skill_routing, id);
  if (auto r = statement->run(); !r) return error_of(r);
  if (c.changes() == 0) return fail(ErrorCode::not_found, fmt::format("team {} not found", id));
  if (auto e = insert_event(c, event); !e) return error_of(e);
  return load_team(c, id);
}

Result<User> update_user_availability(Connection& c, UserId id, Availability availability,
                                      const Event& event) {
  return update_user(c, "UPDATE users SET availability = ? WHERE id = ?", name_of(availability), id,
                     event);
}

Result<User> update_user_skills(Connection& c, UserId id, const std::vector<std::string>& skills,
                                const Event& event) {
  if (auto ok = storable_skills(skills); !ok) return error_of(ok);
  return update_user(c, "UPDATE users SET skills = ? WHERE id = ?", join_list(skills), id, event);
}

Result<User> update_user(Connection& c, const User& input, const Event& event,
                         const std::optional<std::string>& new_password_hash) {
  auto before = load_user_record(c, input.id);
  if (!before) return error_of(before);
  User user = input;
  user.teams = sorted_unique(user.teams);
  auto statement = c.prepare(
      "UPDATE users SET name = ?, email = ?, role = ?, organization_id = ?, language = ?, "
      "active = ?, phone = ?, extension = ? WHERE id = ?");
  if (!statement) return error_of(statement);
  statement->bind_all(user.name, user.email, name_of(user.role), user.organization, user.language,
                      user.active, user.phone, user.extension, user.id);
  if (auto r = statement->run(); !r) {
    if (is_unique_clash(r.error(), "users.extension")) return extension_taken(user.extension);
    return std::unexpected(explain(c, std::move(r.error()),
                                   {{"organization", Table::organizations, user.organization}}));
  }
  auto unlink = c.prepare("DELETE FROM user_teams WHERE user_id = ?");
  if (!unlink) return error_of(unlink);
  unlink->bind(user.id);
  if (auto r = unlink->run(); !r) return error_of(r);
  if (auto r = insert_links(c, "INSERT INTO user_teams (user_id, team_id) VALUES (?, ?)", user.id,
                            user.teams, "teams", Table::teams);
      !r)
    return error_of(r);

  const User& was = before->user;
  const bool was_admin = was.role == Role::admin && was.active;
  if (was_admin && (user.role != Role::admin || !user.active)) {
    auto admins = count(c, "SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = 1");
    if (!admins) return error_of(admins);
    if (*admins == 0)
      return fail(ErrorCode::failed_precondition,
                  "the last active admin cannot be deactivated or given another role: make "
                  "someone else an admin first");
  }
  if (!user.active) {
    auto revoke = c.prepare("UPDATE credentials SET revoked = 1 WHERE user_id = ? AND revoked = 0");
    if (!revoke) return error_of(revoke);
    revoke->bind(user.id);
    if (auto r = revoke->run(); !r) return error_of(r);
  }
  if (new_password_hash) {
    if (auto r = set_password_hash(c, user.id, *new_password_hash); !r) return error_of(r);
    auto revoke = c.prepare(
        "UPDATE credentials SET revoked = 1 WHERE user_id = ? AND kind = 'session' AND revoked = 0");
    if (!revoke) return error_of(revoke);
    revoke->bind(user.id);
    if (auto r = revoke->run(); !r) return error_of(r);
  }
  if (auto e = insert_event(c, event); !e) return error_of(e);
  auto stored = load_user_record(c, user.id);
  if (!stored) return error_of(stored);
  return std::move(stored->user);
}

Result<Team> update_team(Connection& c, const Team& input, const Event& event) {
  Team team = input;
  team.served_organizations = sorted_unique(team.served_organizations);
  auto statement = c.prepare("UPDATE teams SET name = ?, line = ?, kind = ? WHERE id = ?");
  if (!statement) return error_of(statement);
  statement->bind_all(team.name, team.line, name_of(team.kind), team.id);
  if (auto r = statement->run(); !r) {
    if (is_unique_clash(r.error(), "teams.name"))
      return fail(ErrorCode::conflict, fmt::format("team name '{}' is taken", team.name));
    if (r.error().message.find("CHECK") != std::string::npos)
      return invalid_field("line", fmt::format("{} is not a ticket line (1-4)", team.line));
    return error_of(r);
  }
  if (c.changes() == 0)
    return fail(ErrorCode::not_found, fmt::format("team {} not found", team.id));
  auto unlink = c.prepare("DELETE FROM team_organizations WHERE team_id = ?");
  if (!unlink) return error_of(unlink);
  unlink->bind(team.id);
  if (auto r = unlink->run(); !r) return error_of(r);
  if (auto r = insert_links(c,
                            "INSERT INTO team_organizations (team_id, organization_id) "
                            "VALUES (?, ?)",
                            team.id, team.served_organizations, "served_organizations",
                            Table::organizations);
      !r)
    return error_of(r);
  if (auto e = insert_event(c, event); !e) return error_of(e);
  return load_team(c, team.id);
}

Result<Organization> update_organization(Connection& c, const Organization& org,
                                         const Event& event) {
  auto statement = c.prepare(
      "UPDATE organizations SET name = ?, domain = ?, customers_see_all_tickets = ? WHERE id = ?");
  if (!statement) return error_of(statement);
  statement->bind_all(org.name, org.domain, org.customers_see_all_tickets, org.id);
  if (auto r = statement->run(); !r) {
    if (is_unique_clash(r.error(), "organizations.name"))
      return fail(ErrorCode::conflict, fmt::format("organization name '{}' is taken", org.name));
    if (is_unique_clash(r.error(), "organizations.domain"))
      return fail(ErrorCode::conflict,
                  fmt::format("domain '{}' belongs to another organization", org.domain));
    return error_of(r);
  }
  if (c.changes() == 0)
    return fail(ErrorCode::not_found, fmt::format("organization {} not found", org.id));
  if (auto e = insert_event(c, event); !e) return error_of(e);
  return load_organization(c, org.id);
}

Result<Organization> insert_organization(Connection& c, const Organization& input,
                                         const Event& event) {
  Organization org = input;
  auto statement = c.prepare(
      "INSERT INTO organizations (name, domain, customers_see_all_tickets, created_at) "
      "VALUES (?, ?, ?, ?)");
  if (!statement) return error_of(statement);
  statement->bind_all(org.name, org.domain, org.customers_see_all_tickets, org.created_at);
  if (auto r = statement->run(); !r) {
    if (is_unique_clash(r.error(), "organizations.name"))
      return fail(ErrorCode::conflict, fmt::format("organization name '{}' is taken", org.name));
    if (is_unique_clash(r.error(), "organizations.domain"))
      return fail(ErrorCode::conflict,
                  fmt::format("domain '{}' belongs to another organization", org.domain));
    return error_of(r);
  }
  org.id = c.last_insert_id();
  if (auto e = insert_event(c, event); !e) return error_of(e);
  return org;
}

Result<Credential> insert_credential(Connection& c, const Credential& input) {
  Credential credential = input;
  auto statement = c.prepare(
      "INSERT INTO credentials (user_id, kind, name, token_hash, created_at, expires_at, revoked) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!statement) return error_of(statement);
  statement->bind_all(credential.user, name_of(credential.kind), credential.name,
                      credential.token_hash, credential.created_at, credential.expires_at,
                      credential.revoked);
  if (auto r = statement->run(); !r) {
    // The hash stands for a bearer secret: the message does not repeat it.
    if (is_unique_clash(r.error(), "credentials.token_hash"))
      return fail(ErrorCode::conflict, "a credential with this token already exists");
    return std::unexpected(
        explain(c, std::move(r.error()), {{"user", Table::users, credential.user}}));
  }
  credential.id = c.last_insert_id();
  return credential;
}

Result<Credential> revoke_credential(Connection& c, UserId user, CredentialId id) {
  auto statement = c.prepare("UPDATE credentials SET revoked = 1 WHERE id = ? AND user_id = ?");
  if (!statement) return error_of(statement);
  statement->bind_all(id, user);
  if (auto r = statement->run(); !r) return error_of(r);
  if (c.changes() == 0) {
    return fail(ErrorCode::not_found, fmt::format("credential {} of user {} not found", id, user));
  }
  return load_credential(c, id);
}

Result<CommittedChange> commit_ticket_change(Connection& c, const TicketChange& change) {
  const Ticket& ticket = change.ticket;
  TicketId id = ticket.id;
  if (id == 0) {
    auto inserted = insert_ticket(c, ticket);
    if (!inserted) return error_of(inserted);
    id = *inserted;
  } else {
    auto before = load_ticket(c, id);
    if (!before) return error_of(before);
    if (auto r = update_ticket(c, ticket, *before); !r) return error_of(r);
    if (before->tags != ticket.tags)
      if (auto r = replace_tags(c, id, ticket.tags); !r) return error_of(r);
  }
  if (change.automatic_assignment) {
    if (auto r = record_automatic_assignment(c, ticket.team, *change.automatic_assignment); !r)
      return error_of(r);
  }
  if (ticket.id == 0)
    if (auto r = replace_tags(c, id, ticket.tags); !r) return error_of(r);

  CommittedChange committed;
  committed.entries.reserve(change.new_entries.size());
  for (std::size_t i = 0; i < change.new_entries.size(); ++i) {
    Entry entry = change.new_entries[i];
    entry.ticket = id;
    entry.attachments.clear();
    auto stored = insert_entry(c, std::move(entry));
    if (!stored) return error_of(stored);
    if (i < change.new_entry_attachments.size()) {
      if (auto r = attach_to_entry(c, *stored, change.new_entry_attachments[i]); !r)
        return error_of(r);
      auto files = load_entry_attachments(c, stored->id);
      if (!files) return error_of(files);
      stored->attachments = std::move(*files);
    }
    committed.entries.push_back(std::move(*stored));
  }
  if (!change.new_mail.empty())
    if (auto r = insert_change_mail(c, id, committed.entries, change.new_mail); !r)
      return error_of(r);
  committed.events.reserve(change.new_events.size());
  for (Event event : change.new_events) {
    event.ticket = id;
    auto stored = insert_event(c, std::move(event));
    if (!stored) return error_of(stored);
    committed.events.push_back(std::move(*stored));
  }
  if (change.mail) {
    MailRecord mail = *change.mail;
    mail.ticket = id;
    if (!committed.entries.empty()) mail.entry = committed.entries.front().id;
    if (auto r = insert_mail(c, mail); !r) return error_of(r);
  }
  // Read back rather than patch the input: the caller gets exactly what a reader will see.
  auto stored = load_ticket(c, id);
  if (!stored) return error_of(stored);
  committed.ticket = std::move(*stored);
  return committed;
}

}  // namespace fl::sqlite
