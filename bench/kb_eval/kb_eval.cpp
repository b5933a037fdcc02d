// kb_eval: retrieval quality of the knowledge-base search on real FAQ data (issue 3,
// "Quality, measured on real data"). Loads the StackFAQ and Debian FAQ sets from
// ../shared/data as articles, runs their query files through KnowledgeIndex::search, and
// prints Recall@1/5/10 and MRR per set and language beside a plain BM25 baseline (no
// stemming, folding, stop words or synonyms; title and text as one field) computed here with
// Xapian directly. Nothing here is tuned to these queries; see README.md.
#include <xapian.h>

#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "search/knowledge_index.hpp"

namespace {

namespace fs = std::filesystem;

struct EvalArticle {
  fl::ArticleId id = 0;
  std::string title;
  std::string text;
  std::string language;
};

struct EvalQuery {
  std::string text;
  fl::ArticleId expected = 0;
};

// One evaluated set: its articles (one index) and its query groups by language.
struct EvalSet {
  std::string name;
  std::vector<EvalArticle> articles;
  std::map<std::string, std::vector<EvalQuery>> queries;  // language -> queries
};

std::vector<boost::json::object> read_jsonl(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::vector<boost::json::object> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    rows.push_back(boost::json::parse(line).as_object());
  }
  return rows;
}

std::string str(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// The Debian FAQ answers carry no title: an importer shows the first words, as the issue says.
std::string first_words(const std::string& text, int n) {
  std::istringstream in(text);
  std::string word;
  std::string out;
  for (int i = 0; i < n && in >> word; ++i) {
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

EvalSet load_stackfaq(const fs::path& dir) {
  EvalSet set{"StackFAQ", {}, {}};
  std::map<std::string, fl::ArticleId> by_faq;
  for (const auto& row : read_jsonl(dir / "stackfaq-kb.jsonl")) {
    EvalArticle a;
    a.id = static_cast<fl::ArticleId>(set.articles.size() + 1);
    a.title = str(row, "question");
    for (const auto& answer : row.at("answers").as_array()) {
      if (!a.text.empty()) a.text += "\n\n";
      a.text += std::string(answer.as_string());
    }
    a.language = "en";
    by_faq[str(row, "faq_id")] = a.id;
    set.articles.push_back(std::move(a));
  }
  for (const auto& row : read_jsonl(dir / "stackfaq-queries.jsonl")) {
    auto it = by_faq.find(str(row, "faq_id"));
    if (it != by_faq.end()) set.queries["en"].push_back({str(row, "query"), it->second});
  }
  return set;
}

EvalSet load_debian_faq(const fs::path& dir) {
  EvalSet set{"Debian FAQ", {}, {}};
  std::map<std::pair<std::string, std::string>, fl::ArticleId> by_id;  // (id, language)
  for (const auto& row : read_jsonl(dir / "debian-faq-kb.jsonl")) {
    for (std::string language : {"en", "de"}) {
      std::string text = str(row, "answer_" + language);
      if (text.empty()) continue;
      EvalArticle a;
      a.id = static_cast<fl::ArticleId>(set.articles.size() + 1);
      a.title = first_words(text, 10);
      a.text = std::move(text);
      a.language = language;
      by_id[{str(row, "id"), language}] = a.id;
      set.articles.push_back(std::move(a));
    }
  }
  for (const auto& row : read_jsonl(dir / "debian-faq-queries.jsonl")) {
    for (std::string language : {"de", "en"}) {
      auto it = by_id.find({str(row, "id"), language});
      std::string question = str(row, "question_" + language);
      if (it != by_id.end() && !question.empty())
        set.queries[language].push_back({question, it->second});
    }
  }
  return set;
}

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
// query is the OR of its words (no query syntax), Xapian's default BM25 parameters.
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
      generator.index_text(a.text);
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

fs::path find_data_dir(int argc, char** argv) {
  if (argc > 1) return argv[1];
  std::vector<fs::path> candidates = {"../shared/data", "../../shared/data",
                                      "../../../shared/data"};
#ifdef FL_SOURCE_DIR
  candidates.insert(candidates.begin(), fs::path(FL_SOURCE_DIR) / ".." / "shared" / "data");
#endif
  for (const auto& c : candidates)
    if (fs::exists(c / "stackfaq-kb.jsonl")) return c;
  throw std::runtime_error("no ../shared/data found; pass the data folder as the argument");
}

void print_row(const std::string& set, const std::string& language, const std::string& method,
               const Scores& s) {
  std::printf("| %-10s | %-2s | %5zu | %-10s | %5.3f | %5.3f | %5.3f | %5.3f |\n", set.c_str(),
              language.c_str(), s.queries, method.c_str(), s.mean(s.r1), s.mean(s.r5),
              s.mean(s.r10), s.mean(s.mrr));
}

int run(int argc, char** argv) {
  fs::path data = find_data_dir(argc, argv);
  std::vector<EvalSet> sets = {load_stackfaq(data), load_debian_faq(data)};

  std::random_device rd;
  fs::path scratch = fs::temp_directory_path() / ("kb_eval-" + std::to_string(rd()));
  std::printf("data: %s\n\n", fs::canonical(data).c_str());
  std::printf("| set        | lang | queries | method | R@1 | R@5 | R@10 | MRR |\n");
  std::printf("|---|---|---:|---|---:|---:|---:|---:|\n");
  for (const auto& set : sets) {
    auto index = fl::KnowledgeIndex::open(scratch / set.name);
    if (!index) throw std::runtime_error(index.error().message);
    for (const auto& a : set.articles) {
      fl::ArticleDocument doc;
      doc.id = a.id;
      doc.title = a.title;
      doc.text = a.text;
      doc.language = a.language;
      doc.kind = fl::ArticleKind::faq;
      doc.audience = fl::Audience::public_;
      doc.status = fl::ArticleStatus::published;
      if (auto r = (*index)->upsert(doc); !r) throw std::runtime_error(r.error().message);
    }
    if (auto r = (*index)->commit(); !r) throw std::runtime_error(r.error().message);
    PlainBm25 baseline(set.articles);

    for (const auto& [language, queries] : set.queries) {
      Scores ours;
      Scores plain;
      for (const auto& q : queries) {
        fl::ArticleQuery query;
        query.text = q.text;
        query.language = language;
        query.limit = 10;
        auto results = (*index)->search(query);
        if (!results) throw std::runtime_error(results.error().message);
        std::vector<fl::ArticleId> ranked;
        for (const auto& hit : results->hits) ranked.push_back(hit.id);
        ours.add(rank_of(ranked, q.expected));
        plain.add(rank_of(baseline.search(q.text, language), q.expected));
      }
      print_row(set.name, language, "plain BM25", plain);
      print_row(set.name, language, "fl_search", ours);
    }
  }
  fs::remove_all(scratch);
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
