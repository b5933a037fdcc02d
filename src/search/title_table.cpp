#include "search/title_table.hpp"

#include <algorithm>
#include <span>

#include "search/xapian_support.hpp"

namespace fl::search {

namespace {

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(std::ranges::count_if(
      s, [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; }));
}

// Below this many candidates the rarest prefix's titles are collected and sorted; above it,
// titles are walked shortest first until `limit` match: a common prefix matches early.
constexpr std::size_t kGatherLimit = 4096;

}  // namespace

TitleTable::TitleTable(std::vector<TitleEntry> entries) {
  std::ranges::sort(entries, [](const TitleEntry& a, const TitleEntry& b) {
    auto la = code_points(a.title), lb = code_points(b.title);
    return la != lb ? la < lb : a.id < b.id;
  });
  titles_.reserve(entries.size());
  for (auto& e : entries) {
    Title t{e.id, std::move(e.title), {}, e.language, e.internal};
    std::vector<std::string> words;
    for (const auto& w : split_words(t.title)) {
      std::string f = fold(w);
      if (f.empty()) continue;
      t.folded += f;
      t.folded += ' ';
      words.push_back(std::move(f));
    }
    std::ranges::sort(words);
    auto [first, last] = std::ranges::unique(words);
    words.erase(first, last);
    auto ordinal = static_cast<std::uint32_t>(titles_.size());
    for (auto& w : words) words_.emplace_back(std::move(w), ordinal);
    titles_.push_back(std::move(t));
  }
  std::ranges::sort(words_);
}

bool TitleTable::matches(const Title& t, const std::vector<std::string>& prefixes,
                         const std::vector<Language>& languages, bool include_internal) const {
  if (t.internal && !include_internal) return false;
  if (std::ranges::find(languages, t.language) == languages.end()) return false;
  return std::ranges::all_of(prefixes, [&](const std::string& p) {
    for (std::size_t at = t.folded.find(p); at != std::string::npos; at = t.folded.find(p, at + 1))
      if (at == 0 || t.folded[at - 1] == ' ') return true;
    return false;
  });
}

std::vector<Suggestion> TitleTable::suggest(const std::vector<std::string>& prefixes,
                                            const std::vector<Language>& languages,
                                            bool include_internal, std::size_t limit) const {
  std::vector<Suggestion> out;
  if (prefixes.empty() || limit == 0) return out;
  // The rarest prefix's postings: the words starting with it are one run of the sorted list.
  std::span<const Posting> rarest(words_);
  for (const auto& p : prefixes) {
    auto from = std::ranges::lower_bound(words_, p, {}, &Posting::first);
    auto to = std::partition_point(from, words_.end(),
                                   [&](const Posting& w) { return w.first.starts_with(p); });
    if (static_cast<std::size_t>(to - from) < rarest.size()) rarest = {from, to};
  }
  auto take = [&](const Title& t) {
    if (!matches(t, prefixes, languages, include_internal)) return false;
    out.push_back({t.id, t.title});
    return out.size() >= limit;
  };
  if (rarest.size() <= kGatherLimit) {
    std::vector<std::uint32_t> ordinals;
    ordinals.reserve(rarest.size());
    for (const auto& posting : rarest) ordinals.push_back(posting.second);
    std::ranges::sort(ordinals);
    auto [first, last] = std::ranges::unique(ordinals);
    ordinals.erase(first, last);
    for (auto o : ordinals)
      if (take(titles_[o])) break;
  } else {
    for (const auto& t : titles_)
      if (take(t)) break;
  }
  return out;
}

}  // namespace fl::search
