// The titles of the published articles, in memory, for suggestions as the user types.
// Internal to fl_search. A suggestion is asked for on every key press, so it must cost
// microseconds: a sorted word list answers "which titles have a word starting with this"
// with two binary searches, and titles are kept shortest first, so the first matches found
// in that order are the answer. The table is immutable; the index builds a new one after
// each commit that changed articles.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "search/analysis.hpp"
#include "search/knowledge_index.hpp"

namespace fl::search {

struct TitleEntry {
  ArticleId id = 0;
  std::string title;
  Language language = Language::en;
  bool internal = false;  // audience internal: agents only
};

class TitleTable {
 public:
  TitleTable() = default;
  explicit TitleTable(std::vector<TitleEntry> entries);

  // Titles that have, for every prefix, a word starting with it (prefixes are folded words,
  // see fold()); shorter titles first, then older articles.
  [[nodiscard]] std::vector<Suggestion> suggest(const std::vector<std::string>& prefixes,
                                                const std::vector<Language>& languages,
                                                bool include_internal, std::size_t limit) const;

  [[nodiscard]] std::size_t size() const { return titles_.size(); }

 private:
  struct Title {
    ArticleId id = 0;
    std::string title;
    std::string folded;  // folded words, each followed by one space
    Language language = Language::en;
    bool internal = false;
  };
  using Posting = std::pair<std::string, std::uint32_t>;  // folded word, title ordinal

  [[nodiscard]] bool matches(const Title& t, const std::vector<std::string>& prefixes,
                             const std::vector<Language>& languages, bool include_internal) const;

  std::vector<Title> titles_;   // shortest first
  std::vector<Posting> words_;  // sorted by word, then ordinal
};

}  // namespace fl::search
