// The engine: a flow walked turn by turn through every node type, slot answers checked and
// re-asked, the hand-off after three answers that do not fit, languages, and the state as JSON.
#include "bot/engine.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "bot/sample_flow.hpp"

namespace fl::bot {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Flow sample() {
  auto flow = parse_flow(test_data::kSampleFlow);
  EXPECT_TRUE(flow) << flow.error().message;
  return flow.value_or(Flow{});
}

std::vector<std::string> button_ids(const Turn& t) {
  std::vector<std::string> out;
  for (const auto& b : t.buttons) out.push_back(b.id);
  return out;
}

class BotEngineTest : public ::testing::Test {
 protected:
  Turn say(std::string text, std::string_view lang = "de") {
    return answer(flow, state, UserInput::text(std::move(text)), lang);
  }
  Turn press(std::string id, std::string_view lang = "de") {
    return answer(flow, state, UserInput::button(std::move(id)), lang);
  }
  // From the start to the symptom question, with the given operating system answer.
  Turn to_symptom(std::string os) {
    (void)start(flow, state, "de");
    EXPECT_EQ(say("HP LaserJet 2. OG").outcome, Outcome::running);
    return say(std::move(os));
  }

  Flow flow = sample();
  FlowState state;
};

TEST_F(BotEngineTest, StartRunsThroughMessagesToTheFirstQuestion) {
  Turn t = start(flow, state, "de");
  EXPECT_THAT(t.messages, ElementsAre("Hallo", "Welcher Drucker?"));
  EXPECT_EQ(t.expecting, Expecting::slot);
  EXPECT_EQ(t.slot, "device");
  EXPECT_EQ(t.slot_kind, SlotKind::device);
  EXPECT_TRUE(t.buttons.empty());
  EXPECT_EQ(t.outcome, Outcome::running);
  EXPECT_EQ(state.flow_id, "printer");
  EXPECT_EQ(state.node, "which_printer");
  EXPECT_THAT(state.path, ElementsAre("hello", "which_printer"));
}

TEST_F(BotEngineTest, BranchCasesMatchTheNormalisedSlot) {
  Turn t = to_symptom("win11");
  EXPECT_EQ(state.slots.at("os"), "Windows 11");
  EXPECT_THAT(t.messages, ElementsAre("Windows-Hinweis", "Was passiert?")) << "an `is` case";
  t = to_symptom("MacBook Pro mit Sonoma");
  EXPECT_THAT(t.messages, ElementsAre("Mac-Hinweis", "Was passiert?")) << "a `contains` case";
  t = to_symptom("Android");
  EXPECT_THAT(t.messages, ElementsAre("Was passiert?")) << "else";
  EXPECT_THAT(state.path, ElementsAre("hello", "which_printer", "os", "os_branch", "symptom"));
}

TEST_F(BotEngineTest, OptionalSlotCanBeSkipped) {
  (void)start(flow, state, "de");
  Turn t = say("Drucker Empfang");
  EXPECT_THAT(button_ids(t), ElementsAre("skip"));
  EXPECT_EQ(t.buttons[0].label, "Weiß ich nicht");
  t = say("keine Ahnung");
  EXPECT_FALSE(state.slots.contains("os"));
  EXPECT_THAT(t.messages, ElementsAre("Was passiert?")) << "an unset slot takes else";
  (void)start(flow, state, "en");
  (void)say("Printer reception", "en");
  t = press("skip", "en");
  EXPECT_EQ(t.expecting, Expecting::choice);
  // A required slot does not take "don't know": it is an answer like any other (device: text).
  (void)start(flow, state, "en");
  t = say("?", "en");
  EXPECT_EQ(state.node, "which_printer");
  EXPECT_THAT(t.messages.front(), HasSubstr("at least 2 characters"));
}

TEST_F(BotEngineTest, ChoiceByButtonLabelInEitherLanguageOrNumber) {
  Turn t = to_symptom("Windows 10");
  EXPECT_EQ(t.expecting, Expecting::choice);
  EXPECT_EQ(t.slot, "symptom");
  EXPECT_THAT(button_ids(t), ElementsAre("blank", "offline"));
  EXPECT_EQ(t.buttons[0].label, "Leere Seiten");
  t = press("offline");
  EXPECT_EQ(state.slots.at("symptom"), "offline");
  EXPECT_THAT(t.messages, ElementsAre("Aus- und einschalten", "Hat das geholfen?"));
  EXPECT_EQ(t.expecting, Expecting::yes_no);
  EXPECT_THAT(button_ids(t), ElementsAre("yes", "no"));

  (void)to_symptom("Windows 10");
  t = say("blank pages");
  EXPECT_EQ(state.slots.at("symptom"), "blank") << "the English label while talking German";
  (void)to_symptom("Windows 10");
  (void)say("2");
  EXPECT_EQ(state.slots.at("symptom"), "offline") << "the second button";
  (void)to_symptom("Windows 10");
  t = say("Drucker brennt");
  EXPECT_THAT(t.messages, ElementsAre("Bitte wählen Sie eine der Möglichkeiten.", "Was passiert?"));
  EXPECT_THAT(button_ids(t), ElementsAre("blank", "offline")) << "offered again";
  EXPECT_EQ(state.invalid_count, 1);
}

TEST_F(BotEngineTest, StepYesEndsSolvedAndNoGoesOn) {
  (void)to_symptom("Windows 10");
  (void)press("offline");
  Turn t = say("ja, geht wieder");
  EXPECT_EQ(t.outcome, Outcome::solved);
  EXPECT_EQ(t.reason, "fixed") << "the end node reached";
  EXPECT_THAT(t.messages, ElementsAre("Gelöst"));
  EXPECT_EQ(t.expecting, Expecting::nothing);
  EXPECT_TRUE(t.buttons.empty());
  EXPECT_EQ(state.outcome, Outcome::solved);

  (void)to_symptom("Windows 10");
  (void)press("blank");
  t = press("yes");
  EXPECT_EQ(t.outcome, Outcome::solved) << "a step without `solved` ends the flow itself";
  EXPECT_EQ(t.reason, "toner");
  EXPECT_THAT(t.messages.front(), HasSubstr("Prima"));

  (void)to_symptom("Windows 10");
  (void)press("blank");
  t = say("nein, leider nicht");
  EXPECT_THAT(t.messages, ElementsAre("Wer ist betroffen?"));
  EXPECT_THAT(button_ids(t), ElementsAre("me", "several", "everyone"));
  t = say("das ganze Team");
  EXPECT_EQ(state.slots.at("affected"), "several");
  EXPECT_EQ(t.outcome, Outcome::handoff);
  EXPECT_EQ(t.reason, "human");
  EXPECT_THAT(state.path.back(), "human");
}

TEST_F(BotEngineTest, InvalidAnswerIsExplainedAndAskedAgain) {
  (void)start(flow, state, "de");
  Turn t = say("x");
  EXPECT_THAT(t.messages, ElementsAre(HasSubstr("mindestens 2 Zeichen"), "Welcher Drucker?"));
  EXPECT_EQ(t.expecting, Expecting::slot);
  EXPECT_EQ(state.invalid_count, 1);
  t = say("y", "en");
  EXPECT_THAT(t.messages, ElementsAre(HasSubstr("at least 2 characters"), "Which printer?"));
  EXPECT_EQ(state.invalid_count, 2);
  t = say("Kyocera Flur");
  EXPECT_EQ(state.invalid_count, 0) << "a good answer starts the count again";
  EXPECT_EQ(state.slots.at("device"), "Kyocera Flur");
  (void)say("Windows 11");
  (void)say("?");
  (void)say("?");
  EXPECT_EQ(state.outcome, Outcome::running) << "two wrong answers at a new node";
}

TEST_F(BotEngineTest, ThreeInvalidAnswersHandTheUserOver) {
  (void)to_symptom("Windows 10");
  (void)press("blank");
  (void)say("vielleicht");
  (void)say("egal");
  EXPECT_EQ(state.outcome, Outcome::running);
  Turn t = press("maybe");
  EXPECT_EQ(t.outcome, Outcome::handoff);
  EXPECT_EQ(t.reason, "invalid_input");
  EXPECT_THAT(t.messages, ElementsAre(HasSubstr("Service Desk")));
  EXPECT_EQ(state.outcome, Outcome::handoff);
  EXPECT_EQ(state.reason, "invalid_input");
  EXPECT_EQ(state.node, "toner") << "where it gave up";
  // An ended state stays as it is.
  FlowState before = state;
  t = say("ja");
  EXPECT_EQ(t.outcome, Outcome::handoff);
  EXPECT_TRUE(t.messages.empty());
  EXPECT_EQ(state, before);
}

TEST_F(BotEngineTest, LanguageCanChangeMidFlow) {
  Turn t = start(flow, state, "en");
  EXPECT_THAT(t.messages, ElementsAre("Hello", "Which printer?"));
  t = say("Empfangsdrucker", "de");
  EXPECT_THAT(t.messages, ElementsAre("Welches System?"));
  EXPECT_EQ(t.buttons[0].label, "Weiß ich nicht");
  t = say("macOS", "en");
  EXPECT_THAT(t.messages, ElementsAre("Mac note", "What happens?"));
  EXPECT_EQ(t.buttons[1].label, "Printer offline");
  EXPECT_EQ(state.lang, "en");
  t = say("drucker offline", "en");
  EXPECT_THAT(t.messages, ElementsAre("Power cycle", "Did that help?"));
  EXPECT_EQ(t.buttons[0].label, "Yes, that fixed it");
}

TEST_F(BotEngineTest, StateSurvivesJsonMidFlow) {
  (void)to_symptom("ubuntu 22.04");
  (void)say("x");  // one invalid answer counted
  std::string json = state_to_json(state);
  auto restored = parse_state(json);
  ASSERT_TRUE(restored) << restored.error().message;
  EXPECT_EQ(*restored, state);
  EXPECT_EQ(state_to_json(*restored), json);
  EXPECT_EQ(restored->slots.at("os"), "Linux (Ubuntu 22.04)");
  EXPECT_EQ(restored->invalid_count, 1);

  FlowState copy = *restored;
  Turn a = press("offline");
  Turn b = answer(flow, copy, UserInput::button("offline"), "de");
  EXPECT_EQ(a.messages, b.messages);
  EXPECT_EQ(state, copy);

  EXPECT_FALSE(parse_state("{\"node\": 3}"));
  auto bad =
      parse_state(R"({"flow_id": "printer", "node": "x", "outcome": "lost", "slots": {"a": 1}})");
  ASSERT_FALSE(bad);
  std::vector<std::string> fields;
  for (const auto& f : bad.error().fields) fields.push_back(f.field);
  EXPECT_THAT(fields, ElementsAre("slots.a", "outcome"));
}

TEST_F(BotEngineTest, AStateWhoseNodeIsGoneIsHandedOver) {
  (void)start(flow, state, "de");
  state.node = "removed_by_an_admin";
  Turn t = say("Drucker");
  EXPECT_EQ(t.outcome, Outcome::handoff);
  EXPECT_EQ(t.reason, "flow_changed");
  EXPECT_THAT(t.messages, ElementsAre(HasSubstr("geändert")));

  (void)start(flow, state, "en");
  state.flow_id = "vpn";
  t = say("Printer reception", "en");
  EXPECT_EQ(t.reason, "flow_changed") << "a state of another flow";
  EXPECT_EQ(name_of(t.expecting), "nothing");
}

TEST_F(BotEngineTest, YesNoAndAffectedSlotsOfferButtons) {
  Flow f = flow;
  for (auto& n : f.nodes)
    if (n.id == "which_printer") n.validate = {.kind = SlotKind::yes_no};
  (void)start(f, state, "en");
  Turn t = start(f, state, "en");
  EXPECT_THAT(button_ids(t), ElementsAre("yes", "no"));
  EXPECT_EQ(t.buttons[1].label, "No");
  t = answer(f, state, UserInput::text("Nein"), "en");
  EXPECT_EQ(state.slots.at("device"), "no");
  (void)start(f, state, "en");
  t = answer(f, state, UserInput::button("perhaps"), "en");
  EXPECT_THAT(t.messages.front(), HasSubstr("pick one"));
  EXPECT_EQ(state.invalid_count, 1);
}

}  // namespace
}  // namespace fl::bot
