#include "app/sla_service.hpp"

#include <date/tz.h>

#include <algorithm>
#include <atomic>
#include <iterator>
#include <thread>

#include <boost/json.hpp>

#include "app/access.hpp"
#include "app/staff.hpp"
#include "app/assignment.hpp"
#include "app/event_json.hpp"
#include "app/sla_codec.hpp"
#include "core/escalation.hpp"

namespace fl {

namespace json = boost::json;

// Tickets checked at once by check_due(): enough for the store to group their commits.
constexpr std::size_t kConcurrentChecks = 16;

// What the service derives from the store's documents; replaced whole on every save.
struct SlaService::Registry {
  std::vector<BusinessCalendar> calendars;
  std::map<CalendarId, BusinessHours> hours;
  std::vector<SlaPolicy> policies;  // current versions
};

// One policy version bound to the calendars of a registry (which it keeps alive).
struct SlaService::PlanEntry {
  std::shared_ptr<const Registry> registry;
  SlaPolicy policy;
  SlaPlan plan;
};

namespace {

const date::time_zone* zone_named(const std::string& name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

// A stored policy version as the domain sees it (its id and version are the document's).
Result<SlaPolicy> policy_of(const ConfigDocument& doc) {
  auto p = decode_policy(doc.body);
  if (!p) return p;
  p->id = doc.id;
  p->version = doc.version;
  return p;
}

}  // namespace

int at_risk_percent(const SlaPolicy& policy, SlaMetric metric) {
  int share = 100;
  for (const auto& step : policy.ladder)
    if (step.metric == metric && step.percent < share) share = step.percent;
  return share < 100 ? share : 75;
}

SlaService::SlaService(Store& store, const Clock& clock)
    : store_(store), clock_(clock), registry_(std::make_shared<Registry>()) {}

SlaService::~SlaService() = default;

Result<void> SlaService::load() { return rebuild(); }

std::shared_ptr<const SlaService::Registry> SlaService::registry() const {
  std::lock_guard lock(mutex_);
  return registry_;
}

Result<void> SlaService::rebuild() {
  auto calendars = store_.calendars();
  if (!calendars) return std::unexpected(calendars.error());
  auto policies = store_.sla_policies();
  if (!policies) return std::unexpected(policies.error());
  auto r = std::make_shared<Registry>();
  for (const auto& doc : *calendars) {
    auto c = decode_calendar(doc.body);
    if (!c) continue;  // written by this code after validation: cannot happen short of tampering
    c->id = doc.id;
    c->version = doc.version;
    if (const auto* zone = zone_named(c->time_zone)) r->hours.emplace(c->id, BusinessHours(*c, zone));
    r->calendars.push_back(std::move(*c));
  }
  for (const auto& doc : *policies)
    if (auto p = policy_of(doc)) r->policies.push_back(std::move(*p));
  std::lock_guard lock(mutex_);
  registry_ = std::move(r);
  plans_.clear();  // they point at the old calendars
  return {};
}

Result<std::shared_ptr<const SlaService::PlanEntry>> SlaService::plan(
    const std::shared_ptr<const Registry>& registry, SlaPolicyId id, std::int64_t version) {
  const Registry& r = *registry;
  {
    std::lock_guard lock(mutex_);
    if (auto it = plans_.find({id, version});
        it != plans_.end() && it->second->registry == registry)
      return it->second;
  }
  std::optional<SlaPolicy> policy;
  for (const auto& p : r.policies)
    if (p.id == id && p.version == version) policy = p;
  if (!policy) {
    auto doc = store_.sla_policy_version(id, version);
    if (!doc) {
      if (doc.error().code == ErrorCode::not_found) return std::shared_ptr<const PlanEntry>();
      return std::unexpected(doc.error());
    }
    auto decoded = policy_of(*doc);
    if (!decoded) return std::shared_ptr<const PlanEntry>();
    policy = std::move(*decoded);
  }
  auto hours_of = [&](CalendarId c) -> const BusinessHours* {
    auto it = r.hours.find(c);
    return it == r.hours.end() ? nullptr : &it->second;
  };
  auto entry = std::make_shared<PlanEntry>();
  entry->registry = registry;
  entry->policy = std::move(*policy);
  entry->plan.policy = &entry->policy;
  entry->plan.hours = hours_of(entry->policy.calendar);
  for (std::size_t i = 0; i < entry->policy.targets.size(); ++i)
    if (auto c = entry->policy.targets[i].calendar) entry->plan.hours_by_priority[i] = hours_of(*c);
  if (!entry->plan.hours) return std::shared_ptr<const PlanEntry>();  // its calendar is gone
  std::lock_guard lock(mutex_);
  if (registry_ == registry) plans_[{id, version}] = entry;
  return std::shared_ptr<const PlanEntry>(entry);
}

Result<SlaPlanLookup> SlaService::lookup_for(const std::shared_ptr<const Registry>& r,
                                             const std::vector<SlaMoment>& moments,
                                             std::vector<std::shared_ptr<const PlanEntry>>& keep) {
  std::map<std::pair<SlaPolicyId, std::int64_t>, const SlaPlan*> found;
  for (const auto& m : moments) {
    if (m.kind != SlaMoment::Kind::policy_applied || !m.policy) continue;
    auto key = std::make_pair(*m.policy, m.policy_version);
    if (found.contains(key)) continue;
    auto entry = plan(r, key.first, key.second);
    if (!entry) return std::unexpected(entry.error());
    found[key] = *entry ? &(*entry)->plan : nullptr;
    keep.push_back(std::move(*entry));
  }
  return [found = std::move(found)](SlaPolicyId id, std::int64_t version) -> const SlaPlan* {
    auto it = found.find({id, version});
    return it == found.end() ? nullptr : it->second;
  };
}

bool SlaService::is_staff(UserId id) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = staff_.find(id); it != staff_.end()) return it->second;
  }
  auto user = store_.user(id);
  bool staff = user && user->role != Role::customer;
  std::lock_guard lock(mutex_);
  if (user) staff_[id] = staff;  // roles are not expected to change between staff and customer
  return staff;
}

