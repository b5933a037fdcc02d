// The Store contract for automatic assignment: teams' routing settings, agents' availability
// and skills, the assignment load per team, and automatic assignments recorded with the
// ticket change. Runs against every adapter (see store_contract.hpp).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <tuple>

#include "store/store_contract.hpp"

namespace fl::store_contract {

Ticket AssignmentContract::add_ticket(TeamId team, std::optional<UserId> assignee,
                                      TicketStatus status) {
  Ticket t = draft_ticket("assignment");
  t.team = team;
  t.assignee = assignee;
  t.status = status;
  return create(t).ticket;
}

Ticket AssignmentContract::assign_automatically(Ticket ticket, UserId user,
                                                std::int64_t offset_ms) {
  ticket.assignee = user;
  TicketChange change{ticket, {}, {event_of(event_type::ticket_updated)}};
  change.automatic_assignment = AutomaticAssignment{user, at(offset_ms)};
  return must(store().commit(change), "commit with automatic assignment").ticket;
}

namespace {

// A load row as (user, last automatic assignment in ms since the epoch, open tickets), so a
// whole load compares in one expectation and prints readably.
using LoadRow = std::tuple<UserId, std::optional<std::int64_t>, std::int64_t>;

std::vector<LoadRow> rows(const std::vector<AssignmentLoad>& load) {
  std::vector<LoadRow> out;
  for (const auto& member : load) {
    std::optional<std::int64_t> last;
    if (member.last_assigned_at) last = to_millis(*member.last_assigned_at);
    out.emplace_back(member.user, last, member.open_tickets);
  }
  return out;
}

std::optional<std::int64_t> ms(std::int64_t offset_ms) {
  return to_millis(at(offset_ms));
}

// --- directory fields --------------------------------------------------------------------

TEST_P(AssignmentContract, TeamsKeepTheirRoutingSettings) {
  Team t;
  t.name = "Desktop Support";
  t.line = 2;
  t.assignment = AssignmentMode::round_robin;
  t.skill_routing = true;
  t.created_at = at();
  const Team stored = must(store().insert_team(t, event_of(event_type::team_created)));
  EXPECT_EQ(stored.assignment, AssignmentMode::round_robin);
  EXPECT_TRUE(stored.skill_routing);

  const Team read = must(store().team(stored.id));
  EXPECT_EQ(read.assignment, AssignmentMode::round_robin);
  EXPECT_TRUE(read.skill_routing);
  const Team desk = must(store().team(desk_));
  EXPECT_EQ(desk.assignment, AssignmentMode::manual) << "the default";
  EXPECT_FALSE(desk.skill_routing);

  const auto all = must(store().teams());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].assignment, AssignmentMode::manual);
  EXPECT_FALSE(all[0].skill_routing);
  EXPECT_EQ(all[1].assignment, AssignmentMode::round_robin);
  EXPECT_TRUE(all[1].skill_routing);

  t.name = "Infrastructure";
  t.assignment = AssignmentMode::least_open;
  t.skill_routing = false;
  const Team least_open = must(store().insert_team(t, event_of(event_type::team_created)));
  EXPECT_EQ(must(store().team(least_open.id)).assignment, AssignmentMode::least_open);
  EXPECT_FALSE(must(store().team(least_open.id)).skill_routing);
}

TEST_P(AssignmentContract, UsersKeepTheirAvailabilityAndSkills) {
  UserRecord r;
  r.user.login = "away-agent";
  r.user.name = "Away Agent";
  r.user.role = Role::agent;
  r.user.teams = {desk_};
  r.user.availability = Availability::away;
  r.user.skills = {"lang:de", "network", "printer"};
  r.user.created_at = at();
  const User stored = must(store().insert_user(r, event_of(event_type::user_created)));
  EXPECT_EQ(stored.availability, Availability::away);
  EXPECT_EQ(stored.skills, r.user.skills);

  const User read = must(store().user(stored.id));
  EXPECT_EQ(read.availability, Availability::away);
  EXPECT_EQ(read.skills, (std::vector<std::string>{"lang:de", "network", "printer"}));
  const UserRecord by_login = must(store().user_record_by_login("away-agent"));
  EXPECT_EQ(by_login.user.availability, Availability::away);
  EXPECT_EQ(by_login.user.skills, r.user.skills);

  // The defaults: available, a generalist.
  const User agent = must(store().user(agent_.id));
  EXPECT_EQ(agent.availability, Availability::available);
  EXPECT_TRUE(agent.skills.empty());

  const auto all = must(store().users(std::nullopt));
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].availability, Availability::available);
  EXPECT_TRUE(all[0].skills.empty());
  EXPECT_EQ(all[2].id, stored.id);
  EXPECT_EQ(all[2].availability, Availability::away);
  EXPECT_EQ(all[2].skills, r.user.skills);
  const auto agents = must(store().users(Role::agent));
  ASSERT_EQ(agents.size(), 2u);
  EXPECT_EQ(agents[1].skills, r.user.skills);

  // One skill is a list too.
  r.user.login = "one-skill";
  r.user.skills = {"lang:en"};
  const User one = must(store().insert_user(r, event_of(event_type::user_created)));
  EXPECT_EQ(must(store().user(one.id)).skills, std::vector<std::string>{"lang:en"});
}

