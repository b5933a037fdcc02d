#include "app/reports.hpp"

#include <algorithm>
#include <map>

#include "app/report_facts.hpp"

namespace fl {

namespace {
constexpr std::string_view kFollower = "reports";
}

bool ReportFacts::is_staff(UserId id) {
  if (auto it = staff_.find(id); it != staff_.end()) return it->second;
  auto user = store_.user(id);
  const bool staff = user && user->role != Role::customer;
  if (user) staff_[id] = staff;
  return staff;
}

Result<int> ReportFacts::follow() {
  auto cursor = store_.feed_cursor(kFollower);
  if (!cursor) return std::unexpected(cursor.error());
  auto events = store_.events_after(*cursor, batch_);
  if (!events) return std::unexpected(events.error());
  if (events->empty()) return 0;

  std::vector<TicketId> ids;
  for (const auto& e : *events)
    if (e.ticket) ids.push_back(*e.ticket);
  std::ranges::sort(ids);
  ids.erase(std::ranges::unique(ids).begin(), ids.end());
  auto stored = store_.report_ticket_facts(ids);
  if (!stored) return std::unexpected(stored.error());
  std::map<TicketId, TicketFacts> facts;
  for (auto& f : *stored) facts.emplace(f.ticket, std::move(f));

  FactChanges changes;
  for (const auto& e : *events) {
    if (!e.ticket) continue;
    auto it = facts.find(*e.ticket);
    if (it == facts.end()) {
      if (e.type != event_type::ticket_created) continue;  // nothing to add to
      it = facts.emplace(*e.ticket, TicketFacts{}).first;
    }
    apply_event(it->second, e, [this](UserId u) { return is_staff(u); }, changes);
  }
  // The dimensions as the ticket is now.
  std::vector<TicketFacts> touched;
  for (auto& [id, f] : facts) {
    if (f.ticket == 0) continue;
    auto ticket = store_.ticket(id);
    if (!ticket) return std::unexpected(ticket.error());
    f.category = ticket->category;
    f.organization = ticket->organization;
    f.priority = std::string(name_of(ticket->priority));
    f.assignee = ticket->assignee;
    if (clocks_) {
      auto clocks = clocks_(*ticket);
      if (!clocks) return std::unexpected(clocks.error());
      changes.sla_clocks.push_back({id, std::move(*clocks)});
    }
    touched.push_back(std::move(f));
  }
  if (auto ok = store_.save_report_facts(touched, changes, events->back().id); !ok)
    return std::unexpected(ok.error());
  return static_cast<int>(events->size());
}

Result<std::int64_t> ReportFacts::catch_up(int max_batches) {
  std::int64_t total = 0;
  for (int i = 0; i < max_batches; ++i) {
    auto n = follow();
    if (!n) return std::unexpected(n.error());
    total += *n;
    if (*n == 0) break;
  }
  return total;
}

Result<std::int64_t> ReportFacts::rebuild() {
  if (auto ok = store_.reset_report_facts(); !ok) return std::unexpected(ok.error());
  return catch_up();
}

}  // namespace fl
