// Every flow we ship: it parses and round-trips, its texts and examples are complete in both
// languages, the engine reaches every node and both outcomes, and a scripted conversation ends
// solved and another handed off.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "bot/engine.hpp"
#include "bot/shipped.hpp"
#include "bot/slot.hpp"
#include "core/directory.hpp"
#include "core/text.hpp"

namespace fl::bot {
namespace {

std::vector<Flow> shipped() {
  std::vector<Flow> out;
  for (auto json : shipped_flows()) {
    auto flow = parse_flow(json);
    EXPECT_TRUE(flow) << flow.error().message << "\n" << json.substr(0, 80);
    if (flow) out.push_back(std::move(*flow));
  }
  return out;
}

const std::vector<Flow>& flows() {
  static const std::vector<Flow> all = shipped();
  return all;
}

const Flow& flow(std::string_view id) {
  for (const auto& f : flows())
    if (f.id == id) return f;
  ADD_FAILURE() << "no shipped flow " << id;
  static const Flow none;
  return none;
}

TEST(BotShippedFlowsTest, AllSevenParseWithUniqueIds) {
  std::set<std::string> ids;
  for (const auto& f : flows()) EXPECT_TRUE(ids.insert(f.id).second) << f.id;
  EXPECT_EQ(ids, (std::set<std::string>{"password", "printer", "vpn", "email", "network",
                                        "slow_computer", "software_request"}));
  EXPECT_EQ(shipped_flows().size(), ids.size());
}

TEST(BotShippedFlowsTest, RoundTripThroughJson) {
  for (const auto& f : flows()) {
    auto again = parse_flow(flow_to_json(f));
    ASSERT_TRUE(again) << f.id << ": " << again.error().message;
    EXPECT_EQ(*again, f) << f.id;
  }
}

void expect_text(const Text& t, const std::string& where) {
  EXPECT_FALSE(is_blank(t.de)) << where << ".de";
  EXPECT_FALSE(is_blank(t.en)) << where << ".en";
  EXPECT_NE(t.de, t.en) << where << ": not translated";
}

TEST(BotShippedFlowsTest, BothLanguagesEverywhere) {
  for (const auto& f : flows()) {
    expect_text(f.title, f.id + ".title");
    for (const auto& n : f.nodes) {
      if (n.type != NodeType::branch) expect_text(n.say, f.id + "." + n.id + ".say");
      for (const auto& c : n.choices) expect_text(c.label, f.id + "." + n.id + "." + c.id);
    }
  }
}

TEST(BotShippedFlowsTest, ManyVariedExamplesPerLanguage) {
  for (const auto& f : flows())
    for (const auto* list : {&f.examples.de, &f.examples.en}) {
      EXPECT_GE(list->size(), 12u) << f.id;
      std::set<std::string> distinct;
      for (const auto& e : *list) distinct.insert(fold(e));
      EXPECT_EQ(distinct.size(), list->size()) << f.id << ": an example twice";
    }
}

TEST(BotShippedFlowsTest, StandardSlotsKeepTheirNames) {
  // The hand-off reads device, os, error_message, since and affected by these names.
  const std::map<SlotKind, std::string> standard{{SlotKind::device, "device"},
                                                 {SlotKind::os, "os"},
                                                 {SlotKind::error_message, "error_message"},
                                                 {SlotKind::since, "since"},
                                                 {SlotKind::affected, "affected"}};
  for (const auto& f : flows()) {
    EXPECT_TRUE(is_ticket_line(f.handoff.line)) << f.id;
    EXPECT_FALSE(is_blank(f.handoff.category)) << f.id;
    for (const auto& n : f.nodes) {
      if (n.type == NodeType::slot && standard.contains(n.validate.kind)) {
        EXPECT_EQ(n.slot, standard.at(n.validate.kind)) << f.id << "." << n.id;
      }
    }
  }
}

// Walks every answer the engine offers (buttons, typical typed values per slot kind, and the
// values the flow's branches test) and records what it reached.
class Explorer {
 public:
  explicit Explorer(const Flow& f) : flow_(f) {
    for (const auto& n : f.nodes)
      for (const auto& c : n.cases) {
        for (const auto& v : c.is) branch_values_[n.slot].push_back(v);
        for (const auto& v : c.contains) branch_values_[n.slot].push_back(v);
      }
  }

