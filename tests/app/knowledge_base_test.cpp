#include "app/knowledge_base.hpp"

#include "desk_fixture.hpp"

namespace fl::testing {

class KnowledgeBaseTest : public DeskTest {
 protected:
  void SetUp() override {
    DeskTest::SetUp();
    kb = std::make_unique<KnowledgeBase>(*store, clock);
  }
  Article write(const Actor& who, std::string title, ArticleStatus status = ArticleStatus::draft,
                Audience audience = Audience::public_, std::string language = "en") {
    return ok(kb->create(who, {.title = title,
                               .body = "Steps.",
                               .language = language,
                               .audience = audience,
                               .status = status}));
  }
  std::unique_ptr<KnowledgeBase> kb;
};

TEST_F(KnowledgeBaseTest, AgentsWriteDraftsSupervisorsPublish) {
  Article draft = write(l1, "Reset your password");
  EXPECT_EQ(draft.status, ArticleStatus::draft);
  EXPECT_EQ(draft.author, l1.user.id);
  EXPECT_EQ(kb->create(l1, {.title = "x", .status = ArticleStatus::published}).error().code,
            ErrorCode::permission_denied);
  EXPECT_EQ(
      kb->update(l1, draft.id, {.version = 1, .status = ArticleStatus::published}).error().code,
      ErrorCode::permission_denied);
  Article published =
      ok(kb->update(sup, draft.id, {.version = 1, .status = ArticleStatus::published}));
  EXPECT_EQ(published.version, 2);
  // What readers see changes only through a supervisor.
  EXPECT_EQ(kb->update(l1, draft.id, {.version = 2, .title = "Reset it"}).error().code,
            ErrorCode::permission_denied);
  EXPECT_EQ(kb->restore(l1, draft.id, 1).error().code, ErrorCode::permission_denied);
  Article edited = ok(kb->update(sup, draft.id, {.version = 2, .title = "Reset it"}));
  Article back =
      ok(kb->update(sup, draft.id, {.version = edited.version, .status = ArticleStatus::draft}));
  EXPECT_TRUE(kb->update(l1, draft.id, {.version = back.version, .body = "Now the agent edits."}));
  EXPECT_EQ(kb->create(c1, {.title = "x"}).error().code, ErrorCode::permission_denied);
  EXPECT_EQ(kb->create(va, {.title = "x"}).error().code, ErrorCode::permission_denied);
}

// An agent's change of a published article waits as a revision; readers keep the published
// text until a supervisor publishes it.
TEST_F(KnowledgeBaseTest, AgentsProposeRevisionsSupervisorsPublishThem) {
  Article a = write(sup, "Reset your password", ArticleStatus::published);
  Article draft = write(l1, "draft");
  EXPECT_EQ(kb->propose_revision(l1, draft.id, {.version = 1, .title = "x"}).error().code,
            ErrorCode::failed_precondition);  // drafts are edited directly
  EXPECT_EQ(kb->propose_revision(l1, a.id, {.version = 1, .status = ArticleStatus::archived})
                .error()
                .code,
            ErrorCode::invalid_argument);
  EXPECT_EQ(kb->propose_revision(l1, a.id, {.version = 7, .title = "x"}).error().code,
            ErrorCode::conflict);
  EXPECT_EQ(kb->propose_revision(c1, a.id, {.version = 1, .title = "x"}).error().code,
            ErrorCode::not_found);
  Article proposal = ok(kb->propose_revision(l1, a.id, {.version = 1, .body = "New steps."}));
  EXPECT_EQ(proposal.version, 1);
  EXPECT_EQ(proposal.author, l1.user.id);
  EXPECT_EQ(ok(kb->view(c1, a.id)).body, "Steps.");  // readers see the published text
  EXPECT_EQ(ok(kb->revision(l2, a.id)).body, "New steps.");
  EXPECT_EQ(kb->revision(c1, a.id).error().code, ErrorCode::not_found);
  EXPECT_EQ(kb->publish_revision(l1, a.id, 1).error().code, ErrorCode::permission_denied);
  EXPECT_EQ(kb->discard_revision(l2, a.id).error().code, ErrorCode::permission_denied);
  EXPECT_EQ(kb->publish_revision(sup, a.id, 3).error().code, ErrorCode::conflict);
  Article published = ok(kb->publish_revision(sup, a.id, 1));
  EXPECT_EQ(published.version, 2);
  EXPECT_EQ(published.body, "New steps.");
  EXPECT_EQ(published.author, l1.user.id);
  EXPECT_EQ(published.status, ArticleStatus::published);
  EXPECT_EQ(kb->revision(sup, a.id).error().code, ErrorCode::not_found);
  // A revision of an older version is refused; its author may discard it.
  ok(kb->propose_revision(l1, a.id, {.version = 2, .title = "Passwords"}));
  ok(kb->update(sup, a.id, {.version = 2, .title = "Reset a password"}));
  EXPECT_EQ(kb->publish_revision(sup, a.id, 3).error().code, ErrorCode::conflict);
  EXPECT_TRUE(kb->discard_revision(l1, a.id));
  EXPECT_EQ(kb->revision(l1, a.id).error().code, ErrorCode::not_found);
}

TEST_F(KnowledgeBaseTest, ReadersSeeOnlyPublishedPublicArticles) {
  Article draft = write(l1, "draft");
  Article internal = write(sup, "internal", ArticleStatus::published, Audience::internal);
  Article published = write(sup, "public", ArticleStatus::published);
  Actor guest;  // not logged in
  for (const Actor* reader : {&c1, &va, &guest}) {
    EXPECT_EQ(kb->get(*reader, draft.id).error().code, ErrorCode::not_found);
    EXPECT_EQ(kb->get(*reader, internal.id).error().code, ErrorCode::not_found);
    EXPECT_TRUE(kb->get(*reader, published.id));
    auto listed = ok(kb->list(*reader, {}));
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].id, published.id);
    EXPECT_TRUE(ok(kb->list(*reader, {.status = ArticleStatus::draft})).empty());
  }
  EXPECT_EQ(ok(kb->list(l1, {})).size(), 3u);
  EXPECT_TRUE(kb->get(l2, internal.id));
}

