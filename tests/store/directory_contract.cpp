// The Store contract for editing the directory and finding people by phone: users' phone
// numbers and extensions, the admin's edits of users, teams and organisations with their
// events, deactivation revoking credentials, and the desk never left without an active admin.
// Runs against every adapter (see store_contract.hpp).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "store/store_contract.hpp"

namespace fl::store_contract {

namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<UserId> ids(const std::vector<User>& users) {
  std::vector<UserId> out;
  for (const auto& u : users) out.push_back(u.id);
  return out;
}

}  // namespace

User DirectoryContract::add_person(const std::string& login, Role role, std::string phone,
                                   std::string extension, std::vector<TeamId> teams) {
  UserRecord r;
  r.user.login = login;
  r.user.name = "Name of " + login;
  r.user.role = role;
  r.user.teams = std::move(teams);
  r.user.phone = std::move(phone);
  r.user.extension = std::move(extension);
  r.user.created_at = at();
  return must(store().insert_user(r, event_of(event_type::user_created)), "insert_user");
}

std::string DirectoryContract::last_event_type() {
  const EventId latest = must(store().latest_event_id());
  const auto events = must(store().events_after(latest - 1, 1));
  return events.empty() ? "" : events.front().type;
}

TEST_P(DirectoryContract, UsersKeepPhoneAndExtension) {
  const User lena = add_person("lena", Role::agent, "+49301111111", "201", {desk_});
  expect_same_user(must(store().user(lena.id)), lena);
  EXPECT_EQ(must(store().user(lena.id)).phone, "+49301111111");
  EXPECT_EQ(must(store().user_record_by_login("lena")).user.extension, "201");
  EXPECT_EQ(must(store().user(customer_.id)).phone, "") << "none by default";
}

TEST_P(DirectoryContract, UsersAreFoundByPhone) {
  const User clara = add_person("clara", Role::customer, "+49301234567", "");
  const User shared = add_person("front.desk", Role::customer, "+49301234567", "");
  add_person("other", Role::customer, "+49309999999", "");
  EXPECT_THAT(ids(must(store().users_by_phone("+49301234567"))), ElementsAre(clara.id, shared.id));
  EXPECT_THAT(must(store().users_by_phone("+4930123456")), IsEmpty());
  EXPECT_THAT(must(store().users_by_phone("")), IsEmpty()) << "nobody's number is empty";

  User gone = shared;
  gone.active = false;
  must(store().update_user(gone, event_of(event_type::user_updated), std::nullopt));
  EXPECT_THAT(ids(must(store().users_by_phone("+49301234567"))), ElementsAre(clara.id, shared.id))
      << "inactive users too: the app decides";
}

TEST_P(DirectoryContract, StaffAreFoundByExtension) {
  const User lena = add_person("lena", Role::agent, "", "201", {desk_});
  add_person("clara", Role::customer, "", "");
  EXPECT_THAT(ids(must(store().staff_by_extension("201"))), ElementsAre(lena.id));
  EXPECT_THAT(must(store().staff_by_extension("202")), IsEmpty());
  EXPECT_THAT(must(store().staff_by_extension("")), IsEmpty());

  User away = lena;
  away.active = false;
  must(store().update_user(away, event_of(event_type::user_updated), std::nullopt));
  EXPECT_THAT(must(store().staff_by_extension("201")), IsEmpty()) << "active staff only";
}

TEST_P(DirectoryContract, AnExtensionBelongsToOneActiveStaffMember) {
  const User lena = add_person("lena", Role::agent, "", "201", {desk_});
  UserRecord twin;
  twin.user.login = "twin";
  twin.user.name = "Twin";
  twin.user.role = Role::agent;
  twin.user.teams = {desk_};
  twin.user.extension = "201";
  twin.user.created_at = at();
  EXPECT_EQ(code_of(store().insert_user(twin, event_of(event_type::user_created))),
            ErrorCode::conflict);

  twin.user.extension = "";
  User other = must(store().insert_user(twin, event_of(event_type::user_created)));
  other.extension = "201";
  EXPECT_EQ(code_of(store().update_user(other, event_of(event_type::user_updated), std::nullopt)),
            ErrorCode::conflict);
  EXPECT_EQ(must(store().user(other.id)).extension, "") << "nothing of the clash is stored";

  // Once Lena leaves, the extension is free.
  User gone = lena;
  gone.active = false;
  must(store().update_user(gone, event_of(event_type::user_updated), std::nullopt));
  EXPECT_EQ(must(store().update_user(other, event_of(event_type::user_updated), std::nullopt)).extension, "201");
  EXPECT_THAT(ids(must(store().staff_by_extension("201"))), ElementsAre(other.id));
}

