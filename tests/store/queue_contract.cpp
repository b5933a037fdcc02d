// The Store contract for the queues: a ticket's SLA queue fields and rating kept with its
// commits, the listing's SLA, priority and tag filters, the sort by SLA due time with its
// cursor, queue counts per team within a scope, and saved views. Runs against every adapter
// (see store_contract.hpp).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "store/store_contract.hpp"

namespace fl::store_contract {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::UnorderedElementsAre;

namespace {

std::vector<TicketId> ids_of(const std::vector<Ticket>& tickets) {
  std::vector<TicketId> ids;
  for (const auto& t : tickets) ids.push_back(t.id);
  return ids;
}

std::vector<SavedViewId> view_ids(const std::vector<SavedView>& views) {
  std::vector<SavedViewId> ids;
  for (const auto& v : views) ids.push_back(v.id);
  return ids;
}

}  // namespace

// A ticket in a given SLA standing, judged at at(1000).
Ticket QueueContract::standing(const std::string& subject, SlaState stored,
                               std::optional<std::int64_t> due, std::optional<std::int64_t> warn) {
  Ticket t = draft_ticket(subject);
  t.sla_state = stored;
  if (due) t.sla_due_at = at(*due);
  if (warn) t.sla_warn_at = at(*warn);
  return t;
}

TEST_P(QueueContract, SlaFieldsAndRatingAreKeptWithTheTicket) {
  Ticket t = standing("kept", SlaState::running, 5000, 4000);
  Ticket stored = create(t).ticket;
  EXPECT_EQ(stored.sla_state, SlaState::running);
  EXPECT_EQ(stored.sla_due_at, at(5000));
  EXPECT_EQ(stored.sla_warn_at, at(4000));
  EXPECT_FALSE(stored.rating);

  TicketChange change{stored, {}, {event_of(event_type::ticket_rated, customer_.id)}};
  change.ticket.status = TicketStatus::resolved;
  change.ticket.sla_state = SlaState::none;
  change.ticket.sla_due_at.reset();
  change.ticket.sla_warn_at.reset();
  change.ticket.rating = TicketRating{5, "Schnell und freundlich", at(7000), at(6000)};
  auto committed = must(store().commit(change));
  Ticket read = must(store().ticket(stored.id));
  EXPECT_EQ(read.sla_state, SlaState::none);
  EXPECT_FALSE(read.sla_due_at);
  EXPECT_FALSE(read.sla_warn_at);
  ASSERT_TRUE(read.rating);
  EXPECT_EQ(*read.rating, (TicketRating{5, "Schnell und freundlich", at(7000), at(6000)}));
  ASSERT_EQ(committed.events.size(), 1u);
  EXPECT_EQ(must(store().ticket_events(stored.id)).back().type, event_type::ticket_rated);
}

TEST_P(QueueContract, SlaStateFilterJudgesTheTimesAtNow) {
  // now = at(1000)
  const TicketId none = create(standing("none", SlaState::none, {}, {})).ticket.id;
  const TicketId paused = create(standing("paused", SlaState::paused, {}, {})).ticket.id;
  const TicketId running = create(standing("running", SlaState::running, 5000, 4000)).ticket.id;
  const TicketId warned = create(standing("at risk", SlaState::running, 5000, 900)).ticket.id;
  const TicketId overdue = create(standing("due passed", SlaState::running, 1000, 800)).ticket.id;
  const TicketId breached = create(standing("breached", SlaState::breached, {}, {})).ticket.id;
  const TicketId breached_running =
      create(standing("breached, another runs", SlaState::breached, 9000, 8000)).ticket.id;

  auto listed = [&](std::vector<SlaState> states) {
    TicketQuery q;
    q.scope = TicketScope::all();
    q.sla_states = std::move(states);
    q.now = at(1000);
    q.order = TicketOrder::oldest_first;
    return ids_of(must(store().tickets(q)).tickets);
  };
  EXPECT_THAT(listed({SlaState::none}), ElementsAre(none));
  EXPECT_THAT(listed({SlaState::paused}), ElementsAre(paused));
  EXPECT_THAT(listed({SlaState::running}), ElementsAre(running));
  EXPECT_THAT(listed({SlaState::at_risk}), ElementsAre(warned));
  EXPECT_THAT(listed({SlaState::breached}), ElementsAre(overdue, breached, breached_running));
  EXPECT_THAT(listed({SlaState::at_risk, SlaState::breached}),
              ElementsAre(warned, overdue, breached, breached_running));

  // The same verdict as core's sla_state_at, for every ticket.
  TicketQuery all;
  all.scope = TicketScope::all();
  for (const auto& t : must(store().tickets(all)).tickets)
    EXPECT_THAT(listed({sla_state_at(t, at(1000))}), ::testing::Contains(t.id)) << t.subject;
}

TEST_P(QueueContract, SlaRiskCountsAgreeWithTheStateAtNow) {
  // now = at(1000)
  create(standing("none", SlaState::none, {}, {}));
  create(standing("paused", SlaState::paused, {}, {}));
  create(standing("running", SlaState::running, 5000, 4000));
  create(standing("at risk", SlaState::running, 5000, 900));
  create(standing("due passed", SlaState::running, 1000, 800));
  create(standing("breached", SlaState::breached, {}, {}));
  create(standing("breached, another runs", SlaState::breached, 9000, 8000));
  Ticket solved = standing("solved but overdue", SlaState::running, 900, 800);
  solved.status = TicketStatus::resolved;
  create(solved);
  auto counts = must(store().sla_risk_counts(at(1000)));
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts[0].line, 1);
  EXPECT_EQ(counts[0].at_risk, 1);
  EXPECT_EQ(counts[0].breached, 3) << "as sla_state_at judges them; solved tickets do not count";
}

