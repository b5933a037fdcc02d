// The suggestion table: prefixes of title words, shortest titles first, language and
// audience filters, and both ways of answering (rare prefix collected, common prefix walked).
#include "search/title_table.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fl::search {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::shared_ptr<const TitleEntry> entry(ArticleId id, std::string title, Language l,
                                        bool internal) {
  return std::make_shared<const TitleEntry>(TitleEntry::prepare(id, std::move(title), l, internal));
}

std::vector<ArticleId> ids(const std::vector<Suggestion>& s) {
  std::vector<ArticleId> out;
  for (const auto& x : s) out.push_back(x.id);
  return out;
}

TEST(TitleTableTest, MatchesWordStartsOnlyShortestFirst) {
  TitleTable t({entry(1, "Passwort zurücksetzen", Language::de, false),
                entry(2, "Neues Passwort", Language::de, false),
                entry(3, "Kennwort", Language::de, false),
                entry(4, "Password reset", Language::en, false)});
  auto both = std::vector{Language::de, Language::en};
  EXPECT_THAT(ids(t.suggest({"passw"}, both, false, 10)), ElementsAre(2, 4, 1));
  EXPECT_THAT(ids(t.suggest({"wort"}, both, false, 10)), IsEmpty());  // not inside a word
  EXPECT_THAT(ids(t.suggest({"zuruck", "pass"}, both, false, 10)), ElementsAre(1));
  EXPECT_THAT(ids(t.suggest({"passw"}, {Language::en}, false, 10)), ElementsAre(4));
  EXPECT_THAT(ids(t.suggest({"passw"}, both, false, 2)), ElementsAre(2, 4));
  EXPECT_THAT(ids(t.suggest({}, both, false, 10)), IsEmpty());
}

TEST(TitleTableTest, InternalTitlesOnlyForAgents) {
  TitleTable t({entry(1, "VPN for staff", Language::en, true),
                entry(2, "VPN at home", Language::en, false)});
  EXPECT_THAT(ids(t.suggest({"vpn"}, {Language::en}, false, 10)), ElementsAre(2));
  EXPECT_THAT(ids(t.suggest({"vpn"}, {Language::en}, true, 10)), ElementsAre(2, 1));
}

// Past a few thousand titles per prefix the table walks titles shortest first instead of
// collecting them; both ways must agree with a plain scan of every title.
TEST(TitleTableTest, CommonAndRarePrefixesAgreeWithAPlainScan) {
  std::vector<std::shared_ptr<const TitleEntry>> entries;
  for (ArticleId id = 1; id <= 6000; ++id) {
    std::string title = "printer " + std::string(static_cast<std::size_t>(id % 37), 'x') + " q" +
                        std::to_string(id);
    entries.push_back(entry(id, title, id % 2 ? Language::en : Language::de, id % 5 == 0));
  }
  auto reference = [&](const std::vector<std::string>& prefixes, Language l, std::size_t limit) {
    std::vector<const TitleEntry*> hits;
    for (const auto& e : entries) {
      if (e->internal || e->language != l) continue;
      std::string padded = " " + e->title;
      if (std::ranges::all_of(
              prefixes, [&](const auto& p) { return padded.find(" " + p) != std::string::npos; }))
        hits.push_back(e.get());
    }
    std::ranges::sort(hits, [](auto* a, auto* b) {
      return a->title.size() != b->title.size() ? a->title.size() < b->title.size() : a->id < b->id;
    });
    std::vector<ArticleId> out;
    for (auto* h : hits)
      if (out.size() < limit) out.push_back(h->id);
    return out;
  };
  TitleTable t(entries);
  int answered = 0;
  for (const auto& prefixes : std::vector<std::vector<std::string>>{
           {"printer"}, {"pr", "xxxx"}, {"q59"}, {"printer", "q5999"}, {"q1", "xx"}}) {
    for (Language l : {Language::de, Language::en}) {
      auto expected = reference(prefixes, l, 7);
      answered += expected.empty() ? 0 : 1;
      EXPECT_EQ(ids(t.suggest(prefixes, {l}, false, 7)), expected) << prefixes.front();
    }
  }
  EXPECT_EQ(answered, 9);  // "printer q5999" is English only
}

}  // namespace
}  // namespace fl::search
