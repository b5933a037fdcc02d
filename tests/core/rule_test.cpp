// Rules as data: validation names each wrong field, conditions hold as their operators say.
#include "core/rule.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fl {
namespace {

using ::testing::Contains;
using ::testing::Field;

Rule tagging(std::vector<RuleCondition> conditions) {
  Rule r;
  r.name = "tag";
  r.on = {RuleTrigger::created};
  r.conditions = std::move(conditions);
  r.actions = {{.kind = RuleActionKind::add_tag, .value = "x"}};
  return r;
}

Ticket sample() {
  Ticket t;
  t.subject = "Drucker im 2. OG druckt nicht";
  t.category = "Printer";
  t.impact = 2;
  t.urgency = 1;
  t.priority = Priority::p2;
  t.status = TicketStatus::open;
  t.line = 2;
  t.team = 7;
  t.tags = {"floor-2", "vip"};
  return t;
}

bool holds(RuleField f, RuleOperator op, std::vector<std::string> values, RuleFacts facts = {}) {
  Rule r = tagging({{f, op, std::move(values)}});
  EXPECT_TRUE(validate(r)) << name_of(f) << " " << name_of(op);
  return conditions_hold(r, sample(), facts);
}

TEST(RuleTest, ConditionsHoldAsTheirOperatorsSay) {
  EXPECT_TRUE(holds(RuleField::status, RuleOperator::is, {"new", "open"}));
  EXPECT_FALSE(holds(RuleField::status, RuleOperator::is_not, {"open"}));
  EXPECT_TRUE(holds(RuleField::priority, RuleOperator::at_least, {"p3"})) << "P2 is at least P3";
  EXPECT_FALSE(holds(RuleField::priority, RuleOperator::at_least, {"P1"}));
  EXPECT_TRUE(holds(RuleField::priority, RuleOperator::at_most, {"P2"}));
  EXPECT_TRUE(holds(RuleField::line, RuleOperator::at_least, {"2"}));
  EXPECT_FALSE(holds(RuleField::line, RuleOperator::at_least, {"3"}));
  EXPECT_TRUE(holds(RuleField::urgency, RuleOperator::at_least, {"2"})) << "urgency 1 is higher";
  EXPECT_TRUE(holds(RuleField::tag, RuleOperator::is, {"VIP"})) << "tags are normalised";
  EXPECT_FALSE(holds(RuleField::tag, RuleOperator::is_not, {"vip", "other"}));
  EXPECT_TRUE(holds(RuleField::category, RuleOperator::is, {"printer"})) << "case-insensitive";
  EXPECT_TRUE(holds(RuleField::subject, RuleOperator::contains, {"DRUCKER"}));
  EXPECT_TRUE(holds(RuleField::subject, RuleOperator::not_contains, {"vpn"}));
  EXPECT_TRUE(holds(RuleField::assignee, RuleOperator::not_set, {}));
  EXPECT_TRUE(holds(RuleField::team, RuleOperator::is, {"7"}));
  EXPECT_TRUE(holds(RuleField::by, RuleOperator::is, {"customer"}, {"customer", "reply"}));
  EXPECT_FALSE(holds(RuleField::by, RuleOperator::is, {"customer"}, {"staff", "reply"}));
  EXPECT_TRUE(holds(RuleField::entry_kind, RuleOperator::is_not, {"note"}, {"staff", "reply"}));
}

TEST(RuleTest, ValidationNamesEachWrongField) {
  Rule r;
  r.name = " ";
  r.conditions = {{RuleField::subject, RuleOperator::is, {"x"}},
                  {RuleField::priority, RuleOperator::is, {"P7"}},
                  {RuleField::assignee, RuleOperator::is_set, {"3"}}};
  r.actions = {{.kind = RuleActionKind::notify},
               {.kind = RuleActionKind::reply, .text = {.en = "Hi {{customer.nickname}}"}},
               {.kind = RuleActionKind::set_priority, .impact = 9}};
  auto result = validate(r);
  ASSERT_FALSE(result);
  const auto& fields = result.error().fields;
  for (std::string f : {"name", "on", "conditions[0].op", "conditions[1].values",
                        "conditions[2].values", "actions[0].recipients", "actions[0].text",
                        "actions[1].text", "actions[2].impact"})
    EXPECT_THAT(fields, Contains(Field(&FieldError::field, f))) << f;
}

TEST(RuleTest, ATimeBasedRuleWaitsAndAsksNoEventQuestions) {
  Rule r;
  r.name = "close";
  r.wait = RuleWait{{TicketStatus::resolved, TicketStatus::resolved}, std::chrono::days(7), {}};
  r.actions = {{.kind = RuleActionKind::set_status, .status = TicketStatus::closed}};
  ASSERT_TRUE(validate(r));
  EXPECT_EQ(r.wait->statuses.size(), 1u) << "statuses kept once";

  r.on = {RuleTrigger::created};
  r.conditions = {{RuleField::by, RuleOperator::is, {"customer"}}};
  r.wait->after = std::chrono::days(400);
  auto result = validate(r);
  ASSERT_FALSE(result);
  const auto& fields = result.error().fields;
  for (std::string f : {"on", "wait.after_minutes", "conditions[0].field"})
    EXPECT_THAT(fields, Contains(Field(&FieldError::field, f))) << f;
}

TEST(RuleTest, EventTypesMapToTriggers) {
  EXPECT_EQ(trigger_of("ticket.created"), RuleTrigger::created);
  EXPECT_EQ(trigger_of("sla.step_fired"), RuleTrigger::sla_step);
  EXPECT_EQ(trigger_of("rule.fired"), std::nullopt);
  EXPECT_EQ(trigger_of("article.saved"), std::nullopt);
}

}  // namespace
}  // namespace fl
