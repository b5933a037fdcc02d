// What an event means to a live feed client, as pure functions: where an actor's tickets are
// found (reach_of) and where an event moved its ticket (facts_of, undo).
#include "app/live_match.hpp"

#include <gmock/gmock.h>

#include "desk_fixture.hpp"

namespace fl::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

class LiveMatchTest : public DeskTest {};

TEST_F(LiveMatchTest, AllIsFoundThroughWhatTheScopeReaches) {
  auto c = live::reach_of(c1);
  EXPECT_FALSE(c.everything);
  EXPECT_THAT(c.requesters, ElementsAre(c1.user.id)) << "a customer: their own tickets";
  EXPECT_THAT(c.organizations, IsEmpty());

  Organization initech =
      ok(directory->create_organization(nullptr, {"Initech", "initech.example", true}));
  Actor peter = person("peter", Role::customer, initech.id, {});
  EXPECT_THAT(live::reach_of(peter).organizations, ElementsAre(initech.id))
      << "an organisation whose customers see all its tickets";

  auto v = live::reach_of(va);
  EXPECT_FALSE(v.everything);
  EXPECT_THAT(v.teams, ElementsAre(vendor.id)) << "a vendor: tickets at its team";

  auto p = live::reach_of(pa);
  EXPECT_FALSE(p.everything);
  EXPECT_THAT(p.teams, ElementsAre(partner.id));
  EXPECT_THAT(p.origins, ElementsAre(partner.id));
  EXPECT_THAT(p.organizations, UnorderedElementsAre(globex.id));

  EXPECT_TRUE(live::reach_of(l2).everything) << "an internal agent sees whole lines";
  EXPECT_TRUE(live::reach_of(sup).everything);
}

TEST_F(LiveMatchTest, AnEventIsUndoneToTheTicketBeforeIt) {
  Ticket t = open_ticket(c1);
  auto moved = ok(tickets->escalate(l1, t.id,
                                    {.to_line = 2,
                                     .to_team = desktop.id,
                                     .reason = EscalationReason::needs_expertise,
                                     .handoff_note = "Tried a restart."}));
  auto events = ok(store->ticket_events(t.id));
  ASSERT_EQ(events.size(), 2u);
  auto created = live::facts_of(events[0]);
  EXPECT_TRUE(created.created);
  EXPECT_FALSE(live::undo(moved.ticket, created, std::nullopt)) << "nothing before a creation";

  auto escalated = live::facts_of(events[1]);
  EXPECT_TRUE(escalated.move);
  EXPECT_EQ(escalated.to_team, desktop.id);
  auto before = live::undo(moved.ticket, escalated, l1.user.id);
  ASSERT_TRUE(before);
  EXPECT_EQ(before->team, desk.id);
  EXPECT_EQ(before->line, 1);
  EXPECT_EQ(before->assignee, l1.user.id);
  EXPECT_EQ(live::assignee_before(events, events[1].id), std::nullopt) << "nobody held it";
}

}  // namespace
}  // namespace fl::testing