TEST_F(KnowledgeBaseTest, VersionsCanBeListedAndRestored) {
  Article a = write(l1, "first title");
  a = ok(kb->update(l1, a.id, {.version = 1, .title = "second title", .body = "new body"}));
  EXPECT_EQ(kb->update(l2, a.id, {.version = 1, .title = "stale"}).error().code,
            ErrorCode::conflict);
  Article restored = ok(kb->restore(l2, a.id, 1));
  EXPECT_EQ(restored.version, 3);
  EXPECT_EQ(restored.title, "first title");
  EXPECT_EQ(restored.body, "Steps.");
  EXPECT_EQ(restored.author, l2.user.id);
  auto history = ok(kb->history(l1, a.id));
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[1].title, "second title");
  EXPECT_EQ(kb->history(c1, a.id).error().code, ErrorCode::not_found);
  EXPECT_EQ(kb->restore(l1, a.id, 9).error().code, ErrorCode::not_found);
}

TEST_F(KnowledgeBaseTest, TranslationsAreLinked) {
  Article de =
      write(sup, "Passwort zurücksetzen", ArticleStatus::published, Audience::public_, "de");
  Article en = ok(kb->create(sup, {.title = "Reset your password",
                                   .language = "en",
                                   .translation_of = de.id,
                                   .status = ArticleStatus::published}));
  auto of_de = ok(kb->translations(c1, de.id));
  ASSERT_EQ(of_de.size(), 1u);
  EXPECT_EQ(of_de[0].id, en.id);
  auto of_en = ok(kb->translations(c1, en.id));
  ASSERT_EQ(of_en.size(), 1u);
  EXPECT_EQ(of_en[0].id, de.id);
  EXPECT_EQ(kb->create(sup, {.title = "x", .language = "de", .translation_of = de.id})
                .error()
                .fields.at(0)
                .field,
            "translation_of");
}

