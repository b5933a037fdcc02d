#include "bot/intents.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace fl::bot {

namespace {

std::vector<IntentExample> examples() {
  std::vector<IntentExample> out;
  auto add = [&](const char* intent, std::initializer_list<const char*> texts) {
    for (const char* t : texts) out.push_back({intent, t});
  };
  add("printer", {"Drucker druckt nicht", "printer not printing", "paper jam in the printer",
                  "der Drucker zeigt Papierstau", "Druckauftrag hängt in der Warteschlange",
                  "print job stuck in queue", "printer prints blank pages",
                  "Drucker ist offline"});
  add("vpn", {"VPN verbindet nicht", "cannot connect to VPN", "remote access from home fails",
              "ich komme von zuhause nicht ins Firmennetz", "VPN client says authentication failed",
              "VPN bricht ständig ab", "VPN keeps disconnecting", "Fernzugriff geht nicht"});
  add("greeting", {"Hallo", "hi there", "Guten Morgen", "hello", "Servus", "good morning"});
  add("thanks", {"Danke", "thank you", "vielen Dank", "thanks a lot", "merci", "super, danke"});
  return out;
}

}  // namespace

TEST(IntentText, LowerCaseUmlautsAndPunctuation) {
  EXPECT_EQ(intent_text("  Der DRUCKER ist KAPUTT!!! "), "der drucker ist kaputt");
  EXPECT_EQ(intent_text("ÄRGER mit Größe, Übung"), "ärger mit grösse übung");
  EXPECT_EQ(intent_text("VPN-Client: Fehler 809?"), "vpn client fehler 809");
  EXPECT_EQ(intent_text("?!"), "");
}

TEST(IntentClassifier, FindsTheIntentOfUnseenPhrasings) {
  auto c = IntentClassifier::train(examples());
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->intents(), (std::vector<std::string>{"greeting", "printer", "thanks", "vpn"}));
  struct Case {
    const char* text;
    const char* intent;
  };
  for (const Case& k : {Case{"mein Drucker druckt gar nichts mehr", "printer"},
                        Case{"the printer has a paper jam again", "printer"},
                        Case{"VPN geht nicht", "vpn"},
                        Case{"can't connect to the vpn from home", "vpn"},
                        Case{"hallo!", "greeting"},
                        Case{"danke schön", "thanks"}}) {
    auto guesses = c->classify(k.text);
    ASSERT_FALSE(guesses.empty()) << k.text;
    EXPECT_EQ(guesses.front().intent, k.intent) << k.text;
    EXPECT_GT(guesses.front().confidence, 0.4) << k.text;
    for (std::size_t i = 1; i < guesses.size(); ++i)
      EXPECT_LE(guesses[i].confidence, guesses[i - 1].confidence) << "best first";
  }
}

TEST(IntentClassifier, UnrelatedTextHasNoConfidentIntent) {
  auto c = IntentClassifier::train(examples());
  ASSERT_TRUE(c);
  auto guesses = c->classify("How do I delete my Facebook account", 4);
  ASSERT_FALSE(guesses.empty());
  EXPECT_LT(guesses.front().confidence, 0.6);
  EXPECT_TRUE(c->classify("?!").empty()) << "nothing to classify";
}

TEST(IntentClassifier, TheSameExamplesGiveTheSameModel) {
  auto a = IntentClassifier::train(examples());
  auto b = IntentClassifier::train(examples());
  ASSERT_TRUE(a && b);
  for (const char* text : {"Drucker kaputt", "vpn problem", "moin"}) {
    auto x = a->classify(text, 4);
    auto y = b->classify(text, 4);
    ASSERT_EQ(x.size(), y.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
      EXPECT_EQ(x[i].intent, y[i].intent);
      EXPECT_DOUBLE_EQ(x[i].confidence, y[i].confidence);
    }
  }
}

TEST(IntentClassifier, ClassifiesFromManyThreadsAtOnce) {
  auto c = IntentClassifier::train(examples());
  ASSERT_TRUE(c);
  const auto expected = c->classify("Drucker druckt nicht", 2);
  std::vector<int> wrong(4, 0);
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < 500; ++i) {
          auto g = c->classify("Drucker druckt nicht", 2);
          if (g.size() != expected.size() || g[0].intent != expected[0].intent ||
              g[0].confidence != expected[0].confidence)
            ++wrong[t];
        }
      });
  }
  for (int w : wrong) EXPECT_EQ(w, 0);
}

TEST(IntentClassifier, NeedsTwoIntents) {
  EXPECT_EQ(IntentClassifier::train({}).error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(IntentClassifier::train({{"printer", "Drucker"}, {"printer", "printer"}}).error().code,
            ErrorCode::invalid_argument);
  EXPECT_EQ(IntentClassifier::train({{"two words", "x"}, {"b", "y"}}).error().code,
            ErrorCode::invalid_argument);
}

}  // namespace fl::bot
