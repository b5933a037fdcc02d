#include "app/ticket_service.hpp"

#include <algorithm>
#include <thread>

#include "desk_fixture.hpp"

namespace fl::testing {

using namespace std::chrono_literals;

class TicketServiceTest : public DeskTest {};

TEST_F(TicketServiceTest, CustomerOpensATicketAtTheFirstLine) {
  Ticket t = open_ticket(c1);
  EXPECT_EQ(t.number, 100001);
  EXPECT_EQ(t.line, 1);
  EXPECT_EQ(t.team, desk.id);
  EXPECT_EQ(t.origin_team, desk.id);
  EXPECT_EQ(t.status, TicketStatus::new_);
  EXPECT_EQ(t.requester, c1.user.id);
  EXPECT_EQ(t.organization, acme.id);
  EXPECT_EQ(t.priority, Priority::p4);
  EXPECT_EQ(t.customer_contacts, 1);
  EXPECT_EQ(open_ticket(c1).number, 100002);
}

TEST_F(TicketServiceTest, OutsourcedDeskGetsTheOrganisationsItServes) {
  EXPECT_EQ(open_ticket(c2).team, partner.id);
}

TEST_F(TicketServiceTest, AgentLogsAPhoneCallOnBehalfOfACaller) {
  Ticket t =
      ok(tickets->create(l1, {.subject = "Outlook asks for the password",
                              .description = "since the password change",
                              .requester = c1.user.id,
                              .channel = Channel::phone,
                              .impact = 1,
                              .urgency = 2,
                              .call = CallDetails{CallDirection::inbound, 180, "+49 30 123"}}));
  EXPECT_EQ(t.channel, Channel::phone);
  EXPECT_EQ(t.requester, c1.user.id);
  EXPECT_EQ(t.priority, Priority::p2);
  auto items = ok(tickets->timeline(l1, t.id));
  int calls = 0;
  for (const auto& i : items)
    if (i.entry && i.entry->kind == EntryKind::call) {
      ++calls;
      EXPECT_EQ(i.entry->call->duration_seconds, 180);
    }
  EXPECT_EQ(calls, 1);
  // The customer sees the description, not the internal call record.
  for (const auto& i : ok(tickets->timeline(c1, t.id)))
    if (i.entry) {
      EXPECT_EQ(i.entry->kind, EntryKind::reply);
    }
}

TEST_F(TicketServiceTest, CustomersOpenTicketsOnlyForThemselves) {
  auto r = tickets->create(c1, {.subject = "x", .requester = c2.user.id});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::permission_denied);
}

TEST_F(TicketServiceTest, ValidationNamesEveryBadField) {
  auto r = tickets->create(c1, {.subject = "  ", .impact = 0, .urgency = 9, .tags = {"bad tag"}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  std::vector<std::string> fields;
  for (const auto& f : r.error().fields) fields.push_back(f.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"subject", "impact", "urgency", "tags"}));
}

TEST_F(TicketServiceTest, EscalationKeepsTheFirstLineAsSinglePointOfContact) {
  Ticket t = open_ticket(c1);
  auto moved = ok(tickets->escalate(l1, t.id,
                                    {.to_line = 2,
                                     .reason = EscalationReason::needs_expertise,
                                     .handoff_note = "Rebooted, swapped toner."}));
  EXPECT_EQ(moved.ticket.line, 2);
  EXPECT_EQ(moved.ticket.team, desktop.id);  // the only team at line 2
  EXPECT_EQ(moved.move.actor, l1.user.id);
  EXPECT_EQ(moved.move.move.from_team, desk.id);
  // The first line still sees and writes; only the holder moves it on.
  EXPECT_TRUE(tickets->get(l1, t.id));
  EXPECT_TRUE(tickets->add_entry(l1, t.id, {EntryKind::reply, "Line 2 is on it.", std::nullopt}));
  EXPECT_EQ(tickets->escalate(l1, t.id, {.to_line = 3, .handoff_note = "x"}).error().code,
            ErrorCode::permission_denied);
  // The escalation is in the history with who, when, from and to.
  auto events = ok(store->ticket_events(t.id));
  auto it =
      std::ranges::find_if(events, [](const Event& e) { return e.type == event_type::escalated; });
  ASSERT_NE(it, events.end());
  EXPECT_EQ(it->actor, l1.user.id);
  EXPECT_EQ(it->at, clock.now());
  EXPECT_NE(it->payload.find("Rebooted, swapped toner."), std::string::npos);
  EXPECT_NE(it->payload.find("\"reason\":\"needs_expertise\""), std::string::npos);
}

