#include "core/sla.hpp"

#include <algorithm>

namespace fl {

namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;

bool is_line_metric(SlaMetric m) {
  return m == SlaMetric::line_response || m == SlaMetric::line_resolution;
}

std::optional<minutes> target_of(const SlaTargets& t, SlaMetric m) {
  switch (m) {
    case SlaMetric::first_response:
      return t.first_response;
    case SlaMetric::next_response:
      return t.next_response;
    case SlaMetric::resolution:
      return t.resolution;
    default:
      return std::nullopt;
  }
}

// The team's own contract if there is one, else the line's target.
const LineTarget* line_target(const SlaPolicy& policy, int line, TeamId team) {
  const LineTarget* for_line = nullptr;
  for (const auto& t : policy.line_targets) {
    if (t.line != line) continue;
    if (t.team && *t.team == team) return &t;
    if (!t.team && !for_line) for_line = &t;
  }
  return for_line;
}

template <class T>
bool contains(const std::vector<T>& v, const T& x) {
  return v.empty() || std::ranges::find(v, x) != v.end();
}

// The replay's working state: the ticket as the clocks see it, and the clocks.
class Replay {
 public:
  explicit Replay(const SlaPlanLookup& plans) : plans_(plans) {}

  void apply(const SlaMoment& m) {
    advance(m.at);
    if (m.kind == SlaMoment::Kind::created) {
      priority_ = m.priority;
      status_ = m.status;
      line_ = m.line;
      team_ = m.team;
      return;
    }
    if (m.kind == SlaMoment::Kind::policy_applied) {
      apply_policy(m);
      return;
    }
    bool staff_reply = m.kind == SlaMoment::Kind::staff_reply;
    bool staff_action = staff_reply || m.kind == SlaMoment::Kind::staff_note ||
                        (m.kind == SlaMoment::Kind::changed && m.by_staff);
    if (staff_reply) {
      responded_ = true;
      awaiting_reply_ = false;
      stop_all(m.at, {SlaMetric::first_response, SlaMetric::next_response});
    }
    if (staff_action) {
      acted_at_line_ = true;
      stop_all(m.at, {SlaMetric::line_response});
    }
    if (m.priority != priority_) replan(m.priority, m.at);
    if (m.line != line_ || m.team != team_) {
      stop_all(m.at, {SlaMetric::line_response, SlaMetric::line_resolution});
      line_ = m.line;
      team_ = m.team;
      acted_at_line_ = false;
      start_line_clocks(m.at);
    }
    bool was_solved = is_solved(status_);
    status_ = m.status;
    if (!was_solved && is_solved(status_)) {
      // A resolution answers whatever was waiting for an answer.
      responded_ = true;
      awaiting_reply_ = false;
      stop_all(m.at, {SlaMetric::first_response, SlaMetric::next_response,
                      SlaMetric::line_response, SlaMetric::line_resolution});
      hold_resolution(m.at);
    } else if (was_solved && !is_solved(status_)) {
      resume_resolution();
    }
    if (m.kind == SlaMoment::Kind::customer_reply && responded_ && !awaiting_reply_ &&
        !is_solved(status_)) {
      awaiting_reply_ = true;
      ++next_cycle_;
      start(SlaMetric::next_response, m.at, next_cycle_);
    }
  }

  std::vector<SlaClock> finish(Timestamp now) {
    advance(now);
    std::vector<SlaClock> out = std::move(done_);
    for (auto& c : live_) {
      if (!c.stopped_at) {
        bool is_paused = paused(c);
        c.state = c.breached_at ? ClockState::breached
                                : (is_paused ? ClockState::paused : ClockState::running);
        if (is_paused)
          c.due_at.reset();
        else
          c.due_at = due(c, now);
      }
      out.push_back(std::move(c));
    }
    std::ranges::stable_sort(out, [](const SlaClock& a, const SlaClock& b) {
      return a.started_at < b.started_at;
    });
    return out;
  }

 private:
  const BusinessHours& hours() const { return plan_->hours_for(priority_); }

  bool paused(const SlaClock& c) const {
    if (c.stopped_at || !plan_) return true;
    const auto& on = plan_->policy->pause_on;
    if (std::ranges::find(on, status_) == on.end()) return false;
    return !(is_line_metric(c.metric) && status_ == TicketStatus::pending_vendor);
  }

  // Counts business time from the last moment to `to` on every live clock.
  void advance(Timestamp to) {
    if (!started_) {
      started_ = true;
      last_ = to;
      return;
    }
    if (to <= last_ || live_.empty() || !plan_) {
      last_ = std::max(last_, to);
      return;
    }
    const BusinessHours& h = hours();
    milliseconds span = h.between(last_, to);
    for (auto& c : live_) {
      if (c.stopped_at) continue;
      if (paused(c)) {
        c.paused += span;
        continue;
      }
      milliseconds before = c.elapsed;
      c.elapsed += span;
      milliseconds target = c.target;
      if (!c.breached_at && c.elapsed >= target)
        c.breached_at = h.add(last_, target - before).value_or(to);
    }
    last_ = to;
  }

