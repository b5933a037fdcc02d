// bench/rules: what rules cost. Plain timing on a real SQLite file in a temporary folder;
// prints its figures. A measurement, not a test (not registered with ctest).
//
// The desk: one first-line team, 10 agents, 200 customers; 12 trigger rules as a real desk
// might keep them: 10 whose conditions rarely hold (a subject word, a category, a tag), one
// that holds for a tenth of new tickets (subject contains "printer": tag and category), one
// on customer replies (tag); and the demo's two time-based rules (close resolved after 7
// days, remind after 3 days in pending_customer).
//
// Seeding (synchronous NORMAL, for speed): N tickets opened by customers, each with an
// agent's reply; half then resolved. The rules follower has not run yet. Then the store is
// reopened with synchronous FULL (every commit fsynced, the server's default) and a fresh
// RuleService loaded, as after a restart, and measured:
//   follow     RuleService::follow(1000) until caught up: the trigger rules on every event
//              (firing one commit per matching ticket) and the timers of every ticket seen;
//              events per second, against ticket creation's 6,000/s (bench/api_load);
//   due        Store::rule_timers_due(now, 200) with N/2 timers, a tenth of them due;
//   fire       RuleService::fire_due(now, 200) until done: the due tickets closed, one commit
//              each; per ticket.
//
// usage: rule_follow [--tickets N] [--dir DIR] [--keep]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "app/directory_service.hpp"
#include "app/rule_service.hpp"
#include "app/sla_service.hpp"
#include "app/ticket_service.hpp"
#include "auth/sodium_secrets.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace {

using namespace fl;
using Steady = std::chrono::steady_clock;

class BenchClock final : public Clock {
 public:
  [[nodiscard]] Timestamp now() const override { return from_millis(now_.load()); }
  void advance(std::chrono::milliseconds d) { now_ += d.count(); }

 private:
  std::atomic<std::int64_t> now_{1'795'000'000'000};
};

[[noreturn]] void die(const std::string& what, const Error& e) {
  std::fprintf(stderr, "rule_follow: %s: %s\n", what.c_str(), e.message.c_str());
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

Rule trigger(std::string name, std::vector<RuleTrigger> on, std::vector<RuleCondition> when,
             std::vector<RuleAction> actions) {
  Rule r;
  r.name = std::move(name);
  r.on = std::move(on);
  r.conditions = std::move(when);
  r.actions = std::move(actions);
  return r;
}

void add_rules(RuleService& rules, const Actor& admin) {
  using enum RuleTrigger;
  for (int i = 0; i < 10; ++i) {
    const std::string word = "rareword" + std::to_string(i);
    ok(rules.save(admin,
                  trigger("rare " + std::to_string(i), {created, updated},
                          {{RuleField::subject, RuleOperator::contains, {word}},
                           {RuleField::category, RuleOperator::is_not, {"done"}}},
                          {{.kind = RuleActionKind::add_tag, .value = word}})),
       "rule");
  }
  ok(rules.save(admin, trigger("printers", {created},
                               {{RuleField::subject, RuleOperator::contains, {"printer"}}},
                               {{.kind = RuleActionKind::add_tag, .value = "printer"},
                                {.kind = RuleActionKind::set_category, .value = "printer"}})),
     "rule");
  ok(rules.save(admin, trigger("customer answered", {entry_added},
                               {{RuleField::by, RuleOperator::is, {"customer"}},
                                {RuleField::status, RuleOperator::is, {"pending_customer"}}},
                               {{.kind = RuleActionKind::add_tag, .value = "answered"}})),
     "rule");
  Rule close;
  close.name = "close after 7 days";
  close.wait = RuleWait{{TicketStatus::resolved}, std::chrono::days(7), std::nullopt};
  close.actions = {{.kind = RuleActionKind::set_status, .status = TicketStatus::closed}};
  ok(rules.save(admin, close), "rule");
  Rule remind;
  remind.name = "remind after 3 days";
  remind.wait = RuleWait{{TicketStatus::pending_customer}, std::chrono::days(3), std::nullopt};
  remind.actions = {{.kind = RuleActionKind::reply, .text = {.en = "Any news?"}}};
  ok(rules.save(admin, remind), "rule");
}

}  // namespace

