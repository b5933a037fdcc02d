// bench/reports: what the service-desk reports cost on a large desk (issue 8: "on 1,000,000
// tickets with 10,000,000 events, every report for a 90-day period returns in <= 500 ms").
// Plain timing, one thread, a real SQLite file.
//
// Generation (once; the file is kept and reused while its marker file says it is complete):
// a seeded, deterministic desk history of two years (2024-11-04 .. 2026-11-02 UTC): tickets on
// every channel, lines 1-4 and eleven teams, agents, 120,000 customers of 300 organisations,
// categories; each ticket's events built in memory with the payloads the services write
// (ticket.created with call_seconds, sla.policy_applied, assignments, public replies by staff
// and customers, notes, calls, status changes, escalations with reasons and hand-off notes,
// transfers, returns, resolutions, reopenings, ratings with comments, sla.step_fired and
// sla.breached), run through app/report_facts' apply_event (the real code) and written with
// Store::save_report_facts in batches, as the follower writes them. The tickets' rows (the facts
// reference them) and the directory are written with plain SQL; so are line 0's records (search
// sessions before filing a ticket with their suggestions and opens, chatbot conversations).
// Event ids follow time, as the feed's do. The 10,000,000 events themselves are not stored in
// that file (they would add some GB and minutes and no report reads them); a second, smaller
// file (the slice: 100,000 tickets, ~1,000,000 events) stores them, to time
// ReportFacts::rebuild() on it.
//
// Measured: for each report name, the 90-day period ending at the data's end, unfiltered and
// with one filter each (team, category, channel), `--runs` times each (median and max), then
// the drill-down of one figure. A report slower than 500 ms is run once more with SQLite's
// profile trace on, and its slowest statements are shown with EXPLAIN QUERY PLAN.
//
// usage: bench_reports [--dir DIR] [--tickets N] [--slice-tickets N] [--runs N] [--regenerate]
//                      [--no-rebuild] [--explain-ms MS] [--mmap-mib N] [--cache-mib N]
//                      [--try-indexes] [--only REPORT,...] [--dump FILE]
#include <sqlite3.h>
#include <time.h>
#include <spdlog/fmt/fmt.h>
#include <spdlog/fmt/ranges.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "app/report_facts.hpp"
#include "app/reports.hpp"
#include "app/staffing_service.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace {

using namespace fl;
using Stopwatch = std::chrono::steady_clock;
namespace fs = std::filesystem;

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;
constexpr int kDays = 728;  // 104 weeks
const std::int64_t kStartMs =
    to_millis(Timestamp{std::chrono::sys_days{std::chrono::year{2024} / 11 / 4}});
const std::int64_t kEndMs = kStartMs + kDays * kDay;

double seconds_since(Stopwatch::time_point t0) {
  return std::chrono::duration<double>(Stopwatch::now() - t0).count();
}

template <class T>
T must(Result<T> r, std::string_view what) {
  if (!r) {
    fmt::print(stderr, "bench_reports: {}: {}\n", what, r.error().message);
    std::exit(1);
  }
  if constexpr (!std::is_void_v<T>) return std::move(*r);
}

// --- the desk ------------------------------------------------------------------------------

struct TeamSpec {
  TeamId id;
  std::string_view name;
  int line;
  std::string_view kind;
  int agents;
};
constexpr TeamSpec kTeams[] = {
    {1, "Service Desk", 1, "internal", 80},        {2, "Partner Desk North", 1, "outsourced", 40},
    {3, "Partner Desk South", 1, "outsourced", 30}, {4, "Network", 2, "internal", 15},
    {5, "Workplace", 2, "internal", 15},            {6, "Applications", 2, "internal", 15},
    {7, "Identity & Access", 2, "internal", 12},    {8, "Infrastructure", 3, "internal", 12},
    {9, "Development", 3, "internal", 10},          {10, "Vendor Telco", 4, "vendor", 5},
    {11, "Vendor ERP", 4, "vendor", 5},
};
constexpr int kTeamCount = std::size(kTeams);

struct CategorySpec {
  std::string_view name;
  double weight;
  TeamId line2;          // where an escalation goes
  TeamId line3;
  TeamId vendor;         // line 4
  double escalate;       // share escalated from line 1
  double solve_on_call;  // phone tickets solved during the opening call
};
constexpr CategorySpec kCategories[] = {
    {"password", 14, 7, 8, 11, 0.06, 0.80}, {"account", 8, 7, 8, 11, 0.20, 0.45},
    {"access", 7, 7, 9, 11, 0.35, 0.25},    {"email", 9, 5, 8, 10, 0.18, 0.40},
    {"network", 7, 4, 8, 10, 0.40, 0.20},   {"vpn", 5, 4, 8, 10, 0.30, 0.35},
    {"wifi", 3, 4, 8, 10, 0.30, 0.30},      {"hardware", 8, 5, 8, 10, 0.35, 0.15},
    {"laptop", 6, 5, 8, 10, 0.30, 0.20},    {"printer", 6, 5, 8, 10, 0.25, 0.35},
    {"software", 9, 6, 9, 11, 0.25, 0.35},  {"erp", 4, 6, 9, 11, 0.45, 0.10},
    {"crm", 3, 6, 9, 11, 0.35, 0.15},       {"telephony", 4, 4, 8, 10, 0.35, 0.25},
    {"other", 7, 5, 8, 10, 0.15, 0.40},
};

constexpr std::string_view kChannels[] = {"phone", "email", "web", "chat", "bot", "api"};
constexpr double kChannelWeights[] = {30, 30, 22, 8, 7, 3};
constexpr std::string_view kPriorities[] = {"P1", "P2", "P3", "P4"};
constexpr double kPriorityWeights[] = {2, 10, 50, 38};
constexpr std::string_view kReasons[] = {"needs_expertise", "needs_access", "infrastructure",
                                         "customer_request"};
constexpr double kReasonWeights[] = {50, 20, 18, 12};

constexpr int kOrganizations = 300;
constexpr int kCustomers = 120'000;
constexpr UserId kFirstAgent = 100;
constexpr UserId kFirstCustomer = 10'000;
constexpr int kArticles = 3'000;

constexpr std::string_view kNoteText =
    "Checked the user's account and device, restarted the client, cleared the cached "
    "credentials and reproduced the fault on a second machine; the logs show the same error "
    "after the change window. Not a first-line fix: needs the team's access to the backend "
    "configuration. User is available by phone in the afternoons, prefers mail otherwise. "
    "Steps tried so far are in the notes above; screenshots attached to the first reply. ";
constexpr std::string_view kComments[] = {
    "Quick and friendly, thank you.", "Solved on the first call.",
    "Took far too long, I had to ask twice.", "Fine.",
    "The fix worked but nobody told me what was wrong.", "Great help from the second line!",
    "I was sent back and forth between teams.", "Exactly what I needed."};

struct DeskIds {
  std::vector<std::vector<UserId>> agents;  // by team index (id - 1)
};

DeskIds desk_ids() {
  DeskIds d;
  UserId next = kFirstAgent;
  for (const auto& t : kTeams) {
    std::vector<UserId> v;
    for (int i = 0; i < t.agents; ++i) v.push_back(next++);
    d.agents.push_back(std::move(v));
  }
  return d;
}

// --- one ticket's history --------------------------------------------------------------------

struct Rng {
  std::mt19937_64 engine;
  double uniform() { return std::uniform_real_distribution<double>(0, 1)(engine); }
  bool chance(double p) { return uniform() < p; }
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(engine);
  }
  template <std::size_t N>
  std::size_t pick(const double (&weights)[N]) {
    return std::discrete_distribution<std::size_t>(std::begin(weights), std::end(weights))(engine);
  }
  // An exponential wait with the given mean, at least 1 ms.
  std::int64_t wait(double mean_ms) {
    return std::max<std::int64_t>(
        1, static_cast<std::int64_t>(std::exponential_distribution<double>(1.0 / mean_ms)(engine)));
  }
};

