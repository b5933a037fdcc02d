#include "core/grounded_answer.hpp"

#include <gtest/gtest.h>

namespace fl {

namespace {

std::vector<Passage> passages() {
  return {{11, "VPN-Client neu verbinden", "Beenden Sie den Client vollständig ..."},
          {22, "MFA-Code ungültig", "Die Uhr des Telefons muss stimmen ..."},
          {33, "Drucker offline", "Drucker aus- und einschalten ..."}};
}

}  // namespace

TEST(GroundedAnswer, MessagesNumberThePassagesAndAskInTheLanguage) {
  auto de = grounded_messages("VPN geht nicht", "de", passages());
  ASSERT_EQ(de.size(), 2u);
  EXPECT_EQ(de[0].role, "system");
  EXPECT_NE(de[0].content.find("auf Deutsch"), std::string::npos);
  EXPECT_NE(de[0].content.find(kNoAnswer), std::string::npos);
  EXPECT_EQ(de[1].role, "user");
  EXPECT_NE(de[1].content.find("[1] VPN-Client neu verbinden"), std::string::npos);
  EXPECT_NE(de[1].content.find("[3] Drucker offline"), std::string::npos);
  EXPECT_NE(de[1].content.find("Frage: VPN geht nicht"), std::string::npos);
  auto en = grounded_messages("VPN broken", "en", passages());
  EXPECT_NE(en[0].content.find("in English"), std::string::npos);
  EXPECT_NE(en[1].content.find("Question: VPN broken"), std::string::npos);
}

TEST(GroundedAnswer, CitationsBecomeSourcesInOrder) {
  auto a = read_cited_answer(
      "  Beenden Sie den Client [1]. Prüfen Sie die Uhrzeit des Telefons [2][1].  ", passages());
  ASSERT_TRUE(a);
  EXPECT_EQ(a->text, "Beenden Sie den Client [1]. Prüfen Sie die Uhrzeit des Telefons [2][1].");
  EXPECT_EQ(a->sources, (std::vector<ArticleId>{11, 22}));
  auto list = read_cited_answer("Both help [3, 1].", passages());
  ASSERT_TRUE(list);
  EXPECT_EQ(list->sources, (std::vector<ArticleId>{33, 11}));
  auto other_brackets = read_cited_answer("Press [Ctrl] and see [2].", passages());
  ASSERT_TRUE(other_brackets);
  EXPECT_EQ(other_brackets->sources, (std::vector<ArticleId>{22}));
}

TEST(GroundedAnswer, AnswersThatMayNotBeShown) {
  EXPECT_FALSE(read_cited_answer("NO_ANSWER", passages())) << "the model says it cannot";
  EXPECT_FALSE(read_cited_answer("Leider NO_ANSWER.", passages()));
  EXPECT_FALSE(read_cited_answer("   ", passages()));
  EXPECT_FALSE(read_cited_answer("Restart the client.", passages())) << "cites nothing";
  EXPECT_FALSE(read_cited_answer("Restart it [4].", passages())) << "no passage 4";
  EXPECT_FALSE(read_cited_answer("Restart it [1] or [0].", passages())) << "no passage 0";
  EXPECT_FALSE(read_cited_answer("Restart it [1].", {})) << "nothing retrieved";
}

}  // namespace fl
