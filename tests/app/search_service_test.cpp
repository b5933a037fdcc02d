#include "app/search_service.hpp"

#include <algorithm>

#include "app/knowledge_base.hpp"
#include "desk_fixture.hpp"

namespace fl::testing {

class SearchServiceTest : public DeskTest {
 protected:
  void SetUp() override {
    DeskTest::SetUp();
    kb = std::make_unique<KnowledgeBase>(*store, clock);
    open_indexes();
  }
  void open_indexes() {
    search.reset();
    article_index.reset();
    ticket_index.reset();
    article_index = ok(KnowledgeIndex::open(dir.path() / "search" / "articles"));
    ticket_index = ok(TicketIndex::open(dir.path() / "search" / "tickets"));
    search = std::make_unique<SearchService>(*store, *article_index, *ticket_index);
  }
  std::vector<ArticleId> article_hits(const Actor& who, std::string text) {
    std::vector<ArticleId> ids;
    for (const auto& h : ok(search->search_articles(who, {.text = text})).hits) ids.push_back(h.id);
    return ids;
  }
  std::vector<TicketId> ticket_hits(const Actor& who, std::string text) {
    std::vector<TicketId> ids;
    for (const auto& h : ok(search->search_tickets(who, text, 50)).hits) ids.push_back(h.id);
    return ids;
  }
  std::unique_ptr<KnowledgeBase> kb;
  std::unique_ptr<KnowledgeIndex> article_index;
  std::unique_ptr<TicketIndex> ticket_index;
  std::unique_ptr<SearchService> search;
};

TEST_F(SearchServiceTest, CustomersNeverFindInternalOrUnpublishedArticles) {
  Article pub = ok(kb->create(sup, {.title = "VPN verbinden", .body = "Client starten.", .language = "de",
                                    .status = ArticleStatus::published}));
  Article internal = ok(kb->create(sup, {.title = "VPN Gateway neu starten", .language = "de",
                                         .audience = Audience::internal, .status = ArticleStatus::published}));
  Article draft = ok(kb->create(l1, {.title = "VPN Entwurf", .language = "de"}));
  ok(search->catch_up());
  EXPECT_EQ(article_hits(c1, "vpn"), std::vector<ArticleId>{pub.id});
  EXPECT_EQ(article_hits(Actor{}, "vpn"), std::vector<ArticleId>{pub.id}) << "a guest";
  EXPECT_EQ(article_hits(va, "vpn"), std::vector<ArticleId>{pub.id});
  auto staff = article_hits(l1, "vpn");
  EXPECT_EQ(staff.size(), 2u) << "agents find internal articles, not drafts";
  EXPECT_EQ(std::ranges::count(staff, draft.id), 0);
  EXPECT_EQ(std::ranges::count(staff, internal.id), 1);
  for (const auto& s : ok(search->suggest(c1, "vpn", std::nullopt, 10))) EXPECT_EQ(s.id, pub.id);
}

TEST_F(SearchServiceTest, TicketSearchFollowsTheAccessRules) {
  Ticket mine = open_ticket(c1, "Drucker druckt leere Seiten");
  Ticket theirs = open_ticket(c2, "Drucker im Lager offline");
  ok(tickets->add_entry(l1, mine.id, {EntryKind::note, "Geheimnis: Toner bestellt", std::nullopt}));
  ok(search->catch_up());
  EXPECT_EQ(ticket_hits(c1, "drucker"), std::vector<TicketId>{mine.id});
  EXPECT_EQ(ticket_hits(c2, "drucker"), std::vector<TicketId>{theirs.id});
  EXPECT_TRUE(ticket_hits(c1, "geheimnis").empty()) << "customers never match internal notes";
  EXPECT_EQ(ticket_hits(l1, "geheimnis"), std::vector<TicketId>{mine.id});
  EXPECT_EQ(ticket_hits(pa, "drucker"), std::vector<TicketId>{theirs.id}) << "the partner desk's fence";
  EXPECT_TRUE(ticket_hits(va, "drucker").empty());
  EXPECT_EQ(ticket_hits(sup, "drucker").size(), 2u);
}

TEST_F(SearchServiceTest, ChangesAreFoundAfterTheNextCatchUp) {
  Ticket t = open_ticket(c1, "Monitor flackert");
  ok(search->catch_up());
  EXPECT_TRUE(ticket_hits(l1, "tastatur").empty());
  ok(tickets->add_entry(c1, t.id, {EntryKind::reply, "Jetzt auch die Tastatur.", std::nullopt}));
  EXPECT_EQ(ok(search->catch_up()), 1) << "one event: the entry";
  EXPECT_EQ(ticket_hits(l1, "tastatur"), std::vector<TicketId>{t.id});
  EXPECT_EQ(ok(search->catch_up()), 0);
}

TEST_F(SearchServiceTest, AMovedCategoryTakesItsArticlesAlong) {
  Category hardware = ok(kb->create_category(sup, {0, "Hardware", std::nullopt}));
  Category network = ok(kb->create_category(sup, {0, "Netzwerk", std::nullopt}));
  Category vpn = ok(kb->create_category(sup, {0, "VPN", hardware.id}));
  Article a = ok(kb->create(sup, {.title = "VPN verbinden", .language = "de", .category = vpn.id,
                                  .status = ArticleStatus::published}));
  ok(search->catch_up());
  auto in = [&](CategoryId c) {
    return ok(search->search_articles(l1, {.text = "vpn", .category = c})).hits.size();
  };
  EXPECT_EQ(in(hardware.id), 1u);
  EXPECT_EQ(in(network.id), 0u);
  ok(kb->change_category(sup, {.id = vpn.id, .parent = network.id}));
  ok(search->catch_up());
  EXPECT_EQ(in(hardware.id), 0u);
  EXPECT_EQ(in(network.id), 1u) << "article " << a.id << " under the new parent";
}

// A crash between the store's commit and the index's: the index never saw the change. On
// the next start, catch_up() replays the feed from the index's own cursor.
TEST_F(SearchServiceTest, IndexCatchesUpAfterACrash) {
  Article a = ok(kb->create(sup, {.title = "Drucker einrichten", .language = "de", .status = ArticleStatus::published}));
  ok(search->catch_up());
  Ticket missed = open_ticket(c1, "Scanner sendet keine Mails");
  ok(kb->update(sup, a.id, {.version = 1, .title = "Netzwerkdrucker einrichten"}));
  open_indexes();  // "restart": the indexes were never told
  EXPECT_TRUE(ticket_hits(l1, "scanner").empty());
  EXPECT_GT(ok(search->catch_up()), 0);
  EXPECT_EQ(ticket_hits(l1, "scanner"), std::vector<TicketId>{missed.id});
  auto hits = ok(search->search_articles(c1, {.text = "netzwerkdrucker"})).hits;
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].title, "Netzwerkdrucker einrichten");
}