// What a ticket is as it is now (for its row and the facts' dimensions), besides the facts.
struct TicketState {
  TicketId id = 0;
  UserId requester = 0;
  std::optional<OrganizationId> organization;
  std::string_view channel;
  std::string_view category;
  std::string_view priority;
  TeamId origin_team = 0;
  std::optional<UserId> assignee;
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
};

class HistoryWriter {
 public:
  HistoryWriter(Rng& rng, const DeskIds& desk) : rng_(rng), desk_(desk) {
    for (const auto& c : kCategories) category_weights_.push_back(c.weight);
  }

  // Appends the ticket's events (those before the data's end) to `out`.
  TicketState ticket(TicketId id, std::int64_t created_ms, std::vector<Event>& out) {
    out_ = &out;
    id_ = id;
    t_ = created_ms;
    last_ = -1;
    over_ = false;
    TicketState s;
    s.id = id;
    s.created_ms = created_ms;
    s.requester = kFirstCustomer + rng_.between(0, kCustomers - 1);
    const std::int64_t customer_index = s.requester - kFirstCustomer;
    if (customer_index % 10 != 0) s.organization = 1 + customer_index % kOrganizations;
    s.channel = kChannels[rng_.pick(kChannelWeights)];
    const auto& cat = kCategories[std::discrete_distribution<std::size_t>(
        category_weights_.begin(), category_weights_.end())(rng_.engine)];
    s.category = cat.name;
    s.priority = kPriorities[rng_.pick(kPriorityWeights)];
    // Organisations served by the partner desks open there; the rest at the Service Desk.
    const std::int64_t org = s.organization.value_or(0);
    s.origin_team = org % 7 == 1 ? 2 : org % 7 == 2 ? 3 : 1;
    team_ = s.origin_team;
    line_ = 1;
    customer_ = s.requester;
    const bool by_phone = s.channel == "phone";
    const bool by_staff = by_phone || s.channel == "chat";
    agent_ = pick_agent(team_);
    const double mean_first = s.priority == "P1"   ? 10 * kMinute
                              : s.priority == "P2" ? 40 * kMinute
                              : s.priority == "P3" ? 3 * kHour
                                                   : 6 * kHour;

    std::string created = fmt::format(
        R"({{"subject":"{} problem","channel":"{}","requester":{},"line":1,"team":{},"priority":"{}","call":{})",
        s.category, s.channel, s.requester, team_, s.priority, by_phone);
    std::int64_t call = 0;
    if (by_phone) {
      call = call_seconds();
      created += fmt::format(R"(,"call_seconds":{})", call);
    }
    created += by_staff ? R"(,"by":"staff"})" : R"(,"by":"customer"})";
    emit(event_type::ticket_created, by_staff ? agent_ : customer_, std::move(created));
    emit(event_type::sla_policy_applied, std::nullopt,
         R"({"policy":1,"version":1,"by":"system"})");
    assign(agent_);
    if (rng_.chance(0.10)) sla_step(75);

    status_ = "new";
    bool solved_on_call = false;
    if (by_phone && rng_.chance(cat.solve_on_call)) {
      t_ += call * 1000 + rng_.wait(2 * kMinute);
      set_status("resolved", agent_, "agent_update");
      solved_on_call = true;
    } else {
      t_ += rng_.wait(mean_first);
      if (rng_.chance(0.04)) sla_breach("first_response", mean_first / kMinute);
      reply(agent_);
      if (status_ == "new") set_status("open", agent_, "agent_response");
      work_rounds(rng_.between(0, 2));
      if (rng_.chance(cat.escalate)) escalate(cat);
      if (rng_.chance(0.006)) {  // stuck: never solved (waiting on a vendor or the customer)
        set_status(line_ == 4 ? "pending_vendor" : "pending_customer", agent_, "agent_update");
        return finish(s);
      }
      t_ += rng_.wait(line_ == 1 ? 4 * kHour : 20 * kHour);
      set_status("resolved", agent_, "agent_update");
    }
    if (rng_.chance(0.05)) sla_breach("resolution", 1440);
    // Reopened by the customer's answer, then solved again.
    if (!solved_on_call && rng_.chance(0.05)) {
      t_ += rng_.wait(2 * kDay);
      customer_reply();
      work_rounds(rng_.between(0, 2));
      t_ += rng_.wait(6 * kHour);
      set_status("resolved", agent_, "agent_update");
    }
    const std::int64_t resolved = t_;
    if (rng_.chance(0.22)) {
      t_ += rng_.wait(12 * kHour);
      static constexpr double kScores[] = {4, 5, 10, 30, 51};
      const int score = static_cast<int>(rng_.pick(kScores)) + 1;
      const std::string_view comment =
          rng_.chance(0.35) ? kComments[rng_.between(0, std::size(kComments) - 1)] : "";
      emit(event_type::ticket_rated, customer_,
           fmt::format(R"({{"score":{},"comment":"{}","by":"customer"}})", score, comment));
    }
    t_ = std::max(t_, resolved + 7 * kDay);  // closed by the system after a week
    set_status("closed", std::nullopt, "auto_close");
    return finish(s);
  }

 private:
  TicketState finish(TicketState& s) {
    s.assignee = agent_;
    s.updated_ms = last_;
    return s;
  }

  UserId pick_agent(TeamId team) {
    const auto& v = desk_.agents[static_cast<std::size_t>(team - 1)];
    return v[static_cast<std::size_t>(rng_.between(0, static_cast<std::int64_t>(v.size()) - 1))];
  }

  std::int64_t call_seconds() {
    return std::clamp<std::int64_t>(
        static_cast<std::int64_t>(std::lognormal_distribution<double>(5.6, 0.6)(rng_.engine)), 20,
        3600);
  }

  void emit(std::string_view type, std::optional<UserId> actor, std::string payload) {
    if (t_ <= last_) t_ = last_ + 1;
    if (t_ >= kEndMs) over_ = true;
    if (over_) return;
    last_ = t_;
    Event e;
    // Ids follow time, as the feed's do: the millisecond, then the ticket's low bits.
    e.id = ((t_ - kStartMs) << 18) | (id_ & 0x3FFFF);
    e.type = type;
    e.ticket = id_;
    e.actor = actor;
    e.at = from_millis(t_);
    e.payload = std::move(payload);
    out_->push_back(std::move(e));
  }

  void assign(UserId agent) {
    agent_ = agent;
    emit(event_type::ticket_updated, std::nullopt,
         fmt::format(R"({{"changes":{{"assignee":{{"to":{}}}}},"by":"system"}})", agent));
  }

  void set_status(std::string_view to, std::optional<UserId> by, std::string_view cause) {
    if (to == status_) return;
    emit(event_type::status_changed, by,
         fmt::format(R"({{"from":"{}","to":"{}","cause":"{}","by":"{}"}})", status_, to, cause,
                     !by ? "system" : *by >= kFirstCustomer ? "customer" : "staff"));
    status_ = to;
  }

  void reply(UserId agent) {
    emit(event_type::entry_added, agent, R"({"kind":"reply","by":"staff"})");
  }
  void customer_reply() {
    emit(event_type::entry_added, customer_, R"({"kind":"reply","by":"customer"})");
    if (status_ == "pending_customer" || status_ == "resolved")
      set_status("open", customer_, "customer_reply");
  }

  // A few exchanges at the current team: replies both ways, notes, calls, waiting on the user.
  void work_rounds(std::int64_t rounds) {
    for (std::int64_t i = 0; i < rounds; ++i) {
      const double r = rng_.uniform();
      if (r < 0.35) {
        t_ += rng_.wait(2 * kHour);
        reply(agent_);
        if (rng_.chance(0.5)) set_status("pending_customer", agent_, "agent_update");
        t_ += rng_.wait(8 * kHour);
        customer_reply();
      } else if (r < 0.60) {
        t_ += rng_.wait(3 * kHour);
        customer_reply();
      } else if (r < 0.85) {
        t_ += rng_.wait(1 * kHour);
        emit(event_type::entry_added, agent_, R"({"kind":"note","by":"staff"})");
      } else {
        t_ += rng_.wait(2 * kHour);
        emit(event_type::entry_added, agent_,
             fmt::format(R"({{"kind":"call","call_seconds":{},"by":"staff"}})", call_seconds()));
      }
    }
  }

