// Xapian plumbing shared by the article and ticket indexes: the folding stemmers, the query
// tokeniser, HTML snippets, stored-record packing, error mapping and the pool of readers.
// Internal to fl_search: only .cpp files of this module include it (it includes xapian.h).
#pragma once

#include <xapian.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "search/analysis.hpp"

namespace fl::search {

// Term prefixes. "Z" marks a stemmed term (Xapian's convention, so MSet::snippet finds them);
// the others are boolean filter terms that never come from text.
inline constexpr std::string_view kIdPrefix = "Q";
inline constexpr std::string_view kLanguagePrefix = "L";

// A Snowball stemmer that folds accents first (see fold()) and, for German, also applies
// strip_german_verb_ending(). Used for indexing, querying and snippets alike. A Xapian::Stem
// is not thread-safe: every reader and the writer own their own.
[[nodiscard]] Xapian::Stem make_stemmer(Language language);

// The words of `text` as Xapian's TermGenerator sees them (same word boundaries, lower
// case, not folded), in order.
[[nodiscard]] std::vector<std::string> split_words(std::string_view text);

// "Z" + stem: the term a word is indexed under.
[[nodiscard]] std::string stemmed_term(Xapian::Stem& stemmer, std::string_view word,
                                       std::string_view field_prefix = {});

// An excerpt of `text` around the matches of the MSet's query, HTML-escaped, with
// <mark>…</mark> around the matched words.
[[nodiscard]] std::string html_snippet(const Xapian::MSet& mset, const std::string& text,
                                       const Xapian::Stem& stemmer, std::size_t length);

// Length-prefixed strings, for the document data (what a hit shows without the store).
void pack(std::string& out, std::string_view field);
[[nodiscard]] std::vector<std::string> unpack(std::string_view data);

// A Xapian exception as an Error: a locked or missing database is `unavailable`, the rest
// `internal`.
[[nodiscard]] Error from_xapian(const Xapian::Error& e, std::string_view what);

// Metadata keys and the tools for the last applied event, stored in the same commit as the
// changes it covers.
inline constexpr std::string_view kLastEventKey = "fl.last_applied_event";
inline constexpr std::string_view kFormatKey = "fl.format";
[[nodiscard]] std::int64_t parse_event(const std::string& value);

// Opens (or creates) the writable database and checks that it was built by this format of
// the analysis: an index from another format must be rebuilt (`failed_precondition`).
[[nodiscard]] Result<Xapian::WritableDatabase> open_writable(const std::filesystem::path& dir,
                                                             std::string_view format);

// The writer of one index: serialises writes, keeps uncommitted changes in a Xapian
// transaction (so nothing is visible, and nothing survives a crash, before commit()) and
// counts commits so readers know when to reopen.
class IndexWriter {
 public:
  explicit IndexWriter(Xapian::WritableDatabase db) : db_(std::move(db)) {}
  ~IndexWriter();

  // Runs `change` under the write lock inside the open transaction.
  Result<void> change(std::string_view what,
                      const std::function<void(Xapian::WritableDatabase&)>& change);
  Result<void> commit();
  [[nodiscard]] std::uint64_t generation() const { return generation_.load(); }

 private:
  std::mutex mutex_;
  Xapian::WritableDatabase db_;
  bool in_transaction_ = false;
  std::atomic<std::uint64_t> generation_{0};
};

// Readers that see the last commit. A reader is reopened only when the writer's generation
// moved, so a query pays no reopen cost while nothing changes. `State` holds what a reader
// derives from its database (stemmers, parsed synonyms); it is rebuilt after every reopen.
template <class State>
class ReaderPool {
 public:
  struct Reader {
    Xapian::Database db;
    std::uint64_t generation = 0;
    State state;
  };

  ReaderPool(std::filesystem::path dir, const IndexWriter& writer, std::size_t max_readers)
      : dir_(std::move(dir)), writer_(writer), max_readers_(max_readers) {}

  // Calls fn(reader) with an up-to-date reader. Thread-safe; waits when `max_readers` are
  // busy. A DatabaseModifiedError (the revision was overwritten mid-query) reopens and retries.
  template <class Fn>
  auto with_reader(Fn&& fn) -> decltype(fn(std::declval<Reader&>())) {
    std::unique_ptr<Reader> reader = borrow();
    struct Return {
      ReaderPool* pool;
      std::unique_ptr<Reader>& reader;
      ~Return() {
        if (reader) pool->give_back(std::move(reader));
      }
    } guard{this, reader};
    for (int attempt = 0;; ++attempt) {
      try {
        refresh(*reader, attempt > 0);
        return fn(*reader);
      } catch (const Xapian::DatabaseModifiedError&) {
        if (attempt >= 3) throw;
      }
    }
  }

 private:
  std::unique_ptr<Reader> borrow() {
    std::unique_lock lock(mutex_);
    for (;;) {
      if (!idle_.empty()) {
        auto r = std::move(idle_.back());
        idle_.pop_back();
        return r;
      }
      if (opened_ < max_readers_) {
        ++opened_;
        lock.unlock();
        try {
          auto r = std::make_unique<Reader>();
          r->generation = writer_.generation();
          r->db = Xapian::Database(dir_.string());
          r->state.rebuild(r->db);
          return r;
        } catch (...) {
          lock.lock();
          --opened_;
          returned_.notify_one();
          throw;
        }
      }
      returned_.wait(lock);
    }
  }

  void give_back(std::unique_ptr<Reader> reader) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(reader));
    returned_.notify_one();
  }

  void refresh(Reader& reader, bool force) {
    std::uint64_t now = writer_.generation();
    if (!force && reader.generation == now) return;
    reader.db.reopen();
    reader.generation = now;
    reader.state.rebuild(reader.db);
  }

  std::filesystem::path dir_;
  const IndexWriter& writer_;
  std::size_t max_readers_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Reader>> idle_;
  std::size_t opened_ = 0;
};

}  // namespace fl::search
