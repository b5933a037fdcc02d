// KnowledgeIndex against small fixtures of our own: analysis in both languages, synonyms,
// spelling, snippets, facets, access filtering, suggestions, and the commit/crash contract.
#include "search/knowledge_index.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "support/temp_dir.hpp"

namespace fl {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Pair;

ArticleDocument article(ArticleId id, std::string language, std::string title, std::string text) {
  ArticleDocument a;
  a.id = id;
  a.language = std::move(language);
  a.title = std::move(title);
  a.text = std::move(text);
  a.status = ArticleStatus::published;
  a.audience = Audience::public_;
  return a;
}

std::vector<ArticleId> ids(const ArticleResults& r) {
  std::vector<ArticleId> out;
  for (const auto& h : r.hits) out.push_back(h.id);
  return out;
}

class KnowledgeIndexTest : public ::testing::Test {
 protected:
  void SetUp() override { reopen(); }

  void reopen() {
    index_.reset();
    auto opened = KnowledgeIndex::open(dir_.path() / "kb");
    ASSERT_TRUE(opened) << opened.error().message;
    index_ = std::move(*opened);
  }

  void add(const ArticleDocument& a) { ASSERT_TRUE(index_->upsert(a)) << a.id; }
  void commit() { ASSERT_TRUE(index_->commit()); }

  ArticleResults find(std::string text, std::optional<std::string> language = std::nullopt,
                      bool internal = false, bool unpublished = false) {
    ArticleQuery q;
    q.text = std::move(text);
    q.language = std::move(language);
    q.include_internal = internal;
    q.include_unpublished = unpublished;
    auto r = index_->search(q);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : ArticleResults{};
  }

