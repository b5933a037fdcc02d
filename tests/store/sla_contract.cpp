// The Store contract for SLAs: business calendars, versioned SLA policies, the SLA fields of a
// ticket and the scheduler's query for due tickets. Runs against every adapter (see
// store_contract.hpp).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/store_contract.hpp"

namespace fl::store_contract {

using ::testing::HasSubstr;

ConfigDocument SlaContract::draft_document(const std::string& name, const std::string& body) {
  ConfigDocument d;
  d.name = name;
  d.body = body;
  d.updated_at = at(100);
  return d;
}

ConfigDocument SlaContract::save_calendar(const ConfigDocument& doc) {
  return must(store().save_calendar(doc, event_of("sla.calendar_saved", agent_.id)),
              "save_calendar");
}

ConfigDocument SlaContract::save_policy(const ConfigDocument& doc) {
  return must(store().save_sla_policy(doc, event_of("sla.policy_saved", agent_.id)),
              "save_sla_policy");
}

namespace {

std::vector<std::int64_t> ids_of(const std::vector<ConfigDocument>& docs) {
  std::vector<std::int64_t> ids;
  for (const auto& d : docs) ids.push_back(d.id);
  return ids;
}

// --- calendars ---------------------------------------------------------------------------

TEST_P(SlaContract, NewCalendarIsVersionOne) {
  ConfigDocument doc = draft_document("Office hours", R"({"zone":"Europe/Berlin"})");
  doc.version = 7;  // ignored for a new document
  const ConfigDocument stored = save_calendar(doc);
  EXPECT_GT(stored.id, 0);
  EXPECT_EQ(stored.version, 1);
  EXPECT_EQ(stored.name, "Office hours");
  EXPECT_EQ(stored.body, R"({"zone":"Europe/Berlin"})");
  EXPECT_EQ(stored.updated_at, at(100));

  const auto all = must(store().calendars());
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].id, stored.id);
  EXPECT_EQ(all[0].version, 1);
  EXPECT_EQ(all[0].body, stored.body);
  EXPECT_EQ(all[0].updated_at, at(100));
}

TEST_P(SlaContract, CalendarUpdateNeedsTheCurrentVersion) {
  const ConfigDocument first = save_calendar(draft_document("Office hours", R"({"v":1})"));
  ConfigDocument edit = first;
  edit.body = R"({"v":2})";
  edit.updated_at = at(2000);
  const ConfigDocument second = save_calendar(edit);
  EXPECT_EQ(second.id, first.id);
  EXPECT_EQ(second.version, 2);
  EXPECT_EQ(second.body, R"({"v":2})");
  EXPECT_EQ(second.updated_at, at(2000));

  ConfigDocument stale = first;  // still version 1
  stale.body = R"({"v":"lost"})";
  auto refused = store().save_calendar(stale, event_of("sla.calendar_saved"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::conflict);

  const auto all = must(store().calendars());
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].version, 2);
  EXPECT_EQ(all[0].body, R"({"v":2})");
}

TEST_P(SlaContract, CalendarNameIsUnique) {
  const ConfigDocument office = save_calendar(draft_document("Office hours", "{}"));
  const ConfigDocument around = save_calendar(draft_document("24x7", "{}"));
  const EventId last_event = must(store().latest_event_id());

  auto clash = store().save_calendar(draft_document("Office hours", "{}"), event_of("x"));
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, ErrorCode::conflict);
  EXPECT_THAT(clash.error().message, HasSubstr("'Office hours'"));

  ConfigDocument renamed = around;
  renamed.name = "Office hours";
  clash = store().save_calendar(renamed, event_of("x"));
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, ErrorCode::conflict);
  EXPECT_THAT(clash.error().message, HasSubstr("'Office hours'"));

  // Nothing of the refused saves stays: no document, no new version, no event.
  const auto all = must(store().calendars());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].name, "24x7");
  EXPECT_EQ(all[1].version, 1);
  EXPECT_TRUE(must(store().events_after(last_event, 10)).empty());

  // Keeping its own name is no clash; a name is unique per kind only.
  ConfigDocument same_name = office;
  same_name.body = R"({"v":2})";
  EXPECT_EQ(save_calendar(same_name).version, 2);
  EXPECT_EQ(save_policy(draft_document("Office hours", "{}")).version, 1);
}

TEST_P(SlaContract, UnknownDocumentIsNotFound) {
  const ConfigDocument calendar = save_calendar(draft_document("Office hours", "{}"));
  ConfigDocument ghost = calendar;
  ghost.id = calendar.id + 100;
  EXPECT_EQ(code_of(store().save_calendar(ghost, event_of("x"))), ErrorCode::not_found);

  const ConfigDocument policy = save_policy(draft_document("Standard", "{}"));
  ghost = policy;
  ghost.id = policy.id + 100;
  EXPECT_EQ(code_of(store().save_sla_policy(ghost, event_of("x"))), ErrorCode::not_found);
  EXPECT_EQ(code_of(store().sla_policy_version(policy.id + 100, 1)), ErrorCode::not_found);
  EXPECT_EQ(must(store().calendars()).size(), 1u);
  EXPECT_EQ(must(store().sla_policies()).size(), 1u);
}

