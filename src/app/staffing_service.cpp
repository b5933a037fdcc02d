// Staffing from measures: see staffing_service.hpp.
#include "app/staffing_service.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <map>

#include "app/access.hpp"
#include "app/deflection.hpp"
#include "app/event_json.hpp"
#include "staffing/erlang_c.hpp"
#include "staffing/week_grid.hpp"

namespace fl {

namespace json = boost::json;
using staffing::Desk;
using staffing::index;
using staffing::kDeskCount;
using staffing::kHoursPerWeek;
using staffing::ServiceTarget;
using staffing::WeekGrid;

namespace {

constexpr std::array<std::string_view, kDeskCount> kDeskNames{"line1", "partner", "line2", "line3",
                                                              "line4"};
constexpr std::array<int, kDeskCount> kDeskLines{1, 1, 2, 3, 4};
constexpr std::array<std::string_view, 7> kDays{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr std::string_view kPlanSetting = "staffing_plan";

Desk desk_of(int line, bool outsourced) {
  switch (line) {
    case 1:
      return outsourced ? Desk::partner : Desk::line1;
    case 2:
      return Desk::line2;
    case 3:
      return Desk::line3;
    default:
      return Desk::line4;
  }
}

std::optional<double> share_of(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return std::nullopt;
  return std::clamp(static_cast<double>(part) / static_cast<double>(whole), 0.0, 1.0);
}

double rounded(double v, int digits) {
  const double scale = std::pow(10.0, digits);
  return std::round(v * scale) / scale;
}

ReportValue value_of(const std::optional<double>& v, int digits = 4) {
  if (!v) return std::monostate{};
  return rounded(*v, digits);
}

// A finite figure, or null (an unstable queue's wait).
ReportValue finite_or_null(double v, int digits) {
  if (!std::isfinite(v)) return std::monostate{};
  return rounded(v, digits);
}

Result<void> check_target(const ServiceTarget& t) {
  std::vector<FieldError> errors;
  if (!(t.service_level > 0 && t.service_level < 1))
    errors.push_back({"service_level", "must be in (0, 1)"});
  if (!(std::isfinite(t.answer_within_seconds) && t.answer_within_seconds >= 0 &&
        t.answer_within_seconds <= 86400))
    errors.push_back({"answer_seconds", "must be in [0, 86400]"});
  if (!(t.max_occupancy > 0 && t.max_occupancy <= 1))
    errors.push_back({"max_occupancy", "must be in (0, 1]"});
  if (!(t.shrinkage >= 0 && t.shrinkage <= 0.9))
    errors.push_back({"shrinkage", "must be in [0, 0.9]"});
  if (!errors.empty()) return invalid_fields(std::move(errors));
  return {};
}

// Agents on the queue from a rostered count: shrinkage taken off, as week_heat_map does.
int on_queue(int rostered, double shrinkage) {
  return static_cast<int>(std::floor(rostered * (1 - shrinkage) + 1e-9));
}

}  // namespace

std::string_view desk_name(Desk desk) {
  return kDeskNames[static_cast<std::size_t>(index(desk))];
}

std::optional<Desk> desk_named(std::string_view name) {
  for (int i = 0; i < kDeskCount; ++i)
    if (kDeskNames[static_cast<std::size_t>(i)] == name) return static_cast<Desk>(i);
  return std::nullopt;
}

std::string_view to_string(AhtSource source) {
  switch (source) {
    case AhtSource::measured:
      return "measured";
    case AhtSource::assumed:
      return "assumed";
    case AhtSource::mixed:
      return "mixed";
  }
  return "assumed";
}

// --- measures to loads ----------------------------------------------------------------------

std::array<DeskLoad, kDeskCount> desk_loads(const StaffingMeasures& m,
                                            const StaffingAssumptions& a) {
  struct Timed {
    std::int64_t tickets = 0;
    double seconds = 0;
  };
  std::array<WeekGrid<double>, kDeskCount> counts{};
  std::array<std::map<std::string, std::int64_t>, kDeskCount> arrivals_by_channel;
  std::array<std::map<std::string, Timed>, kDeskCount> timed_by_channel;
  for (const ArrivalSeries& s : m.arrivals) {
    const auto d = static_cast<std::size_t>(index(desk_of(s.line, s.outsourced)));
    for (int h = 0; h < kHoursPerWeek; ++h)
      counts[d][static_cast<std::size_t>(h)] +=
          static_cast<double>(s.per_hour_of_week[static_cast<std::size_t>(h)]);
    arrivals_by_channel[d][s.channel] += s.total;
  }
  for (const HandlingSample& h : m.handling) {
    auto& t =
        timed_by_channel[static_cast<std::size_t>(index(desk_of(h.line, h.outsourced)))][h.channel];
    t.tickets += h.tickets_timed;
    t.seconds += h.handled_seconds;
  }

  std::array<DeskLoad, kDeskCount> out;
  for (std::size_t d = 0; d < out.size(); ++d) {
    DeskLoad& load = out[d];
    for (std::size_t h = 0; h < kHoursPerWeek; ++h)
      load.arrivals_per_hour[h] =
          m.hours_in_period[h] > 0 ? counts[d][h] / static_cast<double>(m.hours_in_period[h]) : 0;
    Timed all_timed;
    for (const auto& [channel, t] : timed_by_channel[d]) {
      all_timed.tickets += t.tickets;
      all_timed.seconds += t.seconds;
    }
    load.tickets_timed = all_timed.tickets;
    std::int64_t arrivals = 0;
    double weighted = 0;
    int measured = 0;
    for (const auto& [channel, n] : arrivals_by_channel[d]) {
      ChannelLoad cl;
      cl.channel = channel;
      cl.arrivals_per_week = static_cast<double>(n);  // a count until scaled below
      auto t = timed_by_channel[d].find(channel);
      if (t != timed_by_channel[d].end() && t->second.tickets > 0) {
        cl.tickets_timed = t->second.tickets;
        cl.aht_seconds = t->second.seconds / static_cast<double>(t->second.tickets);
        ++measured;
      } else {
        cl.aht_seconds = a.default_handling_seconds;
      }
      arrivals += n;
      weighted += static_cast<double>(n) * cl.aht_seconds;
      load.channels.push_back(std::move(cl));
    }
    // The mean week the heat map shows: the hours' means added up (over a period of whole
    // weeks, the arrivals over the weeks); its channels in proportion to their arrivals.
    for (double v : load.arrivals_per_hour) load.arrivals_per_week += v;
    for (ChannelLoad& cl : load.channels)
      cl.arrivals_per_week = arrivals > 0 ? load.arrivals_per_week * cl.arrivals_per_week /
                                                static_cast<double>(arrivals)
                                          : 0;
    if (arrivals > 0) {
      load.aht_seconds = weighted / static_cast<double>(arrivals);
      load.aht_source = measured == 0                                        ? AhtSource::assumed
                        : measured == static_cast<int>(load.channels.size()) ? AhtSource::measured
                                                                             : AhtSource::mixed;
    } else if (all_timed.tickets > 0) {
      load.aht_seconds = all_timed.seconds / static_cast<double>(all_timed.tickets);
      load.aht_source = AhtSource::measured;
    } else {
      load.aht_seconds = a.default_handling_seconds;
      load.aht_source = AhtSource::assumed;
    }
  }
  return out;
}

MeasuredFlow measured_flow(const StaffingMeasures& m) {
  MeasuredFlow f;
  const std::int64_t line1_opened = m.in_house.opened + m.partner.opened;
  if (m.self_service_decided > 0) {
    f.self_service_deflection = share_of(m.self_service_deflected, m.self_service_decided);
    f.deflection_rate = share_of(m.self_service_deflected, m.self_service_deflected + line1_opened);
  }
  f.first_line_resolution = share_of(m.in_house.resolved, m.in_house.decided);
  f.partner_first_line_resolution = share_of(m.partner.resolved, m.partner.decided);
  f.outsourced_share = share_of(m.partner.opened, line1_opened);
  std::array<std::int64_t, 5> arrived{};
  for (const ArrivalSeries& s : m.arrivals)
    if (s.line >= 1 && s.line <= 4) arrived[static_cast<std::size_t>(s.line)] += s.total;
  for (std::size_t line = 1; line <= 3; ++line)
    f.escalation_rate[line] = share_of(m.escalated_from[line], arrived[line]);
  return f;
}

// --- the plan -------------------------------------------------------------------------------

WeekGrid<int> StaffingPlan::rostered(Desk d) const {
  WeekGrid<int> grid{};
  const auto& shifts = desks[static_cast<std::size_t>(index(d))];
  if (!shifts) return grid;
  for (const StaffingShift& s : *shifts)
    for (int day = 0; day < 7; ++day) {
      if (!s.days[static_cast<std::size_t>(day)]) continue;
      for (int h = s.from; h < s.to; ++h)
        grid[static_cast<std::size_t>(staffing::hour_of_week(day, h))] += s.agents;
    }
  return grid;
}

namespace {

// A whole number in [lo, hi] at key, or an error under `field`.
std::optional<int> whole_in(const json::object& o, std::string_view key, int lo, int hi,
                            const std::string& field, std::vector<FieldError>& errors) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) {
    errors.push_back({field, "required"});
    return std::nullopt;
  }
  std::optional<std::int64_t> n;
  if (v->is_int64()) n = v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(hi)) n = v->as_uint64();
  if (v->is_double() && std::floor(v->as_double()) == v->as_double() &&
      std::abs(v->as_double()) < 1e9)
    n = static_cast<std::int64_t>(v->as_double());
  if (!n || *n < lo || *n > hi) {
    errors.push_back(
        {field, "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi)});
    return std::nullopt;
  }
  return static_cast<int>(*n);
}

void decode_shift(const json::value& v, const std::string& field, std::vector<StaffingShift>& out,
                  std::vector<FieldError>& errors) {
  if (!v.is_object()) {
    errors.push_back({field, "must be an object with days, from, to and agents"});
    return;
  }
  const json::object& o = v.as_object();
  for (const auto& kv : o)
    if (kv.key() != "days" && kv.key() != "from" && kv.key() != "to" && kv.key() != "agents")
      errors.push_back({field + "." + std::string(kv.key()), "unknown key"});
  StaffingShift shift;
  const std::size_t before = errors.size();
  const json::value* days = o.if_contains("days");
  if (days == nullptr || !days->is_array() || days->as_array().empty()) {
    errors.push_back({field + ".days", "a list of days: mon, tue, wed, thu, fri, sat, sun"});
  } else {
    for (const json::value& d : days->as_array()) {
      auto it =
          d.is_string() ? std::ranges::find(kDays, std::string_view(d.as_string())) : kDays.end();
      if (it == kDays.end()) {
        errors.push_back({field + ".days", "a list of days: mon, tue, wed, thu, fri, sat, sun"});
        break;
      }
      shift.days[static_cast<std::size_t>(it - kDays.begin())] = true;
    }
  }
  auto from = whole_in(o, "from", 0, 23, field + ".from", errors);
  auto to = whole_in(o, "to", 1, 24, field + ".to", errors);
  auto agents = whole_in(o, "agents", 0, 100000, field + ".agents", errors);
  if (from && to && *to <= *from) errors.push_back({field + ".to", "must be after from"});
  if (errors.size() != before) return;
  shift.from = *from;
  shift.to = *to;
  shift.agents = *agents;
  out.push_back(shift);
}

}  // namespace

Result<StaffingPlan> decode_plan(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return invalid_field("body", "not JSON: " + ec.message());
  if (!v.is_object()) return invalid_field("body", "must be a JSON object");
  const json::object& root = v.as_object();
  std::vector<FieldError> errors;
  for (const auto& kv : root)
    if (kv.key() != "desks" && kv.key() != "version" && kv.key() != "updated_at")
      errors.push_back({std::string(kv.key()), "unknown key"});
  StaffingPlan plan;
  const json::value* desks = root.if_contains("desks");
  if (desks == nullptr || !desks->is_object()) {
    errors.push_back(
        {"desks", "an object of desks (line1, partner, line2, line3, line4), each with shifts"});
  } else {
    for (const auto& kv : desks->as_object()) {
      const std::string field = "desks." + std::string(kv.key());
      auto desk = desk_named(kv.key());
      if (!desk) {
        errors.push_back({field, "unknown desk: line1, partner, line2, line3 or line4"});
        continue;
      }
      const json::object* o = kv.value().if_object();
      const json::value* shifts = o ? o->if_contains("shifts") : nullptr;
      if (shifts == nullptr || !shifts->is_array()) {
        errors.push_back({field + ".shifts", "a list of shifts"});
        continue;
      }
      for (const auto& inner : *o)
        if (inner.key() != "shifts")
          errors.push_back({field + "." + std::string(inner.key()), "unknown key"});
      std::vector<StaffingShift> list;
      const json::array& a = shifts->as_array();
      if (a.size() > 500) {
        errors.push_back({field + ".shifts", "at most 500 shifts"});
        continue;
      }
      for (std::size_t i = 0; i < a.size(); ++i)
        decode_shift(a[i], field + ".shifts[" + std::to_string(i) + "]", list, errors);
      plan.desks[static_cast<std::size_t>(index(*desk))] = std::move(list);
    }
  }
  if (!errors.empty()) return invalid_fields(std::move(errors));
  return plan;
}

std::string encode_plan(const StaffingPlan& plan) {
  json::object desks;
  for (int i = 0; i < kDeskCount; ++i) {
    const auto& shifts = plan.desks[static_cast<std::size_t>(i)];
    if (!shifts) continue;
    json::array list;
    for (const StaffingShift& s : *shifts) {
      json::array days;
      for (std::size_t d = 0; d < 7; ++d)
        if (s.days[d]) days.emplace_back(kDays[d]);
      list.push_back(json::object{
          {"days", std::move(days)}, {"from", s.from}, {"to", s.to}, {"agents", s.agents}});
    }
    desks[kDeskNames[static_cast<std::size_t>(i)]] = json::object{{"shifts", std::move(list)}};
  }
  return json::serialize(json::object{{"desks", std::move(desks)}});
}

// --- the scenario ---------------------------------------------------------------------------

staffing::Scenario scenario_from_measures(const StaffingMeasures& m, const StaffingAssumptions& a,
                                          const ServiceTarget& target) {
  const auto loads = desk_loads(m, a);
  const MeasuredFlow flow = measured_flow(m);
  staffing::Scenario s;
  s.name = "measured";
  s.deflection = flow.deflection_rate.value_or(0);
  s.outsourced_share = flow.outsourced_share.value_or(0);
  const double gross = s.deflection < 1 ? 1 / (1 - s.deflection) : 0;
  for (std::size_t h = 0; h < kHoursPerWeek; ++h)
    s.arrivals_per_hour[h] =
        (loads[static_cast<std::size_t>(index(Desk::line1))].arrivals_per_hour[h] +
         loads[static_cast<std::size_t>(index(Desk::partner))].arrivals_per_hour[h]) *
        gross;
  const auto load = [&](Desk d) -> const DeskLoad& {
    return loads[static_cast<std::size_t>(index(d))];
  };
  const double line1_resolution = flow.first_line_resolution.value_or(1);
  s.desk(Desk::line1).aht_minutes = load(Desk::line1).aht_seconds / 60;
  s.desk(Desk::line1).escalation = 1 - line1_resolution;
  // A partner that took nothing in the period handles like line 1 (for a what-if that gives
  // it a share).
  const bool partner_measured = load(Desk::partner).arrivals_per_week > 0;
  s.desk(Desk::partner).aht_minutes =
      (partner_measured ? load(Desk::partner) : load(Desk::line1)).aht_seconds / 60;
  s.desk(Desk::partner).escalation =
      1 - flow.partner_first_line_resolution.value_or(line1_resolution);
  s.desk(Desk::line2).aht_minutes = load(Desk::line2).aht_seconds / 60;
  s.desk(Desk::line2).escalation = flow.escalation_rate[2].value_or(0);
  s.desk(Desk::line3).aht_minutes = load(Desk::line3).aht_seconds / 60;
  s.desk(Desk::line3).escalation = flow.escalation_rate[3].value_or(0);
  s.desk(Desk::line4).aht_minutes = load(Desk::line4).aht_seconds / 60;
  s.desk(Desk::line4).escalation = 0;
  for (auto& d : s.desks) d.answer_within_seconds = target.answer_within_seconds;
  s.target = target;
  return s;
}

// --- the report -----------------------------------------------------------------------------

Result<Report> staffing_report(const StaffingMeasures& m, const StaffingAssumptions& a,
                               const ServiceTarget& target, const std::optional<StaffingPlan>& plan,
                               Desk desk) {
  if (auto ok = check_target(target); !ok) return std::unexpected(ok.error());
  const auto loads = desk_loads(m, a);
  const MeasuredFlow flow = measured_flow(m);

  std::array<staffing::HeatMap, kDeskCount> maps;
  std::array<WeekGrid<int>, kDeskCount> planned{};
  for (int i = 0; i < kDeskCount; ++i) {
    const auto d = static_cast<Desk>(i);
    const DeskLoad& load = loads[static_cast<std::size_t>(i)];
    staffing::WeekLoad week;
    week.arrivals_per_hour = load.arrivals_per_hour;
    week.aht_seconds.fill(load.aht_seconds);
    if (plan && plan->planned(d)) planned[static_cast<std::size_t>(i)] = plan->rostered(d);
    auto map = staffing::week_heat_map(week, planned[static_cast<std::size_t>(i)], target);
    if (!map) return std::unexpected(map.error());
    maps[static_cast<std::size_t>(i)] = *map;
  }

  const auto di = static_cast<std::size_t>(index(desk));
  const DeskLoad& load = loads[di];
  const staffing::HeatMap& map = maps[di];
  const bool has_plan = plan && plan->planned(desk);

  Report r;
  r.name = "staffing";
  auto figure = [&](std::string name, ReportValue v) {
    r.figures.push_back({std::move(name), std::move(v), ""});
  };
  figure("tickets", m.tickets);
  figure("weeks", rounded(m.weeks, 3));
  figure("arrivals_per_week", rounded(load.arrivals_per_week, 2));
  figure("aht_seconds", rounded(load.aht_seconds, 1));
  figure("aht_source", std::string(to_string(load.aht_source)));
  figure("tickets_timed", load.tickets_timed);
  figure("peak_needed", static_cast<std::int64_t>(map.peak_needed));
  figure("agent_hours_needed", rounded(map.needed_agent_hours, 1));
  if (has_plan) {
    int peak = 0;
    for (const auto& c : map.cells) peak = std::max(peak, c.planned);
    figure("planned_agents", static_cast<std::int64_t>(peak));
    figure("agent_hours_planned", rounded(map.planned_agent_hours, 1));
    figure("hours_short", static_cast<std::int64_t>(map.cells_short));
  } else {
    figure("planned_agents", std::monostate{});
    figure("agent_hours_planned", std::monostate{});
    figure("hours_short", std::monostate{});
  }
  figure("deflection_rate", value_of(flow.deflection_rate));
  figure("self_service_deflection", value_of(flow.self_service_deflection));
  figure("first_line_resolution", value_of(flow.first_line_resolution));
  figure("partner_first_line_resolution", value_of(flow.partner_first_line_resolution));
  figure("outsourced_share", value_of(flow.outsourced_share));
  for (std::size_t line = 1; line <= 3; ++line)
    figure("escalation_rate_line" + std::to_string(line), value_of(flow.escalation_rate[line]));
  figure("service_level_target", target.service_level);
  figure("answer_seconds", target.answer_within_seconds);

  ReportTable week{.name = "week",
                   .columns = {"day", "hour", "arrivals_per_hour", "needed", "planned",
                               "wait_probability", "asa_seconds"},
                   .chart = "heat"};
  for (int h = 0; h < kHoursPerWeek; ++h) {
    const auto& cell = map.cells[static_cast<std::size_t>(h)];
    const double arrivals = load.arrivals_per_hour[static_cast<std::size_t>(h)];
    // The wait with the planned roster (on the queue after shrinkage), else with the need.
    const int agents = has_plan ? on_queue(cell.planned, target.shrinkage) : cell.needed_agents;
    const staffing::IntervalLoad interval{arrivals, load.aht_seconds, 3600};
    std::vector<ReportValue> row{std::string(kDays[static_cast<std::size_t>(h / 24)]),
                                 static_cast<std::int64_t>(h % 24), rounded(arrivals, 3),
                                 static_cast<std::int64_t>(cell.needed_scheduled)};
    row.push_back(has_plan ? ReportValue{static_cast<std::int64_t>(cell.planned)}
                           : ReportValue{std::monostate{}});
    row.push_back(rounded(staffing::wait_probability(agents, cell.erlangs), 4));
    row.push_back(arrivals > 0
                      ? finite_or_null(staffing::average_speed_of_answer(agents, interval), 1)
                      : ReportValue{0.0});
    week.rows.push_back(std::move(row));
  }
  r.tables.push_back(std::move(week));

  ReportTable by_line{
      .name = "by_line",
      .columns = {"line", "desk", "arrivals_per_week", "aht_seconds", "aht_source",
                  "tickets_timed", "peak_needed", "agent_hours_needed", "agent_hours_planned"},
      .chart = "bar"};
  for (int i = 0; i < kDeskCount; ++i) {
    const auto d = static_cast<Desk>(i);
    const auto u = static_cast<std::size_t>(i);
    const bool planned_desk = plan && plan->planned(d);
    // The partner only when it takes tickets or is planned.
    if (d == Desk::partner && loads[u].arrivals_per_week == 0 && !planned_desk) continue;
    by_line.rows.push_back(
        {static_cast<std::int64_t>(kDeskLines[u]), std::string(kDeskNames[u]),
         rounded(loads[u].arrivals_per_week, 2), rounded(loads[u].aht_seconds, 1),
         std::string(to_string(loads[u].aht_source)), loads[u].tickets_timed,
         static_cast<std::int64_t>(maps[u].peak_needed), rounded(maps[u].needed_agent_hours, 1),
         planned_desk ? ReportValue{rounded(maps[u].planned_agent_hours, 1)}
                      : ReportValue{std::monostate{}}});
  }
  r.tables.push_back(std::move(by_line));

  ReportTable by_channel{
      .name = "by_channel",
      .columns = {"channel", "arrivals_per_week", "aht_seconds", "aht_source", "tickets_timed"},
      .chart = "bar"};
  for (const ChannelLoad& c : load.channels)
    by_channel.rows.push_back(
        {c.channel, rounded(c.arrivals_per_week, 2), rounded(c.aht_seconds, 1),
         std::string(c.tickets_timed > 0 ? "measured" : "assumed"), c.tickets_timed});
  r.tables.push_back(std::move(by_channel));
  return r;
}

// --- the what-if ----------------------------------------------------------------------------

namespace {

Result<void> check_levers(const WhatIfLevers& l) {
  std::vector<FieldError> errors;
  auto share = [&](const std::optional<double>& v, const char* field) {
    if (v && !(std::isfinite(*v) && *v >= 0 && *v <= 1))
      errors.push_back({field, "must be in [0, 1]"});
  };
  share(l.deflection_rate, "deflection_rate");
  share(l.first_line_resolution, "first_line_resolution");
  share(l.outsourced_share, "outsourced_share");
  if (l.deflection_rate && *l.deflection_rate == 1)
    errors.push_back({"deflection_rate", "must be below 1 (some tickets still reach the desk)"});
  if (l.arrival_factor &&
      !(std::isfinite(*l.arrival_factor) && *l.arrival_factor >= 0 && *l.arrival_factor <= 100))
    errors.push_back({"arrival_factor", "must be in [0, 100]"});
  if (!errors.empty()) return invalid_fields(std::move(errors));
  return {};
}

// Erlang C per desk on the scenario's mean flow, whatever its roster: the view is computed
// with one agent everywhere (the need does not depend on the roster).
Result<std::array<staffing::DeskStaffing, kDeskCount>> needs_of(staffing::Scenario s) {
  for (auto& d : s.desks) d.agents.fill(1);
  return staffing::staffing_view(s);
}

// A roster staffed to Erlang C's need hour by hour, with one agent kept on for the two hours
// after an hour with a need: escalations reach the next line after the handling before them,
// and a queue is worked off after its hour, so tickets must not wait for the same hour next
// week.
WeekGrid<int> staffed_to(const staffing::DeskStaffing& need) {
  WeekGrid<int> roster{};
  for (int h = 0; h < kHoursPerWeek; ++h) {
    int n = need.map.cells[static_cast<std::size_t>(h)].needed_agents;
    for (int back = 1; back <= 2 && n == 0; ++back)
      if (need.map.cells[static_cast<std::size_t>((h - back + kHoursPerWeek) % kHoursPerWeek)]
              .needed_agents > 0)
        n = 1;
    roster[static_cast<std::size_t>(h)] = n;
  }
  return roster;
}

bool any_on_duty(const WeekGrid<int>& g) {
  return std::ranges::any_of(g, [](int n) { return n > 0; });
}

ScenarioOutlook outlook_of(const staffing::Scenario& s,
                           const std::array<staffing::DeskStaffing, kDeskCount>& needs,
                           const std::array<std::string, kDeskCount>& rosters,
                           const staffing::SimulationResult& sim) {
  ScenarioOutlook o;
  double per_week = 0;
  for (double v : s.arrivals_per_hour) per_week += v;
  o.arrivals_per_week = per_week * s.arrival_multiplier;
  o.deflection_rate = s.deflection;
  o.first_line_resolution = 1 - s.desk(Desk::line1).escalation;
  o.outsourced_share = s.outsourced_share;
  for (int i = 0; i < kDeskCount; ++i) {
    const auto u = static_cast<std::size_t>(i);
    DeskOutlook& d = o.desks[u];
    const staffing::DeskStaffing& need = needs[u];
    const staffing::DeskResult& r = sim.desks[u];
    const WeekGrid<int>& roster = s.desks[u].agents;
    for (std::size_t h = 0; h < kHoursPerWeek; ++h) {
      d.needed_per_hour[h] = need.map.cells[h].needed_agents;
      d.needed_peak = std::max(d.needed_peak, d.needed_per_hour[h]);
      d.rostered_agent_hours += roster[h];
      if (roster[h] < d.needed_per_hour[h]) ++d.hours_short;
    }
    d.needed_agent_hours = need.needed_rostered_agent_hours;
    d.in_use = d.needed_peak > 0 || r.arrivals > 0;
    d.roster = d.in_use || any_on_duty(roster) ? rosters[u] : "none";
    d.arrivals = r.arrivals;
    d.mean_wait_seconds = r.mean_wait_seconds;
    d.service_level = r.service_level;
    d.utilisation = r.utilisation;
    d.backlog_at_end = r.backlog_at_end;
    if (!d.in_use) {
      d.sla_risk = "none";
    } else if (d.service_level >= s.target.service_level) {
      d.sla_risk = d.hours_short == 0 ? "low" : "medium";
    } else {
      d.sla_risk = d.service_level >= s.target.service_level - 0.05 ? "medium" : "high";
    }
  }
  return o;
}

}  // namespace

Result<StaffingWhatIf> staffing_what_if(const StaffingMeasures& m, const StaffingAssumptions& a,
                                        const ServiceTarget& target,
                                        const std::optional<StaffingPlan>& plan,
                                        const WhatIfLevers& levers,
                                        const SimulationBudget& budget) {
  if (auto ok = check_target(target); !ok) return std::unexpected(ok.error());
  if (auto ok = check_levers(levers); !ok) return std::unexpected(ok.error());

  staffing::Scenario base = scenario_from_measures(m, a, target);
  staffing::Scenario changed = base;
  changed.name = "what-if";
  if (levers.deflection_rate) {
    // The demand is the base's; only the share solved at line 0 moves.
    changed.deflection = *levers.deflection_rate;
  }
  if (levers.first_line_resolution)
    changed.desk(Desk::line1).escalation = 1 - *levers.first_line_resolution;
  if (levers.outsourced_share) changed.outsourced_share = *levers.outsourced_share;
  if (levers.arrival_factor) changed.arrival_multiplier *= *levers.arrival_factor;

  auto base_needs = needs_of(base);
  if (!base_needs) return std::unexpected(base_needs.error());
  auto changed_needs = needs_of(changed);
  if (!changed_needs) return std::unexpected(changed_needs.error());

  // The roster: the plan's where a desk is planned (on the queue), else what the base needs;
  // a desk only the change puts to work gets what the change needs.
  std::array<std::string, kDeskCount> base_rosters, changed_rosters;
  for (int i = 0; i < kDeskCount; ++i) {
    const auto d = static_cast<Desk>(i);
    const auto u = static_cast<std::size_t>(i);
    WeekGrid<int> roster{};
    std::string source = "needed";
    if (plan && plan->planned(d)) {
      const WeekGrid<int> rostered = plan->rostered(d);
      for (std::size_t h = 0; h < kHoursPerWeek; ++h)
        roster[h] = on_queue(rostered[h], target.shrinkage);
      source = "plan";
    }
    if (!any_on_duty(roster)) {
      roster = staffed_to((*base_needs)[u]);
      source = "needed";
    }
    base.desks[u].agents = roster;
    base_rosters[u] = source;
    if (!any_on_duty(roster)) {
      roster = staffed_to((*changed_needs)[u]);
      source = "needed_after_change";
    }
    changed.desks[u].agents = roster;
    changed_rosters[u] = source;
  }

  // Length: a week's warm-up, then up to max_weeks, fewer for a busy desk.
  double visits_per_week = 0;
  for (const auto* needs : {&*base_needs, &*changed_needs}) {
    double v = 0;
    for (const auto& desk : *needs)
      for (double x : desk.offered.arrivals_per_hour) v += x;
    visits_per_week = std::max(visits_per_week, v);
  }
  int weeks = budget.max_weeks;
  if (visits_per_week > 0)
    weeks = std::clamp(static_cast<int>(budget.max_tickets / visits_per_week), 1, budget.max_weeks);
  // A desk busier than the budget in a week fills its queues within a day: a day's warm-up,
  // then one week (Tuesday to Monday) counted.
  const double warmup = visits_per_week > budget.max_tickets ? 24 : kHoursPerWeek;
  for (auto* s : {&base, &changed}) {
    s->seed = budget.seed;
    s->warmup_hours = warmup;
    s->run_hours = static_cast<double>(weeks) * kHoursPerWeek;
    if (auto ok = staffing::validate(*s); !ok) return std::unexpected(ok.error());
  }

  StaffingWhatIf out;
  out.seed = budget.seed;
  out.simulated_weeks = weeks;
  const auto base_sim = staffing::simulate(base);
  const auto changed_sim = staffing::simulate(changed);
  out.base = outlook_of(base, *base_needs, base_rosters, base_sim);
  out.changed = outlook_of(changed, *changed_needs, changed_rosters, changed_sim);
  if (m.weeks > 0)
    out.opened_above_line1_per_week =
        static_cast<double>(m.opened_at[2] + m.opened_at[3] + m.opened_at[4]) / m.weeks;
  return out;
}

// --- the service ----------------------------------------------------------------------------

Result<StaffingMeasures> StaffingService::measures(const StaffingRequest& request) {
  StaffingQuery query;
  query.filter = request.filter;
  query.zone = options_.zone;
  query.deflection_window = kDeflectionWindow;
  return store_.staffing_measures(query, clock_.now());
}

Result<std::optional<StaffingPlan>> StaffingService::stored_plan() {
  auto doc = store_.setting(kPlanSetting);
  if (!doc) {
    if (doc.error().code == ErrorCode::not_found) return std::optional<StaffingPlan>{};
    return std::unexpected(doc.error());
  }
  auto plan = decode_plan(doc->body);
  if (!plan)
    return fail(ErrorCode::internal,
                "the stored staffing plan cannot be read: " + plan.error().message);
  plan->version = doc->version;
  plan->updated_at = doc->updated_at;
  return std::optional<StaffingPlan>{std::move(*plan)};
}

Result<Report> StaffingService::report(const Actor& actor, const StaffingRequest& request) {
  if (!may_read_reports(actor))
    return fail(ErrorCode::permission_denied, "staffing: supervisors and admins only");
  if (auto ok = check_target(request.target); !ok) return std::unexpected(ok.error());
  auto m = measures(request);
  if (!m) return std::unexpected(m.error());
  auto plan = stored_plan();
  if (!plan) return std::unexpected(plan.error());
  return staffing_report(*m, options_.assumptions, request.target, *plan, request.desk);
}

Result<StaffingWhatIf> StaffingService::what_if(const Actor& actor, const StaffingRequest& request,
                                                const WhatIfLevers& levers) {
  if (!may_read_reports(actor))
    return fail(ErrorCode::permission_denied, "staffing: supervisors and admins only");
  if (auto ok = check_target(request.target); !ok) return std::unexpected(ok.error());
  if (auto ok = check_levers(levers); !ok) return std::unexpected(ok.error());
  auto m = measures(request);
  if (!m) return std::unexpected(m.error());
  auto plan = stored_plan();
  if (!plan) return std::unexpected(plan.error());
  return staffing_what_if(*m, options_.assumptions, request.target, *plan, levers);
}

Result<StaffingPlan> StaffingService::plan(const Actor& actor) {
  if (!may_plan_staffing(actor))
    return fail(ErrorCode::permission_denied, "staffing plan: supervisors and admins only");
  auto plan = stored_plan();
  if (!plan) return std::unexpected(plan.error());
  return plan->value_or(StaffingPlan{});
}

Result<StaffingPlan> StaffingService::save_plan(const Actor& actor, const StaffingPlan& plan,
                                                std::optional<std::int64_t> expected_version) {
  if (!may_plan_staffing(actor))
    return fail(ErrorCode::permission_denied, "staffing plan: supervisors and admins only");
  ConfigDocument doc;
  doc.name = std::string(kPlanSetting);
  auto current = store_.setting(kPlanSetting);
  if (current) {
    doc.id = current->id;
    doc.version = current->version;
  } else if (current.error().code != ErrorCode::not_found) {
    return std::unexpected(current.error());
  }
  if (expected_version && *expected_version != doc.version)
    return fail(ErrorCode::conflict, "the staffing plan was changed meanwhile (version " +
                                         std::to_string(doc.version) + " is current)");
  const Timestamp now = clock_.now();
  doc.body = encode_plan(plan);
  doc.updated_at = now;
  auto saved =
      store_.save_setting(doc, event_with(event_type::staffing_plan_saved, now,
                                          json::object{{"name", kPlanSetting}}, actor.user.id));
  if (!saved) return std::unexpected(saved.error());
  StaffingPlan out = plan;
  out.version = saved->version;
  out.updated_at = saved->updated_at;
  return out;
}

}  // namespace fl
