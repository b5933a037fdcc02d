#include "app/sla_service.hpp"

#include "desk_fixture.hpp"

namespace fl::testing {

namespace {

using std::chrono::hours;
using std::chrono::minutes;

class SlaServiceTest : public DeskTest {
 protected:
  void SetUp() override {
    DeskTest::SetUp();
    admin = person("admin", Role::admin, std::nullopt, {});
    sla = std::make_unique<SlaService>(*store, clock);
    ASSERT_TRUE(sla->load());
    tickets = std::make_unique<TicketService>(*store, clock, sla.get());
    calendar = ok(sla->save_calendar(admin, around_the_clock("UTC")));
  }

  // First response 1 h and resolution 8 h at every priority, around the clock.
  SlaPolicy standard(std::vector<LadderStep> ladder = {}) {
    SlaPolicy p;
    p.name = "Standard";
    p.calendar = calendar.id;
    for (auto& t : p.targets) t = {hours{1}, hours{2}, hours{8}, std::nullopt};
    p.ladder = std::move(ladder);
    return p;
  }

  const TicketClock& clock_of(const TicketSla& s, SlaMetric metric) {
    for (const auto& c : s.clocks)
      if (c.clock.metric == metric) return c;
    ADD_FAILURE() << "no " << name_of(metric) << " clock";
    static TicketClock none;
    return none;
  }

