// Users, teams and organisations: listed by staff, managed by admins.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "app/secrets.hpp"
#include "store/store.hpp"

namespace fl {

struct NewUser {
  std::string login;
  std::string name;
  std::string email;
  Role role = Role::customer;
  std::optional<OrganizationId> organization;
  std::vector<TeamId> teams;
  std::string language = "en";
  std::string password;  // empty: no password login (e.g. API-only or mail-only customer)
};

struct NewTeam {
  std::string name;
  int line = 1;
  TeamKind kind = TeamKind::internal;
  std::vector<OrganizationId> served_organizations;
};

struct NewOrganization {
  std::string name;
  std::string domain;
  bool customers_see_all_tickets = false;
};

class DirectoryService {
 public:
  DirectoryService(Store& store, PasswordHasher& hasher, const Clock& clock)
      : store_(store), hasher_(hasher), clock_(clock) {}

  // `actor` empty: the system itself (CLI set-up, demo data) — no access check.
  Result<User> create_user(const Actor* actor, const NewUser& request);
  Result<Team> create_team(const Actor* actor, const NewTeam& request);
  Result<Organization> create_organization(const Actor* actor, const NewOrganization& request);

  Result<std::vector<User>> users(const Actor& actor, std::optional<Role> role);
  Result<std::vector<Team>> teams(const Actor& actor);
  Result<std::vector<Organization>> organizations(const Actor& actor);

  // Every team, without an access check: for showing team names beside ids. Cached for a
  // second (teams change rarely; a list of tickets would otherwise read them every time);
  // a team created through this service shows at once.
  Result<std::shared_ptr<const std::vector<Team>>> all_teams();

  // Automatic assignment settings (see core/assignment.hpp and access.hpp for who may).
  Result<Team> set_team_routing(const Actor& actor, TeamId team, AssignmentMode mode,
                                bool skill_routing);
  Result<User> set_availability(const Actor& actor, UserId user, Availability availability);
  Result<User> set_skills(const Actor& actor, UserId user, const std::vector<std::string>& skills);

  // The user with teams and organisation resolved, as access rules need it.
  Result<Actor> actor_for(const User& user);

 private:
  Result<void> check_manage(const Actor* actor);
  Store& store_;
  PasswordHasher& hasher_;
  const Clock& clock_;
  std::mutex teams_mutex_;
  std::shared_ptr<const std::vector<Team>> teams_;  // guarded by teams_mutex_
  Timestamp teams_until_{};
};

// Rules for the fields, shared with the CLI: a clear message naming the field.
[[nodiscard]] Result<void> validate_login(std::string_view login);
[[nodiscard]] Result<void> validate_password(std::string_view password);

}  // namespace fl