  void run(std::string_view lang) {
    FlowState s;
    Turn t = start(flow_, s, lang);
    walk(s, t, lang);
  }

  std::set<std::string> visited;
  std::set<Outcome> outcomes;

 private:
  std::vector<UserInput> inputs(const Turn& t) {
    std::vector<UserInput> out;
    for (const auto& b : t.buttons) out.push_back(UserInput::button(b.id));
    if (t.expecting != Expecting::slot) return out;
    std::vector<std::string> typed;
    switch (t.slot_kind) {
      case SlotKind::os:
        typed = {"Windows 11", "macOS Sonoma", "iPhone", "Android", "Ubuntu 22.04"};
        break;
      case SlotKind::number:
        typed = {"3"};
        break;
      case SlotKind::yes_no:
      case SlotKind::affected:
        break;  // buttons
      default:
        typed = {"Kyocera 2. OG / Adobe Acrobat", "seit heute Morgen"};
    }
    for (const auto& v : branch_values_[t.slot]) typed.push_back(v);
    for (auto& v : typed) out.push_back(UserInput::text(v));
    return out;
  }

  void walk(const FlowState& s, const Turn& t, std::string_view lang) {
    for (const auto& id : s.path) visited.insert(id);
    for (const auto& m : t.messages) EXPECT_FALSE(is_blank(m)) << flow_.id << " at " << s.node;
    if (t.outcome != Outcome::running) {
      outcomes.insert(t.outcome);
      return;
    }
    EXPECT_NE(t.expecting, Expecting::nothing) << flow_.id << " at " << s.node;
    std::string key = s.node;
    for (const auto& [k, v] : s.slots) key += "|" + k + "=" + v;
    if (!seen_.insert(key).second) return;
    for (const auto& in : inputs(t)) {
      FlowState next = s;
      Turn nt = answer(flow_, next, in, lang);
      if (next.invalid_count > 0) continue;  // not an answer this node takes
      walk(next, nt, lang);
    }
  }