int main(int argc, char** argv) {
  int tickets_wanted = 20'000;
  std::filesystem::path base = std::filesystem::temp_directory_path();
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--tickets" && i + 1 < argc) tickets_wanted = std::atoi(argv[++i]);
    else if (a == "--dir" && i + 1 < argc) base = argv[++i];
    else if (a == "--keep") keep = true;
    else {
      std::fprintf(stderr, "usage: rule_follow [--tickets N] [--dir DIR] [--keep]\n");
      return 2;
    }
  }
  auto dir = base / ("firstline-rules-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto db = dir / "bench.db";
  BenchClock clock;
  SodiumPasswordHasher hasher{PasswordCost::min};

  std::printf("rule_follow: %d tickets, 12 trigger rules, 2 time-based rules, in %s\n",
              tickets_wanted, dir.c_str());
  {
    SqliteOptions seeding;
    seeding.synchronous_full = false;
    auto store = ok(SqliteStore::open(db, seeding), "open");
    DirectoryService directory(*store, hasher, clock);
    SlaService sla(*store, clock);
    ok(sla.load(), "sla");
    TicketService tickets(*store, clock, &sla);
    RuleService rules(*store, clock, sla);
    ok(rules.load(), "rules");
    auto desk = ok(directory.create_team(nullptr, {"Service Desk", 1, TeamKind::internal, {}}),
                   "team");
    auto admin = ok(directory.actor_for(ok(directory.create_user(
                        nullptr, {"admin", "admin", "a@x", Role::admin, {}, {}, "en", ""}),
                        "admin")),
                    "actor");
    std::vector<Actor> agents, customers;
    for (int i = 0; i < 10; ++i)
      agents.push_back(ok(directory.actor_for(ok(
                              directory.create_user(nullptr, {"l1-" + std::to_string(i), "agent",
                                                              "l@x", Role::agent, {}, {desk.id},
                                                              "en", ""}),
                              "agent")),
                          "actor"));
    for (int i = 0; i < 200; ++i)
      customers.push_back(ok(directory.actor_for(ok(
                                 directory.create_user(nullptr, {"c-" + std::to_string(i), "c",
                                                                 "c@x", Role::customer, {}, {},
                                                                 "en", ""}),
                                 "customer")),
                             "actor"));
    add_rules(rules, admin);
    ok(rules.follow(), "first follow");  // the cursor starts here: the tickets are news

    const auto t0 = Steady::now();
    for (int i = 0; i < tickets_wanted; ++i) {
      const Actor& who = customers[static_cast<std::size_t>(i) % customers.size()];
      const Actor& agent = agents[static_cast<std::size_t>(i) % agents.size()];
      std::string subject = i % 10 == 0 ? "The printer on floor " + std::to_string(i % 7) + " jams"
                                        : "Laptop " + std::to_string(i) + " is slow";
      auto t = ok(tickets.create(who, {.subject = subject, .description = "Since this morning."}),
                  "create");
      ok(tickets.add_entry(agent, t.id, {EntryKind::reply, "Please restart it.", std::nullopt}),
         "reply");
      if (i % 2 == 0) ok(tickets.update(agent, t.id, {.status = TicketStatus::resolved}), "resolve");
    }
    std::printf("seeded in %.1f s\n", ms_since(t0) / 1000);
  }

  // As after a restart, with every commit fsynced.
  auto store = ok(SqliteStore::open(db), "reopen");
  SlaService sla(*store, clock);
  ok(sla.load(), "sla");
  RuleService rules(*store, clock, sla);
  ok(rules.load(), "rules");

  const auto backlog = ok(store->latest_event_id(), "latest") - ok(store->feed_cursor("rules"), "cursor");
  auto t0 = Steady::now();
  int events = 0;
  for (int read = 1; read > 0; events += read) read = ok(rules.follow(1000), "follow");
  const double follow_ms = ms_since(t0);
  std::printf("follow     %d events (%lld behind) in %.0f ms: %.0f events/s, %.1f us per event "
              "(ticket creation: ~6,000 tickets/s, 3-5 events each)\n",
              events, static_cast<long long>(backlog), follow_ms, events / follow_ms * 1000,
              follow_ms * 1000 / std::max(events, 1));

  // A tenth of the resolved tickets due: the clock at the 10th percentile of their timers.
  clock.advance(std::chrono::days(7) + std::chrono::minutes(1));
  auto due_all = ok(store->rule_timers_due(clock.now(), 10'000), "due");
  std::vector<double> query_ms;
  for (int i = 0; i < 20; ++i) {
    auto q0 = Steady::now();
    auto due = ok(store->rule_timers_due(clock.now(), 200), "due");
    query_ms.push_back(ms_since(q0));
    if (due.empty()) break;
  }
  std::ranges::sort(query_ms);
  std::printf("due        Store::rule_timers_due(now, 200), %zu due: median %.2f ms, max %.2f ms\n",
              due_all.size(), query_ms[query_ms.size() / 2], query_ms.back());

  t0 = Steady::now();
  int fired = 0;
  for (int n = 200; n == 200; fired += n) n = ok(rules.fire_due(clock.now(), 200), "fire_due");
  const double fire_ms = ms_since(t0);
  std::printf("fire       %d timers in %.0f ms: %.2f ms per ticket (one fsynced commit each)\n",
              fired, fire_ms, fire_ms / std::max(fired, 1));

  store.reset();
  if (!keep) std::filesystem::remove_all(dir);
  return 0;
}
