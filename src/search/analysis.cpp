// Folding, the German verb-ending rule, stop lists and the language guess (see analysis.hpp).
#include "search/analysis.hpp"

#include <xapian.h>

#include <algorithm>
#include <array>
#include <unordered_set>

#include "search/xapian_support.hpp"

namespace fl::search {

namespace {

// Base letters for U+0100..U+017F (Latin Extended-A), in code point order.
// clang-format off
constexpr std::array<const char*, 0x80> kLatinExtendedA = {
    "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",  // U+0100
    "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",  // U+0110
    "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",  // U+0120
    "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",  // U+0130
    "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",  // U+0140
    "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",  // U+0150
    "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",  // U+0160
    "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",  // U+0170
};
// clang-format on

// The ASCII replacement of a lower-case code point, or nullptr to keep it.
const char* folded(unsigned ch) {
  if (ch < 0xdf) return nullptr;
  if (ch < 0x100) {
    switch (ch) {
      case 0xdf:
        return "ss";
      case 0xe0:
      case 0xe1:
      case 0xe2:
      case 0xe3:
      case 0xe4:
      case 0xe5:
        return "a";
      case 0xe6:
        return "ae";
      case 0xe7:
        return "c";
      case 0xe8:
      case 0xe9:
      case 0xea:
      case 0xeb:
        return "e";
      case 0xec:
      case 0xed:
      case 0xee:
      case 0xef:
        return "i";
      case 0xf0:
        return "d";
      case 0xf1:
        return "n";
      case 0xf2:
      case 0xf3:
      case 0xf4:
      case 0xf5:
      case 0xf6:
      case 0xf8:
        return "o";
      case 0xf9:
      case 0xfa:
      case 0xfb:
      case 0xfc:
        return "u";
      case 0xfd:
      case 0xff:
        return "y";
      case 0xfe:
        return "th";
      default:
        return nullptr;
    }
  }
  if (ch < 0x180) return kLatinExtendedA[ch - 0x100];
  return nullptr;
}

bool is_combining_mark(unsigned ch) {
  return ch >= 0x300 && ch <= 0x36f;
}

bool is_vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

// Snowball's English list, plus "can" and "will" (its list has "cannot" and "won't" but not
// these, which open most how-to questions).
const std::unordered_set<std::string_view>& english_stopwords() {
  static const std::unordered_set<std::string_view> words{
      "i",          "me",      "my",        "myself",  "we",       "our",        "ours",
      "ourselves",  "you",     "your",      "yours",   "yourself", "yourselves", "he",
      "him",        "his",     "himself",   "she",     "her",      "hers",       "herself",
      "it",         "its",     "itself",    "they",    "them",     "their",      "theirs",
      "themselves", "what",    "which",     "who",     "whom",     "this",       "that",
      "these",      "those",   "am",        "is",      "are",      "was",        "were",
      "be",         "been",    "being",     "have",    "has",      "had",        "having",
      "do",         "does",    "did",       "doing",   "would",    "should",     "could",
      "ought",      "i'm",     "you're",    "he's",    "she's",    "it's",       "we're",
      "they're",    "i've",    "you've",    "we've",   "they've",  "i'd",        "you'd",
      "he'd",       "she'd",   "we'd",      "they'd",  "i'll",     "you'll",     "he'll",
      "she'll",     "we'll",   "they'll",   "isn't",   "aren't",   "wasn't",     "weren't",
      "hasn't",     "haven't", "hadn't",    "doesn't", "don't",    "didn't",     "won't",
      "wouldn't",   "shan't",  "shouldn't", "can't",   "cannot",   "couldn't",   "mustn't",
      "let's",      "that's",  "who's",     "what's",  "here's",   "there's",    "when's",
      "where's",    "why's",   "how's",     "a",       "an",       "the",        "and",
      "but",        "if",      "or",        "because", "as",       "until",      "while",
      "of",         "at",      "by",        "for",     "with",     "about",      "against",
      "between",    "into",    "through",   "during",  "before",   "after",      "above",
      "below",      "to",      "from",      "up",      "down",     "in",         "out",
      "on",         "off",     "over",      "under",   "again",    "further",    "then",
      "once",       "here",    "there",     "when",    "where",    "why",        "how",
      "all",        "any",     "both",      "each",    "few",      "more",       "most",
      "other",      "some",    "such",      "no",      "nor",      "not",        "only",
      "own",        "same",    "so",        "than",    "too",      "very",       "can",
      "will"};
  return words;
}

// Snowball's German list, folded (für → fur, daß → dass).
const std::unordered_set<std::string_view>& german_stopwords() {
  static const std::unordered_set<std::string_view> words{
      "aber",     "alle",      "allem",    "allen",     "aller",     "alles",     "als",
      "also",     "am",        "an",       "ander",     "andere",    "anderem",   "anderen",
      "anderer",  "anderes",   "anderm",   "andern",    "anderr",    "anders",    "auch",
      "auf",      "aus",       "bei",      "bin",       "bis",       "bist",      "da",
      "damit",    "dann",      "der",      "den",       "des",       "dem",       "die",
      "das",      "dass",      "derselbe", "derselben", "denselben", "desselben", "demselben",
      "dieselbe", "dieselben", "dasselbe", "dazu",      "dein",      "deine",     "deinem",
      "deinen",   "deiner",    "deines",   "denn",      "derer",     "dessen",    "dich",
      "dir",      "du",        "dies",     "diese",     "diesem",    "diesen",    "dieser",
      "dieses",   "doch",      "dort",     "durch",     "ein",       "eine",      "einem",
      "einen",    "einer",     "eines",    "einig",     "einige",    "einigem",   "einigen",
      "einiger",  "einiges",   "einmal",   "er",        "ihn",       "ihm",       "es",
      "etwas",    "euer",      "eure",     "eurem",     "euren",     "eurer",     "eures",
      "fur",      "gegen",     "gewesen",  "hab",       "habe",      "haben",     "hat",
      "hatte",    "hatten",    "hier",     "hin",       "hinter",    "ich",       "mich",
      "mir",      "ihr",       "ihre",     "ihrem",     "ihren",     "ihrer",     "ihres",
      "euch",     "im",        "in",       "indem",     "ins",       "ist",       "jede",
      "jedem",    "jeden",     "jeder",    "jedes",     "jene",      "jenem",     "jenen",
      "jener",    "jenes",     "jetzt",    "kann",      "kein",      "keine",     "keinem",
      "keinen",   "keiner",    "keines",   "konnen",    "konnte",    "machen",    "man",
      "manche",   "manchem",   "manchen",  "mancher",   "manches",   "mein",      "meine",
      "meinem",   "meinen",    "meiner",   "meines",    "mit",       "muss",      "musste",
      "nach",     "nicht",     "nichts",   "noch",      "nun",       "nur",       "ob",
      "oder",     "ohne",      "sehr",     "sein",      "seine",     "seinem",    "seinen",
      "seiner",   "seines",    "selbst",   "sich",      "sie",       "ihnen",     "sind",
      "so",       "solche",    "solchem",  "solchen",   "solcher",   "solches",   "soll",
      "sollte",   "sondern",   "sonst",    "uber",      "um",        "und",       "uns",
      "unsere",   "unserem",   "unseren",  "unser",     "unseres",   "unter",     "viel",
      "vom",      "von",       "vor",      "wahrend",   "war",       "waren",     "warst",
      "was",      "weg",       "weil",     "weiter",    "welche",    "welchem",   "welchen",
      "welcher",  "welches",   "wenn",     "werde",     "werden",    "wie",       "wieder",
      "will",     "wir",       "wird",     "wirst",     "wo",        "wollen",    "wollte",
      "wurde",    "wurden",    "zu",       "zum",       "zur",       "zwar",      "zwischen"};
  return words;
}

}  // namespace

std::optional<Language> parse_language(std::string_view code) {
  if (code == "de") return Language::de;
  if (code == "en") return Language::en;
  return std::nullopt;
}

std::string_view code_of(Language language) {
  return language == Language::de ? "de" : "en";
}

std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(std::ranges::count_if(
      text, [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; }));
}