  void move(std::string_view type, int to_line, TeamId to_team, std::string_view reason,
            std::optional<UserId> by) {
    const auto chars = static_cast<std::size_t>(std::clamp<std::int64_t>(
        static_cast<std::int64_t>(std::lognormal_distribution<double>(5.0, 0.7)(rng_.engine)), 12,
        static_cast<std::int64_t>(kNoteText.size())));
    std::string payload = fmt::format(
        R"({{"from_line":{},"from_team":{},"to_line":{},"to_team":{},"note":"{}")", line_, team_,
        to_line, to_team, kNoteText.substr(0, chars));
    if (!reason.empty()) payload += fmt::format(R"(,"reason":"{}")", reason);
    payload += by ? R"(,"by":"staff"})" : R"(,"by":"system"})";
    emit(type, by, std::move(payload));
    line_ = to_line;
    team_ = to_team;
    assign(pick_agent(to_team));
  }

  void escalate(const CategorySpec& cat) {
    t_ += rng_.wait(2 * kHour);
    const bool by_sla = rng_.chance(0.05);
    move(event_type::escalated, 2, cat.line2, by_sla ? "sla_risk" : kReasons[rng_.pick(kReasonWeights)],
         by_sla ? std::nullopt : std::optional<UserId>(agent_));
    // The receiving team answers the user; within the hour it counts as asking again.
    t_ += rng_.chance(0.3) ? rng_.wait(20 * kMinute) : kHour + rng_.wait(6 * kHour);
    reply(agent_);
    if (rng_.chance(0.08)) {  // not ours: on to another second-line team (a bounce)
      t_ += rng_.wait(3 * kHour);
      const TeamId other = cat.line2 == 7 ? 4 : cat.line2 + 1;
      move(event_type::transferred, 2, other, "", agent_);
    }
    if (rng_.chance(0.06)) {  // back to the first line with instructions
      t_ += rng_.wait(4 * kHour);
      move(event_type::returned, 1, 1, "", agent_);
      work_rounds(1);
      return;
    }
    work_rounds(rng_.between(0, 2));
    if (rng_.chance(0.18)) {
      t_ += rng_.wait(8 * kHour);
      move(event_type::escalated, 3, cat.line3, kReasons[rng_.pick(kReasonWeights)], agent_);
      work_rounds(rng_.between(0, 2));
      if (rng_.chance(0.25)) {
        t_ += rng_.wait(1 * kDay);
        move(event_type::escalated, 4, cat.vendor, "vendor_required", agent_);
        set_status("pending_vendor", agent_, "agent_update");
        t_ += rng_.wait(3 * kDay);
        emit(event_type::entry_added, agent_, R"({"kind":"note","by":"staff"})");
        set_status("open", agent_, "agent_update");
      }
    }
  }

  void sla_step(int percent) {
    emit(event_type::sla_step_fired, std::nullopt,
         fmt::format(R"({{"metric":"resolution","cycle":1,"percent":{},"notify":[{}],"by":"system"}})",
                     percent, agent_));
  }
  void sla_breach(std::string_view metric, std::int64_t target_minutes) {
    emit(event_type::sla_breached, std::nullopt,
         fmt::format(R"({{"metric":"{}","cycle":1,"percent":100,"target_minutes":{},"by":"system"}})",
                     metric, target_minutes));
  }

  Rng& rng_;
  const DeskIds& desk_;
  std::vector<double> category_weights_;
  std::vector<Event>* out_ = nullptr;
  TicketId id_ = 0;
  std::int64_t t_ = 0;
  std::int64_t last_ = -1;
  bool over_ = false;
  std::string_view status_ = "new";
  int line_ = 1;
  TeamId team_ = 0;
  UserId agent_ = 0;
  UserId customer_ = 0;
};

// Creation times of `n` tickets over the two years, sorted: weekdays busier than weekends,
// office hours busier than nights, a third more tickets at the end than at the start.
std::vector<std::int64_t> creation_times(Rng& rng, std::int64_t n) {
  std::vector<double> day_weight(kDays);
  double total = 0;
  for (int d = 0; d < kDays; ++d) {
    const int weekday = d % 7;  // day 0 is a Monday
    const double w = weekday < 5 ? 1.0 : weekday == 5 ? 0.22 : 0.12;
    day_weight[static_cast<std::size_t>(d)] = w * (1.0 + 0.35 * d / kDays);
    total += day_weight[static_cast<std::size_t>(d)];
  }
  const double hour_weights[24] = {1, 1, 1, 1, 1, 2, 4, 10, 18, 20, 19, 17,
                                   14, 16, 18, 17, 14, 10, 6, 4, 3, 2, 1, 1};
  std::discrete_distribution<int> hour(std::begin(hour_weights), std::end(hour_weights));
  std::vector<std::int64_t> out;
  out.reserve(static_cast<std::size_t>(n));
  double cumulative = 0;
  std::int64_t made = 0;
  for (int d = 0; d < kDays; ++d) {
    cumulative += day_weight[static_cast<std::size_t>(d)];
    const auto upto = static_cast<std::int64_t>(static_cast<double>(n) * cumulative / total);
    const std::size_t first = out.size();
    for (; made < upto; ++made)
      out.push_back(kStartMs + d * kDay + hour(rng.engine) * kHour + rng.between(0, kHour - 1));
    // The last day takes what rounding left over, so there are exactly n.
    if (d == kDays - 1)
      for (; made < n; ++made)
        out.push_back(kStartMs + d * kDay + hour(rng.engine) * kHour + rng.between(0, kHour - 1));
    std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end());
  }
  return out;
}

// --- writing the file ------------------------------------------------------------------------

struct GenerationStats {
  std::int64_t tickets = 0;
  std::int64_t events = 0;
  std::int64_t moves = 0;
  std::int64_t contacts = 0;
  std::int64_t open = 0;
  std::map<std::string, std::int64_t> by_type;
  std::int64_t sessions = 0;  // line 0
  std::int64_t bot_sessions = 0;
};

void exec(sqlite::Connection& c, const char* sql) { must(c.exec(sql), sql); }

sqlite::Connection open_bulk(const fs::path& file) {
  auto c = must(sqlite::Connection::open(file, {.access = sqlite::Access::read_write,
                                                 .synchronous_full = false}),
                "open " + file.string());
  exec(c, "PRAGMA synchronous=OFF; PRAGMA cache_size=-400000");
  return c;
}

void write_directory(sqlite::Connection& c, const DeskIds& desk) {
  exec(c, "BEGIN");
  const std::int64_t at = kStartMs - 30 * kDay;
  for (int o = 1; o <= kOrganizations; ++o) {
    auto s = must(c.prepare("INSERT INTO organizations (id, name, created_at) VALUES (?, ?, ?)"), "org");
    s.bind_all(o, fmt::format("Organisation {}", o), at);
    must(s.run(), "insert organisation");
  }
  for (const auto& t : kTeams) {
    auto s = must(c.prepare("INSERT INTO teams (id, name, line, kind, created_at) VALUES (?, ?, ?, ?, ?)"), "team");
    s.bind_all(t.id, t.name, t.line, t.kind, at);
    must(s.run(), "insert team");
  }
  auto user = [&](UserId id, std::string_view role, std::optional<OrganizationId> org) {
    auto s = must(c.prepare("INSERT INTO users (id, login, name, email, role, organization_id, "
                            "language, created_at) VALUES (?, ?, ?, ?, ?, ?, 'en', ?)"),
                  "user");
    s.bind_all(id, fmt::format("u{}", id), fmt::format("{} {}", role, id),
               fmt::format("u{}@example.org", id), role, org, at);
    must(s.run(), "insert user");
  };
  // User 1 is the store's own (firstline:system).
  user(2, "admin", std::nullopt);
  for (UserId u = 3; u < 10; ++u) user(u, "supervisor", std::nullopt);
  for (std::size_t t = 0; t < desk.agents.size(); ++t)
    for (UserId a : desk.agents[t]) {
      user(a, "agent", std::nullopt);
      auto s = must(c.prepare("INSERT INTO user_teams (user_id, team_id) VALUES (?, ?)"), "member");
      s.bind_all(a, kTeams[t].id);
      must(s.run(), "insert member");
    }
  for (int i = 0; i < kCustomers; ++i)
    user(kFirstCustomer + i, "customer",
         i % 10 != 0 ? std::optional<OrganizationId>(1 + i % kOrganizations) : std::nullopt);
  exec(c, "COMMIT");
}

