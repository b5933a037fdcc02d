// The flow format: what parse_flow refuses (each rule, named by its path), and that a flow
// survives flow_to_json unchanged.
#include "bot/flow.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "bot/sample_flow.hpp"

namespace fl::bot {
namespace {

using test_data::kSampleFlow;
using test_data::sample_with;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;

auto error_at(const std::string& field, const std::string& message_part) {
  return Contains(AllOf(Field(&FieldError::field, field),
                        Field(&FieldError::message, HasSubstr(message_part))));
}

std::vector<FieldError> errors_of(std::string_view json) {
  auto flow = parse_flow(json);
  EXPECT_FALSE(flow) << "parsed although it should not";
  return flow ? std::vector<FieldError>{} : flow.error().fields;
}

std::vector<FieldError> errors_of(const Flow& flow) {
  auto ok = validate_flow(flow);
  EXPECT_FALSE(ok) << "valid although it should not be";
  return ok ? std::vector<FieldError>{} : ok.error().fields;
}

Flow sample() {
  auto flow = parse_flow(kSampleFlow);
  EXPECT_TRUE(flow) << flow.error().message;
  return flow.value_or(Flow{});
}

Node* node(Flow& f, std::string_view id) {
  for (auto& n : f.nodes)
    if (n.id == id) return &n;
  ADD_FAILURE() << "no node " << id;
  static Node none;
  return &none;
}

TEST(BotFlowTest, SampleParsesWithEveryField) {
  Flow f = sample();
  EXPECT_EQ(f.id, "printer");
  EXPECT_EQ(f.title.de, "Drucker");
  EXPECT_EQ(f.handoff.category, "Hardware > Drucker");
  EXPECT_EQ(f.handoff.priority, HandoffPriority::normal);
  EXPECT_EQ(f.start, "hello");
  ASSERT_EQ(f.nodes.size(), 12u);
  EXPECT_EQ(f.nodes[1].id, "which_printer") << "document order is kept";
  const Node* slot = f.node("which_printer");
  ASSERT_NE(slot, nullptr);
  EXPECT_EQ(slot->validate.kind, SlotKind::device);
  EXPECT_EQ(slot->validate.min, 2.0);
  EXPECT_TRUE(f.node("os")->optional);
  const Node* branch = f.node("os_branch");
  ASSERT_EQ(branch->cases.size(), 2u);
  EXPECT_EQ(branch->cases[1].contains, std::vector<std::string>{"mac"})
      << "a string is a list of one";
  EXPECT_EQ(branch->otherwise, "symptom");
  EXPECT_EQ(f.node("power")->solved, "fixed");
  EXPECT_EQ(f.node("human")->outcome, Outcome::handoff);
  EXPECT_EQ(f.node("nope"), nullptr);
}

TEST(BotFlowTest, RoundTripsThroughJson) {
  Flow f = sample();
  std::string json = flow_to_json(f);
  auto again = parse_flow(json);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, f);
  EXPECT_EQ(flow_to_json(*again), json);
  node(f, "which_printer")->validate.max = 2.5;
  auto fractional = parse_flow(flow_to_json(f));
  ASSERT_TRUE(fractional);
  EXPECT_EQ(fractional->node("which_printer")->validate.max, 2.5);
}

TEST(BotFlowTest, RefusesWhatIsNotAFlowDocument) {
  EXPECT_THAT(errors_of("{"), error_at("body", "not valid JSON"));
  EXPECT_THAT(errors_of("[]"), error_at("body", "object"));
  EXPECT_THAT(errors_of("{}"), error_at("nodes", "required"));
  EXPECT_THAT(errors_of(sample_with(R"("start": "hello",)", R"("start": "hello", "colour": 1,)")),
              error_at("colour", "unknown field"));
  EXPECT_THAT(errors_of(sample_with(R"("type": "message", "say")", R"("type": "memo", "say")")),
              error_at("nodes.hello.type", "one of: message, choice, slot, step, branch, end"));
  EXPECT_THAT(errors_of(sample_with(R"("next": "which_printer"})", R"("next": 3})")),
              error_at("nodes.hello.next", "must be a string"));
  EXPECT_THAT(errors_of(sample_with(R"("kind": "os")", R"("kind": "colour")")),
              error_at("nodes.os.validate.kind", "one of: text, number"));
  EXPECT_THAT(errors_of(sample_with(R"("outcome": "solved")", R"("outcome": "running")")),
              error_at("nodes.fixed.outcome", "solved, handoff"));
  EXPECT_THAT(errors_of(sample_with(R"("priority": "normal")", R"("priority": "urgent")")),
              error_at("handoff.priority", "low, normal, high, critical"));
}

TEST(BotFlowTest, TargetsMustExistAndNameTheirPath) {
  EXPECT_THAT(errors_of(sample_with(R"("unsolved": "affected"})", R"("unsolved": "cabel"})")),
              error_at("nodes.toner.unsolved", "no node 'cabel'"));
  EXPECT_THAT(errors_of(sample_with(R"("start": "hello")", R"("start": "helo")")),
              error_at("start", "no node 'helo'"));
  EXPECT_THAT(errors_of(sample_with(R"("next": "toner"})", R"("next": "tonre"})")),
              error_at("nodes.symptom.choices[0].next", "no node 'tonre'"));
  EXPECT_THAT(errors_of(sample_with(R"("next": "mac_note"})", R"("next": "mac"})")),
              error_at("nodes.os_branch.cases[1].next", "no node 'mac'"));
  EXPECT_THAT(errors_of(sample_with(R"("else": "symptom")", R"("else": "sympton")")),
              error_at("nodes.os_branch.else", "no node 'sympton'"));
  EXPECT_THAT(errors_of(sample_with(R"("solved": "fixed")", R"("solved": "fixd")")),
              error_at("nodes.power.solved", "no node 'fixd'"));
  Flow f = sample();
  node(f, "win_note")->next = "";
  EXPECT_THAT(errors_of(f), error_at("nodes.win_note.next", "required"));
}

TEST(BotFlowTest, IdsAreUniqueAndWellFormed) {
  EXPECT_THAT(errors_of(sample_with(
                  R"("fixed": {)",
                  R"("human": {"type": "end", "outcome": "solved", "say": {"de": "a", "en": "b"}},
                                       "fixed": {)")),
              error_at("nodes.human", "duplicate key"));
  EXPECT_THAT(
      errors_of(sample_with(R"("de": "Hallo", "en")", R"("de": "Hallo", "de": "Hi", "en")")),
      error_at("nodes.hello.say.de", "duplicate key"));
  EXPECT_THAT(errors_of(sample_with(R"("id": "offline")", R"("id": "blank")")),
              error_at("nodes.symptom.choices[1].id", "duplicate choice 'blank'"));
  EXPECT_THAT(errors_of(sample_with(R"("id": "printer")", R"("id": "Printer!")")),
              error_at("id", "a-z"));
  Flow f = sample();
  f.nodes.push_back(f.nodes.back());
  EXPECT_THAT(errors_of(f), error_at("nodes.human", "duplicate node id"));
  f = sample();
  node(f, "hello")->id = "Hello World";
  f.start = "Hello World";
  EXPECT_THAT(errors_of(f), error_at("nodes.Hello World", "node id"));
}

TEST(BotFlowTest, TextsNeedBothLanguages) {
  EXPECT_THAT(errors_of(sample_with(R"({"de": "Hallo", "en": "Hello"})", R"({"de": "Hallo"})")),
              error_at("nodes.hello.say.en", "required"));
  EXPECT_THAT(errors_of(sample_with(R"({"de": "Drucker", "en": "Printer"})",
                                    R"({"de": " ", "en": "Printer"})")),
              error_at("title.de", "German"));
  EXPECT_THAT(errors_of(sample_with(R"("en": "Blank pages")", R"("en": "")")),
              error_at("nodes.symptom.choices[0].label.en", "English"));
  EXPECT_THAT(errors_of(sample_with(R"("en": ["printer not printing"])", R"("en": [])")),
              error_at("examples.en", "at least one"));
  EXPECT_THAT(
      errors_of(sample_with(R"("de": ["Drucker druckt nicht"])", R"("de": ["Drucker", ""])")),
      error_at("examples.de[1]", "empty"));
}

TEST(BotFlowTest, SlotNamesAndRulesAreChecked) {
  EXPECT_THAT(errors_of(sample_with(R"("slot": "device")", R"("slot": "Device-Name")")),
              error_at("nodes.which_printer.slot", "a-z and _"));
  EXPECT_THAT(errors_of(sample_with(R"("min": 2, "max": 200)", R"("min": 20, "max": 2)")),
              error_at("nodes.which_printer.validate.max", "below min"));
  EXPECT_THAT(errors_of(sample_with(R"("on": "os")", R"("on": "system")")),
              error_at("nodes.os_branch.on", "no node fills slot 'system'"));
  EXPECT_THAT(errors_of(sample_with(R"({"contains": "mac", "next")",
                                    R"({"contains": "mac", "is": "x", "next")")),
              error_at("nodes.os_branch.cases[1]", "either"));
  EXPECT_THAT(errors_of(sample_with(R"("line": 1)", R"("line": 7)")),
              error_at("handoff.line", "1-4"));
  EXPECT_THAT(errors_of(sample_with(R"("category": "Hardware > Drucker")", R"("category": "")")),
              error_at("handoff.category", "required"));
}

TEST(BotFlowTest, EveryNodeReachableAndAnEndReachable) {
  EXPECT_THAT(errors_of(sample_with(
                  R"("fixed": {)",
                  R"("orphan": {"type": "message", "say": {"de": "a", "en": "b"}, "next": "fixed"},
                                       "fixed": {)")),
              error_at("nodes.orphan", "not reachable from start"));
  // A question that only ever leads back to itself: no way out.
  Flow f = sample();
  node(f, "affected")->next = "affected";
  EXPECT_THAT(errors_of(f), error_at("nodes.affected", "no end node can be reached"));
  Flow trap;
  trap.id = "trap";
  trap.title = {"Falle", "Trap"};
  trap.examples = {{"x"}, {"x"}};
  trap.handoff.category = "x";
  trap.start = "ask";
  trap.nodes = {
      Node{.id = "ask", .type = NodeType::slot, .say = {"a", "b"}, .next = "ask", .slot = "x"}};
  EXPECT_THAT(errors_of(trap), error_at("nodes", "no end node reachable from start"));
}

TEST(BotFlowTest, ALoopNeedsAQuestionOnIt) {
  Flow f = sample();
  node(f, "mac_note")->next = "os_branch";  // os_branch -> mac_note -> os_branch, no question
  auto errors = errors_of(f);
  EXPECT_THAT(errors, Contains(Field(&FieldError::message, HasSubstr("cycle without a question"))));
  EXPECT_THAT(errors, Contains(Field(&FieldError::message,
                                     HasSubstr("os_branch -> mac_note -> os_branch"))));
  // The same loop through a question is fine: "no" at the power step asks for the printer again.
  f = sample();
  node(f, "power")->unsolved = "which_printer";
  EXPECT_TRUE(validate_flow(f)) << validate_flow(f).error().message;
}

TEST(BotFlowTest, EveryProblemIsReportedAtOnce) {
  std::string json = sample_with(R"("unsolved": "affected"})", R"("unsolved": "cabel"})");
  auto at = json.find(R"("else": "symptom")");
  json.replace(at, 17, R"("else": "nowhere")");
  auto errors = errors_of(json);
  EXPECT_THAT(errors, error_at("nodes.toner.unsolved", "cabel"));
  EXPECT_THAT(errors, error_at("nodes.os_branch.else", "nowhere"));
  auto flow = parse_flow(json);
  ASSERT_FALSE(flow);
  EXPECT_EQ(flow.error().code, ErrorCode::invalid_argument);
  EXPECT_THAT(flow.error().message, HasSubstr(": no node '"));
}

}  // namespace
}  // namespace fl::bot
