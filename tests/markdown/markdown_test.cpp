// Tests for fl_markdown: what articles look like as HTML and as text, and a table of XSS vectors
// (after the OWASP filter evasion cheat sheet) that must come out harmless.
#include "markdown/markdown.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <ostream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace fl {
namespace {

using namespace std::string_view_literals;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// --- The XSS check -------------------------------------------------------------------------------
// Reads the rendered fragment the way a browser would: every `<` starts a tag or a comment (cmark
// escapes the `<` of text), attribute values are entity-decoded, and a URL's scheme is what comes
// before the first ':' once leading controls and all tabs and line breaks are gone. Tags and
// attributes are checked against what cmark-gfm legitimately writes, so anything unexpected fails.

std::string lower(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return out;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

void append_utf8(std::string& out, unsigned long code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// One pass, as a browser decodes an attribute. cmark writes only these entities; any other named
// entity is reported, because a browser would decode it (`&colon;` is a colon).
std::string decode_attribute(std::string_view value, std::vector<std::string>& findings) {
  std::string out;
  for (std::size_t i = 0; i < value.size();) {
    if (value[i] != '&') {
      out += value[i++];
      continue;
    }
    const auto semicolon = value.find(';', i);
    const auto entity = value.substr(
        i + 1, semicolon == std::string_view::npos ? std::string_view::npos : semicolon - i - 1);
    if (semicolon == std::string_view::npos) {
      findings.push_back("bare & in attribute: " + std::string(value));
      out += value.substr(i);
      break;
    }
    if (entity == "amp") {
      out += '&';
    } else if (entity == "lt") {
      out += '<';
    } else if (entity == "gt") {
      out += '>';
    } else if (entity == "quot") {
      out += '"';
    } else if (entity.starts_with("#x")) {
      append_utf8(out, std::stoul(std::string(entity.substr(2)), nullptr, 16));
    } else if (entity.starts_with('#')) {
      append_utf8(out, std::stoul(std::string(entity.substr(1))));
    } else {
      findings.push_back("unexpected entity &" + std::string(entity) + ";");
    }
    i = semicolon + 1;
  }
  return out;
}

// Problems with a decoded href or src value, seen as a browser sees the URL.
std::vector<std::string> url_problems(std::string_view url) {
  std::string seen;
  bool leading = true;
  for (const char c : url) {
    if (leading && static_cast<unsigned char>(c) <= 0x20) continue;
    leading = false;
    if (c != '\t' && c != '\n' && c != '\r') seen += c;
  }
  std::vector<std::string> problems;
  for (const auto bad : {"javascript:"sv, "vbscript:"sv, "data:"sv, "file:"sv}) {
    if (seen.find(bad) != std::string::npos) problems.push_back("holds " + std::string(bad) + seen);
  }
  const auto colon = seen.find(':');
  if (colon != std::string::npos && colon < seen.find_first_of("/?#")) {
    const auto scheme = seen.substr(0, colon);
    if (scheme != "http" && scheme != "https" && scheme != "mailto") {
      problems.push_back("has scheme " + scheme);
    }
  }
  return problems;
}

constexpr std::array kAllowedTags = {
    "a"sv,   "blockquote"sv, "br"sv,    "code"sv,  "del"sv, "em"sv,    "h1"sv,    "h2"sv, "h3"sv,
    "h4"sv,  "h5"sv,         "h6"sv,    "hr"sv,    "img"sv, "input"sv, "li"sv,    "ol"sv, "p"sv,
    "pre"sv, "strong"sv,     "table"sv, "tbody"sv, "td"sv,  "th"sv,    "thead"sv, "tr"sv, "ul"sv};
constexpr std::array kAllowedAttributes = {"align"sv,    "alt"sv,   "checked"sv, "class"sv,
                                           "disabled"sv, "href"sv,  "rel"sv,     "src"sv,
                                           "start"sv,    "title"sv, "type"sv};
constexpr std::array kForbiddenTags = {"<script"sv, "<iframe"sv, "<object"sv, "<embed"sv,
                                       "<style"sv,  "<svg"sv,    "<math"sv,   "<form"sv,
                                       "<base"sv,   "<meta"sv,   "<link"sv,   "<frame"sv};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view item) {
  return std::ranges::find(list, item) != list.end();
}

// Walks lower-cased HTML tag by tag. Tolerant of anything: it must report on broken output, not
// trip over it.
class TagWalk {
 public:
  explicit TagWalk(std::string html) : html_(std::move(html)) {}

  std::vector<std::string> findings() && {
    for (const auto raw : kForbiddenTags) {
      if (html_.find(raw) != std::string::npos) found("raw " + std::string(raw));
    }
    while ((at_ = html_.find('<', at_)) != std::string::npos) {
      if (html_.compare(at_, 4, "<!--") == 0) {
        comment();
      } else {
        tag();
      }
    }
    return std::move(findings_);
  }

 private:
  void found(std::string finding) { findings_.push_back(std::move(finding)); }
  [[nodiscard]] bool at_end() const { return at_ >= html_.size(); }
  void skip_spaces() {
    while (!at_end() && is_space(html_[at_])) ++at_;
  }

  // cmark writes exactly one kind of comment; anything else came from the input.
  void comment() {
    const auto end = html_.find("-->", at_);
    const auto text = html_.substr(at_, end == std::string::npos ? end : end + 3 - at_);
    if (text != "<!-- raw html omitted -->") found("comment " + text);
    at_ = end == std::string::npos ? html_.size() : end + 3;
  }

  void tag() {
    ++at_;
    if (!at_end() && html_[at_] == '/') ++at_;
    const auto name_end = html_.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789", at_);
    const auto name = html_.substr(at_, name_end - at_);
    if (!contains(kAllowedTags, name)) found("tag <" + name + ">");
    at_ = name_end;
    while (attribute()) {
    }
  }

  // Reads one attribute; false at the end of the tag.
  bool attribute() {
    skip_spaces();
    if (at_end() || html_[at_] == '>' || html_.compare(at_, 2, "/>") == 0) return false;
    const auto name_end = html_.find_first_of(" \t\n\r\f=>/", at_);
    const auto name = html_.substr(at_, name_end - at_);
    if (name.empty()) {
      found("malformed tag near " + html_.substr(at_, 20));
      ++at_;
      return true;
    }
    if (name.starts_with("on")) found("event handler " + name);
    if (!contains(kAllowedAttributes, name)) found("attribute " + name);
    at_ = name_end;
    skip_spaces();
    if (at_end() || html_[at_] != '=') return true;
    ++at_;
    skip_spaces();
    const auto value = decode_attribute(raw_value(), findings_);
    if (name == "href" || name == "src") {
      for (auto& problem : url_problems(value)) found(problem.insert(0, name + ' '));
    }
    return true;
  }

  std::string raw_value() {
    if (!at_end() && (html_[at_] == '"' || html_[at_] == '\'')) {
      const auto close = html_.find(html_[at_], at_ + 1);
      auto value = html_.substr(at_ + 1, close - at_ - 1);
      at_ = close == std::string::npos ? html_.size() : close + 1;
      return value;
    }
    const auto end = html_.find_first_of(" \t\n\r\f>", at_);
    auto value = html_.substr(at_, end - at_);
    at_ = end == std::string::npos ? html_.size() : end;
    return value;
  }

  std::string html_;
  std::size_t at_ = 0;
  std::vector<std::string> findings_;
};

// Everything in the fragment a browser could run, or load from a dangerous URL; empty when
// harmless.
std::vector<std::string> xss_findings(std::string_view rendered) {
  return TagWalk(lower(rendered)).findings();
}

TEST(XssCheck, CatchesWhatItShould) {
  EXPECT_THAT(
      xss_findings(R"html(<p><a href="https://a/b" title="x">y</a> &lt;script&gt;</p>)html"),
      IsEmpty());
  EXPECT_THAT(xss_findings(R"html(<a href="javascript:alert(1)">x</a>)html"), Not(IsEmpty()));
  EXPECT_THAT(xss_findings(R"html(<a href="&#106;avascript:alert(1)">x</a>)html"), Not(IsEmpty()));
  EXPECT_THAT(xss_findings(R"html(<a href=" java&#9;script:x">x</a>)html"), Not(IsEmpty()));
  EXPECT_THAT(xss_findings(R"html(<a href="javascript&colon;x">x</a>)html"), Not(IsEmpty()));
  EXPECT_THAT(xss_findings(R"html(<img src="data:image/png;base64,AA" alt="" />)html"),
              Not(IsEmpty()));
  EXPECT_THAT(xss_findings(R"html(<img src=x onerror=alert(1)>)html"), Not(IsEmpty()));
  EXPECT_THAT(xss_findings(R"html(<a title="x" OnMouseOver="y">)html"), Not(IsEmpty()));
  EXPECT_THAT(xss_findings("<SVG/onload=alert(1)>"), Not(IsEmpty()));
  EXPECT_THAT(xss_findings("<!-- x --><p>y</p>"), Not(IsEmpty()));
  EXPECT_THAT(xss_findings("<details open>"), Not(IsEmpty()));
}

// --- The vectors ---------------------------------------------------------------------------------

struct Vector {
  std::string_view name;
  std::string_view markdown;
};

// Kept as string_view literals so that embedded NUL bytes survive.
constexpr std::array kVectors = {
    // Raw HTML: omitted in safe mode, wherever it stands.
    Vector{"script_block", "<script>alert(1)</script>"sv},
    Vector{"script_inline", "hello <script>alert(1)</script> world"sv},
    Vector{"script_src_upper", "<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>"sv},
    Vector{"img_onerror", "<img src=x onerror=alert(1)>"sv},
    Vector{"img_javascript_inline", R"md(see <IMG SRC="javascript:alert('XSS');"> here)md"sv},
    Vector{"img_mixed_case_unquoted", "<IMG SRC=JaVaScRiPt:alert('XSS')>"sv},
    Vector{"svg_onload", "<svg onload=alert(1)>"sv},
    Vector{"svg_slash_inline", "a <svg/onload=alert(1)> b"sv},
    Vector{"iframe", R"md(<iframe src="javascript:alert(1)"></iframe>)md"sv},
    Vector{"raw_anchor", R"md(<a href="javascript:alert(1)">x</a>)md"sv},
    Vector{"raw_anchor_onclick", R"md(text <a href="http://a" onclick="alert(1)">x</a>)md"sv},
    Vector{"body_onload", "<BODY ONLOAD=alert('XSS')>"sv},
    Vector{"input_autofocus", "<input onfocus=alert(1) autofocus>"sv},
    Vector{"details_ontoggle", "<details open ontoggle=alert(1)>"sv},
    Vector{"custom_tag_handler", "<x onmouseover=alert(1)>hover</x>"sv},
    Vector{"html_comment", "<!-- <script>alert(1)</script> -->"sv},
    Vector{"conditional_comment", "<!--[if gte IE 4]><script>alert(1)</script><![endif]-->"sv},
    Vector{"style_block", R"md(<style>body{background:url("javascript:alert(1)")}</style>)md"sv},
    Vector{"style_attribute", R"md(<div style="background:url(javascript:alert(1))">x</div>)md"sv},
    Vector{"object", R"md(<object data="javascript:alert(1)"></object>)md"sv},
    Vector{"embed", R"md(<embed src="data:image/svg+xml;base64,PHN2Zz4=">)md"sv},
    Vector{"form_action", R"md(<form action="javascript:alert(1)"><button>x</button></form>)md"sv},
    Vector{"meta_refresh",
           R"md(<meta http-equiv="refresh" content="0;url=javascript:alert(1)">)md"sv},
    Vector{"base_href", R"md(<base href="javascript:alert(1)//">)md"sv},
    Vector{"math_mxss", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"sv},
    Vector{"nested_script", "<<script>script>alert(1)<</script>/script>"sv},
    Vector{"split_script", "<scr<script>ipt>alert(1)</scr</script>ipt>"sv},
    Vector{"unclosed_img", R"md(<img src="x" onerror="alert(1)")md"sv},
    Vector{"null_in_tag", "<scr\0ipt>alert(1)</scr\0ipt>"sv},
    Vector{"raw_html_in_cell", "| a |\n|---|\n| <img src=x onerror=alert(1)> |"sv},
    // Markdown links and images with dangerous schemes.
    Vector{"link_javascript", "[x](javascript:alert(1))"sv},
    Vector{"link_javascript_upper", "[x](JAVASCRIPT:alert(1))"sv},
    Vector{"link_mixed_case", "[x](JaVaScRiPt:alert(1))"sv},
    Vector{"link_angle_destination", "[x](<javascript:alert(1)>)"sv},
    Vector{"link_leading_space", "[x](< javascript:alert(1)>)"sv},
    Vector{"link_tab_inside", "[x](<java\tscript:alert(1)>)"sv},
    Vector{"link_with_title", R"md([x](javascript:alert(1) "t"))md"sv},
    Vector{"link_js_comment_trick", "[x](javascript://%0Aalert(1))"sv},
    Vector{"link_backslash_colon", R"md([x](javascript\:alert(1)))md"sv},
    Vector{"link_entity_decimal", "[x](&#106;avascript:alert(1))"sv},
    Vector{"link_entity_hex", "[x](&#x6A;avascript:alert(1))"sv},
    Vector{"link_entity_colon", "[x](javascript&colon;alert(1))"sv},
    Vector{"link_fully_encoded",
           "[x](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))"sv},
    Vector{"link_padded_entities", "[x](&#0000106&#0000097vascript:alert(1))"sv},
    Vector{"link_entity_tab", "[x](java&#9;script:alert(1))"sv},
    Vector{"link_entity_newline", "[x](java&#x0A;script:alert(1))"sv},
    Vector{"link_entity_carriage_return", "[x](java&#13;script:alert(1))"sv},
    Vector{"link_entity_leading_control", "[x](&#1;javascript:alert(1))"sv},
    Vector{"link_entity_leading_space", "[x](&#32;javascript:alert(1))"sv},
    Vector{"link_nbsp_prefix", "[x](&nbsp;javascript:alert(1))"sv},
    Vector{"link_null_byte", "[x](java\0script:alert(1))"sv},
    Vector{"link_vbscript", "[x](vbscript:msgbox(1))"sv},
    Vector{"link_vbscript_mixed", "[x](VbScRiPt:msgbox(1))"sv},
    Vector{"link_data_html", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"sv},
    Vector{"link_file", "[x](file:///etc/passwd)"sv},
    Vector{"image_javascript", "![x](javascript:alert(1))"sv},
    Vector{"image_data_png", "![x](data:image/png;base64,iVBORw0KGgo=)"sv},
    Vector{"image_data_svg", "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"sv},
    Vector{"image_vbscript", "![x](vbscript:msgbox(1))"sv},
    Vector{"reference_link", "[x][r]\n\n[r]: javascript:alert(1)"sv},
    Vector{"reference_image", "![x][r]\n\n[r]: javascript:alert(1)"sv},
    Vector{"reference_collapsed_entity", "[r][]\n\n[r]: &#x6A;avascript:alert(1)"sv},
    Vector{"autolink_javascript", "<javascript:alert(1)>"sv},
    Vector{"autolink_mixed_case", "<JaVaScRiPt:alert(1)>"sv},
    Vector{"autolink_vbscript", "<vbscript:msgbox(1)>"sv},
    Vector{"autolink_data", "<data:text/html,<script>alert(1)</script>>"sv},
    // Dangerous links inside other constructs, which the AST walk must reach.
    Vector{"link_inside_link_text", "[[x](javascript:alert(1))](http://ok)"sv},
    Vector{"image_inside_link", "[![x](javascript:alert(1))](javascript:alert(2))"sv},
    Vector{"link_inside_image_alt", "![[x](javascript:alert(1))](http://ok/i.png)"sv},
    Vector{"link_in_table_cell", "| a |\n|---|\n| [x](javascript:alert(1)) |"sv},
    Vector{"link_in_strikethrough", "~~[x](javascript:alert(1))~~"sv},
    Vector{"link_in_heading", "# [x](javascript:alert(1))"sv},
    Vector{"link_in_task_item", "- [ ] [x](javascript:alert(1))"sv},
    Vector{"link_in_blockquote", "> [x](javascript:alert(1))"sv},
    // Attribute injection through titles, alt text and fence info strings.
    Vector{"title_double_quote", R"md([x](http://a "\" onmouseover=alert(1)"))md"sv},
    Vector{"title_single_quote", R"md([x](http://a 'x\' onmouseover=alert(1)'))md"sv},
    Vector{"title_parenthesised", R"md([x](http://a ("onmouseover=alert(1))))md"sv},
    Vector{"title_reference", "[x][r]\n\n[r]: http://a \"\\\"><script>alert(1)</script>\""sv},
    Vector{"image_title", R"md(![x](http://a/i.png "\" onerror=alert(1)"))md"sv},
    Vector{"image_alt", R"md(![" onerror=alert(1) x="](http://a/i.png))md"sv},
    Vector{"url_quote_break", R"md([x](http://a/"onmouseover=alert(1)))md"sv},
    Vector{"fence_info", "```\" onmouseover=alert(1)\ncode\n```"sv},
    Vector{"entity_text", "&lt;script&gt;alert(1)&lt;/script&gt;"sv},
};

// Names the vector in failure messages instead of dumping its bytes.
void PrintTo(const Vector& vector, std::ostream* out) {
  *out << vector.name;
}

class XssVector : public ::testing::TestWithParam<Vector> {};

TEST_P(XssVector, RendersHarmless) {
  const std::string html = render_markdown(GetParam().markdown);
  EXPECT_THAT(xss_findings(html), IsEmpty()) << html;
}

INSTANTIATE_TEST_SUITE_P(OwaspStyle, XssVector, ::testing::ValuesIn(kVectors),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(XssVectors, AreEnough) {
  EXPECT_GE(kVectors.size(), 40U);
}

// --- Rendering -----------------------------------------------------------------------------------

TEST(RenderMarkdown, Headings) {
  EXPECT_EQ(render_markdown("# Eins\n\n### Drei"), "<h1>Eins</h1>\n<h3>Drei</h3>\n");
}

TEST(RenderMarkdown, Lists) {
  EXPECT_EQ(render_markdown("- a\n- b\n  1. c\n"),
            "<ul>\n<li>a</li>\n<li>b\n<ol>\n<li>c</li>\n</ol>\n</li>\n</ul>\n");
}

TEST(RenderMarkdown, TaskList) {
  const auto html = render_markdown("- [x] erledigt\n- [ ] offen\n");
  EXPECT_THAT(html, HasSubstr("<input type=\"checkbox\" checked=\"\" disabled=\"\" /> erledigt"));
  EXPECT_THAT(html, HasSubstr("<input type=\"checkbox\" disabled=\"\" /> offen"));
}

TEST(RenderMarkdown, Table) {
  EXPECT_EQ(render_markdown("| Feld | Wert |\n|:--|--:|\n| a | 1 |\n"),
            "<table>\n<thead>\n<tr>\n<th align=\"left\">Feld</th>\n<th align=\"right\">Wert</th>\n"
            "</tr>\n</thead>\n<tbody>\n<tr>\n<td align=\"left\">a</td>\n"
            "<td align=\"right\">1</td>\n</tr>\n</tbody>\n</table>\n");
}

TEST(RenderMarkdown, Strikethrough) {
  EXPECT_EQ(render_markdown("~~alt~~ neu"), "<p><del>alt</del> neu</p>\n");
}

TEST(RenderMarkdown, Code) {
  EXPECT_EQ(render_markdown("Use `a < b` here"), "<p>Use <code>a &lt; b</code> here</p>\n");
  EXPECT_EQ(render_markdown("```sh\nsudo <cmd>\n```"),
            "<pre><code class=\"language-sh\">sudo &lt;cmd&gt;\n</code></pre>\n");
}

TEST(RenderMarkdown, Autolinks) {
  EXPECT_EQ(render_markdown("www.example.com"),
            "<p><a rel=\"nofollow noopener\" href=\"http://www.example.com\">www.example.com</a>"
            "</p>\n");
  EXPECT_EQ(render_markdown("https://example.org/a?b=1&c=2"),
            "<p><a rel=\"nofollow noopener\" href=\"https://example.org/a?b=1&amp;c=2\">"
            "https://example.org/a?b=1&amp;c=2</a></p>\n");
  EXPECT_EQ(render_markdown("<it@example.com>"),
            "<p><a rel=\"nofollow noopener\" href=\"mailto:it@example.com\">it@example.com</a>"
            "</p>\n");
}

TEST(RenderMarkdown, Umlauts) {
  EXPECT_EQ(render_markdown("# Größe\n\nÄrger über Übermaß, ß"),
            "<h1>Größe</h1>\n<p>Ärger über Übermaß, ß</p>\n");
}

TEST(RenderMarkdown, KeepsSafeUrls) {
  EXPECT_EQ(render_markdown("[a](https://x.de/p) [b](HTTP://x.de) [c](/kb/12) [d](#schritt-2) "
                            "[e](mailto:it@x.de) [f](hilfe.html) [g]()"),
            "<p><a rel=\"nofollow noopener\" href=\"https://x.de/p\">a</a> "
            "<a rel=\"nofollow noopener\" href=\"HTTP://x.de\">b</a> "
            "<a rel=\"nofollow noopener\" href=\"/kb/12\">c</a> "
            "<a rel=\"nofollow noopener\" href=\"#schritt-2\">d</a> "
            "<a rel=\"nofollow noopener\" href=\"mailto:it@x.de\">e</a> "
            "<a rel=\"nofollow noopener\" href=\"hilfe.html\">f</a> "
            "<a rel=\"nofollow noopener\" href=\"\">g</a></p>\n");
  EXPECT_EQ(render_markdown("![Netzwerk](/img/netz.png \"Plan\")"),
            "<p><img src=\"/img/netz.png\" alt=\"Netzwerk\" title=\"Plan\" /></p>\n");
}

TEST(RenderMarkdown, UnsafeLinkBecomesItsText) {
  EXPECT_EQ(render_markdown("Vor [*Klick* hier](javascript:alert(1)) nach"),
            "<p>Vor <em>Klick</em> hier nach</p>\n");
  EXPECT_EQ(render_markdown("| a |\n|---|\n| [x](vbscript:y) |"),
            "<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>x</td>\n"
            "</tr>\n</tbody>\n</table>\n");
}

TEST(RenderMarkdown, UnsafeImageBecomesItsAltText) {
  EXPECT_EQ(render_markdown("![Diagramm](data:image/png;base64,AAAA)"), "<p>Diagramm</p>\n");
}

TEST(RenderMarkdown, TitleCannotBreakOutOfItsAttribute) {
  EXPECT_EQ(render_markdown("[x](http://a \"\\\" onmouseover=alert(1)\")"),
            "<p><a rel=\"nofollow noopener\" href=\"http://a\" "
            "title=\"&quot; onmouseover=alert(1)\">x</a></p>\n");
}

TEST(RenderMarkdown, RawHtmlIsOmitted) {
  EXPECT_EQ(render_markdown("a <b>b</b>"),
            "<p>a <!-- raw HTML omitted -->b<!-- raw HTML omitted --></p>\n");
}

TEST(RenderMarkdown, OutputIsValidUtf8) {
  EXPECT_EQ(render_markdown("a\xff"
                            "b\0c"sv),
            "<p>a\uFFFDb\uFFFDc</p>\n");
}

TEST(RenderMarkdown, Empty) {
  EXPECT_EQ(render_markdown(""), "");
}

// cmark-gfm 0.29 shares a table of extension characters between parsers; without the lock in
// parse(), concurrent parses lose strikethrough, autolinks or table cells now and then.
TEST(RenderMarkdown, SameResultFromManyThreads) {
  const std::string article =
      "# Drucker\n\n~~alt~~ neu, siehe www.example.com und a@b.de\n\n| a | b |\n|---|---|\n"
      "| ~~x~~ | https://x.de |\n";
  const std::string expected = render_markdown(article);
  std::vector<int> mismatches(4, 0);
  {
    std::vector<std::jthread> threads;
    threads.reserve(mismatches.size());
    for (int& count : mismatches) {
      threads.emplace_back([&article, &expected, &count] {
        for (int i = 0; i < 2000; ++i) {
          if (render_markdown(article) != expected) ++count;
        }
      });
    }
  }
  for (const int count : mismatches) EXPECT_EQ(count, 0);
}

// --- Plain text ----------------------------------------------------------------------------------

TEST(MarkdownToText, ParagraphsAndHeadingsAreSeparatedByBlankLines) {
  EXPECT_EQ(markdown_to_text("# Titel\n\nErster *Absatz*,\nzweite Zeile.\n\nZweiter **Absatz**."),
            "Titel\n\nErster Absatz, zweite Zeile.\n\nZweiter Absatz.");
}

TEST(MarkdownToText, HardBreakIsALine) {
  EXPECT_EQ(markdown_to_text("eins  \nzwei"), "eins\nzwei");
}

TEST(MarkdownToText, TableCellsAreSeparatedBySpaces) {
  EXPECT_EQ(
      markdown_to_text("Vorher\n\n| Feld | Wert |\n|---|---|\n| a | 1 |\n| b | 2 |\n\nNachher"),
      "Vorher\n\nFeld Wert\na 1\nb 2\n\nNachher");
}

TEST(MarkdownToText, LinkTextStaysUrlGoes) {
  EXPECT_EQ(markdown_to_text("Siehe [die Anleitung](https://x.de/a \"Titel\") und "
                             "![Bild](/i.png) und <https://y.de>."),
            "Siehe die Anleitung und Bild und https://y.de.");
}

TEST(MarkdownToText, CodeIsKeptAsText) {
  EXPECT_EQ(markdown_to_text("Run `ipconfig /all`:\n\n```\nping 10.0.0.1\nexit\n```\n\nDone."),
            "Run ipconfig /all:\n\nping 10.0.0.1\nexit\n\nDone.");
}

TEST(MarkdownToText, Lists) {
  EXPECT_EQ(markdown_to_text("- [x] eins\n- zwei\n  - drei\n\nText"), "eins\nzwei\ndrei\n\nText");
  EXPECT_EQ(markdown_to_text("1. a\n\n2. b"), "a\n\nb");
}

TEST(MarkdownToText, NoMarkupSurvives) {
  EXPECT_EQ(markdown_to_text("> ~~alt~~ <b>fett</b> &amp; mehr\n\n---\n\n<div>\nversteckt\n</div>"),
            "alt fett & mehr");
}

TEST(MarkdownToText, Umlauts) {
  EXPECT_EQ(markdown_to_text("## Änderung\n\nGrüße, Öl, Maß"), "Änderung\n\nGrüße, Öl, Maß");
}

TEST(MarkdownToText, Empty) {
  EXPECT_EQ(markdown_to_text(""), "");
  EXPECT_EQ(markdown_to_text("<!-- nur ein Kommentar -->"), "");
}

}  // namespace
}  // namespace fl
