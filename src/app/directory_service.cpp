#include "app/directory_service.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

#include "app/access.hpp"
#include "app/event_json.hpp"
#include "core/assignment.hpp"
#include "core/escalation.hpp"

namespace fl {

namespace json = boost::json;

namespace {

Event directory_event(std::string_view type, const Actor* actor, Timestamp at,
                      const json::object& payload) {
  return event_with(type, at, payload,
                    actor ? std::optional<UserId>(actor->user.id) : std::nullopt);
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

  UserRecord record;
  User& u = record.user;
  u.login = req.login;
  u.name = req.name;
  u.email = req.email;
  u.role = req.role;
  u.organization = req.organization;
  u.teams = req.teams;
  u.language = req.language;
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

}  // namespace fl