TEST_F(SearchServiceTest, AdminSynonymsReachTheIndex) {
  Article a = ok(kb->create(sup, {.title = "Fernzugriff einrichten", .language = "de",
                                  .status = ArticleStatus::published}));
  ok(search->catch_up());
  EXPECT_TRUE(article_hits(c1, "vpn").empty());
  EXPECT_EQ(kb->set_synonyms(l1, {{"VPN", "Fernzugriff"}}).error().code, ErrorCode::permission_denied);
  EXPECT_EQ(kb->set_synonyms(sup, {{"VPN"}}).error().fields.at(0).field, "groups");
  ASSERT_TRUE(kb->set_synonyms(sup, {{"VPN", " Fernzugriff ", "remote access"}}));
  EXPECT_EQ(ok(kb->synonyms(l1)), (std::vector<std::vector<std::string>>{{"VPN", "Fernzugriff", "remote access"}}));
  ok(search->catch_up());
  EXPECT_EQ(article_hits(c1, "vpn"), std::vector<ArticleId>{a.id});
}

TEST_F(SearchServiceTest, ArticlesThatMayHelpATicket) {
  Article pub = ok(kb->create(sup, {.title = "Drucker druckt leere Seiten", .body = "Toner prüfen.",
                                    .language = "de", .status = ArticleStatus::published}));
  ok(kb->create(sup, {.title = "Drucker intern: Wartungsvertrag", .language = "de",
                      .audience = Audience::internal, .status = ArticleStatus::published}));
  Ticket t = open_ticket(c1, "Mein Drucker druckt leere Seiten");
  ok(search->catch_up());
  auto hits = ok(search->articles_for_ticket(l1, t.id, 5));
  ASSERT_EQ(hits.size(), 1u) << "only what the requester may read";
  EXPECT_EQ(hits[0].id, pub.id);
  EXPECT_EQ(search->articles_for_ticket(c2, t.id, 5).error().code, ErrorCode::not_found);
}

TEST_F(SearchServiceTest, ReindexRebuildsFromTheStore) {
  open_ticket(c1, "Laptop startet nicht");
  ok(kb->create(sup, {.title = "Laptop Akku tauschen", .language = "de", .status = ArticleStatus::published}));
  auto report = ok(search->reindex());
  EXPECT_EQ(report.tickets, 1);
  EXPECT_EQ(report.articles, 1);
  EXPECT_EQ(ticket_hits(l1, "laptop").size(), 1u);
  EXPECT_EQ(article_hits(c1, "laptop").size(), 1u);
  EXPECT_EQ(ok(search->catch_up()), 0) << "the cursor moved to the newest event";
}

TEST_F(SearchServiceTest, ReindexOfOneIndexLeavesTheOtherAndItsCursor) {
  ok(kb->create(sup, {.title = "Laptop Akku tauschen", .language = "de", .status = ArticleStatus::published}));
  auto articles_only = ok(search->reindex(ReindexScope::articles));
  EXPECT_EQ(articles_only.articles, 1);
  EXPECT_EQ(articles_only.tickets, 0);
  EXPECT_EQ(article_hits(c1, "laptop").size(), 1u);
  open_ticket(c1, "Laptop startet nicht");
  auto tickets_only = ok(search->reindex(ReindexScope::tickets));
  EXPECT_EQ(tickets_only.articles, 0);
  EXPECT_EQ(tickets_only.tickets, 1);
  EXPECT_EQ(ticket_hits(l1, "laptop").size(), 1u);
  // The article index's cursor stayed before the ticket's events: they are applied again
  // (idempotently) by the next catch-up, nothing is skipped.
  EXPECT_GT(ok(search->catch_up()), 0);
  EXPECT_EQ(ok(search->catch_up()), 0);
}

}  // namespace fl::testing
