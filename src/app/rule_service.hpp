// Rules at work (core/rule.hpp): admins keep them; a follower of the event feed runs the
// trigger rules and keeps the timers of the time-based ones; the scheduler fires the timers
// that are due.
//
// Every firing is one commit of the ticket: its field changes and entries recorded "by" the
// rule, and a rule.fired event naming the rule and the event that made it fire (its source).
// That event makes a firing happen once: a rule never fires twice for one source, so a
// follower that crashed and reads the same events again, or a restart that finds a timer
// due, repeats nothing. Events made by rules trigger no rule: loops cannot form.
//
// Time-based rules count their wait from the later of the moment the ticket entered its
// status and its last reply (not a rule's); that event is the firing's source, so a rule
// fires once per wait. Timers live in the store (a restart fires what fell due while the
// server was down) and are re-checked against the ticket before firing.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "app/reply_mail.hpp"
#include "app/sla_service.hpp"
#include "app/webhook_caller.hpp"
#include "core/rule.hpp"
#include "store/store.hpp"

namespace fl {

class RuleService {
 public:
  // Without `webhooks`, a webhook action is recorded as failed.
  // With `reply_mail`, a rule's public reply is mailed to the requester (automatic mail).
  RuleService(Store& store, const Clock& clock, SlaService& sla, WebhookCaller* webhooks = nullptr,
              const ReplyMail* reply_mail = nullptr);

  // Reads the rules and the system account (call once before use; saves refresh it).
  Result<void> load();

  Result<std::vector<Rule>> list(const Actor& actor);
  Result<Rule> get(const Actor& actor, RuleId id);
  // New when rule.id is 0; else rule.version must be the stored one (conflict). Users,
  // teams, webhooks and calendars the rule names must exist.
  Result<Rule> save(const Actor& actor, Rule rule);

  // Runs the trigger rules on the events after the follower's cursor (at most `max_events`)
  // and keeps the timers of the tickets they touch; returns how many events it read (0: up
  // to date). The first run starts at the newest event (older events trigger nothing) and
  // sets the timers of every waiting ticket; so does each saved time-based rule.
  Result<int> follow(int max_events = 1000);

  // Fires the time-based rules whose timers are due at `now`; returns how many timers it
  // looked at.
  Result<int> fire_due(Timestamp now, int limit = 200);

 private:
  struct Rules;
  std::shared_ptr<const Rules> rules() const;
  Result<void> check_references(const Rule& rule);
  // Fires `rule` on the ticket for `source` unless it has fired for it already or its
  // conditions no longer hold. Returns whether it fired.
  Result<bool> fire(const Rule& rule, TicketId ticket, const Event& source, const RuleFacts& facts,
                    Timestamp now);
  // Fires the due timers of one ticket and stores its timers afresh.
  Result<void> fire_timers_of(TicketId id, Timestamp now);
  // The timers of a ticket as its events stand (the caller stores them).
  std::vector<RuleTimer> timers_of(const Rules& rules, const Ticket& ticket,
                                   const std::vector<Event>& events) const;
  // Recomputes and stores the timers of these tickets (only while some time-based rule is
  // active, unless `always`).
  Result<void> refresh_timers(const std::vector<TicketId>& tickets, bool always = false);
  // Every ticket in a status some time-based rule waits in (the first run, a saved rule).
  Result<void> refresh_waiting(const std::vector<TicketStatus>& statuses);

  Store& store_;
  const Clock& clock_;
  SlaService& sla_;
  WebhookCaller* webhooks_;
  const ReplyMail* reply_mail_;
  mutable std::mutex mutex_;  // guards rules_ and system_user_
  std::shared_ptr<const Rules> rules_;
  UserId system_user_ = 0;
};

}  // namespace fl
