// bot_eval: the chatbot measured (issue 7). Two parts, both through BotService as a logged-in
// customer would use it, on a scratch desk (bench/support/faq_sets.hpp):
//  1. First messages: every StackFAQ and Debian FAQ query from ../shared/data opens a session;
//     is the expected article the bot's answer (R@1), or among what it offers (its answer and
//     the article buttons of a clarifying question, R@3)? When it is the answer, the simulated
//     user says "yes, solved" and the session must end deflected.
//  2. Dialogues: our own multi-turn conversations (dialogues.json) on the shipped flows: the
//     flow reached, the end (solved → deflected, handoff → a ticket), the slots; for every
//     hand-off ticket, whether its description holds the transcript and the filled slots.
// Prints the deflection rate, hand-off completeness and the reply latency (p50, p99).
#include <boost/json.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

#include "app/bot_brain.hpp"
#include "app/bot_service.hpp"
#include "app/bot_understanding.hpp"
#include "app/deflection.hpp"
#include "app/ticket_service.hpp"
#include "bot/shipped.hpp"
#include "support/faq_sets.hpp"

namespace {

using namespace fl::bench;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

std::vector<double> g_latencies_ms;

// One bot with its services over a scratch desk.
struct BotDesk {
  explicit BotDesk(EvalDesk& d, const std::vector<std::string>& titles = {})
      : desk(d),
        flows(shipped()),
        tickets(*d.store, d.clock),
        deflection(*d.store, *d.search, minter, d.clock),
        brain(std::make_shared<const fl::BotUnderstanding>(
            ok(fl::BotUnderstanding::create(flows, *d.search, {}, titles), "training"))),
        bot(*d.store, brain, tickets, deflection, *d.directory, minter, d.clock,
            fl::BotLimits{.anonymous_sessions_per_hour = 1'000'000,
                          .anonymous_messages_per_minute = 1'000'000,
                          .user_sessions_per_hour = 1'000'000,
                          .user_messages_per_minute = 1'000'000}) {}

  static std::vector<fl::bot::Flow> shipped() {
    std::vector<fl::bot::Flow> out;
    for (auto doc : fl::bot::shipped_flows()) out.push_back(ok(fl::bot::parse_flow(doc), "flow"));
    return out;
  }

  fl::BotReply start(const std::string& language) {
    auto t0 = Clock::now();
    auto r = ok(bot.start(*who, client, language, nullptr), "starting a session");
    g_latencies_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    return r;
  }
  fl::BotReply answer(const std::string& session, fl::BotInput input) {
    auto t0 = Clock::now();
    auto r = ok(bot.answer(*who, session, client, input, nullptr), "answering");
    g_latencies_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    return r;
  }

