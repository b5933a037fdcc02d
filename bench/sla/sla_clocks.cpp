// bench/sla (clocks): what computing one ticket's SLA clocks costs (issue 4: "the clocks of a
// ticket compute in <= 20 us"). Replays a typical history (created, answered, waiting on the
// customer, reply, escalated to line 2, note, resolved: 11 moments over four business days)
// and a long one (60 moments over three months) on office hours in Europe/Berlin with
// holidays, P1 around the clock, line targets and a vendor contract.
#include <benchmark/benchmark.h>
#include <date/tz.h>

#include "core/sla.hpp"

namespace {

using namespace fl;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using Kind = SlaMoment::Kind;

const date::time_zone* berlin_zone() {
  static const date::time_zone* zone = date::locate_zone("Europe/Berlin");
  return zone;
}

Timestamp berlin(int y, unsigned m, unsigned d, int h, int min = 0) {
  date::local_days day{date::year{y} / date::month{m} / date::day{d}};
  return date::floor<milliseconds>(
      berlin_zone()->to_sys(day + hours{h} + minutes{min}, date::choose::earliest));
}

struct Fixture {
  Fixture()
      : office([] {
          BusinessCalendar c = office_hours("Europe/Berlin", hours{8}, hours{17});
          c.holidays = {{1, 1, std::nullopt, ""},  {5, 1, std::nullopt, ""},
                        {10, 3, std::nullopt, ""}, {12, 24, std::nullopt, ""},
                        {12, 25, std::nullopt, ""}, {12, 26, std::nullopt, ""},
                        {3, 26, 2027, ""},          {3, 29, 2027, ""}};
          return c;
        }(), berlin_zone()),
        always(around_the_clock("Europe/Berlin"), berlin_zone()) {
    policy.id = 1;
    policy.name = "Standard";
    policy.targets[0] = {minutes{15}, minutes{30}, hours{4}, CalendarId{2}};
    policy.targets[1] = {hours{1}, hours{2}, hours{8}, std::nullopt};
    policy.targets[2] = {hours{4}, hours{8}, hours{24}, std::nullopt};
    policy.targets[3] = {hours{8}, std::nullopt, hours{40}, std::nullopt};
    policy.line_targets = {{2, std::nullopt, hours{4}, std::nullopt},
                           {4, TeamId{9}, std::nullopt, hours{16}}};
    plan.policy = &policy;
    plan.hours = &office;
    plan.hours_by_priority[0] = &always;
    lookup = [this](SlaPolicyId, std::int64_t) { return &plan; };
  }

  std::vector<SlaMoment> typical() const {
    std::vector<SlaMoment> h;
    SlaMoment m{.at = berlin(2027, 3, 22, 9), .kind = Kind::created, .priority = Priority::p3,
                .status = TicketStatus::new_, .line = 1, .team = 1};
    h.push_back(m);
    m.kind = Kind::policy_applied;
    m.policy = 1;
    h.push_back(m);
    m.policy.reset();
    auto add = [&](Timestamp at, Kind kind, auto&& change) {
      m.at = at;
      m.kind = kind;
      m.by_staff = kind != Kind::customer_reply;
      change(m);
      h.push_back(m);
    };
    auto same = [](SlaMoment&) {};
    add(berlin(2027, 3, 22, 9, 20), Kind::staff_reply, [](SlaMoment& x) { x.status = TicketStatus::open; });
    add(berlin(2027, 3, 22, 9, 25), Kind::changed, [](SlaMoment& x) { x.status = TicketStatus::pending_customer; });
    add(berlin(2027, 3, 23, 11), Kind::customer_reply, [](SlaMoment& x) { x.status = TicketStatus::open; });
    add(berlin(2027, 3, 23, 12), Kind::staff_reply, same);
    add(berlin(2027, 3, 23, 12, 5), Kind::changed, [](SlaMoment& x) { x.line = 2; x.team = 2; });
    add(berlin(2027, 3, 24, 9), Kind::staff_note, same);
    add(berlin(2027, 3, 24, 10), Kind::changed, [](SlaMoment& x) { x.priority = Priority::p2; });
    add(berlin(2027, 3, 25, 14), Kind::staff_reply, same);
    add(berlin(2027, 3, 25, 14, 1), Kind::changed, [](SlaMoment& x) { x.status = TicketStatus::resolved; });
    return h;
  }

  std::vector<SlaMoment> long_history() const {
    std::vector<SlaMoment> h = typical();
    h.pop_back();  // still open
    SlaMoment m = h.back();
    Timestamp at = berlin(2027, 3, 26, 9);
    for (int i = 0; i < 25; ++i) {
      at += hours{31};
      m.at = at;
      m.kind = Kind::customer_reply;
      h.push_back(m);
      m.at = at + hours{3};
      m.kind = Kind::staff_reply;
      h.push_back(m);
    }
    return h;
  }

  BusinessHours office;
  BusinessHours always;
  SlaPolicy policy;
  SlaPlan plan;
  SlaPlanLookup lookup;
};

void BM_ClocksOfATypicalTicket(benchmark::State& state) {
  Fixture f;
  auto history = f.typical();
  Timestamp now = berlin(2027, 3, 29, 10);
  for (auto _ : state) benchmark::DoNotOptimize(replay(history, f.lookup, now));
  state.counters["moments"] = static_cast<double>(history.size());
}
BENCHMARK(BM_ClocksOfATypicalTicket);

void BM_ClocksOfAnOpenTicketMidway(benchmark::State& state) {
  Fixture f;
  auto history = f.typical();
  history.resize(7);  // escalated to line 2, clocks running
  Timestamp now = berlin(2027, 3, 23, 15);
  for (auto _ : state) benchmark::DoNotOptimize(replay(history, f.lookup, now));
  state.counters["moments"] = static_cast<double>(history.size());
}
BENCHMARK(BM_ClocksOfAnOpenTicketMidway);

void BM_ClocksOfALongTicket(benchmark::State& state) {
  Fixture f;
  auto history = f.long_history();
  Timestamp now = history.back().at + hours{50};
  for (auto _ : state) benchmark::DoNotOptimize(replay(history, f.lookup, now));
  state.counters["moments"] = static_cast<double>(history.size());
}
BENCHMARK(BM_ClocksOfALongTicket);

void BM_AddFiveBusinessDays(benchmark::State& state) {
  Fixture f;
  Timestamp start = berlin(2027, 3, 24, 15);
  for (auto _ : state) benchmark::DoNotOptimize(f.office.add(start, hours{45}));
}
BENCHMARK(BM_AddFiveBusinessDays);

}  // namespace

BENCHMARK_MAIN();
