// TOML (toml++) to a Scenario: every key checked, unknown keys refused so that a typo is not a
// silent default.
#include "staffing/scenario_file.hpp"

#include <toml++/toml.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>

namespace fl::staffing {
namespace {

constexpr std::array<std::string_view, 7> kDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr double kInf = std::numeric_limits<double>::infinity();

std::string join(std::string_view prefix, std::string_view key) {
  return prefix.empty() ? std::string(key) : std::string(prefix) + "." + std::string(key);
}

std::string show(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

Result<void> only_keys(const toml::table& t, std::string_view prefix,
                       std::initializer_list<std::string_view> allowed) {
  for (const auto& [k, v] : t) {
    bool known = false;
    for (auto a : allowed) known = known || a == k.str();
    if (!known) return invalid_field(join(prefix, k.str()), "unknown key");
  }
  return {};
}

Result<double> number(const toml::node& n, const std::string& key) {
  if (auto i = n.value_exact<std::int64_t>()) return static_cast<double>(*i);
  if (auto d = n.value_exact<double>()) return *d;
  return invalid_field(key, "must be a number");
}

// An optional number in [lo, hi] ((lo, hi] with lo_open); absent leaves `out` as it was.
Result<void> read_number(const toml::table& t, std::string_view prefix, std::string_view name,
                         double& out, double lo, double hi, bool lo_open = false) {
  const toml::node* n = t.get(name);
  if (!n) return {};
  const std::string key = join(prefix, name);
  auto v = number(*n, key);
  if (!v) return std::unexpected(v.error());
  if (!std::isfinite(*v) || (lo_open ? *v <= lo : *v < lo) || *v > hi) {
    if (std::isinf(hi))
      return invalid_field(key, (lo_open ? "must be > " : "must be >= ") + show(lo));
    return invalid_field(
        key, std::string("must be in ") + (lo_open ? "(" : "[") + show(lo) + ", " + show(hi) + "]");
  }
  out = *v;
  return {};
}

Result<void> read_optional(const toml::table& t, std::string_view prefix, std::string_view name,
                           std::optional<double>& out, double lo, double hi) {
  if (!t.contains(name)) return {};
  double v = 0;
  if (auto r = read_number(t, prefix, name, v, lo, hi); !r) return r;
  out = v;
  return {};
}

// 24 cells (one day) from a number or an array of 24.
Result<std::array<double, 24>> day_cells(const toml::node& n, const std::string& key) {
  std::array<double, 24> day{};
  if (const auto* a = n.as_array()) {
    if (a->size() != 24)
      return invalid_field(key, "expected 24 hourly values, got " + std::to_string(a->size()));
    for (std::size_t i = 0; i < 24; ++i) {
      auto v = number((*a)[i], key + "[" + std::to_string(i) + "]");
      if (!v) return std::unexpected(v.error());
      day[i] = *v;
    }
    return day;
  }
  auto v = number(n, key);
  if (!v) return invalid_field(key, "expected a number or 24 hourly values");
  day.fill(*v);
  return day;
}

// A week grid: a number (every hour), 24 numbers (every day alike), 168 numbers (Monday 00:00
// first), or a table of days (mon ... sun, each a number or 24 numbers; a missing day is 0).
Result<WeekGrid<double>> week_grid(const toml::node& n, const std::string& key) {
  constexpr const char* kShapes =
      "expected a number, 24 or 168 numbers, or a table of days (mon ... sun)";
  WeekGrid<double> g{};
  if (const auto* a = n.as_array()) {
    if (a->size() == 24) {
      auto day = day_cells(n, key);
      if (!day) return std::unexpected(day.error());
      for (int h = 0; h < kHoursPerWeek; ++h) g[h] = (*day)[h % 24];
      return g;
    }
    if (a->size() != 168) return invalid_field(key, kShapes);
    for (int h = 0; h < kHoursPerWeek; ++h) {
      auto v = number((*a)[h], key + "[" + std::to_string(h) + "]");
      if (!v) return std::unexpected(v.error());
      g[h] = *v;
    }
    return g;
  }
  if (const auto* t = n.as_table()) {
    for (const auto& [k, v] : *t) {
      int d = 0;
      while (d < 7 && kDays[d] != k.str()) ++d;
      if (d == 7)
        return invalid_field(key + "." + std::string(k.str()), "unknown day (mon ... sun)");
      auto day = day_cells(v, key + "." + std::string(k.str()));
      if (!day) return std::unexpected(day.error());
      for (int h = 0; h < 24; ++h) g[hour_of_week(d, h)] = (*day)[h];
    }
    return g;
  }
  auto v = number(n, key);
  if (!v) return invalid_field(key, kShapes);
  g.fill(*v);
  return g;
}

Result<WeekGrid<int>> agents_grid(const toml::node& n, const std::string& key) {
  auto g = week_grid(n, key);
  if (!g) return std::unexpected(g.error());
  WeekGrid<int> out{};
  for (int h = 0; h < kHoursPerWeek; ++h) {
    const double v = (*g)[h];
    if (!(v >= 0 && v <= 1e6) || v != std::floor(v))
      return invalid_field(key, "hour " + std::to_string(h) + ": expected a whole number >= 0");
    out[h] = static_cast<int>(v);
  }
  return out;
}

Result<void> read_desk(const toml::table& t, const std::string& key, Desk desk, Scenario& s) {
  const bool first = desk == Desk::line1 || desk == Desk::partner;
  const bool last = desk == Desk::line4;
  Result<void> keys =
      desk == Desk::partner ? only_keys(t, key,
                                        {"share", "aht_minutes", "handling", "cv", "agents",
                                         "first_contact_resolution", "answer_within_seconds"})
      : first               ? only_keys(t, key,
                                        {"aht_minutes", "handling", "cv", "agents", "first_contact_resolution",
                                         "answer_within_seconds"})
      : last
          ? only_keys(t, key, {"aht_minutes", "handling", "cv", "agents", "answer_within_seconds"})
          : only_keys(
                t, key,
                {"aht_minutes", "handling", "cv", "agents", "escalation", "answer_within_seconds"});
  if (!keys) return keys;
  DeskConfig& c = s.desk(desk);
  if (!t.contains("aht_minutes")) return invalid_field(key + ".aht_minutes", "missing");
  if (auto r = read_number(t, key, "aht_minutes", c.aht_minutes, 0, kInf, true); !r) return r;
  if (const toml::node* h = t.get("handling")) {
    const auto v = h->value_exact<std::string>();
    if (v == "exponential") {
      c.shape = HandlingShape::exponential;
    } else if (v == "lognormal") {
      c.shape = HandlingShape::lognormal;
    } else {
      return invalid_field(key + ".handling", "must be \"exponential\" or \"lognormal\"");
    }
  }
  if (t.contains("cv") && c.shape != HandlingShape::lognormal)
    return invalid_field(key + ".cv", "only with handling = \"lognormal\"");
  if (auto r = read_number(t, key, "cv", c.cv, 0, 100, true); !r) return r;
  if (!t.contains("agents")) return invalid_field(key + ".agents", "missing");
  auto agents = agents_grid(*t.get("agents"), key + ".agents");
  if (!agents) return std::unexpected(agents.error());
  c.agents = *agents;
  if (first) {
    double fcr = 1;
    if (auto r = read_number(t, key, "first_contact_resolution", fcr, 0, 1); !r) return r;
    c.escalation = 1 - fcr;
  } else if (!last) {
    if (auto r = read_number(t, key, "escalation", c.escalation, 0, 1); !r) return r;
  }
  c.answer_within_seconds = s.target.answer_within_seconds;
  return read_number(t, key, "answer_within_seconds", c.answer_within_seconds, 0, kInf);
}

Result<void> read_business_hours(const toml::table& t, Scenario& s) {
  if (auto r = only_keys(t, "business_hours", {"days", "open", "close"}); !r) return r;
  const auto* days = t.get_as<toml::array>("days");
  if (!days)
    return invalid_field("business_hours.days", "expected a list of days, e.g. [\"mon\", \"fri\"]");
  double open = 0, close = 24;
  if (auto r = read_number(t, "business_hours", "open", open, 0, 23); !r) return r;
  if (auto r = read_number(t, "business_hours", "close", close, 1, 24); !r) return r;
  if (open != std::floor(open) || close != std::floor(close))
    return invalid_field("business_hours.open", "hours are whole numbers (0-24)");
  if (close <= open) return invalid_field("business_hours.close", "must be after open");
  s.open.fill(false);
  for (const auto& d : *days) {
    const auto name = d.value_exact<std::string>();
    int i = 0;
    while (i < 7 && (!name || kDays[i] != *name)) ++i;
    if (i == 7) return invalid_field("business_hours.days", "unknown day (mon ... sun)");
    for (int h = static_cast<int>(open); h < static_cast<int>(close); ++h)
      s.open[hour_of_week(i, h)] = true;
  }
  return {};
}

Result<ScenarioFile> parse_table(const toml::table& root) {
  ScenarioFile file;
  Scenario& s = file.scenario;
  if (auto r =
          only_keys(root, "",
                    {"name", "seed", "warmup_hours", "run_hours", "after_hours", "business_hours",
                     "arrivals", "line0", "target", "lines", "partner", "what_if"});
      !r)
    return std::unexpected(r.error());
  const auto check = [](Result<void> r) { return r; };
  if (const toml::node* n = root.get("name")) {
    auto v = n->value_exact<std::string>();
    if (!v) return invalid_field("name", "must be a string");
    s.name = *v;
  }
  if (const toml::node* n = root.get("seed")) {
    auto v = n->value_exact<std::int64_t>();
    if (!v || *v < 0) return invalid_field("seed", "must be a whole number >= 0");
    s.seed = static_cast<std::uint64_t>(*v);
  }
  for (auto r : {check(read_number(root, "", "warmup_hours", s.warmup_hours, 0, kInf)),
                 check(read_number(root, "", "run_hours", s.run_hours, 0, kInf, true))})
    if (!r) return std::unexpected(r.error());
  if (const toml::node* n = root.get("after_hours")) {
    const auto v = n->value_exact<std::string>();
    if (v == "queue") {
      s.after_hours = AfterHours::queue;
    } else if (v == "reject") {
      s.after_hours = AfterHours::reject;
    } else {
      return invalid_field("after_hours", "must be \"queue\" or \"reject\"");
    }
  }
  const auto section = [&](std::string_view name) -> Result<const toml::table*> {
    const toml::node* n = root.get(name);
    if (!n) return nullptr;
    if (!n->is_table())
      return invalid_field(std::string(name), "must be a table ([" + std::string(name) + "])");
    return n->as_table();
  };

  if (auto t = section("business_hours"); !t) {
    return std::unexpected(t.error());
  } else if (*t) {
    if (auto r = read_business_hours(**t, s); !r) return std::unexpected(r.error());
  }
  if (auto t = section("target"); !t) {
    return std::unexpected(t.error());
  } else if (*t) {
    const toml::table& tt = **t;
    if (auto r = only_keys(
            tt, "target", {"service_level", "answer_within_seconds", "max_occupancy", "shrinkage"});
        !r)
      return std::unexpected(r.error());
    for (auto r :
         {check(read_number(tt, "target", "service_level", s.target.service_level, 0, 1, true)),
          check(read_number(tt, "target", "answer_within_seconds", s.target.answer_within_seconds,
                            0, kInf)),
          check(read_number(tt, "target", "max_occupancy", s.target.max_occupancy, 0, 1, true)),
          check(read_number(tt, "target", "shrinkage", s.target.shrinkage, 0, 0.99))})
      if (!r) return std::unexpected(r.error());
    if (s.target.service_level >= 1)
      return invalid_field("target.service_level", "must be in (0, 1)");
  }
  if (auto t = section("arrivals"); !t) {
    return std::unexpected(t.error());
  } else if (!*t) {
    return invalid_field("arrivals", "missing ([arrivals] with per_hour)");
  } else {
    const toml::table& at = **t;
    if (auto r = only_keys(at, "arrivals", {"per_hour", "multiplier"}); !r)
      return std::unexpected(r.error());
    if (!at.contains("per_hour")) return invalid_field("arrivals.per_hour", "missing");
    auto g = week_grid(*at.get("per_hour"), "arrivals.per_hour");
    if (!g) return std::unexpected(g.error());
    for (int h = 0; h < kHoursPerWeek; ++h)
      if (!((*g)[h] >= 0))
        return invalid_field("arrivals.per_hour", "hour " + std::to_string(h) + ": must be >= 0");
    s.arrivals_per_hour = *g;
    if (auto r = read_number(at, "arrivals", "multiplier", s.arrival_multiplier, 0, kInf); !r)
      return std::unexpected(r.error());
  }
  if (auto t = section("line0"); !t) {
    return std::unexpected(t.error());
  } else if (*t) {
    if (auto r = only_keys(**t, "line0", {"deflection"}); !r) return std::unexpected(r.error());
    if (auto r = read_number(**t, "line0", "deflection", s.deflection, 0, 1); !r)
      return std::unexpected(r.error());
  }
  if (auto t = section("lines"); !t) {
    return std::unexpected(t.error());
  } else if (!*t) {
    return invalid_field("lines", "missing ([lines.1] at least)");
  } else {
    if (auto r = only_keys(**t, "lines", {"1", "2", "3", "4"}); !r)
      return std::unexpected(r.error());
    if (!(*t)->contains("1")) return invalid_field("lines.1", "missing");
    constexpr std::array<Desk, 4> kLines = {Desk::line1, Desk::line2, Desk::line3, Desk::line4};
    for (int i = 0; i < 4; ++i) {
      const std::string key = "lines." + std::to_string(i + 1);
      const toml::node* n = (*t)->get(std::to_string(i + 1));
      if (!n) continue;
      if (!n->is_table()) return invalid_field(key, "must be a table ([" + key + "])");
      if (auto r = read_desk(*n->as_table(), key, kLines[i], s); !r)
        return std::unexpected(r.error());
    }
  }
  if (auto t = section("partner"); !t) {
    return std::unexpected(t.error());
  } else if (*t) {
    if (auto r = read_number(**t, "partner", "share", s.outsourced_share, 0, 1); !r)
      return std::unexpected(r.error());
    if (auto r = read_desk(**t, "partner", Desk::partner, s); !r) return std::unexpected(r.error());
  }
  if (auto t = section("what_if"); !t) {
    return std::unexpected(t.error());
  } else if (*t) {
    const toml::table& wt = **t;
    ScenarioOverrides& o = file.what_if;
    if (auto r =
            only_keys(wt, "what_if",
                      {"deflection", "first_contact_resolution", "partner_first_contact_resolution",
                       "outsourced_share", "arrival_multiplier"});
        !r)
      return std::unexpected(r.error());
    for (auto r :
         {check(read_optional(wt, "what_if", "deflection", o.deflection, 0, 1)),
          check(read_optional(wt, "what_if", "first_contact_resolution", o.first_contact_resolution,
                              0, 1)),
          check(read_optional(wt, "what_if", "partner_first_contact_resolution",
                              o.partner_first_contact_resolution, 0, 1)),
          check(read_optional(wt, "what_if", "outsourced_share", o.outsourced_share, 0, 1)),
          check(read_optional(wt, "what_if", "arrival_multiplier", o.arrival_multiplier, 0, kInf))})
      if (!r) return std::unexpected(r.error());
  }
  if (auto v = validate(s); !v) return std::unexpected(v.error());
  if (!file.what_if.empty())
    if (auto changed = apply(s, file.what_if); !changed) return std::unexpected(changed.error());
  return file;
}

}  // namespace

Result<ScenarioFile> parse_scenario(std::string_view toml_text) {
  toml::table root;
  try {
    root = toml::parse(toml_text);
  } catch (const toml::parse_error& e) {
    return fail(ErrorCode::invalid_argument, "line " + std::to_string(e.source().begin.line) +
                                                 ": " + std::string(e.description()));
  }
  return parse_table(root);
}

Result<ScenarioFile> load_scenario(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(ErrorCode::not_found, file.string() + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  auto parsed = parse_scenario(text.str());
  if (!parsed) {
    Error e = parsed.error();
    e.message = file.string() + ": " + e.message;
    return std::unexpected(std::move(e));
  }
  return parsed;
}

}  // namespace fl::staffing
