#include "core/mail.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <numeric>
#include <unordered_map>

#include "core/text.hpp"

namespace fl {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && lower(s.substr(0, prefix.size())) == lower(prefix);
}

std::optional<TicketNumber> digits_at(std::string_view s, std::size_t from, std::size_t& end) {
  end = from;
  while (end < s.size() && std::isdigit(static_cast<unsigned char>(s[end]))) ++end;
  if (end == from || end - from > 15) return std::nullopt;
  TicketNumber n = 0;
  for (std::size_t i = from; i < end; ++i) n = n * 10 + (s[i] - '0');
  return n;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto nl = text.find('\n', start);
    auto line =
        text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return lines;
}

std::string_view rtrim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string_view ltrim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// "On <date>, <name> wrote:" (English clients; Gmail and Apple Mail may wrap it onto two lines)
// and "Am <date> schrieb <name>:" (German).
bool is_quote_header(std::string_view line, std::string_view next) {
  line = rtrim(ltrim(line));
  std::string joined = std::string(line) + " " + std::string(rtrim(ltrim(next)));
  auto header_of = [](std::string_view l) {
    if (l.starts_with("On ") && ends_with(l, "wrote:")) return true;
    if (l.starts_with("Am ") && l.find(" schrieb ") != std::string_view::npos && ends_with(l, ":"))
      return true;
    return false;
  };
  if (header_of(line)) return true;
  // Wrapped: only when the first line starts like one and the second ends like one.
  if ((line.starts_with("On ") || line.starts_with("Am ")) && !next.empty() &&
      line.size() + next.size() < 300)
    return header_of(joined);
  return false;
}

bool is_original_message_marker(std::string_view line) {
  line = rtrim(ltrim(line));
  if (!line.starts_with("-----")) return false;
  return line.find("Original Message") != std::string_view::npos ||
         line.find("Ursprüngliche Nachricht") != std::string_view::npos ||
         line.find("Forwarded message") != std::string_view::npos ||
         line.find("Weitergeleitete Nachricht") != std::string_view::npos;
}

bool is_header_field(std::string_view line, std::initializer_list<std::string_view> names) {
  line = ltrim(line);
  // Outlook may render the field names bold in text: "*From:* ...".
  if (line.starts_with('*')) line.remove_prefix(1);
  for (auto n : names)
    if (starts_with_ci(line, n)) return true;
  return false;
}

// Outlook's reply header: "From:" / "Von:" followed by "Sent:"/"Gesendet:"/"Date:"/"Datum:"/
// "To:"/"An:" within the next lines.
bool is_outlook_header(const std::vector<std::string_view>& lines, std::size_t i) {
  if (!is_header_field(lines[i], {"From:", "Von:"})) return false;
  for (std::size_t j = i + 1; j < lines.size() && j <= i + 4; ++j)
    if (is_header_field(lines[j], {"Sent:", "Gesendet:", "Date:", "Datum:", "To:", "An:"}))
      return true;
  return false;
}

}  // namespace

std::optional<TicketNumber> ticket_tag(std::string_view subject) {
  for (std::size_t at = subject.find("[#"); at != std::string_view::npos;
       at = subject.find("[#", at + 2)) {
    std::size_t end = 0;
    auto n = digits_at(subject, at + 2, end);
    if (n && end < subject.size() && subject[end] == ']') return n;
  }
  return std::nullopt;
}

std::optional<TicketNumber> our_message_ticket(std::string_view id) {
  if (id.starts_with('<')) id.remove_prefix(1);
  if (id.ends_with('>')) id.remove_suffix(1);
  if (!id.starts_with("fl-")) return std::nullopt;
  std::size_t end = 0;
  auto n = digits_at(id, 3, end);
  if (!n || end >= id.size() || id[end] != '-') return std::nullopt;
  auto at = id.find('@', end);
  if (at == std::string_view::npos || at + 1 >= id.size()) return std::nullopt;
  return n;
}

MailNoise classify_noise(const InboundMail& mail, std::string_view our_address) {
  const std::string from = lower(mail.from.address);
  if (!our_address.empty() && from == lower(our_address)) return MailNoise::own;
  if (our_message_ticket(mail.message_id)) return MailNoise::own;
  const std::string local = from.substr(0, from.find('@'));
  if (mail.delivery_report || local == "mailer-daemon" || local == "postmaster")
    return MailNoise::bounce;
  if (!mail.auto_submitted.empty() && mail.auto_submitted != "no") return MailNoise::auto_reply;
  if (mail.autoreply_header) return MailNoise::auto_reply;
  if (mail.precedence == "auto_reply") return MailNoise::auto_reply;
  if (mail.precedence == "bulk" || mail.precedence == "junk" || mail.precedence == "list")
    return MailNoise::bulk;
  return MailNoise::none;
}

