#include "app/report_service.hpp"

#include <algorithm>

#include "app/access.hpp"

namespace fl {

Result<void> ReportService::check(const Actor& actor, std::string_view name,
                                  const ReportFilter& filter) const {
  if (!may_read_reports(actor))
    return fail(ErrorCode::permission_denied, "reports are for supervisors and admins");
  if (std::ranges::find(kReportNames, name) == kReportNames.end())
    return fail(ErrorCode::not_found, "no report '" + std::string(name) + "'");
  if (filter.to <= filter.from) return invalid_field("to", "must be after from");
  if (filter.to - filter.from > std::chrono::days(kMaxReportDays))
    return invalid_field("to", "the period is at most " + std::to_string(kMaxReportDays) + " days");
  if (filter.line && (*filter.line < 1 || *filter.line > 4)) return invalid_field("line", "1 to 4");
  return {};
}

Result<ReportAnswer> ReportService::report(const Actor& actor, std::string_view name,
                                           const ReportFilter& filter, bool compare) {
  if (auto ok = check(actor, name, filter); !ok) return std::unexpected(ok.error());
  const Timestamp now = clock_.now();
  auto current = store_.report(name, filter, now);
  if (!current) return std::unexpected(current.error());
  ReportAnswer answer{.filter = filter, .report = std::move(*current)};
  if (compare) {
    ReportFilter before = filter;
    before.to = filter.from;
    before.from = filter.from - (filter.to - filter.from);
    auto previous = store_.report(name, before, now);
    if (!previous) return std::unexpected(previous.error());
    answer.previous_filter = before;
    answer.previous = std::move(*previous);
  }
  return answer;
}

Result<std::vector<Ticket>> ReportService::drill(const Actor& actor, std::string_view name,
                                                 std::string_view figure,
                                                 const ReportFilter& filter) {
  if (auto ok = check(actor, name, filter); !ok) return std::unexpected(ok.error());
  auto ids = store_.report_drill(name, figure, filter, clock_.now(), kMaxDrillTickets);
  if (!ids) return std::unexpected(ids.error());
  std::vector<Ticket> tickets;
  tickets.reserve(ids->size());
  for (TicketId id : *ids) {
    auto ticket = store_.ticket(id);
    if (!ticket) {
      if (ticket.error().code == ErrorCode::not_found) continue;
      return std::unexpected(ticket.error());
    }
    if (may(actor, TicketAction::view, *ticket)) tickets.push_back(std::move(*ticket));
  }
  return tickets;
}

}  // namespace fl