TEST_F(KnowledgeBaseTest, ViewsAndVotesAreCounted) {
  Article a = write(sup, "VPN", ArticleStatus::published);
  ok(kb->view(c1, a.id));
  Article seen = ok(kb->view(c2, a.id));
  EXPECT_EQ(seen.views, 2);
  EXPECT_TRUE(kb->vote(c1, a.id, true));
  EXPECT_TRUE(kb->vote(c1, a.id, true));  // once per person
  EXPECT_TRUE(kb->vote(c2, a.id, false));
  Actor guest;
  EXPECT_EQ(kb->vote(guest, a.id, true).error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(kb->vote(guest, a.id, true, "short").error().code, ErrorCode::invalid_argument);
  EXPECT_TRUE(kb->vote(guest, a.id, false, "browser-7f3a9c"));
  EXPECT_TRUE(kb->vote(guest, a.id, false, "browser-7f3a9c"));
  Article after = ok(kb->get(l1, a.id));
  EXPECT_EQ(after.helpful, 1);
  EXPECT_EQ(after.not_helpful, 2);
  EXPECT_EQ(after.version, 1);
  Article draft = write(l1, "draft");
  EXPECT_EQ(kb->vote(c1, draft.id, true).error().code, ErrorCode::not_found);
}

TEST_F(KnowledgeBaseTest, ValidationNamesTheField) {
  auto r = kb->create(l1, {.title = " ", .language = "fr"});
  ASSERT_FALSE(r);
  ASSERT_EQ(r.error().fields.size(), 2u);
  EXPECT_EQ(r.error().fields[0].field, "title");
  EXPECT_EQ(r.error().fields[1].field, "language");
}

TEST_F(KnowledgeBaseTest, ResolvedTicketBecomesADraftInOneStep) {
  Ticket t = open_ticket(c1, "Drucker druckt leere Seiten");
  EXPECT_EQ(kb->draft_from_ticket(l1, t.id).error().code, ErrorCode::failed_precondition);
  ok(tickets->escalate(l1, t.id, {.to_line = 2, .handoff_note = "Toner getauscht, Treiber neu"}));
  ok(tickets->add_entry(l2, t.id, {EntryKind::reply, "Fixiereinheit ersetzt.", std::nullopt}));
  ok(tickets->update(l2, t.id, {.status = TicketStatus::resolved}));
  Article draft = ok(kb->draft_from_ticket(l1, t.id));
  EXPECT_EQ(draft.title, "Drucker druckt leere Seiten");
  EXPECT_EQ(draft.status, ArticleStatus::draft);
  EXPECT_EQ(draft.audience, Audience::internal);
  EXPECT_EQ(draft.kind, ArticleKind::troubleshooting);
  EXPECT_NE(draft.body.find("It started today."), std::string::npos);
  EXPECT_NE(draft.body.find("Toner getauscht"), std::string::npos);
  EXPECT_NE(draft.body.find("Fixiereinheit ersetzt."), std::string::npos);
  auto linked = ok(kb->linked_articles(l1, t.id));
  ASSERT_EQ(linked.size(), 1u);
  EXPECT_EQ(linked[0].id, draft.id);
  EXPECT_TRUE(ok(kb->linked_articles(c1, t.id)).empty()) << "the internal draft stays hidden";
}

TEST_F(KnowledgeBaseTest, OnlyThoseWhoWriteOnTheTicketLinkArticles) {
  Article a = write(sup, "VPN", ArticleStatus::published);
  Ticket t = open_ticket(c1);
  EXPECT_EQ(kb->link_to_ticket(c1, t.id, a.id).error().code, ErrorCode::permission_denied);
  EXPECT_EQ(kb->link_to_ticket(va, t.id, a.id).error().code, ErrorCode::not_found);
  EXPECT_TRUE(kb->link_to_ticket(l1, t.id, a.id));
  EXPECT_EQ(ok(kb->linked_articles(c1, t.id)).size(), 1u);
}

TEST_F(KnowledgeBaseTest, CategoriesAreManagedBySupervisors) {
  EXPECT_EQ(kb->create_category(l1, {0, "Hardware", std::nullopt}).error().code,
            ErrorCode::permission_denied);
  Category hw = ok(kb->create_category(sup, {0, "Hardware", std::nullopt}));
  Category printers = ok(kb->create_category(sup, {0, "Drucker", hw.id}));
  EXPECT_EQ(printers.parent, hw.id);
  EXPECT_EQ(ok(kb->categories()).size(), 2u);
}

TEST_F(KnowledgeBaseTest, CategoriesAreRenamedAndMovedButNeverUnderThemselves) {
  Category hw = ok(kb->create_category(sup, {0, "Hardware", std::nullopt}));
  Category printers = ok(kb->create_category(sup, {0, "Drucker", hw.id}));
  Category laser = ok(kb->create_category(sup, {0, "Laser", printers.id}));
  EXPECT_EQ(kb->change_category(l1, {.id = printers.id, .name = "Printers"}).error().code,
            ErrorCode::permission_denied);
  EXPECT_EQ(ok(kb->change_category(sup, {.id = printers.id, .name = "  Printers "})).name,
            "Printers");
  EXPECT_EQ(kb->change_category(sup, {.id = 999, .name = "x"}).error().code, ErrorCode::not_found);
  EXPECT_EQ(kb->change_category(sup, {.id = printers.id, .name = ""}).error().code,
            ErrorCode::invalid_argument);
  // Under itself or its own grandchild: a cycle.
  EXPECT_EQ(kb->change_category(sup, {.id = printers.id, .parent = printers.id}).error().code,
            ErrorCode::invalid_argument);
  EXPECT_EQ(kb->change_category(sup, {.id = hw.id, .parent = laser.id}).error().code,
            ErrorCode::invalid_argument);
  EXPECT_EQ(kb->change_category(sup, {.id = hw.id, .parent = 999}).error().code,
            ErrorCode::invalid_argument);
  // To the top, then under another branch.
  Category top = ok(kb->change_category(
      sup, {.id = laser.id, .parent = std::optional<CategoryId>{}}));
  EXPECT_FALSE(top.parent);
  EXPECT_EQ(ok(kb->change_category(sup, {.id = laser.id, .parent = hw.id})).parent, hw.id);
  // Names are unique among siblings only.
  EXPECT_EQ(kb->change_category(sup, {.id = printers.id, .name = "Laser"}).error().code,
            ErrorCode::conflict);
  ok(kb->change_category(sup, {.id = laser.id, .parent = std::optional<CategoryId>{}}));
  EXPECT_EQ(ok(kb->change_category(sup, {.id = printers.id, .name = "Laser"})).name, "Laser");
}

}  // namespace fl::testing
