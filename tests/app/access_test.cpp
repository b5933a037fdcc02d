// The access matrix as a table: role x ticket x action -> allowed.
#include "app/access.hpp"

#include <gtest/gtest.h>

#include <map>

namespace fl {

namespace {

constexpr OrganizationId kAcme = 1, kGlobex = 2;
const Team kDesk{.id = 1, .name = "Service Desk", .line = 1, .kind = TeamKind::internal};
const Team kPartner{.id = 2,
                    .name = "Partner Desk",
                    .line = 1,
                    .kind = TeamKind::outsourced,
                    .served_organizations = {kGlobex}};
const Team kDesktop{.id = 3, .name = "Desktop", .line = 2, .kind = TeamKind::internal};
const Team kNetwork{.id = 4, .name = "Network", .line = 3, .kind = TeamKind::internal};
const Team kVendor{.id = 5, .name = "Vendor", .line = 4, .kind = TeamKind::vendor};

Actor make(UserId id, Role role, std::vector<Team> teams, std::optional<Organization> org = {}) {
  Actor a;
  a.user.id = id;
  a.user.role = role;
  for (const auto& t : teams) a.user.teams.push_back(t.id);
  a.teams = std::move(teams);
  if (org) a.user.organization = org->id;
  a.organization = std::move(org);
  return a;
}

Ticket ticket(TicketId id, int line, const Team& team, const Team& origin, OrganizationId org,
              UserId requester) {
  Ticket t;
  t.id = id;
  t.line = line;
  t.team = team.id;
  t.origin_team = origin.id;
  t.organization = org;
  t.requester = requester;
  return t;
}

const Organization kAcmeOrg{.id = kAcme, .name = "Acme"};
const Organization kGlobexShared{
    .id = kGlobex, .name = "Globex", .customers_see_all_tickets = true};

const std::map<std::string, Actor> kActors = {
    {"customer1", make(101, Role::customer, {}, kAcmeOrg)},
    {"customer2", make(102, Role::customer, {}, kGlobexShared)},
    {"customer3", make(103, Role::customer, {}, kGlobexShared)},  // same org, sharing on
    {"l1", make(201, Role::agent, {kDesk})},
    {"partner", make(202, Role::agent, {kPartner})},
    {"l2", make(203, Role::agent, {kDesktop})},
    {"l3", make(204, Role::agent, {kNetwork})},
    {"vendor", make(205, Role::agent, {kVendor})},
    {"supervisor", make(301, Role::supervisor, {})},
    {"admin", make(302, Role::admin, {})},
};

const std::map<std::string, Ticket> kTickets = {
    {"acme_l1", ticket(1, 1, kDesk, kDesk, kAcme, 101)},
    {"acme_l2", ticket(2, 2, kDesktop, kDesk, kAcme, 101)},  // escalated by the desk
    {"acme_l3", ticket(3, 3, kNetwork, kDesk, kAcme, 101)},
    {"acme_l4", ticket(4, 4, kVendor, kDesk, kAcme, 101)},
    {"globex_l1", ticket(5, 1, kPartner, kPartner, kGlobex, 102)},
    {"globex_l3", ticket(6, 3, kNetwork, kPartner, kGlobex, 102)},  // escalated by the partner
    {"globex_desk", ticket(7, 1, kDesk, kDesk, kGlobex, 102)},      // Globex ticket at the own desk
};

struct Row {
  const char* actor;
  const char* ticket;
  TicketAction action;
  bool allowed;
};

using A = TicketAction;
const Row kMatrix[] = {
    // Customers: their own tickets (or their organisation's, where it shares), public only.
    {"customer1", "acme_l1", A::view, true},
    {"customer1", "acme_l4", A::view, true},
    {"customer1", "acme_l1", A::reply, true},
    {"customer1", "acme_l1", A::view_internal, false},
    {"customer1", "acme_l1", A::note, false},
    {"customer1", "acme_l1", A::set_status, false},
    {"customer1", "acme_l1", A::escalate, false},
    {"customer1", "globex_l1", A::view, false},
    {"customer3", "globex_l1", A::view, true},
    {"customer3", "globex_l1", A::note, false},
    {"customer3", "acme_l1", A::view, false},
    // First line: its line and the tickets it took, even after escalation.
    {"l1", "acme_l1", A::view, true},
    {"l1", "acme_l1", A::view_internal, true},
    {"l1", "acme_l1", A::escalate, true},
    {"l1", "acme_l2", A::view, true},
    {"l1", "acme_l2", A::reply, true},
    {"l1", "acme_l2", A::note, true},
    {"l1", "acme_l2", A::escalate, false},  // only the holder moves it
    {"l1", "acme_l4", A::view, true},
    {"l1", "globex_l1", A::view, true},  // line 1, same line as the desk
    {"l1", "globex_l3", A::view, false},
    // Outsourced desk: its team's tickets and its organisations', nothing else.
    {"partner", "globex_l1", A::view, true},
    {"partner", "globex_l1", A::escalate, true},
    {"partner", "globex_l3", A::view, true},
    {"partner", "globex_l3", A::reply, true},
    {"partner", "globex_desk", A::view, true},
    {"partner", "globex_desk", A::transfer, false},
    {"partner", "acme_l1", A::view, false},
    {"partner", "acme_l2", A::view, false},
    // Higher lines see their line and below.
    {"l2", "acme_l1", A::view, true},
    {"l2", "acme_l2", A::view, true},
    {"l2", "acme_l2", A::escalate, true},
    {"l2", "acme_l2", A::return_, true},
    {"l2", "acme_l1", A::escalate, false},
    {"l2", "acme_l3", A::view, false},
    {"l3", "acme_l3", A::view, true},
    {"l3", "globex_l3", A::view, true},
    {"l3", "acme_l4", A::view, false},
    // Vendors: only what is escalated to them, public entries plus the hand-off note.
    {"vendor", "acme_l4", A::view, true},
    {"vendor", "acme_l4", A::reply, true},
    {"vendor", "acme_l4", A::set_status, true},
    {"vendor", "acme_l4", A::set_vendor_reference, true},
    {"vendor", "acme_l4", A::return_, true},
    {"vendor", "acme_l4", A::view_internal, false},
    {"vendor", "acme_l4", A::update, false},
    {"vendor", "acme_l4", A::escalate, false},
    {"vendor", "acme_l1", A::view, false},
    {"vendor", "acme_l3", A::view, false},
    // Supervisors and admins: everything.
    {"supervisor", "globex_l3", A::view_internal, true},
    {"supervisor", "acme_l4", A::escalate, true},
    {"admin", "acme_l2", A::transfer, true},
};

}  // namespace

TEST(AccessMatrix, RoleTimesActionTable) {
  for (const auto& row : kMatrix) {
    const Actor& a = kActors.at(row.actor);
    const Ticket& t = kTickets.at(row.ticket);
    EXPECT_EQ(may(a, row.action, t), row.allowed)
        << row.actor << " " << name_of(row.action) << " " << row.ticket;
  }
}

// The store filters lists with the scope; may(view) must agree with it for every pair.
TEST(AccessMatrix, ScopeAgreesWithView) {
  for (const auto& [an, a] : kActors)
    for (const auto& [tn, t] : kTickets)
      EXPECT_EQ(scope_for(a).matches(t), may(a, TicketAction::view, t)) << an << " " << tn;
}

TEST(AccessMatrix, NothingWithoutView) {
  for (const auto& [an, a] : kActors)
    for (const auto& [tn, t] : kTickets)
      if (!may(a, TicketAction::view, t)) {
        for (const auto& [action, name] : EnumNames<TicketAction>::table) {
          EXPECT_FALSE(may(a, action, t)) << an << " " << name << " " << tn;
        }
      }
}

TEST(AccessMatrix, TimelineVisibility) {
  const Ticket& t = kTickets.at("acme_l4");
  Entry reply{.kind = EntryKind::reply}, note{.kind = EntryKind::note},
      call{.kind = EntryKind::call};
  const Actor& vendor = kActors.at("vendor");
  EXPECT_TRUE(may_see_entry(vendor, t, reply));
  EXPECT_FALSE(may_see_entry(vendor, t, note));
  EXPECT_FALSE(may_see_entry(vendor, t, call));
  EXPECT_FALSE(may_see_entry(kActors.at("customer1"), t, note));
  EXPECT_TRUE(may_see_entry(kActors.at("l1"), t, note));

  Event to_vendor{.type = std::string(event_type::escalated)};
  EXPECT_TRUE(may_see_event(vendor, t, to_vendor, kVendor.id));
  EXPECT_FALSE(may_see_event(vendor, t, to_vendor, kDesktop.id)) << "an earlier, internal hand-off";
  EXPECT_FALSE(may_see_event(kActors.at("customer1"), t, to_vendor, kVendor.id));
  Event updated{.type = std::string(event_type::ticket_updated)};
  EXPECT_FALSE(may_see_event(kActors.at("customer1"), t, updated, std::nullopt));
}

TEST(AccessMatrix, Directory) {
  EXPECT_FALSE(may(kActors.at("customer1"), DirectoryAction::list));
  EXPECT_FALSE(may(kActors.at("vendor"), DirectoryAction::list));
  EXPECT_TRUE(may(kActors.at("l1"), DirectoryAction::list));
  EXPECT_FALSE(may(kActors.at("supervisor"), DirectoryAction::manage));
  EXPECT_TRUE(may(kActors.at("admin"), DirectoryAction::manage));
  EXPECT_TRUE(may_create_for_others(kActors.at("l1")));
  EXPECT_FALSE(may_create_for_others(kActors.at("vendor")));
  EXPECT_FALSE(may_create_for_others(kActors.at("customer1")));
}

TEST(AccessMatrix, PhoneAndProfiles) {
  // The caller lookup is for the desk's staff; vendors and customers never see other people.
  for (const char* who : {"l1", "partner", "l2", "l3", "supervisor", "admin"})
    EXPECT_TRUE(may_look_up_callers(kActors.at(who))) << who;
  for (const char* who : {"vendor", "customer1"})
    EXPECT_FALSE(may_look_up_callers(kActors.at(who))) << who;
  // Everyone edits their own profile, nobody else's (admins do that as managers).
  for (const auto& [name, actor] : kActors) {
    EXPECT_TRUE(may_edit_profile(actor, actor.user.id)) << name;
    EXPECT_FALSE(may_edit_profile(actor, actor.user.id + 1000)) << name;
  }
  Actor disabled = kActors.at("l1");
  disabled.user.active = false;
  EXPECT_FALSE(may_edit_profile(disabled, disabled.user.id));
}

TEST(AccessMatrix, WebhooksAreForAdmins) {
  EXPECT_TRUE(may_manage_webhooks(kActors.at("admin")));
  for (const char* who : {"supervisor", "l1", "vendor", "customer1"})
    EXPECT_FALSE(may_manage_webhooks(kActors.at(who))) << who;
}

}  // namespace fl