TicketSla SlaService::evaluate(const std::vector<SlaMoment>& moments,
                               const std::set<SlaMark>& marks, const SlaPlanLookup& lookup,
                               const std::optional<SlaPolicyId>& policy, std::int64_t version,
                               Timestamp now) {
  TicketSla out;
  const SlaPlan* current = policy ? lookup(*policy, version) : nullptr;
  if (!current || moments.empty()) return out;
  out.policy = *current->policy;
  const BusinessHours& hours = current->hours_for(moments.back().priority);
  auto earliest = [&](std::optional<Timestamp> t) {
    if (t && (!out.next_check || *t < *out.next_check)) out.next_check = t;
  };
  bool breached = false, running = false, paused = false;
  auto earlier = [](std::optional<Timestamp>& slot, Timestamp t) {
    if (!slot || t < *slot) slot = t;
  };
  for (auto& clock : replay(moments, lookup, now)) {
    // The queue's view: a clock that has not stopped is breached, counting (it has a due
    // time) or paused (none).
    if (!clock.stopped_at) {
      breached |= clock.breached_at.has_value();
      if (clock.due_at) {
        earlier(out.due_at, *clock.due_at);
        if (!clock.breached_at) {
          running = true;
          int share = at_risk_percent(*current->policy, clock.metric);
          earlier(out.warn_at, clock.percent_used() >= share
                                   ? now
                                   : when_reaches(clock, share, hours, now).value_or(now));
        }
      } else if (!clock.breached_at) {
        paused = true;
      }
    }
    TicketClock tc{clock, {}};
    bool live = !clock.stopped_at && clock.state != ClockState::paused;
    for (const auto& step : current->policy->ladder) {
      if (step.metric != clock.metric || marks.contains({clock.metric, clock.cycle, step.percent, false}))
        continue;
      if (clock.stopped_at) continue;  // a stopped clock's steps will never fire
      UpcomingStep up{step, when_reaches(clock, step.percent, hours, now)};
      if (live) earliest(up.due_at ? up.due_at : std::optional<Timestamp>(now));
      tc.upcoming.push_back(std::move(up));
    }
    if (live && !marks.contains({clock.metric, clock.cycle, 100, true}))
      earliest(clock.breached_at ? now : when_reaches(clock, 100, hours, now).value_or(now));
    out.clocks.push_back(std::move(tc));
  }
  out.state = breached  ? SlaState::breached
              : running ? SlaState::running
              : paused  ? SlaState::paused
                        : SlaState::none;
  return out;
}

