#include "app/saved_views.hpp"

#include "app/ticket_filters.hpp"
#include "desk_fixture.hpp"

namespace fl::testing {

namespace {

class SavedViewsTest : public DeskTest {
 protected:
  void SetUp() override {
    DeskTest::SetUp();
    views = std::make_unique<SavedViewService>(*store, clock);
    lead = person("lead", Role::supervisor, std::nullopt, {desk.id});
  }
  std::unique_ptr<SavedViewService> views;
  Actor lead;
};

}  // namespace

TEST_F(SavedViewsTest, EveryoneKeepsTheirOwn) {
  SavedView v = ok(views->create(l1, {"  Mine, due first ", "assignee=me&sort=sla_due", false}));
  EXPECT_EQ(v.name, "Mine, due first");
  EXPECT_EQ(v.owner, l1.user.id);
  EXPECT_EQ(ok(views->create(c1, {"Open", "status=new,open", false})).owner, c1.user.id);
  EXPECT_EQ(views->create(l1, {"Mine, due first", "", false}).error().code, ErrorCode::conflict);

  SavedView changed = ok(views->update(l1, v.id, {"Breached", "sla=breached", false}));
  EXPECT_EQ(changed.query, "sla=breached");
  EXPECT_EQ(views->update(l2, v.id, {"x", "", false}).error().code, ErrorCode::not_found);
  EXPECT_EQ(views->remove(l2, v.id).error().code, ErrorCode::not_found);
  EXPECT_TRUE(views->remove(l1, v.id));
  EXPECT_TRUE(ok(views->list(l1)).empty());
}

TEST_F(SavedViewsTest, QueriesAreCheckedLikeTheList) {
  auto field_of = [&](const std::string& query) {
    auto r = views->create(l1, {"v", query, false});
    return r ? std::string("accepted") : r.error().fields.at(0).field;
  };
  EXPECT_EQ(field_of("status=new,nonsense"), "query");
  EXPECT_EQ(field_of("sla=late"), "query");
  EXPECT_EQ(field_of("sort=priority"), "query");
  EXPECT_EQ(field_of("cursor=5"), "query") << "paging is not part of a view";
  EXPECT_EQ(field_of("colour=red"), "query");
  EXPECT_EQ(field_of("tag=vpn&tag=printer&priority=P1,P2&sla=at_risk,breached&team=1&sort=sla_due"),
            "accepted");
  EXPECT_EQ(views->create(l1, {"", "", false}).error().fields.at(0).field, "name");
  EXPECT_EQ(views->create(l1, {"long", std::string(2001, 'a'), false}).error().fields.at(0).field,
            "query");
}

TEST_F(SavedViewsTest, SupervisorsShareWithTheirTeams) {
  EXPECT_EQ(views->create(l1, {"Team view", "", true}).error().code, ErrorCode::permission_denied);
  SavedView shared = ok(views->create(lead, {"Desk: at risk", "sla=at_risk&team=1", true}));
  ok(views->create(lead, {"Lead only", "", false}));
  auto seen = ok(views->list(l1));
  ASSERT_EQ(seen.size(), 1u) << "a member of the lead's team";
  EXPECT_EQ(seen[0].id, shared.id);
  EXPECT_TRUE(ok(views->list(l2)).empty()) << "another team";
  EXPECT_EQ(views->update(l1, shared.id, {"Mine now", "", false}).error().code,
            ErrorCode::permission_denied);
  EXPECT_EQ(views->remove(l1, shared.id).error().code, ErrorCode::permission_denied);
}

TEST(TicketFilters, ReadTheListsQueryString) {
  auto q = ticket_query_from({{"status", "new,open"},
                              {"priority", "P1"},
                              {"sla", "at_risk,breached"},
                              {"tag", "vpn"},
                              {"tag", "printer,vip"},
                              {"assignee", "me"},
                              {"sort", "sla_due"},
                              {"cursor", "1700000000000.42"}},
                             7);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->statuses.size(), 2u);
  EXPECT_EQ(q->priorities, std::vector<Priority>{Priority::p1});
  EXPECT_EQ(q->sla_states, (std::vector<SlaState>{SlaState::at_risk, SlaState::breached}));
  EXPECT_EQ(q->tags, (std::vector<std::string>{"vpn", "printer", "vip"}));
  EXPECT_EQ(q->assignee, 7);
  EXPECT_EQ(q->order, TicketOrder::sla_due_first);
  EXPECT_EQ(q->after, 42);
  EXPECT_EQ(q->after_sla_due, from_millis(1700000000000));

  auto tail = ticket_query_from({{"sort", "sla_due"}, {"cursor", "none.9"}}, 7);
  ASSERT_TRUE(tail);
  EXPECT_EQ(tail->after, 9);
  EXPECT_FALSE(tail->after_sla_due);
  EXPECT_EQ(ticket_query_from({{"cursor", "none.9"}}, 7).error().fields.at(0).field, "cursor")
      << "an SLA cursor for the newest-first order";
  EXPECT_EQ(
      ticket_query_from({{"sort", "sla_due"}, {"cursor", "12"}}, 7).error().fields.at(0).field,
      "cursor");

  TicketPage page;
  page.tickets.resize(1);
  page.tickets[0].id = 42;
  page.next = 42;
  EXPECT_EQ(next_cursor(page, TicketOrder::newest_first), "42");
  EXPECT_EQ(next_cursor(page, TicketOrder::sla_due_first), "none.42");
  page.tickets[0].sla_due_at = from_millis(1700000000000);
  EXPECT_EQ(next_cursor(page, TicketOrder::sla_due_first), "1700000000000.42");
  page.next.reset();
  EXPECT_FALSE(next_cursor(page, TicketOrder::sla_due_first));
}

}  // namespace fl::testing