  std::optional<Timestamp> due(const SlaClock& c, Timestamp now) const {
    if (c.breached_at) return c.breached_at;
    return hours().add(now, c.target - c.elapsed);
  }

  void start(SlaMetric metric, Timestamp at, int cycle, std::optional<minutes> target = {}) {
    if (!plan_) return;
    if (!target) target = target_of(targets_for(*plan_->policy, priority_), metric);
    if (!target) return;
    SlaClock c;
    c.metric = metric;
    c.cycle = cycle;
    c.line = line_;
    c.team = team_;
    c.target = *target;
    c.started_at = at;
    c.policy = plan_->policy->id;
    live_.push_back(std::move(c));
  }

  void start_line_clocks(Timestamp at) {
    if (!plan_ || is_solved(status_)) return;
    const LineTarget* t = line_target(*plan_->policy, line_, team_);
    if (!t) return;
    ++line_cycle_;
    if (t->respond && !acted_at_line_) start(SlaMetric::line_response, at, line_cycle_, t->respond);
    if (t->resolve) start(SlaMetric::line_resolution, at, line_cycle_, t->resolve);
  }

  // Met when it stopped within its target, breached otherwise; kept with the due it had.
  void stop(SlaClock& c, Timestamp at) {
    c.due_at = c.breached_at ? c.breached_at : hours().add(at, c.target - c.elapsed);
    c.stopped_at = at;
    c.state = c.breached_at ? ClockState::breached : ClockState::met;
  }

  void stop_all(Timestamp at, std::initializer_list<SlaMetric> metrics) {
    for (auto it = live_.begin(); it != live_.end();) {
      if (std::ranges::find(metrics, it->metric) != metrics.end() && !it->stopped_at) {
        stop(*it, at);
        done_.push_back(std::move(*it));
        it = live_.erase(it);
      } else {
        ++it;
      }
    }
  }

  // The resolution clock stops at a resolution but comes back if the ticket is reopened.
  void hold_resolution(Timestamp at) {
    for (auto& c : live_)
      if (c.metric == SlaMetric::resolution && !c.stopped_at) stop(c, at);
  }
  void resume_resolution() {
    for (auto& c : live_)
      if (c.metric == SlaMetric::resolution && c.stopped_at) {
        c.stopped_at.reset();
        c.state = ClockState::running;
      }
  }

  // Priority changed: the clocks keep their elapsed time and take the new targets; a clock
  // with no target at the new priority ends without a verdict.
  void replan(Priority to, Timestamp at) {
    priority_ = to;
    if (!plan_) return;
    const SlaTargets& targets = targets_for(*plan_->policy, to);
    std::erase_if(live_, [&](SlaClock& c) {
      if (is_line_metric(c.metric)) return false;
      auto target = target_of(targets, c.metric);
      if (!target) return true;
      c.target = *target;
      if (c.elapsed >= c.target) {
        if (!c.breached_at) c.breached_at = at;
      } else {
        c.breached_at.reset();
      }
      return false;
    });
  }

  void apply_policy(const SlaMoment& m) {
    const SlaPlan* plan = m.policy ? plans_(*m.policy, m.policy_version) : nullptr;
    if (!plan) return;
    bool first = plan_ == nullptr;
    plan_ = plan;
    if (!first) {
      // Another policy: running clocks re-planned on its targets; line clocks restart.
      replan(priority_, m.at);
      std::erase_if(live_, [](const SlaClock& c) { return is_line_metric(c.metric); });
      for (auto& c : live_) c.policy = plan_->policy->id;
    }
    auto has = [&](SlaMetric metric) {
      return std::ranges::any_of(live_, [&](const SlaClock& c) { return c.metric == metric; });
    };
    if (!has(SlaMetric::first_response) && (first || !responded_) && !is_solved(status_)) {
      start(SlaMetric::first_response, m.at, 1);
      // Answered before any policy applied (a call that opened the ticket): met at once.
      if (responded_) stop_all(m.at, {SlaMetric::first_response});
    }
    if (!has(SlaMetric::resolution)) {
      start(SlaMetric::resolution, m.at, 1);
      if (is_solved(status_)) hold_resolution(m.at);
    }
    if (awaiting_reply_ && !has(SlaMetric::next_response))
      start(SlaMetric::next_response, m.at, next_cycle_);
    start_line_clocks(m.at);
  }

