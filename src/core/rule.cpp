#include "core/rule.hpp"

#include <algorithm>
#include <charconv>

#include "core/event.hpp"
#include "core/macro.hpp"
#include "core/priority.hpp"
#include "core/text.hpp"

namespace fl {

namespace {

constexpr std::size_t kMaxActions = 20;
constexpr std::size_t kMaxConditions = 50;
constexpr std::size_t kMaxText = 100'000;
constexpr auto kLongestWait = std::chrono::days(365);

std::optional<std::int64_t> integer(std::string_view s) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

enum class ValueKind { status, priority, level, line, id, channel, tag, text, by, entry_kind };

ValueKind value_kind(RuleField f) {
  switch (f) {
    case RuleField::status:
      return ValueKind::status;
    case RuleField::priority:
      return ValueKind::priority;
    case RuleField::impact:
    case RuleField::urgency:
      return ValueKind::level;
    case RuleField::line:
      return ValueKind::line;
    case RuleField::team:
    case RuleField::assignee:
    case RuleField::organization:
    case RuleField::requester:
      return ValueKind::id;
    case RuleField::channel:
      return ValueKind::channel;
    case RuleField::tag:
      return ValueKind::tag;
    case RuleField::category:
    case RuleField::subject:
      return ValueKind::text;
    case RuleField::by:
      return ValueKind::by;
    case RuleField::entry_kind:
      return ValueKind::entry_kind;
  }
  return ValueKind::text;
}

bool operator_fits(RuleField f, RuleOperator op) {
  using enum RuleOperator;
  switch (f) {
    case RuleField::status:
    case RuleField::channel:
    case RuleField::by:
    case RuleField::entry_kind:
    case RuleField::team:
    case RuleField::requester:
    case RuleField::tag:
      return op == is || op == is_not;
    case RuleField::priority:
    case RuleField::impact:
    case RuleField::urgency:
    case RuleField::line:
      return op == is || op == is_not || op == at_least || op == at_most;
    case RuleField::assignee:
    case RuleField::organization:
      return op == is || op == is_not || op == is_set || op == not_set;
    case RuleField::category:
      return op == is || op == is_not || op == contains || op == not_contains || op == is_set ||
             op == not_set;
    case RuleField::subject:
      return op == contains || op == not_contains;
  }
  return false;
}

// The value in its canonical spelling, or nullopt when it does not parse for the field.
std::optional<std::string> canonical(ValueKind kind, std::string_view raw) {
  std::string v = trim(raw);
  switch (kind) {
    case ValueKind::status:
      return parse_name<TicketStatus>(v) ? std::optional(v) : std::nullopt;
    case ValueKind::priority: {
      std::string upper = v;
      for (char& c : upper)
        if (c == 'p') c = 'P';
      return parse_name<Priority>(upper) ? std::optional(upper) : std::nullopt;
    }
    case ValueKind::level: {
      auto n = integer(v);
      return n && is_level(static_cast<int>(*n)) ? std::optional(v) : std::nullopt;
    }
    case ValueKind::line: {
      auto n = integer(v);
      return n && *n >= 0 && *n <= 4 ? std::optional(v) : std::nullopt;
    }
    case ValueKind::id: {
      auto n = integer(v);
      return n && *n > 0 ? std::optional(std::to_string(*n)) : std::nullopt;
    }
    case ValueKind::channel:
      return parse_name<Channel>(v) ? std::optional(v) : std::nullopt;
    case ValueKind::tag:
      return normalise_tag(v);
    case ValueKind::text:
      return v.empty() || v.size() > 500 ? std::nullopt : std::optional(v);
    case ValueKind::by:
      return v == "customer" || v == "staff" || v == "system" ? std::optional(v) : std::nullopt;
    case ValueKind::entry_kind:
      return parse_name<EntryKind>(v) ? std::optional(v) : std::nullopt;
  }
  return std::nullopt;
}

std::string_view hint(ValueKind kind) {
  switch (kind) {
    case ValueKind::status:
      return "a status (new, open, pending_customer, pending_vendor, resolved, closed)";
    case ValueKind::priority:
      return "P1 to P4";
    case ValueKind::level:
      return "1 (high) to 3 (low)";
    case ValueKind::line:
      return "a line from 0 to 4";
    case ValueKind::id:
      return "an id";
    case ValueKind::channel:
      return "a channel (phone, email, web, chat, bot, api)";
    case ValueKind::tag:
      return "a tag: 1-64 of a-z 0-9 . _ : -";
    case ValueKind::text:
      return "a text of 1 to 500 bytes";
    case ValueKind::by:
      return "customer, staff or system";
    case ValueKind::entry_kind:
      return "reply, note or call";
  }
  return "";
}

void check_text(const RuleText& text, const std::string& field, std::vector<FieldError>& errors) {
  if (is_blank(text.en) && is_blank(text.de)) {
    errors.push_back({field, "required (en and/or de)"});
    return;
  }
  for (const auto* t : {&text.en, &text.de}) {
    if (t->size() > kMaxText) errors.push_back({field, "at most 100000 bytes"});
    if (auto problem = placeholder_problem(*t)) errors.push_back({field, *problem});
  }
}

// The ticket's values of a field, as text (several for tags, none when unset).
std::vector<std::string> values_of(RuleField f, const Ticket& t, const RuleFacts& facts) {
  switch (f) {
    case RuleField::status:
      return {std::string(name_of(t.status))};
    case RuleField::priority:
      return {std::string(name_of(t.priority))};
    case RuleField::impact:
      return {std::to_string(t.impact)};
    case RuleField::urgency:
      return {std::to_string(t.urgency)};
    case RuleField::line:
      return {std::to_string(t.line)};
    case RuleField::team:
      return {std::to_string(t.team)};
    case RuleField::category:
      if (t.category.empty()) return {};
      return {t.category};
    case RuleField::channel:
      return {std::string(name_of(t.channel))};
    case RuleField::tag:
      return t.tags;
    case RuleField::assignee:
      if (!t.assignee) return {};
      return {std::to_string(*t.assignee)};
    case RuleField::organization:
      if (!t.organization) return {};
      return {std::to_string(*t.organization)};
    case RuleField::requester:
      return {std::to_string(t.requester)};
    case RuleField::subject:
      return {t.subject};
    case RuleField::by:
      if (facts.by.empty()) return {};
      return {std::string(facts.by)};
    case RuleField::entry_kind:
      if (facts.entry_kind.empty()) return {};
      return {std::string(facts.entry_kind)};
  }
  return {};
}

// Severity order: P1 and level 1 are the most; a line counts upwards.
std::int64_t rank(RuleField f, std::string_view v) {
  if (f == RuleField::priority) return v.size() == 2 ? -(v[1] - '0') : 0;
  auto n = integer(v).value_or(0);
  return f == RuleField::line ? n : -n;
}

bool holds(const RuleCondition& c, const Ticket& t, const RuleFacts& facts) {
  auto have = values_of(c.field, t, facts);
  auto equal = [&](const std::string& a, const std::string& b) {
    return c.field == RuleField::category ? lower(a) == lower(b) : a == b;
  };
  auto any_equal = [&] {
    for (const auto& h : have)
      for (const auto& v : c.values)
        if (equal(h, v)) return true;
    return false;
  };
  auto any_contains = [&] {
    for (const auto& h : have)
      for (const auto& v : c.values)
        if (lower(h).find(lower(v)) != std::string::npos) return true;
    return false;
  };
  switch (c.op) {
    case RuleOperator::is:
      return any_equal();
    case RuleOperator::is_not:
      return !any_equal();
    case RuleOperator::contains:
      return any_contains();
    case RuleOperator::not_contains:
      return !any_contains();
    case RuleOperator::at_least:
      return !have.empty() && !c.values.empty() &&
             rank(c.field, have.front()) >= rank(c.field, c.values.front());
    case RuleOperator::at_most:
      return !have.empty() && !c.values.empty() &&
             rank(c.field, have.front()) <= rank(c.field, c.values.front());
    case RuleOperator::is_set:
      return !have.empty();
    case RuleOperator::not_set:
      return have.empty();
  }
  return false;
}

}  // namespace

std::optional<RuleTrigger> trigger_of(std::string_view type) {
  if (type == event_type::ticket_created) return RuleTrigger::created;
  if (type == event_type::ticket_updated) return RuleTrigger::updated;
  if (type == event_type::status_changed) return RuleTrigger::status_changed;
  if (type == event_type::entry_added) return RuleTrigger::entry_added;
  if (type == event_type::escalated) return RuleTrigger::escalated;
  if (type == event_type::transferred) return RuleTrigger::transferred;
  if (type == event_type::returned) return RuleTrigger::returned;
  if (type == event_type::sla_step_fired) return RuleTrigger::sla_step;
  if (type == event_type::sla_breached) return RuleTrigger::sla_breached;
  return std::nullopt;
}

Result<void> validate(Rule& r) {
  std::vector<FieldError> errors;
  r.name = trim(r.name);
  if (r.name.empty() || r.name.size() > 100) errors.push_back({"name", "1 to 100 characters"});
  if (r.description.size() > 2000) errors.push_back({"description", "at most 2000 bytes"});

  if (r.wait) {
    if (!r.on.empty()) errors.push_back({"on", "a time-based rule answers no events"});
    if (r.wait->statuses.empty()) errors.push_back({"wait.statuses", "name at least one status"});
    if (r.wait->after < std::chrono::minutes(1) || r.wait->after > kLongestWait)
      errors.push_back({"wait.after_minutes", "1 minute to 365 days"});
    std::ranges::sort(r.wait->statuses);
    r.wait->statuses.erase(std::unique(r.wait->statuses.begin(), r.wait->statuses.end()),
                           r.wait->statuses.end());
  } else {
    if (r.on.empty()) errors.push_back({"on", "name the events the rule answers, or a wait"});
    std::ranges::sort(r.on);
    r.on.erase(std::unique(r.on.begin(), r.on.end()), r.on.end());
  }

  if (r.conditions.size() > kMaxConditions) errors.push_back({"conditions", "at most 50"});
  for (std::size_t i = 0; i < r.conditions.size(); ++i) {
    auto& c = r.conditions[i];
    const std::string field = "conditions[" + std::to_string(i) + "]";
    if ((c.field == RuleField::by || c.field == RuleField::entry_kind) && r.wait)
      errors.push_back({field + ".field", "a time-based rule has no event to ask about"});
    if (!operator_fits(c.field, c.op)) {
      errors.push_back({field + ".op", std::string(name_of(c.op)) + " does not apply to " +
                                           std::string(name_of(c.field))});
      continue;
    }
    const bool none = c.op == RuleOperator::is_set || c.op == RuleOperator::not_set;
    const bool one = c.op == RuleOperator::at_least || c.op == RuleOperator::at_most;
    if (none && !c.values.empty()) errors.push_back({field + ".values", "takes no values"});
    if (!none && c.values.empty()) errors.push_back({field + ".values", "name at least one"});
    if (one && c.values.size() > 1) errors.push_back({field + ".values", "exactly one"});
    if (c.values.size() > 100) errors.push_back({field + ".values", "at most 100"});
    const ValueKind kind = c.op == RuleOperator::contains || c.op == RuleOperator::not_contains
                               ? ValueKind::text
                               : value_kind(c.field);
    for (auto& v : c.values) {
      auto parsed = canonical(kind, v);
      if (!parsed)
        errors.push_back({field + ".values", "'" + v + "' is not " + std::string(hint(kind))});
      else
        v = std::move(*parsed);
    }
  }

  if (r.actions.empty() || r.actions.size() > kMaxActions)
    errors.push_back({"actions", "1 to 20 actions"});
  for (std::size_t i = 0; i < r.actions.size(); ++i) {
    auto& a = r.actions[i];
    const std::string field = "actions[" + std::to_string(i) + "]";
    switch (a.kind) {
      case RuleActionKind::set_status:
        if (!a.status) errors.push_back({field + ".status", "required"});
        break;
      case RuleActionKind::set_priority:
        if (!a.impact && !a.urgency)
          errors.push_back({field, "set impact and/or urgency"});
        if (a.impact && !is_level(*a.impact))
          errors.push_back({field + ".impact", "must be 1 (high), 2 or 3 (low)"});
        if (a.urgency && !is_level(*a.urgency))
          errors.push_back({field + ".urgency", "must be 1 (high), 2 or 3 (low)"});
        break;
      case RuleActionKind::set_category:
        a.value = trim(a.value);
        if (a.value.size() > 100) errors.push_back({field + ".category", "at most 100 bytes"});
        break;
      case RuleActionKind::add_tag:
      case RuleActionKind::remove_tag:
        if (auto tag = normalise_tag(a.value))
          a.value = *tag;
        else
          errors.push_back({field + ".tag", "'" + a.value + "' is not " +
                                                std::string(hint(ValueKind::tag))});
        break;
      case RuleActionKind::assign:
        if (a.assign == AssignTarget::user && (!a.user || *a.user <= 0))
          errors.push_back({field + ".to", "a user id, \"auto\" or \"nobody\""});
        break;
      case RuleActionKind::notify:
        if (a.recipients.empty() && !a.user)
          errors.push_back({field + ".recipients", "name whom to tell"});
        check_text(a.text, field + ".text", errors);
        break;
      case RuleActionKind::reply:
      case RuleActionKind::note:
        check_text(a.text, field + ".text", errors);
        break;
      case RuleActionKind::webhook:
        if (a.webhook <= 0) errors.push_back({field + ".webhook", "a webhook id"});
        break;
    }
  }
  if (!errors.empty()) return invalid_fields(std::move(errors));
  return {};
}

bool conditions_hold(const Rule& rule, const Ticket& ticket, const RuleFacts& facts) {
  return std::ranges::all_of(rule.conditions,
                             [&](const RuleCondition& c) { return holds(c, ticket, facts); });
}

}  // namespace fl
