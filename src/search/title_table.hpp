// The titles of the published articles, in memory, for suggestions as the user types.
// Internal to fl_search. A suggestion is asked for on every key press, so it must cost
// microseconds: a sorted word list answers "which titles have a word starting with this"
// with two binary searches, and titles are kept shortest first, so the first matches found
// in that order are the answer. The table is immutable; the index keeps the prepared entries
// of the committed articles and builds a new table from them after each commit that changed
// articles (about 0.3 s at 100,000 titles).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "search/analysis.hpp"
#include "search/knowledge_index.hpp"

namespace fl::search {

// A title ready for the table: folded once, when its article is indexed.
struct TitleEntry {
  ArticleId id = 0;
  std::string title;
  Language language = Language::en;
  bool internal = false;   // audience internal: agents only
  std::string folded;      // folded words, each followed by one space (see prepare())
  std::size_t length = 0;  // code points of the title

  [[nodiscard]] static TitleEntry prepare(ArticleId id, std::string title, Language language,
                                          bool internal);
};

class TitleTable {
 public:
  TitleTable() = default;
  // Entries made with TitleEntry::prepare(); shared with the index's list of committed
  // titles, so a table costs its word list only.
  explicit TitleTable(std::vector<std::shared_ptr<const TitleEntry>> entries);

  // Titles that have, for every prefix, a word starting with it (prefixes are folded words,
  // see fold()); shorter titles first, then older articles.
  [[nodiscard]] std::vector<Suggestion> suggest(const std::vector<std::string>& prefixes,
                                                const std::vector<Language>& languages,
                                                bool include_internal, std::size_t limit) const;

  [[nodiscard]] std::size_t size() const { return titles_.size(); }

 private:
  using Title = TitleEntry;
  // A folded title word and its title; `head` is the word's first eight bytes as a big-endian
  // number, so sorting and searching compare integers before strings.
  struct Posting {
    std::uint64_t head = 0;
    std::string_view word;  // into titles_[ordinal].folded
    std::uint32_t ordinal = 0;
    auto operator<=>(const Posting&) const = default;
  };

  [[nodiscard]] bool matches(const Title& t, const std::vector<std::string>& prefixes,
                             const std::vector<Language>& languages, bool include_internal) const;

  std::vector<std::shared_ptr<const Title>>
      titles_;                  // shortest first, then by id; never resized once built
  std::vector<Posting> words_;  // sorted
};

}  // namespace fl::search
