#include "mail/html.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <functional>
#include <utility>
#include <vector>

#include "core/text.hpp"

namespace fl::mail {

namespace {

struct Tag {
  std::string name;  // lower case
  bool closing = false;
  std::vector<std::pair<std::string, std::string>> attributes;  // names lower case, raw values
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_name_char(char c) {
  auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '-' || c == '_' || c == ':';
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The entities mail clients write; others stay as written.
std::string decode_entities(std::string_view s) {
  static constexpr std::array<std::pair<std::string_view, std::uint32_t>, 21> named{{
      {"amp", '&'},    {"lt", '<'},       {"gt", '>'},       {"quot", '"'},      {"apos", '\''},
      {"nbsp", 0xA0},  {"auml", 0xE4},    {"ouml", 0xF6},    {"uuml", 0xFC},     {"Auml", 0xC4},
      {"Ouml", 0xD6},  {"Uuml", 0xDC},    {"szlig", 0xDF},   {"euro", 0x20AC},   {"copy", 0xA9},
      {"reg", 0xAE},   {"ndash", 0x2013}, {"mdash", 0x2014}, {"hellip", 0x2026}, {"laquo", 0xAB},
      {"raquo", 0xBB},
  }};
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    auto semi = s.find(';', i + 1);
    if (semi == std::string_view::npos || semi - i > 12) {
      out += '&';
      continue;
    }
    std::string_view ref = s.substr(i + 1, semi - i - 1);
    if (ref.size() > 1 && ref[0] == '#') {
      std::uint32_t cp = 0;
      bool hex = ref[1] == 'x' || ref[1] == 'X';
      std::string_view digits = ref.substr(hex ? 2 : 1);
      bool ok = !digits.empty();
      for (char c : digits) {
        auto u = static_cast<unsigned char>(c);
        if (hex ? !std::isxdigit(u) : !std::isdigit(u)) ok = false;
      }
      if (ok) {
        for (char c : digits)
          cp = cp * (hex ? 16 : 10) +
               static_cast<std::uint32_t>(std::isdigit(static_cast<unsigned char>(c))
                                              ? c - '0'
                                              : std::tolower(static_cast<unsigned char>(c)) - 'a' +
                                                    10);
        append_utf8(out, cp);
        i = semi;
        continue;
      }
    }
    auto hit = std::ranges::find(named, ref, &std::pair<std::string_view, std::uint32_t>::first);
    if (hit != named.end()) {
      append_utf8(out, hit->second);
      i = semi;
      continue;
    }
    out += '&';
  }
  return out;
}


// Elements whose content is never shown.
bool is_hidden_element(std::string_view name) {
  return name == "script" || name == "style" || name == "head" || name == "title" ||
         name == "iframe" || name == "object" || name == "embed" || name == "noscript" ||
         name == "template" || name == "svg" || name == "math" || name == "textarea" ||
         name == "xml";
}

// Calls on_text for text between tags (raw, entities not decoded) and on_tag for each tag.
// The content of hidden elements is skipped; comments, doctypes and processing instructions
// are dropped. Never reads past the input, whatever it is.
void scan(std::string_view html, const std::function<void(std::string_view)>& on_text,
          const std::function<void(const Tag&)>& on_tag) {
  std::size_t i = 0;
  const std::size_t n = html.size();
  while (i < n) {
    auto lt = html.find('<', i);
    if (lt == std::string_view::npos) {
      on_text(html.substr(i));
      return;
    }
    if (lt > i) on_text(html.substr(i, lt - i));
    i = lt;
    if (html.substr(i, 4) == "<!--") {
      auto end = html.find("-->", i + 4);
      i = end == std::string_view::npos ? n : end + 3;
      continue;
    }
    if (i + 1 < n && (html[i + 1] == '!' || html[i + 1] == '?')) {
      auto end = html.find('>', i);
      i = end == std::string_view::npos ? n : end + 1;
      continue;
    }
    std::size_t p = i + 1;
    Tag tag;
    if (p < n && html[p] == '/') {
      tag.closing = true;
      ++p;
    }
    std::size_t name_start = p;
    while (p < n && is_name_char(html[p])) ++p;
    if (p == name_start || !std::isalpha(static_cast<unsigned char>(html[name_start]))) {
      on_text("<");  // a lone '<' is text
      i = lt + 1;
      continue;
    }
    tag.name = lower(html.substr(name_start, p - name_start));
    // Attributes, up to '>'.
    while (p < n && html[p] != '>') {
      if (std::isspace(static_cast<unsigned char>(html[p])) || html[p] == '/') {
        ++p;
        continue;
      }
      std::size_t a = p;
      while (p < n && html[p] != '=' && html[p] != '>' && html[p] != '/' &&
             !std::isspace(static_cast<unsigned char>(html[p])))
        ++p;
      std::string name = lower(html.substr(a, p - a));
      while (p < n && std::isspace(static_cast<unsigned char>(html[p]))) ++p;
      std::string value;
      if (p < n && html[p] == '=') {
        ++p;
        while (p < n && std::isspace(static_cast<unsigned char>(html[p]))) ++p;
        if (p < n && (html[p] == '"' || html[p] == '\'')) {
          char q = html[p++];
          auto end = html.find(q, p);
          if (end == std::string_view::npos) end = n;
          value = std::string(html.substr(p, end - p));
          p = end < n ? end + 1 : n;
        } else {
          std::size_t v = p;
          while (p < n && html[p] != '>' && !std::isspace(static_cast<unsigned char>(html[p]))) ++p;
          value = std::string(html.substr(v, p - v));
        }
      }
      if (!name.empty()) tag.attributes.emplace_back(std::move(name), std::move(value));
    }
    i = p < n ? p + 1 : n;
    if (!tag.closing && is_hidden_element(tag.name)) {
      // Skip to the matching end tag (case-insensitive), or to the end.
      std::string close = "</" + tag.name;
      std::size_t q = i;
      std::size_t found = std::string_view::npos;
      while (q < n) {
        auto lt2 = html.find("</", q);
        if (lt2 == std::string_view::npos) break;
        if (lower(html.substr(lt2, close.size())) == close) {
          found = lt2;
          break;
        }
        q = lt2 + 2;
      }
      if (found == std::string_view::npos) {
        // An unclosed <head> or <title> (sloppy mail) must not hide the whole body; anything
        // that can run or style is dropped to the end, to be safe.
        if (tag.name != "head" && tag.name != "title") i = n;
      } else {
        auto gt = html.find('>', found);
        i = gt == std::string_view::npos ? n : gt + 1;
      }
      continue;
    }
    on_tag(tag);
  }
}

bool allowed_tag(std::string_view name) {
  static constexpr std::array<std::string_view, 33> tags{
      "p",          "br",  "div",  "span", "b",     "strong", "i",     "em",    "u",  "s",  "ul",
      "ol",         "li",  "a",    "img",  "table", "thead",  "tbody", "tfoot", "tr", "td", "th",
      "blockquote", "pre", "code", "h1",   "h2",    "h3",     "h4",    "h5",    "h6", "hr", "sub"};
  return std::ranges::find(tags, name) != tags.end() || name == "sup";
}

bool is_void(std::string_view name) {
  return name == "br" || name == "img" || name == "hr";
}

// The URL when its scheme is one of `schemes`, else empty.
std::string safe_url(std::string_view raw, std::initializer_list<std::string_view> schemes) {
  std::string url = decode_entities(raw);
  // Browsers ignore control characters and spaces inside a scheme ("java\tscript:").
  std::string compact;
  for (char c : url)
    if (static_cast<unsigned char>(c) > 0x20) compact += c;
  std::string l = lower(compact);
  for (auto s : schemes)
    if (l.starts_with(s)) return compact;
  return {};
}

bool is_block(std::string_view name) {
  static constexpr std::array<std::string_view, 22> blocks{
      "p",  "div", "br", "tr", "li", "ul", "ol",      "table",   "blockquote", "pre",    "h1",
      "h2", "h3",  "h4", "h5", "h6", "hr", "section", "article", "header",     "footer", "center"};
  return std::ranges::find(blocks, name) != blocks.end();
}

}  // namespace

std::string sanitise_html(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  std::vector<std::string> open;  // allowed elements open, to close what the mail left open
  scan(
      html, [&](std::string_view text) { out += escape_html(decode_entities(text)); },
      [&](const Tag& tag) {
        if (!allowed_tag(tag.name)) return;
        if (tag.closing) {
          auto it = std::find(open.rbegin(), open.rend(), tag.name);
          if (it == open.rend()) return;
          // Close everything opened inside it as well.
          auto count = static_cast<std::size_t>(std::distance(open.rbegin(), it)) + 1;
          for (std::size_t k = 0; k < count; ++k) {
            out += "</" + open.back() + ">";
            open.pop_back();
          }
          return;
        }
        out += "<" + tag.name;
        for (const auto& [name, value] : tag.attributes) {
          std::string kept;
          if (tag.name == "a" && name == "href") {
            kept = safe_url(value, {"http://", "https://", "mailto:"});
          } else if (tag.name == "img" && name == "src") {
            kept = safe_url(value, {"cid:", "http://", "https://"});
          } else if (name == "alt" || name == "title" || name == "colspan" || name == "rowspan") {
            kept = decode_entities(value);
          } else {
            continue;
          }
          if (kept.empty() && name != "alt") continue;
          out += " " + name + "=\"" + escape_html(kept) + "\"";
        }
        if (tag.name == "a") out += " rel=\"noopener noreferrer nofollow\"";
        out += ">";
        if (!is_void(tag.name)) open.push_back(tag.name);
      });
  while (!open.empty()) {
    out += "</" + open.back() + ">";
    open.pop_back();
  }
  return out;
}

std::string html_to_text(std::string_view html) {
  std::string raw;
  raw.reserve(html.size() / 2);
  bool in_pre = false;
  scan(
      html,
      [&](std::string_view text) {
        std::string decoded = decode_entities(text);
        if (in_pre) {
          raw += decoded;
          return;
        }
        // Source white space collapses to one space, as a browser shows it.
        for (char c : decoded) {
          if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
            if (!raw.empty() && raw.back() != ' ' && raw.back() != '\n') raw += ' ';
          } else {
            raw += c;
          }
        }
      },
      [&](const Tag& tag) {
        if (tag.name == "pre") in_pre = !tag.closing;
        if (tag.name == "li") {
          if (!tag.closing)
            raw += (raw.empty() || raw.back() == '\n') ? "- " : "\n- ";
          else
            raw += '\n';
          return;
        }
        if (tag.name == "td" || tag.name == "th") {
          if (tag.closing) raw += ' ';
          return;
        }
        if (is_block(tag.name)) {
          while (!raw.empty() && raw.back() == ' ') raw.pop_back();
          raw += '\n';
          if (tag.name == "p" || (tag.name.size() == 2 && tag.name[0] == 'h' && tag.closing))
            raw += '\n';
        }
      });
  // Trim each line; at most one blank line in a row; replace no-break spaces.
  std::string out;
  std::size_t start = 0;
  int blank = 0;
  while (start <= raw.size()) {
    auto nl = raw.find('\n', start);
    std::string line = raw.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    for (std::size_t k = 0; (k = line.find("\xC2\xA0", k)) != std::string::npos;)
      line.replace(k, 2, " ");
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::size_t lead = 0;
    while (lead < line.size() && line[lead] == ' ') ++lead;
    line.erase(0, lead);
    if (line.empty()) {
      if (!out.empty() && blank == 0) out += '\n';
      ++blank;
    } else {
      out += line;
      out += '\n';
      blank = 0;
    }
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  while (!out.empty() && (out.back() == '\n')) out.pop_back();
  return out;
}

}  // namespace fl::mail
