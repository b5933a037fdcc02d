// Runs a guided flow turn by turn. The engine holds nothing: the caller keeps the FlowState
// (plain data, JSON via state_to_json/parse_state, so a session survives a restart) and passes
// it back with each answer. Pure: no I/O, no clock.
//
// A turn walks on through message and branch nodes, collecting their texts, until it reaches a
// node that waits for the user (choice, slot, step) or an end. An answer that does not fit is
// answered with a hint and the question again; the third one in a row at one node ends the flow
// as a hand-off with reason "invalid_input".
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "bot/flow.hpp"
#include "core/error.hpp"

namespace fl::bot {

inline constexpr int kMaxInvalidAnswers = 3;

// Where a conversation stands in one flow.
struct FlowState {
  std::string flow_id;
  std::string node;                          // the node waiting for the user, or the last one
  std::map<std::string, std::string> slots;  // normalised values; a skipped slot is absent
  std::vector<std::string> path;             // every node entered, in order
  int invalid_count = 0;                     // answers in a row that did not fit `node`
  Outcome outcome = Outcome::running;
  std::string reason;  // once ended: see Turn::reason
  std::string lang;    // the language of the last turn
  bool operator==(const FlowState&) const = default;
};

struct Button {
  std::string id;     // what to send back as UserInput::button
  std::string label;  // in the turn's language
  bool operator==(const Button&) const = default;
};

// What the turn waits for: nothing (the flow ended), one of the choice buttons, a slot's
// value (typed; buttons offered for yes_no and affected slots and for skipping), or yes/no to
// "Did that help?" after a step.
enum class Expecting { nothing, choice, slot, yes_no };

struct Turn {
  std::vector<std::string> messages;  // in order, in the turn's language
  std::vector<Button> buttons;
  Expecting expecting = Expecting::nothing;
  std::string slot;                     // Expecting::slot (and a choice node's slot, if any)
  SlotKind slot_kind = SlotKind::text;  // Expecting::slot: how the answer will be read
  Outcome outcome = Outcome::running;
  // Once ended: the id of the end node, or of the step the user confirmed as solved;
  // "invalid_input" after three answers that did not fit; "flow_changed" when the state's
  // node is no longer in the flow.
  std::string reason;
};

// A button pressed (its id) or text typed. Typed text that matches a button's label in either
// language or its id counts as that button; at a choice, so does its number ("2" for the
// second). At a step, typed yes/no words (ja, nein, yes, nope, ...) answer "Did that help?".
struct UserInput {
  enum class Kind { button, text };
  Kind kind = Kind::text;
  std::string value;

  static UserInput button(std::string id) { return {Kind::button, std::move(id)}; }
  static UserInput text(std::string typed) { return {Kind::text, std::move(typed)}; }
};

// Starts `flow` afresh: `state` is replaced. Precondition: validate_flow(flow) holds.
[[nodiscard]] Turn start(const Flow& flow, FlowState& state, std::string_view lang);

// Takes the user's answer to the node `state` waits at and walks on. The language may differ
// from the last turn's. On a state that has ended, nothing changes and the turn repeats the
// outcome without messages. A state of another flow, or whose node the flow no longer has (an
// admin edited it meanwhile), ends as a hand-off with reason "flow_changed".
[[nodiscard]] Turn answer(const Flow& flow, FlowState& state, const UserInput& input,
                          std::string_view lang);

[[nodiscard]] std::string state_to_json(const FlowState& state);
[[nodiscard]] Result<FlowState> parse_state(std::string_view json);

}  // namespace fl::bot

namespace fl {

template <>
struct EnumNames<bot::Expecting> {
  static constexpr std::array<std::pair<bot::Expecting, std::string_view>, 4> table{{
      {bot::Expecting::nothing, "nothing"},
      {bot::Expecting::choice, "choice"},
      {bot::Expecting::slot, "slot"},
      {bot::Expecting::yes_no, "yes_no"},
  }};
};

}  // namespace fl