  const Flow& flow_;
  std::map<std::string, std::vector<std::string>> branch_values_;
  std::set<std::string> seen_;
};

TEST(BotShippedFlowsTest, EngineReachesEveryNodeAndBothOutcomes) {
  for (const auto& f : flows())
    for (std::string_view lang : {"de", "en"}) {
      Explorer e(f);
      e.run(lang);
      for (const auto& n : f.nodes) EXPECT_TRUE(e.visited.contains(n.id)) << f.id << "." << n.id;
      EXPECT_TRUE(e.outcomes.contains(Outcome::solved)) << f.id;
      EXPECT_TRUE(e.outcomes.contains(Outcome::handoff)) << f.id;
    }
}

// A conversation: "#id" presses a button, anything else is typed.
struct Script {
  std::string flow;
  std::string lang;
  std::vector<std::string> inputs;
  Outcome outcome;
  std::map<std::string, std::string> slots;  // expected at the end (a subset)
};

void play(const Script& script) {
  SCOPED_TRACE(script.flow + " (" + script.lang + ")");
  const Flow& f = flow(script.flow);
  FlowState s;
  Turn t = start(f, s, script.lang);
  for (std::size_t i = 0; i < script.inputs.size(); ++i) {
    ASSERT_EQ(t.outcome, Outcome::running) << "ended before input " << i << ": " << s.reason;
    const auto& in = script.inputs[i];
    t = answer(f, s, in.starts_with("#") ? UserInput::button(in.substr(1)) : UserInput::text(in),
               script.lang);
    ASSERT_EQ(s.invalid_count, 0) << "input " << i << " \"" << in << "\" refused at " << s.node
                                  << ": " << (t.messages.empty() ? "" : t.messages.front());
  }
  EXPECT_EQ(t.outcome, script.outcome) << "stopped at " << s.node;
  for (const auto& [k, v] : script.slots) {
    auto it = s.slots.find(k);
    ASSERT_NE(it, s.slots.end()) << k;
    EXPECT_EQ(it->second, v) << k;
  }
}

TEST(BotShippedFlowsTest, ScriptedConversationsEndSolved) {
  for (const auto& script : std::vector<Script>{
           {"password", "de", {"#locked", "ja"}, Outcome::solved},
           {"password", "en", {"Forgotten password", "#yes", "yes it worked"}, Outcome::solved},
           {"printer",
            "de",
            {"Kyocera 2. OG", "win 11", "#nothing", "nein", "ja, jetzt geht's"},
            Outcome::solved,
            {{"device", "Kyocera 2. OG"}, {"os", "Windows 11"}}},
           {"printer", "en", {"HP reception", "skip", "#jam", "#yes"}, Outcome::solved},
           {"vpn", "de", {"#yes", "Windows 10", "#mfa", "ja"}, Outcome::solved},
           {"vpn", "en", {"#no", "#yes"}, Outcome::solved},
           {"email", "de", {"#desktop", "#no_receive", "#yes", "ja"}, Outcome::solved},
           {"email", "en", {"#web", "#crash", "#yes"}, Outcome::solved},
           {"network", "de", {"#home", "#wifi", "#no_internet", "ja"}, Outcome::solved},
           {"network", "en", {"#office", "#cable", "#yes"}, Outcome::solved},
           {"slow_computer",
            "de",
            {"mein Notebook", "Windows 11", "#always", "nein", "ja"},
            Outcome::solved},
           {"slow_computer",
            "en",
            {"PC-4711", "macbook", "#one_app", "Excel", "#yes"},
            Outcome::solved},
           {"software_request", "de", {"Notepad++", "PC-4711", "Win10", "#yes"}, Outcome::solved},
       })
    play(script);
}

TEST(BotShippedFlowsTest, ScriptedConversationsEndHandedOver) {
  for (const auto& script : std::vector<Script>{
           {"password",
            "de",
            {"#mfa", "#no", "Smartphone"},
            Outcome::handoff,
            {{"device", "Smartphone"}}},
           {"printer",
            "de",
            {"Kyocera 2. OG", "Windows 11", "#offline", "#no", "#no", "das ganze Team",
             "seit heute Morgen"},
            Outcome::handoff,
            {{"affected", "several"}, {"since", "seit heute Morgen"}}},
           {"printer",
            "en",
            {"HP reception", "iPhone", "#nothing", "#no", "just me", "don't know", "2 days"},
            Outcome::handoff,
            {{"os", "iOS"}, {"affected", "me"}}},
           {"vpn",
            "de",
            {"#yes", "macos", "#login", "#no", "#yes", "Fehler 691: Zugriff verweigert",
             "seit gestern", "nur ich"},
            Outcome::handoff,
            {{"error_message", "Fehler 691: Zugriff verweigert"}, {"affected", "me"}}},
           {"vpn",
            "en",
            {"#yes", "android", "#no_connect", "#no", "#no", "skip", "since this morning",
             "everyone"},
            Outcome::handoff,
            {{"affected", "everyone"}}},
           {"email",
            "en",
            {"#mobile", "#no_receive", "#yes", "#no", "Cannot get mail", "since Monday", "just me"},
            Outcome::handoff,
            {{"client", "mobile"}}},
           {"network",
            "de",
            {"#travel", "#wifi", "#no_internet", "nein", "Windows 11", "NB-0815", "seit 10 Uhr",
             "nur ich"},
            Outcome::handoff,
            {{"location", "travel"}, {"device", "NB-0815"}}},
           {"slow_computer",
            "de",
            {"PC-4711", "weiß nicht", "#network", "nein", "seit dem Update", "alle"},
            Outcome::handoff,
            {{"affected", "everyone"}}},
           {"software_request",
            "en",
            {"Adobe Acrobat Pro", "PC-4711", "Windows 11", "#no", "#paid",
             "Signing contracts as PDF", "#days"},
            Outcome::handoff,
            {{"licence", "paid"}, {"software", "Adobe Acrobat Pro"}}},
       })
    play(script);
}

}  // namespace
}  // namespace fl::bot
