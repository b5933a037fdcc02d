// The analysis rules on their own: folding, the German verb-ending rule, stop words and the
// language guess.
#include "search/analysis.hpp"

#include <gtest/gtest.h>

namespace fl::search {

TEST(Fold, LowersAndFoldsGermanLetters) {
  EXPECT_EQ(fold("Zurücksetzen"), "zurucksetzen");
  EXPECT_EQ(fold("ÄÖÜ äöü ß"), "aou aou ss");
  EXPECT_EQ(fold("Straße"), "strasse");
}

TEST(Fold, FoldsOtherLatinAccents) {
  EXPECT_EQ(fold("Café Crème"), "cafe creme");
  EXPECT_EQ(fold("Æsir œuvre"), "aesir oeuvre");
  EXPECT_EQ(fold("łódź"), "lodz");
  EXPECT_EQ(fold("Šťastný Žluťoučký"), "stastny zlutoucky");
  EXPECT_EQ(fold("ſ ŵ Ÿ ő ů ř ĳ"), "s w y o u r ij");
}

TEST(Fold, DropsCombiningMarksAndKeepsOtherScripts) {
  EXPECT_EQ(fold("u\xcc\x88"), "u");  // u + combining diaeresis
  EXPECT_EQ(fold("Пароль"), "пароль");
}

TEST(Fold, EveryLatinExtendedALetterFoldsToAscii) {
  for (unsigned ch = 0x100; ch < 0x180; ++ch) {
    std::string s;
    s += static_cast<char>(0xc0 | (ch >> 6));
    s += static_cast<char>(0x80 | (ch & 0x3f));
    std::string f = fold(s);
    ASSERT_FALSE(f.empty()) << std::hex << ch;
    for (char c : f) EXPECT_TRUE(c >= 'a' && c <= 'z') << std::hex << ch << " -> " << f;
  }
}

TEST(GermanVerbEnding, StripsThirdPersonAndParticipleForms) {
  EXPECT_EQ(strip_german_verb_ending("druckt"), "druck");
  EXPECT_EQ(strip_german_verb_ending("startet"), "start");
  EXPECT_EQ(strip_german_verb_ending("installiert"), "installier");
  EXPECT_EQ(strip_german_verb_ending("passwort"), "passwor");
}

TEST(GermanVerbEnding, LeavesShortWordsAndVowelEndingsAlone) {
  EXPECT_FALSE(strip_german_verb_ending("geht"));
  EXPECT_FALSE(strip_german_verb_ending("paket"));
  EXPECT_FALSE(strip_german_verb_ending("arbeit"));
  EXPECT_FALSE(strip_german_verb_ending("druck"));
}

TEST(Stopwords, ArePerLanguage) {
  EXPECT_TRUE(is_stopword(Language::en, "the"));
  EXPECT_FALSE(is_stopword(Language::de, "the"));
  EXPECT_TRUE(is_stopword(Language::de, "fur"));
  EXPECT_FALSE(is_stopword(Language::en, "printer"));
}

TEST(GuessLanguage, CountsStopWords) {
  EXPECT_EQ(guess_language("Der Drucker druckt nicht mehr, was kann ich tun?"), Language::de);
  EXPECT_EQ(guess_language("The printer does not print any more, what can I do?"), Language::en);
  EXPECT_EQ(guess_language("Drucker kaputt, Störung"), Language::de);
  EXPECT_EQ(guess_language("Outlook crash"), Language::en);
}

TEST(TitleRepeatsOpening, OnlyForTheOpeningWordsCutShort) {
  // A title made of the body's first words, as an import without titles makes it.
  EXPECT_TRUE(title_repeats_opening("Debian GNU/Linux is a particular distribution",
                                    "Debian GNU/Linux is a particular distribution of the Linux "
                                    "operating system."));
  EXPECT_TRUE(title_repeats_opening("Über den Drucker", "über den  Drucker: er steht im Flur."));
  EXPECT_TRUE(title_repeats_opening("Restart it.", "Restart it."));  // the whole text
  // Real titles: a different sentence, or repeated as a heading above more text.
  EXPECT_FALSE(title_repeats_opening("Printer offline", "Restart the printer."));
  EXPECT_FALSE(title_repeats_opening("Passwort zurücksetzen",
                                     "Passwort zurücksetzen\n\nIm Portal auf Passwort vergessen."));
  EXPECT_FALSE(title_repeats_opening("VPN setup guide", "VPN setup"));
  EXPECT_FALSE(title_repeats_opening("", "Anything"));
}

TEST(Language, ParsesCodes) {
  EXPECT_EQ(parse_language("de"), Language::de);
  EXPECT_EQ(parse_language("en"), Language::en);
  EXPECT_FALSE(parse_language("fr"));
  EXPECT_EQ(code_of(Language::de), "de");
}

}  // namespace fl::search
