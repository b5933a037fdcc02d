// The Store contract for the knowledge base: categories, versioned articles, counters and
// ticket links. Runs against every adapter (see store_contract.hpp).
#include <gtest/gtest.h>

#include "store/store_contract.hpp"

namespace fl::store_contract {

Article KnowledgeBaseContract::draft(const std::string& title) {
  Article a;
  a.title = title;
  a.body = "Restart the **printer**.";
  a.language = "de";
  a.kind = ArticleKind::howto;
  a.audience = Audience::public_;
  a.status = ArticleStatus::draft;
  a.keywords = {"drucker", "printer"};
  a.author = agent_.id;
  a.created_at = at(0);
  a.updated_at = at(0);
  return a;
}

Article KnowledgeBaseContract::save(const Article& a) {
  return must(store().save_article(a, event_of(event_type::article_saved, agent_.id)), "save");
}

namespace {

TEST_P(KnowledgeBaseContract, NewArticleIsVersionOne) {
  Article stored = save(draft("Drucker druckt leere Seiten"));
  EXPECT_GT(stored.id, 0);
  EXPECT_EQ(stored.version, 1);
  EXPECT_EQ(stored.title, "Drucker druckt leere Seiten");
  EXPECT_EQ(stored.keywords, (std::vector<std::string>{"drucker", "printer"}));
  EXPECT_EQ(stored.language, "de");
  EXPECT_EQ(stored.kind, ArticleKind::howto);
  Article read = must(store().article(stored.id));
  EXPECT_EQ(read.body, "Restart the **printer**.");
  EXPECT_EQ(code_of(store().article(stored.id + 1000)), ErrorCode::not_found);
}

TEST_P(KnowledgeBaseContract, EveryEditIsANewVersionAndTheHistoryKeepsThemAll) {
  Article a = save(draft("v1"));
  a.title = "v2";
  a.updated_at = at(1000);
  Article b = save(a);
  EXPECT_EQ(b.version, 2);
  EXPECT_EQ(b.created_at, at(0));
  EXPECT_EQ(b.updated_at, at(1000));
  b.title = "v3";
  b.status = ArticleStatus::published;
  Article c = save(b);
  EXPECT_EQ(c.version, 3);
  auto history = must(store().article_history(c.id));
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].title, "v1");
  EXPECT_EQ(history[0].version, 1);
  EXPECT_EQ(history[1].title, "v2");
  EXPECT_EQ(history[2].status, ArticleStatus::published);
  EXPECT_EQ(code_of(store().article_history(c.id + 1000)), ErrorCode::not_found);
}

TEST_P(KnowledgeBaseContract, StaleVersionIsAConflict) {
  Article a = save(draft("x"));
  Article first = a, second = a;
  first.title = "first";
  second.title = "second";
  save(first);
  EXPECT_EQ(code_of(store().save_article(second, event_of(event_type::article_saved))),
            ErrorCode::conflict);
  EXPECT_EQ(must(store().article(a.id)).title, "first");
}

TEST_P(KnowledgeBaseContract, SavingRecordsAnEventWithTheArticle) {
  Article a = save(draft("x"));
  auto events = must(store().events_after(0, 1000));
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().type, event_type::article_saved);
  EXPECT_EQ(events.back().article, a.id);
  EXPECT_FALSE(events.back().ticket);
}

TEST_P(KnowledgeBaseContract, BadReferencesNameTheField) {
  Article a = draft("x");
  a.category = 999;
  auto r = store().save_article(a, event_of(event_type::article_saved));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(r.error().fields.at(0).field, "category_id");
}

TEST_P(KnowledgeBaseContract, CategoryTree) {
  Category root = must(store().insert_category({0, "Hardware", std::nullopt},
                                               event_of(event_type::category_created)));
  Category child = must(
      store().insert_category({0, "Drucker", root.id}, event_of(event_type::category_created)));
  EXPECT_EQ(child.parent, root.id);
  EXPECT_EQ(code_of(store().insert_category({0, "Drucker", root.id},
                                            event_of(event_type::category_created))),
            ErrorCode::conflict);
  EXPECT_EQ(
      code_of(store().insert_category({0, "Orphan", 999}, event_of(event_type::category_created))),
      ErrorCode::invalid_argument);
  auto all = must(store().categories());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].name, "Drucker");
  Article a = draft("in a category");
  a.category = child.id;
  EXPECT_EQ(save(a).category, child.id);

  Category moved = must(store().update_category({child.id, "Printers", std::nullopt},
                                                event_of(event_type::category_changed)));
  EXPECT_EQ(moved.name, "Printers");
  EXPECT_EQ(must(store().categories()).at(1).parent, std::nullopt);
  EXPECT_EQ(code_of(store().update_category({child.id, "Hardware", std::nullopt},
                                            event_of(event_type::category_changed))),
            ErrorCode::conflict);
  EXPECT_EQ(code_of(store().update_category({999, "Ghost", std::nullopt},
                                            event_of(event_type::category_changed))),
            ErrorCode::not_found);
  EXPECT_EQ(code_of(store().update_category({child.id, "Printers", 999},
                                            event_of(event_type::category_changed))),
            ErrorCode::invalid_argument);
}

