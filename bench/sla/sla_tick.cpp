// bench/sla (tick): what the scheduler's SLA job costs with 100,000 open tickets whose clocks
// run (issue 4: "a scheduler tick that finds the due steps takes <= 50 ms"). Plain timing,
// one thread, a real SQLite file in a temporary folder; prints the figures beside the target.
//
// The desk: teams at lines 1-4, agents, supervisors, customers of two organisations; an office
// calendar (08:00-17:00 Europe/Berlin, German holidays) and a 24/7 one for P1; one policy with
// targets per priority and a ladder on the resolution clock (75 % notify the assignee, 90 %
// notify the supervisors, 100 % raise the priority). Tickets are opened through
// TicketService::create (so each gets its sla.policy_applied event and its sla_check_at from
// SlaService::prepare, the real way), spread over five business days: 60 % on the web by a
// customer (first response running), 40 % on the phone by an agent (answered by the call;
// the resolution clock runs). Seeding commits with synchronous NORMAL, for speed only.
//
// Then the files are fsynced, the store is reopened with synchronous FULL (every commit fsynced,
// the server's default) and a fresh SlaService loaded, as after a restart, and the injected clock
// is set to the check time of the 100th (then the 1,000th) ticket due, so that that many are due:
// the clock goes back from the end of seeding, which touches no ticket created later (a
// ticket is never due before it is created). Measured:
//   query  Store::tickets_due_for_sla(now, 500): the store finding the due tickets;
//   find   the query plus, for each ticket found (at most 500: one call's worth), reading it
//          and its events and replaying its clocks to see which steps are due
//          (SlaService::ticket_sla: the reads and replay check_due does; nothing is written):
//          "a tick that finds the due steps", read literally;
//   tick   one scheduler tick as src/server/main.cpp runs it: SlaService::check_due(now, 500)
//          until it returns fewer than 500, firing the steps: one commit per ticket;
//   idle   a tick when nothing is due.
// query, find and idle leave the store as it was and are repeated; every tick moves the
// clock on to the next 100 (1,000) due, since the one before fired theirs. Each tick's time
// is also given per ticket checked, with the share spent on a CPU (every thread), so the
// last line can say how many due tickets fit in one 50 ms tick.
//
// usage: sla_tick [--tickets N] [--dir DIR] [--synchronous full|normal] [--keep]
//   DIR: where the temporary folder goes (default: the system's temporary folder, which must
//   be on a disk for honest fsyncs); --synchronous normal measures without the fsyncs, to
//   see what they cost (the default, full, is the figure to quote); --keep leaves the folder
//   for a look at the events the ticks wrote.
#include <date/tz.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "app/directory_service.hpp"
#include "app/sla_service.hpp"
#include "app/ticket_service.hpp"
#include "auth/sodium_secrets.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace {

using namespace fl;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using Steady = std::chrono::steady_clock;

constexpr int kBatch = 500;           // src/server/main.cpp's SLA job
constexpr double kTickTargetMs = 50;  // issue 4

// The bench's clock: set by hand, like tests/support/fake_clock.hpp.
class BenchClock final : public Clock {
 public:
  [[nodiscard]] Timestamp now() const override { return from_millis(now_.load()); }
  void set(Timestamp t) { now_ = to_millis(t); }

 private:
  std::atomic<std::int64_t> now_{0};
};

[[noreturn]] void die(const std::string& what, const Error& e) {
  std::fprintf(stderr, "sla_tick: %s: %s\n", what.c_str(), e.message.c_str());
  std::exit(1);
}

template <class T>
T ok(Result<T> r, const std::string& what) {
  if (!r) die(what, r.error());
  return std::move(*r);
}

void ok(Result<void> r, const std::string& what) {
  if (!r) die(what, r.error());
}

double ms_since(Steady::time_point t0) {
  return std::chrono::duration<double, std::milli>(Steady::now() - t0).count();
}

// CPU time of the process (every thread: the store's writer too), in ms.
double cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

double median(std::vector<double> v) {
  std::ranges::sort(v);
  return v.empty() ? 0 : v[v.size() / 2];
}

double maximum(const std::vector<double>& v) {
  return v.empty() ? 0 : std::ranges::max(v);
}