// --- updates -----------------------------------------------------------------------------

TEST_P(AssignmentContract, RoutingUpdateIsStoredWithItsEvent) {
  const auto globex = add_organization("Globex").id;
  const Team partner = add_team("Partner Desk", 1, {globex}, TeamKind::outsourced);
  const EventId before = must(store().latest_event_id());

  Event event = event_of(event_type::team_updated, agent_.id);
  event.payload = R"({"assignment":"least_open"})";
  const Team updated =
      must(store().update_team_routing(partner.id, AssignmentMode::least_open, true, event));
  EXPECT_EQ(updated.id, partner.id);
  EXPECT_EQ(updated.assignment, AssignmentMode::least_open);
  EXPECT_TRUE(updated.skill_routing);
  // The rest of the team is as it was.
  EXPECT_EQ(updated.name, "Partner Desk");
  EXPECT_EQ(updated.line, 1);
  EXPECT_EQ(updated.kind, TeamKind::outsourced);
  EXPECT_EQ(updated.served_organizations, std::vector<OrganizationId>{globex});
  EXPECT_TRUE(updated.created_at == partner.created_at);

  const Team read = must(store().team(partner.id));
  EXPECT_EQ(read.assignment, AssignmentMode::least_open);
  EXPECT_TRUE(read.skill_routing);
  EXPECT_EQ(must(store().team(desk_)).assignment, AssignmentMode::manual) << "only that team";

  const auto events = must(store().events_after(before, 10));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, event_type::team_updated);
  EXPECT_EQ(events[0].actor, agent_.id);
  EXPECT_EQ(events[0].payload, R"({"assignment":"least_open"})");

  // And back: a second update replaces both settings.
  const Team back = must(store().update_team_routing(partner.id, AssignmentMode::round_robin, false,
                                                     event_of(event_type::team_updated)));
  EXPECT_EQ(back.assignment, AssignmentMode::round_robin);
  EXPECT_FALSE(back.skill_routing);
  EXPECT_FALSE(must(store().team(partner.id)).skill_routing);

  const EventId last = must(store().latest_event_id());
  EXPECT_EQ(code_of(store().update_team_routing(partner.id + 100, AssignmentMode::least_open, true,
                                                event_of(event_type::team_updated))),
            ErrorCode::not_found);
  EXPECT_TRUE(must(store().events_after(last, 10)).empty()) << "no event for a missing team";
}

TEST_P(AssignmentContract, AvailabilityUpdateIsStoredWithItsEvent) {
  const EventId before = must(store().latest_event_id());
  Event event = event_of(event_type::user_updated, agent_.id);
  event.payload = R"({"availability":"away"})";
  const User away = must(store().update_user_availability(agent_.id, Availability::away, event));
  EXPECT_EQ(away.availability, Availability::away);
  User expected = agent_;
  expected.availability = Availability::away;
  expect_same_user(away, expected);
  expect_same_user(must(store().user(agent_.id)), expected);
  EXPECT_EQ(must(store().user(customer_.id)).availability, Availability::available);

  const auto events = must(store().events_after(before, 10));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, event_type::user_updated);
  EXPECT_EQ(events[0].actor, agent_.id);
  EXPECT_EQ(events[0].payload, R"({"availability":"away"})");

  const User back = must(store().update_user_availability(agent_.id, Availability::available,
                                                          event_of(event_type::user_updated)));
  EXPECT_EQ(back.availability, Availability::available);
  EXPECT_EQ(must(store().user(agent_.id)).availability, Availability::available);
  EXPECT_EQ(must(store().events_after(before, 10)).size(), 2u);

  const EventId last = must(store().latest_event_id());
  EXPECT_EQ(code_of(store().update_user_availability(customer_.id + 100, Availability::away,
                                                     event_of(event_type::user_updated))),
            ErrorCode::not_found);
  EXPECT_TRUE(must(store().events_after(last, 10)).empty()) << "no event for a missing user";
}