std::string fold(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (Xapian::Utf8Iterator it(text.data(), text.size()); it != Xapian::Utf8Iterator(); ++it) {
    unsigned ch = Xapian::Unicode::tolower(*it);
    if (ch < 0x80) {
      out.push_back(static_cast<char>(ch));
    } else if (const char* base = folded(ch)) {
      out += base;
    } else if (!is_combining_mark(ch)) {
      Xapian::Unicode::append_utf8(out, ch);
    }
  }
  return out;
}

std::optional<std::string> strip_german_verb_ending(std::string_view stem) {
  if (stem.size() < 5 || stem.back() != 't') return std::nullopt;
  if (stem.size() >= 6 && stem[stem.size() - 2] == 'e')
    return std::string(stem.substr(0, stem.size() - 2));
  char before = stem[stem.size() - 2];
  if (is_vowel(before) || before == 't') return std::nullopt;
  return std::string(stem.substr(0, stem.size() - 1));
}

std::vector<std::pair<std::string_view, std::string_view>> compound_splits(std::string_view stem) {
  constexpr std::size_t kMinPart = 4;
  std::vector<std::pair<std::string_view, std::string_view>> splits;
  if (stem.size() < 2 * kMinPart) return splits;
  if (std::ranges::any_of(stem, [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
    return splits;
  for (std::size_t k = kMinPart; k + kMinPart <= stem.size(); ++k)
    splits.emplace_back(stem.substr(0, k), stem.substr(k));
  return splits;
}

std::vector<std::string_view> modifier_forms(std::string_view modifier) {
  std::vector<std::string_view> forms{modifier};
  auto strip = [&](std::string_view link) {
    if (modifier.size() > link.size() + 3 && modifier.ends_with(link))
      forms.push_back(modifier.substr(0, modifier.size() - link.size()));
  };
  for (std::string_view link : {"s", "es", "n", "en", "er", "e"}) strip(link);
  return forms;
}

bool is_stopword(Language language, std::string_view folded_word) {
  const auto& words = language == Language::de ? german_stopwords() : english_stopwords();
  return words.contains(folded_word);
}

bool title_repeats_opening(std::string_view title, std::string_view text) {
  std::vector<std::string> title_words = split_words(title);
  if (title_words.empty()) return false;
  std::size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return false;
  std::size_t end = std::min(text.find('\n', start), text.size());
  std::vector<std::string> line_words = split_words(text.substr(start, end - start));
  if (line_words.size() < title_words.size()) return false;
  for (std::size_t i = 0; i < title_words.size(); ++i)
    if (fold(title_words[i]) != fold(line_words[i])) return false;
  // The whole first line: a heading, unless there is nothing else (the title is the text).
  return line_words.size() > title_words.size() ||
         text.find_first_not_of(" \t\r\n", end) == std::string_view::npos;
}

Language guess_language(std::string_view text) {
  int german = 0;
  int english = 0;
  bool umlaut = false;
  std::string word;
  auto count = [&] {
    if (word.empty()) return;
    std::string w = fold(word);
    bool de = german_stopwords().contains(w);
    bool en = english_stopwords().contains(w);
    if (de && !en) ++german;
    if (en && !de) ++english;
    word.clear();
  };
  for (Xapian::Utf8Iterator it(text.data(), text.size()); it != Xapian::Utf8Iterator(); ++it) {
    unsigned ch = *it;
    if (ch == 0xe4 || ch == 0xf6 || ch == 0xfc || ch == 0xdf || ch == 0xc4 || ch == 0xd6 ||
        ch == 0xdc)
      umlaut = true;
    if (Xapian::Unicode::is_wordchar(ch) || ch == '\'') {
      Xapian::Unicode::append_utf8(word, ch);
    } else {
      count();
    }
  }
  count();
  if (german != english) return german > english ? Language::de : Language::en;
  return umlaut ? Language::de : Language::en;
}

}  // namespace fl::search