std::string_view noise_reason(MailNoise noise) {
  switch (noise) {
    case MailNoise::none:
      return "";
    case MailNoise::auto_reply:
      return "sent automatically (auto-reply)";
    case MailNoise::bulk:
      return "bulk or list mail";
    case MailNoise::bounce:
      return "a bounce (delivery status notification)";
    case MailNoise::own:
      return "our own message (mail loop)";
  }
  return "";
}

std::string trim_reply(std::string_view text) {
  auto lines = split_lines(text);
  std::vector<std::string_view> kept;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    std::string_view next = i + 1 < lines.size() ? lines[i + 1] : std::string_view{};
    if (rtrim(line) == "--" || is_original_message_marker(line) || is_quote_header(line, next) ||
        is_outlook_header(lines, i))
      break;
    // Outlook's separator line before its header block.
    if (line.starts_with("________________") && !next.empty() && is_outlook_header(lines, i + 1))
      break;
    if (ltrim(line).starts_with('>')) continue;
    kept.push_back(line);
  }
  std::string out;
  bool blank_run = false;
  for (auto line : kept) {
    bool blank = is_blank(line);
    if (blank && (blank_run || out.empty())) continue;
    blank_run = blank;
    out += rtrim(line);
    out += '\n';
  }
  std::string trimmed = trim(out);
  if (trimmed.empty()) return trim(text);
  return trimmed;
}

std::string guess_language(std::string_view text, std::string_view fallback) {
  static constexpr std::array<std::string_view, 22> german{
      "und",          "der",  "die",  "das",  "ist", "nicht", "ich",   "mit",
      "bitte",        "sie",  "ein",  "eine", "für", "danke", "hallo", "grüße",
      "funktioniert", "mein", "kann", "wir",  "auf", "es"};
  static constexpr std::array<std::string_view, 20> english{
      "the", "and", "is",     "not",  "with", "please", "thanks", "hello", "you",  "my",
      "it",  "to",  "cannot", "does", "work", "can",    "we",     "on",    "this", "have"};
  int de = 0;
  int en = 0;
  std::string word;
  auto count = [&] {
    if (word.empty()) return;
    std::string w = lower(word);
    if (std::ranges::find(german, w) != german.end()) ++de;
    if (std::ranges::find(english, w) != english.end()) ++en;
    word.clear();
  };
  for (std::size_t i = 0; i < text.size() && i < 20000; ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (std::isalpha(c) || c >= 0x80) {
      word += static_cast<char>(c);
    } else {
      count();
    }
  }
  count();
  if (de > en) return "de";
  if (en > de) return "en";
  return std::string(fallback);
}

std::string mail_domain(std::string_view address) {
  auto at = address.rfind('@');
  if (at == std::string_view::npos) return {};
  std::string domain = lower(address.substr(at + 1));
  std::erase_if(domain, [](char c) { return c == '>' || c == ' '; });  // "<a@b.example>"
  return domain;
}

std::string duplicate_key(const InboundMail& mail) {
  std::string key = lower(mail.from.address);
  key += '\n';
  key += mail.date_header;
  key += '\n';
  key += mail.text;
  return key;
}

std::vector<std::size_t> conversation_groups(const std::vector<const InboundMail*>& mails) {
  // Union-find over the messages; each key (a Message-ID, a ticket) joins the first message
  // that named it.
  std::vector<std::size_t> parent(mails.size());
  std::iota(parent.begin(), parent.end(), std::size_t{0});
  auto root = [&](std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  std::unordered_map<std::string, std::size_t> owner;
  auto link = [&](std::size_t i, std::string key) {
    auto [it, fresh] = owner.try_emplace(std::move(key), i);
    if (fresh) return;
    const std::size_t a = root(it->second), b = root(i);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  };
  auto link_id = [&](std::size_t i, const std::string& id) {
    if (id.empty()) return;
    if (auto n = our_message_ticket(id))
      link(i, "ticket:" + std::to_string(*n));
    else
      link(i, "id:" + id);
  };
  for (std::size_t i = 0; i < mails.size(); ++i) {
    const InboundMail* m = mails[i];
    if (m == nullptr) continue;
    link_id(i, m->message_id);
    link_id(i, m->in_reply_to);
    for (const auto& r : m->references) link_id(i, r);
    if (auto n = ticket_tag(m->subject)) link(i, "ticket:" + std::to_string(*n));
  }
  std::vector<std::size_t> group(mails.size());
  std::unordered_map<std::size_t, std::size_t> number;
  for (std::size_t i = 0; i < mails.size(); ++i)
    group[i] = number.try_emplace(root(i), number.size()).first->second;
  return group;
}

}  // namespace fl