TEST_P(SlaContract, CalendarsAreListedById) {
  const ConfigDocument a = save_calendar(draft_document("Office hours", "{}"));
  const ConfigDocument b = save_calendar(draft_document("24x7", "{}"));
  const ConfigDocument c = save_calendar(draft_document("Berlin", "{}"));
  ConfigDocument edit = a;
  edit.name = "Zurich office hours";  // renaming does not move it
  save_calendar(edit);
  const auto all = must(store().calendars());
  EXPECT_EQ(ids_of(all), (std::vector<std::int64_t>{a.id, b.id, c.id}));
  EXPECT_LT(a.id, b.id);
  EXPECT_LT(b.id, c.id);
  EXPECT_EQ(all[0].name, "Zurich office hours");
  EXPECT_EQ(all[0].version, 2);
}

// --- policies ----------------------------------------------------------------------------

TEST_P(SlaContract, PoliciesKeepEveryVersion) {
  ConfigDocument doc = save_policy(draft_document("Standard", R"({"v":1})"));
  EXPECT_GT(doc.id, 0);
  EXPECT_EQ(doc.version, 1);
  const std::int64_t id = doc.id;
  doc.body = R"({"v":2})";
  doc.updated_at = at(2000);
  doc = save_policy(doc);
  EXPECT_EQ(doc.version, 2);
  doc.name = "Standard (2027)";
  doc.body = R"({"v":3})";
  doc.updated_at = at(3000);
  doc = save_policy(doc);
  EXPECT_EQ(doc.id, id);
  EXPECT_EQ(doc.version, 3);
  EXPECT_EQ(doc.name, "Standard (2027)");

  // Each version as it was saved, with the name it had then.
  const ConfigDocument v1 = must(store().sla_policy_version(id, 1));
  EXPECT_EQ(v1.id, id);
  EXPECT_EQ(v1.version, 1);
  EXPECT_EQ(v1.name, "Standard");
  EXPECT_EQ(v1.body, R"({"v":1})");
  EXPECT_EQ(v1.updated_at, at(100));
  const ConfigDocument v2 = must(store().sla_policy_version(id, 2));
  EXPECT_EQ(v2.body, R"({"v":2})");
  EXPECT_EQ(v2.updated_at, at(2000));
  const ConfigDocument v3 = must(store().sla_policy_version(id, 3));
  EXPECT_EQ(v3.name, "Standard (2027)");
  EXPECT_EQ(v3.body, R"({"v":3})");
  EXPECT_EQ(code_of(store().sla_policy_version(id, 4)), ErrorCode::not_found);
  EXPECT_EQ(code_of(store().sla_policy_version(id, 0)), ErrorCode::not_found);

  // The old name is free again for another policy.
  EXPECT_EQ(save_policy(draft_document("Standard", "{}")).version, 1);
}

TEST_P(SlaContract, PolicyListHoldsCurrentVersionsById) {
  ConfigDocument standard = save_policy(draft_document("Standard", R"({"v":1})"));
  const ConfigDocument vip = save_policy(draft_document("VIP", R"({"vip":1})"));
  standard.body = R"({"v":2})";
  standard.updated_at = at(2000);
  standard = save_policy(standard);

  const auto all = must(store().sla_policies());
  EXPECT_EQ(ids_of(all), (std::vector<std::int64_t>{standard.id, vip.id}));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "Standard");
  EXPECT_EQ(all[0].version, 2);
  EXPECT_EQ(all[0].body, R"({"v":2})");
  EXPECT_EQ(all[0].updated_at, at(2000));
  EXPECT_EQ(all[1].version, 1);
  EXPECT_EQ(all[1].body, R"({"vip":1})");
}

TEST_P(SlaContract, PolicyUpdateNeedsTheCurrentVersionAndAFreeName) {
  const ConfigDocument standard = save_policy(draft_document("Standard", R"({"v":1})"));
  const ConfigDocument vip = save_policy(draft_document("VIP", "{}"));
  ConfigDocument edit = standard;
  edit.body = R"({"v":2})";
  save_policy(edit);

  ConfigDocument stale = standard;
  stale.body = R"({"v":"lost"})";
  EXPECT_EQ(code_of(store().save_sla_policy(stale, event_of("x"))), ErrorCode::conflict);
  ConfigDocument taken = vip;
  taken.name = "Standard";
  auto clash = store().save_sla_policy(taken, event_of("x"));
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, ErrorCode::conflict);
  EXPECT_THAT(clash.error().message, HasSubstr("'Standard'"));
  EXPECT_EQ(code_of(store().save_sla_policy(draft_document("VIP", "{}"), event_of("x"))),
            ErrorCode::conflict);

  // The refused saves left no version behind.
  EXPECT_EQ(must(store().sla_policy_version(standard.id, 2)).body, R"({"v":2})");
  EXPECT_EQ(code_of(store().sla_policy_version(standard.id, 3)), ErrorCode::not_found);
  EXPECT_EQ(code_of(store().sla_policy_version(vip.id, 2)), ErrorCode::not_found);
  EXPECT_EQ(must(store().sla_policies()).size(), 2u);
}