Result<void> SlaService::prepare(TicketChange& change, const std::vector<Event>& history,
                                 Timestamp now) {
  Ticket& t = change.ticket;
  auto r = registry();
  SlaSubject subject{t.organization, t.priority, t.category, t.channel};
  if (const SlaPolicy* chosen = select_policy(r->policies, subject);
      chosen && (t.sla_policy != chosen->id || t.sla_policy_version != chosen->version)) {
    change.new_events.push_back(event_with(
        event_type::sla_policy_applied, now,
        {{"policy", chosen->id}, {"version", chosen->version}, {"name", chosen->name}}));
    t.sla_policy = chosen->id;
    t.sla_policy_version = chosen->version;
  }
  if (!t.sla_policy) {
    t.sla_check_at.reset();
    t.sla_due_at.reset();
    t.sla_warn_at.reset();
    t.sla_state = SlaState::none;
    return {};
  }
  std::vector<Event> all = history;
  all.insert(all.end(), change.new_events.begin(), change.new_events.end());
  auto sla = clocks_of(r, all, sla_marks(all), t, now);
  if (!sla) return std::unexpected(sla.error());
  t.sla_check_at = sla->next_check;
  t.sla_due_at = sla->due_at;
  t.sla_warn_at = sla->warn_at;
  t.sla_state = sla->state;
  return {};
}

Result<TicketSla> SlaService::clocks_of(const std::shared_ptr<const Registry>& r,
                                        const std::vector<Event>& events,
                                        const std::set<SlaMark>& marks, const Ticket& t,
                                        Timestamp now) {
  return clocks_of(r, sla_moments(events, [this](UserId u) { return is_staff(u); }), marks, t, now);
}

Result<TicketSla> SlaService::clocks_of(const std::shared_ptr<const Registry>& r,
                                        const std::vector<SlaMoment>& moments,
                                        const std::set<SlaMark>& marks, const Ticket& t,
                                        Timestamp now) {
  std::vector<std::shared_ptr<const PlanEntry>> keep;  // the plans the lookup points into
  auto lookup = lookup_for(r, moments, keep);
  if (!lookup) return std::unexpected(lookup.error());
  return evaluate(moments, marks, *lookup, t.sla_policy, t.sla_policy_version, now);
}

Result<std::vector<SlaClockFact>> SlaService::clock_facts(const Ticket& t) {
  std::vector<SlaClockFact> out;
  if (!t.sla_policy) return out;
  auto events = store_.ticket_events(t.id);
  if (!events) return std::unexpected(events.error());
  const Timestamp now = clock_.now();
  auto moments = sla_moments(*events, [this](UserId u) { return is_staff(u); });
  // No marks: they only decide the upcoming steps, which the facts do not keep (and reading
  // them parses every event again, on the follower's hot path).
  auto sla = clocks_of(registry(), moments, {}, t, now);
  if (!sla) return std::unexpected(sla.error());
  out.reserve(sla->clocks.size());
  for (auto& tc : sla->clocks) {
    // The priority as the replay saw it at the stop: the last moment at or before it.
    const Timestamp at = tc.clock.stopped_at.value_or(now);
    auto after = std::ranges::upper_bound(moments, at, {}, &SlaMoment::at);
    const Priority priority = after == moments.begin() ? t.priority : std::prev(after)->priority;
    out.push_back({.ticket = t.id, .priority = priority, .clock = std::move(tc.clock)});
  }
  return out;
}

Result<TicketSla> SlaService::ticket_sla(const Actor& actor, TicketId id) {
  auto t = store_.ticket(id);
  if (!t) return std::unexpected(t.error());
  if (!may(actor, TicketAction::view, *t))
    return fail(ErrorCode::not_found, "no ticket " + std::to_string(id));
  if (!actor.is_staff()) return fail(ErrorCode::permission_denied, "SLA clocks are for staff");
  auto events = store_.ticket_events(id);
  if (!events) return std::unexpected(events.error());
  return clocks_of(registry(), *events, sla_marks(*events), *t, clock_.now());
}