const date::time_zone* berlin_zone() {
  static const date::time_zone* zone = date::locate_zone("Europe/Berlin");
  return zone;
}

Timestamp berlin(int y, unsigned m, unsigned d, int h) {
  date::local_days day{date::year{y} / date::month{m} / date::day{d}};
  return date::floor<milliseconds>(berlin_zone()->to_sys(day + hours{h}, date::choose::earliest));
}

std::string berlin_text(Timestamp t) {
  return date::format("%a %F %R", date::make_zoned(berlin_zone(), date::floor<minutes>(t)));
}

BusinessCalendar office_calendar() {
  BusinessCalendar c = office_hours("Europe/Berlin", hours{8}, hours{17});
  c.name = "Office Berlin";
  c.holidays = {{1, 1, std::nullopt, "Neujahr"},
                {3, 26, 2027, "Karfreitag"},
                {3, 29, 2027, "Ostermontag"},
                {5, 1, std::nullopt, "Tag der Arbeit"},
                {10, 3, std::nullopt, "Tag der Einheit"},
                {12, 24, std::nullopt, "Heiligabend"},
                {12, 25, std::nullopt, "Weihnachten"},
                {12, 26, std::nullopt, "Weihnachten"},
                {12, 31, std::nullopt, "Silvester"}};
  return c;
}

// The people and settings of the desk; the tickets come later.
struct Desk {
  Actor admin;
  std::vector<Actor> agents;     // first line, Service Desk: they take the phone calls
  std::vector<Actor> customers;  // of Acme (Service Desk) and Globex (Partner Desk)
  BusinessCalendar office;
  SlaPolicy policy;
};

Actor person(DirectoryService& directory, const std::string& login, Role role,
             std::optional<OrganizationId> org, std::vector<TeamId> teams) {
  auto user = ok(directory.create_user(nullptr, {login, login, login + "@example.com", role, org,
                                                 std::move(teams), "en", ""}),
                 "user " + login);
  return ok(directory.actor_for(user), "actor " + login);
}

Desk set_up(DirectoryService& directory, SlaService& sla) {
  Desk d;
  auto acme = ok(directory.create_organization(nullptr, {"Acme", "acme.example", false}), "org");
  auto globex =
      ok(directory.create_organization(nullptr, {"Globex", "globex.example", false}), "org");
  auto team = [&](std::string name, int line, TeamKind kind, std::vector<OrganizationId> served) {
    return ok(directory.create_team(nullptr, {std::move(name), line, kind, std::move(served)}),
              "team");
  };
  Team desk = team("Service Desk", 1, TeamKind::internal, {});
  Team partner = team("Partner Desk", 1, TeamKind::outsourced, {globex.id});
  Team desktop = team("Desktop Support", 2, TeamKind::internal, {});
  Team network = team("Network", 3, TeamKind::internal, {});
  Team vendor = team("Vendor", 4, TeamKind::vendor, {});
  d.admin = person(directory, "admin", Role::admin, std::nullopt, {});
  for (int i = 0; i < 20; ++i)
    d.agents.push_back(
        person(directory, "l1-" + std::to_string(i), Role::agent, std::nullopt, {desk.id}));
  for (int i = 0; i < 5; ++i) {
    person(directory, "partner-" + std::to_string(i), Role::agent, std::nullopt, {partner.id});
    person(directory, "l2-" + std::to_string(i), Role::agent, std::nullopt, {desktop.id});
  }
  for (int i = 0; i < 3; ++i)
    person(directory, "l3-" + std::to_string(i), Role::agent, std::nullopt, {network.id});
  person(directory, "vendor-0", Role::agent, std::nullopt, {vendor.id});
  person(directory, "sup-desk", Role::supervisor, std::nullopt, {desk.id});
  person(directory, "sup-partner", Role::supervisor, std::nullopt, {partner.id});
  for (int i = 0; i < 500; ++i)
    d.customers.push_back(person(directory, "c-" + std::to_string(i), Role::customer,
                                 i % 4 == 3 ? globex.id : acme.id, {}));

  d.office = ok(sla.save_calendar(d.admin, office_calendar()), "office calendar");
  BusinessCalendar always =
      ok(sla.save_calendar(d.admin, around_the_clock("Europe/Berlin")), "24/7 calendar");
  SlaPolicy p;
  p.name = "Standard";
  p.calendar = d.office.id;
  p.targets[0] = {minutes{15}, minutes{30}, hours{4}, always.id};
  p.targets[1] = {hours{1}, hours{2}, hours{8}, std::nullopt};
  p.targets[2] = {hours{4}, hours{8}, hours{24}, std::nullopt};
  p.targets[3] = {hours{8}, std::nullopt, hours{40}, std::nullopt};
  p.ladder = {
      {.metric = SlaMetric::resolution, .percent = 75, .notify_assignee = true},
      {.metric = SlaMetric::resolution, .percent = 90, .notify_supervisor = true},
      {.metric = SlaMetric::resolution, .percent = 100, .raise_priority = true},
  };
  d.policy = ok(sla.save_policy(d.admin, p), "policy");
  return d;
}