  Actor admin;
  std::unique_ptr<SlaService> sla;
  BusinessCalendar calendar;
};

}  // namespace

TEST_F(SlaServiceTest, SettingsAreReadByStaffAndChangedByAdmins) {
  EXPECT_EQ(sla->save_calendar(sup, around_the_clock("UTC")).error().code,
            ErrorCode::permission_denied);
  EXPECT_EQ(sla->save_policy(l1, standard()).error().code, ErrorCode::permission_denied);
  EXPECT_EQ(sla->calendars(c1).error().code, ErrorCode::permission_denied);
  EXPECT_EQ(sla->policies(va).error().code, ErrorCode::permission_denied) << "vendors";
  EXPECT_EQ(ok(sla->calendars(l1)).size(), 1u);
  EXPECT_EQ(ok(sla->calendar(l2, calendar.id)).name, "24/7");
}

TEST_F(SlaServiceTest, CalendarsAreValidatedAndVersioned) {
  BusinessCalendar office = office_hours("Europe/Atlantis", hours{8}, hours{17});
  EXPECT_EQ(sla->save_calendar(admin, office).error().fields.at(0).field, "time_zone");
  office.time_zone = "Europe/Berlin";
  office = ok(sla->save_calendar(admin, office));
  EXPECT_GT(office.id, 0);
  EXPECT_EQ(office.version, 1);
  office.holidays = {{12, 25, std::nullopt, "Weihnachten"}};
  BusinessCalendar stale = office;
  office = ok(sla->save_calendar(admin, office));
  EXPECT_EQ(office.version, 2);
  EXPECT_EQ(sla->save_calendar(admin, stale).error().code, ErrorCode::conflict);
  EXPECT_EQ(ok(sla->calendar(l1, office.id)).holidays.size(), 1u);
  BusinessCalendar twin = around_the_clock("UTC");
  EXPECT_EQ(sla->save_calendar(admin, twin).error().code, ErrorCode::conflict) << "same name";
}

TEST_F(SlaServiceTest, PoliciesNeedTheirCalendarsAndTeams) {
  SlaPolicy p = standard();
  p.calendar = 999;
  EXPECT_EQ(sla->save_policy(admin, p).error().fields.at(0).field, "calendar_id");
  p = standard({{.metric = SlaMetric::resolution, .percent = 100, .escalate_to = TeamId{999}}});
  EXPECT_EQ(sla->save_policy(admin, p).error().fields.at(0).field, "ladder");
  p = standard();
  p.applies_to.organizations = {acme.id, 999};
  EXPECT_EQ(sla->save_policy(admin, p).error().fields.at(0).field, "applies_to.organizations");
  p = standard();
  p.targets[1].resolution = minutes{-5};
  EXPECT_EQ(sla->save_policy(admin, p).error().fields.at(0).field, "targets");
}

TEST_F(SlaServiceTest, ATicketGetsItsPolicyAndClocks) {
  SlaPolicy p = ok(sla->save_policy(admin, standard()));
  Timestamp opened = clock.now();
  Ticket t = open_ticket(c1);
  EXPECT_EQ(t.sla_policy, p.id);
  EXPECT_EQ(t.sla_policy_version, 1);
  EXPECT_EQ(t.sla_check_at, opened + hours{1}) << "the first response's breach";

  clock.advance(minutes{30});
  auto s = ok(sla->ticket_sla(l1, t.id));
  ASSERT_TRUE(s.policy);
  EXPECT_EQ(s.policy->name, "Standard");
  ASSERT_EQ(s.clocks.size(), 2u);
  EXPECT_EQ(clock_of(s, SlaMetric::first_response).clock.state, ClockState::running);
  EXPECT_EQ(clock_of(s, SlaMetric::first_response).clock.due_at, opened + hours{1});
  EXPECT_EQ(clock_of(s, SlaMetric::resolution).clock.due_at, opened + hours{8});

  ok(tickets->add_entry(l1, t.id, {.kind = EntryKind::reply, .body = "We are on it."}));
  t = ok(store->ticket(t.id));
  EXPECT_EQ(t.sla_check_at, opened + hours{8}) << "only the resolution is left";
  s = ok(sla->ticket_sla(l1, t.id));
  EXPECT_EQ(clock_of(s, SlaMetric::first_response).clock.state, ClockState::met);
  EXPECT_EQ(clock_of(s, SlaMetric::first_response).clock.elapsed, minutes{30});

  // The customer waits: pending_customer pauses, and nothing needs checking meanwhile.
  ok(tickets->update(l1, t.id, {.status = TicketStatus::pending_customer}));
  EXPECT_FALSE(ok(store->ticket(t.id)).sla_check_at);
  clock.advance(hours{24});
  ok(tickets->add_entry(c1, t.id, {.kind = EntryKind::reply, .body = "Still broken."}));
  s = ok(sla->ticket_sla(l1, t.id));
  EXPECT_EQ(clock_of(s, SlaMetric::resolution).clock.paused, hours{24});
  EXPECT_EQ(clock_of(s, SlaMetric::resolution).clock.due_at, clock.now() + minutes{7 * 60 + 30});
  EXPECT_EQ(clock_of(s, SlaMetric::next_response).clock.due_at, clock.now() + hours{2});
  EXPECT_EQ(ok(store->ticket(t.id)).sla_check_at, clock.now() + hours{2});
}

TEST_F(SlaServiceTest, LadderStepsSetTheNextCheck) {
  ok(sla->save_policy(admin, standard({{.metric = SlaMetric::resolution, .percent = 75,
                                        .notify_assignee = true}})));
  Timestamp opened = clock.now();
  Ticket t = ok(tickets->create(l1, {.subject = "VPN down", .requester = c1.user.id,
                                     .channel = Channel::phone,
                                     .call = CallDetails{CallDirection::inbound, 120, "+49 30 1"}}));
  EXPECT_EQ(t.sla_check_at, opened + hours{6}) << "answered on the phone; 75 % of 8 h next";
  auto s = ok(sla->ticket_sla(l1, t.id));
  EXPECT_EQ(clock_of(s, SlaMetric::first_response).clock.state, ClockState::met);
  const auto& resolution = clock_of(s, SlaMetric::resolution);
  ASSERT_EQ(resolution.upcoming.size(), 1u);
  EXPECT_EQ(resolution.upcoming[0].due_at, opened + hours{6});
}

TEST_F(SlaServiceTest, ClocksAreForStaffWhoMaySeeTheTicket) {
  ok(sla->save_policy(admin, standard()));
  Ticket t = open_ticket(c1);
  EXPECT_EQ(sla->ticket_sla(c1, t.id).error().code, ErrorCode::permission_denied);
  EXPECT_EQ(sla->ticket_sla(c2, t.id).error().code, ErrorCode::not_found);
  EXPECT_TRUE(sla->ticket_sla(sup, t.id));
}

TEST_F(SlaServiceTest, PoliciesAreChosenByRuleAndEditsReachTicketsWhenTheyChange) {
  SlaPolicy general = ok(sla->save_policy(admin, standard()));
  SlaPolicy urgent = standard();
  urgent.name = "Major incident";
  urgent.rank = 10;
  urgent.applies_to.priorities = {Priority::p1};
  for (auto& t : urgent.targets) t = {minutes{15}, minutes{30}, hours{4}, std::nullopt};
  urgent = ok(sla->save_policy(admin, urgent));

  Ticket t = open_ticket(c1);
  EXPECT_EQ(t.sla_policy, general.id);
  t = ok(tickets->update(l1, t.id, {.impact = 1, .urgency = 1}));
  EXPECT_EQ(t.priority, Priority::p1);
  EXPECT_EQ(t.sla_policy, urgent.id);
  auto s = ok(sla->ticket_sla(l1, t.id));
  EXPECT_EQ(clock_of(s, SlaMetric::resolution).clock.target, hours{4});

  urgent.targets[0].resolution = hours{2};
  urgent = ok(sla->save_policy(admin, urgent));
  EXPECT_EQ(urgent.version, 2);
  EXPECT_EQ(ok(store->ticket(t.id)).sla_policy_version, 1) << "until the ticket changes";
  ok(tickets->add_entry(l1, t.id, {.kind = EntryKind::note, .body = "Checking the switch."}));
  t = ok(store->ticket(t.id));
  EXPECT_EQ(t.sla_policy_version, 2);
  s = ok(sla->ticket_sla(l1, t.id));
  EXPECT_EQ(clock_of(s, SlaMetric::resolution).clock.target, hours{2});
  // The old version stays readable: the clocks of the time it applied are replayed on it.
  EXPECT_EQ(ok(sla->policy(l1, urgent.id, 1)).targets[0].resolution, hours{4});
}

}  // namespace fl::testing