TEST_F(TicketServiceTest, EscalationNeedsAHandoffNoteAndGoesUp) {
  Ticket t = open_ticket(c1);
  auto blank = tickets->escalate(l1, t.id, {.to_line = 2, .handoff_note = " \n"});
  ASSERT_FALSE(blank);
  EXPECT_EQ(blank.error().fields.at(0).field, "handoff_note");
  ok(tickets->escalate(l1, t.id, {.to_line = 3, .handoff_note = "needs the firewall team"}));
  auto down = tickets->escalate(l3, t.id, {.to_line = 2, .handoff_note = "x"});
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().fields.at(0).field, "to_line");
}

TEST_F(TicketServiceTest, TransferAndReturn) {
  Ticket t = open_ticket(c1);
  auto moved = ok(tickets->transfer(l1, t.id, {partner.id, "Globex contract"}));
  EXPECT_EQ(moved.ticket.team, partner.id);
  EXPECT_EQ(moved.ticket.line, 1);
  ok(tickets->escalate(pa, t.id, {.to_line = 3, .handoff_note = "VPN gateway"}));
  auto back = ok(tickets->return_to(l3, t.id, {.note = "Gateway fine; client config at line 1"}));
  EXPECT_EQ(back.ticket.line, 1);
  EXPECT_EQ(back.ticket.team, desk.id) << "returns to the origin team";
  EXPECT_EQ(back.move.move.kind, MoveKind::return_);
  EXPECT_EQ(tickets->return_to(l1, t.id, {.note = "x"}).error().fields.at(0).field, "to_line");
}

TEST_F(TicketServiceTest, RequesterReplyReopensAResolvedTicket) {
  Ticket t = open_ticket(c1);
  ok(tickets->update(l1, t.id, {.status = TicketStatus::resolved}));
  EXPECT_TRUE(first_contact_resolution(ok(tickets->get(l1, t.id))));
  ok(tickets->add_entry(c1, t.id, {EntryKind::reply, "Still broken.", std::nullopt}));
  Ticket after = ok(tickets->get(c1, t.id));
  EXPECT_EQ(after.status, TicketStatus::open);
  EXPECT_EQ(after.customer_contacts, 2);
  EXPECT_FALSE(after.resolved_at);
  ok(tickets->update(l1, t.id, {.status = TicketStatus::resolved}));
  EXPECT_FALSE(first_contact_resolution(ok(tickets->get(l1, t.id)))) << "two contacts";
}

TEST_F(TicketServiceTest, FirstContactResolutionIsDerived) {
  Ticket phone = ok(tickets->create(
      l1, {.subject = "Account locked", .requester = c1.user.id, .channel = Channel::phone}));
  ok(tickets->add_entry(l1, phone.id, {EntryKind::reply, "Unlocked.", std::nullopt}));
  Ticket solved = ok(tickets->update(l1, phone.id, {.status = TicketStatus::resolved}));
  EXPECT_TRUE(first_contact_resolution(solved));
  EXPECT_EQ(solved.resolved_at_line, 1);

  Ticket escalated = open_ticket(c1);
  ok(tickets->escalate(l1, escalated.id, {.to_line = 2, .handoff_note = "x"}));
  ok(tickets->return_to(l2, escalated.id, {.note = "user error"}));
  EXPECT_FALSE(first_contact_resolution(
      ok(tickets->update(l1, escalated.id, {.status = TicketStatus::resolved}))));
}

TEST_F(TicketServiceTest, ForbiddenStatusMoveIsAnErrorNamingBothStates) {
  Ticket t = open_ticket(c1);
  ok(tickets->update(l1, t.id, {.status = TicketStatus::closed}));
  auto r = tickets->update(l1, t.id, {.status = TicketStatus::open});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::failed_precondition);
  EXPECT_NE(r.error().message.find("closed"), std::string::npos);
  EXPECT_NE(r.error().message.find("open"), std::string::npos);
}