TEST_P(AssignmentContract, SkillsUpdateIsStoredAsGivenWithItsEvent) {
  const EventId before = must(store().latest_event_id());
  Event event = event_of(event_type::user_updated, agent_.id);
  event.payload = R"({"skills":["network","lang:de"]})";
  // Stored as given: the app normalises (sorts) them, the store does not.
  const std::vector<std::string> skills = {"network", "lang:de"};
  const User updated = must(store().update_user_skills(agent_.id, skills, event));
  EXPECT_EQ(updated.skills, skills);
  User expected = agent_;
  expected.skills = skills;
  expect_same_user(updated, expected);
  expect_same_user(must(store().user(agent_.id)), expected);
  EXPECT_EQ(must(store().user_record_by_login("agent")).user.skills, skills);

  const auto events = must(store().events_after(before, 10));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, event_type::user_updated);
  EXPECT_EQ(events[0].payload, R"({"skills":["network","lang:de"]})");

  // Replaced, not merged; and cleared.
  EXPECT_EQ(
      must(store().update_user_skills(agent_.id, {"printer"}, event_of(event_type::user_updated)))
          .skills,
      std::vector<std::string>{"printer"});
  EXPECT_EQ(must(store().user(agent_.id)).skills, std::vector<std::string>{"printer"});
  EXPECT_TRUE(must(store().update_user_skills(agent_.id, {}, event_of(event_type::user_updated)))
                  .skills.empty());
  EXPECT_TRUE(must(store().user(agent_.id)).skills.empty());
  EXPECT_EQ(must(store().events_after(before, 10)).size(), 3u);

  const EventId last = must(store().latest_event_id());
  EXPECT_EQ(code_of(store().update_user_skills(customer_.id + 100, {"network"},
                                               event_of(event_type::user_updated))),
            ErrorCode::not_found);
  EXPECT_TRUE(must(store().events_after(last, 10)).empty()) << "no event for a missing user";
}

// --- assignment load ---------------------------------------------------------------------

TEST_P(AssignmentContract, LoadListsTheTeamsActiveMembersWithTheirOpenTicketsInIt) {
  const TeamId desktop = add_team("Desktop Support", 2).id;
  const TeamId empty = add_team("Empty Team", 3).id;
  const User both = add_user("both", Role::agent, std::nullopt, {desk_, desktop});
  const User desktop_only = add_user("desktop-only", Role::agent, std::nullopt, {desktop});
  const User idle = add_user("idle", Role::agent, std::nullopt, {desk_});
  UserRecord gone;
  gone.user.login = "gone";
  gone.user.role = Role::agent;
  gone.user.teams = {desk_};
  gone.user.active = false;
  const User inactive = must(store().insert_user(gone, event_of(event_type::user_created)));

  // agent_ in the desk: every open status counts, solved ones do not.
  for (TicketStatus status :
       {TicketStatus::new_, TicketStatus::open, TicketStatus::pending_customer,
        TicketStatus::pending_vendor, TicketStatus::resolved, TicketStatus::closed})
    add_ticket(desk_, agent_.id, status);
  // `both`: one open ticket in the desk, two in Desktop Support, one solved there.
  add_ticket(desk_, both.id, TicketStatus::open);
  add_ticket(desktop, both.id, TicketStatus::new_);
  add_ticket(desktop, both.id, TicketStatus::pending_customer);
  add_ticket(desktop, both.id, TicketStatus::closed);
  // Not anyone's load in the desk: unassigned, a non-member's, an inactive member's.
  add_ticket(desk_, std::nullopt, TicketStatus::new_);
  add_ticket(desk_, desktop_only.id, TicketStatus::open);
  add_ticket(desk_, inactive.id, TicketStatus::open);

  EXPECT_EQ(
      rows(must(store().assignment_load(desk_))),
      (std::vector<LoadRow>{
          {agent_.id, std::nullopt, 4}, {both.id, std::nullopt, 1}, {idle.id, std::nullopt, 0}}));
  EXPECT_EQ(rows(must(store().assignment_load(desktop))),
            (std::vector<LoadRow>{{both.id, std::nullopt, 2}, {desktop_only.id, std::nullopt, 0}}));
  EXPECT_TRUE(must(store().assignment_load(empty)).empty());

  // A ticket solved, one moved to another team: the counts follow.
  Ticket moved = add_ticket(desk_, both.id, TicketStatus::open);
  EXPECT_EQ(std::get<2>(rows(must(store().assignment_load(desk_)))[1]), 2);
  moved.team = desktop;
  moved = must(store().commit({moved, {}, {}})).ticket;
  Ticket solved = add_ticket(desk_, idle.id, TicketStatus::open);
  solved.status = TicketStatus::resolved;
  must(store().commit({solved, {}, {}}));
  EXPECT_EQ(
      rows(must(store().assignment_load(desk_))),
      (std::vector<LoadRow>{
          {agent_.id, std::nullopt, 4}, {both.id, std::nullopt, 1}, {idle.id, std::nullopt, 0}}));
  EXPECT_EQ(std::get<2>(rows(must(store().assignment_load(desktop)))[0]), 3);

  EXPECT_EQ(code_of(store().assignment_load(empty + 100)), ErrorCode::not_found);
}

