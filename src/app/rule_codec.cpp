#include "app/rule_codec.hpp"

#include "app/json_reader.hpp"

namespace fl {

namespace {

namespace json = boost::json;

json::value text_json(const RuleText& t) {
  json::object o;
  if (!t.en.empty()) o["en"] = t.en;
  if (!t.de.empty()) o["de"] = t.de;
  return o;
}

json::object action_json(const RuleAction& a) {
  json::object o{{"type", name_of(a.kind)}};
  switch (a.kind) {
    case RuleActionKind::set_status:
      if (a.status) o["status"] = name_of(*a.status);
      break;
    case RuleActionKind::set_priority:
      if (a.impact) o["impact"] = *a.impact;
      if (a.urgency) o["urgency"] = *a.urgency;
      break;
    case RuleActionKind::set_category:
      o["category"] = a.value;
      break;
    case RuleActionKind::add_tag:
    case RuleActionKind::remove_tag:
      o["tag"] = a.value;
      break;
    case RuleActionKind::assign:
      if (a.assign == AssignTarget::user && a.user)
        o["to"] = *a.user;
      else
        o["to"] = a.assign == AssignTarget::nobody ? "nobody" : "auto";
      break;
    case RuleActionKind::notify: {
      json::array r;
      for (auto x : a.recipients) r.emplace_back(name_of(x));
      o["recipients"] = std::move(r);
      if (a.user) o["user_id"] = *a.user;
      o["text"] = text_json(a.text);
      break;
    }
    case RuleActionKind::reply:
    case RuleActionKind::note:
      o["text"] = text_json(a.text);
      break;
    case RuleActionKind::webhook:
      o["webhook_id"] = a.webhook;
      break;
  }
  return o;
}

RuleText read_text(Reader& r) {
  RuleText t;
  auto* v = r.get("text", true);
  if (!v) return t;
  if (v->is_string()) {  // one text for every language
    t.en = v->as_string();
    return t;
  }
  if (!v->is_object()) {
    r.error("text", "a string, or an object with \"en\" and/or \"de\"");
    return t;
  }
  Reader inner = r.nested(v->as_object(), "text");
  inner.only({"en", "de"});
  t.en = inner.string("en").value_or("");
  t.de = inner.string("de").value_or("");
  return t;
}

RuleAction read_action(Reader& r) {
  RuleAction a;
  auto type = r.string("type", true);
  if (!type) return a;
  auto kind = parse_name<RuleActionKind>(*type);
  if (!kind) {
    r.error("type", "one of: " + allowed_names<RuleActionKind>());
    return a;
  }
  a.kind = *kind;
  switch (a.kind) {
    case RuleActionKind::set_status: {
      r.only({"type", "status"});
      if (auto s = r.string("status", true)) {
        a.status = parse_name<TicketStatus>(*s);
        if (!a.status) r.error("status", "one of: " + allowed_names<TicketStatus>());
      }
      break;
    }
    case RuleActionKind::set_priority:
      r.only({"type", "impact", "urgency"});
      if (auto i = r.integer("impact")) a.impact = static_cast<int>(*i);
      if (auto u = r.integer("urgency")) a.urgency = static_cast<int>(*u);
      break;
    case RuleActionKind::set_category:
      r.only({"type", "category"});
      a.value = r.string("category", true).value_or("");
      break;
    case RuleActionKind::add_tag:
    case RuleActionKind::remove_tag:
      r.only({"type", "tag"});
      a.value = r.string("tag", true).value_or("");
      break;
    case RuleActionKind::assign: {
      r.only({"type", "to"});
      auto* to = r.get("to", true);
      if (!to) break;
      if (to->is_int64()) {
        a.assign = AssignTarget::user;
        a.user = to->as_int64();
      } else if (to->is_string() && to->as_string() == "auto") {
        a.assign = AssignTarget::automatic;
      } else if (to->is_string() && to->as_string() == "nobody") {
        a.assign = AssignTarget::nobody;
      } else {
        r.error("to", "a user id, \"auto\" or \"nobody\"");
      }
      break;
    }
    case RuleActionKind::notify:
      r.only({"type", "recipients", "user_id", "text"});
      a.recipients = r.names<Recipient>("recipients");
      a.user = r.integer("user_id");
      a.text = read_text(r);
      break;
    case RuleActionKind::reply:
    case RuleActionKind::note:
      r.only({"type", "text"});
      a.text = read_text(r);
      break;
    case RuleActionKind::webhook:
      r.only({"type", "webhook_id"});
      a.webhook = r.integer("webhook_id", true).value_or(0);
      break;
  }
  return a;
}

}  // namespace

std::string encode_rule(const Rule& rule) {
  json::object o{{"name", rule.name},
                 {"description", rule.description},
                 {"active", rule.active}};
  if (rule.wait) {
    json::array statuses;
    for (auto s : rule.wait->statuses) statuses.emplace_back(name_of(s));
    json::object w{{"statuses", std::move(statuses)}, {"after_minutes", rule.wait->after.count()}};
    w["calendar_id"] = rule.wait->calendar ? json::value(*rule.wait->calendar) : nullptr;
    o["wait"] = std::move(w);
  } else {
    json::array on;
    for (auto t : rule.on) on.emplace_back(name_of(t));
    o["on"] = std::move(on);
  }
  json::array conditions;
  for (const auto& c : rule.conditions) {
    json::array values(c.values.begin(), c.values.end());
    conditions.push_back(json::object{
        {"field", name_of(c.field)}, {"op", name_of(c.op)}, {"values", std::move(values)}});
  }
  o["conditions"] = std::move(conditions);
  json::array actions;
  for (const auto& a : rule.actions) actions.push_back(action_json(a));
  o["actions"] = std::move(actions);
  return json::serialize(o);
}

Result<Rule> decode_rule(std::string_view text) {
  auto parsed = parse_object(text);
  if (!parsed) return std::unexpected(parsed.error());
  std::vector<FieldError> errors;
  Reader r(*parsed, "", errors);
  r.only({"name", "description", "active", "on", "wait", "conditions", "actions", "time_based"});
  Rule rule;
  rule.name = r.string("name", true).value_or("");
  rule.description = r.string("description").value_or("");
  rule.active = r.boolean("active").value_or(true);
  rule.on = r.names<RuleTrigger>("on");
  if (auto w = r.object("wait")) {
    w->only({"statuses", "after_minutes", "calendar_id"});
    RuleWait wait;
    wait.statuses = w->names<TicketStatus>("statuses");
    wait.after = std::chrono::minutes(w->integer("after_minutes", true).value_or(0));
    wait.calendar = w->integer("calendar_id");
    rule.wait = std::move(wait);
  }
  if (auto* list = r.array("conditions")) {
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string path = "conditions[" + std::to_string(i) + "]";
      if (!(*list)[i].is_object()) {
        errors.push_back({path, "must be an object"});
        continue;
      }
      Reader c((*list)[i].as_object(), path, errors);
      c.only({"field", "op", "values"});
      RuleCondition cond;
      if (auto f = c.string("field", true)) {
        auto field = parse_name<RuleField>(*f);
        if (!field) c.error("field", "one of: " + allowed_names<RuleField>());
        cond.field = field.value_or(RuleField::status);
      }
      if (auto op = c.string("op", true)) {
        auto parsed_op = parse_name<RuleOperator>(*op);
        if (!parsed_op) c.error("op", "one of: " + allowed_names<RuleOperator>());
        cond.op = parsed_op.value_or(RuleOperator::is);
      }
      // Numbers are accepted where ids and levels are meant: kept as their text.
      if (auto* values = c.array("values")) {
        for (const auto& v : *values) {
          if (v.is_string())
            cond.values.emplace_back(v.as_string());
          else if (v.is_int64())
            cond.values.push_back(std::to_string(v.as_int64()));
          else
            c.error("values", "each must be a string or an integer");
        }
      }
      rule.conditions.push_back(std::move(cond));
    }
  }
  if (auto* list = r.array("actions")) {
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string path = "actions[" + std::to_string(i) + "]";
      if (!(*list)[i].is_object()) {
        errors.push_back({path, "must be an object"});
        continue;
      }
      Reader a((*list)[i].as_object(), path, errors);
      rule.actions.push_back(read_action(a));
    }
  }
  if (!errors.empty()) return invalid_fields(std::move(errors));
  return rule;
}

}  // namespace fl
