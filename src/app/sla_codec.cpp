#include "app/sla_codec.hpp"

#include "app/json_reader.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <set>

namespace fl {

namespace {

namespace json = boost::json;
using std::chrono::minutes;

constexpr std::array<std::string_view, kDaysPerWeek> kDayKeys{"mon", "tue", "wed", "thu",
                                                             "fri", "sat", "sun"};

std::string two(int v) {
  std::string s = std::to_string(v);
  return s.size() < 2 ? "0" + s : s;
}

std::string time_of_day(minutes m) {
  return two(static_cast<int>(m.count() / 60)) + ":" + two(static_cast<int>(m.count() % 60));
}

// "HH:MM", 00:00..24:00.
std::optional<minutes> parse_time_of_day(std::string_view s) {
  int h = 0, m = 0;
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  if (std::from_chars(s.data(), s.data() + 2, h).ec != std::errc{} ||
      std::from_chars(s.data() + 3, s.data() + 5, m).ec != std::errc{})
    return std::nullopt;
  if (h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0)) return std::nullopt;
  return minutes{h * 60 + m};
}

std::optional<Holiday> parse_holiday_date(std::string_view s) {
  Holiday h;
  auto number = [](std::string_view part, int& out) {
    return !part.empty() &&
           std::from_chars(part.data(), part.data() + part.size(), out).ec == std::errc{};
  };
  if (s.size() == 5 && s[2] == '-') {
    if (number(s.substr(0, 2), h.month) && number(s.substr(3, 2), h.day)) return h;
  } else if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
    int year = 0;
    if (number(s.substr(0, 4), year) && number(s.substr(5, 2), h.month) &&
        number(s.substr(8, 2), h.day)) {
      h.year = year;
      return h;
    }
  }
  return std::nullopt;
}

std::string holiday_date(const Holiday& h) {
  std::string md = two(h.month) + "-" + two(h.day);
  return h.year ? std::to_string(*h.year) + "-" + md : md;
}


json::value optional_minutes(const std::optional<minutes>& m) {
  return m ? json::value(m->count()) : json::value(nullptr);
}

}  // namespace

std::string encode_calendar(const BusinessCalendar& c) {
  json::object week;
  for (std::size_t d = 0; d < kDaysPerWeek; ++d) {
    json::array spans;
    for (const auto& s : c.week[d])
      spans.push_back(json::array{json::string(time_of_day(s.from)), json::string(time_of_day(s.to))});
    week[kDayKeys[d]] = std::move(spans);
  }
  json::array holidays;
  for (const auto& h : c.holidays)
    holidays.push_back(json::object{{"date", holiday_date(h)}, {"name", h.name}});
  return json::serialize(json::object{{"name", c.name},
                                      {"time_zone", c.time_zone},
                                      {"week", std::move(week)},
                                      {"holidays", std::move(holidays)}});
}

Result<BusinessCalendar> decode_calendar(std::string_view text) {
  auto obj = parse_object(text);
  if (!obj) return std::unexpected(obj.error());
  std::vector<FieldError> errors;
  Reader r(*obj, "", errors);
  r.only({"name", "time_zone", "week", "holidays"});
  BusinessCalendar c;
  c.name = r.string("name", true).value_or("");
  c.time_zone = r.string("time_zone", true).value_or("");
  if (auto week = r.object("week")) {
    week->only({"mon", "tue", "wed", "thu", "fri", "sat", "sun"});
    for (std::size_t d = 0; d < kDaysPerWeek; ++d) {
      const json::array* spans = week->array(kDayKeys[d]);
      if (!spans) continue;
      for (const auto& span : *spans) {
        const json::array* pair = span.is_array() ? &span.as_array() : nullptr;
        std::optional<minutes> from, to;
        if (pair && pair->size() == 2 && (*pair)[0].is_string() && (*pair)[1].is_string()) {
          from = parse_time_of_day((*pair)[0].as_string());
          to = parse_time_of_day((*pair)[1].as_string());
        }
        if (!from || !to) {
          week->error(kDayKeys[d], "each span is [\"HH:MM\", \"HH:MM\"]");
          break;
        }
        c.week[d].push_back({*from, *to});
      }
    }
  } else {
    r.error("week", "required");
  }
  if (auto* holidays = r.array("holidays")) {
    for (const auto& h : *holidays) {
      const json::object* o = h.is_object() ? &h.as_object() : nullptr;
      const json::value* date = o ? o->if_contains("date") : nullptr;
      std::optional<Holiday> holiday =
          date && date->is_string() ? parse_holiday_date(date->as_string()) : std::nullopt;
      if (!holiday) {
        r.error("holidays", "each is {\"date\": \"MM-DD\" or \"YYYY-MM-DD\", \"name\": ...}");
        break;
      }
      if (auto* name = o->if_contains("name"); name && name->is_string())
        holiday->name = std::string(name->as_string());
      c.holidays.push_back(std::move(*holiday));
    }
  }
  if (!errors.empty()) return invalid_fields(std::move(errors));
  return c;
}

