// The service-desk reports (docs/reports.md): which exist, who may read them, the period's
// limits, the previous period to compare with, and the tickets behind a number. What each
// report counts is the store's (store/sqlite/report_*.cpp over the report facts).
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "core/report.hpp"
#include "store/store.hpp"

namespace fl {

inline constexpr std::array<std::string_view, 6> kReportNames{"line0", "line1", "escalation",
                                                              "sla",   "backlog", "csat"};
inline constexpr int kMaxReportDays = 400;
inline constexpr int kMaxDrillTickets = 500;

struct ReportAnswer {
  ReportFilter filter;
  Report report;
  // With compare: the same report for the period of the same length just before.
  std::optional<ReportFilter> previous_filter;
  std::optional<Report> previous;
};

class ReportService {
 public:
  ReportService(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Supervisors and admins; the period is [from, to), at most kMaxReportDays long.
  Result<ReportAnswer> report(const Actor& actor, std::string_view name, const ReportFilter& filter,
                              bool compare);
  // The tickets behind a figure that has a drill key, newest first, those the actor may view.
  Result<std::vector<Ticket>> drill(const Actor& actor, std::string_view name,
                                    std::string_view figure, const ReportFilter& filter);

 private:
  Result<void> check(const Actor& actor, std::string_view name, const ReportFilter& filter) const;

  Store& store_;
  const Clock& clock_;
};

}  // namespace fl
