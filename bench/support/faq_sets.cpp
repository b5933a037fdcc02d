#include "support/faq_sets.hpp"

#include <boost/json.hpp>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/kb_transfer.hpp"

namespace fl::bench {

namespace json = boost::json;

namespace {

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

}  // namespace

Half half_of(std::string_view key) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : key) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return (h >> 7) & 1 ? Half::b : Half::a;
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

EvalDesk::EvalDesk(const fs::path& dir) {
  fs::create_directories(dir);
  SqliteOptions options;
  options.synchronous_full = false;  // a scratch store: durability buys nothing here
  store = ok(SqliteStore::open(dir / "firstline.db", options), "opening the store");
  directory = std::make_unique<DirectoryService>(*store, hasher, clock);
  knowledge = std::make_unique<KnowledgeBase>(*store, clock);
  articles = ok(KnowledgeIndex::open(dir / "search" / "articles"), "opening the index");
  tickets = ok(TicketIndex::open(dir / "search" / "tickets"), "opening the index");
  search = std::make_unique<SearchService>(*store, *articles, *tickets);
  auto admin_user = ok(directory->create_user(nullptr, {"kbadmin", "KB admin",
                                                        "kbadmin@example.invalid",
                                                        Role::admin, std::nullopt, {}, "en", ""}),
                       "creating the admin");
  admin = ok(directory->actor_for(admin_user), "resolving the admin");
  auto org = ok(directory->create_organization(nullptr, {"Customers", "example.invalid", false}),
                "creating the organisation");
  auto customer_user =
      ok(directory->create_user(nullptr, {"customer", "Customer", "customer@example.invalid",
                                          Role::customer, org.id, {}, "en", ""}),
         "creating the customer");
  customer = ok(directory->actor_for(customer_user), "resolving the customer");
}
void import_set(EvalSet& set, EvalDesk& desk, const fs::path& dir) {
  ArticleId seen = 0;
  for (std::size_t b = 0; b < set.batches.size(); ++b) {
    const auto& batch = set.batches[b];
    fs::path file = write_import_file(set, batch, dir / ("import-" + std::to_string(b) + ".jsonl"));
    auto files = ok(read_article_files(file), "reading the import file");
    auto report = ok(import_articles(*desk.knowledge, desk.admin, files), "importing");
    for (const auto& f : report.failed) std::cerr << "kb_eval: import: " << f << "\n";
    if (!report.failed.empty() || report.created != static_cast<int>(batch.size()))
      throw std::runtime_error("import of " + set.name + " incomplete");
    ArticleFilter filter;
    filter.after = seen;
    filter.limit = static_cast<int>(batch.size());
    auto created = ok(desk.knowledge->list(desk.admin, filter), "listing the articles");
    if (created.size() != batch.size()) throw std::runtime_error("import ids: count differs");
    for (std::size_t i = 0; i < batch.size(); ++i) {
      EvalArticle& a = set.articles[batch[i]];
      if (created[i].title != a.title || created[i].language != a.language ||
          created[i].status != ArticleStatus::published)
        throw std::runtime_error("import ids: article " + std::to_string(created[i].id) +
                                 " is not the expected one");
      a.id = created[i].id;
    }
    seen = created.back().id;
  }
}

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

}  // namespace fl::bench
