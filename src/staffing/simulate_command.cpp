// The output of `firstline simulate`: a plain table for people, JSON (Boost.JSON) for tools.
#include "staffing/simulate_command.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>

#include "staffing/scenario_file.hpp"

namespace fl::staffing {
namespace {

namespace json = boost::json;

std::string format(const char* fmt, auto... args) {
  char buf[256];
  std::snprintf(buf, sizeof buf, fmt, args...);
  return buf;
}

bool desk_in_use(const ScenarioOutcome& o, int i) {
  return o.simulation.desks[i].arrivals > 0 || o.simulation.desks[i].scheduled_agent_hours > 0 ||
         o.staffing[i].map.needed_agent_hours > 0;
}

std::string describe(const ScenarioOverrides& o) {
  std::string s;
  const auto add = [&](const char* name, const std::optional<double>& v) {
    if (v) s += (s.empty() ? "" : ", ") + format("%s = %g", name, *v);
  };
  add("deflection", o.deflection);
  add("first_contact_resolution", o.first_contact_resolution);
  add("partner_first_contact_resolution", o.partner_first_contact_resolution);
  add("outsourced_share", o.outsourced_share);
  add("arrival_multiplier", o.arrival_multiplier);
  return s;
}

void print_table(std::ostream& out, const std::string& title, const Scenario& s,
                 const ScenarioOutcome& o, double seconds) {
  const SimulationResult& r = o.simulation;
  const double weeks = (r.simulated_hours - s.warmup_hours) / kHoursPerWeek;
  out << title << ": \"" << r.name << "\", seed " << s.seed << ", "
      << format("%.0f h after a %.0f h warm-up", r.simulated_hours - s.warmup_hours, s.warmup_hours)
      << format(" (%lld events in %.1f ms)\n", static_cast<long long>(r.events), 1000 * seconds);
  out << format("  demand %lld, deflected at line 0 %lld (%.1f %%)",
                static_cast<long long>(r.demand), static_cast<long long>(r.deflected),
                r.demand > 0 ? 100.0 * r.deflected / r.demand : 0.0);
  if (s.after_hours == AfterHours::reject)
    out << format(", not served after hours %lld", static_cast<long long>(r.rejected_after_hours));
  out << format(", resolved %lld, mean resolution %.2f h\n", static_cast<long long>(r.resolved),
                r.mean_resolution_hours);
  out << "  desk     arrivals  handled escalated   mean wait     SL  in hours: wait     SL"
         "  (within)    util  in system  left q/svc | Erlang C, agent-h/week: needed  sched  short "
         "h"
         "  peak\n";
  for (int i = 0; i < kDeskCount; ++i) {
    if (!desk_in_use(o, i)) continue;
    const DeskResult& d = r.desks[i];
    const DeskStaffing& st = o.staffing[i];
    out << format(
               "  %-8s %8lld %8lld %9lld %10.1fs %5.1f%% %13.1fs %5.1f%% (%6.0fs) %6.1f%% %8.1fm"
               " %6lld/%-4lld |",
               std::string(to_string(static_cast<Desk>(i))).c_str(),
               static_cast<long long>(d.arrivals), static_cast<long long>(d.handled),
               static_cast<long long>(d.escalated), d.mean_wait_seconds, 100 * d.service_level,
               d.mean_wait_in_hours_seconds, 100 * d.service_level_in_hours,
               d.answer_within_seconds, 100 * d.utilisation, d.mean_time_in_system_minutes,
               static_cast<long long>(d.waiting_at_end),
               static_cast<long long>(d.in_service_at_end))
        << format(" %30.0f %6.0f %8d %5d\n", st.map.needed_agent_hours, st.map.planned_agent_hours,
                  st.map.cells_short, st.map.peak_needed);
  }
  out << format(
      "  (%.1f weeks counted; waits include closed hours, \"in hours\" counts arrivals in "
      "business hours; Erlang C: %.0f %% within each desk's threshold, max occupancy "
      "%.0f %%, on-queue agents; shrinkage %.0f %% on top for the roster)\n",
      weeks, 100 * s.target.service_level, 100 * s.target.max_occupancy, 100 * s.target.shrinkage);
}

json::object to_json(const Scenario& s, const ScenarioOutcome& o) {
  const SimulationResult& r = o.simulation;
  json::object out;
  out["name"] = r.name;
  out["seed"] = s.seed;
  out["warmup_hours"] = s.warmup_hours;
  out["run_hours"] = s.run_hours;
  out["events"] = r.events;
  out["demand"] = r.demand;
  out["deflected"] = r.deflected;
  out["rejected_after_hours"] = r.rejected_after_hours;
  out["resolved"] = r.resolved;
  out["mean_resolution_hours"] = r.mean_resolution_hours;
  json::array desks;
  for (int i = 0; i < kDeskCount; ++i) {
    const DeskResult& d = r.desks[i];
    const DeskStaffing& st = o.staffing[i];
    json::object j;
    j["desk"] = std::string(to_string(static_cast<Desk>(i)));
    j["arrivals"] = d.arrivals;
    j["handled"] = d.handled;
    j["resolved"] = d.resolved;
    j["escalated"] = d.escalated;
    j["waiting_at_end"] = d.waiting_at_end;
    j["in_service_at_end"] = d.in_service_at_end;
    j["backlog_at_end"] = d.backlog_at_end;
    j["mean_wait_seconds"] = d.mean_wait_seconds;
    j["max_wait_seconds"] = d.max_wait_seconds;
    j["service_level"] = d.service_level;
    j["answer_within_seconds"] = d.answer_within_seconds;
    j["mean_wait_in_hours_seconds"] = d.mean_wait_in_hours_seconds;
    j["service_level_in_hours"] = d.service_level_in_hours;
    j["utilisation"] = d.utilisation;
    j["mean_time_in_system_minutes"] = d.mean_time_in_system_minutes;
    j["scheduled_agent_hours"] = d.scheduled_agent_hours;
    json::object erlang;
    erlang["needed_agent_hours_per_week"] = st.map.needed_agent_hours;
    erlang["needed_rostered_agent_hours_per_week"] = st.needed_rostered_agent_hours;
    erlang["scheduled_agent_hours_per_week"] = st.map.planned_agent_hours;
    erlang["hours_short"] = st.map.cells_short;
    erlang["peak_needed"] = st.map.peak_needed;
    json::array needed, planned, offered;
    for (const HeatMapCell& c : st.map.cells) {
      needed.push_back(c.needed_agents);
      planned.push_back(c.planned);
    }
    for (double a : st.offered.arrivals_per_hour) offered.push_back(a);
    erlang["offered_per_hour"] = std::move(offered);
    erlang["needed_per_hour"] = std::move(needed);
    erlang["scheduled_per_hour"] = std::move(planned);
    j["erlang_c"] = std::move(erlang);
    desks.push_back(std::move(j));
  }
  out["desks"] = std::move(desks);
  return out;
}

json::object overrides_json(const ScenarioOverrides& o) {
  json::object j;
  const auto add = [&](const char* name, const std::optional<double>& v) {
    if (v) j[name] = *v;
  };
  add("deflection", o.deflection);
  add("first_contact_resolution", o.first_contact_resolution);
  add("partner_first_contact_resolution", o.partner_first_contact_resolution);
  add("outsourced_share", o.outsourced_share);
  add("arrival_multiplier", o.arrival_multiplier);
  return j;
}

}  // namespace

int simulate_command(const SimulateOptions& options, std::ostream& out, std::ostream& err) {
  auto file = load_scenario(options.scenario);
  if (!file) {
    err << "firstline: " << file.error().message << "\n";
    return 2;
  }
  if (options.seed) file->scenario.seed = *options.seed;
  const auto started = std::chrono::steady_clock::now();
  const auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  if (file->what_if.empty()) {
    auto outcome = run(file->scenario);
    if (!outcome) {
      err << "firstline: " << options.scenario.string() << ": " << outcome.error().message << "\n";
      return 2;
    }
    if (options.json) {
      out << json::serialize(json::object{{"base", to_json(file->scenario, *outcome)}}) << "\n";
    } else {
      print_table(out, "base", file->scenario, *outcome, elapsed());
    }
    return 0;
  }
  auto comparison = what_if(file->scenario, file->what_if);
  if (!comparison) {
    err << "firstline: " << options.scenario.string() << ": " << comparison.error().message << "\n";
    return 2;
  }
  if (options.json) {
    json::object what;
    what["overrides"] = overrides_json(file->what_if);
    what["outcome"] = to_json(comparison->changed_scenario, comparison->changed);
    out << json::serialize(json::object{{"base", to_json(file->scenario, comparison->base)},
                                        {"what_if", std::move(what)}})
        << "\n";
  } else {
    const double seconds = elapsed() / 2;  // both runs, about equal
    print_table(out, "base", file->scenario, comparison->base, seconds);
    out << "\n";
    print_table(out, "what-if (" + describe(file->what_if) + ")", comparison->changed_scenario,
                comparison->changed, seconds);
  }
  return 0;
}

}  // namespace fl::staffing
