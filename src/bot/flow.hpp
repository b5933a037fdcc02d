// Guided troubleshooting flows of the self-service chatbot (line 0): the model, its JSON form
// and its validation. A flow is a graph of nodes; the engine (bot/engine.hpp) walks it turn by
// turn. Pure: no I/O, no clock. The format is documented for flow authors in docs/bot.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/names.hpp"

namespace fl::bot {

// A text shown to the user, always in both languages.
struct Text {
  std::string de;
  std::string en;

  // "de" gives the German text, any other language the English one.
  [[nodiscard]] const std::string& in(std::string_view lang) const {
    return lang == "de" ? de : en;
  }
  bool operator==(const Text&) const = default;
};

enum class NodeType { message, choice, slot, step, branch, end };
enum class Outcome { running, solved, handoff };  // an end node is solved or handoff
enum class HandoffPriority { low, normal, high, critical };
// How a slot's answer is checked and normalised (bot/slot.hpp).
enum class SlotKind { text, number, yes_no, os, device, error_message, since, affected };

struct SlotRule {
  SlotKind kind = SlotKind::text;
  // text-like kinds: length in characters; number: the value. Unset: the kind's default.
  std::optional<double> min;
  std::optional<double> max;
  bool operator==(const SlotRule&) const = default;
};

struct Choice {
  std::string id;  // the button id, and the value kept in the node's slot
  Text label;
  std::string next;
  bool operator==(const Choice&) const = default;
};

// A branch case holds when the slot's value equals one of `is` or contains one of `contains`
// (both compared case-insensitively). Exactly one of the two lists is used per case.
struct BranchCase {
  std::vector<std::string> is;
  std::vector<std::string> contains;
  std::string next;
  bool operator==(const BranchCase&) const = default;
};

// One node; which fields mean something depends on `type` (the others stay empty).
struct Node {
  std::string id;
  NodeType type = NodeType::message;
  Text say;                     // every type but branch
  std::string next;             // message, slot
  std::string slot;             // slot: the slot filled; choice: optional, keeps the choice id;
                                // branch: the slot decided on ("on")
  SlotRule validate;            // slot
  bool optional = false;        // slot: "don't know" is accepted and leaves the slot unset
  std::vector<Choice> choices;  // choice
  std::string solved;           // step: where "yes, that helped" goes; empty: the flow ends solved
  std::string unsolved;         // step: where "no" goes
  std::vector<BranchCase> cases;      // branch, tried in order
  std::string otherwise;              // branch: "else", when no case holds
  Outcome outcome = Outcome::solved;  // end: solved or handoff
  bool operator==(const Node&) const = default;
};

// Sample user sentences per language, for the intent classifier.
struct Examples {
  std::vector<std::string> de;
  std::vector<std::string> en;
  bool operator==(const Examples&) const = default;
};

// What a ticket made from this flow gets when the user is handed to a person.
struct Handoff {
  std::string category;  // e.g. "Hardware > Drucker"
  HandoffPriority priority = HandoffPriority::normal;
  int line = 1;      // a ticket line, 1-4
  std::string team;  // empty: the line's usual queue
  bool operator==(const Handoff&) const = default;
};

struct Flow {
  std::string id;  // [a-z0-9_-]{1,40}
  Text title;
  Examples examples;
  Handoff handoff;
  std::string start;
  std::vector<Node> nodes;  // in the document's order

  // The node with this id, or nullptr.
  [[nodiscard]] const Node* node(std::string_view node_id) const;
  bool operator==(const Flow&) const = default;
};

// The flow in `json`, or invalid_argument with every problem by its path ("nodes.power.unsolved:
// no node 'cabel'"; duplicate keys in any object are refused). Checks everything
// validate_flow() checks.
[[nodiscard]] Result<Flow> parse_flow(std::string_view json);

// The rules a flow built in code (or edited) must keep: ids, both languages everywhere, targets
// that exist, every node reachable from `start`, an end reachable, no cycle without a node that
// waits for the user. Errors name the path as parse_flow() does.
[[nodiscard]] Result<void> validate_flow(const Flow& flow);

// The JSON form parse_flow() reads: parse_flow(flow_to_json(f)) == f for a valid flow.
[[nodiscard]] std::string flow_to_json(const Flow& flow);

// True for the node types that wait for the user (choice, slot, step).
[[nodiscard]] constexpr bool waits_for_user(NodeType t) {
  return t == NodeType::choice || t == NodeType::slot || t == NodeType::step;
}

}  // namespace fl::bot

namespace fl {

template <>
struct EnumNames<bot::NodeType> {
  static constexpr std::array<std::pair<bot::NodeType, std::string_view>, 6> table{{
      {bot::NodeType::message, "message"},
      {bot::NodeType::choice, "choice"},
      {bot::NodeType::slot, "slot"},
      {bot::NodeType::step, "step"},
      {bot::NodeType::branch, "branch"},
      {bot::NodeType::end, "end"},
  }};
};

template <>
struct EnumNames<bot::Outcome> {
  static constexpr std::array<std::pair<bot::Outcome, std::string_view>, 3> table{{
      {bot::Outcome::running, "running"},
      {bot::Outcome::solved, "solved"},
      {bot::Outcome::handoff, "handoff"},
  }};
};

template <>
struct EnumNames<bot::HandoffPriority> {
  static constexpr std::array<std::pair<bot::HandoffPriority, std::string_view>, 4> table{{
      {bot::HandoffPriority::low, "low"},
      {bot::HandoffPriority::normal, "normal"},
      {bot::HandoffPriority::high, "high"},
      {bot::HandoffPriority::critical, "critical"},
  }};
};

template <>
struct EnumNames<bot::SlotKind> {
  static constexpr std::array<std::pair<bot::SlotKind, std::string_view>, 8> table{{
      {bot::SlotKind::text, "text"},
      {bot::SlotKind::number, "number"},
      {bot::SlotKind::yes_no, "yes_no"},
      {bot::SlotKind::os, "os"},
      {bot::SlotKind::device, "device"},
      {bot::SlotKind::error_message, "error_message"},
      {bot::SlotKind::since, "since"},
      {bot::SlotKind::affected, "affected"},
  }};
};

}  // namespace fl
