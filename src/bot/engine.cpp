#include "bot/engine.hpp"

#include <algorithm>
#include <optional>

#include "bot/json_input.hpp"
#include "bot/slot.hpp"

namespace fl::bot {

namespace {

namespace json = boost::json;

// The engine's own words, shared by every flow.
const Text kDidThatHelp{"Hat das geholfen?", "Did that help?"};
const Text kHelped{"Ja, das hat geholfen", "Yes, that fixed it"};
const Text kNotHelped{"Nein, leider nicht", "No, still not working"};
const Text kYes{"Ja", "Yes"};
const Text kNo{"Nein", "No"};
const Text kJustMe{"Nur ich", "Just me"};
const Text kSeveral{"Mehrere Kollegen", "Several colleagues"};
const Text kEveryone{"Alle", "Everyone"};
const Text kDontKnow{"Weiß ich nicht", "I don't know"};
const Text kPickOne{"Bitte wählen Sie eine der Möglichkeiten.", "Please pick one of the options."};
const Text kYesOrNo{"Bitte antworten Sie mit Ja oder Nein.", "Please answer yes or no."};
const Text kSolved{
    "Prima, das freut mich! Wenn das Problem wiederkommt, melden Sie sich einfach wieder.",
    "Great, glad that fixed it! If the problem comes back, just get in touch again."};
const Text kGiveUp{
    "Das hat leider nicht geklappt. Ich gebe Ihr Anliegen an den Service Desk weiter – "
    "ein Mitarbeiter meldet sich bei Ihnen.",
    "Sorry, that didn't work. I'm passing your request on to the service desk – someone will get "
    "back to you."};
const Text kFlowChanged{
    "Diese Anleitung wurde inzwischen geändert. Ich gebe Ihr Anliegen an den Service Desk weiter.",
    "This guide has changed in the meantime. I'm passing your request on to the service desk."};

constexpr std::string_view kInvalidInput = "invalid_input";
constexpr std::string_view kFlowChangedReason = "flow_changed";

struct Option {
  std::string id;
  Text label;
};

// The buttons a node offers, with their labels in both languages.
std::vector<Option> options(const Node& n) {
  std::vector<Option> out;
  switch (n.type) {
    case NodeType::choice:
      for (const auto& c : n.choices) out.push_back({c.id, c.label});
      break;
    case NodeType::step:
      out = {{"yes", kHelped}, {"no", kNotHelped}};
      break;
    case NodeType::slot:
      if (n.validate.kind == SlotKind::yes_no) out = {{"yes", kYes}, {"no", kNo}};
      if (n.validate.kind == SlotKind::affected)
        out = {{"me", kJustMe}, {"several", kSeveral}, {"everyone", kEveryone}};
      if (n.optional) out.push_back({"skip", kDontKnow});
      break;
    default:
      break;
  }
  return out;
}

// The option the input names: a button id, or typed text equal to a label in either language,
// to an id, or (`numbered`: a choice node's) to the option's number.
std::optional<std::string> chosen(const std::vector<Option>& opts, const UserInput& in,
                                  bool numbered) {
  if (in.kind == UserInput::Kind::button) {
    auto it = std::ranges::find(opts, in.value, &Option::id);
    return it == opts.end() ? std::nullopt : std::optional(it->id);
  }
  const std::string typed = fold(in.value);
  for (std::size_t i = 0; i < opts.size(); ++i) {
    const auto& o = opts[i];
    if (typed == fold(o.label.de) || typed == fold(o.label.en) || typed == o.id ||
        (numbered && typed == std::to_string(i + 1)))
      return o.id;
  }
  return std::nullopt;
}

void finish(FlowState& s, Turn& t, Outcome outcome, std::string reason) {
  s.outcome = t.outcome = outcome;
  s.reason = t.reason = std::move(reason);
  t.buttons.clear();
  t.expecting = Expecting::nothing;
  t.slot.clear();
}

void ask(const Node& n, std::string_view lang, Turn& t) {
  t.messages.push_back(n.say.in(lang));
  if (n.type == NodeType::step) t.messages.push_back(kDidThatHelp.in(lang));
  t.buttons.clear();
  for (const auto& o : options(n)) t.buttons.push_back({o.id, o.label.in(lang)});
  t.slot = n.slot;
  switch (n.type) {
    case NodeType::choice:
      t.expecting = Expecting::choice;
      break;
    case NodeType::step:
      t.expecting = Expecting::yes_no;
      break;
    default:
      t.expecting = Expecting::slot;
      t.slot_kind = n.validate.kind;
  }
}

bool case_holds(const BranchCase& c, const std::string& folded_value) {
  if (folded_value.empty()) return false;
  return std::ranges::any_of(c.is, [&](const std::string& v) { return fold(v) == folded_value; }) ||
         std::ranges::any_of(c.contains, [&](const std::string& v) {
           return folded_value.find(fold(v)) != std::string::npos;
         });
}

// Walks from `id` through messages and branches to the next node that waits, or an end.
void enter(const Flow& f, FlowState& s, std::string id, std::string_view lang, Turn& t) {
  // Validation forbids cycles without a question; the bound keeps a hand-made state safe too.
  for (std::size_t hops = 0; hops <= f.nodes.size(); ++hops) {
    const Node* n = f.node(id);
    if (!n) break;
    s.path.push_back(n->id);
    s.node = n->id;
    switch (n->type) {
      case NodeType::message:
        t.messages.push_back(n->say.in(lang));
        id = n->next;
        continue;
      case NodeType::branch: {
        auto it = s.slots.find(n->slot);
        const std::string value = it == s.slots.end() ? "" : fold(it->second);
        auto c = std::ranges::find_if(n->cases,
                                      [&](const BranchCase& bc) { return case_holds(bc, value); });
        id = c == n->cases.end() ? n->otherwise : c->next;
        continue;
      }
      case NodeType::end:
        t.messages.push_back(n->say.in(lang));
        finish(s, t, n->outcome, n->id);
        return;
      default:
        ask(*n, lang, t);
        return;
    }
  }
  t.messages.push_back(kFlowChanged.in(lang));
  finish(s, t, Outcome::handoff, std::string(kFlowChangedReason));
}

// What an answer leads to: the next node, or the end of the flow as solved (a step without
// `solved`), or a hint when it does not fit.
struct Accepted {
  std::string next;  // empty: solved here
};

std::expected<Accepted, Text> accept(const Node& n, FlowState& s, const UserInput& in) {
  const auto opts = options(n);
  const auto button = chosen(opts, in, n.type == NodeType::choice);
  switch (n.type) {
    case NodeType::choice: {
      if (!button) return std::unexpected(kPickOne);
      if (!n.slot.empty()) s.slots[n.slot] = *button;
      return Accepted{std::ranges::find(n.choices, *button, &Choice::id)->next};
    }
    case NodeType::step: {
      std::optional<std::string> yn = button;
      if (!yn && in.kind == UserInput::Kind::text)
        if (auto v = normalise_slot({.kind = SlotKind::yes_no}, in.value)) yn = *v;
      if (!yn) return std::unexpected(kYesOrNo);
      return Accepted{*yn == "yes" ? n.solved : n.unsolved};
    }
    default:
      break;
  }
  // A slot.
  if (n.optional &&
      (button == "skip" || (in.kind == UserInput::Kind::text && means_skip(in.value)))) {
    s.slots.erase(n.slot);
    return Accepted{n.next};
  }
  if (button) {
    s.slots[n.slot] = *button;
    return Accepted{n.next};
  }
  if (in.kind == UserInput::Kind::button) return std::unexpected(kPickOne);
  auto value = normalise_slot(n.validate, in.value);
  if (!value) return std::unexpected(value.error());
  s.slots[n.slot] = std::move(*value);
  return Accepted{n.next};
}

}  // namespace

Turn start(const Flow& flow, FlowState& state, std::string_view lang) {
  state = FlowState{};
  state.flow_id = flow.id;
  state.lang = std::string(lang);
  Turn t;
  enter(flow, state, flow.start, lang, t);
  return t;
}

Turn answer(const Flow& flow, FlowState& state, const UserInput& input, std::string_view lang) {
  Turn t;
  if (state.outcome != Outcome::running) {
    t.outcome = state.outcome;
    t.reason = state.reason;
    return t;
  }
  state.lang = std::string(lang);
  const Node* n = flow.node(state.node);
  if (state.flow_id != flow.id || !n || !waits_for_user(n->type)) {
    t.messages.push_back(kFlowChanged.in(lang));
    finish(state, t, Outcome::handoff, std::string(kFlowChangedReason));
    return t;
  }
  auto accepted = accept(*n, state, input);
  if (!accepted) {
    if (++state.invalid_count >= kMaxInvalidAnswers) {
      t.messages.push_back(kGiveUp.in(lang));
      finish(state, t, Outcome::handoff, std::string(kInvalidInput));
      return t;
    }
    t.messages.push_back(accepted.error().in(lang));
    ask(*n, lang, t);
    return t;
  }
  state.invalid_count = 0;
  if (accepted->next.empty()) {
    t.messages.push_back(kSolved.in(lang));
    finish(state, t, Outcome::solved, n->id);
    return t;
  }
  enter(flow, state, accepted->next, lang, t);
  return t;
}

std::string state_to_json(const FlowState& s) {
  json::object slots;
  for (const auto& [k, v] : s.slots) slots[k] = v;
  json::object o{{"flow_id", s.flow_id},
                 {"node", s.node},
                 {"slots", std::move(slots)},
                 {"path", json::array(s.path.begin(), s.path.end())},
                 {"invalid_count", s.invalid_count},
                 {"outcome", name_of(s.outcome)},
                 {"reason", s.reason},
                 {"lang", s.lang}};
  return json::serialize(o);
}

Result<FlowState> parse_state(std::string_view text) {
  auto parsed = parse_strict_object(text);
  if (!parsed) return std::unexpected(parsed.error());
  std::vector<FieldError> errors;
  JsonInput in(*parsed, "", errors);
  in.only({"flow_id", "node", "slots", "path", "invalid_count", "outcome", "reason", "lang"});
  FlowState s;
  s.flow_id = in.string("flow_id", true).value_or("");
  s.node = in.string("node", true).value_or("");
  if (auto slots = in.object("slots"))
    for (const auto& [k, v] : slots->raw()) {
      if (v.is_string())
        s.slots[std::string(k)] = std::string(v.as_string());
      else
        slots->error(k, "must be a string");
    }
  s.path = in.strings("path");
  auto count = in.integer("invalid_count").value_or(0);
  if (count < 0 || count > kMaxInvalidAnswers) in.error("invalid_count", "0-3");
  s.invalid_count = static_cast<int>(count);
  if (auto o = in.string("outcome")) {
    if (auto outcome = parse_name<Outcome>(*o))
      s.outcome = *outcome;
    else
      in.error("outcome", "one of: " + allowed_names<Outcome>());
  }
  s.reason = in.string("reason").value_or("");
  s.lang = in.string("lang").value_or("");
  if (!errors.empty()) return invalid_fields(std::move(errors));
  return s;
}

}  // namespace fl::bot
