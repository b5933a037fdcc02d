#include "app/directory_service.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

#include "app/access.hpp"
#include "app/attachments.hpp"
#include "app/event_json.hpp"
#include "core/assignment.hpp"
#include "core/escalation.hpp"
#include "core/mail.hpp"
#include "core/phone.hpp"
#include "core/text.hpp"

namespace fl {

namespace json = boost::json;

namespace {

Event directory_event(std::string_view type, const Actor* actor, Timestamp at,
                      const json::object& payload) {
  return event_with(type, at, payload,
                    actor ? std::optional<UserId>(actor->user.id) : std::nullopt);
}

// A user's fields as they are to be stored, checked together (a create or an edit).
// `errors`: those found already (a phone that is not a number), reported with the rest.
Result<void> check_user_fields(Store& store, const User& u, std::vector<FieldError> errors) {
  if (is_blank(u.name) || u.name.size() > 200) errors.push_back({"name", "1 to 200 characters"});
  if (u.email.size() > 254 || (!u.email.empty() && u.email.find('@') == std::string::npos))
    errors.push_back({"email", "not an e-mail address"});
  if (u.language != "de" && u.language != "en") errors.push_back({"language", "de or en"});
  if (u.role == Role::agent && u.teams.empty())
    errors.push_back({"team_ids", "an agent belongs to at least one team"});
  if (u.role == Role::customer && !u.teams.empty())
    errors.push_back({"team_ids", "customers are not in teams"});
  if (!u.extension.empty() && !is_extension(u.extension))
    errors.push_back({"extension", "1 to 16 digits"});
  if (u.role == Role::customer && !u.extension.empty())
    errors.push_back({"extension", "only staff have extensions"});
  for (TeamId t : u.teams)
    if (!store.team(t)) {
      errors.push_back({"team_ids", "no team " + std::to_string(t)});
      break;
    }
  if (u.organization && !store.organization(*u.organization))
    errors.push_back({"organization_id", "no organisation " + std::to_string(*u.organization)});
  if (!errors.empty()) return invalid_fields(std::move(errors));
  return {};
}

// The names of the fields an edit sets, for the event: what changed, not the values (a phone
// number is personal data; the record itself says what it is now).
json::array field_names(std::initializer_list<std::pair<const char*, bool>> set) {
  json::array out;
  for (const auto& [name, present] : set)
    if (present) out.push_back(json::string(name));
  return out;
}

}  // namespace

Result<void> validate_login(std::string_view login) {
  if (login.size() < 2 || login.size() > 64) return invalid_field("login", "2 to 64 characters");
  for (char c : login) {
    auto u = static_cast<unsigned char>(c);
    if (!(std::islower(u) || std::isdigit(u) || c == '.' || c == '_' || c == '-' || c == '@'))
      return invalid_field("login", "use lower-case letters, digits and . _ - @");
  }
  return {};
}

Result<void> validate_password(std::string_view password) {
  if (password.size() < 8) return invalid_field("password", "at least 8 characters");
  if (password.size() > 1024) return invalid_field("password", "at most 1024 characters");
  return {};
}

Result<void> DirectoryService::check_manage(const Actor* actor) {
  if (actor && !may(*actor, DirectoryAction::manage))
    return fail(ErrorCode::permission_denied, "only admins manage users, teams and organisations");
  return {};
}

Result<User> DirectoryService::create_user(const Actor* actor, const NewUser& req) {
  if (auto ok = check_manage(actor); !ok) return std::unexpected(ok.error());
  if (auto ok = validate_login(req.login); !ok) return std::unexpected(ok.error());
  if (is_blank(req.name)) return invalid_field("name", "required");
  if (!req.email.empty() && req.email.find('@') == std::string::npos)
    return invalid_field("email", "not an e-mail address");
  if (req.language != "de" && req.language != "en") return invalid_field("language", "de or en");
  if (!req.password.empty())
    if (auto ok = validate_password(req.password); !ok) return std::unexpected(ok.error());
  if (req.role == Role::agent && req.teams.empty())
    return invalid_field("team_ids", "an agent belongs to at least one team");
  if (req.role == Role::customer && !req.teams.empty())
    return invalid_field("team_ids", "customers are not in teams");
  for (TeamId t : req.teams)
    if (!store_.team(t)) return invalid_field("team_ids", "no team " + std::to_string(t));
  if (req.organization && !store_.organization(*req.organization))
    return invalid_field("organization_id", "no organisation " + std::to_string(*req.organization));
  std::string phone;
  if (!req.phone.empty()) {
    auto p = phone_number(req.phone, "phone");
    if (!p) return std::unexpected(p.error());
    phone = std::move(*p);
  }
  if (!req.extension.empty() && !is_extension(req.extension))
    return invalid_field("extension", "1 to 16 digits");
  if (!req.extension.empty() && req.role == Role::customer)
    return invalid_field("extension", "only staff have extensions");

  UserRecord record;
  User& u = record.user;
  u.login = req.login;
  u.name = req.name;
  u.email = req.email;
  u.role = req.role;
  u.organization = req.organization;
  u.teams = req.teams;
  u.language = req.language;
  u.phone = std::move(phone);
  u.extension = req.extension;
  u.created_at = clock_.now();
  if (!req.password.empty()) {
    auto h = hasher_.hash(req.password);
    if (!h) return std::unexpected(h.error());
    record.password_hash = std::move(*h);
  }
  return store_.insert_user(record,
                            directory_event(event_type::user_created, actor, u.created_at,
                                            {{"login", u.login}, {"role", name_of(u.role)}}));
}

Result<Team> DirectoryService::create_team(const Actor* actor, const NewTeam& req) {
  if (auto ok = check_manage(actor); !ok) return std::unexpected(ok.error());
  if (is_blank(req.name) || req.name.size() > 100)
    return invalid_field("name", "1 to 100 characters");
  if (!is_ticket_line(req.line)) return invalid_field("line", "a team works at line 1, 2, 3 or 4");
  if (req.kind == TeamKind::vendor && req.line != 4)
    return invalid_field("line", "vendor teams work at line 4");
  for (OrganizationId o : req.served_organizations)
    if (!store_.organization(o))
      return invalid_field("organization_ids", "no organisation " + std::to_string(o));
  Team t{.name = req.name,
         .line = req.line,
         .kind = req.kind,
         .served_organizations = req.served_organizations,
         .created_at = clock_.now()};
  auto created = store_.insert_team(
      t, directory_event(event_type::team_created, actor, t.created_at,
                         {{"name", t.name}, {"line", t.line}, {"kind", name_of(t.kind)}}));
  std::lock_guard lock(teams_mutex_);
  teams_.reset();
  return created;
}

Result<Team> DirectoryService::set_team_routing(const Actor& actor, TeamId id,
                                                AssignmentMode mode, bool skill_routing) {
  if (!may_manage_routing(actor))
    return fail(ErrorCode::permission_denied, "only supervisors and admins set a team's routing");
  auto team = store_.update_team_routing(
      id, mode, skill_routing,
      directory_event(event_type::team_updated, &actor, clock_.now(),
                      {{"team", id}, {"assignment", name_of(mode)}, {"skill_routing", skill_routing}}));
  std::lock_guard lock(teams_mutex_);
  teams_.reset();
  return team;
}

Result<User> DirectoryService::set_availability(const Actor& actor, UserId id,
                                                Availability availability) {
  if (!may_set_availability(actor, id))
    return fail(ErrorCode::permission_denied, "you may set only your own availability");
  auto user = store_.user(id);
  if (!user) return user;
  if (user->role == Role::customer)
    return invalid_field("user", "customers have no availability");
  return store_.update_user_availability(
      id, availability,
      directory_event(event_type::user_updated, &actor, clock_.now(),
                      {{"user", id}, {"availability", name_of(availability)}}));
}

Result<User> DirectoryService::set_skills(const Actor& actor, UserId id,
                                          const std::vector<std::string>& raw) {
  if (!may_manage_routing(actor))
    return fail(ErrorCode::permission_denied, "only supervisors and admins set skills");
  auto skills = normalise_skills(raw);
  if (!skills) return std::unexpected(skills.error());
  auto user = store_.user(id);
  if (!user) return user;
  if (user->role == Role::customer) return invalid_field("user", "customers have no skills");
  return store_.update_user_skills(
      id, *skills,
      directory_event(event_type::user_updated, &actor, clock_.now(),
                      {{"user", id}, {"skills", json::array(skills->begin(), skills->end())}}));
}

Result<std::string> DirectoryService::phone_number(std::string_view text,
                                                   std::string_view field) const {
  auto number = normalise_phone(text, options_.default_country_code);
  if (!number) return invalid_field(std::string(field), number.error().message);
  return number;
}

Result<User> DirectoryService::update_user(const Actor& actor, UserId id, const UserEdit& edit) {
  if (auto ok = check_manage(&actor); !ok) return std::unexpected(ok.error());
  auto stored = store_.user(id);
  if (!stored) return stored;
  if (stored->login == kSystemLogin) return fail(ErrorCode::not_found, "user not found");
  User u = *stored;
  if (edit.name) u.name = trim(*edit.name);
  if (edit.email) u.email = trim(*edit.email);
  if (edit.role) u.role = *edit.role;
  if (edit.teams) u.teams = *edit.teams;
  if (edit.organization) u.organization = *edit.organization;
  if (edit.language) u.language = *edit.language;
  if (edit.active) u.active = *edit.active;
  if (edit.extension) u.extension = *edit.extension;
  std::vector<FieldError> errors;
  if (edit.phone) {
    u.phone.clear();
    if (!is_blank(*edit.phone)) {
      auto p = phone_number(*edit.phone, "phone");
      if (p)
        u.phone = std::move(*p);
      else
        errors.push_back(p.error().fields.front());
    }
  }
  if (edit.password)
    if (auto ok = validate_password(*edit.password); !ok) errors.push_back(ok.error().fields.front());
  if (auto ok = check_user_fields(store_, u, std::move(errors)); !ok)
    return std::unexpected(ok.error());
  std::optional<std::string> hash;
  if (edit.password) {
    auto h = hasher_.hash(*edit.password);
    if (!h) return std::unexpected(h.error());
    hash = std::move(*h);
  }
  json::object payload{{"user", id},
                       {"fields", field_names({{"name", edit.name.has_value()},
                                               {"email", edit.email.has_value()},
                                               {"role", edit.role.has_value()},
                                               {"team_ids", edit.teams.has_value()},
                                               {"organization_id", edit.organization.has_value()},
                                               {"language", edit.language.has_value()},
                                               {"active", edit.active.has_value()},
                                               {"phone", edit.phone.has_value()},
                                               {"extension", edit.extension.has_value()},
                                               {"password", edit.password.has_value()}})},
                       {"role", name_of(u.role)},
                       {"active", u.active}};
  return store_.update_user(
      u, directory_event(event_type::user_updated, &actor, clock_.now(), payload), hash);
}

Result<User> DirectoryService::update_profile(const Actor& actor, const ProfileEdit& edit) {
  if (!may_edit_profile(actor, actor.user.id))
    return fail(ErrorCode::permission_denied, "you may edit only your own profile");
  auto stored = store_.user(actor.user.id);
  if (!stored) return stored;
  User u = *stored;
  std::vector<FieldError> errors;
  if (edit.name) {
    u.name = trim(*edit.name);
    if (u.name.empty() || u.name.size() > 200) errors.push_back({"name", "1 to 200 characters"});
  }
  if (edit.language) {
    u.language = *edit.language;
    if (u.language != "de" && u.language != "en") errors.push_back({"language", "de or en"});
  }
  if (edit.phone) {
    u.phone.clear();
    if (!is_blank(*edit.phone)) {
      auto p = phone_number(*edit.phone, "phone");
      if (p)
        u.phone = std::move(*p);
      else
        errors.push_back(p.error().fields.front());
    }
  }
  if (!errors.empty()) return invalid_fields(std::move(errors));
  json::object payload{{"user", u.id},
                       {"fields", field_names({{"name", edit.name.has_value()},
                                               {"language", edit.language.has_value()},
                                               {"phone", edit.phone.has_value()}})},
                       {"role", name_of(u.role)},
                       {"active", u.active}};
  return store_.update_user(
      u, directory_event(event_type::user_updated, &actor, clock_.now(), payload), std::nullopt);
}

Result<Team> DirectoryService::update_team(const Actor& actor, TeamId id, const TeamEdit& edit) {
  if (auto ok = check_manage(&actor); !ok) return std::unexpected(ok.error());
  auto stored = store_.team(id);
  if (!stored) return stored;
  Team t = *stored;
  if (edit.name) t.name = trim(*edit.name);
  if (edit.line) t.line = *edit.line;
  if (edit.kind) t.kind = *edit.kind;
  if (edit.served_organizations) t.served_organizations = *edit.served_organizations;
  std::vector<FieldError> errors;
  if (t.name.empty() || t.name.size() > 100) errors.push_back({"name", "1 to 100 characters"});
  if (!is_ticket_line(t.line))
    errors.push_back({"line", "a team works at line 1, 2, 3 or 4"});
  else if (t.kind == TeamKind::vendor && t.line != 4)
    errors.push_back({"line", "vendor teams work at line 4"});
  for (OrganizationId o : t.served_organizations)
    if (!store_.organization(o)) {
      errors.push_back({"organization_ids", "no organisation " + std::to_string(o)});
      break;
    }
  if (!errors.empty()) return invalid_fields(std::move(errors));
  if (t.line != stored->line) {
    // Its tickets sit at the team's line; moving the team would strand them between lines.
    TicketQuery held{
        .scope = TicketScope::all(),
        .team = id,
        .statuses = {TicketStatus::new_, TicketStatus::open, TicketStatus::pending_customer,
                     TicketStatus::pending_vendor, TicketStatus::resolved},
        .limit = 1};
    auto page = store_.tickets(held);
    if (!page) return std::unexpected(page.error());
    if (!page->tickets.empty())
      return fail(ErrorCode::failed_precondition,
                  "the team holds unsolved tickets at line " + std::to_string(stored->line) +
                      ": move them to another team before changing its line");
  }
  json::object payload{
      {"team", id},
      {"fields", field_names({{"name", edit.name.has_value()},
                              {"line", edit.line.has_value()},
                              {"kind", edit.kind.has_value()},
                              {"organization_ids", edit.served_organizations.has_value()}})},
      {"name", t.name},
      {"line", t.line},
      {"kind", name_of(t.kind)}};
  auto updated = store_.update_team(
      t, directory_event(event_type::team_updated, &actor, clock_.now(), payload));
  std::lock_guard lock(teams_mutex_);
  teams_.reset();
  return updated;
}

Result<Organization> DirectoryService::update_organization(const Actor& actor, OrganizationId id,
                                                           const OrganizationEdit& edit) {
  if (auto ok = check_manage(&actor); !ok) return std::unexpected(ok.error());
  auto stored = store_.organization(id);
  if (!stored) return stored;
  Organization o = *stored;
  if (edit.name) o.name = trim(*edit.name);
  if (edit.domain) o.domain = trim(*edit.domain);
  if (edit.customers_see_all_tickets) o.customers_see_all_tickets = *edit.customers_see_all_tickets;
  std::vector<FieldError> errors;
  if (o.name.empty() || o.name.size() > 200) errors.push_back({"name", "1 to 200 characters"});
  if (o.domain.size() > 253 || o.domain.find_first_of(" @/") != std::string::npos)
    errors.push_back({"domain", "a mail domain such as example.com"});
  if (!errors.empty()) return invalid_fields(std::move(errors));
  json::object payload{
      {"organization", id},
      {"fields",
       field_names({{"name", edit.name.has_value()},
                    {"domain", edit.domain.has_value()},
                    {"customers_see_all_tickets", edit.customers_see_all_tickets.has_value()}})},
      {"name", o.name}};
  return store_.update_organization(
      o, directory_event(event_type::organization_updated, &actor, clock_.now(), payload));
}

Result<std::shared_ptr<const std::vector<Team>>> DirectoryService::all_teams() {
  Timestamp now = clock_.now();
  {
    std::lock_guard lock(teams_mutex_);
    if (teams_ && now < teams_until_) return teams_;
  }
  auto teams = store_.teams();
  if (!teams) return std::unexpected(teams.error());
  auto shared = std::make_shared<const std::vector<Team>>(std::move(*teams));
  std::lock_guard lock(teams_mutex_);
  teams_ = shared;
  teams_until_ = now + std::chrono::seconds(1);
  return shared;
}

Result<Organization> DirectoryService::create_organization(const Actor* actor,
                                                           const NewOrganization& req) {
  if (auto ok = check_manage(actor); !ok) return std::unexpected(ok.error());
  if (is_blank(req.name) || req.name.size() > 200)
    return invalid_field("name", "1 to 200 characters");
  if (req.domain.find_first_of(" @/") != std::string::npos)
    return invalid_field("domain", "a mail domain such as example.com");
  Organization o{.name = req.name,
                 .domain = req.domain,
                 .customers_see_all_tickets = req.customers_see_all_tickets,
                 .created_at = clock_.now()};
  return store_.insert_organization(o, directory_event(event_type::organization_created, actor,
                                                       o.created_at, {{"name", o.name}}));
}

Result<std::vector<User>> DirectoryService::users(const Actor& actor, std::optional<Role> role) {
  if (!may(actor, DirectoryAction::list))
    return fail(ErrorCode::permission_denied, "customers and vendors cannot list users");
  return store_.users(role);
}

Result<std::vector<Team>> DirectoryService::teams(const Actor& actor) {
  if (!may(actor, DirectoryAction::list))
    return fail(ErrorCode::permission_denied, "customers and vendors cannot list teams");
  return store_.teams();
}

Result<std::vector<Organization>> DirectoryService::organizations(const Actor& actor) {
  if (!may(actor, DirectoryAction::list))
    return fail(ErrorCode::permission_denied, "customers and vendors cannot list organisations");
  return store_.organizations();
}

Result<Actor> DirectoryService::actor_for(const User& user) {
  Actor a;
  a.user = user;
  if (!user.teams.empty()) {
    auto all = store_.teams();
    if (!all) return std::unexpected(all.error());
    for (auto& t : *all)
      if (std::ranges::find(user.teams, t.id) != user.teams.end()) a.teams.push_back(std::move(t));
  }
  if (user.organization) {
    auto o = store_.organization(*user.organization);
    if (o) a.organization = std::move(*o);
  }
  return a;
}

Result<User> DirectoryService::first_contact_customer(std::string_view address, std::string name,
                                                      std::string language) {
  auto orgs = store_.organizations();
  if (!orgs) return std::unexpected(orgs.error());
  std::optional<OrganizationId> organization;
  const std::string domain = mail_domain(address);
  for (const auto& o : *orgs)
    if (!domain.empty() && mail_domain("@" + o.domain) == domain) organization = o.id;
  // Addresses with characters a login may not hold ('+', upper case ...) get a stable name.
  NewUser request{.login = validate_login(address) ? std::string(address)
                                                   : "mail-" + sha256_hex(address).substr(0, 20),
                  .name = std::move(name),
                  .email = address.size() <= 254 ? std::string(address) : std::string{},
                  .role = Role::customer,
                  .organization = organization,
                  .language = std::move(language)};
  auto created = create_user(nullptr, request);
  if (created || created.error().code != ErrorCode::conflict) return created;
  auto again = store_.user_record_by_login(request.login);
  if (!again) return std::unexpected(again.error());
  return again->user;
}

}  // namespace fl
