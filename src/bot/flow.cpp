#include "bot/flow.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "bot/json_input.hpp"
#include "core/directory.hpp"
#include "core/text.hpp"

namespace fl::bot {

namespace {

namespace json = boost::json;

// ---------------------------------------------------------------- reading

Text read_text(JsonInput& in, std::string_view key) {
  Text t;
  auto o = in.object(key, true);
  if (!o) return t;
  o->only({"de", "en"});
  t.de = o->string("de", true).value_or("");
  t.en = o->string("en", true).value_or("");
  return t;
}

SlotRule read_rule(JsonInput& in) {
  SlotRule rule;
  auto v = in.object("validate", true);
  if (!v) return rule;
  v->only({"kind", "min", "max"});
  if (auto kind = v->string("kind", true)) {
    if (auto k = parse_name<SlotKind>(*kind))
      rule.kind = *k;
    else
      v->error("kind", "one of: " + allowed_names<SlotKind>());
  }
  rule.min = v->number("min");
  rule.max = v->number("max");
  return rule;
}

Node read_node(JsonInput& in, std::string id) {
  Node n;
  n.id = std::move(id);
  auto type = in.string("type", true);
  if (!type) return n;
  auto t = parse_name<NodeType>(*type);
  if (!t) {
    in.error("type", "one of: " + allowed_names<NodeType>());
    return n;
  }
  n.type = *t;
  switch (n.type) {
    case NodeType::message:
      in.only({"type", "say", "next"});
      n.say = read_text(in, "say");
      n.next = in.string("next", true).value_or("");
      break;
    case NodeType::slot:
      in.only({"type", "say", "slot", "validate", "optional", "next"});
      n.say = read_text(in, "say");
      n.slot = in.string("slot", true).value_or("");
      n.validate = read_rule(in);
      n.optional = in.boolean("optional").value_or(false);
      n.next = in.string("next", true).value_or("");
      break;
    case NodeType::choice:
      in.only({"type", "say", "slot", "choices"});
      n.say = read_text(in, "say");
      n.slot = in.string("slot").value_or("");
      if (auto* list = in.array("choices", true)) {
        for (std::size_t i = 0; i < list->size(); ++i) {
          const std::string key = "choices[" + std::to_string(i) + "]";
          if (!(*list)[i].is_object()) {
            in.error(key, "must be an object");
            continue;
          }
          JsonInput c((*list)[i].as_object(), in.path_of(key), in.errors());
          c.only({"id", "label", "next"});
          Choice choice;
          choice.id = c.string("id", true).value_or("");
          choice.label = read_text(c, "label");
          choice.next = c.string("next", true).value_or("");
          n.choices.push_back(std::move(choice));
        }
      }
      break;
    case NodeType::step:
      in.only({"type", "say", "solved", "unsolved"});
      n.say = read_text(in, "say");
      n.solved = in.string("solved").value_or("");
      n.unsolved = in.string("unsolved", true).value_or("");
      break;
    case NodeType::branch:
      in.only({"type", "on", "cases", "else"});
      n.slot = in.string("on", true).value_or("");
      if (auto* list = in.array("cases", true)) {
        for (std::size_t i = 0; i < list->size(); ++i) {
          const std::string key = "cases[" + std::to_string(i) + "]";
          if (!(*list)[i].is_object()) {
            in.error(key, "must be an object");
            continue;
          }
          JsonInput c((*list)[i].as_object(), in.path_of(key), in.errors());
          c.only({"is", "contains", "next"});
          BranchCase bc;
          bc.is = c.strings("is");
          bc.contains = c.strings("contains");
          bc.next = c.string("next", true).value_or("");
          n.cases.push_back(std::move(bc));
        }
      }
      n.otherwise = in.string("else", true).value_or("");
      break;
    case NodeType::end:
      in.only({"type", "outcome", "say"});
      n.say = read_text(in, "say");
      if (auto o = in.string("outcome", true)) {
        auto outcome = parse_name<Outcome>(*o);
        if (outcome && *outcome != Outcome::running)
          n.outcome = *outcome;
        else
          in.error("outcome", "one of: solved, handoff");
      }
      break;
  }
  return n;
}

// ---------------------------------------------------------------- validation

bool is_id(std::string_view s) {
  return !s.empty() && s.size() <= 40 && std::ranges::all_of(s, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

bool is_slot_name(std::string_view s) {
  return !s.empty() && s.size() <= 40 &&
         std::ranges::all_of(s, [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

void check_text(const Text& t, const std::string& path, std::vector<FieldError>& errors) {
  if (is_blank(t.de)) errors.push_back({path + ".de", "required (German text)"});
  if (is_blank(t.en)) errors.push_back({path + ".en", "required (English text)"});
}

// A node's successors with the path of the field naming each.
std::vector<std::pair<std::string, std::string>> targets(const Node& n) {
  std::vector<std::pair<std::string, std::string>> out;
  const std::string p = "nodes." + n.id + ".";
  switch (n.type) {
    case NodeType::message:
    case NodeType::slot:
      out.emplace_back(p + "next", n.next);
      break;
    case NodeType::choice:
      for (std::size_t i = 0; i < n.choices.size(); ++i)
        out.emplace_back(p + "choices[" + std::to_string(i) + "].next", n.choices[i].next);
      break;
    case NodeType::step:
      if (!n.solved.empty()) out.emplace_back(p + "solved", n.solved);
      out.emplace_back(p + "unsolved", n.unsolved);
      break;
    case NodeType::branch:
      for (std::size_t i = 0; i < n.cases.size(); ++i)
        out.emplace_back(p + "cases[" + std::to_string(i) + "].next", n.cases[i].next);
      out.emplace_back(p + "else", n.otherwise);
      break;
    case NodeType::end:
      break;
  }
  return out;
}

// An end node, or a step whose "yes" ends the flow.
bool ends_flow(const Node& n) {
  return n.type == NodeType::end || (n.type == NodeType::step && n.solved.empty());
}

void check_node(const Node& n, std::vector<FieldError>& errors) {
  const std::string p = "nodes." + n.id;
  if (!is_id(n.id)) errors.push_back({p, "a node id is 1-40 of a-z, 0-9, _ and -"});
  if (n.type != NodeType::branch) check_text(n.say, p + ".say", errors);
  switch (n.type) {
    case NodeType::slot: {
      if (!is_slot_name(n.slot))
        errors.push_back({p + ".slot", "a slot name is 1-40 of a-z and _"});
      const auto& r = n.validate;
      if (r.min && r.max && *r.min > *r.max)
        errors.push_back({p + ".validate.max", "must not be below min"});
      if (r.kind != SlotKind::number && ((r.min && *r.min < 0) || (r.max && *r.max < 1)))
        errors.push_back({p + ".validate", "lengths: min at least 0, max at least 1"});
      break;
    }
    case NodeType::choice: {
      if (!n.slot.empty() && !is_slot_name(n.slot))
        errors.push_back({p + ".slot", "a slot name is 1-40 of a-z and _"});
      if (n.choices.empty()) errors.push_back({p + ".choices", "at least one choice"});
      std::set<std::string> ids;
      for (std::size_t i = 0; i < n.choices.size(); ++i) {
        const auto& c = n.choices[i];
        const std::string cp = p + ".choices[" + std::to_string(i) + "]";
        if (!is_id(c.id)) errors.push_back({cp + ".id", "1-40 of a-z, 0-9, _ and -"});
        if (!ids.insert(c.id).second)
          errors.push_back({cp + ".id", "duplicate choice '" + c.id + "'"});
        check_text(c.label, cp + ".label", errors);
      }
      break;
    }
    case NodeType::branch:
      if (!is_slot_name(n.slot)) errors.push_back({p + ".on", "a slot name is 1-40 of a-z and _"});
      if (n.cases.empty()) errors.push_back({p + ".cases", "at least one case"});
      for (std::size_t i = 0; i < n.cases.size(); ++i) {
        const auto& c = n.cases[i];
        const std::string cp = p + ".cases[" + std::to_string(i) + "]";
        if (c.is.empty() == c.contains.empty())
          errors.push_back({cp, "give either \"is\" or \"contains\""});
        for (const auto& v : c.is)
          if (is_blank(v)) errors.push_back({cp + ".is", "no empty values"});
        for (const auto& v : c.contains)
          if (is_blank(v)) errors.push_back({cp + ".contains", "no empty values"});
      }
      break;
    case NodeType::end:
      if (n.outcome == Outcome::running)
        errors.push_back({p + ".outcome", "one of: solved, handoff"});
      break;
    case NodeType::message:
    case NodeType::step:
      break;
  }
}

void check_graph(const Flow& f, std::vector<FieldError>& errors) {
  std::map<std::string, const Node*> by_id;
  for (const auto& n : f.nodes)
    if (!by_id.emplace(n.id, &n).second) errors.push_back({"nodes." + n.id, "duplicate node id"});

  bool targets_ok = true;
  if (!by_id.contains(f.start)) {
    errors.push_back({"start", "no node '" + f.start + "'"});
    targets_ok = false;
  }
  for (const auto& n : f.nodes)
    for (const auto& [path, target] : targets(n))
      if (!by_id.contains(target)) {
        errors.push_back({path, target.empty() ? "required" : "no node '" + target + "'"});
        targets_ok = false;
      }

  std::set<std::string> filled;
  for (const auto& n : f.nodes)
    if ((n.type == NodeType::slot || n.type == NodeType::choice) && !n.slot.empty())
      filled.insert(n.slot);
  for (const auto& n : f.nodes)
    if (n.type == NodeType::branch && is_slot_name(n.slot) && !filled.contains(n.slot))
      errors.push_back({"nodes." + n.id + ".on", "no node fills slot '" + n.slot + "'"});

  if (!targets_ok) return;  // the graph checks below need every edge to land

  auto successors = [&](const Node& n) {
    std::vector<const Node*> out;
    for (const auto& [_, target] : targets(n)) out.push_back(by_id.at(target));
    return out;
  };

  std::set<std::string> reachable;
  std::vector<const Node*> to_visit{by_id.at(f.start)};
  while (!to_visit.empty()) {
    const Node* n = to_visit.back();
    to_visit.pop_back();
    if (!reachable.insert(n->id).second) continue;
    for (const Node* s : successors(*n)) to_visit.push_back(s);
  }
  for (const auto& n : f.nodes)
    if (!reachable.contains(n.id)) errors.push_back({"nodes." + n.id, "not reachable from start"});

  // Which nodes can still reach an end: a fixpoint over the reversed edges.
  std::set<std::string> can_end;
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& n : f.nodes) {
      if (can_end.contains(n.id)) continue;
      bool ok = ends_flow(n) || std::ranges::any_of(successors(n), [&](const Node* s) {
                  return can_end.contains(s->id);
                });
      if (ok) changed = can_end.insert(n.id).second || changed;
    }
  }
  if (!can_end.contains(f.start))
    errors.push_back({"nodes", "no end node reachable from start"});
  else
    for (const auto& n : f.nodes)
      if (reachable.contains(n.id) && !can_end.contains(n.id))
        errors.push_back({"nodes." + n.id, "no end node can be reached from here"});

  // A cycle of message and branch nodes would run forever without asking the user anything.
  enum class Mark { none, active, done };
  std::map<std::string, Mark> mark;
  std::vector<std::string> stack;
  std::function<void(const Node&)> visit = [&](const Node& n) {
    mark[n.id] = Mark::active;
    stack.push_back(n.id);
    for (const Node* s : successors(n)) {
      if (waits_for_user(s->type)) continue;
      if (mark[s->id] == Mark::active) {
        std::string cycle;
        for (auto it = std::ranges::find(stack, s->id); it != stack.end(); ++it)
          cycle += *it + " -> ";
        errors.push_back(
            {"nodes." + s->id, "cycle without a question to the user: " + cycle + s->id});
      } else if (mark[s->id] == Mark::none) {
        visit(*s);
      }
    }
    stack.pop_back();
    mark[n.id] = Mark::done;
  };
  for (const auto& n : f.nodes)
    if (!waits_for_user(n.type) && mark[n.id] == Mark::none) visit(n);
}

// ---------------------------------------------------------------- writing

json::object text_json(const Text& t) {
  return json::object{{"de", t.de}, {"en", t.en}};
}

json::value number_json(double v) {
  if (std::floor(v) == v && std::abs(v) < 1e15) return static_cast<std::int64_t>(v);
  return v;
}

json::array strings_json(const std::vector<std::string>& list) {
  return json::array(list.begin(), list.end());
}

json::object node_json(const Node& n) {
  json::object o{{"type", name_of(n.type)}};
  switch (n.type) {
    case NodeType::message:
      o["say"] = text_json(n.say);
      o["next"] = n.next;
      break;
    case NodeType::slot: {
      o["slot"] = n.slot;
      o["say"] = text_json(n.say);
      json::object v{{"kind", name_of(n.validate.kind)}};
      if (n.validate.min) v["min"] = number_json(*n.validate.min);
      if (n.validate.max) v["max"] = number_json(*n.validate.max);
      o["validate"] = std::move(v);
      if (n.optional) o["optional"] = true;
      o["next"] = n.next;
      break;
    }
    case NodeType::choice: {
      if (!n.slot.empty()) o["slot"] = n.slot;
      o["say"] = text_json(n.say);
      json::array choices;
      for (const auto& c : n.choices)
        choices.push_back(
            json::object{{"id", c.id}, {"label", text_json(c.label)}, {"next", c.next}});
      o["choices"] = std::move(choices);
      break;
    }
    case NodeType::step:
      o["say"] = text_json(n.say);
      if (!n.solved.empty()) o["solved"] = n.solved;
      o["unsolved"] = n.unsolved;
      break;
    case NodeType::branch: {
      o["on"] = n.slot;
      json::array cases;
      for (const auto& c : n.cases) {
        json::object co;
        if (!c.is.empty()) co["is"] = strings_json(c.is);
        if (!c.contains.empty()) co["contains"] = strings_json(c.contains);
        co["next"] = c.next;
        cases.push_back(std::move(co));
      }
      o["cases"] = std::move(cases);
      o["else"] = n.otherwise;
      break;
    }
    case NodeType::end:
      o["outcome"] = name_of(n.outcome);
      o["say"] = text_json(n.say);
      break;
  }
  return o;
}

}  // namespace

const Node* Flow::node(std::string_view node_id) const {
  auto it = std::ranges::find(nodes, node_id, &Node::id);
  return it == nodes.end() ? nullptr : &*it;
}

Result<void> validate_flow(const Flow& f) {
  std::vector<FieldError> errors;
  if (!is_id(f.id)) errors.push_back({"id", "1-40 of a-z, 0-9, _ and -"});
  check_text(f.title, "title", errors);
  auto check_examples = [&](const std::vector<std::string>& list, const std::string& path) {
    if (list.empty()) errors.push_back({path, "at least one example"});
    for (std::size_t i = 0; i < list.size(); ++i)
      if (is_blank(list[i])) errors.push_back({path + "[" + std::to_string(i) + "]", "empty"});
  };
  check_examples(f.examples.de, "examples.de");
  check_examples(f.examples.en, "examples.en");
  if (is_blank(f.handoff.category)) errors.push_back({"handoff.category", "required"});
  if (!is_ticket_line(f.handoff.line))
    errors.push_back({"handoff.line", "a ticket line, " + std::to_string(kLowestTicketLine) + "-" +
                                          std::to_string(kHighestLine)});
  if (f.nodes.empty()) errors.push_back({"nodes", "at least one node"});
  for (const auto& n : f.nodes) check_node(n, errors);
  if (!f.nodes.empty()) check_graph(f, errors);
  if (!errors.empty()) return invalid_fields(std::move(errors));
  return {};
}

Result<Flow> parse_flow(std::string_view text) {
  auto parsed = parse_strict_object(text);
  if (!parsed) return std::unexpected(parsed.error());
  std::vector<FieldError> errors;
  JsonInput in(*parsed, "", errors);
  in.only({"id", "title", "examples", "handoff", "start", "nodes"});
  Flow f;
  f.id = in.string("id", true).value_or("");
  f.title = read_text(in, "title");
  if (auto ex = in.object("examples", true)) {
    ex->only({"de", "en"});
    f.examples.de = ex->strings("de", true);
    f.examples.en = ex->strings("en", true);
  }
  if (auto h = in.object("handoff", true)) {
    h->only({"category", "priority", "line", "team"});
    f.handoff.category = h->string("category", true).value_or("");
    if (auto p = h->string("priority")) {
      if (auto priority = parse_name<HandoffPriority>(*p))
        f.handoff.priority = *priority;
      else
        h->error("priority", "one of: " + allowed_names<HandoffPriority>());
    }
    f.handoff.line = static_cast<int>(h->integer("line").value_or(1));
    f.handoff.team = h->string("team").value_or("");
  }
  f.start = in.string("start", true).value_or("");
  if (auto nodes = in.object("nodes", true))
    for (const auto& [key, value] : nodes->raw()) {
      if (!value.is_object()) {
        nodes->error(key, "must be an object");
        continue;
      }
      JsonInput node_in(value.as_object(), nodes->path_of(key), errors);
      f.nodes.push_back(read_node(node_in, std::string(key)));
    }
  if (!errors.empty()) return invalid_fields(std::move(errors));
  if (auto ok = validate_flow(f); !ok) return std::unexpected(ok.error());
  return f;
}

std::string flow_to_json(const Flow& f) {
  json::object examples{{"de", strings_json(f.examples.de)}, {"en", strings_json(f.examples.en)}};
  json::object handoff{{"category", f.handoff.category},
                       {"priority", name_of(f.handoff.priority)},
                       {"line", f.handoff.line},
                       {"team", f.handoff.team}};
  json::object nodes;
  for (const auto& n : f.nodes) nodes[n.id] = node_json(n);
  json::object o{{"id", f.id},
                 {"title", text_json(f.title)},
                 {"examples", std::move(examples)},
                 {"handoff", std::move(handoff)},
                 {"start", f.start},
                 {"nodes", std::move(nodes)}};
  return json::serialize(o);
}

}  // namespace fl::bot