TEST_P(SlaContract, SavingAppendsItsEvent) {
  const EventId before = must(store().latest_event_id());
  Event calendar_event = event_of("sla.calendar_saved", agent_.id);
  calendar_event.payload = R"({"name":"Office hours"})";
  must(store().save_calendar(draft_document("Office hours", "{}"), calendar_event));
  Event policy_event = event_of("sla.policy_saved", agent_.id);
  policy_event.payload = R"({"name":"Standard"})";
  must(store().save_sla_policy(draft_document("Standard", "{}"), policy_event));

  const auto events = must(store().events_after(before, 10));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, "sla.calendar_saved");
  EXPECT_EQ(events[0].actor, agent_.id);
  EXPECT_EQ(events[0].payload, R"({"name":"Office hours"})");
  EXPECT_FALSE(events[0].ticket);
  EXPECT_EQ(events[1].type, "sla.policy_saved");
  EXPECT_EQ(events[1].payload, R"({"name":"Standard"})");
  EXPECT_EQ(must(store().latest_event_id()), events[1].id);
}

// --- tickets -----------------------------------------------------------------------------

TEST_P(SlaContract, TicketKeepsItsSlaFields) {
  const ConfigDocument policy = save_policy(draft_document("Standard", "{}"));
  Ticket t = draft_ticket("clock running");
  t.sla_policy = policy.id;
  t.sla_policy_version = policy.version;
  t.sla_check_at = at(60'000);
  const Ticket created = create(t).ticket;
  EXPECT_EQ(created.sla_policy, policy.id);
  EXPECT_EQ(created.sla_policy_version, 1);
  EXPECT_TRUE(created.sla_check_at == at(60'000));
  const Ticket read = must(store().ticket(created.id));
  EXPECT_EQ(read.sla_policy, policy.id);
  EXPECT_EQ(read.sla_policy_version, 1);
  EXPECT_TRUE(read.sla_check_at == at(60'000));

  // A listed ticket carries them too.
  TicketQuery all;
  all.scope = TicketScope::all();
  const auto page = must(store().tickets(all));
  ASSERT_EQ(page.tickets.size(), 1u);
  EXPECT_EQ(page.tickets[0].sla_policy, policy.id);
  EXPECT_TRUE(page.tickets[0].sla_check_at == at(60'000));

  // A change moves the check and, once the clocks stop, clears it.
  Ticket moved = read;
  moved.sla_check_at = at(120'000);
  moved = must(store().commit({moved, {}, {}})).ticket;
  EXPECT_TRUE(must(store().ticket(created.id)).sla_check_at == at(120'000));
  Ticket stopped = moved;
  stopped.sla_check_at = std::nullopt;
  must(store().commit({stopped, {}, {}}));
  const Ticket after_stop = must(store().ticket(created.id));
  EXPECT_FALSE(after_stop.sla_check_at);
  EXPECT_EQ(after_stop.sla_policy, policy.id) << "the policy stays with the ticket";
  EXPECT_EQ(after_stop.sla_policy_version, 1);

  const Ticket bare = create(draft_ticket("no policy")).ticket;
  EXPECT_FALSE(bare.sla_policy);
  EXPECT_EQ(bare.sla_policy_version, 0);
  EXPECT_FALSE(bare.sla_check_at);
}

TEST_P(SlaContract, DueTicketsComeEarliestFirst) {
  auto with_check = [&](std::optional<std::int64_t> check_ms) {
    Ticket t = draft_ticket("sla");
    if (check_ms) t.sla_check_at = at(*check_ms);
    return create(t).ticket;
  };
  // Created out of order; early_b is as early as early_a, so the id decides.
  const Ticket late = with_check(1000);
  const Ticket early_a = with_check(500);
  const Ticket early_b = with_check(500);
  const Ticket exactly_now = with_check(2000);
  with_check(5000);          // not due yet
  with_check(std::nullopt);  // no clock running

  EXPECT_EQ(must(store().tickets_due_for_sla(at(2000), 100)),
            (std::vector<TicketId>{early_a.id, early_b.id, late.id, exactly_now.id}));
  EXPECT_EQ(must(store().tickets_due_for_sla(at(2000), 2)),
            (std::vector<TicketId>{early_a.id, early_b.id}));
  EXPECT_EQ(must(store().tickets_due_for_sla(at(1999), 100)),
            (std::vector<TicketId>{early_a.id, early_b.id, late.id}));
  EXPECT_TRUE(must(store().tickets_due_for_sla(at(499), 100)).empty());

  // Handled: the scheduler stores the next check (or none); the ticket leaves the due list.
  Ticket handled = must(store().ticket(early_a.id));
  handled.sla_check_at = at(9000);
  must(store().commit({handled, {}, {}}));
  Ticket stopped = must(store().ticket(late.id));
  stopped.sla_check_at = std::nullopt;
  must(store().commit({stopped, {}, {}}));
  EXPECT_EQ(must(store().tickets_due_for_sla(at(2000), 100)),
            (std::vector<TicketId>{early_b.id, exactly_now.id}));
}

}  // namespace
}  // namespace fl::store_contract