TEST_P(KnowledgeBaseContract, ListingFilters) {
  Article de = draft("de");
  Article en = draft("en");
  en.language = "en";
  en.status = ArticleStatus::published;
  Article internal = draft("internal");
  internal.audience = Audience::internal;
  internal.status = ArticleStatus::published;
  de = save(de);
  en = save(en);
  internal = save(internal);
  auto titles = [&](ArticleFilter f) {
    std::vector<std::string> out;
    for (const auto& a : must(store().articles(f))) out.push_back(a.title);
    return out;
  };
  EXPECT_EQ(titles({}), (std::vector<std::string>{"de", "en", "internal"}));
  EXPECT_EQ(titles({.status = ArticleStatus::published}),
            (std::vector<std::string>{"en", "internal"}));
  EXPECT_EQ(titles({.status = ArticleStatus::published, .audience = Audience::public_}),
            (std::vector<std::string>{"en"}));
  EXPECT_EQ(titles({.language = "de"}), (std::vector<std::string>{"de", "internal"}));
  EXPECT_EQ(titles({.after = de.id, .limit = 1}), (std::vector<std::string>{"en"}));
}

TEST_P(KnowledgeBaseContract, OneRevisionPerArticleUntilDropped) {
  Article a = save(draft("Drucker"));
  EXPECT_EQ(code_of(store().article_revision(a.id)), ErrorCode::not_found);
  Article proposal = a;
  proposal.title = "Drucker druckt leer";
  proposal.keywords = {"toner"};
  proposal.updated_at = at(5);
  must(store().save_article_revision(proposal, event_of(event_type::revision_proposed, agent_.id)));
  Article read = must(store().article_revision(a.id));
  EXPECT_EQ(read.id, a.id);
  EXPECT_EQ(read.version, 1);  // the version it edits
  EXPECT_EQ(read.title, "Drucker druckt leer");
  EXPECT_EQ(read.keywords, (std::vector<std::string>{"toner"}));
  EXPECT_EQ(read.updated_at, at(5));
  EXPECT_EQ(must(store().article(a.id)).title, "Drucker");  // the article is untouched
  proposal.title = "Drucker druckt gar nicht";
  must(store().save_article_revision(
      proposal, event_of(event_type::revision_proposed, agent_.id)));  // replaces
  EXPECT_EQ(must(store().article_revision(a.id)).title, "Drucker druckt gar nicht");
  auto before = must(store().latest_event_id());
  must(store().drop_article_revision(a.id, event_of(event_type::revision_discarded, agent_.id)));
  must(store().drop_article_revision(a.id, event_of(event_type::revision_discarded, agent_.id)));
  auto events = must(store().events_after(before, 10));
  ASSERT_EQ(events.size(), 1u);  // only the drop that removed something
  EXPECT_EQ(events[0].type, event_type::revision_discarded);
  EXPECT_EQ(events[0].article, a.id);
  EXPECT_EQ(code_of(store().article_revision(a.id)), ErrorCode::not_found);
  proposal.id = a.id + 1000;
  EXPECT_EQ(code_of(store().save_article_revision(
                proposal, event_of(event_type::revision_proposed, agent_.id))),
            ErrorCode::not_found);
}

TEST_P(KnowledgeBaseContract, CountersAreNotVersions) {
  Article a = save(draft("x"));
  must(store().count_article_view(a.id));
  must(store().count_article_view(a.id));
  must(store().record_article_vote(a.id, "u:1", true));
  must(store().record_article_vote(a.id, "u:2", false));
  must(store().record_article_vote(a.id, "g:abc", false));
  Article read = must(store().article(a.id));
  EXPECT_EQ(read.views, 2);
  EXPECT_EQ(read.helpful, 1);
  EXPECT_EQ(read.not_helpful, 2);
  EXPECT_EQ(read.version, 1);
  EXPECT_EQ(code_of(store().count_article_view(a.id + 1000)), ErrorCode::not_found);
  EXPECT_EQ(code_of(store().record_article_vote(a.id + 1000, "u:1", true)), ErrorCode::not_found);
}

