#include "app/kb_transfer.hpp"

#include <sstream>

#include "desk_fixture.hpp"

namespace fl::testing {

TEST(ArticleFiles, MarkdownWithFrontMatter) {
  auto f = parse_markdown_article(
      "---\r\ntitle: \"VPN: Verbindung bricht ab\"\nlanguage: de\nkind: troubleshooting\n"
      "status: published\ncategory: Netzwerk/VPN\nkeywords: VPN, Fernzugriff ,\n---\n\n# Schritte\n",
      "vpn.md");
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f->article.title, "VPN: Verbindung bricht ab");
  EXPECT_EQ(f->article.language, "de");
  EXPECT_EQ(f->article.kind, ArticleKind::troubleshooting);
  EXPECT_EQ(f->article.status, ArticleStatus::published);
  EXPECT_EQ(f->category_path, "Netzwerk/VPN");
  EXPECT_EQ(f->article.keywords, (std::vector<std::string>{"VPN", "Fernzugriff"}));
  EXPECT_EQ(f->article.body, "# Schritte\n");
}

TEST(ArticleFiles, ErrorsNameTheFileAndKey) {
  auto none = parse_markdown_article("# just markdown\n", "a.md");
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("a.md"), std::string::npos);
  auto unknown = parse_markdown_article("---\ntitle: x\ncolour: red\n---\n", "b.md");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("b.md: colour: unknown key"), std::string::npos);
  auto bad_kind = parse_markdown_article("---\ntitle: x\nkind: poem\n---\n", "c.md");
  ASSERT_FALSE(bad_kind);
  EXPECT_NE(bad_kind.error().message.find("c.md: kind: one of: faq"), std::string::npos);
  auto unclosed = parse_markdown_article("---\ntitle: x\n", "d.md");
  EXPECT_FALSE(unclosed);
  auto line = parse_article_lines("{\"title\":\"ok\"}\n\n{\"title\":\"x\",\"kind\":5}\n", "kb.jsonl");
  ASSERT_FALSE(line);
  EXPECT_NE(line.error().message.find("kb.jsonl:3"), std::string::npos);
}

class KbTransferTest : public DeskTest {
 protected:
  void SetUp() override {
    DeskTest::SetUp();
    kb = std::make_unique<KnowledgeBase>(*store, clock);
  }
  std::unique_ptr<KnowledgeBase> kb;
};

TEST_F(KbTransferTest, ImportCreatesCategoriesAndExportRoundTrips) {
  auto files = parse_article_lines(
      R"({"title":"Passwort zurücksetzen","body":"Im **Portal**.","language":"de","kind":"howto","status":"published","category":"Konten/Passwort","keywords":["passwort","login"]}
{"title":"Printer offline","body":"Restart it.","language":"en","category":"Hardware"}
{"title":"Bad language","language":"fr"}
)",
      "kb.jsonl");
  ASSERT_TRUE(files) << files.error().message;
  auto report = DeskTest::ok(import_articles(*kb, sup, *files));
  EXPECT_EQ(report.created, 2);
  ASSERT_EQ(report.failed.size(), 1u);
  EXPECT_NE(report.failed[0].find("kb.jsonl:3"), std::string::npos);
  auto categories = DeskTest::ok(kb->categories());
  EXPECT_EQ(categories.size(), 3u);  // Konten, Konten/Passwort, Hardware

  std::ostringstream out;
  ASSERT_TRUE(export_article_lines(*kb, sup, out));
  std::string exported = out.str();
  EXPECT_NE(exported.find("\"category\":\"Konten/Passwort\""), std::string::npos);
  // Importing the export again updates the same articles instead of duplicating them.
  auto again = DeskTest::ok(import_articles(*kb, sup, DeskTest::ok(parse_article_lines(exported, "export"))));
  EXPECT_EQ(again.created, 0);
  EXPECT_EQ(again.updated, 2);
  EXPECT_EQ(DeskTest::ok(kb->list(sup, {})).size(), 2u);
  EXPECT_EQ(DeskTest::ok(kb->categories()).size(), 3u);
}

TEST_F(KbTransferTest, MarkdownExportReadsBack) {
  Article a = DeskTest::ok(kb->create(sup, {.title = "VPN", .body = "Steps.\n", .keywords = {"vpn", "remote"}}));
  auto text = to_markdown_file(a, "Netzwerk");
  auto back = parse_markdown_article(text, "x.md");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->id, a.id);
  EXPECT_EQ(back->article.title, "VPN");
  EXPECT_EQ(back->article.body, "Steps.\n");
  EXPECT_EQ(back->category_path, "Netzwerk");
  EXPECT_EQ(back->article.keywords, (std::vector<std::string>{"remote", "vpn"}));
}

TEST_F(KbTransferTest, ImportNeedsTheRights) {
  auto files = DeskTest::ok(parse_article_lines(R"({"title":"x","status":"published"})", "a"));
  auto report = DeskTest::ok(import_articles(*kb, l1, files));
  EXPECT_EQ(report.created, 0);
  ASSERT_EQ(report.failed.size(), 1u);
  EXPECT_NE(report.failed[0].find("publish"), std::string::npos);
}

}  // namespace fl::testing