  EvalDesk& desk;
  const fl::Actor* who = &desk.customer;  // the user talking: their language is the bot's
  std::vector<fl::bot::Flow> flows;
  fl::SodiumTokenMinter minter;
  fl::TicketService tickets;
  fl::DeflectionService deflection;
  fl::BotBrain brain;
  fl::BotService bot;
  fl::BotClient client{.address = "127.0.0.1", .accept_language = ""};
};

// The article the reply answers with (a message carrying one), if any.
std::optional<fl::ArticleId> answered_article(const fl::BotReply& r) {
  for (const auto& m : r.messages)
    if (m.article) return m.article->id;
  return std::nullopt;
}

std::vector<fl::ArticleId> offered_articles(const fl::BotReply& r) {
  std::vector<fl::ArticleId> out;
  if (auto a = answered_article(r)) out.push_back(*a);
  for (const auto& b : r.buttons)
    if (b.id.starts_with("article:")) out.push_back(std::stoll(b.id.substr(8)));
  return out;
}

struct FirstMessageScores {
  std::size_t queries = 0, r1 = 0, r3 = 0, flows = 0, clarify = 0, deflected = 0;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t i = std::min(v.size() - 1, static_cast<std::size_t>(p * (v.size() - 1) + 0.5));
  return v[i];
}

void first_messages(std::vector<EvalSet>& sets, const fs::path& scratch, int& sessions,
                    int& deflected) {
  std::printf("## First messages (KB queries)\n\n");
  std::printf("| set | lang | queries | R@1 (answer) | R@3 (offered) | to a flow | asked back | deflected |\n");
  std::printf("|---|---|---:|---:|---:|---:|---:|---:|\n");
  for (std::size_t s = 0; s < sets.size(); ++s) {
    EvalSet& set = sets[s];
    fs::path dir = scratch / ("set-" + std::to_string(s));
    EvalDesk desk(dir);
    import_set(set, desk, dir);
    ok(desk.search->reindex(), "reindexing");
    // The knowledge base's titles teach the bot what is not a flow (as `serve` does).
    std::vector<std::string> titles;
    for (const auto& a : set.articles) titles.push_back(a.title);
    BotDesk bot(desk, titles);
    // A customer who reads German asks the German questions (a user's setting wins over the
    // language of the text).
    auto german = ok(desk.directory->create_user(
                         nullptr, {"kunde", "Kunde", "kunde@example.invalid", fl::Role::customer,
                                   desk.customer.organization->id, {}, "de", ""}),
                     "creating the German customer");
    const fl::Actor german_customer = ok(desk.directory->actor_for(german), "resolving");
    for (const auto& [language, queries] : set.queries) {
      bot.who = language == "de" ? &german_customer : &desk.customer;
      FirstMessageScores sc;
      for (const auto& q : queries) {
        const fl::ArticleId expected = set.articles[q.article].id;
        auto hello = bot.start(language);
        auto r = bot.answer(hello.session, {.text = q.text});
        ++sc.queries;
        ++sessions;
        const auto offered = offered_articles(r);
        const auto answer = answered_article(r);
        if (answer && *answer == expected) ++sc.r1;
        if (std::ranges::find(offered, expected) != offered.end()) ++sc.r3;
        const bool asked_back = std::ranges::any_of(r.buttons, [](const fl::BotButton& b) {
          return b.id.starts_with("article:") || b.id.starts_with("flow:");
        });
        if (!answer && asked_back) ++sc.clarify;
        if (!answer && !asked_back) ++sc.flows;  // a flow's first question (or small talk)
        // The simulated user: picks the right article when the bot asks back with it, and says
        // yes when the right article is the answer.
        if (!answer && std::ranges::find(offered, expected) != offered.end() &&
            r.status == fl::BotSessionStatus::open)
          r = bot.answer(r.session, {.button = "article:" + std::to_string(expected)});
        if (answered_article(r) == expected && r.status == fl::BotSessionStatus::open) {
          auto done = bot.answer(r.session, {.button = "yes"});
          if (done.status == fl::BotSessionStatus::deflected) {
            ++sc.deflected;
            ++deflected;
          }
        }
      }
      auto pct = [&](std::size_t n) { return sc.queries ? double(n) / double(sc.queries) : 0.0; };
      std::printf("| %s | %s | %zu | %.3f | %.3f | %.3f | %.3f | %.3f |\n", set.name.c_str(),
                  language.c_str(), sc.queries, pct(sc.r1), pct(sc.r3), pct(sc.flows),
                  pct(sc.clarify), pct(sc.deflected));
    }
  }
}

std::string lower(std::string s) {
  std::ranges::transform(s, s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

void dialogues(const fs::path& file, const fs::path& scratch, int& sessions, int& deflected) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::stringstream text;
  text << in.rdbuf();
  const json::array all = json::parse(text.str()).as_array();

  EvalDesk desk(scratch / "dialogues");
  ok(desk.directory->create_team(nullptr, {"Service Desk", 1}), "creating the first line");
  BotDesk bot(desk);
  int reached = 0, handoffs = 0, complete = 0;
  std::vector<std::string> misses;
  for (const auto& d : all) {
    const json::object& o = d.as_object();
    const std::string id(o.at("id").as_string());
    const std::string lang(o.at("language").as_string());
    const json::object& expect = o.at("expect").as_object();
    const std::string outcome(expect.at("outcome").as_string());
    auto r = bot.start(lang);
    const std::string session = r.session;
    ++sessions;
    std::vector<std::string> typed;
    for (const auto& t : o.at("turns").as_array()) {
      if (r.status != fl::BotSessionStatus::open) break;
      const json::object& turn = t.as_object();
      fl::BotInput input;
      if (const auto* b = turn.if_contains("button")) input.button = std::string(b->as_string());
      if (const auto* x = turn.if_contains("text")) {
        input.text = std::string(x->as_string());
        typed.push_back(*input.text);
      }
      r = bot.answer(session, input);
    }
    const bool solved = r.status == fl::BotSessionStatus::deflected;
    const bool handed = r.status == fl::BotSessionStatus::handed_off;
    if (solved) ++deflected;
    bool ok_end = (outcome == "solved" && solved) || (outcome == "handoff" && handed);
    // The flow reached: the session's state names it.
    auto transcript = ok(bot.bot.transcript(desk.customer, session), "transcript");
    const std::string expected_flow(expect.at("flow").as_string());
    const bool flow_ok = transcript.session.state.find("\"" + expected_flow + "\"") != std::string::npos;
    if (ok_end && flow_ok) ++reached;
    else misses.push_back(id + " (" + (flow_ok ? "" : "other flow, ") + "ended " +
                          std::string(fl::name_of(r.status)) + ")");
    if (handed && r.ticket) {
      ++handoffs;
      auto entries = ok(desk.store->entries(r.ticket->id), "entries");
      std::string description = entries.empty() ? "" : lower(entries.front().body);
      bool has_all = true;
      for (const auto& t : typed) has_all = has_all && description.find(lower(t)) != std::string::npos;
      if (const auto* slots = expect.if_contains("slots"))
        for (const auto& [k, v] : slots->as_object())
          has_all = has_all && description.find(lower(std::string(v.as_string()))) != std::string::npos;
      if (has_all) ++complete;
      else misses.push_back(id + " (hand-off ticket lacks part of the transcript or slots)");
    }
  }
  std::printf("\n## Dialogues (%zu, our own, on the shipped flows)\n\n", all.size());
  std::printf("reached the right flow and end: %d/%zu\n", reached, all.size());
  std::printf("hand-off completeness (transcript and filled slots in the ticket): %d/%d\n",
              complete, handoffs);
  for (const auto& m : misses) std::printf("  miss: %s\n", m.c_str());
}

int run(int argc, char** argv) {
  fs::path data = find_data_dir(argc, argv);
  std::vector<EvalSet> sets = {load_stackfaq(data), load_debian_faq(data)};
  std::random_device rd;
  Scratch scratch{fs::temp_directory_path() / ("bot_eval-" + std::to_string(rd()))};
  int sessions = 0, deflected = 0;
  first_messages(sets, scratch.path, sessions, deflected);
  dialogues(fs::path(FL_BOT_EVAL_DIR) / "dialogues.json", scratch.path, sessions, deflected);
  std::printf("\ndeflection rate (sessions ended deflected / all): %d/%d = %.3f\n", deflected,
              sessions, sessions ? double(deflected) / sessions : 0.0);
  std::printf("reply latency over %zu replies: p50 %.2f ms, p99 %.2f ms, max %.2f ms (target p99 <= 50 ms)\n",
              g_latencies_ms.size(), percentile(g_latencies_ms, 0.5),
              percentile(g_latencies_ms, 0.99), percentile(g_latencies_ms, 1.0));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "bot_eval: " << e.what() << "\n";
    return 1;
  }
}