TEST_P(QueueContract, PriorityAndTagsFilter) {
  Ticket a = draft_ticket("p1 vpn printer");
  a.priority = Priority::p1;
  a.tags = {"printer", "vpn"};
  Ticket b = draft_ticket("p2 vpn");
  b.priority = Priority::p2;
  b.tags = {"vpn"};
  Ticket c = draft_ticket("p4 printer");
  c.priority = Priority::p4;
  c.tags = {"printer"};
  const TicketId ia = create(a).ticket.id, ib = create(b).ticket.id, ic = create(c).ticket.id;
  auto listed = [&](auto set) {
    TicketQuery q;
    q.scope = TicketScope::all();
    q.order = TicketOrder::oldest_first;
    set(q);
    return ids_of(must(store().tickets(q)).tickets);
  };
  EXPECT_THAT(listed([](TicketQuery& q) {
                q.priorities = {Priority::p1, Priority::p4};
              }),
              ElementsAre(ia, ic));
  EXPECT_THAT(listed([](TicketQuery& q) { q.tags = {"vpn"}; }), ElementsAre(ia, ib));
  EXPECT_THAT(listed([](TicketQuery& q) {
                q.tags = {"vpn", "printer"};
              }),
              ElementsAre(ia))
      << "every tag named";
  EXPECT_THAT(listed([](TicketQuery& q) {
                q.tags = {"printer"};
                q.priorities = {Priority::p4};
              }),
              ElementsAre(ic));
}

TEST_P(QueueContract, SortBySlaDuePagesThroughEveryTicketOnce) {
  // Due times with ties, tickets without one in between.
  const std::vector<std::optional<std::int64_t>> dues = {3000, {},  1000, 3000, {},   2000,
                                                         1000, 500, {},   4000, 3000, {}};
  std::vector<Ticket> stored;
  for (std::size_t i = 0; i < dues.size(); ++i)
    stored.push_back(create(standing("due " + std::to_string(i),
                                     dues[i] ? SlaState::running : SlaState::none, dues[i], {}))
                         .ticket);
  // The expected order: due time, tickets without one last, ties by id.
  std::vector<Ticket> expected = stored;
  std::ranges::stable_sort(expected, [](const Ticket& x, const Ticket& y) {
    auto key = [](const Ticket& t) {
      return std::make_pair(t.sla_due_at ? to_millis(*t.sla_due_at) : INT64_MAX, t.id);
    };
    return key(x) < key(y);
  });

  std::vector<TicketId> seen;
  TicketQuery q;
  q.scope = TicketScope::all();
  q.order = TicketOrder::sla_due_first;
  q.limit = 5;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = must(store().tickets(q));
    for (const auto& t : page.tickets) seen.push_back(t.id);
    if (!page.next) break;
    EXPECT_EQ(*page.next, page.tickets.back().id);
    q.after = page.tickets.back().id;
    q.after_sla_due = page.tickets.back().sla_due_at;
  }
  EXPECT_THAT(seen, ElementsAreArray(ids_of(expected)));

  // A filter keeps the order.
  q = TicketQuery{};
  q.scope = TicketScope::all();
  q.order = TicketOrder::sla_due_first;
  q.sla_states = {SlaState::none};
  q.now = at(0);
  EXPECT_THAT(ids_of(must(store().tickets(q)).tickets),
              ElementsAre(stored[1].id, stored[4].id, stored[8].id, stored[11].id));
}

