// The knowledge-base search index (line 0): articles analysed per language, searched with
// ranking, snippets, facets and "did you mean", and titles suggested as the user types.
// Derived from the store: the app feeds it articles and commits with the id of the last
// event applied, so after a crash it catches up from the store's event feed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/article.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "search/index_options.hpp"

namespace fl {

// What the index keeps of an article: the searchable text and the fields it filters on.
struct ArticleDocument {
  ArticleId id = 0;
  std::string title;
  std::string text;  // plain text of the body (Markdown already rendered and stripped)
  std::vector<std::string> keywords;
  std::string language = "en";  // "de" | "en": chooses the stemmer
  std::optional<CategoryId> category;
  std::vector<CategoryId> category_path;  // root..leaf: filter and facet by any ancestor
  ArticleKind kind = ArticleKind::faq;
  Audience audience = Audience::public_;
  ArticleStatus status = ArticleStatus::draft;
};

struct ArticleQuery {
  std::string text;
  // "de" | "en": only articles of that language, analysed with its stemmer. None: each
  // article is matched by the analysis of its own language.
  std::optional<std::string> language;
  std::optional<CategoryId> category;  // the category or any of its descendants
  std::optional<ArticleKind> kind;
  bool include_internal = false;     // false: public articles only (customers)
  bool include_unpublished = false;  // false: published articles only
  int limit = 10;                    // 1..100
  int offset = 0;                    // 0..10000
};

struct ArticleHit {
  ArticleId id = 0;
  double score = 0;
  std::string title;    // plain text: escape it when rendering
  std::string snippet;  // HTML: escaped text with <mark>…</mark> around the matches
};

struct ArticleResults {
  std::vector<ArticleHit> hits;
  std::int64_t estimated_total = 0;
  // A corrected query, offered only when a word of the query is in no article, a spelling
  // correction exists, and the query found fewer articles than `limit`.
  std::optional<std::string> did_you_mean;
  // Counts over the matching articles (estimated like estimated_total beyond the best
  // 300), most frequent first. An article counts for every category on its path.
  std::vector<std::pair<CategoryId, std::int64_t>> category_facets;
  std::vector<std::pair<ArticleKind, std::int64_t>> kind_facets;
};

struct SearchCacheStats {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
};

struct Suggestion {
  ArticleId id = 0;
  std::string title;
};

// Thread-safe. Writes (upsert, remove, set_synonyms, set_last_applied_event) are serialised
// and staged: nothing is visible to searches, and nothing survives a crash or the
// destruction of the index, until commit(); a commit makes all staged writes visible at once,
// so store the event cursor with set_last_applied_event() after the changes it covers and
// before commit(). A batch is all or nothing: after a failed write the next commit() drops
// the batch and fails, and the caller resumes from last_applied_event().
//
// An index written by another version of the analysis is emptied on open (its
// last_applied_event() is 0 again), so the caller's catch-up rebuilds it.
//
// Errors: `unavailable` when the folder cannot be opened or another process holds the index;
// `failed_precondition` from commit() after a failed write; `invalid_argument` for bad input;
// `internal` for anything else Xapian reports.
//
// Analysis: words are folded (case, accents, umlauts, ß) and stemmed with Snowball by the
// article's language (German "german2" plus a rule for -t/-et verb endings, English Porter2);
// German compounds are also found by their parts ("Drucker" finds "Netzwerkdrucker"). Stop
// words are dropped from queries. Ranking: BM25 (k1 1.2, b 0.75) over an all-text field
// (title, each keyword twice, body) plus a title field, so a title that says what the user
// asks for ranks first; a title that only repeats the body's opening words is in neither. Synonyms:
// an admin group widens a query word (or phrase) to the others of its group; an article's keywords
// are indexed with it, so it is found by any of them without changing what other articles match.
class KnowledgeIndex {
 public:
  [[nodiscard]] static Result<std::unique_ptr<KnowledgeIndex>> open(
      const std::filesystem::path& dir, SearchIndexOptions options = {});
  ~KnowledgeIndex();
  KnowledgeIndex(const KnowledgeIndex&) = delete;
  KnowledgeIndex& operator=(const KnowledgeIndex&) = delete;

  // Adds or replaces the article with this id.
  [[nodiscard]] Result<void> upsert(const ArticleDocument& article);
  // Removing an absent article is not an error.
  [[nodiscard]] Result<void> remove(ArticleId id);
  // Replaces the admin synonym list: each group holds words or phrases that mean the same,
  // e.g. {"vpn", "fernzugriff", "remote access"}. Applied to queries in both languages.
  [[nodiscard]] Result<void> set_synonyms(const std::vector<std::vector<std::string>>& groups);
  [[nodiscard]] Result<void> set_last_applied_event(EventId id);
  [[nodiscard]] Result<void> commit();

  // The cursor of the last commit (0 for a new index).
  [[nodiscard]] Result<std::int64_t> last_applied_event() const;

  // Results are cached (SearchIndexOptions::result_cache) until a commit changes articles or
  // synonyms; a commit of the event cursor alone keeps them.
  [[nodiscard]] Result<ArticleResults> search(const ArticleQuery& query) const;
  [[nodiscard]] SearchCacheStats cache_stats() const;

  // Published articles whose title words start with the typed words; the last word may be
  // incomplete ("passw" finds "Passwort zurücksetzen"). Shorter titles first. Empty when
  // fewer than two letters were typed.
  [[nodiscard]] Result<std::vector<Suggestion>> suggest(std::string_view prefix,
                                                        std::optional<std::string> language,
                                                        bool include_internal, int limit) const;

 private:
  struct Impl;
  explicit KnowledgeIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fl
