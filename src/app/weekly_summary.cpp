#include "app/weekly_summary.hpp"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <cmath>

#include "core/mail.hpp"

namespace fl {

namespace {

constexpr std::string_view kCursor = "weekly_summary";
constexpr auto kSendFrom = std::chrono::hours(6);  // on Monday, UTC

enum class Shown { count, share, score };

struct Line {
  std::string_view report;
  std::string_view figure;
  Shown shown;
  std::string_view en;
  std::string_view de;
};

// The figures a supervisor looks at first, one line each (a report or figure the store does
// not have is left out).
constexpr Line kLines[] = {
    {"line1", "tickets", Shown::count, "Tickets opened at line 1", "Tickets in Linie 1"},
    {"line1", "fcr_rate", Shown::share, "First-contact resolution", "Erstlösungsquote"},
    {"line1", "line1_resolution_rate", Shown::share, "Solved at line 1", "In Linie 1 gelöst"},
    {"escalation", "escalation_rate", Shown::share, "Escalation rate", "Eskalationsquote"},
    {"escalation", "bounces", Shown::count, "Bounced escalations", "Fehlgeleitete Eskalationen"},
    {"sla", "compliance", Shown::share, "SLA compliance", "SLA-Einhaltung"},
    {"backlog", "inflow", Shown::count, "New tickets", "Neue Tickets"},
    {"backlog", "outflow", Shown::count, "Solved tickets", "Gelöste Tickets"},
    {"backlog", "open", Shown::count, "Open now", "Jetzt offen"},
    {"csat", "average_score", Shown::score, "Satisfaction (1-5)", "Zufriedenheit (1-5)"},
    {"csat", "ratings", Shown::count, "Ratings", "Bewertungen"},
    {"line0", "deflection_rate", Shown::share, "Self-service deflection", "Selbsthilfe-Quote"},
};

std::string shown(const ReportValue& v, Shown how, bool german) {
  if (std::holds_alternative<std::monostate>(v) || std::holds_alternative<std::string>(v))
    return "–";
  const double x = std::holds_alternative<double>(v) ? std::get<double>(v)
                                                     : static_cast<double>(std::get<std::int64_t>(v));
  std::string text;
  switch (how) {
    case Shown::count: text = fmt::format("{}", static_cast<std::int64_t>(std::llround(x))); break;
    case Shown::share: return fmt::format("{} %", static_cast<int>(std::lround(x * 100)));
    case Shown::score: text = fmt::format("{:.1f}", x); break;
  }
  if (german) std::ranges::replace(text, '.', ',');
  return text;
}

}  // namespace

Timestamp WeeklySummary::week_of(Timestamp t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  // 1970-01-01 was a Thursday: days since the epoch + 3 is 0 on a Monday (mod 7).
  const auto since_monday = (day.time_since_epoch().count() % 7 + 7 + 3) % 7;
  return Timestamp(day - std::chrono::days(since_monday));
}

Result<WeeklySummary::Weeks> WeeklySummary::weeks_of(Timestamp week) {
  const ReportFilter this_week{.from = week, .to = week + std::chrono::days(7)};
  const ReportFilter week_before{.from = week - std::chrono::days(7), .to = week};
  const Timestamp now = clock_.now();
  Weeks weeks{.week = week};
  for (const Line& line : kLines) {
    if (weeks.reports.contains(line.report)) continue;
    auto a = store_.report(line.report, this_week, now);
    auto b = store_.report(line.report, week_before, now);
    if (!a || !b) {
      const Error& e = !a ? a.error() : b.error();
      if (e.code != ErrorCode::not_found) return std::unexpected(e);
      continue;
    }
    weeks.reports.emplace(std::string(line.report), std::pair{std::move(*a), std::move(*b)});
  }
  return weeks;
}

Result<MailMessage> WeeklySummary::compose(const User& supervisor, const Weeks& weeks) {
  const bool german = supervisor.language == "de";
  std::string figures;
  for (const Line& line : kLines) {
    auto it = weeks.reports.find(line.report);
    if (it == weeks.reports.end()) continue;
    const ReportFigure* now_figure = it->second.first.figure(line.figure);
    const ReportFigure* then_figure = it->second.second.figure(line.figure);
    if (now_figure == nullptr) continue;
    figures += fmt::format("{}: {} ({})\n", german ? line.de : line.en,
                           shown(now_figure->value, line.shown, german),
                           then_figure ? shown(then_figure->value, line.shown, german) : "–");
  }
  if (!figures.empty()) figures.pop_back();

  std::string base = options_.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::string day = format_time(weeks.week).substr(0, 10);
  const std::map<std::string, std::string> values{
      {"week", day},
      {"figures", figures},
      {"reports.link", base + "/console/reports"},
      {"recipient.name", supervisor.name},
      {"desk.name", options_.from_name},
  };
  const MailTemplate body = render(templates_.get("weekly_summary", supervisor.language), values);
  MailMessage message;
  message.from_name = options_.from_name;
  message.from_address = options_.address;
  message.to_name = supervisor.name;
  message.to_address = supervisor.email;
  message.subject = body.subject;
  message.message_id = fmt::format("<fl-week-{}-{}@{}>", day, supervisor.id,
                                   mail_domain(options_.address));
  message.date = clock_.now();
  message.automatic = true;
  message.language = supervisor.language;
  message.text = body.text;
  message.html = body.html;
  return message;
}

Result<int> WeeklySummary::send_due() {
  const Timestamp now = clock_.now();
  const Timestamp this_week = week_of(now);
  if (now < this_week + kSendFrom) return 0;
  const Timestamp last_week = this_week - std::chrono::days(7);
  auto sent = store_.feed_cursor(kCursor);
  if (!sent) return std::unexpected(sent.error());
  if (*sent >= to_millis(last_week)) return 0;
  auto supervisors = store_.users(Role::supervisor);
  if (!supervisors) return std::unexpected(supervisors.error());
  auto weeks = weeks_of(last_week);
  if (!weeks) return std::unexpected(weeks.error());
  int count = 0;
  for (const User& u : *supervisors) {
    if (!u.active || u.email.empty()) continue;
    auto message = compose(u, *weeks);
    if (!message) return std::unexpected(message.error());
    auto raw = compose_message(*message);
    if (!raw) return std::unexpected(raw.error());
    if (auto ok = transport_.send({options_.address, u.email, std::move(*raw)}); !ok)
      return std::unexpected(ok.error());
    ++count;
  }
  if (auto ok = store_.set_feed_cursor(kCursor, to_millis(last_week)); !ok)
    return std::unexpected(ok.error());
  return count;
}

}  // namespace fl