// Impact and urgency giving roughly P1 3 %, P2 15 %, P3 42 %, P4 40 %.
std::pair<int, int> impact_urgency(std::mt19937& rng) {
  int r = static_cast<int>(rng() % 100);
  if (r < 3) return {1, 1};
  if (r < 18) return r % 2 ? std::pair{1, 2} : std::pair{2, 1};
  if (r < 60) return r % 3 == 0 ? std::pair{2, 2} : r % 3 == 1 ? std::pair{1, 3} : std::pair{3, 1};
  return r % 3 == 0 ? std::pair{2, 3} : r % 3 == 1 ? std::pair{3, 2} : std::pair{3, 3};
}

// Opens `count` tickets through TicketService::create at times spread evenly over the
// business time [from, from + span) of the office calendar. Returns the seconds it took.
double seed(TicketService& tickets, BenchClock& clock, const Desk& desk, int count, Timestamp from,
            milliseconds span) {
  BusinessHours office(desk.office, berlin_zone());
  std::mt19937 rng(4);
  auto t0 = Steady::now();
  for (int i = 0; i < count; ++i) {
    clock.set(*office.add(from, span * i / count));
    auto [impact, urgency] = impact_urgency(rng);
    const Actor& customer = desk.customers[rng() % desk.customers.size()];
    NewTicket t{.subject = "Printer on floor " + std::to_string(i % 7) + " prints blank pages",
                .description = "Since this morning every page comes out blank; toner is full.",
                .impact = impact,
                .urgency = urgency};
    const Actor* by = &customer;
    if (rng() % 100 < 40) {
      by = &desk.agents[rng() % desk.agents.size()];
      t.requester = customer.user.id;
      t.channel = Channel::phone;
      t.call = CallDetails{CallDirection::inbound, 180, "+49 30 1234567"};
    }
    ok(tickets.create(*by, t), "ticket " + std::to_string(i));
    if ((i + 1) % 10'000 == 0) {
      double s = ms_since(t0) / 1000;
      std::printf("  %6d tickets  %6.1f s  (%.0f tickets/s)\n", i + 1, s, (i + 1) / s);
      std::fflush(stdout);
    }
  }
  return ms_since(t0) / 1000;
}

// Writes the seeded files out before measuring, so that no measured fsync waits for the
// kernel writing back what the seeding left in the page cache (SQLite's checkpoint on close
// normally leaves little: this makes sure).
void flush_to_disk(const std::filesystem::path& dir) {
  for (const auto& f : std::filesystem::directory_iterator(dir)) {
    int fd = ::open(f.path().c_str(), O_RDONLY);
    if (fd < 0) continue;
    ::fsync(fd);
    ::close(fd);
  }
}

// The check time of the `n`-th ticket due (earliest first): with the clock there, n are due.
Timestamp nth_check_time(Store& store, int n) {
  auto ids = ok(store.tickets_due_for_sla(Timestamp::max(), n), "due tickets");
  if (ids.empty()) die("nth check time", Error{ErrorCode::not_found, "no ticket has a check time"});
  return *ok(store.ticket(ids.back()), "ticket").sla_check_at;
}

void print_times(const char* what, const std::vector<double>& ms, bool against_target,
                 const std::string& extra = "") {
  std::printf("  %-44s median %8.2f ms  max %8.2f ms  (%zu runs)", what, median(ms), maximum(ms),
              ms.size());
  if (against_target) std::printf("  target <= %.0f ms", kTickTargetMs);
  std::printf("%s\n", extra.c_str());
}