TEST_F(TicketServiceTest, PriorityFollowsImpactAndUrgency) {
  Ticket t = open_ticket(c1);
  Ticket u = ok(tickets->update(l1, t.id, {.impact = 1, .urgency = 1}));
  EXPECT_EQ(u.priority, Priority::p1);
  u = ok(tickets->update(l1, t.id, {.urgency = 3}));
  EXPECT_EQ(u.priority, Priority::p3);
}

TEST_F(TicketServiceTest, VendorSeesPublicEntriesAndItsHandoffNoteOnly) {
  Ticket t = open_ticket(c1);
  ok(tickets->add_entry(l1, t.id, {EntryKind::note, "internal: user is VIP", std::nullopt}));
  ok(tickets->escalate(l1, t.id, {.to_line = 2, .handoff_note = "internal hand-off"}));
  EXPECT_EQ(tickets->get(va, t.id).error().code, ErrorCode::not_found);
  ok(tickets->escalate(l2, t.id,
                       {.to_line = 4,
                        .reason = EscalationReason::vendor_required,
                        .handoff_note = "firmware bug, logs attached"}));
  ok(tickets->update(va, t.id,
                     {.status = TicketStatus::pending_vendor, .vendor_reference = "CASE-1"}));
  std::string seen;
  for (const auto& i : ok(tickets->timeline(va, t.id))) {
    if (i.entry) {
      EXPECT_EQ(i.entry->kind, EntryKind::reply);
      seen += i.entry->body + "|";
    } else {
      seen += i.event->payload + "|";
    }
  }
  EXPECT_NE(seen.find("firmware bug"), std::string::npos);
  EXPECT_EQ(seen.find("internal hand-off"), std::string::npos);
  EXPECT_EQ(seen.find("VIP"), std::string::npos);
  EXPECT_EQ(tickets->update(va, t.id, {.impact = 1}).error().code, ErrorCode::permission_denied);
}

TEST_F(TicketServiceTest, ListAppliesAccessRules) {
  open_ticket(c1);
  open_ticket(c2);
  auto mine = ok(tickets->list(c1, {}));
  ASSERT_EQ(mine.tickets.size(), 1u);
  EXPECT_EQ(mine.tickets[0].requester, c1.user.id);
  EXPECT_EQ(ok(tickets->list(pa, {})).tickets.size(), 1u);
  EXPECT_EQ(ok(tickets->list(va, {})).tickets.size(), 0u);
  EXPECT_EQ(ok(tickets->list(sup, {})).tickets.size(), 2u);
}

TEST_F(TicketServiceTest, ConcurrentWritersToOneTicketAllLand) {
  Ticket t = open_ticket(c1);
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w)
    writers.emplace_back([&, w] {
      for (int i = 0; i < 5; ++i)
        EXPECT_TRUE(tickets->add_entry(
            l1, t.id, {EntryKind::note, "n" + std::to_string(w * 10 + i), std::nullopt}));
    });
  for (auto& w : writers) w.join();
  EXPECT_EQ(ok(store->entries(t.id)).size(), 21u);  // the description and 20 notes
}

TEST_F(TicketServiceTest, EveryChangeIsAnEvent) {
  Ticket t = open_ticket(c1);
  clock.advance(1min);
  ok(tickets->update(l1, t.id,
                     {.status = TicketStatus::open, .tags = std::vector<std::string>{"Printer"}}));
  auto events = ok(store->ticket_events(t.id));
  std::vector<std::string> types;
  for (const auto& e : events) types.push_back(e.type);
  EXPECT_EQ(types, (std::vector<std::string>{"ticket.created", "ticket.updated",
                                             "ticket.status_changed"}));
  EXPECT_EQ(ok(tickets->get(l1, t.id)).tags, std::vector<std::string>{"printer"});
}

}  // namespace fl::testing