  testing::TempDir dir_;
  std::unique_ptr<KnowledgeIndex> index_;
};

TEST_F(KnowledgeIndexTest, GermanUmlautsFoldAndStemBothWays) {
  add(article(1, "de", "Passwort zurücksetzen", "So setzen Sie Ihr Kennwort im Portal zurück."));
  add(article(2, "de", "Drucker einrichten", "Einen neuen Netzwerkdrucker hinzufügen."));
  add(article(3, "de", "Bildschirm flackert", "Das Kabel prüfen."));
  commit();
  EXPECT_THAT(ids(find("passwort zurucksetzen", "de")), ElementsAre(1));
  EXPECT_THAT(ids(find("Passwort zurücksetzen", "de")), ElementsAre(1));
  EXPECT_THAT(ids(find("PASSWORT ZURUECKSETZEN", "de")), ElementsAre(1));
  EXPECT_THAT(ids(find("Passwörter", "de")), ElementsAre(1));
  EXPECT_THAT(ids(find("druckt", "de")), ElementsAre(2));
  EXPECT_THAT(ids(find("Drucker", "de")), ElementsAre(2));
  EXPECT_THAT(ids(find("flackern", "de")), ElementsAre(3));
}

TEST_F(KnowledgeIndexTest, GermanVerbFormsMeetTheirNouns) {
  add(article(1, "de", "Der Drucker druckt nicht", "Papier und Toner prüfen."));
  add(article(2, "de", "Software installieren", "Über das Softwarecenter."));
  commit();
  EXPECT_THAT(ids(find("Drucker", "de")), ElementsAre(1));
  EXPECT_THAT(ids(find("drucken", "de")), ElementsAre(1));
  EXPECT_THAT(ids(find("wie wird software installiert", "de")), ElementsAre(2));
}

TEST_F(KnowledgeIndexTest, EnglishStemmingAndAccents) {
  add(article(1, "en", "Resetting your password", "Use the self-service portal."));
  add(article(2, "en", "Café Wi-Fi access", "Guests connect to the café network."));
  commit();
  EXPECT_THAT(ids(find("reset passwords", "en")), ElementsAre(1));
  EXPECT_THAT(ids(find("cafe network", "en")), ElementsAre(2));
  EXPECT_THAT(ids(find("Café", "en")), ElementsAre(2));
}

TEST_F(KnowledgeIndexTest, LanguageChoosesArticlesAndNoneSearchesBoth) {
  add(article(1, "de", "Drucker einrichten", "Den Drucker im Netzwerk hinzufügen."));
  add(article(2, "en", "Printer setup", "Add the printer on the network."));
  commit();
  EXPECT_THAT(ids(find("netzwerk drucker", "de")), ElementsAre(1));
  EXPECT_THAT(ids(find("network printers", "en")), ElementsAre(2));
  auto both = ids(find("drucker printer"));
  std::ranges::sort(both);
  EXPECT_THAT(both, ElementsAre(1, 2));
}

TEST_F(KnowledgeIndexTest, StopWordsAloneStillFindSomething) {
  add(article(1, "en", "How to", "A guide on how to do it."));
  add(article(2, "en", "Printer", "The printer."));
  commit();
  EXPECT_THAT(ids(find("how to", "en")), ElementsAre(1));
  EXPECT_THAT(ids(find("how to printer", "en")), ElementsAre(2));
}

TEST_F(KnowledgeIndexTest, AdminSynonymsExpandWordsAndPhrases) {
  add(article(1, "de", "Fernzugriff einrichten", "Verbindung von zu Hause."));
  add(article(2, "en", "Remote access from home", "Connect from home."));
  add(article(3, "en", "VPN client crashes", "Reinstall the client."));
  ASSERT_TRUE(index_->set_synonyms({{"VPN", "Fernzugriff", "remote access"}}));
  commit();
  EXPECT_THAT(ids(find("vpn", "de")), ElementsAre(1));
  auto en = ids(find("vpn", "en"));
  std::ranges::sort(en);
  EXPECT_THAT(en, ElementsAre(2, 3));
  EXPECT_THAT(ids(find("remote access", "en")), Contains(3));
  EXPECT_THAT(ids(find("Fernzugriff", "en")), Contains(3));

  ASSERT_TRUE(index_->set_synonyms({}));
  commit();
  EXPECT_THAT(ids(find("vpn", "de")), IsEmpty());
}

TEST_F(KnowledgeIndexTest, KeywordsFindTheirArticleOnly) {
  auto a = article(1, "en", "Mail on the phone", "Set up the mail app.");
  a.keywords = {"Outlook", "Exchange"};
  add(a);
  add(article(2, "en", "Mail quota", "Delete old mail."));
  commit();
  EXPECT_THAT(ids(find("outlook", "en")), ElementsAre(1));
  EXPECT_THAT(ids(find("exchange", "en")), ElementsAre(1));
}

TEST_F(KnowledgeIndexTest, TitleOutranksKeywordsOutranksBody) {
  auto body = article(1, "en", "Office equipment", "The printer is on the second floor.");
  auto keyword = article(2, "en", "Office equipment", "Ask the front desk.");
  keyword.keywords = {"printer"};
  auto title = article(3, "en", "Printer", "Ask the front desk about office equipment.");
  add(body);
  add(keyword);
  add(title);
  commit();
  EXPECT_THAT(ids(find("printer", "en")), ElementsAre(3, 2, 1));
}

TEST_F(KnowledgeIndexTest, GermanCompoundsAreFoundByTheirParts) {
  add(article(1, "de", "Netzwerkdrucker einrichten", "Über die Systemsteuerung."));
  add(article(2, "de", "Sicherheitsaktualisierungen", "Werden nachts eingespielt."));
  add(article(3, "de", "Aktualisierung der Pakete", "Mit dem Paketmanager."));
  add(article(4, "de", "Bildschirm", "Kabel prüfen."));
  commit();
  EXPECT_THAT(ids(find("Drucker", "de")), ElementsAre(1));           // head
  EXPECT_THAT(ids(find("Netzwerk", "de")), ElementsAre(1));          // modifier
  EXPECT_THAT(ids(find("Sicherheit", "de")), ElementsAre(2));        // modifier with linking s
  EXPECT_THAT(ids(find("Paketaktualisierung", "de")), Contains(3));  // query compound, split
}

TEST_F(KnowledgeIndexTest, DidYouMeanOnlyWhenTheQueryFindsLittle) {
  add(article(1, "en", "Password reset", "Reset your password in the portal."));
  add(article(2, "en", "Printer setup", "Add a printer."));
  commit();
  auto misspelt = find("pasword", "en");
  EXPECT_THAT(misspelt.hits, IsEmpty());
  EXPECT_EQ(misspelt.did_you_mean, "password");
  auto mixed = find("printer pasword", "en");
  EXPECT_EQ(mixed.did_you_mean, "printer password");
  EXPECT_FALSE(find("password", "en").did_you_mean);
  EXPECT_FALSE(find("zzqxj", "en").did_you_mean);
}

TEST_F(KnowledgeIndexTest, DidYouMeanForgetsWordsOfRemovedArticles) {
  add(article(1, "en", "Scanner", "Scanner calibration."));
  commit();
  EXPECT_EQ(find("calibraton", "en").did_you_mean, "calibration");
  ASSERT_TRUE(index_->remove(1));
  commit();
  EXPECT_FALSE(find("calibraton", "en").did_you_mean);
}

TEST_F(KnowledgeIndexTest, SnippetsHighlightAndEscapeHtml) {
  add(article(1, "en", "Password safety",
              "Never paste <script>alert('x')</script> & other code into the password field."));
  commit();
  auto r = find("password", "en");
  ASSERT_EQ(r.hits.size(), 1u);
  const std::string& s = r.hits[0].snippet;
  EXPECT_THAT(s, HasSubstr("<mark>password</mark>"));
  EXPECT_THAT(s, HasSubstr("&lt;script&gt;"));
  EXPECT_THAT(s, HasSubstr("&amp; other"));
  EXPECT_THAT(s, Not(HasSubstr("<script")));
  EXPECT_THAT(s, Not(HasSubstr("'x'")));
}

TEST_F(KnowledgeIndexTest, SnippetsHighlightFoldedAndStemmedMatches) {
  add(article(1, "de", "Kennwort", "Um das Passwort zurückzusetzen, öffnen Sie das Portal."));
  commit();
  auto r = find("passworter offnen", "de");
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_THAT(r.hits[0].snippet, HasSubstr("<mark>Passwort</mark>"));
  EXPECT_THAT(r.hits[0].snippet, HasSubstr("<mark>öffnen</mark>"));
}

TEST_F(KnowledgeIndexTest, FacetsCountCategoriesOnThePathAndKinds) {
  auto a = article(1, "en", "Printer jam", "Open the tray.");
  a.category = 12;
  a.category_path = {1, 12};
  a.kind = ArticleKind::troubleshooting;
  auto b = article(2, "en", "Printer driver", "Install the driver.");
  b.category = 13;
  b.category_path = {1, 13};
  b.kind = ArticleKind::howto;
  auto c = article(3, "en", "Printer toner", "Order toner.");
  c.category = 13;
  c.category_path = {1, 13};
  c.kind = ArticleKind::howto;
  add(a);
  add(b);
  add(c);
  commit();
  auto r = find("printer", "en");
  EXPECT_THAT(r.category_facets, ElementsAre(Pair(1, 3), Pair(13, 2), Pair(12, 1)));
  EXPECT_THAT(r.kind_facets,
              ElementsAre(Pair(ArticleKind::howto, 2), Pair(ArticleKind::troubleshooting, 1)));

  ArticleQuery q;
  q.text = "printer";
  q.category = 1;
  EXPECT_EQ(index_->search(q)->hits.size(), 3u);
  q.category = 13;
  auto in13 = ids(*index_->search(q));
  std::ranges::sort(in13);
  EXPECT_THAT(in13, ElementsAre(2, 3));
  q.category.reset();
  q.kind = ArticleKind::troubleshooting;
  EXPECT_THAT(ids(*index_->search(q)), ElementsAre(1));
}

TEST_F(KnowledgeIndexTest, CustomersNeverSeeInternalOrUnpublishedArticles) {
  auto internal = article(1, "en", "Printer admin password", "Internal only.");
  internal.audience = Audience::internal;
  auto draft = article(2, "en", "Printer draft", "Not yet.");
  draft.status = ArticleStatus::draft;
  auto archived = article(3, "en", "Printer old", "Gone.");
  archived.status = ArticleStatus::archived;
  add(internal);
  add(draft);
  add(archived);
  add(article(4, "en", "Printer public", "For all."));
  commit();
  EXPECT_THAT(ids(find("printer", "en")), ElementsAre(4));
  EXPECT_THAT(ids(find("printer")), ElementsAre(4));
  EXPECT_THAT(ids(find("")), ElementsAre(4));
  auto agent = ids(find("printer", "en", true));
  std::ranges::sort(agent);
  EXPECT_THAT(agent, ElementsAre(1, 4));
  auto editor = ids(find("printer", "en", true, true));
  EXPECT_EQ(editor.size(), 4u);

  auto s = index_->suggest("print", std::nullopt, false, 10);
  ASSERT_TRUE(s);
  ASSERT_EQ(s->size(), 1u);
  EXPECT_EQ((*s)[0].id, 4);
  auto agent_suggestions = index_->suggest("print", std::nullopt, true, 10);
  EXPECT_EQ(agent_suggestions->size(), 2u);  // drafts and archived never
}

// The suggestion table follows commits: nothing before, unpublished and removed titles
// leave it, and a reopened index has it again.
TEST_F(KnowledgeIndexTest, SuggestionsFollowCommitsAndSurviveReopening) {
  auto titles = [&](std::string_view prefix) {
    std::vector<ArticleId> out;
    auto suggestions = index_->suggest(prefix, std::nullopt, false, 10);
    EXPECT_TRUE(suggestions);
    if (suggestions)
      for (const auto& s : *suggestions) out.push_back(s.id);
    return out;
  };
  add(article(1, "en", "Printer offline", "..."));
  add(article(2, "en", "Printer jam", "..."));
  EXPECT_THAT(titles("print"), IsEmpty());
  commit();
  EXPECT_THAT(titles("print"), ElementsAre(2, 1));
  auto unpublished = article(2, "en", "Printer jam", "...");
  unpublished.status = ArticleStatus::archived;
  add(unpublished);
  ASSERT_TRUE(index_->remove(1));
  add(article(3, "en", "Printer driver", "..."));
  EXPECT_THAT(titles("print"), ElementsAre(2, 1));  // staged only
  commit();
  EXPECT_THAT(titles("print"), ElementsAre(3));
  reopen();
  EXPECT_THAT(titles("print"), ElementsAre(3));
}

TEST_F(KnowledgeIndexTest, SuggestMatchesTitleWordPrefixes) {
  add(article(1, "de", "Passwort zurücksetzen", "..."));
  add(article(2, "de", "Passwort ändern im Self-Service-Portal", "..."));
  add(article(3, "en", "Password reset", "..."));
  add(article(4, "de", "Drucker einrichten", "..."));
  commit();
  auto titles = [&](std::string_view prefix, std::optional<std::string> lang) {
    std::vector<ArticleId> out;
    auto suggestions = index_->suggest(prefix, lang, false, 10);
    EXPECT_TRUE(suggestions);
    if (suggestions)
      for (const auto& s : *suggestions) out.push_back(s.id);
    return out;
  };
  EXPECT_THAT(titles("passw", "de"), ElementsAre(1, 2));  // shorter title first
  EXPECT_THAT(titles("Passw", std::nullopt), ElementsAre(3, 1, 2));
  EXPECT_THAT(titles("passwort zuru", "de"), ElementsAre(1));
  EXPECT_THAT(titles("passwort zurü", "de"), ElementsAre(1));
  EXPECT_THAT(titles("wie passwort ände", "de"), ElementsAre(2));
  EXPECT_THAT(titles("p", "de"), IsEmpty());
  EXPECT_THAT(titles("", "de"), IsEmpty());
  EXPECT_THAT(titles("xyz", "de"), IsEmpty());
  EXPECT_FALSE(index_->suggest("pass", "fr", false, 10));
}

TEST_F(KnowledgeIndexTest, UpsertReplacesAndRemoveDeletes) {
  add(article(1, "en", "Printer", "Old text."));
  commit();
  add(article(1, "en", "Scanner", "New text."));
  commit();
  EXPECT_THAT(ids(find("printer", "en")), IsEmpty());
  EXPECT_THAT(ids(find("scanner", "en")), ElementsAre(1));
  ASSERT_TRUE(index_->remove(1));
  ASSERT_TRUE(index_->remove(99));
  commit();
  EXPECT_THAT(ids(find("scanner", "en")), IsEmpty());
}

// Cached results live until articles or synonyms change; the follower's cursor-only commits
// (every batch of ticket events) keep them.
TEST_F(KnowledgeIndexTest, CachedResultsLastUntilTheContentChanges) {
  add(article(1, "en", "Printer jam", "Open the tray."));
  commit();
  auto before = index_->cache_stats();
  EXPECT_THAT(ids(find("printer", "en")), ElementsAre(1));
  EXPECT_THAT(ids(find("printer", "en")), ElementsAre(1));
  EXPECT_EQ(index_->cache_stats().hits, before.hits + 1);
  ASSERT_TRUE(index_->set_last_applied_event(7));
  commit();
  EXPECT_THAT(ids(find("printer", "en")), ElementsAre(1));
  EXPECT_EQ(index_->cache_stats().hits, before.hits + 2);
  add(article(2, "en", "Printer offline", "Check the cable."));
  commit();
  auto both = ids(find("printer", "en"));
  std::ranges::sort(both);
  EXPECT_THAT(both, ElementsAre(1, 2));
  EXPECT_THAT(ids(find("drucker", "en")), IsEmpty());
  ASSERT_TRUE(index_->set_synonyms({{"printer", "drucker"}}));
  commit();
  EXPECT_EQ(ids(find("drucker", "en")).size(), 2u);
}

TEST_F(KnowledgeIndexTest, NothingIsVisibleBeforeCommit) {
  add(article(1, "en", "Printer", "Text."));
  EXPECT_THAT(ids(find("printer", "en")), IsEmpty());
  commit();
  EXPECT_THAT(ids(find("printer", "en")), ElementsAre(1));
}

TEST_F(KnowledgeIndexTest, LastAppliedEventPersistsAcrossReopen) {
  EXPECT_EQ(*index_->last_applied_event(), 0);
  add(article(1, "en", "Printer", "Text."));
  ASSERT_TRUE(index_->set_last_applied_event(42));
  commit();
  EXPECT_EQ(*index_->last_applied_event(), 42);
  reopen();
  EXPECT_EQ(*index_->last_applied_event(), 42);
  EXPECT_THAT(ids(find("printer", "en")), ElementsAre(1));
}

TEST_F(KnowledgeIndexTest, CrashBeforeCommitLosesTheChangesAndKeepsTheOldCursor) {
  add(article(1, "en", "Printer", "Committed."));
  ASSERT_TRUE(index_->set_last_applied_event(7));
  commit();
  add(article(2, "en", "Printer scanner", "Never committed."));
  ASSERT_TRUE(index_->remove(1));
  ASSERT_TRUE(index_->set_last_applied_event(8));
  reopen();  // destroys the index without commit(): what a crash leaves behind
  EXPECT_EQ(*index_->last_applied_event(), 7);
  EXPECT_THAT(ids(find("printer", "en")), ElementsAre(1));
}

TEST_F(KnowledgeIndexTest, RejectsBadInput) {
  auto bad = article(1, "fr", "Imprimante", "Texte.");
  auto r = index_->upsert(bad);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  EXPECT_FALSE(index_->upsert(article(0, "en", "x", "y")));
  ArticleQuery q;
  q.limit = 0;
  EXPECT_EQ(index_->search(q).error().code, ErrorCode::invalid_argument);
  q.limit = 10;
  q.language = "xx";
  EXPECT_EQ(index_->search(q).error().code, ErrorCode::invalid_argument);
  EXPECT_FALSE(index_->set_last_applied_event(-1));
}

TEST_F(KnowledgeIndexTest, ASecondWriterIsRefused) {
  auto second = KnowledgeIndex::open(dir_.path() / "kb");
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::unavailable);
}

TEST_F(KnowledgeIndexTest, ReadersFollowCommitsWhileOthersSearch) {
  add(article(1, "en", "Printer 1", "Text."));
  commit();
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      while (!done) {
        ArticleQuery q;
        q.text = "printer";
        q.language = "en";
        auto r = index_->search(q);
        if (!r || r->hits.empty()) ++failures;
        auto s = index_->suggest("prin", "en", false, 5);
        if (!s || s->empty()) ++failures;
      }
    });
  }
  for (ArticleId id = 2; id <= 40; ++id) {
    add(article(id, "en", "Printer " + std::to_string(id), "Text."));
    commit();
  }
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(failures, 0);
  ArticleQuery q;
  q.text = "printer";
  q.limit = 100;
  EXPECT_EQ(index_->search(q)->hits.size(), 40u);
}

}  // namespace
}  // namespace fl
