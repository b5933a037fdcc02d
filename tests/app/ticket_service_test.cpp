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