namespace fl::testing {

TEST_F(TicketServiceTest, TheRequesterRatesASolvedTicketOnce) {
  Ticket t = open_ticket(c1);
  EXPECT_EQ(tickets->rate(c1, t.id, {5, ""}).error().code, ErrorCode::failed_precondition)
      << "not before the resolution";
  ok(tickets->update(l1, t.id, {.status = TicketStatus::resolved}));

  auto bad = tickets->rate(c1, t.id, {6, std::string(2001, 'x')});
  ASSERT_FALSE(bad);
  ASSERT_EQ(bad.error().fields.size(), 2u);
  EXPECT_EQ(bad.error().fields[0].field, "score");
  EXPECT_EQ(bad.error().fields[1].field, "comment");
  EXPECT_EQ(tickets->rate(l1, t.id, {5, ""}).error().code, ErrorCode::permission_denied)
      << "staff do not rate for the requester";
  EXPECT_EQ(tickets->rate(c2, t.id, {1, ""}).error().code, ErrorCode::not_found)
      << "a stranger does not learn that it exists";

  const Timestamp first = clock.now();
  Ticket rated = ok(tickets->rate(c1, t.id, {4, "  Quick help  "}));
  ASSERT_TRUE(rated.rating);
  EXPECT_EQ(rated.rating->score, 4);
  EXPECT_EQ(rated.rating->comment, "Quick help");
  EXPECT_EQ(rated.rating->rated_at, first);
  auto events = ok(store->ticket_events(t.id));
  EXPECT_EQ(events.back().type, event_type::ticket_rated);
  EXPECT_EQ(events.back().actor, c1.user.id);

  // Changed within the week (closing does not stop it), then no more.
  ok(tickets->update(l1, t.id, {.status = TicketStatus::closed}));
  clock.advance(std::chrono::hours{6 * 24});
  rated = ok(tickets->rate(c1, t.id, {2, ""}));
  EXPECT_EQ(rated.rating->score, 2);
  EXPECT_EQ(rated.rating->rated_at, clock.now());
  EXPECT_EQ(ok(store->ticket_events(t.id)).back().payload.find("\"previous_score\":4") !=
                std::string::npos,
            true);
  clock.advance(std::chrono::hours{25});
  auto late = tickets->rate(c1, t.id, {5, ""});
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::failed_precondition);
  EXPECT_EQ(ok(tickets->get(c1, t.id)).rating->score, 2);
}

TEST_F(TicketServiceTest, TheRatingIsForStaffAndTheRequester) {
  auto colleague_org = ok(directory->create_organization(nullptr, {"Shared", "shared.example", true}));
  Actor requester = person("req", Role::customer, colleague_org.id, {});
  Actor colleague = person("colleague", Role::customer, colleague_org.id, {});
  Ticket t = open_ticket(requester);
  ok(tickets->update(l1, t.id, {.status = TicketStatus::resolved}));
  ok(tickets->rate(requester, t.id, {3, "ok"}));
  EXPECT_TRUE(ok(tickets->get(requester, t.id)).rating);
  EXPECT_TRUE(ok(tickets->get(l1, t.id)).rating);
  EXPECT_TRUE(ok(tickets->get(sup, t.id)).rating);
  Ticket seen = ok(tickets->get(colleague, t.id));
  EXPECT_FALSE(seen.rating) << "the organisation sees the ticket, not the rating";
  EXPECT_EQ(tickets->rate(colleague, t.id, {1, ""}).error().code, ErrorCode::permission_denied);
  for (const auto& listed : ok(tickets->list(colleague, {})).tickets)
    EXPECT_FALSE(listed.rating);
}

TEST_F(TicketServiceTest, QueuesCountWhatTheActorMaySee) {
  Ticket a = open_ticket(c1, "one");
  open_ticket(c1, "two");
  ok(tickets->update(l1, a.id, {.assignee = std::optional<UserId>{l1.user.id}}));
  ok(tickets->escalate(l1, open_ticket(c1, "three").id,
                       {.to_line = 3, .to_team = network.id, .handoff_note = "Switch port dead"}));
  auto all = ok(tickets->queues(sup));
  ASSERT_EQ(all.teams.size(), 2u);
  EXPECT_EQ(all.teams[0].team, desk.id);
  EXPECT_EQ(all.teams[0].open, 2);
  EXPECT_EQ(all.teams[0].unassigned, 1);
  EXPECT_EQ(all.teams[1].team, network.id);
  ASSERT_EQ(all.lines.size(), 2u);
  EXPECT_EQ(all.lines[0].line, 1);
  EXPECT_EQ(all.lines[0].open, 2);
  EXPECT_EQ(all.lines[1].line, 3);
  EXPECT_EQ(all.lines[1].open, 1);

  EXPECT_EQ(ok(tickets->queues(l2)).teams.size(), 1u) << "line 2 sees line 1, not line 3";
  EXPECT_TRUE(ok(tickets->queues(va)).teams.empty());
  EXPECT_EQ(tickets->queues(c1).error().code, ErrorCode::permission_denied);
}

}  // namespace fl::testing