namespace {

std::string utc_text(Timestamp t) {
  return date::format("%F %R UTC", date::floor<std::chrono::minutes>(t));
}

std::string duration_text(std::chrono::minutes m) {
  auto h = m.count() / 60, rest = m.count() % 60;
  if (h == 0) return std::to_string(rest) + " min";
  return std::to_string(h) + " h" + (rest ? " " + std::to_string(rest) + " min" : "");
}

// Raises the priority one level through urgency, then impact (priority is always derived
// from the two). False when the ticket is already P1.
bool raise_priority(Ticket& t, json::object& changes) {
  const int impact = t.impact, urgency = t.urgency;
  for (int* level : {&t.urgency, &t.impact}) {
    while (*level > kHighestLevel) {
      --*level;
      Priority p = priority_for(t.impact, t.urgency);
      if (p == t.priority) continue;
      if (t.urgency != urgency) changes["urgency"] = json::object{{"from", urgency}, {"to", t.urgency}};
      if (t.impact != impact) changes["impact"] = json::object{{"from", impact}, {"to", t.impact}};
      changes["priority"] = json::object{{"from", name_of(t.priority)}, {"to", name_of(p)}};
      t.priority = p;
      return true;
    }
  }
  return false;
}

// What the receiving team needs to know when the ladder escalates: which target is at risk
// and how far the ticket got.
std::string handoff_note(const Ticket& t, const SlaPolicy& policy, const SlaClock& c,
                         const std::vector<Entry>& entries) {
  std::string note = "Automatic escalation (SLA risk): the " + std::string(name_of(c.metric)) +
                     " target of " + duration_text(c.target) + " in policy '" + policy.name +
                     "' is " + std::to_string(static_cast<int>(c.percent_used())) + " % used";
  if (c.breached_at) note += " (breached " + utc_text(*c.breached_at) + ")";
  note += ". Priority " + std::string(name_of(t.priority)) + ", " +
          std::string(name_of(t.status)) + ", at line " + std::to_string(t.line) + ".";
  int replies = 0, notes = 0, calls = 0;
  const Entry* last = nullptr;
  for (const auto& e : entries) {
    replies += e.kind == EntryKind::reply;
    notes += e.kind == EntryKind::note;
    calls += e.kind == EntryKind::call;
    if (e.kind == EntryKind::note || e.kind == EntryKind::reply) last = &e;
  }
  note += " So far " + std::to_string(replies) + " replies, " + std::to_string(notes) +
          " notes, " + std::to_string(calls) + " calls.";
  if (last) {
    std::string excerpt = last->body.substr(0, 300);
    note += " Last entry: \"" + excerpt + (last->body.size() > 300 ? "…" : "") + "\"";
  }
  return note;
}

}  // namespace

Result<int> SlaService::check_due(Timestamp now, int limit) {
  auto due = store_.tickets_due_for_sla(now, limit);
  if (!due) return std::unexpected(due.error());
  // Each ticket is its own commit; checked one after another, every commit would wait for
  // its own fsync. Several at once let the store group them into one (measured with
  // bench/sla/sla_tick: one at a time, ~400 us per ticket, almost all of it the fsync).
  std::atomic<std::size_t> next{0};
  std::mutex failed_mutex;
  std::optional<Error> failed;
  auto work = [&] {
    for (std::size_t i = next++; i < due->size(); i = next++) {
      if (auto ok = check_ticket((*due)[i], now); !ok) {
        std::lock_guard lock(failed_mutex);
        if (!failed) failed = ok.error();
      }
    }
  };
  std::size_t threads = std::min<std::size_t>(kConcurrentChecks, due->size());
  {
    std::vector<std::jthread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
  }
  if (failed) return std::unexpected(*failed);
  return static_cast<int>(due->size());
}

