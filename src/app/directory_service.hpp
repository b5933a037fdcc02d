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
  std::string phone;     // as typed (normalised here); may be empty
  std::string extension;  // staff; may be empty
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

// An admin's edit of a user; absent fields stay as they are.
struct UserEdit {
  std::optional<std::string> name;
  std::optional<std::string> email;
  std::optional<Role> role;
  std::optional<std::vector<TeamId>> teams;
  std::optional<std::optional<OrganizationId>> organization;  // engaged + nullopt: none
  std::optional<std::string> language;
  std::optional<bool> active;
  std::optional<std::string> phone;      // as typed (normalised here); "" removes it
  std::optional<std::string> extension;  // "" removes it
  std::optional<std::string> password;   // a reset: ends the user's sessions
};

// What everyone edits of themselves; absent fields stay as they are.
struct ProfileEdit {
  std::optional<std::string> name;
  std::optional<std::string> language;
  std::optional<std::string> phone;  // as typed; "" removes it
};

// An admin's edit of a team (routing has its own call); absent fields stay as they are.
struct TeamEdit {
  std::optional<std::string> name;
  std::optional<int> line;
  std::optional<TeamKind> kind;
  std::optional<std::vector<OrganizationId>> served_organizations;
};

// An admin's edit of an organisation; absent fields stay as they are.
struct OrganizationEdit {
  std::optional<std::string> name;
  std::optional<std::string> domain;
  std::optional<bool> customers_see_all_tickets;
};

struct DirectoryOptions {
  // Phone numbers typed without a country code get this one ("49"; core/phone.hpp). Empty:
  // numbers must be given in international form.
  std::string default_country_code;
};

class DirectoryService {
 public:
  DirectoryService(Store& store, PasswordHasher& hasher, const Clock& clock,
                   DirectoryOptions options = {})
      : store_(store), hasher_(hasher), clock_(clock), options_(std::move(options)) {}

  // `actor` empty: the system itself (CLI set-up, demo data) — no access check.
  Result<User> create_user(const Actor* actor, const NewUser& request);
  // A customer for an e-mail address met for the first time (a mail, a chatbot hand-off): no
  // password, in the organisation whose domain is the address's, with a login made from the
  // address; the account another request made meanwhile if it was quicker. The callers decide
  // first which existing account an address means.
  Result<User> first_contact_customer(std::string_view address, std::string name,
                                      std::string language);
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

  // Admins edit users, teams and organisations; each change is an event (user.updated,
  // team.updated, organization.updated) in the same transaction. A user made inactive loses
  // their sessions and tokens; the last active admin cannot be made inactive or given another
  // role (failed_precondition). A team holding unsolved tickets keeps its line
  // (failed_precondition): its tickets would sit at a line the team no longer works at.
  Result<User> update_user(const Actor& actor, UserId id, const UserEdit& edit);
  Result<User> update_profile(const Actor& actor, const ProfileEdit& edit);
  Result<Team> update_team(const Actor& actor, TeamId id, const TeamEdit& edit);
  Result<Organization> update_organization(const Actor& actor, OrganizationId id,
                                           const OrganizationEdit& edit);

  // A phone number as typed, in international form; invalid_argument names `field`.
  Result<std::string> phone_number(std::string_view text, std::string_view field) const;

  // The user with teams and organisation resolved, as access rules need it.
  Result<Actor> actor_for(const User& user);

 private:
  Result<void> check_manage(const Actor* actor);
  Store& store_;
  PasswordHasher& hasher_;
  const Clock& clock_;
  const DirectoryOptions options_;
  std::mutex teams_mutex_;
  std::shared_ptr<const std::vector<Team>> teams_;  // guarded by teams_mutex_
  Timestamp teams_until_{};
};

// Rules for the fields, shared with the CLI: a clear message naming the field.
[[nodiscard]] Result<void> validate_login(std::string_view login);
[[nodiscard]] Result<void> validate_password(std::string_view password);

}  // namespace fl