namespace fl::testing {

TEST_F(SlaServiceTest, LadderStepsFireOnceAcrossARestart) {
  ok(sla->save_policy(admin, standard({
      {.metric = SlaMetric::resolution, .percent = 75, .notify_assignee = true},
      {.metric = SlaMetric::resolution, .percent = 90, .notify_supervisor = true},
      {.metric = SlaMetric::resolution, .percent = 100, .raise_priority = true,
       .escalate_to = desktop.id},
  })));
  Ticket t = open_ticket(c1);
  ok(tickets->add_entry(l1, t.id, {.kind = EntryKind::reply, .body = "Looking into it."}));
  ok(tickets->update(l1, t.id, {.assignee = l1.user.id}));
  ok(tickets->add_entry(l1, t.id, {.kind = EntryKind::note, .body = "Driver reinstalled."}));
  auto fired = [&](std::string_view type) {
    int n = 0;
    for (const auto& e : ok(store->ticket_events(t.id))) n += e.type == type;
    return n;
  };
  EXPECT_EQ(ok(sla->check_due(clock.now())), 0) << "nothing due yet";

  clock.advance(hours{6});
  EXPECT_EQ(ok(sla->check_due(clock.now())), 1);
  EXPECT_EQ(fired(event_type::sla_step_fired), 1);
  auto events = ok(store->ticket_events(t.id));
  EXPECT_NE(events.back().payload.find("\"notify\":[" + std::to_string(l1.user.id) + "]"),
            std::string::npos)
      << events.back().payload;
  EXPECT_EQ(ok(sla->check_due(clock.now())), 0) << "fired once: the next check is later";
  Timestamp opened = clock.now() - hours{6};
  EXPECT_EQ(ok(store->ticket(t.id)).sla_check_at, opened + minutes{432}) << "90 % of 8 h";

  // A restart (a new service on the same store) while the server was down past both the
  // 90 % step and the breach: the first check fires each once, in order.
  sla = std::make_unique<SlaService>(*store, clock);
  ASSERT_TRUE(sla->load());
  tickets = std::make_unique<TicketService>(*store, clock, sla.get());
  clock.advance(hours{3});
  EXPECT_EQ(ok(sla->check_due(clock.now())), 1);
  EXPECT_EQ(ok(sla->check_due(clock.now())), 0);
  EXPECT_EQ(fired(event_type::sla_step_fired), 3);
  EXPECT_EQ(fired(event_type::sla_breached), 1);
  EXPECT_EQ(fired(event_type::escalated), 1);
  t = ok(store->ticket(t.id));
  EXPECT_EQ(t.line, 2);
  EXPECT_EQ(t.team, desktop.id);
  EXPECT_EQ(t.priority, Priority::p3) << "raised one level from P4";
  EXPECT_FALSE(t.assignee) << "the receiving team's queue decides";
  for (const auto& e : ok(store->ticket_events(t.id)))
    if (e.type == event_type::escalated) {
      EXPECT_NE(e.payload.find("\"reason\":\"sla_risk\""), std::string::npos);
      EXPECT_NE(e.payload.find("Automatic escalation (SLA risk)"), std::string::npos);
      EXPECT_NE(e.payload.find("Driver reinstalled."), std::string::npos) << e.payload;
      EXPECT_FALSE(e.actor) << "the system escalated";
    }
  // The escalation is visible on the ticket's timeline as any other.
  bool seen = false;
  for (const auto& item : ok(tickets->timeline(l2, t.id)))
    seen = seen || (item.event && item.event->type == event_type::sla_step_fired);
  EXPECT_TRUE(seen);
}

}  // namespace fl::testing

