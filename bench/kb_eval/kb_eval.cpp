// kb_eval: retrieval quality of the knowledge-base search on real FAQ data (issue 3,
// "Quality, measured on real data"). The StackFAQ and Debian FAQ sets from ../shared/data go
// the way a team's own articles go: written as Firstline import files (JSON lines), read and
// imported with fl::import_articles into a fresh SQLite store as published public FAQs,
// indexed from the store by SearchService::reindex (as `firstline search reindex` does),
// and searched through SearchService as a customer would. Prints Recall@1/5/10 and MRR per
// set and language, for all queries and for two fixed halves of them, beside a plain BM25
// baseline (no stemming, folding, stop words or synonyms; title and text as one field)
// computed here with Xapian directly. Nothing here is tuned to these queries; see README.md.
#include <xapian.h>

#include <cstdio>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "support/faq_sets.hpp"

namespace {

using namespace fl::bench;

struct Scores {
  std::size_t queries = 0;
  double r1 = 0, r5 = 0, r10 = 0, mrr = 0;

  // rank: 1-based position of the expected article in the top 10, 0 when absent.
  void add(std::size_t rank) {
    ++queries;
    if (rank == 0) return;
    r1 += rank <= 1;
    r5 += rank <= 5;
    r10 += rank <= 10;
    mrr += 1.0 / static_cast<double>(rank);
  }
  [[nodiscard]] double mean(double v) const {
    return queries ? v / static_cast<double>(queries) : 0;
  }
};

std::size_t rank_of(const std::vector<fl::ArticleId>& ranked, fl::ArticleId expected) {
  for (std::size_t i = 0; i < ranked.size(); ++i)
    if (ranked[i] == expected) return i + 1;
  return 0;
}

// Plain BM25: lower-cased words as Xapian's TermGenerator splits them, nothing else; the
// query is the OR of its words (no query syntax), Xapian's default BM25 parameters. Indexes
// the import files' raw title and body.
class PlainBm25 {
 public:
  explicit PlainBm25(const std::vector<EvalArticle>& articles)
      : db_(std::string(), Xapian::DB_BACKEND_INMEMORY) {
    Xapian::TermGenerator generator;
    generator.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
    for (const auto& a : articles) {
      Xapian::Document doc;
      generator.set_document(doc);
      generator.index_text(a.title);
      generator.index_text(a.body);
      doc.add_boolean_term("L" + a.language);
      doc.add_value(0, std::to_string(a.id));
      db_.add_document(doc);
    }
  }

  std::vector<fl::ArticleId> search(const std::string& text, const std::string& language) {
    Xapian::TermGenerator generator;
    generator.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
    Xapian::Document words;
    generator.set_document(words);
    generator.index_text(text);
    std::vector<Xapian::Query> terms;
    for (auto t = words.termlist_begin(); t != words.termlist_end(); ++t)
      for (Xapian::termcount i = 0; i < t.get_wdf(); ++i) terms.emplace_back(*t);
    Xapian::Query query(Xapian::Query::OP_FILTER,
                        Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()),
                        Xapian::Query("L" + language));
    Xapian::Enquire enquire(db_);
    enquire.set_query(query);
    std::vector<fl::ArticleId> ranked;
    for (auto it = enquire.get_mset(0, 10).begin(); it != Xapian::MSetIterator(); ++it)
      ranked.push_back(std::stoll(it.get_document().get_value(0)));
    return ranked;
  }

 private:
  Xapian::WritableDatabase db_;
};

void print_row(const std::string& set, const std::string& language, const char* half,
               const std::string& method, const Scores& s) {
  std::printf("| %-10s | %-2s | %-3s | %5zu | %-10s | %5.3f | %5.3f | %5.3f | %5.3f |\n",
              set.c_str(), language.c_str(), half, s.queries, method.c_str(), s.mean(s.r1),
              s.mean(s.r5), s.mean(s.r10), s.mean(s.mrr));
}

int run(int argc, char** argv) {
  fs::path data = find_data_dir(argc, argv);
  std::vector<EvalSet> sets = {load_stackfaq(data), load_debian_faq(data)};

  std::random_device rd;
  Scratch scratch{fs::temp_directory_path() / ("kb_eval-" + std::to_string(rd()))};
  std::printf("data: %s\n\n", fs::canonical(data).c_str());
  std::printf("| set | lang | half | queries | method | R@1 | R@5 | R@10 | MRR |\n");
  std::printf("|---|---|---|---:|---|---:|---:|---:|---:|\n");
  for (std::size_t s = 0; s < sets.size(); ++s) {
    EvalSet& set = sets[s];
    fs::path dir = scratch.path / ("set-" + std::to_string(s));
    EvalDesk desk(dir);
    import_set(set, desk, dir);
    auto indexed = ok(desk.search->reindex(), "reindexing");
    if (indexed.articles != static_cast<std::int64_t>(set.articles.size()))
      throw std::runtime_error("reindex saw " + std::to_string(indexed.articles) + " articles");
    PlainBm25 baseline(set.articles);

    for (const auto& [language, queries] : set.queries) {
      // [method][half]: half 0 = all, 1 = A, 2 = B.
      Scores scores[2][3];
      for (const auto& q : queries) {
        fl::ArticleQuery query;
        query.text = q.text;
        query.language = language;
        query.limit = 10;
        auto results = ok(desk.search->search_articles(desk.customer, query), "searching");
        std::vector<fl::ArticleId> ranked;
        for (const auto& hit : results.hits) ranked.push_back(hit.id);
        fl::ArticleId expected = set.articles[q.article].id;
        std::size_t ours = rank_of(ranked, expected);
        std::size_t plain = rank_of(baseline.search(q.text, language), expected);
        int half = q.half == Half::a ? 1 : 2;
        for (int h : {0, half}) {
          scores[0][h].add(plain);
          scores[1][h].add(ours);
        }
      }
      const char* halves[] = {"all", "A", "B"};
      for (int h = 0; h < 3; ++h) {
        print_row(set.name, language, halves[h], "plain BM25", scores[0][h]);
        print_row(set.name, language, halves[h], "fl_search", scores[1][h]);
      }
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "kb_eval: " << e.what() << "\n";
    return 1;
  }
}
