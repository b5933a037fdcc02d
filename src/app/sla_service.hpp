// SLA use cases: business calendars and policies (admins keep them; staff read them), the
// policy and the next check time a ticket change brings (prepare(), called by TicketService
// before every ticket commit, so both are in the same transaction as the change), and a
// ticket's clocks as they stand. Clocks are never stored: they are replayed from the ticket's
// events (app/sla_history.hpp, core/sla.hpp).
//
// Policies are versioned: a ticket's clocks run on the version named by its last
// sla.policy_applied event; an edited policy reaches a ticket the next time the ticket
// changes. A ticket keeps its policy when no policy applies any more. Calendars have no
// versions: a new holiday reaches every ticket at once.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "app/sla_history.hpp"
#include "core/business_calendar.hpp"
#include "core/report_facts.hpp"
#include "core/sla.hpp"
#include "store/store.hpp"

namespace fl {

// A ladder step not yet fired, and when it falls due if the clock keeps running (empty:
// the clock is paused or stopped, or the share is already reached).
struct UpcomingStep {
  LadderStep step;
  std::optional<Timestamp> due_at;
};

struct TicketClock {
  SlaClock clock;
  std::vector<UpcomingStep> upcoming;  // this clock's unfired steps
};

struct TicketSla {
  std::optional<SlaPolicy> policy;  // the version the clocks run on
  std::vector<TicketClock> clocks;
  std::optional<Timestamp> next_check;
  // What queues sort and filter by (Ticket::sla_due_at, sla_warn_at, sla_state).
  std::optional<Timestamp> due_at;
  std::optional<Timestamp> warn_at;
  SlaState state = SlaState::none;
};

// The share of a clock's target from which it is at risk: the policy's lowest ladder step
// below 100 % for the clock's metric, else 75 %.
[[nodiscard]] int at_risk_percent(const SlaPolicy& policy, SlaMetric metric);

class SlaService {
 public:
  SlaService(Store& store, const Clock& clock);
  ~SlaService();

  // Reads calendars and policies from the store (call once before use; saves refresh it).
  Result<void> load();

  Result<std::vector<BusinessCalendar>> calendars(const Actor& actor);
  Result<BusinessCalendar> calendar(const Actor& actor, CalendarId id);
  // New when calendar.id is 0; else calendar.version must be the stored one (conflict).
  Result<BusinessCalendar> save_calendar(const Actor& actor, BusinessCalendar calendar);

  Result<std::vector<SlaPolicy>> policies(const Actor& actor);
  Result<SlaPolicy> policy(const Actor& actor, SlaPolicyId id,
                           std::optional<std::int64_t> version = std::nullopt);
  Result<SlaPolicy> save_policy(const Actor& actor, SlaPolicy policy);

  // Chooses the ticket's policy (appending sla.policy_applied when it changes) and sets
  // its sla_check_at, sla_due_at, sla_warn_at and sla_state, from `history` (the ticket's stored events) and the change's new
  // events. Errors only from the store (reading users or old policy versions).
  Result<void> prepare(TicketChange& change, const std::vector<Event>& history, Timestamp now);

  // `amount` of business time after `start` on a calendar: nullopt for an unknown calendar
  // or one that never opens (time-based rules count their waits with it).
  [[nodiscard]] std::optional<Timestamp> business_time_after(CalendarId calendar, Timestamp start,
                                                             std::chrono::milliseconds amount) const;
  [[nodiscard]] bool has_calendar(CalendarId calendar) const;
  // Whether the desk is open at `at` by a calendar, and the calendar's id by its name (for
  // settings that name one); nullopt for an unknown calendar.
  [[nodiscard]] std::optional<bool> is_open(CalendarId calendar, Timestamp at) const;
  [[nodiscard]] std::optional<CalendarId> calendar_named(std::string_view name) const;

  // The clocks of a ticket the actor may view (staff only).
  Result<TicketSla> ticket_sla(const Actor& actor, TicketId id);

  // A ticket's clocks as they stand at the clock's now, for the report facts (no actor: the
  // follower reads every ticket), each with the priority whose target it ran on last (when it
  // stopped, or now). None for a ticket no policy ever applied to. Errors only from the store
  // (the ticket's events, old policy versions). Safe from any thread, like the rest.
  Result<std::vector<SlaClockFact>> clock_facts(const Ticket& ticket);

  // The scheduler's work: every ticket whose check time has come, at most `limit`. For each
  // clock, fires the ladder steps whose share is reached (sla.step_fired with the users to
  // notify; raising the priority; escalating with reason sla_risk and a hand-off note) and
  // records a breach (sla.breached), each once per clock: the events, the ticket's changes
  // and its next check time are one commit, so a crash repeats nothing and loses nothing.
  // Returns how many tickets were looked at.
  Result<int> check_due(Timestamp now, int limit = 500);

 private:
  struct Registry;
  struct PlanEntry;
  std::shared_ptr<const Registry> registry() const;
  Result<void> rebuild();
  Result<std::shared_ptr<const PlanEntry>> plan(const std::shared_ptr<const Registry>& registry,
                                                SlaPolicyId id, std::int64_t version);
  Result<SlaPlanLookup> lookup_for(const std::shared_ptr<const Registry>& r,
                                   const std::vector<SlaMoment>& moments,
                                   std::vector<std::shared_ptr<const PlanEntry>>& keep);
  // The clocks of a ticket from its events (and the steps and breaches already recorded).
  Result<TicketSla> clocks_of(const std::shared_ptr<const Registry>& r,
                              const std::vector<Event>& events, const std::set<SlaMark>& marks,
                              const Ticket& ticket, Timestamp now);
  Result<TicketSla> clocks_of(const std::shared_ptr<const Registry>& r,
                              const std::vector<SlaMoment>& moments, const std::set<SlaMark>& marks,
                              const Ticket& ticket, Timestamp now);
  bool is_staff(UserId id);
  Result<void> check_ticket(TicketId id, Timestamp now);
  TicketSla evaluate(const std::vector<SlaMoment>& moments, const std::set<SlaMark>& marks,
                     const SlaPlanLookup& lookup, const std::optional<SlaPolicyId>& policy,
                     std::int64_t version, Timestamp now);

  Store& store_;
  const Clock& clock_;
  mutable std::mutex mutex_;  // guards registry_, plans_ and roles_
  std::shared_ptr<const Registry> registry_;
  std::map<std::pair<SlaPolicyId, std::int64_t>, std::shared_ptr<const PlanEntry>> plans_;
  std::unordered_map<UserId, bool> staff_;
};

}  // namespace fl
