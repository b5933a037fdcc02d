// The service-desk reports (docs/reports.md). ReportFacts keeps the report facts
// (core/report_facts.hpp) up to date: a follower of the event feed that reads the whole
// history from its cursor, applies each event to its ticket's facts (app/report_facts.hpp) and
// writes a batch with the cursor in one transaction, so a crash replays the batch and nothing is
// counted twice. rebuild() starts again from the first event.
//
// The SLA clocks are not an event's to change: they are replayed (SlaService::clock_facts).
// With a clock source, each ticket that had an event in a batch gets its clocks replaced by
// the ones it has now, in the batch's transaction; tickets without events are not replayed
// (the follower is the hot path of a rebuild). Without one, the stored clocks stay as they are.
#pragma once

#include <functional>
#include <limits>
#include <unordered_map>

#include "store/store.hpp"

namespace fl {

// Every SLA clock of a ticket as it stands now (SlaService::clock_facts).
using SlaClockSource = std::function<Result<std::vector<SlaClockFact>>(const Ticket&)>;

class ReportFacts {
 public:
  explicit ReportFacts(Store& store, int batch = 2000, SlaClockSource clocks = {})
      : store_(store), batch_(batch), clocks_(std::move(clocks)) {}

  // One batch; returns how many events it read (none: caught up). The store may read fewer
  // than the batch at once (SQLite: 1,000), so fewer does not mean caught up.
  Result<int> follow();
  // Batches until one reads nothing, or `max_batches` of them; returns how many events it read.
  Result<std::int64_t> catch_up(int max_batches = std::numeric_limits<int>::max());
  // Forgets every fact and reads the history again.
  Result<std::int64_t> rebuild();

 private:
  bool is_staff(UserId user);

  Store& store_;
  const int batch_;
  const SlaClockSource clocks_;
  std::unordered_map<UserId, bool> staff_;  // as SlaService::is_staff: roles do not change back
};

}  // namespace fl
