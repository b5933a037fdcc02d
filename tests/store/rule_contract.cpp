// The Store contract for rules: rule documents (versions, unique names, their event), the
// timers of time-based rules (replaced per ticket, read in due order), named feed cursors
// that only move forward, and the system account. Runs against every adapter.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/store_contract.hpp"

namespace fl::store_contract {
namespace {

using ::testing::ElementsAre;

ConfigDocument rule_doc(const std::string& name) {
  return ConfigDocument{0, name, 0, R"({"name":")" + name + R"("})", at(10)};
}

std::vector<std::pair<TicketId, std::int64_t>> due_pairs(Store& store, std::int64_t now_ms) {
  std::vector<std::pair<TicketId, std::int64_t>> out;
  for (const auto& t : must(store.rule_timers_due(at(now_ms), 100), "rule_timers_due"))
    out.emplace_back(t.ticket, t.rule);
  return out;
}

TEST_P(RuleContract, RulesAreVersionedWithUniqueNamesAndTheirEvent) {
  auto first = must(store().save_rule(rule_doc("close"), event_of(event_type::rule_saved)), "save");
  EXPECT_EQ(first.version, 1);
  EXPECT_EQ(first.name, "close");
  auto edited = first;
  edited.body = R"({"name":"close","active":false})";
  auto second = must(store().save_rule(edited, event_of(event_type::rule_saved)), "edit");
  EXPECT_EQ(second.version, 2);
  EXPECT_EQ(second.body, edited.body);
  EXPECT_EQ(store().save_rule(edited, event_of(event_type::rule_saved)).error().code,
            ErrorCode::conflict)
      << "version 1 is stale";
  EXPECT_EQ(store().save_rule(rule_doc("close"), event_of(event_type::rule_saved)).error().code,
            ErrorCode::conflict)
      << "the name is taken";
  auto missing = rule_doc("ghost");
  missing.id = 999;
  missing.version = 1;
  EXPECT_EQ(store().save_rule(missing, event_of(event_type::rule_saved)).error().code,
            ErrorCode::not_found);
  auto all = must(store().rules(), "rules");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].version, 2);
  auto events = must(store().events_after(0, 1000), "events");
  int saved = 0;
  for (const auto& e : events) saved += e.type == event_type::rule_saved;
  EXPECT_EQ(saved, 2) << "only the stored saves left an event";
}

TEST_P(RuleContract, TimersAreReplacedPerTicketAndReadInDueOrder) {
  auto rule = must(store().save_rule(rule_doc("wait"), event_of(event_type::rule_saved)), "save");
  auto other = must(store().save_rule(rule_doc("other"), event_of(event_type::rule_saved)), "save");
  TicketId a = create(draft_ticket("a")).ticket.id;
  TicketId b = create(draft_ticket("b")).ticket.id;
  ASSERT_TRUE(store().replace_rule_timers(
      {a, b}, {{rule.id, a, at(300), 1}, {other.id, a, at(100), 2}, {rule.id, b, at(200), 3}}));
  EXPECT_THAT(due_pairs(store(), 1000),
              ElementsAre(std::pair{a, other.id}, std::pair{b, rule.id}, std::pair{a, rule.id}));
  EXPECT_THAT(due_pairs(store(), 250), ElementsAre(std::pair{a, other.id}, std::pair{b, rule.id}));

  // Replacing a's timers leaves b's alone; an empty list clears a.
  ASSERT_TRUE(store().replace_rule_timers({a}, {}));
  EXPECT_THAT(due_pairs(store(), 1000), ElementsAre(std::pair{b, rule.id}));
  auto kept = must(store().rule_timers_due(at(1000), 10), "due");
  EXPECT_EQ(kept.at(0).anchor, 3);
  EXPECT_EQ(kept.at(0).due_at, at(200));

  // A timer of a ticket not listed, or of an unknown rule, is refused and changes nothing.
  EXPECT_EQ(store().replace_rule_timers({a}, {{rule.id, b, at(1), 1}}).error().code,
            ErrorCode::invalid_argument);
  EXPECT_FALSE(store().replace_rule_timers({b}, {{9999, b, at(1), 1}}));
  EXPECT_THAT(due_pairs(store(), 1000), ElementsAre(std::pair{b, rule.id}));
}

TEST_P(RuleContract, FeedCursorsAreNamedAndOnlyMoveForward) {
  EXPECT_EQ(must(store().feed_cursor("rules"), "cursor"), 0);
  ASSERT_TRUE(store().set_feed_cursor("rules", 42));
  ASSERT_TRUE(store().set_feed_cursor("webhooks", 7));
  ASSERT_TRUE(store().set_feed_cursor("rules", 12));
  EXPECT_EQ(must(store().feed_cursor("rules"), "cursor"), 42);
  EXPECT_EQ(must(store().feed_cursor("webhooks"), "cursor"), 7);
}

TEST_P(RuleContract, TheSystemAccountExistsButIsNotListed) {
  auto system = must(store().user_record_by_login(kSystemLogin), "system account");
  EXPECT_TRUE(system.password_hash.empty()) << "it cannot log in";
  EXPECT_TRUE(system.user.teams.empty());
  for (const auto& u : must(store().users(std::nullopt), "users"))
    EXPECT_NE(u.login, kSystemLogin);
  for (const auto& u : must(store().users(Role::agent), "agents"))
    EXPECT_NE(u.login, kSystemLogin);
}

// Settings documents (the staffing plan is one): by name, versions checked like rules, the
// event with the save; none stored is not_found.
TEST_P(RuleContract, SettingsAreDocumentsByName) {
  EXPECT_EQ(store().setting("staffing_plan").error().code, ErrorCode::not_found);
  ConfigDocument doc{0, "staffing_plan", 0, R"({"desks":{}})", at(10)};
  auto first =
      must(store().save_setting(doc, event_of(event_type::staffing_plan_saved)), "save_setting");
  EXPECT_EQ(first.version, 1);
  auto read = must(store().setting("staffing_plan"), "setting");
  EXPECT_EQ(read.id, first.id);
  EXPECT_EQ(read.body, doc.body);
  EXPECT_EQ(read.updated_at, at(10));
  auto edited = read;
  edited.body = R"({"desks":{"line1":{"shifts":[]}}})";
  edited.updated_at = at(20);
  auto second = must(store().save_setting(edited, event_of(event_type::staffing_plan_saved)),
                     "edit setting");
  EXPECT_EQ(second.version, 2);
  EXPECT_EQ(store().save_setting(edited, event_of(event_type::staffing_plan_saved)).error().code,
            ErrorCode::conflict)
      << "version 1 is stale";
  EXPECT_EQ(store().save_setting(doc, event_of(event_type::staffing_plan_saved)).error().code,
            ErrorCode::conflict)
      << "the name is taken";
  EXPECT_EQ(must(store().setting("staffing_plan"), "setting").body, edited.body);
  EXPECT_EQ(store().setting("other").error().code, ErrorCode::not_found);
  int saved = 0;
  for (const auto& e : must(store().events_after(0, 1000), "events"))
    saved += e.type == event_type::staffing_plan_saved;
  EXPECT_EQ(saved, 2);
}

}  // namespace
}  // namespace fl::store_contract
