// query_cost: what one search costs inside the index, without HTTP, one thread: opens the
// search indexes of a data folder (server stopped) and runs each query of a file once through
// KnowledgeIndex::search (as a customer: public, published) and TicketIndex::search (as a
// supervisor: every ticket, internal text), printing the mean and percentiles in microseconds.
// Used with a folder kept by bench/kb_search (FIRSTLINE_BENCH_KEEP=1) to decide where the
// time of a search goes; the HTTP figures come from bench/kb_search.
//
// Last, it times the commit of one changed article (the follower's work for an edit: the
// index write plus the rebuilt suggestion table), adding and then removing a scratch article.
//
// usage: query_cost DATA_DIR ARTICLE_QUERIES TICKET_QUERIES [--cache N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "search/knowledge_index.hpp"
#include "search/ticket_index.hpp"

namespace {

std::vector<std::string> lines(const char* path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) out.push_back(l);
  return out;
}

template <class Fn>
void measure(const char* name, const std::vector<std::string>& queries, Fn&& run) {
  std::vector<double> us;
  us.reserve(queries.size());
  long long found = 0;
  for (const auto& q : queries) {
    auto t0 = std::chrono::steady_clock::now();
    found += run(q);
    us.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  std::ranges::sort(us);
  double sum = 0;
  for (double u : us) sum += u;
  auto at = [&](double p) {
    return us[std::min(us.size() - 1, static_cast<std::size_t>(p * us.size()))];
  };
  std::printf(
      "%-22s %6zu queries  mean %8.0f us  p50 %8.0f  p95 %8.0f  p99 %8.0f  max %8.0f  (%.1f "
      "hits/query)\n",
      name, us.size(), sum / us.size(), at(0.5), at(0.95), at(0.99), us.back(),
      static_cast<double>(found) / us.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: query_cost DATA_DIR ARTICLE_QUERIES TICKET_QUERIES [--cache N]\n");
    return 2;
  }
  std::filesystem::path dir = std::filesystem::path(argv[1]) / "search";
  fl::SearchIndexOptions options;
  options.result_cache = argc >= 6 && std::string(argv[4]) == "--cache" ? std::stoul(argv[5]) : 0;
  auto articles = fl::KnowledgeIndex::open(dir / "articles", options);
  auto tickets = fl::TicketIndex::open(dir / "tickets", options);
  if (!articles || !tickets) {
    std::fprintf(stderr, "query_cost: cannot open the indexes in %s (is the server running?)\n",
                 dir.c_str());
    return 1;
  }
  auto aq = lines(argv[2]);
  auto tq = lines(argv[3]);
  auto kb = [&](const std::string& q) {
    auto r = (*articles)->search({.text = q, .limit = 10});
    return r ? static_cast<long long>(r->hits.size()) : 0LL;
  };
  auto suggest = [&](const std::string& q) {
    auto r = (*articles)->suggest(q, std::nullopt, false, 8);
    return r ? static_cast<long long>(r->size()) : 0LL;
  };
  auto ts = [&](const std::string& q) {
    auto r = (*tickets)->search(q, fl::TicketScope::all(), true, 20);
    return r ? static_cast<long long>(r->hits.size()) : 0LL;
  };
  measure("kb/search (warm-up)",
          std::vector(aq.begin(), aq.begin() + std::min<std::size_t>(aq.size(), 500)), kb);
  measure("kb/search", aq, kb);
  measure("kb/suggest", aq, suggest);
  measure("tickets/search (warm)",
          std::vector(tq.begin(), tq.begin() + std::min<std::size_t>(tq.size(), 500)), ts);
  measure("tickets/search", tq, ts);

  auto timed_commit = [&](const char* what, auto&& change) {
    auto t0 = std::chrono::steady_clock::now();
    if (!change() || !(*articles)->commit()) {
      std::fprintf(stderr, "query_cost: %s failed\n", what);
      return false;
    }
    std::printf(
        "%-22s %8.0f ms\n", what,
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    return true;
  };
  constexpr fl::ArticleId kScratch = 2'000'000'000;
  fl::ArticleDocument doc{
      .id = kScratch, .title = "query_cost scratch article", .text = "Scratch."};
  doc.status = fl::ArticleStatus::published;
  if (!timed_commit("commit of one article", [&] { return bool((*articles)->upsert(doc)); }))
    return 1;
  if (!timed_commit("commit of its removal", [&] { return bool((*articles)->remove(kScratch)); }))
    return 1;
  return 0;
}
