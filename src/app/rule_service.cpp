#include "app/rule_service.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <functional>
#include <unordered_map>
#include <thread>
#include <atomic>

#include "app/access.hpp"
#include "app/assignment.hpp"
#include "app/event_json.hpp"
#include "app/feed_follower.hpp"
#include "app/rule_codec.hpp"
#include "app/staff.hpp"
#include "app/ticket_patch.hpp"
#include "core/macro.hpp"

namespace fl {

namespace json = boost::json;

namespace {

constexpr std::string_view kFollower = "rules";
constexpr int kCommitAttempts = 5;
constexpr int kBackfillPage = 200;
// Tickets worked on at once by follow() and fire_due(): enough for the store to group commits.
constexpr std::size_t kConcurrentFirings = 16;

// The rules as the follower and the scheduler use them.
}  // namespace

struct RuleService::Rules {
  std::vector<Rule> all;  // by id
  std::vector<const Rule*> triggers;  // active trigger rules
  std::vector<const Rule*> waits;     // active time-based rules
  std::vector<TicketStatus> waiting_statuses;  // the statuses any of them waits in

  [[nodiscard]] const Rule* find(RuleId id) const {
    for (const auto& r : all)
      if (r.id == id) return &r;
    return nullptr;
  }
};

namespace {

// (rule, source) of every rule.fired event among a ticket's events.
std::set<std::pair<RuleId, EventId>> firings(const std::vector<Event>& events) {
  std::set<std::pair<RuleId, EventId>> out;
  for (const auto& e : events) {
    if (e.type != event_type::rule_fired) continue;
    auto p = payload_of(e);
    auto rule = number_at(p, "rule");
    auto source = number_at(p, "source");
    if (rule && source) out.emplace(*rule, *source);
  }
  return out;
}

// The event a time-based rule's wait counts from: the later of the ticket entering its
// current status and its last reply by a person.
const Event* wait_anchor(const std::vector<Event>& events) {
  const Event* entered = nullptr;
  const Event* replied = nullptr;
  for (const auto& e : events) {
    if (e.type == event_type::ticket_created || e.type == event_type::status_changed) {
      entered = &e;
    } else if (e.type == event_type::entry_added) {
      auto p = payload_of(e);
      if (text_at(p, "kind") == "reply" && text_at(p, "by") != "rule") replied = &e;
    }
  }
  if (!entered) return replied;
  if (!replied) return entered;
  return replied->id > entered->id ? replied : entered;
}

// Runs work(i) for every i below n, on up to kConcurrentFirings threads; the first error is
// the result. Tickets are independent: several at once let the store group their commits
// into one fsync (bench/rules: one at a time, ~0.6 ms per firing, almost all of it the fsync).
Result<void> for_each_ticket(std::size_t n, const std::function<Result<void>(std::size_t)>& work) {
  std::atomic<std::size_t> next{0};
  std::mutex failed_mutex;
  std::optional<Error> failed;
  auto run = [&] {
    for (std::size_t i = next++; i < n; i = next++) {
      if (auto ok = work(i); !ok) {
        std::lock_guard lock(failed_mutex);
        if (!failed) failed = ok.error();
      }
    }
  };
  {
    std::vector<std::jthread> pool;
    for (std::size_t t = 1; t < std::min(kConcurrentFirings, n); ++t) pool.emplace_back(run);
    run();
  }
  if (failed) return std::unexpected(*failed);
  return {};
}

json::value text_json(const std::string& en, const std::string& de) {
  return json::object{{"en", en}, {"de", de}};
}

}  // namespace

RuleService::RuleService(Store& store, const Clock& clock, SlaService& sla, WebhookCaller* webhooks,
                         const ReplyMail* reply_mail)
    : store_(store),
      clock_(clock),
      sla_(sla),
      webhooks_(webhooks),
      reply_mail_(reply_mail),
      rules_(std::make_shared<Rules>()) {}

std::shared_ptr<const RuleService::Rules> RuleService::rules() const {
  std::lock_guard lock(mutex_);
  return rules_;
}

Result<void> RuleService::load() {
  auto docs = store_.rules();
  if (!docs) return std::unexpected(docs.error());
  auto fresh = std::make_shared<Rules>();
  for (const auto& doc : *docs) {
    auto rule = decode_rule(doc.body);
    if (!rule) return fail(ErrorCode::internal, "stored rule " + std::to_string(doc.id) +
                                                    " does not decode: " + rule.error().message);
    rule->id = doc.id;
    rule->name = doc.name;
    rule->version = doc.version;
    rule->updated_at = doc.updated_at;
    fresh->all.push_back(std::move(*rule));
  }
  for (const auto& r : fresh->all) {
    if (!r.active) continue;
    if (r.time_based()) {
      fresh->waits.push_back(&r);
      for (auto s : r.wait->statuses)
        if (std::ranges::find(fresh->waiting_statuses, s) == fresh->waiting_statuses.end())
          fresh->waiting_statuses.push_back(s);
    } else {
      fresh->triggers.push_back(&r);
    }
  }
  auto system = store_.user_record_by_login(kSystemLogin);
  if (!system) return fail(ErrorCode::internal, "the system account is missing");
  std::lock_guard lock(mutex_);
  rules_ = std::move(fresh);
  system_user_ = system->user.id;
  return {};
}

Result<std::vector<Rule>> RuleService::list(const Actor& actor) {
  if (!may_read_rules(actor))
    return fail(ErrorCode::permission_denied, "only supervisors and admins see rules");
  return rules()->all;
}

Result<Rule> RuleService::get(const Actor& actor, RuleId id) {
  if (!may_read_rules(actor))
    return fail(ErrorCode::permission_denied, "only supervisors and admins see rules");
  auto r = rules();
  if (const Rule* rule = r->find(id)) return *rule;
  return fail(ErrorCode::not_found, "no rule " + std::to_string(id));
}

Result<void> RuleService::check_references(const Rule& rule) {
  std::vector<FieldError> errors;
  auto staff = [&](UserId id, const std::string& field) {
    auto u = store_.user(id);
    if (!u || u->role == Role::customer || !u->active)
      errors.push_back({field, "no active member of staff " + std::to_string(id)});
  };
  for (std::size_t i = 0; i < rule.actions.size(); ++i) {
    const auto& a = rule.actions[i];
    const std::string field = "actions[" + std::to_string(i) + "]";
    if (a.kind == RuleActionKind::assign && a.assign == AssignTarget::user && a.user)
      staff(*a.user, field + ".to");
    if (a.kind == RuleActionKind::notify && a.user) staff(*a.user, field + ".user_id");
    if (a.kind == RuleActionKind::webhook && a.webhook > 0 && !store_.webhook(a.webhook))
      errors.push_back({field + ".webhook_id", "no webhook " + std::to_string(a.webhook)});
  }
  for (std::size_t i = 0; i < rule.conditions.size(); ++i) {
    const auto& c = rule.conditions[i];
    if (c.field != RuleField::team) continue;
    for (const auto& v : c.values)
      if (!store_.team(std::stoll(v)))
        errors.push_back({"conditions[" + std::to_string(i) + "].values", "no team " + v});
  }
  if (rule.wait && rule.wait->calendar && !sla_.has_calendar(*rule.wait->calendar))
    errors.push_back({"wait.calendar_id", "no calendar " + std::to_string(*rule.wait->calendar)});
  if (!errors.empty()) return invalid_fields(std::move(errors));
  return {};
}

Result<Rule> RuleService::save(const Actor& actor, Rule rule) {
  if (!may_manage_rules(actor)) return fail(ErrorCode::permission_denied, "only admins keep rules");
  if (auto ok = validate(rule); !ok) return std::unexpected(ok.error());
  if (auto ok = check_references(rule); !ok) return std::unexpected(ok.error());
  const Timestamp now = clock_.now();
  ConfigDocument doc{rule.id, rule.name, rule.version, encode_rule(rule), now};
  json::object payload{{"name", rule.name}, {"by", "staff"}, {"active", rule.active}};
  if (rule.id != 0) payload["rule"] = rule.id;
  if (rule.wait) {
    json::array statuses;
    for (auto s : rule.wait->statuses) statuses.emplace_back(name_of(s));
    payload["waits_in"] = std::move(statuses);
  }
  auto stored = store_.save_rule(doc, event_with(event_type::rule_saved, now, payload, actor.user.id));
  if (!stored) return std::unexpected(stored.error());
  if (auto ok = load(); !ok) return std::unexpected(ok.error());
  auto r = rules();
  if (const Rule* saved = r->find(stored->id)) return *saved;
  return fail(ErrorCode::internal, "a saved rule is missing");
}

Result<bool> RuleService::fire(const Rule& rule, TicketId ticket_id, const Event& source,
                               const RuleFacts& facts, Timestamp now) {
  UserId system_user = 0;
  {
    std::lock_guard lock(mutex_);
    system_user = system_user_;
  }
  for (int attempt = 1;; ++attempt) {
    auto stored = store_.ticket(ticket_id);
    if (!stored) return std::unexpected(stored.error());
    // The conditions first: most rules do not apply, and the events cost more to read.
    if (!conditions_hold(rule, *stored, facts)) return false;
    auto events = store_.ticket_events(ticket_id);
    if (!events) return std::unexpected(events.error());
    if (firings(*events).contains({rule.id, source.id})) return false;

    TicketChange change;
    change.ticket = *stored;
    Ticket& ticket = change.ticket;
    auto make = [&](std::string_view type, json::object payload) {
      payload["by"] = "rule";
      payload["rule"] = rule.id;
      return event_with(type, now, payload);
    };
    json::array failed;
    auto failure = [&](std::size_t index, std::string message) {
      failed.push_back(json::object{{"action", index},
                                    {"type", name_of(rule.actions[index].kind)},
                                    {"error", std::move(message)}});
    };

    // Field changes: together when they agree, else one by one so one bad action (a status
    // the ticket cannot take now) does not stop the others.
    std::vector<std::pair<std::size_t, TicketPatch>> field_actions;
    std::vector<std::string> tags = ticket.tags;
    bool assign_automatically_after = false;
    for (std::size_t i = 0; i < rule.actions.size(); ++i) {
      const auto& a = rule.actions[i];
      TicketPatch p;
      switch (a.kind) {
        case RuleActionKind::set_status:
          p.status = a.status;
          break;
        case RuleActionKind::set_priority:
          p.impact = a.impact;
          p.urgency = a.urgency;
          break;
        case RuleActionKind::set_category:
          p.category = a.value;
          break;
        case RuleActionKind::add_tag:
          if (std::ranges::find(tags, a.value) == tags.end()) tags.push_back(a.value);
          p.tags = tags;
          break;
        case RuleActionKind::remove_tag:
          std::erase(tags, a.value);
          p.tags = tags;
          break;
        case RuleActionKind::assign:
          if (a.assign == AssignTarget::automatic) {
            assign_automatically_after = true;
            continue;
          }
          p.assignee = a.assign == AssignTarget::user ? a.user : std::nullopt;
          break;
        default:
          continue;
      }
      field_actions.emplace_back(i, std::move(p));
    }
    if (!field_actions.empty()) {
      TicketPatch all;
      for (const auto& [i, p] : field_actions) {
        if (p.status) all.status = p.status;
        if (p.impact) all.impact = p.impact;
        if (p.urgency) all.urgency = p.urgency;
        if (p.category) all.category = p.category;
        if (p.tags) all.tags = p.tags;
        if (p.assignee) all.assignee = p.assignee;
      }
      TicketChange trial = change;
      auto checked = checked_patch(store_, all);
      auto together = checked ? apply_patch(store_, trial, *checked, now, "rule", make)
                              : Result<bool>(std::unexpected(checked.error()));
      if (together) {
        change = std::move(trial);
      } else {
        for (const auto& [i, p] : field_actions) {
          auto one = checked_patch(store_, p);
          auto applied = one ? apply_patch(store_, change, *one, now, "rule", make)
                             : Result<bool>(std::unexpected(one.error()));
          if (!applied) failure(i, applied.error().message);
        }
      }
    }
    if (assign_automatically_after && !ticket.assignee) {
      if (auto ok = assign_automatically(store_, change, now); !ok)
        return std::unexpected(ok.error());
      // assign_automatically records its change as the system's; rules' changes are the rule's.
      for (auto& e : change.new_events) {
        auto p = payload_of(e);
        if (e.type == event_type::ticket_updated && text_at(p, "by") == "system") {
          p["by"] = "rule";
          p["rule"] = rule.id;
          e.payload = json::serialize(p);
        }
      }
    }

    // Texts, notices and webhooks.
    std::optional<User> requester, assignee;
    if (auto u = store_.user(ticket.requester)) requester = *u;
    if (ticket.assignee)
      if (auto u = store_.user(*ticket.assignee)) assignee = *u;
    std::string team_name;
    if (auto team = store_.team(ticket.team)) team_name = team->name;
    auto fill = [&](const std::string& text) {
      return fill_placeholders(text, [&](std::string_view name) -> std::string {
        if (name == "ticket.number") return std::to_string(ticket.number);
        if (name == "ticket.subject") return ticket.subject;
        if (name == "requester.name") return requester ? requester->name : "";
        if (name == "agent.name") return assignee ? assignee->name : "";
        if (name == "agent.email") return assignee ? assignee->email : "";
        if (name == "team.name") return team_name;
        return "";
      });
    };
    const std::string language = requester ? requester->language : "en";
    json::array notices;
    json::array webhooks_called;
    bool wrote = false;
    for (std::size_t i = 0; i < rule.actions.size(); ++i) {
      const auto& a = rule.actions[i];
      if (a.kind == RuleActionKind::reply || a.kind == RuleActionKind::note) {
        if (ticket.status == TicketStatus::closed) {
          failure(i, "the ticket is closed");
          continue;
        }
        const EntryKind kind = a.kind == RuleActionKind::reply ? EntryKind::reply : EntryKind::note;
        change.new_entries.push_back(Entry{.kind = kind,
                                           .author = system_user,
                                           .body = fill(a.text.in(language)),
                                           .created_at = now});
        change.new_events.push_back(make(event_type::entry_added, {{"kind", name_of(kind)}}));
        ticket.updated_at = now;
        wrote = true;
      } else if (a.kind == RuleActionKind::notify) {
        std::vector<UserId> users;
        for (Recipient r : a.recipients) {
          if (r == Recipient::assignee && ticket.assignee) users.push_back(*ticket.assignee);
          if (r == Recipient::team)
            for (UserId u : members_of(store_, ticket.team)) users.push_back(u);
          if (r == Recipient::supervisors)
            for (UserId u : supervisors_of(store_, ticket.team)) users.push_back(u);
        }
        if (a.user) users.push_back(*a.user);
        std::ranges::sort(users);
        users.erase(std::unique(users.begin(), users.end()), users.end());
        if (users.empty()) {
          failure(i, "nobody to notify");
          continue;
        }
        notices.push_back(json::object{{"users", json::array(users.begin(), users.end())},
                                       {"text", text_json(fill(a.text.in("en")),
                                                          fill(a.text.in("de")))}});
      } else if (a.kind == RuleActionKind::webhook) {
        if (!webhooks_) {
          failure(i, "webhooks are not available");
          continue;
        }
        // Queued before the commit: a repeat after a crash queues nothing new.
        auto called = webhooks_->call_from_rule({a.webhook, rule.id, rule.name, source, ticket});
        if (called)
          webhooks_called.push_back(a.webhook);
        else
          failure(i, called.error().message);
      }
    }

    const bool changed = change.new_events.size() > 0 || wrote;
    if (!changed && notices.empty() && webhooks_called.empty() && failed.empty())
      return false;  // nothing to do and nothing to tell: not worth a record
    json::object fired{{"rule_name", rule.name},
                       {"source", source.id},
                       {"source_type", source.type}};
    if (!notices.empty()) fired["notices"] = std::move(notices);
    if (!webhooks_called.empty()) fired["webhooks"] = std::move(webhooks_called);
    if (!failed.empty()) fired["failed"] = std::move(failed);
    change.new_events.insert(change.new_events.begin(), make(event_type::rule_fired, fired));
    if (auto ok = sla_.prepare(change, *events, now); !ok) return std::unexpected(ok.error());
    if (reply_mail_) reply_mail_->add_to(change, true, is_auto_submitted(source), now);
    auto committed = store_.commit(change);
    if (committed) return true;
    if (committed.error().code != ErrorCode::conflict || attempt == kCommitAttempts)
      return std::unexpected(committed.error());
  }
}

std::vector<RuleTimer> RuleService::timers_of(const Rules& rules, const Ticket& ticket,
                                              const std::vector<Event>& events) const {
  std::vector<RuleTimer> out;
  const Event* anchor = wait_anchor(events);
  if (!anchor) return out;
  auto fired = firings(events);
  for (const Rule* r : rules.waits) {
    if (std::ranges::find(r->wait->statuses, ticket.status) == r->wait->statuses.end()) continue;
    if (!conditions_hold(*r, ticket, {})) continue;
    if (fired.contains({r->id, anchor->id})) continue;
    std::optional<Timestamp> due =
        r->wait->calendar ? sla_.business_time_after(*r->wait->calendar, anchor->at, r->wait->after)
                          : std::optional(anchor->at + r->wait->after);
    if (!due) continue;
    out.push_back({r->id, ticket.id, *due, anchor->id});
  }
  return out;
}

Result<void> RuleService::refresh_timers(const std::vector<TicketId>& tickets, bool always) {
  auto r = rules();
  // Without time-based rules there is nothing to keep; timers left from a rule switched off
  // are dropped when they fall due (fire_due refreshes `always`).
  if (tickets.empty() || (r->waits.empty() && !always)) return {};
  std::vector<RuleTimer> timers;
  for (TicketId id : tickets) {
    auto t = store_.ticket(id);
    if (!t) return std::unexpected(t.error());
    if (std::ranges::find(r->waiting_statuses, t->status) == r->waiting_statuses.end()) continue;
    auto events = store_.ticket_events(id);
    if (!events) return std::unexpected(events.error());
    auto mine = timers_of(*r, *t, *events);
    timers.insert(timers.end(), mine.begin(), mine.end());
  }
  return store_.replace_rule_timers(tickets, timers);
}

Result<void> RuleService::refresh_waiting(const std::vector<TicketStatus>& statuses) {
  if (statuses.empty()) return {};
  TicketQuery query;
  query.scope = TicketScope::all();
  query.statuses = statuses;
  query.order = TicketOrder::oldest_first;
  query.limit = kBackfillPage;
  for (;;) {
    auto page = store_.tickets(query);
    if (!page) return std::unexpected(page.error());
    std::vector<TicketId> ids;
    for (const auto& t : page->tickets) ids.push_back(t.id);
    if (auto ok = refresh_timers(ids); !ok) return ok;
    if (!page->next) return {};
    query.after = page->next;
  }
}

Result<int> RuleService::follow(int max_events) {
  auto cursor = store_.feed_cursor(kFollower);
  if (!cursor) return std::unexpected(cursor.error());
  // Starting at the newest event, the timers of tickets already waiting are set first.
  auto events = events_to_follow(store_, *cursor, max_events, [&](EventId latest) -> Result<void> {
    if (auto ok = refresh_waiting(rules()->waiting_statuses); !ok) return ok;
    return store_.set_feed_cursor(kFollower, latest);
  });
  if (!events) return std::unexpected(events.error());
  if (events->empty()) return 0;

  const Timestamp now = clock_.now();
  std::vector<TicketId> touched;
  // The events that may trigger rules, by ticket: a ticket's in order, tickets at once.
  std::vector<TicketId> order;
  std::unordered_map<TicketId, std::vector<const Event*>> pending;
  auto flush = [&]() -> Result<void> {
    auto r = rules();
    auto done = for_each_ticket(order.size(), [&](std::size_t i) -> Result<void> {
      for (const Event* e : pending[order[i]]) {
        json::object p = payload_of(*e);
        const auto trigger = trigger_of(e->type);
        const RuleFacts facts{text_at(p, "by"), text_at(p, "kind")};
        for (const Rule* rule : r->triggers) {
          if (std::ranges::find(rule->on, *trigger) == rule->on.end()) continue;
          auto fired = fire(*rule, *e->ticket, *e, facts, now);
          if (!fired && fired.error().code != ErrorCode::not_found)
            return std::unexpected(fired.error());  // the cursor stays: tried again next time
        }
      }
      return {};
    });
    order.clear();
    pending.clear();
    return done;
  };
  for (const Event& e : *events) {
    json::object p = payload_of(e);
    if (e.type == event_type::rule_saved) {
      // Saved here or on another node: the events before it ran on the rules before it; read
      // the rules again; a time-based rule's waiting tickets get their timers.
      if (auto ok = flush(); !ok) return std::unexpected(ok.error());
      if (auto ok = load(); !ok) return std::unexpected(ok.error());
      std::vector<TicketStatus> statuses;
      if (auto* waits = p.if_contains("waits_in"); waits && waits->is_array())
        for (const auto& s : waits->as_array())
          if (s.is_string())
            if (auto status = parse_name<TicketStatus>(s.as_string())) statuses.push_back(*status);
      if (auto ok = refresh_waiting(statuses); !ok) return std::unexpected(ok.error());
      continue;
    }
    if (!e.ticket) continue;
    if (std::ranges::find(touched, *e.ticket) == touched.end()) touched.push_back(*e.ticket);
    if (text_at(p, "by") == "rule") continue;  // rules never trigger rules
    if (!trigger_of(e.type)) continue;
    auto& queue = pending[*e.ticket];
    if (queue.empty()) order.push_back(*e.ticket);
    queue.push_back(&e);
  }
  if (auto ok = flush(); !ok) return std::unexpected(ok.error());
  if (auto ok = refresh_timers(touched); !ok) return std::unexpected(ok.error());
  if (auto ok = store_.set_feed_cursor(kFollower, events->back().id); !ok)
    return std::unexpected(ok.error());
  return static_cast<int>(events->size());
}

Result<int> RuleService::fire_due(Timestamp now, int limit) {
  auto due = store_.rule_timers_due(now, limit);
  if (!due) return std::unexpected(due.error());
  std::vector<TicketId> tickets;
  for (const auto& t : *due)
    if (std::ranges::find(tickets, t.ticket) == tickets.end()) tickets.push_back(t.ticket);
  if (auto ok = for_each_ticket(tickets.size(),
                                [&](std::size_t i) { return fire_timers_of(tickets[i], now); });
      !ok)
    return std::unexpected(ok.error());
  return static_cast<int>(due->size());
}

Result<void> RuleService::fire_timers_of(TicketId id, Timestamp now) {
  auto r = rules();
  auto ticket = store_.ticket(id);
  if (!ticket) return std::unexpected(ticket.error());
  auto events = store_.ticket_events(id);
  if (!events) return std::unexpected(events.error());
  // The timers as the ticket stands now: a stale one (the ticket moved on, the rule changed)
  // does not fire.
  for (const auto& timer : timers_of(*r, *ticket, *events)) {
    if (timer.due_at > now) continue;
    const Rule* rule = r->find(timer.rule);
    auto source = std::ranges::find(*events, timer.anchor, &Event::id);
    if (!rule || source == events->end()) continue;
    if (auto fired = fire(*rule, id, *source, {}, now); !fired)
      return std::unexpected(fired.error());
  }
  return refresh_timers({id}, true);
}

}  // namespace fl