void write_ticket_row(sqlite::Connection& c, const TicketState& s, const TicketFacts& f) {
  auto st = must(
      c.prepare("INSERT INTO tickets (id, number, subject, requester_id, organization_id, "
                "channel, category, impact, urgency, priority, status, line, team_id, "
                "origin_team_id, assignee_id, escalation_count, customer_contacts, "
                "resolved_at_line, resolved_at, created_at, updated_at, version, rating_score, "
                "rating_comment, rated_at, first_rated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
      "ticket");
  const int level = s.priority == "P1" ? 1 : s.priority == "P4" ? 3 : 2;
  st.bind_all(s.id, 100000 + s.id, fmt::format("{} problem", s.category), s.requester,
              s.organization, s.channel, s.category, level, level, s.priority, f.status, f.line,
              f.team, s.origin_team, s.assignee, f.escalations, f.customer_contacts,
              f.resolved_line, f.resolved_at, from_millis(s.created_ms), from_millis(s.updated_ms),
              1, f.csat_score, f.csat_score ? std::optional<std::string>(f.csat_comment) : std::nullopt,
              f.csat_at, f.csat_at);
  must(st.run(), "insert ticket");
}

void write_event_row(sqlite::Connection& c, const Event& e) {
  auto st = must(c.prepare("INSERT INTO events (id, type, ticket_id, actor_id, at, payload) "
                           "VALUES (?, ?, ?, ?, ?, ?)"),
                 "event");
  st.bind_all(e.id, e.type, e.ticket, e.actor, e.at, e.payload);
  must(st.run(), "insert event");
}

// The ticket's SLA clocks as the follower would store them from SlaService's replay (first
// response and resolution, policy 1, targets by priority), here from the facts on a 24/7
// calendar: a clock stops at the first response (or the resolution) and the first resolution,
// breached when it took longer than its target; a ticket's time waiting on the customer is
// not modelled as paused.
TicketSlaClocks sla_clocks_of(const TicketState& s, const TicketFacts& f) {
  using std::chrono::minutes;
  const int p = s.priority == "P1" ? 0 : s.priority == "P2" ? 1 : s.priority == "P3" ? 2 : 3;
  constexpr int kFirstResponse[] = {15, 60, 240, 480};
  constexpr int kResolution[] = {240, 480, 1440, 2400};
  const Timestamp created = from_millis(s.created_ms);
  const Timestamp end = from_millis(kEndMs);
  TicketSlaClocks out{.ticket = s.id, .clocks = {}};
  auto clock = [&](SlaMetric metric, int target, std::optional<Timestamp> stop) {
    SlaClockFact c{.ticket = s.id, .priority = static_cast<Priority>(p + 1), .clock = {}};
    SlaClock& k = c.clock;
    k.metric = metric;
    k.line = 1;
    k.team = s.origin_team;
    k.target = minutes{target};
    k.started_at = created;
    k.policy = 1;
    const Timestamp due = created + k.target;
    k.due_at = due;
    const Timestamp upto = stop ? *stop : end;
    k.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(upto - created);
    if (upto > due) k.breached_at = due;
    if (stop) {
      k.stopped_at = stop;
      k.state = *stop > due ? ClockState::breached : ClockState::met;
    } else {
      k.state = k.breached_at ? ClockState::breached : ClockState::running;
    }
    out.clocks.push_back(c);
  };
  clock(SlaMetric::first_response, kFirstResponse[p],
        f.first_response_at ? f.first_response_at : f.first_resolved_at);
  clock(SlaMetric::resolution, kResolution[p], f.first_resolved_at);
  return out;
}

// The tickets and their facts. With `store_events` the events go into the events table and
// no facts are written (the slice: rebuild() makes them); else the facts are written through
// Store::save_report_facts, as the follower writes them, and the events are not kept.
GenerationStats write_tickets(const fs::path& file, std::int64_t n, std::uint64_t seed,
                              bool store_events, std::vector<std::int64_t>* created_out) {
  GenerationStats stats;
  const DeskIds desk = desk_ids();
  {
    auto store = must(SqliteStore::open(file, {.synchronous_full = false}), "create store");
  }
  auto c = open_bulk(file);
  write_directory(c, desk);
  std::unique_ptr<SqliteStore> store;
  if (!store_events) store = must(SqliteStore::open(file, {.synchronous_full = false}), "open store");

  Rng rng{std::mt19937_64(seed)};
  const std::vector<std::int64_t> created = creation_times(rng, n);
  HistoryWriter history(rng, desk);
  const auto is_staff = [](UserId u) { return u < kFirstCustomer; };
  constexpr std::int64_t kBatch = 2'000;
  std::vector<Event> events;
  const auto t0 = Stopwatch::now();
  for (std::int64_t first = 0; first < n; first += kBatch) {
    const std::int64_t last = std::min(n, first + kBatch);
    std::vector<TicketFacts> facts;
    FactChanges changes;
    EventId cursor = 0;
    exec(c, "BEGIN");
    for (std::int64_t i = first; i < last; ++i) {
      events.clear();
      const TicketId id = i + 1;
      TicketState s = history.ticket(id, created[static_cast<std::size_t>(i)], events);
      TicketFacts f;
      for (const auto& e : events) {
        apply_event(f, e, is_staff, changes);
        ++stats.by_type[e.type];
        cursor = std::max(cursor, e.id);
      }
      stats.events += static_cast<std::int64_t>(events.size());
      changes.sla_clocks.push_back(sla_clocks_of(s, f));
      f.category = std::string(s.category);
      f.organization = s.organization;
      f.priority = std::string(s.priority);
      f.assignee = s.assignee;
      stats.open += f.status != "resolved" && f.status != "closed";
      write_ticket_row(c, s, f);
      if (store_events)
        for (const auto& e : events) write_event_row(c, e);
      facts.push_back(std::move(f));
    }
    exec(c, "COMMIT");
    stats.moves += static_cast<std::int64_t>(changes.moves.size());
    stats.contacts += static_cast<std::int64_t>(changes.contacts.size());
    if (store) must(store->save_report_facts(facts, changes, cursor), "save_report_facts");
    stats.tickets = last;
    if (last % 100'000 == 0 || last == n)
      fmt::print("  {:>9} tickets, {:>10} events ({:.0f} s)\n", last, stats.events,
                 seconds_since(t0));
    std::fflush(stdout);
  }
  if (created_out) *created_out = created;
  return stats;
}

std::string token(Rng& rng) { return fmt::format("{:016x}{:08x}", rng.engine(), rng.engine() & 0xffffffff); }

// Line 0: search sessions before filing a ticket (with their suggestions, the articles
// opened and the ticket filed anyway) and chatbot conversations, over the same two years.
void write_line0(const fs::path& file, const std::vector<std::int64_t>& ticket_created,
                 std::int64_t sessions, std::int64_t bot_sessions, std::uint64_t seed,
                 GenerationStats& stats) {
  auto c = open_bulk(file);
  Rng rng{std::mt19937_64(seed ^ 0x5e55)};
  exec(c, "BEGIN");
  for (int a = 1; a <= kArticles; ++a) {
    auto s = must(c.prepare("INSERT INTO articles (id, title, body, language, kind, audience, "
                            "status, version, author_id, created_at, updated_at) VALUES (?, ?, "
                            "?, 'en', 'howto', 'public', 'published', 1, 2, ?, ?)"),
                  "article");
    s.bind_all(a, fmt::format("How to fix problem {}", a), "Steps.", kStartMs - kDay, kStartMs - kDay);
    must(s.run(), "insert article");
  }
  exec(c, "COMMIT");
  // The ticket filed after a session: the first created after it (ids follow creation).
  auto ticket_after = [&](std::int64_t at) -> std::optional<std::pair<TicketId, std::int64_t>> {
    auto it = std::upper_bound(ticket_created.begin(), ticket_created.end(), at + 2 * kMinute);
    if (it == ticket_created.end()) return std::nullopt;
    return std::pair<TicketId, std::int64_t>{it - ticket_created.begin() + 1, *it};
  };
  const std::vector<std::int64_t> starts = creation_times(rng, sessions + bot_sessions);
  const char* queries[] = {"vpn not connecting", "reset password", "printer offline",
                           "outlook crashes",    "wifi slow",      "new laptop",
                           "erp login error",    "teams audio",    "xyzzy frobnicate"};
  constexpr std::int64_t kChunk = 50'000;
  for (std::int64_t first = 0; first < sessions + bot_sessions; first += kChunk) {
    exec(c, "BEGIN");
    for (std::int64_t i = first; i < std::min(sessions + bot_sessions, first + kChunk); ++i) {
      const std::int64_t at = starts[static_cast<std::size_t>(i)];
      const std::string id = token(rng);
      const UserId user = kFirstCustomer + rng.between(0, kCustomers - 1);
      if (i % 4 != 3 || stats.bot_sessions >= bot_sessions) {  // a search session
        ++stats.sessions;
        const int found = rng.chance(0.12) ? 0 : static_cast<int>(rng.between(1, 5));
        std::optional<std::pair<TicketId, std::int64_t>> filed;
        if (rng.chance(found == 0 ? 0.6 : 0.3)) filed = ticket_after(at);
        // The session keeps its suggestion count and first open (store/sqlite/deflection.cpp
        // keeps them as suggestions and opens are recorded).
        const std::int64_t base = rng.between(1, kArticles - 5);
        const bool opened = found > 0 && rng.chance(0.4);
        const std::int64_t open_at = opened ? at + rng.wait(kMinute) : 0;
        auto s = must(c.prepare("INSERT INTO deflection_sessions (id, user_id, query, started_at, "
                                "ticket_id, ticket_at, suggestions, first_open_at) VALUES (?, ?, "
                                "?, ?, ?, ?, ?, ?)"),
                      "session");
        s.bind_all(id, rng.chance(0.8) ? std::optional<UserId>(user) : std::nullopt,
                   queries[rng.between(0, std::size(queries) - 1)], at,
                   filed ? std::optional<TicketId>(filed->first) : std::nullopt,
                   filed ? std::optional<std::int64_t>(filed->second) : std::nullopt, found,
                   opened ? std::optional<std::int64_t>(open_at) : std::nullopt);
        must(s.run(), "insert session");
        for (int r = 0; r < found; ++r) {
          auto g = must(c.prepare("INSERT INTO deflection_suggestions (session_id, article_id, "
                                  "rank) VALUES (?, ?, ?)"),
                        "suggestion");
          g.bind_all(id, base + r, r + 1);
          must(g.run(), "insert suggestion");
        }
        if (opened) {
          auto o = must(c.prepare("INSERT INTO deflection_opens (session_id, article_id, at, "
                                  "session_started_at) VALUES (?, ?, ?, ?)"),
                        "open");
          o.bind_all(id, base + rng.between(0, found - 1), open_at, at);
          must(o.run(), "insert open");
        }
      } else {  // a chatbot conversation
        ++stats.bot_sessions;
        const double r = rng.uniform();
        std::string_view status = r < 0.55 ? "deflected" : r < 0.80 ? "handed_off" : "abandoned";
        std::optional<std::pair<TicketId, std::int64_t>> filed;
        if (status == "handed_off") filed = ticket_after(at);
        if (status == "handed_off" && !filed) status = "abandoned";
        auto s = must(c.prepare("INSERT INTO bot_sessions (id, user_id, language, status, state, "
                                "ticket_id, deflection_session, client_key, created_at, "
                                "updated_at) VALUES (?, ?, ?, ?, '{}', ?, '', ?, ?, ?)"),
                      "bot session");
        s.bind_all(id, rng.chance(0.5) ? std::optional<UserId>(user) : std::nullopt,
                   rng.chance(0.6) ? "de" : "en", status,
                   filed ? std::optional<TicketId>(filed->first) : std::nullopt,
                   fmt::format("user:{}", user), at, at + rng.wait(4 * kMinute));
        must(s.run(), "insert bot session");
      }
    }
    exec(c, "COMMIT");
  }
}

// --- measuring -------------------------------------------------------------------------------

// SQLite's profile trace on every connection this process opens (the store's readers too):
// while `g_profiling` is set, each finished statement is kept with its time.
std::atomic<bool> g_profiling{false};
std::mutex g_profile_mutex;
struct Traced {
  std::string shape;  // the statement as prepared (parameters as ?)
  std::string sql;    // with its parameters
  double ms = 0;
};
std::vector<Traced> g_profile;
// Connection settings to try without touching the store (--mmap-mib, --cache-mib): applied to
// every connection as it opens, before the store sets its own pragmas.
std::int64_t g_mmap_mib = 0;
std::int64_t g_cache_mib = 0;

int on_trace(unsigned type, void*, void* p, void* x) {
  if (type != SQLITE_TRACE_PROFILE || !g_profiling.load()) return 0;
  auto* statement = static_cast<sqlite3_stmt*>(p);
  const double ms = static_cast<double>(*static_cast<sqlite3_int64*>(x)) / 1e6;
  char* sql = sqlite3_expanded_sql(statement);
  std::lock_guard lock(g_profile_mutex);
  g_profile.push_back({sqlite3_sql(statement), sql ? sql : sqlite3_sql(statement), ms});
  sqlite3_free(sql);
  return 0;
}

int install_trace(sqlite3* db, const char**, const sqlite3_api_routines*) {
  sqlite3_trace_v2(db, SQLITE_TRACE_PROFILE, on_trace, nullptr);
  if (g_mmap_mib > 0)
    sqlite3_exec(db, fmt::format("PRAGMA mmap_size={}", g_mmap_mib << 20).c_str(), nullptr, nullptr, nullptr);
  if (g_cache_mib > 0)
    sqlite3_exec(db, fmt::format("PRAGMA cache_size=-{}", g_cache_mib * 1024).c_str(), nullptr, nullptr, nullptr);
  return SQLITE_OK;
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return fmt::format("{} {} {}", a, b, c);
}

void print_plan(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  const std::string explain = "EXPLAIN QUERY PLAN " + sql;
  if (sqlite3_prepare_v2(db, explain.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    fmt::print("        (no plan: {})\n", sqlite3_errmsg(db));
    return;
  }
  std::map<int, int> depth;
  while (sqlite3_step(st) == SQLITE_ROW) {
    const int id = sqlite3_column_int(st, 0);
    const int parent = sqlite3_column_int(st, 1);
    depth[id] = depth.contains(parent) ? depth[parent] + 1 : 0;
    fmt::print("        {:{}}{}\n", "", 2 * depth[id],
               reinterpret_cast<const char*>(sqlite3_column_text(st, 3)));
  }
  sqlite3_finalize(st);
}

struct Timing {
  double median = 0;
  double max = 0;
  double cpu_median = 0;  // this thread's CPU time (the store reads on the caller's thread)
};

double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

template <class Fn>
Timing time_runs(int runs, Fn&& fn) {
  std::vector<double> ms;
  std::vector<double> cpu;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = Stopwatch::now();
    const double c0 = thread_cpu_ms();
    fn();
    cpu.push_back(thread_cpu_ms() - c0);
    ms.push_back(std::chrono::duration<double, std::milli>(Stopwatch::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  std::sort(cpu.begin(), cpu.end());
  const std::size_t mid = (ms.size() - 1) / 2;  // the lower median
  return {ms[mid], ms.back(), cpu[mid]};
}

std::string describe(const ReportFilter& f) {
  if (f.team) return fmt::format("team={}", *f.team);
  if (f.category) return fmt::format("category={}", *f.category);
  if (f.channel) return fmt::format("channel={}", *f.channel);
  return "unfiltered";
}

std::string_view verdict(const Timing& t) { return t.max <= 500 ? "ok (<= 500 ms)" : "OVER 500 ms"; }

// The indexes this bench proposes for the slow reports (see README.md): --try-indexes measures
// them on a copy of the generated file, leaving the file as the store's migrations make it.
constexpr const char* kProposedIndexes[] = {
    // backlog: the open tickets now, without reading all of them (a few thousand entries).
    "CREATE INDEX IF NOT EXISTS report_tickets_open ON report_tickets(created_at) "
    "WHERE status NOT IN ('resolved', 'closed')",
    // csat: ratings given in the period.
    "CREATE INDEX IF NOT EXISTS report_tickets_rated ON report_tickets(csat_at) "
    "WHERE csat_at IS NOT NULL",
    // line 1: contacts at a line in the period, covering (no row read per contact).
    "CREATE INDEX IF NOT EXISTS report_contacts_line_at ON report_contacts(line, at, team, "
    "agent_id, kind, call_seconds, ticket_id)",
    // line 0: chatbot conversations in the period (there is no index on created_at at all).
    "CREATE INDEX IF NOT EXISTS bot_sessions_created ON bot_sessions(created_at, status, ticket_id)",
    // line 1, escalation, backlog's inflow: tickets created in the period, covering what those
    // reports read of them and filter them by (no row read per ticket).
    "CREATE INDEX IF NOT EXISTS report_tickets_created_cover ON report_tickets(created_at, "
    "opened_line, opened_team, category, channel, team, line, organization_id, resolved_at, "
    "resolved_line, escalations, customer_contacts, first_response_at, returns, bounces)",
    // sla: clocks stopped in the period, covering what its six group statements read (the
    // table is WITHOUT ROWID: the key, ticket_id, metric and cycle, comes with every entry).
    "CREATE INDEX IF NOT EXISTS report_sla_clocks_stopped_cover ON report_sla_clocks(stopped_at, "
    "state, policy_id, line, team, priority, paused_ms, breached_at, target_minutes) "
    "WHERE stopped_at IS NOT NULL",
    // escalation: moves in the period, covering.
    "CREATE INDEX IF NOT EXISTS report_moves_at_cover ON report_moves(at, kind, from_line, "
    "to_line, from_team, to_team, bounce, asked_again, note_chars, ms_at_previous, ticket_id)",
};

struct Options {
  fs::path dir = fs::temp_directory_path() / "firstline-bench-reports";
  std::int64_t tickets = 1'000'000;
  std::int64_t slice_tickets = 100'000;
  int runs = 5;
  bool regenerate = false;
  bool rebuild = true;
  bool try_indexes = false;
  std::vector<std::string> only;  // --only: these reports (default: all)
  double explain_ms = 50;
  std::uint64_t seed = 8;
  fs::path dump;  // --dump: every measured report's figures and rows, to compare two builds
};

// A report as lines of text (each figure, then each table's rows), for diffing two builds'
// answers: a query rewritten for speed must give the same report.
std::string value_text(const ReportValue& value) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) return "null";
        else if constexpr (std::is_same_v<T, double>) return fmt::format("{:.9g}", x);
        else return fmt::format("{}", x);
      },
      value);
}

void dump_report(std::ostream& out, const std::string& label, const Report& report) {
  for (const auto& f : report.figures)
    out << fmt::format("{} figure {} = {}\n", label, f.name, value_text(f.value));
  for (const auto& t : report.tables) {
    out << fmt::format("{} table {} [{}] chart={} drill={}/{}\n", label, t.name,
                       fmt::join(t.columns, ","), t.chart, t.drill_by, t.drill_figure);
    for (const auto& row : t.rows) {
      std::string line;
      for (const auto& v : row) line += (line.empty() ? "" : " | ") + value_text(v);
      out << fmt::format("{} row {}: {}\n", label, t.name, line);
    }
  }
}

bool complete(const fs::path& db) { return fs::exists(db.string() + ".done") && fs::exists(db); }

void remove_db(const fs::path& db) {
  for (const char* suffix : {"", "-wal", "-shm", ".done"}) fs::remove(db.string() + suffix);
}

void mark_complete(const fs::path& db, const std::string& summary) {
  std::ofstream(db.string() + ".done") << summary;
}

std::string read_marker(const fs::path& db) {
  std::ifstream in(db.string() + ".done");
  return {std::istreambuf_iterator<char>(in), {}};
}

// Line 0's proposed aggregate, tried by hand on the copy: each search session keeps how many
// suggestions it showed and when an article was first opened (written with them), so the
// period's figures are one covering-index range instead of a probe into the suggestions and
// opens per session. The report's statements (as app's deflection figures and line 0 run them)
// against their rewrites over the new columns, same answers, timed on one connection.
constexpr const char* kLine0Aggregate[] = {
    "ALTER TABLE deflection_sessions ADD COLUMN suggestions INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE deflection_sessions ADD COLUMN first_open_at INTEGER",
    "UPDATE deflection_sessions SET suggestions = (SELECT count(*) FROM deflection_suggestions g "
    "WHERE g.session_id = deflection_sessions.id), first_open_at = (SELECT min(at) FROM "
    "deflection_opens o WHERE o.session_id = deflection_sessions.id)",
    "CREATE INDEX deflection_sessions_report ON deflection_sessions(started_at, suggestions, "
    "first_open_at, ticket_at, query)",
};

void try_line0_aggregate(const fs::path& copy, int runs) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(copy.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  bool present = false;
  {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info('deflection_sessions') WHERE name = 'suggestions'", -1, &st, nullptr);
    present = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
  }
  fmt::print("\nline 0's proposed aggregate (per-session columns), on the copy:\n");
  if (!present) {
    const auto t0 = Stopwatch::now();
    for (const char* sql : kLine0Aggregate) {
      if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
        fmt::print("  failed: {}: {}\n", sql, sqlite3_errmsg(db));
    }
    sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
    fmt::print("  added in {:.0f} s\n", seconds_since(t0));
  }
  for (const char* sql : kLine0Aggregate) fmt::print("  {};\n", sql);
  const std::string from = std::to_string(kEndMs - 90 * kDay);
  const std::string to = std::to_string(kEndMs);
  const std::string period = " started_at >= " + from + " AND started_at < " + to;
  const std::string filed = "(ticket_at IS NOT NULL AND ticket_at <= started_at + 1800000)";
  const std::pair<std::string, std::string> pairs[] = {
      {"WITH s AS (SELECT id, started_at, " + filed + " AS filed, EXISTS (SELECT 1 FROM "
       "deflection_opens o WHERE o.session_id = deflection_sessions.id) AS opened, EXISTS (SELECT "
       "1 FROM deflection_suggestions g WHERE g.session_id = deflection_sessions.id) AS shown FROM "
       "deflection_sessions WHERE" + period + ") SELECT count(*), coalesce(sum(shown), 0), "
       "coalesce(sum(opened), 0), coalesce(sum(opened AND NOT filed AND started_at + 1800000 <= " + to +
       "), 0), coalesce(sum(filed), 0), coalesce(sum(NOT filed AND started_at + 1800000 > " + to +
       "), 0), sum(NOT shown) FROM s",
       "SELECT count(*), coalesce(sum(suggestions > 0), 0), coalesce(sum(first_open_at IS NOT "
       "NULL), 0), coalesce(sum(first_open_at IS NOT NULL AND NOT " + filed + " AND started_at + "
       "1800000 <= " + to + "), 0), coalesce(sum(" + filed + "), 0), coalesce(sum(NOT " + filed +
       " AND started_at + 1800000 > " + to + "), 0), sum(suggestions = 0) FROM deflection_sessions "
       "WHERE" + period},
      {"SELECT lower(trim(s.query)) AS q, count(*) FROM deflection_sessions s WHERE NOT EXISTS "
       "(SELECT 1 FROM deflection_suggestions g WHERE g.session_id = s.id) AND" + period +
       " GROUP BY q ORDER BY count(*) DESC, q LIMIT 25",
       "SELECT lower(trim(query)) AS q, count(*) FROM deflection_sessions WHERE suggestions = 0 "
       "AND" + period + " GROUP BY q ORDER BY count(*) DESC, q LIMIT 25"},
  };
  auto run = [&](const std::string& sql, std::string& answer) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
    answer.clear();
    while (sqlite3_step(st) == SQLITE_ROW)
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        const auto* text = sqlite3_column_text(st, i);
        answer += text ? reinterpret_cast<const char*>(text) : "null";
        answer += i + 1 < sqlite3_column_count(st) ? "|" : ";";
      }
    sqlite3_finalize(st);
  };
  for (const auto& [before, after] : pairs) {
    std::string a, b;
    const Timing t1 = time_runs(runs, [&] { run(before, a); });
    const Timing t2 = time_runs(runs, [&] { run(after, b); });
    fmt::print("  now       median {:8.1f} ms  max {:8.1f} ms  cpu {:8.1f} ms  {}\n", t1.median,
               t1.max, t1.cpu_median, before.substr(0, 90));
    print_plan(db, before);
    fmt::print("  aggregate median {:8.1f} ms  max {:8.1f} ms  cpu {:8.1f} ms  same answer: {}\n",
               t2.median, t2.max, t2.cpu_median, a == b ? "yes" : "NO");
    print_plan(db, after);
  }
  sqlite3_close(db);
}

