// SLA policies and their clocks. A policy sets targets per priority (first response, next
// response after each customer reply, resolution), optionally per line (an operational-level
// target for the team holding the ticket) and per vendor team (an underpinning contract at
// line 4), on a business calendar. A ticket's clocks are a pure function of its history:
// replay() walks the ticket's SLA moments (built from its events) and yields every clock's
// target, due time, elapsed and paused business time and state, so the same history always
// gives the same clocks, and a restart or a re-plan loses nothing.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/business_calendar.hpp"
#include "core/directory.hpp"
#include "core/error.hpp"
#include "core/names.hpp"
#include "core/priority.hpp"
#include "core/ticket.hpp"

namespace fl {

using SlaPolicyId = std::int64_t;

enum class SlaMetric { first_response, next_response, resolution, line_response, line_resolution };
template <>
struct EnumNames<SlaMetric> {
  static constexpr std::array<std::pair<SlaMetric, std::string_view>, 5> table{{
      {SlaMetric::first_response, "first_response"},
      {SlaMetric::next_response, "next_response"},
      {SlaMetric::resolution, "resolution"},
      {SlaMetric::line_response, "line_response"},
      {SlaMetric::line_resolution, "line_resolution"},
  }};
};

enum class ClockState { running, paused, met, breached };
template <>
struct EnumNames<ClockState> {
  static constexpr std::array<std::pair<ClockState, std::string_view>, 4> table{{
      {ClockState::running, "running"},
      {ClockState::paused, "paused"},
      {ClockState::met, "met"},
      {ClockState::breached, "breached"},
  }};
};

// Business time allowed, per priority; an empty target means no clock for that metric.
struct SlaTargets {
  std::optional<std::chrono::minutes> first_response;
  std::optional<std::chrono::minutes> next_response;
  std::optional<std::chrono::minutes> resolution;
  // The calendar these targets run on, when not the policy's (e.g. 24/7 for P1).
  std::optional<CalendarId> calendar;
  friend bool operator==(const SlaTargets&, const SlaTargets&) = default;
};

// The team holding the ticket at `line` must act (respond: the first reply, note, call or
// status change by staff after the ticket arrived) and/or hand it on (resolve: the ticket is
// resolved or leaves the line) within the targets. With `team`, a contract with that team
// (typically a vendor at line 4) that replaces the line's target for it.
struct LineTarget {
  int line = 2;
  std::optional<TeamId> team;
  std::optional<std::chrono::minutes> respond;
  std::optional<std::chrono::minutes> resolve;
  friend bool operator==(const LineTarget&, const LineTarget&) = default;
};

// One rung of an escalation ladder: when a clock of `metric` reaches `percent` of its target
// (100 = the breach), each set action happens once per clock.
struct LadderStep {
  SlaMetric metric = SlaMetric::resolution;
  int percent = 100;
  bool notify_assignee = false;
  bool notify_supervisor = false;  // the supervisors of the team holding the ticket
  bool raise_priority = false;     // one level, not above P1
  std::optional<TeamId> escalate_to;  // a team of a higher line; reason sla_risk
  friend bool operator==(const LadderStep&, const LadderStep&) = default;
};

// Which tickets a policy is for: every listed condition must match (an empty list matches
// anything). Policies are tried by rank, lowest first; the first match applies.
struct SlaCondition {
  std::vector<OrganizationId> organizations;
  std::vector<Priority> priorities;
  std::vector<std::string> categories;
  std::vector<Channel> channels;
  friend bool operator==(const SlaCondition&, const SlaCondition&) = default;
};

struct SlaPolicy {
  SlaPolicyId id = 0;
  std::string name;
  int rank = 100;
  SlaCondition applies_to;
  CalendarId calendar = 0;
  std::array<SlaTargets, 4> targets;  // index 0 = P1 ... 3 = P4
  std::vector<LineTarget> line_targets;
  // Statuses that stop the clocks (line clocks keep running while a vendor is waited on:
  // the vendor's contract clock is the one that must run then).
  std::vector<TicketStatus> pause_on{TicketStatus::pending_customer, TicketStatus::pending_vendor};
  std::vector<LadderStep> ladder;
  bool active = true;
  std::int64_t version = 0;
};

[[nodiscard]] const SlaTargets& targets_for(const SlaPolicy& policy, Priority priority);
// Names the field of the first problem: targets positive, lines 1..4, steps 1..1000 %, a
// ladder step's metric has some target, a name.
[[nodiscard]] Result<void> validate(const SlaPolicy& policy);

// What selection looks at.
struct SlaSubject {
  std::optional<OrganizationId> organization;
  Priority priority = Priority::p4;
  std::string category;
  Channel channel = Channel::web;
};
[[nodiscard]] bool applies(const SlaCondition& condition, const SlaSubject& subject);
// The active policy of lowest rank (then lowest id) that applies; nullptr if none.
[[nodiscard]] const SlaPolicy* select_policy(const std::vector<SlaPolicy>& policies,
                                             const SlaSubject& subject);

// A policy bound to its calendars: what replay() needs.
struct SlaPlan {
  const SlaPolicy* policy = nullptr;
  const BusinessHours* hours = nullptr;  // the policy's calendar
  std::array<const BusinessHours*, 4> hours_by_priority{};  // overrides; null: `hours`
  [[nodiscard]] const BusinessHours& hours_for(Priority p) const;
};

// What happened to a ticket, as far as its clocks care, with the ticket as it was after it.
struct SlaMoment {
  enum class Kind {
    created,         // the clocks start
    changed,         // fields or status changed (by anyone, or the system)
    staff_reply,     // a public reply or a call by staff: a response
    staff_note,      // an internal note by staff: an action at the line, not a response
    customer_reply,  // the requester (or another customer) wrote: next response is due
    policy_applied,  // `policy` now applies (selected at creation or after a change)
  };
  Timestamp at{};
  Kind kind = Kind::changed;
  bool by_staff = false;  // for `changed`: a status change by staff is an action at the line
  Priority priority = Priority::p4;
  TicketStatus status = TicketStatus::new_;
  int line = 1;
  TeamId team = 0;
  std::optional<SlaPolicyId> policy;  // for policy_applied
  std::int64_t policy_version = 0;
};

struct SlaClock {
  SlaMetric metric = SlaMetric::resolution;
  int cycle = 1;  // next_response: the n-th customer reply; line clocks: the n-th arrival
  int line = 1;   // line clocks: the line (and team) they measure
  TeamId team = 0;
  std::chrono::minutes target{0};
  Timestamp started_at{};
  // Running: when the target is reached if nothing pauses it. Paused: empty. Stopped: the due
  // time it had when it stopped.
  std::optional<Timestamp> due_at;
  std::chrono::milliseconds elapsed{0};  // business time counted
  std::chrono::milliseconds paused{0};   // business time that passed while it was paused
  ClockState state = ClockState::running;
  std::optional<Timestamp> stopped_at;   // met or stopped after the breach
  std::optional<Timestamp> breached_at;  // when elapsed reached the target
  SlaPolicyId policy = 0;
  // Share of the target used, in percent (can exceed 100).
  [[nodiscard]] double percent_used() const;
};

// Finds the plan of a policy version; nullptr when unknown (the moment is then ignored).
using SlaPlanLookup = std::function<const SlaPlan*(SlaPolicyId, std::int64_t version)>;

// Every clock of a ticket at `now`, in order of start. Moments must be in time order; the
// first is `created`. Deterministic: the same moments, plans and `now` give the same clocks.
[[nodiscard]] std::vector<SlaClock> replay(const std::vector<SlaMoment>& moments,
                                           const SlaPlanLookup& plans, Timestamp now);

// The instant a running clock reaches `percent` of its target, if it keeps running; nullopt
// for a clock that is not running or already past that share.
[[nodiscard]] std::optional<Timestamp> when_reaches(const SlaClock& clock, int percent,
                                                    const BusinessHours& hours, Timestamp now);

}  // namespace fl