  const SlaPlanLookup& plans_;
  const SlaPlan* plan_ = nullptr;
  bool started_ = false;
  Timestamp last_{};
  Priority priority_ = Priority::p4;
  TicketStatus status_ = TicketStatus::new_;
  int line_ = 1;
  TeamId team_ = 0;
  bool responded_ = false;
  bool awaiting_reply_ = false;
  bool acted_at_line_ = false;
  int next_cycle_ = 0;
  int line_cycle_ = 0;
  std::vector<SlaClock> live_;
  std::vector<SlaClock> done_;
};

}  // namespace

const SlaTargets& targets_for(const SlaPolicy& policy, Priority priority) {
  return policy.targets[static_cast<std::size_t>(priority) - 1];
}

Result<void> validate(const SlaPolicy& policy) {
  std::vector<FieldError> errors;
  if (policy.name.empty()) errors.push_back({"name", "must not be empty"});
  auto positive = [](const std::optional<minutes>& m) { return !m || *m > minutes{0}; };
  for (const auto& t : policy.targets)
    if (!positive(t.first_response) || !positive(t.next_response) || !positive(t.resolution)) {
      errors.push_back({"targets", "targets must be positive durations"});
      break;
    }
  for (const auto& t : policy.line_targets)
    if (!is_ticket_line(t.line) || !positive(t.respond) || !positive(t.resolve) ||
        (!t.respond && !t.resolve)) {
      errors.push_back({"line_targets", "each needs a line 1-4 and a positive respond or "
                                        "resolve target"});
      break;
    }
  for (const auto& s : policy.ladder) {
    if (s.percent < 1 || s.percent > 1000) {
      errors.push_back({"ladder", "percent must be 1..1000"});
      break;
    }
    if (!s.notify_assignee && !s.notify_supervisor && !s.raise_priority && !s.escalate_to) {
      errors.push_back({"ladder", "a step needs at least one action"});
      break;
    }
    bool has_target =
        is_line_metric(s.metric)
            ? std::ranges::any_of(policy.line_targets,
                                  [&](const LineTarget& t) {
                                    return s.metric == SlaMetric::line_response ? bool(t.respond)
                                                                                : bool(t.resolve);
                                  })
            : std::ranges::any_of(policy.targets, [&](const SlaTargets& t) {
                return bool(target_of(t, s.metric));
              });
    if (!has_target) {
      errors.push_back({"ladder", "step for " + std::string(name_of(s.metric)) +
                                      ", which has no target in this policy"});
      break;
    }
  }
  for (TicketStatus s : policy.pause_on)
    if (s == TicketStatus::new_ || s == TicketStatus::open || is_solved(s)) {
      errors.push_back({"pause_on", "only pending_customer and pending_vendor can pause"});
      break;
    }
  if (!errors.empty()) return invalid_fields(std::move(errors));
  return {};
}

bool applies(const SlaCondition& c, const SlaSubject& s) {
  if (!c.organizations.empty() &&
      (!s.organization || std::ranges::find(c.organizations, *s.organization) == c.organizations.end()))
    return false;
  return contains(c.priorities, s.priority) && contains(c.categories, s.category) &&
         contains(c.channels, s.channel);
}

const SlaPolicy* select_policy(const std::vector<SlaPolicy>& policies, const SlaSubject& subject) {
  const SlaPolicy* best = nullptr;
  for (const auto& p : policies) {
    if (!p.active || !applies(p.applies_to, subject)) continue;
    if (!best || p.rank < best->rank || (p.rank == best->rank && p.id < best->id)) best = &p;
  }
  return best;
}

const BusinessHours& SlaPlan::hours_for(Priority p) const {
  const BusinessHours* h = hours_by_priority[static_cast<std::size_t>(p) - 1];
  return h ? *h : *hours;
}

double SlaClock::percent_used() const {
  if (target.count() <= 0) return 0;
  return 100.0 * static_cast<double>(elapsed.count()) /
         static_cast<double>(std::chrono::duration_cast<milliseconds>(target).count());
}

std::vector<SlaClock> replay(const std::vector<SlaMoment>& moments, const SlaPlanLookup& plans,
                             Timestamp now) {
  Replay r(plans);
  for (const auto& m : moments) r.apply(m);
  return r.finish(now);
}

std::optional<Timestamp> when_reaches(const SlaClock& clock, int percent,
                                      const BusinessHours& hours, Timestamp now) {
  if (clock.stopped_at || clock.state == ClockState::paused) return std::nullopt;
  auto threshold = std::chrono::duration_cast<milliseconds>(clock.target) * percent / 100;
  if (clock.elapsed >= threshold) return std::nullopt;
  return hours.add(now, threshold - clock.elapsed);
}

}  // namespace fl