namespace fl::testing {

TEST_F(SlaServiceTest, AtRiskIsTheFirstLadderShareOrThreeQuarters) {
  SlaPolicy p = standard({{.metric = SlaMetric::resolution, .percent = 90},
                          {.metric = SlaMetric::resolution, .percent = 50},
                          {.metric = SlaMetric::first_response, .percent = 100}});
  EXPECT_EQ(at_risk_percent(p, SlaMetric::resolution), 50);
  EXPECT_EQ(at_risk_percent(p, SlaMetric::first_response), 75) << "only the breach: 75 %";
  EXPECT_EQ(at_risk_percent(p, SlaMetric::next_response), 75) << "no step for it";
}

TEST_F(SlaServiceTest, QueueFieldsFollowTheClocksThroughPauseAndBreach) {
  ok(sla->save_policy(admin, standard()));  // first response 1 h, next 2 h, resolution 8 h
  const Timestamp opened = clock.now();
  Ticket t = open_ticket(c1);
  EXPECT_EQ(t.sla_state, SlaState::running);
  EXPECT_EQ(t.sla_due_at, opened + hours{1}) << "the earliest running clock";
  EXPECT_EQ(t.sla_warn_at, opened + minutes{45}) << "75 % of the first response";
  EXPECT_EQ(sla_state_at(t, opened + minutes{44}), SlaState::running);
  EXPECT_EQ(sla_state_at(t, opened + minutes{45}), SlaState::at_risk);
  EXPECT_EQ(sla_state_at(t, opened + hours{1}), SlaState::breached) << "before any check";

  ok(tickets->add_entry(l1, t.id, {.kind = EntryKind::reply, .body = "On it."}));
  t = ok(store->ticket(t.id));
  EXPECT_EQ(t.sla_due_at, opened + hours{8}) << "only the resolution runs";
  EXPECT_EQ(t.sla_warn_at, opened + hours{6});

  ok(tickets->update(l1, t.id, {.status = TicketStatus::pending_customer}));
  t = ok(store->ticket(t.id));
  EXPECT_EQ(t.sla_state, SlaState::paused);
  EXPECT_FALSE(t.sla_due_at) << "a paused clock has no due time";
  EXPECT_FALSE(t.sla_warn_at);
  EXPECT_EQ(sla_state_at(t, opened + hours{100}), SlaState::paused) << "time does not move it";

  clock.advance(hours{24});
  const Timestamp resumed = clock.now();
  ok(tickets->add_entry(c1, t.id, {.kind = EntryKind::reply, .body = "Still broken."}));
  t = ok(store->ticket(t.id));
  EXPECT_EQ(t.sla_state, SlaState::running);
  EXPECT_EQ(t.sla_due_at, resumed + hours{2}) << "the next response, before the resolution";
  EXPECT_EQ(t.sla_warn_at, resumed + minutes{90});

  // The scheduler records the breach; the ticket stays breached while the clock has not stopped.
  clock.advance(hours{3});
  ok(sla->check_due(clock.now()));
  t = ok(store->ticket(t.id));
  EXPECT_EQ(t.sla_state, SlaState::breached);
  EXPECT_EQ(t.sla_due_at, resumed + hours{2}) << "a breached clock's due time is past";
  ok(tickets->add_entry(l1, t.id, {.kind = EntryKind::reply, .body = "Fixed, please try."}));
  t = ok(store->ticket(t.id));
  EXPECT_EQ(t.sla_state, SlaState::running) << "the late answer stops the breached clock";
  EXPECT_EQ(t.sla_due_at, resumed + hours{8});

  ok(tickets->update(l1, t.id, {.status = TicketStatus::resolved}));
  t = ok(store->ticket(t.id));
  EXPECT_EQ(t.sla_state, SlaState::none);
  EXPECT_FALSE(t.sla_due_at);
}

TEST_F(SlaServiceTest, ATicketWithoutPolicyHasNoSlaState) {
  Ticket t = open_ticket(c1);
  EXPECT_EQ(t.sla_state, SlaState::none);
  EXPECT_FALSE(t.sla_due_at);
  EXPECT_FALSE(t.sla_warn_at);
}

}  // namespace fl::testing

namespace fl::testing {

// Migration 15 leaves the queue fields empty and makes unsolved tickets with a policy due for
// a check at the epoch: the scheduler's next tick fills them.
TEST_F(SlaServiceTest, TheFirstTickAfterTheUpgradeFillsTheQueueFields) {
  ok(sla->save_policy(admin, standard()));
  const Timestamp opened = clock.now();
  Ticket t = open_ticket(c1);
  TicketChange upgraded{t, {}, {}};
  upgraded.ticket.sla_due_at.reset();
  upgraded.ticket.sla_warn_at.reset();
  upgraded.ticket.sla_state = SlaState::none;
  upgraded.ticket.sla_check_at = Timestamp{};
  ok(store->commit(upgraded));

  clock.advance(minutes{1});
  EXPECT_EQ(ok(sla->check_due(clock.now())), 1);
  t = ok(store->ticket(t.id));
  EXPECT_EQ(t.sla_state, SlaState::running);
  EXPECT_EQ(t.sla_due_at, opened + hours{1});
  EXPECT_EQ(t.sla_warn_at, opened + minutes{45});
  EXPECT_EQ(t.sla_check_at, opened + hours{1});
  EXPECT_TRUE(ok(store->tickets_due_for_sla(clock.now(), 10)).empty());
}

}  // namespace fl::testing