std::vector<double> time_query(Store& store, Timestamp now, int runs, std::size_t& found) {
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    auto t0 = Steady::now();
    found = ok(store.tickets_due_for_sla(now, kBatch), "due query").size();
    ms.push_back(ms_since(t0));
  }
  return ms;
}

// What the clocks of the tickets found show: ladder steps not yet fired whose share is
// reached, and clocks past their target (whether or not the breach is recorded yet).
struct DueWork {
  std::size_t steps = 0;
  std::size_t breached = 0;
};

// The query and, for each ticket it finds, the reads and the replay check_due does.
std::vector<double> time_find(Store& store, SlaService& sla, const Actor& admin, Timestamp now,
                              int runs, DueWork& work) {
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    work = {};
    auto t0 = Steady::now();
    for (TicketId id : ok(store.tickets_due_for_sla(now, kBatch), "due query"))
      for (const auto& c : ok(sla.ticket_sla(admin, id), "ticket sla").clocks) {
        if (c.clock.stopped_at) continue;
        work.breached += c.clock.state == ClockState::breached;
        for (const auto& up : c.upcoming) work.steps += c.clock.percent_used() >= up.step.percent;
      }
    ms.push_back(ms_since(t0));
  }
  return ms;
}

struct Tick {
  double ms = 0;
  double cpu_ms = 0;
  int checked = 0;
};

// One tick of the server's SLA job (src/server/main.cpp).
Tick run_tick(SlaService& sla, Timestamp now) {
  Tick t;
  double cpu0 = cpu_ms();
  auto t0 = Steady::now();
  for (;;) {
    int n = ok(sla.check_due(now, kBatch), "check_due");
    t.checked += n;
    if (n < kBatch) break;
  }
  t.ms = ms_since(t0);
  t.cpu_ms = cpu_ms() - cpu0;
  return t;
}

// `count` ticks, each with the clock moved on to the check time of the `due`-th ticket.
// Returns the time per ticket checked, in ms.
double time_ticks(SqliteStore& store, SlaService& sla, BenchClock& clock, int due, int count) {
  std::vector<double> ms;
  double total_ms = 0, total_cpu_ms = 0;
  long long total = 0;
  int fewest = 1 << 30, most = 0;
  const std::int64_t commits_before = store.write_stats().commits;
  Timestamp first{}, last{};
  for (int i = 0; i < count; ++i) {
    Timestamp now = nth_check_time(store, due);
    if (i == 0) first = now;
    last = now;
    clock.set(now);
    Tick t = run_tick(sla, now);
    ms.push_back(t.ms);
    total_ms += t.ms;
    total_cpu_ms += t.cpu_ms;
    total += t.checked;
    fewest = std::min(fewest, t.checked);
    most = std::max(most, t.checked);
  }
  char what[64];
  std::snprintf(what, sizeof what, "tick, ~%d due (%d..%d checked)", due, fewest, most);
  print_times(what, ms, true);
  std::printf(
      "  %-44s %8.0f us per ticket checked, %.0f us of it on a CPU (%lld tickets, %lld "
      "commits)\n",
      "", 1000 * total_ms / static_cast<double>(total),
      1000 * total_cpu_ms / static_cast<double>(total), total,
      static_cast<long long>(store.write_stats().commits - commits_before));
  std::printf("  %-44s clock %s .. %s (Berlin)\n", "", berlin_text(first).c_str(),
              berlin_text(last).c_str());
  return total_ms / static_cast<double>(total);
}

}  // namespace

