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
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "search/analysis.hpp"

namespace fl::search {

// Term prefixes: "Z" marks a stemmed word (Xapian's convention, which MSet::snippet relies
// on); upper-case prefixes such as this one, the unique id term, never come from text.
inline constexpr std::string_view kIdPrefix = "Q";

// A term (or any key) from its parts: term("Z", stem), term(kIdPrefix, id).
template <class... Parts>
[[nodiscard]] std::string term(Parts&&... parts) {
  std::string t;
  (t += ... += parts);
  return t;
}

// A Snowball stemmer that folds accents first (see fold()) and, for German, also applies
// strip_german_verb_ending(). Used for indexing, querying and snippets alike. It remembers
// the last 50,000 words it stemmed, so it is not thread-safe: every reader and the writer own
// their own (copies of a Xapian::Stem share one implementation).
[[nodiscard]] Xapian::Stem make_stemmer(Language language);

// The words of `text` as Xapian's TermGenerator sees them (same word boundaries, lower
// case, not folded), in order.
[[nodiscard]] std::vector<std::string> split_words(std::string_view text);

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

// Opens (or creates) the writable database. An index written with another `format` (another
// version of the analysis) is emptied, cursor and all, for the caller to rebuild.
[[nodiscard]] Result<Xapian::WritableDatabase> open_writable(const std::filesystem::path& dir,
                                                             std::string_view format);

// The writer of one index: serialises writes, keeps uncommitted changes in a Xapian
// transaction (so nothing is visible, and nothing survives a crash, before commit()) and
// counts commits so readers know when to reopen. A batch is all or nothing: after a failed
// write, the next commit() drops the batch and fails, and the caller resumes from its
// last applied event.
class IndexWriter {
 public:
  explicit IndexWriter(Xapian::WritableDatabase db) : db_(std::move(db)) {}
  ~IndexWriter();
  IndexWriter(const IndexWriter&) = delete;
  IndexWriter& operator=(const IndexWriter&) = delete;

  // Runs `change` under the write lock inside the open transaction.
  [[nodiscard]] Result<void> change(std::string_view what,
                                    const std::function<void(Xapian::WritableDatabase&)>& change);
  [[nodiscard]] Result<void> commit();
  [[nodiscard]] std::uint64_t generation() const { return generation_.load(); }

  // Queries announce the generation they read. Once the newest commit has made a revision
  // old, the next batch may overwrite its blocks (and its readers would fail with
  // DatabaseModifiedError), so a batch starts only when no query reads a generation older
  // than the newest: at most one query's wait, as new queries read the newest.
  // start_reading() returns the generation it registered: the newest committed.
  [[nodiscard]] std::uint64_t start_reading();
  void stop_reading(std::uint64_t generation);

 private:
  void cancel();                // with mutex_ held
  void wait_for_old_readers();  // with mutex_ held

  std::mutex mutex_;
  Xapian::WritableDatabase db_;
  bool in_transaction_ = false;
  bool discarded_ = false;
  std::atomic<std::uint64_t> generation_{0};

  std::mutex readers_mutex_;
  std::condition_variable readers_done_;
  std::map<std::uint64_t, int> readers_;  // generation -> queries reading it
};

// Readers that see the last commit. A reader is reopened only when the writer's generation
// moved, so a query pays no reopen cost while nothing changes. `State` holds what a reader
// derives from its database (stemmers, parsed synonyms); it is rebuilt after every reopen.
template <class State>
class ReaderPool {
 public:
  struct Reader {
    Xapian::Database db;
    bool opened = false;
    std::uint64_t generation = 0;
    State state;
  };

  ReaderPool(std::filesystem::path dir, IndexWriter& writer, std::size_t max_readers)
      : dir_(std::move(dir)), writer_(writer), max_readers_(max_readers) {}

  // Calls fn(reader) with an up-to-date reader. Thread-safe; waits while `max_readers` are
  // busy.
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
      Reading reading(writer_);
      try {
        refresh(*reader, reading.generation, attempt > 0);
        return fn(*reader);
      } catch (const Xapian::DatabaseModifiedError&) {
        // Not expected while the writer waits for old readers; reading afresh is the cure.
        if (attempt >= 3) throw;
      }
    }
  }

 private:
  // Registers a query with the writer for as long as it reads.
  struct Reading {
    explicit Reading(IndexWriter& writer) : writer(writer), generation(writer.start_reading()) {}
    ~Reading() { writer.stop_reading(generation); }
    Reading(const Reading&) = delete;
    Reading& operator=(const Reading&) = delete;
    IndexWriter& writer;
    std::uint64_t generation;
  };

  // Not first come, first served: a caller that finds a reader free takes it even while
  // others wait. Strict turns measured at half the throughput with 50 callers on two cores
  // (every hand-off a context switch); size the pool to the callers instead.
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
        return std::make_unique<Reader>();  // opened by refresh(), once registered
      }
      returned_.wait(lock);
    }
  }

  void give_back(std::unique_ptr<Reader> reader) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(reader));
    returned_.notify_one();
  }

  void refresh(Reader& reader, std::uint64_t generation, bool force) {
    if (reader.opened && !force && reader.generation == generation) return;
    try {
      if (reader.opened) reader.db.reopen();
    } catch (const Xapian::DatabaseModifiedError&) {
      reader.opened = false;  // the revision it held is gone: a new handle reads the newest
    }
    if (!reader.opened) {
      reader.db = Xapian::Database(dir_.string());
      reader.opened = true;
    }
    reader.generation = generation;
    reader.state.rebuild(reader.db);
  }

  std::filesystem::path dir_;
  IndexWriter& writer_;
  std::size_t max_readers_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Reader>> idle_;
  std::size_t opened_ = 0;
};

// A query matching every document. Never copy Xapian::Query::MatchAll: it is one static
// object whose reference count is not atomic, so copying it from several threads at once
// corrupts it (seen as a crash under 50 concurrent ticket searches).
[[nodiscard]] inline Xapian::Query match_all() {
  return Xapian::Query(std::string());
}

}  // namespace fl::search
