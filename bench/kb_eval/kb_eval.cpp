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

#include <boost/json.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "app/clock.hpp"
#include "app/directory_service.hpp"
#include "app/kb_transfer.hpp"
#include "app/knowledge_base.hpp"
#include "app/search_service.hpp"
#include "auth/sodium_secrets.hpp"
#include "search/knowledge_index.hpp"
#include "search/ticket_index.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

template <class T>
T ok(fl::Result<T> r, std::string_view what) {
  if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().message);
  return std::move(*r);
}

// One article as the import file states it; `id` is the store's, known after the import.
struct EvalArticle {
  std::string title;
  std::string body;
  std::string language;
  std::optional<std::size_t> translation_of;  // index of the original in the set
  fl::ArticleId id = 0;
};

// The two fixed halves of every query file: half A is the one ranking changes were decided
// on, half B the one they are checked on (see README.md).
enum class Half { a, b };

struct EvalQuery {
  std::string text;
  std::size_t article = 0;  // index into EvalSet::articles
  Half half = Half::a;
};

// One evaluated set: its articles (one store and index), imported in `batches` (a
// translation names its original's id, so originals go first), and its queries by language.
struct EvalSet {
  std::string name;
  std::vector<EvalArticle> articles;
  std::vector<std::vector<std::size_t>> batches;
  std::map<std::string, std::vector<EvalQuery>> queries;  // language -> queries
};

// FNV-1a: a split that is the same on every machine and every run.
Half half_of(std::string_view key) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : key) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return (h >> 7) & 1 ? Half::b : Half::a;
}

std::vector<json::object> read_jsonl(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::vector<json::object> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    rows.push_back(json::parse(line).as_object());
  }
  return rows;
}

std::string str(const json::object& o, std::string_view key) {
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
  EvalSet set{"StackFAQ", {}, {{}}, {}};
  std::map<std::string, std::size_t> by_faq;
  for (const auto& row : read_jsonl(dir / "stackfaq-kb.jsonl")) {
    EvalArticle a;
    a.title = str(row, "question");
    for (const auto& answer : row.at("answers").as_array()) {
      if (!a.body.empty()) a.body += "\n\n";
      a.body += std::string(answer.as_string());
    }
    a.language = "en";
    by_faq[str(row, "faq_id")] = set.articles.size();
    set.batches[0].push_back(set.articles.size());
    set.articles.push_back(std::move(a));
  }
  // Paraphrases of one entry share its article, so splitting by the query text hides nothing.
  for (const auto& row : read_jsonl(dir / "stackfaq-queries.jsonl")) {
    auto it = by_faq.find(str(row, "faq_id"));
    std::string text = str(row, "query");
    if (it != by_faq.end()) set.queries["en"].push_back({text, it->second, half_of(text)});
  }
  return set;
}

// One article per language per entry: the answer alone (the question is the query), titled
// with its first ten words; the German one is imported as the translation of the English.
EvalSet load_debian_faq(const fs::path& dir) {
  EvalSet set{"Debian FAQ", {}, {{}, {}}, {}};
  std::map<std::pair<std::string, std::string>, std::size_t> by_id;  // (id, language)
  for (const auto& row : read_jsonl(dir / "debian-faq-kb.jsonl")) {
    std::optional<std::size_t> original;
    for (std::string language : {"en", "de"}) {
      std::string text = str(row, "answer_" + language);
      if (text.empty()) continue;
      EvalArticle a;
      a.title = first_words(text, 10);
      a.body = std::move(text);
      a.language = language;
      if (language == "de") a.translation_of = original;
      std::size_t index = set.articles.size();
      if (language == "en") original = index;
      by_id[{str(row, "id"), language}] = index;
      set.batches[language == "en" ? 0 : 1].push_back(index);
      set.articles.push_back(std::move(a));
    }
  }
  // The German and English question of an entry are translations of each other: split by
  // the entry, so a half never shows one of them while the other is held out.
  for (const auto& row : read_jsonl(dir / "debian-faq-queries.jsonl")) {
    Half half = half_of(str(row, "id"));
    for (std::string language : {"de", "en"}) {
      auto it = by_id.find({str(row, "id"), language});
      std::string question = str(row, "question_" + language);
      if (it != by_id.end() && !question.empty())
        set.queries[language].push_back({question, it->second, half});
    }
  }
  return set;
}

