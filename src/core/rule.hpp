// Rules: what the desk does by itself. A trigger rule answers an event on a ticket (created,
// updated, a reply, an escalation, an SLA step); a time-based rule answers a ticket that has
// waited in a status for a while (resolved for 7 days, pending_customer for 3). Both check
// conditions on the ticket's fields and then act: set fields, assign, tag, notify staff,
// reply or note, call a webhook.
//
// Loops are impossible by construction: what a rule changes is recorded "by" the rule, and
// events made by rules never trigger rules (app/rule_service.hpp).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/names.hpp"
#include "core/ticket.hpp"
#include "core/webhook.hpp"

namespace fl {

using RuleId = std::int64_t;

// The events a trigger rule may answer.
enum class RuleTrigger {
  created,
  updated,         // fields or assignee changed
  status_changed,
  entry_added,     // a reply, note or call
  escalated,
  transferred,
  returned,
  sla_step,        // an escalation-ladder step fired
  sla_breached,
};
template <>
struct EnumNames<RuleTrigger> {
  static constexpr std::array<std::pair<RuleTrigger, std::string_view>, 9> table{{
      {RuleTrigger::created, "created"},
      {RuleTrigger::updated, "updated"},
      {RuleTrigger::status_changed, "status_changed"},
      {RuleTrigger::entry_added, "entry_added"},
      {RuleTrigger::escalated, "escalated"},
      {RuleTrigger::transferred, "transferred"},
      {RuleTrigger::returned, "returned"},
      {RuleTrigger::sla_step, "sla_step"},
      {RuleTrigger::sla_breached, "sla_breached"},
  }};
};

// The trigger an event type stands for; none for events no rule answers.
[[nodiscard]] std::optional<RuleTrigger> trigger_of(std::string_view event_type);

enum class RuleField {
  status,
  priority,  // P1..P4
  impact,
  urgency,
  line,
  team,
  category,
  channel,
  tag,
  assignee,  // a user id; is_set / not_set for assigned or not
  organization,
  requester,
  subject,
  by,          // trigger rules: who caused the event (customer, staff, system)
  entry_kind,  // entry_added: reply, note or call
};
template <>
struct EnumNames<RuleField> {
  static constexpr std::array<std::pair<RuleField, std::string_view>, 15> table{{
      {RuleField::status, "status"},
      {RuleField::priority, "priority"},
      {RuleField::impact, "impact"},
      {RuleField::urgency, "urgency"},
      {RuleField::line, "line"},
      {RuleField::team, "team"},
      {RuleField::category, "category"},
      {RuleField::channel, "channel"},
      {RuleField::tag, "tag"},
      {RuleField::assignee, "assignee"},
      {RuleField::organization, "organization"},
      {RuleField::requester, "requester"},
      {RuleField::subject, "subject"},
      {RuleField::by, "by"},
      {RuleField::entry_kind, "entry_kind"},
  }};
};

enum class RuleOperator { is, is_not, contains, not_contains, at_least, at_most, is_set, not_set };
template <>
struct EnumNames<RuleOperator> {
  static constexpr std::array<std::pair<RuleOperator, std::string_view>, 8> table{{
      {RuleOperator::is, "is"},
      {RuleOperator::is_not, "is_not"},
      {RuleOperator::contains, "contains"},
      {RuleOperator::not_contains, "not_contains"},
      {RuleOperator::at_least, "at_least"},
      {RuleOperator::at_most, "at_most"},
      {RuleOperator::is_set, "is_set"},
      {RuleOperator::not_set, "not_set"},
  }};
};

// `is` holds when the field equals any of the values, `is_not` when it equals none (tags: the
// ticket has / lacks any of them). contains/not_contains: case-insensitive text (subject,
// category). at_least/at_most: priority ("at least P2" = P1 or P2), impact, urgency, line.
struct RuleCondition {
  RuleField field = RuleField::status;
  RuleOperator op = RuleOperator::is;
  std::vector<std::string> values;
};

// A text in English and German; the recipient's language picks one (the other when empty).
struct RuleText {
  std::string en;
  std::string de;
  [[nodiscard]] const std::string& in(std::string_view language) const {
    if (language == "de") return de.empty() ? en : de;
    return en.empty() ? de : en;
  }
  [[nodiscard]] bool empty() const { return en.empty() && de.empty(); }
};

enum class RuleActionKind {
  set_status,
  set_priority,  // impact and/or urgency
  set_category,
  add_tag,
  remove_tag,
  assign,   // a user, automatic (the team's mode), or nobody
  notify,   // in-app notification to staff
  reply,    // a public reply to the requester, in their language
  note,     // an internal note
  webhook,  // queue a call of a webhook
};
template <>
struct EnumNames<RuleActionKind> {
  static constexpr std::array<std::pair<RuleActionKind, std::string_view>, 10> table{{
      {RuleActionKind::set_status, "set_status"},
      {RuleActionKind::set_priority, "set_priority"},
      {RuleActionKind::set_category, "set_category"},
      {RuleActionKind::add_tag, "add_tag"},
      {RuleActionKind::remove_tag, "remove_tag"},
      {RuleActionKind::assign, "assign"},
      {RuleActionKind::notify, "notify"},
      {RuleActionKind::reply, "reply"},
      {RuleActionKind::note, "note"},
      {RuleActionKind::webhook, "webhook"},
  }};
};

enum class AssignTarget { user, automatic, nobody };

// Whom a notify action tells.
enum class Recipient { assignee, team, supervisors };
template <>
struct EnumNames<Recipient> {
  static constexpr std::array<std::pair<Recipient, std::string_view>, 3> table{{
      {Recipient::assignee, "assignee"},
      {Recipient::team, "team"},
      {Recipient::supervisors, "supervisors"},
  }};
};

struct RuleAction {
  RuleActionKind kind = RuleActionKind::add_tag;
  std::optional<TicketStatus> status;
  std::optional<int> impact;
  std::optional<int> urgency;
  std::string value;  // the category or the tag
  AssignTarget assign = AssignTarget::automatic;
  std::optional<UserId> user;      // assign to; also notify this user
  std::vector<Recipient> recipients;
  RuleText text;  // notify, reply, note; with {{placeholders}} as macros have
  WebhookId webhook = 0;
};

// A time-based rule's wait: the ticket has been in one of `statuses` for `after` since it
// entered it or since the last reply on it, whichever is later (a rule's own reply does not
// count). With a calendar, `after` is business time.
struct RuleWait {
  std::vector<TicketStatus> statuses;
  std::chrono::minutes after{0};
  std::optional<std::int64_t> calendar;  // a CalendarId
};

struct Rule {
  RuleId id = 0;
  std::string name;
  std::string description;
  bool active = true;
  std::vector<RuleTrigger> on;    // a trigger rule: any of these events
  std::optional<RuleWait> wait;   // a time-based rule (then `on` is empty)
  std::vector<RuleCondition> conditions;  // all must hold
  std::vector<RuleAction> actions;        // in order
  std::int64_t version = 0;
  Timestamp updated_at{};

  [[nodiscard]] bool time_based() const { return wait.has_value(); }
};

// What a condition may ask about besides the ticket: the event that triggered the rule.
struct RuleFacts {
  std::string_view by;          // "customer", "staff", "system"; empty for time-based rules
  std::string_view entry_kind;  // entry_added only
};

// Name 1-100 characters; a trigger rule names events, a time-based one statuses and a wait
// of 1 minute to 365 days, never both; conditions fit their field (values parse; by and
// entry_kind only for trigger rules); 1-20 actions, each complete (tags normalised in
// place, texts within 100,000 bytes with known placeholders). Errors name the field.
[[nodiscard]] Result<void> validate(Rule& rule);

// Do all conditions hold for the ticket (and the event's facts)?
[[nodiscard]] bool conditions_hold(const Rule& rule, const Ticket& ticket, const RuleFacts& facts);

}  // namespace fl