void measure_reports(const fs::path& db, const Options& o) {
  auto store = must(SqliteStore::open(db), "open store");
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    fmt::print(stderr, "bench_reports: cannot open {} for plans\n", db.string());
    std::exit(1);
  }
  const Timestamp now = from_millis(kEndMs);
  ReportFilter period{.from = from_millis(kEndMs - 90 * kDay), .to = now};
  std::vector<ReportFilter> filters{period, period, period, period};
  filters[1].team = 1;
  filters[2].category = "network";
  filters[3].channel = "email";
  fmt::print("\nreports: period {} .. {} (90 days, the data's end), now = the end; {} runs each\n",
             "2026-08-04", "2026-11-02", o.runs);
  fmt::print("  filters: team=1 (Service Desk, line 1), category=network, channel=email\n");
  fmt::print("  load average {}{}{}\n\n", load_average(),
             g_mmap_mib > 0 ? fmt::format("; every connection with mmap_size {} MiB", g_mmap_mib) : "",
             g_cache_mib > 0 ? fmt::format("; every connection with cache_size {} MiB", g_cache_mib) : "");
  std::vector<std::string> over;
  for (std::string_view name : {"line0", "line1", "escalation", "sla", "backlog", "csat"}) {
    if (!o.only.empty() && std::ranges::find(o.only, name) == o.only.end()) continue;
    const auto t_first = Stopwatch::now();
    auto first = store->report(name, period, now);
    const double first_ms = std::chrono::duration<double, std::milli>(Stopwatch::now() - t_first).count();
    if (!first && first.error().code == ErrorCode::not_found) {
      fmt::print("  {:<11} not available ({})\n", name, first.error().message);
      continue;
    }
    if (!first) {
      fmt::print("  {:<11} error: {}\n", name, first.error().message);
      continue;
    }
    std::string figures;
    for (const auto& f : first->figures) {
      if (figures.size() > 160) break;
      std::string v = std::visit(
          [](const auto& x) -> std::string {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>) return "null";
            else if constexpr (std::is_same_v<T, double>) return fmt::format("{:.3g}", x);
            else return fmt::format("{}", x);
          },
          f.value);
      figures += fmt::format("{}{}={}", figures.empty() ? "" : " ", f.name, v);
    }
    fmt::print("  {}: {}\n", name, figures);
    // A report that takes seconds is run fewer times: its verdict does not need five.
    const int runs = first_ms > 3000 ? std::min(o.runs, 2) : o.runs;
    if (runs < o.runs)
      fmt::print("    (the first call took {:.0f} ms: {} runs each instead of {})\n", first_ms, runs, o.runs);
    std::vector<const ReportFilter*> slow;
    for (const auto& filter : filters) {
      Timing t = time_runs(runs, [&] { must(store->report(name, filter, now), "report"); });
      if (t.max > 500) slow.push_back(&filter);
      fmt::print("    {:<11} {:<18} median {:8.1f} ms  max {:8.1f} ms  cpu {:8.1f} ms  {}\n", name,
                 describe(filter), t.median, t.max, t.cpu_median, verdict(t));
      std::fflush(stdout);
    }
    if (!o.dump.empty()) {
      std::ofstream out(o.dump, std::ios::app);
      for (const auto& filter : filters)
        dump_report(out, fmt::format("{} {}", name, describe(filter)),
                    must(store->report(name, filter, now), "report"));
    }
    std::string drill;
    for (const auto& f : first->figures)
      if (!f.drill.empty()) {
        drill = f.drill;
        break;
      }
    bool slow_drill = false;
    if (drill.empty()) {
      fmt::print("    {:<11} drill: no figure drills\n", name);
    } else {
      std::size_t found = 0;
      Timing t = time_runs(runs, [&] {
        found = must(store->report_drill(name, drill, period, now, 500), "drill").size();
      });
      slow_drill = t.max > 500;
      fmt::print("    {:<11} drill {:<12} median {:8.1f} ms  max {:8.1f} ms  cpu {:8.1f} ms  {}  ({} tickets)\n",
                 name, drill, t.median, t.max, t.cpu_median, verdict(t), found);
    }
    // The slow statements, with their plans: one more run of each slow case, traced; each
    // statement shape shown once, at its slowest.
    if (!slow.empty() || slow_drill || o.explain_ms <= 0) {
      over.emplace_back(name);
      g_profile.clear();
      g_profiling = true;
      for (const ReportFilter* filter : slow) (void)store->report(name, *filter, now);
      if (slow_drill) (void)store->report_drill(name, drill, period, now, 500);
      if (o.explain_ms <= 0 && slow.empty()) (void)store->report(name, period, now);
      g_profiling = false;
      std::sort(g_profile.begin(), g_profile.end(),
                [](const auto& a, const auto& b) { return a.ms > b.ms; });
      fmt::print("    slowest statements (one traced run of each slow case):\n");
      std::vector<std::string> shown;
      for (const auto& t : g_profile) {
        if (t.ms < std::max(1.0, o.explain_ms) || shown.size() == 6) break;
        if (std::ranges::find(shown, t.shape) != shown.end()) continue;
        shown.push_back(t.shape);
        fmt::print("      {:7.1f} ms  {}\n", t.ms, t.sql);
        print_plan(raw, t.sql);
      }
    }
  }
  if (o.only.empty() || std::ranges::find(o.only, "staffing") != o.only.end()) {
    // The staffing report (measured arrivals and handling, Erlang C for each hour of the week)
    // and one what-if (its simulation included), as a supervisor asks for them.
    struct FixedClock final : fl::Clock {
      Timestamp at;
      [[nodiscard]] Timestamp now() const override { return at; }
    } clock;
    clock.at = now;
    StaffingService staffing(*store, clock, {});
    Actor supervisor;
    supervisor.user.id = 1;
    supervisor.user.role = Role::supervisor;
    supervisor.user.active = true;
    auto first = staffing.report(supervisor, {.filter = period});
    if (!first) {
      fmt::print("  staffing    error: {}\n", first.error().message);
    } else {
      for (const auto& filter : filters) {
        Timing t = time_runs(o.runs, [&] {
          must(staffing.report(supervisor, {.filter = filter}), "staffing report");
        });
        if (t.max > 500) over.emplace_back("staffing");
        fmt::print("    {:<11} {:<18} median {:8.1f} ms  max {:8.1f} ms  cpu {:8.1f} ms  {}\n",
                   "staffing", describe(filter), t.median, t.max, t.cpu_median, verdict(t));
      }
      {
        StaffingQuery q;
        q.filter = period;
        Timing m = time_runs(o.runs, [&] { must(store->staffing_measures(q, now), "measures"); });
        fmt::print("    {:<11} {:<18} median {:8.1f} ms  max {:8.1f} ms  cpu {:8.1f} ms\n",
                   "(measures)", "unfiltered", m.median, m.max, m.cpu_median);
      }
      Timing t = time_runs(o.runs, [&] {
        must(staffing.what_if(supervisor, {.filter = period}, {.first_line_resolution = 0.9}),
             "what-if");
      });
      fmt::print("    {:<11} {:<18} median {:8.1f} ms  max {:8.1f} ms  cpu {:8.1f} ms\n",
                 "what-if", "fcr=0.9", t.median, t.max, t.cpu_median);
    }
  }
  sqlite3_close(raw);
  fmt::print("\n  load average {}\n", load_average());
  fmt::print("\n{}\n", over.empty() ? "every report available returned within 500 ms"
                                    : fmt::format("over 500 ms: {}", fmt::join(over, ", ")));
}

