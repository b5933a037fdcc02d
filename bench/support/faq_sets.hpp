// The FAQ sets of ../shared/data (StackFAQ, Debian FAQ) as the evaluations read them, and a
// scratch desk they are imported into the way a team's own articles go (Firstline import
// files, fl::import_articles as an admin: published public FAQs). Shared by bench/kb_eval and
// bench/bot_eval.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "app/clock.hpp"
#include "app/directory_service.hpp"
#include "app/knowledge_base.hpp"
#include "app/search_service.hpp"
#include "auth/sodium_secrets.hpp"
#include "search/knowledge_index.hpp"
#include "search/ticket_index.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace fl::bench {

namespace fs = std::filesystem;

template <class T>
T ok(Result<T> r, std::string_view what) {
  if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().message);
  return std::move(*r);
}

// One article as the import file states it; `id` is the store's, known after the import.
struct EvalArticle {
  std::string title;
  std::string body;
  std::string language;
  std::optional<std::size_t> translation_of;  // index of the original in the set
  ArticleId id = 0;
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
Half half_of(std::string_view key);

EvalSet load_stackfaq(const fs::path& dir);
// One article per language per entry: the answer alone (the question is the query), titled
// with its first ten words; the German one is imported as the translation of the English.
EvalSet load_debian_faq(const fs::path& dir);

// A fresh desk for one set: its store, its indexes and the two users that matter here.
struct EvalDesk {
  explicit EvalDesk(const fs::path& dir);


  SystemClock clock;
  SodiumPasswordHasher hasher{PasswordCost::min};  // never asked: no passwords here
  std::unique_ptr<SqliteStore> store;
  std::unique_ptr<DirectoryService> directory;
  std::unique_ptr<KnowledgeBase> knowledge;
  std::unique_ptr<KnowledgeIndex> articles;
  std::unique_ptr<TicketIndex> tickets;
  std::unique_ptr<SearchService> search;
  Actor admin;
  Actor customer;
};

// Imports every batch as the admin and learns the store's id of each article: a fresh store
// gives ids in the order of creation, checked against title and language.
void import_set(EvalSet& set, EvalDesk& desk, const fs::path& dir);

// The data folder: the first argument, else ../shared/data beside the repository.
fs::path find_data_dir(int argc, char** argv);

// Removes the scratch folder however the run ends.
struct Scratch {
  fs::path path;
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

}  // namespace fl::bench