int main(int argc, char** argv) {
  int count = 100'000;
  bool measure_full = true;
  bool keep = false;
  std::filesystem::path parent = std::filesystem::temp_directory_path();
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    const std::string_view value = i + 1 < argc ? argv[i + 1] : "";
    if (a == "--keep") {
      keep = true;
    } else if (a == "--tickets" && !value.empty()) {
      count = std::atoi(argv[++i]);
    } else if (a == "--dir" && !value.empty()) {
      parent = argv[++i];
    } else if (a == "--synchronous" && (value == "full" || value == "normal")) {
      measure_full = value == "full";
      ++i;
    } else {
      std::fprintf(stderr,
                   "usage: sla_tick [--tickets N] [--dir DIR] [--synchronous full|normal] "
                   "[--keep]\n");
      return 2;
    }
  }
  std::filesystem::path dir =
      parent / ("firstline-sla-tick-" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(dir);
  std::filesystem::path file = dir / "firstline.db";

  BenchClock clock;
  // Five business days: Friday 2026-11-20 08:00 to Thursday 2026-11-26 17:00 (Berlin).
  Timestamp from = berlin(2026, 11, 20, 8);
  milliseconds span = hours{5 * 9};
  clock.set(from - hours{1});
  Desk desk;
  {
    SqliteOptions seeding;
    seeding.synchronous_full = false;
    auto store = ok(SqliteStore::open(file, seeding), "open " + file.string());
    SodiumPasswordHasher hasher{PasswordCost::min};
    DirectoryService directory(*store, hasher, clock);
    SlaService sla(*store, clock);
    ok(sla.load(), "sla load");
    TicketService tickets(*store, clock, &sla);
    desk = set_up(directory, sla);
    std::printf(
        "sla_tick: %d open tickets through TicketService::create, %s .. %s (Berlin),\n"
        "  store %s, seeded with synchronous NORMAL (speed only)\n",
        count, berlin_text(from).c_str(),
        berlin_text(*BusinessHours(desk.office, berlin_zone()).add(from, span)).c_str(),
        file.c_str());
    std::fflush(stdout);
    double s = seed(tickets, clock, desk, count, from, span);
    std::printf("  seeded in %.1f s (%.0f tickets/s, %lld commits)\n", s, count / s,
                static_cast<long long>(store->write_stats().commits));
  }
  auto flush_start = Steady::now();
  flush_to_disk(dir);
  std::printf("  written out to disk in %.1f s\n", ms_since(flush_start) / 1000);

  // Measured: synchronous FULL (the server's default), a fresh service, as after a restart.
  SqliteOptions measured;
  measured.synchronous_full = measure_full;
  auto store = ok(SqliteStore::open(file, measured), "reopen " + file.string());
  SlaService sla(*store, clock);
  ok(sla.load(), "sla load");
  std::printf("measured with synchronous %s; file %.0f MiB\n",
              measure_full ? "FULL (each commit fsynced)" : "NORMAL (no fsync per commit)",
              static_cast<double>(std::filesystem::file_size(file)) / (1 << 20));
  std::size_t found = 0;
  DueWork work;
  double per_ticket_ms = 0;

  Timestamp before_all = nth_check_time(*store, 1) - milliseconds{1};
  clock.set(before_all);
  std::printf("\nnothing due (clock %s):\n", berlin_text(before_all).c_str());
  auto idle_query = time_query(*store, before_all, 500, found);
  print_times("query", idle_query, false, "  found " + std::to_string(found));
  {
    std::vector<double> ms;
    for (int i = 0; i < 500; ++i) ms.push_back(run_tick(sla, before_all).ms);
    print_times("tick (idle)", ms, true);
  }

  for (int due : {100, 1000}) {
    Timestamp now = nth_check_time(*store, due);
    clock.set(now);
    std::printf("\n~%d due (clock %s):\n", due, berlin_text(now).c_str());
    auto query = time_query(*store, now, 200, found);
    print_times("query (limit 500)", query, true, "  found " + std::to_string(found));
    auto find = time_find(*store, sla, desk.admin, now, due == 100 ? 20 : 5, work);
    print_times("find: query + each ticket's clocks", find, true,
                "  " + std::to_string(found) + " tickets: " + std::to_string(work.steps) +
                    " steps reached, " + std::to_string(work.breached) + " clocks breached");
    std::fflush(stdout);
    per_ticket_ms = time_ticks(*store, sla, clock, due, due == 100 ? 20 : 5);
    std::fflush(stdout);
  }
  std::printf(
      "\nat %.2f ms per ticket checked (the ~1000 series), a tick stays within %.0f ms "
      "up to ~%.0f due tickets\n",
      per_ticket_ms, kTickTargetMs, kTickTargetMs / per_ticket_ms);

  store.reset();
  if (keep) {
    std::printf("kept %s\n", dir.c_str());
  } else {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  return 0;
}