TEST_P(KnowledgeBaseContract, OneVotePerVoterAChangedMindReplacesIt) {
  Article a = save(draft("x"));
  must(store().record_article_vote(a.id, "u:1", true));
  must(store().record_article_vote(a.id, "u:1", true));
  Article once = must(store().article(a.id));
  EXPECT_EQ(once.helpful, 1);
  EXPECT_EQ(once.not_helpful, 0);
  must(store().record_article_vote(a.id, "u:1", false));
  Article changed = must(store().article(a.id));
  EXPECT_EQ(changed.helpful, 0);
  EXPECT_EQ(changed.not_helpful, 1);
  Article other = save(draft("y"));
  must(store().record_article_vote(other.id, "u:1", true));  // per article
  EXPECT_EQ(must(store().article(other.id)).helpful, 1);
}

TEST_P(KnowledgeBaseContract, TicketLinksAreIdempotent) {
  Article a = save(draft("x"));
  TicketId t = create(draft_ticket("printer")).ticket.id;
  ArticleLink link{t, a.id, agent_.id, at(5)};
  must(store().link_article(link, event_of(event_type::article_linked, agent_.id)));
  must(store().link_article(link, event_of(event_type::article_linked, agent_.id)));
  auto links = must(store().article_links(t));
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].article, a.id);
  int linked_events = 0;
  for (const auto& e : must(store().ticket_events(t)))
    if (e.type == event_type::article_linked) ++linked_events;
  EXPECT_EQ(linked_events, 1);
  EXPECT_EQ(code_of(store().link_article({t, a.id + 1000, agent_.id, at(6)},
                                         event_of(event_type::article_linked))),
            ErrorCode::invalid_argument);
}

}  // namespace

}  // namespace fl::store_contract

namespace fl::store_contract {
namespace {

TEST_P(KnowledgeBaseContract, DeflectionSessionsOpensAndTickets) {
  using std::chrono::minutes;
  Article a = save(draft("a"));
  Article b = save(draft("b"));
  const auto window = std::chrono::duration_cast<std::chrono::milliseconds>(minutes(30));
  // s1: shown a and b, opened a, no ticket: deflected once its window is over.
  must(store().start_deflection_session({"s1", customer_.id, "drucker", at(0)}, {a.id, b.id}));
  must(store().record_deflection_open("s1", a.id, at(1000)));
  must(store().record_deflection_open("s1", a.id, at(2000)));  // twice counts once
  // s2: shown a, opened a, ticket anyway within the window (found by user and time).
  must(store().start_deflection_session({"s2", agent_.id, "drucker", at(10)}, {a.id}));
  must(store().record_deflection_open("s2", a.id, at(20)));
  TicketId t = create(draft_ticket("drucker")).ticket.id;
  must(store().record_deflection_ticket(std::nullopt, agent_.id, t, at(0), at(60'000)));
  // s3: a guest, shown nothing.
  must(store().start_deflection_session({"s3", std::nullopt, "xyz", at(30)}, {}));
  EXPECT_EQ(code_of(store().record_deflection_open("nope", a.id, at(40))), ErrorCode::not_found);

  auto early = must(store().deflection_figures(at(0), at(100), at(60'000), window));
  EXPECT_EQ(early.sessions, 3);
  EXPECT_EQ(early.with_suggestions, 2);
  EXPECT_EQ(early.opened, 2);
  EXPECT_EQ(early.deflected, 0) << "windows not over yet";
  EXPECT_EQ(early.tickets_filed, 1);
  EXPECT_EQ(early.pending, 2);

  auto later = must(store().deflection_figures(at(0), at(100), at(31 * 60'000), window));
  EXPECT_EQ(later.deflected, 1);
  EXPECT_EQ(later.pending, 0);
  ASSERT_EQ(later.articles.size(), 2u);
  EXPECT_EQ(later.articles[0].article, a.id);
  EXPECT_EQ(later.articles[0].suggested, 2);
  EXPECT_EQ(later.articles[0].opened, 2);
  EXPECT_EQ(later.articles[0].deflected, 1);
  EXPECT_EQ(later.articles[0].tickets_despite, 1);
  EXPECT_EQ(later.articles[1].article, b.id);
  EXPECT_EQ(later.articles[1].opened, 0);

  auto other_period = must(store().deflection_figures(at(100), at(200), at(31 * 60'000), window));
  EXPECT_EQ(other_period.sessions, 0);
}

}  // namespace
namespace {

TEST_P(KnowledgeBaseContract, SynonymGroupsAreReplacedAsAWhole) {
  EXPECT_TRUE(must(store().synonym_groups()).empty());
  must(store().replace_synonym_groups({{"vpn", "fernzugriff"}, {"drucker", "printer"}},
                                      event_of(event_type::synonyms_changed)));
  must(store().replace_synonym_groups({{"passwort", "kennwort", "password"}},
                                      event_of(event_type::synonyms_changed)));
  EXPECT_EQ(must(store().synonym_groups()),
            (std::vector<std::vector<std::string>>{{"passwort", "kennwort", "password"}}));
}

}  // namespace
}  // namespace fl::store_contract
