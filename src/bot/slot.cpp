#include "bot/slot.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <vector>

#include "core/text.hpp"

namespace fl::bot {

namespace {

bool is_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

// The words of folded text: runs of letters and digits (UTF-8 letters included); a '.' between
// digits stays inside ("22.04", "8.1").
std::vector<std::string> words(std::string_view folded) {
  std::vector<std::string> out;
  std::string cur;
  for (std::size_t i = 0; i < folded.size(); ++i) {
    const auto c = static_cast<unsigned char>(folded[i]);
    const bool digit_dot =
        c == '.' && !cur.empty() && std::isdigit(static_cast<unsigned char>(cur.back())) &&
        i + 1 < folded.size() && std::isdigit(static_cast<unsigned char>(folded[i + 1]));
    if (is_word_byte(c) || digit_dot) {
      cur += static_cast<char>(c);
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

template <std::size_t N>
bool among(std::string_view w, const std::array<std::string_view, N>& list) {
  return std::ranges::find(list, w) != list.end();
}

template <std::size_t N>
bool any_word_among(const std::vector<std::string>& ws,
                    const std::array<std::string_view, N>& list) {
  return std::ranges::any_of(ws, [&](const std::string& w) { return among(w, list); });
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::ranges::all_of(s, [](char c) { return c >= '0' && c <= '9'; });
}

bool starts_with_digit(std::string_view s) {
  return !s.empty() && s.front() >= '0' && s.front() <= '9';
}

std::string format_number(double v) {
  if (std::floor(v) == v && std::abs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc{} ? std::string(buf, end) : std::to_string(v);
}

Text hint(std::string de, std::string en) {
  return Text{std::move(de), std::move(en)};
}

// ---------------------------------------------------------------- kinds

std::expected<std::string, Text> free_text(std::string_view input, double min, double max,
                                           const Text& what) {
  std::string t = trim(input);
  const auto len = static_cast<double>(text_length(t));
  if (t.empty() || len < min) {
    if (t.empty() || min <= 1) return std::unexpected(what);
    return std::unexpected(
        hint("Bitte etwas ausführlicher (mindestens " + format_number(min) + " Zeichen).",
             "Please give a little more detail (at least " + format_number(min) + " characters)."));
  }
  if (len > max)
    return std::unexpected(
        hint("Bitte etwas kürzer (höchstens " + format_number(max) + " Zeichen).",
             "Please keep it shorter (at most " + format_number(max) + " characters)."));
  return t;
}

std::expected<std::string, Text> number(std::string_view input, const SlotRule& rule) {
  const Text what =
      hint("Bitte geben Sie eine Zahl an, z. B. 3.", "Please enter a number, e.g. 3.");
  std::vector<double> found;
  for (std::size_t i = 0; i < input.size();) {
    if (!std::isdigit(static_cast<unsigned char>(input[i]))) {
      ++i;
      continue;
    }
    const std::size_t from = (i > 0 && input[i - 1] == '-') ? i - 1 : i;
    std::size_t j = i;
    while (j < input.size() && std::isdigit(static_cast<unsigned char>(input[j]))) ++j;
    if (j + 1 < input.size() && (input[j] == '.' || input[j] == ',') &&
        std::isdigit(static_cast<unsigned char>(input[j + 1]))) {
      ++j;
      while (j < input.size() && std::isdigit(static_cast<unsigned char>(input[j]))) ++j;
    }
    std::string digits(input.substr(from, j - from));
    std::ranges::replace(digits, ',', '.');
    double v = 0;
    std::from_chars(digits.data(), digits.data() + digits.size(), v);
    found.push_back(v);
    i = j;
  }
  if (found.size() != 1) return std::unexpected(what);
  const double v = found.front();
  if ((rule.min && v < *rule.min) || (rule.max && v > *rule.max)) {
    std::string range_de, range_en;
    if (rule.min && rule.max) {
      range_de = "von " + format_number(*rule.min) + " bis " + format_number(*rule.max);
      range_en = "from " + format_number(*rule.min) + " to " + format_number(*rule.max);
    } else if (rule.min) {
      range_de = "ab " + format_number(*rule.min);
      range_en = "of at least " + format_number(*rule.min);
    } else {
      range_de = "bis " + format_number(*rule.max);
      range_en = "of at most " + format_number(*rule.max);
    }
    return std::unexpected(
        hint("Bitte eine Zahl " + range_de + ".", "Please enter a number " + range_en + "."));
  }
  return format_number(v);
}

constexpr std::array<std::string_view, 22> kNoWords{
    "nein", "n",     "nö",     "noe",       "ne",    "nee",   "nope", "no",
    "nah",  "nicht", "not",    "doesn",     "didn",  "don",   "isn",  "wasn",
    "kein", "keine", "leider", "weiterhin", "immer", "nichts"};
constexpr std::array<std::string_view, 36> kYesWords{
    "ja",       "j",       "jo",      "jap",      "jep",          "jup",     "jaa",    "jawohl",
    "klar",     "genau",   "gerne",   "geholfen", "funktioniert", "geht",    "klappt", "gelöst",
    "erledigt", "passt",   "yes",     "y",        "yeah",         "yep",     "yup",    "ya",
    "sure",     "ok",      "okay",    "works",    "worked",       "working", "fixed",  "solved",
    "helped",   "correct", "richtig", "stimmt"};

std::expected<std::string, Text> yes_no(std::string_view input) {
  const auto ws = words(fold(input));
  if (any_word_among(ws, kNoWords)) return "no";
  if (any_word_among(ws, kYesWords)) return "yes";
  return std::unexpected(hint("Bitte antworten Sie mit Ja oder Nein.", "Please answer yes or no."));
}

std::string windows_version(std::string_view v) {
  if (v == "11" || v == "10" || v == "8.1" || v == "8" || v == "7")
    return "Windows " + std::string(v);
  if (v == "xp") return "Windows XP";
  return "Windows";
}

std::optional<std::string> known_os(std::string_view input) {
  const auto ws = words(fold(input));
  auto next = [&](std::size_t i) { return i + 1 < ws.size() ? std::string_view(ws[i + 1]) : ""; };
  for (std::size_t i = 0; i < ws.size(); ++i) {
    std::string_view w = ws[i];
    if (w == "ios" || w == "ipados" || w.starts_with("iphone") || w.starts_with("ipad"))
      return "iOS";
    if (w == "android") return "Android";
    if (w == "chromeos" || w == "chromebook" || (w == "chrome" && next(i) == "os"))
      return "ChromeOS";
  }
  for (std::size_t i = 0; i < ws.size(); ++i) {
    std::string_view w = ws[i];
    std::string_view rest;
    if (w.starts_with("windows"))
      rest = w.substr(7);
    else if (w.starts_with("win") && (w.size() == 3 || all_digits(w.substr(3))))
      rest = w.substr(3);
    else
      continue;
    if (!rest.empty() && !all_digits(rest)) continue;  // "windowsupdate" is not an answer
    if (rest.empty() && (starts_with_digit(next(i)) || next(i) == "xp")) rest = next(i);
    return windows_version(rest);
  }
  constexpr std::array<std::string_view, 10> kMac{"mac",     "macos",   "osx",     "macbook",
                                                  "imac",    "sonoma",  "ventura", "monterey",
                                                  "sequoia", "catalina"};
  for (std::size_t i = 0; i < ws.size(); ++i) {
    std::string_view w = ws[i];
    if (among(w, kMac) || w.starts_with("macbook") || w.starts_with("macos") ||
        (w == "os" && next(i) == "x") || (w == "big" && next(i) == "sur"))
      return "macOS";
  }
  constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kDistros{
      {{"ubuntu", "Ubuntu"},
       {"kubuntu", "Kubuntu"},
       {"debian", "Debian"},
       {"fedora", "Fedora"},
       {"mint", "Mint"},
       {"opensuse", "openSUSE"},
       {"suse", "SUSE"},
       {"rhel", "Red Hat"}}};
  for (std::size_t i = 0; i < ws.size(); ++i)
    for (const auto& [word, name] : kDistros)
      if (ws[i] == word) {
        std::string out = "Linux (" + std::string(name);
        if (starts_with_digit(next(i))) out += " " + std::string(next(i));
        return out + ")";
      }
  if (std::ranges::find(ws, "linux") != ws.end()) return "Linux";
  return std::nullopt;
}

std::optional<int> small_number(std::string_view w) {
  if (all_digits(w) && w.size() <= 6) return std::stoi(std::string(w));
  constexpr std::array<std::string_view, 11> kDe{"null",  "eins",   "zwei", "drei", "vier", "fünf",
                                                 "sechs", "sieben", "acht", "neun", "zehn"};
  constexpr std::array<std::string_view, 11> kEn{"zero", "one",   "two",   "three", "four", "five",
                                                 "six",  "seven", "eight", "nine",  "ten"};
  for (int i = 0; i < 11; ++i)
    if (w == kDe[i] || w == kEn[i]) return i;
  return std::nullopt;
}

std::expected<std::string, Text> affected(std::string_view input) {
  const auto ws = words(fold(input));
  constexpr std::array<std::string_view, 14> kEveryone{
      "everyone",     "everybody", "jeder",      "jede",        "firma",
      "unternehmen",  "company",   "firmenweit", "companywide", "organisation",
      "organization", "gesamte",   "niemand",    "nobody"};
  constexpr std::array<std::string_view, 32> kSeveral{
      "team",        "teams",     "abteilung",  "department", "kollege",   "kollegin", "kollegen",
      "kolleginnen", "colleague", "colleagues", "coworker",   "coworkers", "mehrere",  "several",
      "einige",      "some",      "few",        "paar",       "gruppe",    "group",    "büro",
      "office",      "etage",     "stockwerk",  "floor",      "others",    "andere",   "anderen",
      "wir",         "we",        "us",         "auch"};
  constexpr std::array<std::string_view, 3> kAll{"alle", "all", "allen"};
  constexpr std::array<std::string_view, 12> kMe{"ich",  "me",  "mich", "mir",  "myself", "i",
                                                 "mine", "nur", "only", "just", "allein", "alone"};
  if (any_word_among(ws, kEveryone)) return "everyone";
  if (any_word_among(ws, kSeveral)) return "several";
  if (any_word_among(ws, kAll)) return "everyone";
  if (any_word_among(ws, kMe)) return "me";
  for (const auto& w : ws)
    if (auto n = small_number(w); n && *n > 0)
      return *n == 1 ? "me" : *n <= 20 ? "several" : "everyone";
  return std::unexpected(
      hint("Bitte antworten Sie mit „nur ich“, „mehrere Kollegen“ oder „alle“.",
           "Please answer \"just me\", \"several colleagues\" or \"everyone\"."));
}

}  // namespace

std::string fold(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (std::isspace(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    if (c == 0xC3 && i + 1 < text.size()) {  // Ä Ö Ü -> ä ö ü
      auto d = static_cast<unsigned char>(text[i + 1]);
      if (d == 0x84 || d == 0x96 || d == 0x9C) d += 0x20;
      out += static_cast<char>(c);
      out += static_cast<char>(d);
      ++i;
      continue;
    }
    if (c == 0xE2 && text.substr(i, 3) == "\xE2\x80\x99") {  // ’ -> '
      out += '\'';
      i += 2;
      continue;
    }
    out += static_cast<char>(std::tolower(c));
  }
  while (!out.empty() &&
         (out.back() == '.' || out.back() == '!' || out.back() == '?' || out.back() == ' '))
    out.pop_back();
  return out;
}

std::size_t text_length(std::string_view text) {
  return static_cast<std::size_t>(std::ranges::count_if(
      text, [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool means_skip(std::string_view input) {
  constexpr std::array<std::string_view, 26> kSkip{"weiß nicht",
                                                   "weiss nicht",
                                                   "weis nicht",
                                                   "ich weiß nicht",
                                                   "ich weiss nicht",
                                                   "ich weiß es nicht",
                                                   "ich weiss es nicht",
                                                   "keine ahnung",
                                                   "k.a",
                                                   "ka",
                                                   "unbekannt",
                                                   "überspringen",
                                                   "ueberspringen",
                                                   "don't know",
                                                   "dont know",
                                                   "i don't know",
                                                   "i dont know",
                                                   "no idea",
                                                   "not sure",
                                                   "unknown",
                                                   "skip",
                                                   "n/a",
                                                   "idk",
                                                   "?",
                                                   "nicht sicher",
                                                   "weiß ich nicht"};
  const std::string f = fold(input);
  return f.empty() ? false : among(std::string_view(f), kSkip) || f == "-";
}

std::expected<std::string, Text> normalise_slot(const SlotRule& rule, std::string_view input) {
  auto bounds = [&](double min, double max) {
    return std::pair{rule.min.value_or(min), rule.max.value_or(max)};
  };
  switch (rule.kind) {
    case SlotKind::text: {
      auto [min, max] = bounds(1, 1000);
      return free_text(input, min, max,
                       hint("Bitte geben Sie eine Antwort ein.", "Please type an answer."));
    }
    case SlotKind::number:
      return number(input, rule);
    case SlotKind::yes_no:
      return yes_no(input);
    case SlotKind::os: {
      if (auto os = known_os(input)) return *os;
      auto [min, max] = bounds(1, 200);
      return free_text(
          input, min, max,
          hint("Bitte nennen Sie das Betriebssystem, z. B. Windows 11, macOS oder iOS.",
               "Please name the operating system, e.g. Windows 11, macOS or iOS."));
    }
    case SlotKind::device: {
      auto [min, max] = bounds(2, 200);
      return free_text(input, min, max,
                       hint("Bitte nennen Sie das Gerät: Name, Inventarnummer oder Standort.",
                            "Please name the device: its name, asset number or location."));
    }
    case SlotKind::error_message: {
      auto [min, max] = bounds(1, 2000);
      return free_text(input, min, max,
                       hint("Bitte tippen oder kopieren Sie den Text der Fehlermeldung hierher.",
                            "Please type or paste the text of the error message here."));
    }
    case SlotKind::since: {
      auto [min, max] = bounds(1, 200);
      return free_text(input, min, max,
                       hint("Seit wann besteht das Problem? Zum Beispiel „seit heute Morgen“ oder "
                            "„seit 2 Tagen“.",
                            "Since when has this been happening? For example \"since this "
                            "morning\" or \"2 days\"."));
    }
    case SlotKind::affected:
      return affected(input);
  }
  return std::unexpected(hint("Bitte geben Sie eine Antwort ein.", "Please type an answer."));
}

}  // namespace fl::bot