TEST_P(AssignmentContract, AutomaticAssignmentIsRecordedPerTeamWithTheChange) {
  const TeamId desktop = add_team("Desktop Support", 2).id;
  const User both = add_user("both", Role::agent, std::nullopt, {desk_, desktop});

  // A new ticket assigned automatically.
  Ticket first = draft_ticket("first");
  first.assignee = agent_.id;
  TicketChange change{first, {}, {event_of(event_type::ticket_created)}};
  change.automatic_assignment = AutomaticAssignment{agent_.id, at(100)};
  first = must(store().commit(change)).ticket;
  EXPECT_EQ(first.assignee, agent_.id);
  EXPECT_EQ(rows(must(store().assignment_load(desk_))),
            (std::vector<LoadRow>{{agent_.id, ms(100), 1}, {both.id, std::nullopt, 0}}));

  // An existing one, to the other member; then agent_ again: the later time replaces the first.
  assign_automatically(add_ticket(desk_, std::nullopt, TicketStatus::new_), both.id, 200);
  assign_automatically(add_ticket(desk_, std::nullopt, TicketStatus::new_), agent_.id, 300);
  EXPECT_EQ(rows(must(store().assignment_load(desk_))),
            (std::vector<LoadRow>{{agent_.id, ms(300), 2}, {both.id, ms(200), 1}}));

  // A change without one leaves the record alone, even when it assigns by hand.
  Ticket by_hand = add_ticket(desk_, std::nullopt, TicketStatus::new_);
  by_hand.assignee = both.id;
  must(store().commit({by_hand, {}, {}}));
  EXPECT_EQ(rows(must(store().assignment_load(desk_))),
            (std::vector<LoadRow>{{agent_.id, ms(300), 2}, {both.id, ms(200), 2}}));

  // Recorded in the ticket's team after the change: moved to Desktop Support and assigned
  // there, it counts for Desktop Support only.
  Ticket moving = add_ticket(desk_, std::nullopt, TicketStatus::new_);
  moving.team = desktop;
  assign_automatically(moving, both.id, 400);
  EXPECT_EQ(rows(must(store().assignment_load(desktop))),
            (std::vector<LoadRow>{{both.id, ms(400), 1}}));
  EXPECT_EQ(rows(must(store().assignment_load(desk_))),
            (std::vector<LoadRow>{{agent_.id, ms(300), 2}, {both.id, ms(200), 2}}));
}

TEST_P(AssignmentContract, AFailedChangeRecordsNoAutomaticAssignment) {
  const User other = add_user("other", Role::agent, std::nullopt, {desk_});
  const Ticket created = add_ticket(desk_, std::nullopt, TicketStatus::new_);
  const Ticket assigned = assign_automatically(created, agent_.id, 100);
  const EventId last_event = must(store().latest_event_id());

  // Stale: `created` still says version 1.
  TicketChange stale{created, {}, {event_of(event_type::ticket_updated)}};
  stale.ticket.assignee = other.id;
  stale.automatic_assignment = AutomaticAssignment{other.id, at(500)};
  EXPECT_EQ(code_of(store().commit(stale)), ErrorCode::conflict);
  stale.ticket.assignee = agent_.id;
  stale.automatic_assignment = AutomaticAssignment{agent_.id, at(600)};
  EXPECT_EQ(code_of(store().commit(stale)), ErrorCode::conflict);

  // An assignment to a user that does not exist stores nothing of the change either.
  TicketChange ghost{assigned, {}, {event_of(event_type::ticket_updated)}};
  ghost.automatic_assignment = AutomaticAssignment{other.id + 100, at(700)};
  auto missing = store().commit(ghost);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::invalid_argument);

  EXPECT_EQ(rows(must(store().assignment_load(desk_))),
            (std::vector<LoadRow>{{agent_.id, ms(100), 1}, {other.id, std::nullopt, 0}}));
  EXPECT_EQ(must(store().ticket(created.id)).version, assigned.version);
  EXPECT_TRUE(must(store().events_after(last_event, 10)).empty());
}

}  // namespace
}  // namespace fl::store_contract
