// Slot kinds: what each accepts, how it is normalised, and the hint when it does not fit.
#include "bot/slot.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fl::bot {
namespace {

using ::testing::HasSubstr;

std::string value(SlotKind kind, std::string_view input, std::optional<double> min = {},
                  std::optional<double> max = {}) {
  auto v = normalise_slot({kind, min, max}, input);
  EXPECT_TRUE(v) << name_of(kind) << " refused \"" << input << "\": " << (v ? "" : v.error().en);
  return v.value_or("<refused>");
}

// The hint for input the kind refuses, in German and English joined by " | ".
std::string refusal(SlotKind kind, std::string_view input, std::optional<double> min = {},
                    std::optional<double> max = {}) {
  auto v = normalise_slot({kind, min, max}, input);
  EXPECT_FALSE(v) << name_of(kind) << " accepted \"" << input << "\" as " << v.value_or("");
  return v ? "<accepted>" : v.error().de + " | " + v.error().en;
}

TEST(BotSlotTest, TextIsTrimmedAndMeasuredInCharacters) {
  EXPECT_EQ(value(SlotKind::text, "  Drucker im 2. OG  "), "Drucker im 2. OG");
  EXPECT_EQ(value(SlotKind::text, "äöü", 3, 3), "äöü") << "three characters, six bytes";
  EXPECT_THAT(refusal(SlotKind::text, "ab", 3), HasSubstr("mindestens 3 Zeichen"));
  EXPECT_THAT(refusal(SlotKind::text, "abcdef", 1, 5), HasSubstr("at most 5 characters"));
  EXPECT_THAT(refusal(SlotKind::text, "   "), HasSubstr("Please type an answer"));
  EXPECT_EQ(refusal(SlotKind::text, std::string(1001, 'x')).find("1000") != std::string::npos, true)
      << "text defaults to at most 1000";
}

TEST(BotSlotTest, NumbersAreFoundInTheTextAndKeptInRange) {
  EXPECT_EQ(value(SlotKind::number, "5"), "5");
  EXPECT_EQ(value(SlotKind::number, "ca. 12 Kollegen"), "12");
  EXPECT_EQ(value(SlotKind::number, "2,5"), "2.5") << "German decimal comma";
  EXPECT_EQ(value(SlotKind::number, "about 3.5 GB"), "3.5");
  EXPECT_EQ(value(SlotKind::number, "-2", -5), "-2");
  EXPECT_THAT(refusal(SlotKind::number, "viele"), HasSubstr("Please enter a number"));
  EXPECT_THAT(refusal(SlotKind::number, "2 oder 3"), HasSubstr("eine Zahl an"));
  EXPECT_THAT(refusal(SlotKind::number, "50", 1, 10), HasSubstr("von 1 bis 10"));
  EXPECT_THAT(refusal(SlotKind::number, "0", 1), HasSubstr("at least 1"));
}

TEST(BotSlotTest, YesNoInGermanAndEnglish) {
  for (auto yes :
       {"ja", "Ja!", "j", "jo", "JAWOHL", "yes", "Y", "yep", "ok", "hat geholfen", "it works now"})
    EXPECT_EQ(value(SlotKind::yes_no, yes), "yes") << yes;
  for (auto no : {"nein", "Nein.", "n", "nö", "nee", "no", "nope", "hat nicht geholfen",
                  "geht immer noch nicht", "still doesn't work", "ja, aber leider nicht"})
    EXPECT_EQ(value(SlotKind::yes_no, no), "no") << no;
  EXPECT_THAT(refusal(SlotKind::yes_no, "vielleicht"), HasSubstr("Ja oder Nein"));
  EXPECT_THAT(refusal(SlotKind::yes_no, "maybe"), HasSubstr("yes or no"));
}

TEST(BotSlotTest, OperatingSystemsGetOneSpelling) {
  EXPECT_EQ(value(SlotKind::os, "win 11"), "Windows 11");
  EXPECT_EQ(value(SlotKind::os, "Windows11"), "Windows 11");
  EXPECT_EQ(value(SlotKind::os, "windows 10 pro"), "Windows 10");
  EXPECT_EQ(value(SlotKind::os, "Win10"), "Windows 10");
  EXPECT_EQ(value(SlotKind::os, "Windows"), "Windows");
  EXPECT_EQ(value(SlotKind::os, "ich hab windows glaub ich"), "Windows");
  EXPECT_EQ(value(SlotKind::os, "macos sonoma"), "macOS");
  EXPECT_EQ(value(SlotKind::os, "MacBook Air"), "macOS");
  EXPECT_EQ(value(SlotKind::os, "Mac OS X"), "macOS");
  EXPECT_EQ(value(SlotKind::os, "ubuntu 22.04"), "Linux (Ubuntu 22.04)");
  EXPECT_EQ(value(SlotKind::os, "Debian"), "Linux (Debian)");
  EXPECT_EQ(value(SlotKind::os, "linux"), "Linux");
  EXPECT_EQ(value(SlotKind::os, "iPhone 13"), "iOS");
  EXPECT_EQ(value(SlotKind::os, "mein iPad"), "iOS");
  EXPECT_EQ(value(SlotKind::os, "android"), "Android");
  EXPECT_EQ(value(SlotKind::os, "Chromebook"), "ChromeOS");
  EXPECT_EQ(value(SlotKind::os, " Solaris 11 "), "Solaris 11") << "unknown: kept as typed";
  EXPECT_THAT(refusal(SlotKind::os, ""), HasSubstr("Windows 11, macOS"));
}

TEST(BotSlotTest, DevicesErrorMessagesAndSinceAreFreeText) {
  EXPECT_EQ(value(SlotKind::device, "PC-4711"), "PC-4711");
  EXPECT_THAT(refusal(SlotKind::device, "x"), HasSubstr("mindestens 2 Zeichen"));
  EXPECT_THAT(refusal(SlotKind::device, ""), HasSubstr("asset number"));
  EXPECT_EQ(
      value(SlotKind::error_message, "Fehler 809: Die Verbindung konnte nicht hergestellt werden"),
      "Fehler 809: Die Verbindung konnte nicht hergestellt werden");
  EXPECT_EQ(value(SlotKind::error_message, std::string(2000, 'e')).size(), 2000u);
  EXPECT_THAT(refusal(SlotKind::error_message, std::string(2001, 'e')), HasSubstr("2000"));
  EXPECT_EQ(value(SlotKind::since, "seit heute Morgen"), "seit heute Morgen");
  EXPECT_EQ(value(SlotKind::since, "since yesterday"), "since yesterday");
  EXPECT_EQ(value(SlotKind::since, "2 days"), "2 days");
  EXPECT_THAT(refusal(SlotKind::since, "  "), HasSubstr("Seit wann"));
}

TEST(BotSlotTest, AffectedIsMeSeveralOrEveryone) {
  for (auto me : {"nur ich", "Nur bei mir", "just me", "only me", "ich", "me", "1"})
    EXPECT_EQ(value(SlotKind::affected, me), "me") << me;
  for (auto several : {"das ganze Team", "whole department", "mehrere Kollegen", "ein paar Leute",
                       "some colleagues", "meine Abteilung", "alle im Büro", "3", "zwei"})
    EXPECT_EQ(value(SlotKind::affected, several), "several") << several;
  for (auto everyone : {"alle", "Alle!", "everyone", "everybody", "die ganze Firma", "all",
                        "whole company", "niemand kann drucken", "150"})
    EXPECT_EQ(value(SlotKind::affected, everyone), "everyone") << everyone;
  EXPECT_THAT(refusal(SlotKind::affected, "hmm"), HasSubstr("nur ich"));
  EXPECT_THAT(refusal(SlotKind::affected, "0"), HasSubstr("everyone"));
}

TEST(BotSlotTest, SkipWordsAndFolding) {
  for (auto skip : {"weiß nicht", "Weiss nicht", "keine Ahnung", "k.A.", "don't know",
                    "I don’t know", "no idea", "skip"})
    EXPECT_TRUE(means_skip(skip)) << skip;
  for (auto answer : {"Windows", "nicht", "", "ich weiß es"})
    EXPECT_FALSE(means_skip(answer)) << answer;
  EXPECT_EQ(fold("  Leere   SEITEN!  "), "leere seiten");
  EXPECT_EQ(fold("ÄRGER Über ÖL"), "ärger über öl");
  EXPECT_EQ(text_length("Grüße"), 5u);
}

}  // namespace
}  // namespace fl::bot