TEST_P(DirectoryContract, AnEditStoresTheEditableFieldsWithItsEvent) {
  const Team second = add_team("Second Desk", 1);
  const Organization globex = add_organization("Globex", "globex.example");
  User before =
      must(store().update_user_skills(agent_.id, {"printer"}, event_of(event_type::user_updated)));
  must(store().update_user_availability(agent_.id, Availability::away,
                                        event_of(event_type::user_updated)));
  before = must(store().user(agent_.id));

  User edit = before;
  edit.login = "ignored";
  edit.name = "Lena Erstlinie";
  edit.email = "lena@example.com";
  edit.role = Role::supervisor;
  edit.teams = {second.id, desk_, second.id};
  edit.organization = globex.id;
  edit.language = "de";
  edit.phone = "+49301111111";
  edit.extension = "201";
  edit.skills = {"ignored"};
  edit.availability = Availability::available;
  const EventId latest = must(store().latest_event_id());
  const User stored = must(store().update_user(edit, event_of(event_type::user_updated), std::nullopt));

  User expected = edit;
  expected.login = before.login;
  expected.skills = before.skills;
  expected.availability = Availability::away;
  expected.teams = {desk_, second.id};
  expect_same_user(stored, expected);
  expect_same_user(must(store().user(agent_.id)), expected);
  EXPECT_EQ(must(store().latest_event_id()), latest + 1);
  EXPECT_EQ(last_event_type(), event_type::user_updated);

  edit.teams = {};
  edit.role = Role::customer;
  edit.extension = "";
  EXPECT_THAT(must(store().update_user(edit, event_of(event_type::user_updated), std::nullopt)).teams, IsEmpty());

  User ghost = edit;
  ghost.id = 999'999;
  EXPECT_EQ(code_of(store().update_user(ghost, event_of(event_type::user_updated), std::nullopt)),
            ErrorCode::not_found);
  User lost = edit;
  lost.organization = 999'999;
  EXPECT_EQ(code_of(store().update_user(lost, event_of(event_type::user_updated), std::nullopt)),
            ErrorCode::invalid_argument);
  lost.organization = std::nullopt;
  lost.teams = {999'999};
  EXPECT_EQ(code_of(store().update_user(lost, event_of(event_type::user_updated), std::nullopt)),
            ErrorCode::invalid_argument);
  EXPECT_EQ(must(store().latest_event_id()), latest + 2) << "no event for what failed";
}

TEST_P(DirectoryContract, DeactivatingRevokesEverySessionAndToken) {
  for (auto [kind, hash] :
       {std::pair{CredentialKind::session, "s1"}, std::pair{CredentialKind::api_token, "t1"}}) {
    Credential c;
    c.user = agent_.id;
    c.kind = kind;
    c.token_hash = hash;
    c.created_at = at();
    must(store().insert_credential(c));
  }
  User edit = agent_;
  edit.name = "Renamed";
  must(store().update_user(edit, event_of(event_type::user_updated), std::nullopt));
  EXPECT_FALSE(must(store().credential_by_hash("s1")).revoked) << "an edit alone revokes nothing";

  edit.active = false;
  EXPECT_FALSE(must(store().update_user(edit, event_of(event_type::user_updated), std::nullopt)).active);
  EXPECT_TRUE(must(store().credential_by_hash("s1")).revoked);
  EXPECT_TRUE(must(store().credential_by_hash("t1")).revoked);
}

TEST_P(DirectoryContract, TheLastActiveAdminStays) {
  const User ada = add_person("ada", Role::admin, "", "");
  User demoted = ada;
  demoted.role = Role::supervisor;
  EXPECT_EQ(code_of(store().update_user(demoted, event_of(event_type::user_updated), std::nullopt)),
            ErrorCode::failed_precondition);
  User disabled = ada;
  disabled.active = false;
  EXPECT_EQ(code_of(store().update_user(disabled, event_of(event_type::user_updated), std::nullopt)),
            ErrorCode::failed_precondition);
  EXPECT_EQ(must(store().user(ada.id)).role, Role::admin);
  EXPECT_TRUE(must(store().user(ada.id)).active);
  User renamed = ada;
  renamed.name = "Ada Lovelace";
  EXPECT_EQ(must(store().update_user(renamed, event_of(event_type::user_updated), std::nullopt)).name,
            "Ada Lovelace")
      << "other edits of the last admin are fine";

  const User bob = add_person("bob", Role::admin, "", "");
  EXPECT_EQ(must(store().update_user(demoted, event_of(event_type::user_updated), std::nullopt)).role,
            Role::supervisor)
      << "another admin is left";
  User bob_off = bob;
  bob_off.active = false;
  EXPECT_EQ(code_of(store().update_user(bob_off, event_of(event_type::user_updated), std::nullopt)),
            ErrorCode::failed_precondition);
}

TEST_P(DirectoryContract, TeamsAreEdited) {
  const Organization globex = add_organization("Globex", "globex.example");
  const Team partner = add_team("Partner", 1);
  must(store().update_team_routing(partner.id, AssignmentMode::round_robin, true,
                                   event_of(event_type::team_updated)));
  Team edit = partner;
  edit.name = "Partner Desk";
  edit.kind = TeamKind::outsourced;
  edit.served_organizations = {globex.id, org_, globex.id};
  edit.assignment = AssignmentMode::manual;  // ignored: routing has its own call
  const Team stored = must(store().update_team(edit, event_of(event_type::team_updated)));
  EXPECT_EQ(stored.name, "Partner Desk");
  EXPECT_EQ(stored.kind, TeamKind::outsourced);
  EXPECT_EQ(stored.line, 1);
  std::vector<OrganizationId> served{org_, globex.id};
  std::ranges::sort(served);
  EXPECT_EQ(stored.served_organizations, served);
  EXPECT_EQ(stored.assignment, AssignmentMode::round_robin);
  EXPECT_TRUE(stored.skill_routing);
  EXPECT_EQ(must(store().team(partner.id)).name, "Partner Desk");
  EXPECT_EQ(last_event_type(), event_type::team_updated);

  edit.served_organizations = {};
  EXPECT_THAT(
      must(store().update_team(edit, event_of(event_type::team_updated))).served_organizations,
      IsEmpty());
  edit.name = must(store().team(desk_)).name;
  EXPECT_EQ(code_of(store().update_team(edit, event_of(event_type::team_updated))),
            ErrorCode::conflict);
  edit.name = "Elsewhere";
  edit.served_organizations = {999'999};
  EXPECT_EQ(code_of(store().update_team(edit, event_of(event_type::team_updated))),
            ErrorCode::invalid_argument);
  edit.id = 999'999;
  edit.served_organizations = {};
  EXPECT_EQ(code_of(store().update_team(edit, event_of(event_type::team_updated))),
            ErrorCode::not_found);
}

TEST_P(DirectoryContract, OrganizationsAreEdited) {
  const Organization globex = add_organization("Globex", "globex.example");
  Organization edit = globex;
  edit.name = "Globex Corporation";
  edit.domain = "globex.com";
  edit.customers_see_all_tickets = true;
  const Organization stored =
      must(store().update_organization(edit, event_of(event_type::organization_updated)));
  EXPECT_EQ(stored.name, "Globex Corporation");
  EXPECT_EQ(stored.domain, "globex.com");
  EXPECT_TRUE(stored.customers_see_all_tickets);
  EXPECT_TRUE(stored.created_at == globex.created_at);
  EXPECT_TRUE(must(store().organization(globex.id)).customers_see_all_tickets);
  EXPECT_EQ(last_event_type(), event_type::organization_updated);

  const Organization acme = must(store().organization(org_));
  Organization clash = stored;
  clash.name = acme.name;
  EXPECT_EQ(code_of(store().update_organization(clash, event_of(event_type::organization_updated))),
            ErrorCode::conflict);
  if (!acme.domain.empty()) {
    clash = stored;
    clash.domain = acme.domain;
    EXPECT_EQ(
        code_of(store().update_organization(clash, event_of(event_type::organization_updated))),
        ErrorCode::conflict);
  }
  clash = stored;
  clash.id = 999'999;
  EXPECT_EQ(code_of(store().update_organization(clash, event_of(event_type::organization_updated))),
            ErrorCode::not_found);
}

}  // namespace fl::store_contract
