// The `sla` report (docs/reports.md) over the SLA facts of migration 24: the clocks that
// stopped in the period, met or breached, by policy, metric, line, team and priority; the
// breaches with the ladder steps fired for them; the time the clocks were paused; and the
// ladder's marks recorded in the period.
//
// Filters: a clock's ticket by its dimensions as it is now (organisation, category, channel,
// through report_tickets), and `team` and `line` by the clock's own team and line - the team
// a line clock measures, and for the ticket's clocks (first response, next response,
// resolution) the team holding the ticket when the clock started, which owns that target end
// to end. So the by_team and by_line rows and their drill-downs count the same clocks.
#include <spdlog/fmt/fmt.h>

#include <map>
#include <type_traits>
#include <utility>

#include "store/sqlite/records.hpp"
#include "store/sqlite/report_queries.hpp"

namespace fl::sqlite {

namespace {

// The clocks, with their ticket's facts only when a ticket dimension filters (a join per
// clock is most of the report's time on a large desk).
std::string clocks_from(const ReportFilter& filter) {
  return has_ticket_dimension(filter)
             ? "FROM report_sla_clocks c JOIN report_tickets t ON t.ticket_id = c.ticket_id WHERE 1"
             : "FROM report_sla_clocks c WHERE 1";
}

// The per-group columns after the key: clocks, met, breached, compliance, avg_paused_minutes.
constexpr std::string_view kGroupFigures =
    "count(*), sum(c.state = 'met'), sum(c.state = 'breached'), "
    "sum(c.state = 'met') * 1.0 / nullif(sum(c.state IN ('met', 'breached')), 0), "
    "avg(c.paused_ms) / 60000.0";

// The ticket's dimensions as it is now, and the clock's own team and line.
Conditions clock_dimensions(const ReportFilter& filter) {
  ReportFilter ticket = filter;
  ticket.team.reset();
  ticket.line.reset();
  Conditions c = ticket_dimensions("t", ticket);
  if (filter.team) c.add("c.team = ?", *filter.team);
  if (filter.line) c.add("c.line = ?", *filter.line);
  return c;
}

// Clocks that stopped in the period (each is met or breached).
Conditions stopped_in_period(const ReportFilter& filter) {
  Conditions c = in_period("c.stopped_at", filter);
  c += clock_dimensions(filter);
  return c;
}

// Clocks not stopped and past their target now (still running, or breached and waiting in a
// pausing status). The stored due time is the replay's, so a clock that ran out since the
// ticket's last event counts too, without replaying it.
Conditions past_target(const ReportFilter& filter, Timestamp now) {
  Conditions c;
  c.add("c.stopped_at IS NULL");
  c.add("(c.breached_at IS NOT NULL OR c.due_at <= ?)", now);
  c += clock_dimensions(filter);
  return c;
}

// The clocks that stopped in the period, counted per policy, metric, line, team and priority
// in one pass over the period's index entries; the figures and the by_* tables fold from
// these few hundred groups (six grouped statements read the period six times).
struct GroupKey {
  std::int64_t policy = 0;
  std::string metric;
  std::int64_t line = 0;
  std::int64_t team = 0;
  std::string priority;
  auto operator<=>(const GroupKey&) const = default;
};
struct ClockCounts {
  std::int64_t clocks = 0, met = 0, breached = 0, paused_ms = 0;
  ClockCounts& operator+=(const ClockCounts& o) {
    clocks += o.clocks;
    met += o.met;
    breached += o.breached;
    paused_ms += o.paused_ms;
    return *this;
  }
};
using ClockGroups = std::map<GroupKey, ClockCounts>;

Result<ClockGroups> stopped_groups(Connection& c, const ReportFilter& filter,
                                   const Conditions& stopped) {
  ClockGroups groups;
  GroupKey key;
  ClockCounts* counts = nullptr;
  auto read = each_row(
      c,
      fmt::format("SELECT c.policy_id, c.metric, c.line, c.team, c.priority, c.state = 'met', "
                  "c.state = 'breached', c.paused_ms {}{}",
                  clocks_from(filter), stopped.sql),
      stopped, [&](const Statement& row) {
        GroupKey clock{row.int64_at(0), row.text_at(1), row.int64_at(2), row.int64_at(3),
                       row.text_at(4)};
        // Consecutive clocks often share a group; skip the map then.
        if (counts == nullptr || clock != key) {
          key = std::move(clock);
          counts = &groups[key];
        }
        counts->clocks += 1;
        counts->met += row.int64_at(5);
        counts->breached += row.int64_at(6);
        counts->paused_ms += row.int64_at(7);
      });
  if (!read) return std::unexpected(read.error());
  return groups;
}

// clocks, met, breached, compliance, avg_paused_minutes (appended to a row).
void add_group_figures(std::vector<ReportValue>& row, const ClockCounts& n) {
  row.emplace_back(n.clocks);
  row.emplace_back(n.met);
  row.emplace_back(n.breached);
  row.push_back(rate_of(n.met, n.met + n.breached));
  row.emplace_back(static_cast<double>(n.paused_ms) / static_cast<double>(n.clocks) / 60000.0);
}

std::vector<std::string> group_columns(std::vector<std::string> keys) {
  for (const char* name : {"clocks", "met", "breached", "compliance", "avg_paused_minutes"})
    keys.emplace_back(name);
  return keys;
}

// id -> name of a small directory table (teams, sla_policies).
Result<std::map<std::int64_t, std::string>> names_of(Connection& c, std::string_view table) {
  std::map<std::int64_t, std::string> names;
  auto read =
      each_row(c, fmt::format("SELECT id, name FROM {}", table), {},
               [&](const Statement& row) { names.emplace(row.int64_at(0), row.text_at(1)); });
  if (!read) return std::unexpected(read.error());
  return names;
}

// One table of the groups folded by `key_of`, in the key's order; `cells` gives the row's
// leading columns from its key.
template <class KeyOf, class Cells>
ReportTable fold(const ClockGroups& groups, std::string name, std::vector<std::string> columns,
                 KeyOf key_of, Cells cells) {
  std::map<std::invoke_result_t<KeyOf, const GroupKey&>, ClockCounts> folded;
  for (const auto& [key, counts] : groups) folded[key_of(key)] += counts;
  ReportTable table{.name = std::move(name), .columns = group_columns(std::move(columns))};
  for (const auto& [key, counts] : folded) {
    std::vector<ReportValue> row = cells(key);
    add_group_figures(row, counts);
    table.rows.push_back(std::move(row));
  }
  return table;
}

int metric_rank(std::string_view metric) {
  if (metric == "first_response") return 1;
  if (metric == "next_response") return 2;
  if (metric == "resolution") return 3;
  if (metric == "line_response") return 4;
  return 5;
}

// The newest 100 breached clocks that stopped in the period, each with its ticket's number and
// the shares of its ladder steps fired ("75,90,100").
Result<ReportTable> breaches_table(Connection& c, const ReportFilter& filter,
                                   const Conditions& stopped) {
  const std::string sql = fmt::format(
      "SELECT c.ticket_id, '', c.metric, c.cycle, c.line, c.team, c.target_minutes, "
      "c.breached_at, '' {} AND c.state = 'breached'{} "
      "ORDER BY c.breached_at DESC, c.ticket_id DESC, c.metric, c.cycle LIMIT 100",
      clocks_from(filter), stopped.sql);
  auto table = table_of(c, "breaches",
                        {"ticket_id", "number", "metric", "cycle", "line", "team", "target_minutes",
                         "breached_at", "steps"},
                        sql, stopped);
  if (!table) return table;
  for (auto& row : table->rows) {
    auto number = c.prepare("SELECT number FROM tickets WHERE id = ?");
    if (!number) return error_of(number);
    number->bind(count_of(row[0]));
    auto has_number = number->step();
    if (!has_number) return error_of(has_number);
    if (*has_number) row[1] = number->value_at(0);
    auto steps = c.prepare(
        "SELECT DISTINCT percent FROM report_sla_marks WHERE ticket_id = ? AND metric = ? "
        "AND cycle = ? AND breach = 0 ORDER BY percent");
    if (!steps) return error_of(steps);
    steps->bind_all(count_of(row[0]), std::get<std::string>(row[2]), count_of(row[3]));
    std::string fired;
    for (;;) {
      auto has_row = steps->step();
      if (!has_row) return error_of(has_row);
      if (!*has_row) break;
      if (!fired.empty()) fired += ',';
      fired += std::to_string(steps->int64_at(0));
    }
    if (std::holds_alternative<std::int64_t>(row[7]))
      row[7] = format_time(from_millis(std::get<std::int64_t>(row[7])));
    row[8] = std::move(fired);
  }
  return table;
}

Result<Report> load(Connection& c, const ReportFilter& filter, Timestamp now) {
  Report report;
  const Conditions stopped = stopped_in_period(filter);
  auto groups = stopped_groups(c, filter, stopped);
  if (!groups) return std::unexpected(groups.error());
  ClockCounts total;
  for (const auto& [key, counts] : *groups) total += counts;

  // The ladder's marks recorded in the period; the team and line are their clock's.
  Conditions marks = in_period("m.at", filter);
  marks += clock_dimensions(filter);
  auto marked =
      row_of(c,
             fmt::format("SELECT coalesce(sum(m.breach), 0), coalesce(sum(1 - m.breach), 0) "
                         "FROM report_sla_marks m {}{}WHERE 1{}",
                         has_ticket_dimension(filter)
                             ? "JOIN report_tickets t ON t.ticket_id = m.ticket_id "
                             : "",
                         filter.team || filter.line
                             ? "LEFT JOIN report_sla_clocks c ON c.ticket_id = m.ticket_id "
                               "AND c.metric = m.metric AND c.cycle = m.cycle "
                             : "",
                         marks.sql),
             marks, 2);
  if (!marked) return std::unexpected(marked.error());

  const Conditions overdue = past_target(filter, now);
  auto running =
      row_of(c, fmt::format("SELECT count(*) {}{}", clocks_from(filter), overdue.sql), overdue, 1);
  if (!running) return std::unexpected(running.error());

  report.figures = {
      {"clocks", total.clocks, "clocks"},
      {"met", total.met, "met"},
      {"breached", total.breached, "breached"},
      {"compliance", rate_of(total.met, total.met + total.breached), ""},
      {"paused_hours", static_cast<double>(total.paused_ms) / 3'600'000.0, ""},
      {"breach_events", count_of((*marked)[0]), ""},
      {"ladder_steps", count_of((*marked)[1]), ""},
      {"running_breached", count_of((*running)[0]), "running_breached"},
  };

  auto policies = names_of(c, "sla_policies");
  if (!policies) return std::unexpected(policies.error());
  auto teams = names_of(c, "teams");
  if (!teams) return std::unexpected(teams.error());
  const auto name_in = [](const std::map<std::int64_t, std::string>& names, std::int64_t id) {
    auto it = names.find(id);
    return it == names.end() ? std::string() : it->second;
  };

  auto by_policy = fold(
      *groups, "by_policy", {"policy", "policy_name"}, [](const GroupKey& k) { return k.policy; },
      [&](std::int64_t id) { return std::vector<ReportValue>{id, name_in(*policies, id)}; });
  auto by_metric = fold(
      *groups, "by_metric", {"metric"},
      [](const GroupKey& k) { return std::pair{metric_rank(k.metric), k.metric}; },
      [](const std::pair<int, std::string>& k) { return std::vector<ReportValue>{k.second}; });
  by_metric.chart = "bar";
  auto by_line = fold(
      *groups, "by_line", {"line"}, [](const GroupKey& k) { return k.line; },
      [](std::int64_t line) { return std::vector<ReportValue>{line}; });
  by_line.drill_by = "line";
  by_line.drill_figure = "breached";
  auto by_team = fold(
      *groups, "by_team", {"team", "team_name"},
      [&](const GroupKey& k) { return std::pair{name_in(*teams, k.team), k.team}; },
      [](const std::pair<std::string, std::int64_t>& k) {
        return std::vector<ReportValue>{k.second, k.first};
      });
  by_team.drill_by = "team";
  by_team.drill_figure = "breached";
  auto by_priority = fold(
      *groups, "by_priority", {"priority"}, [](const GroupKey& k) { return k.priority; },
      [](const std::string& p) { return std::vector<ReportValue>{p}; });
  by_priority.chart = "bar";
  auto breaches = breaches_table(c, filter, stopped);
  if (!breaches) return std::unexpected(breaches.error());

  report.tables = {std::move(by_policy), std::move(by_metric),   std::move(by_line),
                   std::move(by_team),   std::move(by_priority), std::move(*breaches)};
  return report;
}

Result<std::vector<TicketId>> drill(Connection& c, std::string_view figure,
                                    const ReportFilter& filter, Timestamp now, int limit) {
  Conditions conditions;
  if (figure == "clocks" || figure == "met" || figure == "breached") {
    conditions = stopped_in_period(filter);
    if (figure != "clocks") conditions.add("c.state = ?", figure);
  } else if (figure == "running_breached") {
    conditions = past_target(filter, now);
  } else {
    return fail(ErrorCode::not_found,
                fmt::format("the sla report has no figure '{}' to drill", figure));
  }
  return ticket_ids(
      c,
      fmt::format("SELECT DISTINCT c.ticket_id {}{} ORDER BY c.ticket_id DESC LIMIT ?", clocks_from(filter),
                  conditions.sql),
      conditions, limit);
}

}  // namespace

const ReportQueries& sla_report() {
  static const ReportQueries queries{"sla", &load, &drill};
  return queries;
}

}  // namespace fl::sqlite