Result<void> SlaService::check_ticket(TicketId id, Timestamp now) {
  for (int attempt = 1;; ++attempt) {
    auto t = store_.ticket(id);
    if (!t) return std::unexpected(t.error());
    auto events = store_.ticket_events(id);
    if (!events) return std::unexpected(events.error());
    auto marks = sla_marks(*events);
    auto clocks = clocks_of(registry(), *events, marks, *t, now);
    if (!clocks) return std::unexpected(clocks.error());
    const TicketSla& sla = *clocks;

    TicketChange change;
    change.ticket = *t;
    Ticket& ticket = change.ticket;
    json::object changes;
    std::optional<TicketMove> move;
    auto record = [&](std::string_view type, json::object payload) {
      payload["by"] = "system";
      change.new_events.push_back(event_with(type, now, std::move(payload)));
    };
    for (const auto& tc : sla.clocks) {
      const SlaClock& c = tc.clock;
      if (c.stopped_at) continue;
      json::object clock_id{{"metric", name_of(c.metric)}, {"cycle", c.cycle}};
      if (c.breached_at && !marks.contains({c.metric, c.cycle, 100, true})) {
        json::object p = clock_id;
        p["percent"] = 100;
        p["target_minutes"] = c.target.count();
        p["breached_at"] = utc_text(*c.breached_at);
        record(event_type::sla_breached, std::move(p));
      }
      for (const auto& up : tc.upcoming) {
        const LadderStep& step = up.step;
        if (c.percent_used() < step.percent) continue;
        json::object p = clock_id;
        p["percent"] = step.percent;
        json::array notify;
        if (step.notify_assignee && ticket.assignee) notify.push_back(*ticket.assignee);
        if (step.notify_supervisor)
          for (UserId u : supervisors_of(store_, ticket.team)) notify.push_back(u);
        p["notify"] = std::move(notify);
        if (step.raise_priority) p["priority_raised"] = raise_priority(ticket, changes);
        if (step.escalate_to && !move) {
          auto team = store_.team(*step.escalate_to);
          auto entries = store_.entries(id);
          Result<TicketMove> planned =
              team && entries
                  ? plan_escalation(ticket, team->line, *team, EscalationReason::sla_risk,
                                    handoff_note(ticket, *sla.policy, c, *entries))
                  : fail(ErrorCode::not_found, "no team " + std::to_string(*step.escalate_to));
          if (planned) {
            move = *planned;
            p["escalated_to_team"] = *step.escalate_to;
          } else {
            p["escalation_skipped"] = planned.error().message;
          }
        }
        record(event_type::sla_step_fired, std::move(p));
      }
    }
    if (!changes.empty()) {
      record(event_type::ticket_updated, {{"changes", std::move(changes)}});
    }
    if (move) {
      apply_move(ticket, *move);
      json::object p{{"from_line", move->from_line}, {"from_team", move->from_team},
                     {"to_line", move->to_line},     {"to_team", move->to_team},
                     {"note", move->note},           {"reason", name_of(EscalationReason::sla_risk)}};
      record(event_type::escalated, std::move(p));
      if (auto ok = assign_automatically(store_, change, now); !ok)
        return std::unexpected(ok.error());
    }
    if (!change.new_events.empty()) ticket.updated_at = now;
    if (auto ok = prepare(change, *events, now); !ok) return std::unexpected(ok.error());
    const bool queue_view_stands = ticket.sla_due_at == t->sla_due_at &&
                                   ticket.sla_warn_at == t->sla_warn_at &&
                                   ticket.sla_state == t->sla_state;
    if (change.new_events.empty() && ticket.sla_check_at == t->sla_check_at && queue_view_stands) {
      // Nothing fired and the check time stands (checked early): look again then, but never
      // in a loop at `now`.
      if (!ticket.sla_check_at || *ticket.sla_check_at > now) return {};
      ticket.sla_check_at = now + std::chrono::minutes{1};
    }
    auto committed = store_.commit(change);
    if (committed) return {};
    if (committed.error().code != ErrorCode::conflict || attempt == 3)
      return std::unexpected(committed.error());
  }
}

std::optional<Timestamp> SlaService::business_time_after(CalendarId calendar, Timestamp start,
                                                         std::chrono::milliseconds amount) const {
  auto r = registry();
  auto it = r->hours.find(calendar);
  if (it == r->hours.end()) return std::nullopt;
  return it->second.add(start, amount);
}

bool SlaService::has_calendar(CalendarId calendar) const {
  return registry()->hours.contains(calendar);
}

std::optional<bool> SlaService::is_open(CalendarId calendar, Timestamp at) const {
  auto r = registry();
  auto it = r->hours.find(calendar);
  if (it == r->hours.end()) return std::nullopt;
  return it->second.is_open(at);
}

std::optional<CalendarId> SlaService::calendar_named(std::string_view name) const {
  for (const auto& c : registry()->calendars)
    if (c.name == name) return c.id;
  return std::nullopt;
}