TEST_P(QueueContract, QueueCountsPerTeamWithinTheScope) {
  const TeamId second = add_team("Desktop", 2).id;
  auto add = [&](TeamId team, int line, TicketStatus status, bool assigned, SlaState state,
                 std::optional<std::int64_t> due, std::optional<std::int64_t> warn) {
    Ticket t = standing("counted", state, due, warn);
    t.team = team;
    t.line = line;
    t.status = status;
    if (assigned) t.assignee = agent_.id;
    create(t);
  };
  add(desk_, 1, TicketStatus::new_, false, SlaState::running, 5000, 4000);
  add(desk_, 1, TicketStatus::open, true, SlaState::running, 5000, 500);  // at risk
  add(desk_, 1, TicketStatus::open, false, SlaState::running, 900, 500);  // breached by now
  add(desk_, 1, TicketStatus::pending_customer, true, SlaState::paused, {}, {});
  add(desk_, 1, TicketStatus::resolved, false, SlaState::none, {}, {});  // not counted
  add(second, 2, TicketStatus::open, false, SlaState::breached, {}, {});
  add(second, 2, TicketStatus::closed, true, SlaState::none, {}, {});

  auto counts = must(store().queue_counts(TicketScope::all(), at(1000)));
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_EQ(counts[0].team, desk_);
  EXPECT_EQ(counts[0].line, 1);
  EXPECT_EQ(counts[0].open, 4);
  EXPECT_EQ(counts[0].unassigned, 2);
  EXPECT_EQ(counts[0].at_risk, 1);
  EXPECT_EQ(counts[0].breached, 1);
  EXPECT_EQ(counts[1].team, second);
  EXPECT_EQ(counts[1].line, 2);
  EXPECT_EQ(counts[1].open, 1);
  EXPECT_EQ(counts[1].unassigned, 1);
  EXPECT_EQ(counts[1].at_risk, 0);
  EXPECT_EQ(counts[1].breached, 1);

  auto line_one = must(store().queue_counts(any_of({Clause().max_line(1)}), at(1000)));
  ASSERT_EQ(line_one.size(), 1u);
  EXPECT_EQ(line_one[0].team, desk_);
  EXPECT_TRUE(must(store().queue_counts(TicketScope{}, at(1000))).empty()) << "sees nothing";
}

TEST_P(QueueContract, SavedViewsAreKeptPerOwner) {
  SavedView v{0, agent_.id, "My breached", "sla=breached&sort=sla_due", false, at(1), at(1)};
  SavedView saved = must(store().save_view(v));
  EXPECT_GT(saved.id, 0);
  EXPECT_EQ(saved.owner, agent_.id);
  EXPECT_EQ(saved.name, "My breached");
  EXPECT_EQ(saved.query, "sla=breached&sort=sla_due");
  EXPECT_FALSE(saved.shared);
  EXPECT_EQ(saved.created_at, at(1));

  // Names are unique per owner, not across owners.
  EXPECT_EQ(code_of(store().save_view(v)), ErrorCode::conflict);
  const User other = add_user("agent-b", Role::agent, std::nullopt, {desk_});
  SavedView theirs = v;
  theirs.owner = other.id;
  EXPECT_TRUE(store().save_view(theirs));

  saved.name = "Breached first";
  saved.shared = true;
  saved.updated_at = at(5);
  SavedView changed = must(store().save_view(saved));
  EXPECT_EQ(changed.name, "Breached first");
  EXPECT_TRUE(changed.shared);
  EXPECT_EQ(changed.created_at, at(1));
  EXPECT_EQ(changed.updated_at, at(5));
  EXPECT_EQ(must(store().saved_view(saved.id)).name, "Breached first");

  SavedView stolen = changed;
  stolen.owner = other.id;
  EXPECT_EQ(code_of(store().save_view(stolen)), ErrorCode::not_found) << "another owner's";
  SavedView unknown = changed;
  unknown.id = 9999;
  EXPECT_EQ(code_of(store().save_view(unknown)), ErrorCode::not_found);
  SavedView nobody{0, 9999, "x", "", false, at(1), at(1)};
  EXPECT_EQ(code_of(store().save_view(nobody)), ErrorCode::invalid_argument);

  must(store().delete_view(saved.id));
  EXPECT_EQ(code_of(store().saved_view(saved.id)), ErrorCode::not_found);
  EXPECT_EQ(code_of(store().delete_view(saved.id)), ErrorCode::not_found);
}

TEST_P(QueueContract, SharedViewsReachTheOwnersTeams) {
  const TeamId other_team = add_team("Network", 3).id;
  const User lead = add_user("lead", Role::supervisor, std::nullopt, {desk_});
  const User outsider = add_user("outsider", Role::agent, std::nullopt, {other_team});
  auto save = [&](UserId owner, const std::string& name, bool shared) {
    return must(store().save_view(SavedView{0, owner, name, "status=new", shared, at(1), at(1)}))
        .id;
  };
  const SavedViewId lead_shared = save(lead.id, "Desk: new", true);
  const SavedViewId lead_private = save(lead.id, "Lead only", false);
  const SavedViewId own = save(agent_.id, "A mine", false);

  EXPECT_THAT(view_ids(must(store().saved_views(agent_.id, {desk_}))),
              ElementsAre(own, lead_shared))
      << "by name";
  EXPECT_THAT(view_ids(must(store().saved_views(lead.id, {desk_}))),
              UnorderedElementsAre(lead_shared, lead_private));
  EXPECT_TRUE(must(store().saved_views(outsider.id, {other_team})).empty());
  EXPECT_THAT(view_ids(must(store().saved_views(agent_.id, {}))), ElementsAre(own));
}

}  // namespace fl::store_contract