std::string encode_policy(const SlaPolicy& p) {
  json::object applies{
      {"organizations", json::array(p.applies_to.organizations.begin(), p.applies_to.organizations.end())},
      {"categories", json::array(p.applies_to.categories.begin(), p.applies_to.categories.end())}};
  json::array priorities, channels, pause_on;
  for (Priority pr : p.applies_to.priorities) priorities.push_back(json::string(name_of(pr)));
  for (Channel ch : p.applies_to.channels) channels.push_back(json::string(name_of(ch)));
  for (TicketStatus s : p.pause_on) pause_on.push_back(json::string(name_of(s)));
  applies["priorities"] = std::move(priorities);
  applies["channels"] = std::move(channels);
  json::object targets;
  for (const auto& [priority, name] : EnumNames<Priority>::table) {
    const SlaTargets& t = targets_for(p, priority);
    json::object o{{"first_response_minutes", optional_minutes(t.first_response)},
                   {"next_response_minutes", optional_minutes(t.next_response)},
                   {"resolution_minutes", optional_minutes(t.resolution)}};
    o["calendar_id"] = t.calendar ? json::value(*t.calendar) : json::value(nullptr);
    targets[name] = std::move(o);
  }
  json::array lines;
  for (const auto& t : p.line_targets) {
    json::object o{{"line", t.line},
                   {"respond_minutes", optional_minutes(t.respond)},
                   {"resolve_minutes", optional_minutes(t.resolve)}};
    o["team_id"] = t.team ? json::value(*t.team) : json::value(nullptr);
    lines.push_back(std::move(o));
  }
  json::array ladder;
  for (const auto& s : p.ladder) {
    json::object o{{"metric", name_of(s.metric)},
                   {"percent", s.percent},
                   {"notify_assignee", s.notify_assignee},
                   {"notify_supervisor", s.notify_supervisor},
                   {"raise_priority", s.raise_priority}};
    o["escalate_to_team_id"] = s.escalate_to ? json::value(*s.escalate_to) : json::value(nullptr);
    ladder.push_back(std::move(o));
  }
  return json::serialize(json::object{{"name", p.name},
                                      {"rank", p.rank},
                                      {"active", p.active},
                                      {"calendar_id", p.calendar},
                                      {"applies_to", std::move(applies)},
                                      {"targets", std::move(targets)},
                                      {"line_targets", std::move(lines)},
                                      {"pause_on", std::move(pause_on)},
                                      {"ladder", std::move(ladder)}});
}

Result<SlaPolicy> decode_policy(std::string_view text) {
  auto obj = parse_object(text);
  if (!obj) return std::unexpected(obj.error());
  std::vector<FieldError> errors;
  Reader r(*obj, "", errors);
  r.only({"name", "rank", "active", "calendar_id", "applies_to", "targets", "line_targets",
          "pause_on", "ladder"});
  SlaPolicy p;
  p.name = r.string("name", true).value_or("");
  p.rank = static_cast<int>(r.integer("rank").value_or(100));
  p.active = r.boolean("active").value_or(true);
  p.calendar = r.integer("calendar_id", true).value_or(0);
  if (auto a = r.object("applies_to")) {
    a->only({"organizations", "priorities", "categories", "channels"});
    p.applies_to.organizations = a->ids("organizations");
    p.applies_to.priorities = a->names<Priority>("priorities");
    p.applies_to.categories = a->strings("categories");
    p.applies_to.channels = a->names<Channel>("channels");
  }
  if (auto t = r.object("targets")) {
    t->only({"P1", "P2", "P3", "P4"});
    for (const auto& [priority, name] : EnumNames<Priority>::table) {
      auto o = t->object(name);
      if (!o) continue;
      o->only({"first_response_minutes", "next_response_minutes", "resolution_minutes",
               "calendar_id"});
      SlaTargets& st = p.targets[static_cast<std::size_t>(priority) - 1];
      st.first_response = o->duration("first_response_minutes");
      st.next_response = o->duration("next_response_minutes");
      st.resolution = o->duration("resolution_minutes");
      if (auto c = o->integer("calendar_id")) st.calendar = *c;
    }
  }
  if (auto* lines = r.array("line_targets")) {
    for (std::size_t i = 0; i < lines->size(); ++i) {
      if (!(*lines)[i].is_object()) {
        r.error("line_targets", "each must be an object");
        break;
      }
      Reader o((*lines)[i].as_object(), r.path_of("line_targets") + "[" + std::to_string(i) + "]",
               errors);
      o.only({"line", "team_id", "respond_minutes", "resolve_minutes"});
      LineTarget t;
      t.line = static_cast<int>(o.integer("line", true).value_or(0));
      if (auto team = o.integer("team_id")) t.team = *team;
      t.respond = o.duration("respond_minutes");
      t.resolve = o.duration("resolve_minutes");
      p.line_targets.push_back(t);
    }
  }
  if (r.get("pause_on")) p.pause_on = r.names<TicketStatus>("pause_on");
  if (auto* steps = r.array("ladder")) {
    for (std::size_t i = 0; i < steps->size(); ++i) {
      if (!(*steps)[i].is_object()) {
        r.error("ladder", "each step must be an object");
        break;
      }
      Reader o((*steps)[i].as_object(), r.path_of("ladder") + "[" + std::to_string(i) + "]",
               errors);
      o.only({"metric", "percent", "notify_assignee", "notify_supervisor", "raise_priority",
              "escalate_to_team_id"});
      LadderStep s;
      if (auto m = o.string("metric", true)) {
        if (auto metric = parse_name<SlaMetric>(*m))
          s.metric = *metric;
        else
          o.error("metric", "one of: " + allowed_names<SlaMetric>());
      }
      s.percent = static_cast<int>(o.integer("percent", true).value_or(100));
      s.notify_assignee = o.boolean("notify_assignee").value_or(false);
      s.notify_supervisor = o.boolean("notify_supervisor").value_or(false);
      s.raise_priority = o.boolean("raise_priority").value_or(false);
      if (auto team = o.integer("escalate_to_team_id")) s.escalate_to = *team;
      p.ladder.push_back(s);
    }
  }
  if (!errors.empty()) return invalid_fields(std::move(errors));
  return p;
}

}  // namespace fl