Result<std::vector<BusinessCalendar>> SlaService::calendars(const Actor& actor) {
  if (!may_read_sla_settings(actor))
    return fail(ErrorCode::permission_denied, "you may not read SLA settings");
  return registry()->calendars;
}

Result<BusinessCalendar> SlaService::calendar(const Actor& actor, CalendarId id) {
  auto all = calendars(actor);
  if (!all) return std::unexpected(all.error());
  for (auto& c : *all)
    if (c.id == id) return c;
  return fail(ErrorCode::not_found, "no calendar " + std::to_string(id));
}

Result<BusinessCalendar> SlaService::save_calendar(const Actor& actor, BusinessCalendar c) {
  if (!may_manage_sla_settings(actor))
    return fail(ErrorCode::permission_denied, "only admins change SLA settings");
  if (auto ok = validate(c); !ok) return std::unexpected(ok.error());
  if (!zone_named(c.time_zone))
    return invalid_field("time_zone", "unknown time zone '" + c.time_zone + "' (IANA names, e.g. Europe/Berlin)");
  Timestamp now = clock_.now();
  ConfigDocument doc{c.id, c.name, c.version, encode_calendar(c), now};
  auto saved = store_.save_calendar(
      doc, event_with(event_type::sla_calendar_saved, now, {{"name", c.name}}, actor.user.id));
  if (!saved) return std::unexpected(saved.error());
  c.id = saved->id;
  c.version = saved->version;
  if (auto ok = rebuild(); !ok) return std::unexpected(ok.error());
  return c;
}

Result<std::vector<SlaPolicy>> SlaService::policies(const Actor& actor) {
  if (!may_read_sla_settings(actor))
    return fail(ErrorCode::permission_denied, "you may not read SLA settings");
  return registry()->policies;
}

Result<SlaPolicy> SlaService::policy(const Actor& actor, SlaPolicyId id,
                                     std::optional<std::int64_t> version) {
  auto all = policies(actor);
  if (!all) return std::unexpected(all.error());
  for (auto& p : *all) {
    if (p.id != id) continue;
    if (!version || *version == p.version) return p;
    auto doc = store_.sla_policy_version(id, *version);
    if (!doc) return std::unexpected(doc.error());
    return policy_of(*doc);
  }
  return fail(ErrorCode::not_found, "no SLA policy " + std::to_string(id));
}

Result<SlaPolicy> SlaService::save_policy(const Actor& actor, SlaPolicy p) {
  if (!may_manage_sla_settings(actor))
    return fail(ErrorCode::permission_denied, "only admins change SLA settings");
  if (auto ok = validate(p); !ok) return std::unexpected(ok.error());
  auto r = registry();
  std::vector<FieldError> errors;
  if (!r->hours.contains(p.calendar))
    errors.push_back({"calendar_id", "no calendar " + std::to_string(p.calendar)});
  for (const auto& [priority, name] : EnumNames<Priority>::table)
    if (auto c = targets_for(p, priority).calendar; c && !r->hours.contains(*c))
      errors.push_back({"targets." + std::string(name) + ".calendar_id",
                        "no calendar " + std::to_string(*c)});
  for (const auto& step : p.ladder)
    if (step.escalate_to && !store_.team(*step.escalate_to))
      errors.push_back({"ladder", "no team " + std::to_string(*step.escalate_to)});
  for (const auto& t : p.line_targets)
    if (t.team && !store_.team(*t.team))
      errors.push_back({"line_targets", "no team " + std::to_string(*t.team)});
  for (OrganizationId o : p.applies_to.organizations)
    if (!store_.organization(o))
      errors.push_back({"applies_to.organizations", "no organisation " + std::to_string(o)});
  if (!errors.empty()) return invalid_fields(std::move(errors));
  Timestamp now = clock_.now();
  ConfigDocument doc{p.id, p.name, p.version, encode_policy(p), now};
  auto saved = store_.save_sla_policy(
      doc, event_with(event_type::sla_policy_saved, now, {{"name", p.name}}, actor.user.id));
  if (!saved) return std::unexpected(saved.error());
  p.id = saved->id;
  p.version = saved->version;
  if (auto ok = rebuild(); !ok) return std::unexpected(ok.error());
  return p;
}

}  // namespace fl