// The articles of one batch as a Firstline import file (see app/kb_transfer.hpp).
fs::path write_import_file(const EvalSet& set, const std::vector<std::size_t>& batch,
                           const fs::path& file) {
  std::ofstream out(file, std::ios::binary);
  for (std::size_t i : batch) {
    const EvalArticle& a = set.articles[i];
    json::object line{{"title", a.title},       {"body", a.body},         {"language", a.language},
                      {"kind", "faq"},          {"audience", "public"},   {"status", "published"}};
    if (a.translation_of) line["translation_of"] = set.articles[*a.translation_of].id;
    out << json::serialize(line) << '\n';
  }
  if (!out) throw std::runtime_error("cannot write " + file.string());
  return file;
}

// A fresh desk for one set: its store, its indexes and the two users that matter here.
struct EvalDesk {
  explicit EvalDesk(const fs::path& dir) {
    fs::create_directories(dir);
    fl::SqliteOptions options;
    options.synchronous_full = false;  // a scratch store: durability buys nothing here
    store = ok(fl::SqliteStore::open(dir / "firstline.db", options), "opening the store");
    directory = std::make_unique<fl::DirectoryService>(*store, hasher, clock);
    knowledge = std::make_unique<fl::KnowledgeBase>(*store, clock);
    articles = ok(fl::KnowledgeIndex::open(dir / "search" / "articles"), "opening the index");
    tickets = ok(fl::TicketIndex::open(dir / "search" / "tickets"), "opening the index");
    search = std::make_unique<fl::SearchService>(*store, *articles, *tickets);
    auto admin_user = ok(directory->create_user(nullptr, {"kbadmin", "KB admin",
                                                          "kbadmin@example.invalid",
                                                          fl::Role::admin, std::nullopt, {}, "en", ""}),
                         "creating the admin");
    admin = ok(directory->actor_for(admin_user), "resolving the admin");
    auto org = ok(directory->create_organization(nullptr, {"Customers", "example.invalid", false}),
                  "creating the organisation");
    auto customer_user =
        ok(directory->create_user(nullptr, {"customer", "Customer", "customer@example.invalid",
                                            fl::Role::customer, org.id, {}, "en", ""}),
           "creating the customer");
    customer = ok(directory->actor_for(customer_user), "resolving the customer");
  }

  fl::SystemClock clock;
  fl::SodiumPasswordHasher hasher{fl::PasswordCost::min};  // never asked: no passwords here
  std::unique_ptr<fl::SqliteStore> store;
  std::unique_ptr<fl::DirectoryService> directory;
  std::unique_ptr<fl::KnowledgeBase> knowledge;
  std::unique_ptr<fl::KnowledgeIndex> articles;
  std::unique_ptr<fl::TicketIndex> tickets;
  std::unique_ptr<fl::SearchService> search;
  fl::Actor admin;
  fl::Actor customer;
};

// Imports every batch as the admin and learns the store's id of each article: a fresh store
// gives ids in the order of creation, checked against title and language.
void import_set(EvalSet& set, EvalDesk& desk, const fs::path& dir) {
  fl::ArticleId seen = 0;
  for (std::size_t b = 0; b < set.batches.size(); ++b) {
    const auto& batch = set.batches[b];
    fs::path file = write_import_file(set, batch, dir / ("import-" + std::to_string(b) + ".jsonl"));
    auto files = ok(fl::read_article_files(file), "reading the import file");
    auto report = ok(fl::import_articles(*desk.knowledge, desk.admin, files), "importing");
    for (const auto& f : report.failed) std::cerr << "kb_eval: import: " << f << "\n";
    if (!report.failed.empty() || report.created != static_cast<int>(batch.size()))
      throw std::runtime_error("import of " + set.name + " incomplete");
    fl::ArticleFilter filter;
    filter.after = seen;
    filter.limit = static_cast<int>(batch.size());
    auto created = ok(desk.knowledge->list(desk.admin, filter), "listing the articles");
    if (created.size() != batch.size()) throw std::runtime_error("import ids: count differs");
    for (std::size_t i = 0; i < batch.size(); ++i) {
      EvalArticle& a = set.articles[batch[i]];
      if (created[i].title != a.title || created[i].language != a.language ||
          created[i].status != fl::ArticleStatus::published)
        throw std::runtime_error("import ids: article " + std::to_string(created[i].id) +
                                 " is not the expected one");
      a.id = created[i].id;
    }
    seen = created.back().id;
  }
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

void print_row(const std::string& set, const std::string& language, const char* half,
               const std::string& method, const Scores& s) {
  std::printf("| %-10s | %-2s | %-3s | %5zu | %-10s | %5.3f | %5.3f | %5.3f | %5.3f |\n",
              set.c_str(), language.c_str(), half, s.queries, method.c_str(), s.mean(s.r1),
              s.mean(s.r5), s.mean(s.r10), s.mean(s.mrr));
}

// Removes the scratch folder however the run ends.
struct Scratch {
  fs::path path;
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

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
