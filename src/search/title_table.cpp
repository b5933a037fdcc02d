#include "search/title_table.hpp"

#include <algorithm>
#include <bit>
#include <span>

#include "search/xapian_support.hpp"

namespace fl::search {

namespace {

// Below this many candidates the rarest prefix's titles are collected and sorted; above it,
// the prefixes' titles are intersected as bitsets.
constexpr std::size_t kGatherLimit = 4096;

std::uint64_t head_of(std::string_view word) {
  std::uint64_t head = 0;
  for (std::size_t i = 0; i < 8; ++i)
    head = (head << 8) | (i < word.size() ? static_cast<unsigned char>(word[i]) : 0);
  return head;
}

}  // namespace

TitleEntry TitleEntry::prepare(ArticleId id, std::string title, Language language, bool internal) {
  TitleEntry t{id, std::move(title), language, internal, {}, 0};
  t.length = code_points(t.title);
  for (const auto& w : split_words(t.title)) {
    std::string f = fold(w);
    if (f.empty()) continue;
    t.folded += f;
    t.folded += ' ';
  }
  return t;
}

TitleTable::TitleTable(std::vector<std::shared_ptr<const TitleEntry>> entries)
    : titles_(std::move(entries)) {
  std::ranges::sort(titles_, [](const auto& a, const auto& b) {
    return a->length != b->length ? a->length < b->length : a->id < b->id;
  });
  // titles_ is final: the postings may point into it.
  std::vector<std::string_view> words;
  for (std::size_t o = 0; o < titles_.size(); ++o) {
    std::string_view folded = titles_[o]->folded;
    words.clear();
    for (std::size_t at = 0; at < folded.size();) {
      std::size_t space = folded.find(' ', at);
      words.push_back(folded.substr(at, space - at));
      at = space + 1;
    }
    std::ranges::sort(words);
    auto [first, last] = std::ranges::unique(words);
    words.erase(first, last);
    for (auto w : words) words_.push_back({head_of(w), w, static_cast<std::uint32_t>(o)});
  }
  // Words up to eight bytes are told apart by their head alone (no word holds a NUL).
  std::ranges::sort(words_, [](const Posting& a, const Posting& b) {
    if (a.head != b.head) return a.head < b.head;
    if (a.word.size() > 8 || b.word.size() > 8) {
      if (auto c = a.word.substr(std::min<std::size_t>(8, a.word.size()))
                       .compare(b.word.substr(std::min<std::size_t>(8, b.word.size())));
          c != 0)
        return c < 0;
    }
    return a.ordinal < b.ordinal;
  });
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
  // Each prefix's postings: the words starting with it are one run of the sorted list.
  std::vector<std::span<const Posting>> runs;
  for (const auto& p : prefixes) {
    Posting key{head_of(p), p, 0};
    auto from = std::ranges::lower_bound(words_, key);
    auto to = std::partition_point(from, words_.end(),
                                   [&](const Posting& w) { return w.word.starts_with(p); });
    runs.emplace_back(from, to);
  }
  std::ranges::sort(runs, {}, &std::span<const Posting>::size);
  std::span<const Posting> rarest = runs.front();
  auto take = [&](const Title& t) {
    if (!matches(t, prefixes, languages, include_internal)) return false;
    out.push_back({t.id, t.title});
    return out.size() >= limit;
  };
  if (rarest.size() <= kGatherLimit) {
    std::vector<std::uint32_t> ordinals;
    ordinals.reserve(rarest.size());
    for (const auto& posting : rarest) ordinals.push_back(posting.ordinal);
    std::ranges::sort(ordinals);
    auto [first, last] = std::ranges::unique(ordinals);
    ordinals.erase(first, last);
    for (auto o : ordinals)
      if (take(*titles_[o])) break;
  } else {
    // Common prefixes: the titles having all of them, as a bit per title (ordinal order is
    // shortest first), so the work is bounded by the postings read, never a walk of every
    // title that finds few matches.
    std::vector<std::uint64_t> all(titles_.size() / 64 + 1, ~std::uint64_t{0});
    std::vector<std::uint64_t> one(all.size());
    for (const auto& run : runs) {
      std::ranges::fill(one, 0);
      for (const auto& posting : run)
        one[posting.ordinal / 64] |= std::uint64_t{1} << (posting.ordinal % 64);
      for (std::size_t i = 0; i < all.size(); ++i) all[i] &= one[i];
    }
    for (std::size_t i = 0; i < all.size(); ++i)
      for (std::uint64_t bits = all[i]; bits != 0; bits &= bits - 1)
        if (take(*titles_[i * 64 + static_cast<std::size_t>(std::countr_zero(bits))])) return out;
  }
  return out;
}

}  // namespace fl::search