void measure_rebuild(const fs::path& slice, const Options& o) {
  auto store = must(SqliteStore::open(slice), "open slice");
  const EventId latest = must(store->latest_event_id(), "latest event");
  {
    ReportFacts follower(*store);  // the server's: default batch
    const auto t0 = Stopwatch::now();
    const std::int64_t read = must(follower.rebuild(), "rebuild (default batch)");
    fmt::print("  rebuild() with the default batch (2000): read {} events in {:.2f} s, then "
               "stopped{}\n",
               read, seconds_since(t0),
               read < 5000 ? " — events_after() returns at most 1000, fewer than the batch, "
                             "so catch_up() takes it for the end of the feed"
                           : "");
  }
  ReportFacts follower(*store, 1000);
  const auto t0 = Stopwatch::now();
  const std::int64_t read = must(follower.rebuild(), "rebuild");
  const double s = seconds_since(t0);
  fmt::print("  rebuild() with batch 1000: {} events in {:.1f} s = {:.0f} events/s "
             "(synchronous FULL, one commit per batch){}\n",
             read, s, static_cast<double>(read) / s,
             latest > 0 ? "" : " (no events?)");
  (void)o;
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(slice.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    auto count = [&](const char* sql) -> std::int64_t {
      sqlite3_stmt* st = nullptr;
      std::int64_t n = -1;
      if (sqlite3_prepare_v2(raw, sql, -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
      sqlite3_finalize(st);
      return n;
    };
    fmt::print("  facts after the rebuild: {} tickets, {} moves, {} contacts (compare with the "
               "generation's counts above, made by apply_event directly)\n",
               count("SELECT count(*) FROM report_tickets"), count("SELECT count(*) FROM report_moves"),
               count("SELECT count(*) FROM report_contacts"));
  }
  sqlite3_close(raw);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        fmt::print(stderr, "bench_reports: {} needs a value\n", a);
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--dir") o.dir = next();
    else if (a == "--tickets") o.tickets = std::stoll(next());
    else if (a == "--slice-tickets") o.slice_tickets = std::stoll(next());
    else if (a == "--runs") o.runs = std::stoi(next());
    else if (a == "--explain-ms") o.explain_ms = std::stod(next());
    else if (a == "--regenerate") o.regenerate = true;
    else if (a == "--mmap-mib") g_mmap_mib = std::stoll(next());
    else if (a == "--cache-mib") g_cache_mib = std::stoll(next());
    else if (a == "--no-rebuild") o.rebuild = false;
    else if (a == "--try-indexes") o.try_indexes = true;
    else if (a == "--dump") o.dump = next();
    else if (a == "--only") {
      std::string list = next();
      for (std::size_t at = 0; at <= list.size();) {
        const std::size_t comma = std::min(list.find(',', at), list.size());
        o.only.push_back(list.substr(at, comma - at));
        at = comma + 1;
      }
    }
    else {
      fmt::print(stderr,
                 "usage: bench_reports [--dir DIR] [--tickets N] [--slice-tickets N] [--runs N] "
                 "[--regenerate] [--no-rebuild] [--explain-ms MS] [--mmap-mib N] [--cache-mib N] "
                 "[--try-indexes] [--only REPORT,...] [--dump FILE]\n");
      return 2;
    }
  }
  sqlite3_auto_extension(reinterpret_cast<void (*)()>(install_trace));
  fs::create_directories(o.dir);
  // The schema version is in the names: a newer store's migration may drop the facts (24 did).
  const int schema = SqliteStore::latest_schema_version();
  const fs::path db = o.dir / fmt::format("reports-{}-s{}.db", o.tickets, schema);
  const fs::path slice = o.dir / fmt::format("slice-{}-s{}.db", o.slice_tickets, schema);
  fmt::print("bench_reports: {} tickets over {} days, seed {}\n  file {}\n", o.tickets, kDays,
             o.seed, db.string());
  if (o.regenerate || !complete(db)) {
    remove_db(db);
    fmt::print("generating (tickets, facts through apply_event and save_report_facts):\n");
    const auto t0 = Stopwatch::now();
    std::vector<std::int64_t> created;
    GenerationStats stats = write_tickets(db, o.tickets, o.seed, false, &created);
    const double tickets_s = seconds_since(t0);
    const auto t1 = Stopwatch::now();
    write_line0(db, created, o.tickets * 3 / 2, o.tickets / 2, o.seed, stats);
    const double line0_s = seconds_since(t1);
    {
      auto c = open_bulk(db);
      exec(c, "PRAGMA wal_checkpoint(TRUNCATE)");
    }
    std::string types;
    for (const auto& [type, count] : stats.by_type) types += fmt::format("    {:<24} {:>10}\n", type, count);
    const std::string summary = fmt::format(
        "  {} tickets ({} open at the end), {} events, {} moves, {} contacts\n{}"
        "  line 0: {} search sessions, {} chatbot conversations\n"
        "  generated in {:.0f} s: tickets and facts {:.0f} s, line 0 {:.0f} s; file {} MiB\n",
        stats.tickets, stats.open, stats.events, stats.moves, stats.contacts, types,
        stats.sessions, stats.bot_sessions, tickets_s + line0_s, tickets_s, line0_s,
        fs::file_size(db) >> 20);
    fmt::print("{}", summary);
    mark_complete(db, summary);
  } else {
    fmt::print("reusing the generated file (--regenerate to make it again); as generated:\n{}",
               read_marker(db));
  }
  if (o.try_indexes) {
    const fs::path copy = o.dir / fmt::format("reports-{}-s{}-proposed.db", o.tickets, schema);
    const auto t0 = Stopwatch::now();
    if (!fs::exists(copy)) {
      fmt::print("\ncopying the file to {}\n", copy.string());
      fs::copy_file(db, copy, fs::copy_options::overwrite_existing);
    }
    fmt::print("\nthe proposed indexes, on the copy {} (built now unless there):\n", copy.string());
    {
      auto c = open_bulk(copy);
      for (const char* sql : kProposedIndexes) {
        const auto t1 = Stopwatch::now();
        exec(c, sql);
        fmt::print("  {:5.1f} s  {};\n", seconds_since(t1), sql);
      }
      exec(c, "PRAGMA wal_checkpoint(TRUNCATE)");
    }
    fmt::print("  copy ready in {:.0f} s; file {} MiB\n", seconds_since(t0), fs::file_size(copy) >> 20);
    measure_reports(copy, o);
    try_line0_aggregate(copy, o.runs);
  } else {
    measure_reports(db, o);
  }

  if (o.rebuild) {
    fmt::print("\nrebuild: the slice, {} tickets with their events stored\n  file {}\n",
               o.slice_tickets, slice.string());
    if (o.regenerate || !complete(slice)) {
      remove_db(slice);
      const auto t0 = Stopwatch::now();
      GenerationStats stats = write_tickets(slice, o.slice_tickets, o.seed + 1, true, nullptr);
      {
        auto c = open_bulk(slice);
        exec(c, "PRAGMA wal_checkpoint(TRUNCATE)");
      }
      const std::string summary =
          fmt::format("  {} tickets, {} events, {} moves, {} contacts; generated in {:.0f} s\n",
                      stats.tickets, stats.events, stats.moves, stats.contacts, seconds_since(t0));
      fmt::print("{}", summary);
      mark_complete(slice, summary);
    } else {
      fmt::print("{}", read_marker(slice));
    }
    measure_rebuild(slice, o);
  }
  return 0;
}
