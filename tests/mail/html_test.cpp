#include "mail/html.hpp"

#include <gtest/gtest.h>

namespace fl::mail {

TEST(Html, SanitiserDropsScriptsHandlersAndBadLinks) {
  std::string out = sanitise_html(
      "<p onclick=\"x()\">Hi <b>there</b></p><script>alert(1)</script>"
      "<a href=\" JaVa\tScRiPt:alert(1)\">a</a><a href=\"data:text/html,x\">b</a>"
      "<a href=\"mailto:s@d.example\">c</a><iframe src=\"https://evil\"></iframe>"
      "<STYLE>body{}</STYLE><img src=\"x\" onerror=\"alert(1)\"><form><input></form>");
  EXPECT_EQ(out.find("onclick"), std::string::npos);
  EXPECT_EQ(out.find("alert"), std::string::npos);
  EXPECT_EQ(out.find("script"), std::string::npos);
  EXPECT_EQ(out.find("data:"), std::string::npos);
  EXPECT_EQ(out.find("iframe"), std::string::npos);
  EXPECT_EQ(out.find("body{}"), std::string::npos);
  EXPECT_EQ(out.find("<form"), std::string::npos);
  EXPECT_NE(out.find("<p>Hi <b>there</b></p>"), std::string::npos);
  EXPECT_NE(out.find("href=\"mailto:s@d.example\""), std::string::npos);
}

TEST(Html, SanitiserQuotesAttributesAndClosesOpenTags) {
  EXPECT_EQ(sanitise_html("<img alt='a\"><script>' src=cid:x>"),
            "<img alt=\"a&quot;&gt;&lt;script&gt;\" src=\"cid:x\">");
  EXPECT_EQ(sanitise_html("<div><b>open"), "<div><b>open</b></div>");
  EXPECT_EQ(sanitise_html("a < b & c"), "a &lt; b &amp; c");
  EXPECT_EQ(sanitise_html("</b>stray"), "stray");
}

TEST(Html, TextFromHtml) {
  EXPECT_EQ(html_to_text("<p>Hallo&nbsp;Welt</p><p>Gr&uuml;&szlig;e<br>Anna</p>"),
            "Hallo Welt\n\nGrüße\nAnna");
  EXPECT_EQ(html_to_text("<ul><li>one</li><li>two</li></ul>"), "- one\n- two");
  EXPECT_EQ(html_to_text("<head><title>t</title></head><style>p{}</style>x &#x41;&#66;"), "x AB");
}

TEST(Html, UnclosedHeadDoesNotHideTheBody) {
  EXPECT_EQ(html_to_text("<html><head><meta charset=utf-8><body><p>Hilfe!</p>"), "Hilfe!");
  EXPECT_EQ(html_to_text("<p>a</p><script>alert(1)"), "a") << "an unclosed script hides the rest";
}

TEST(Html, NeverReadsPastTheEnd) {
  for (std::string s : {"<", "<a", "<a href", "<a href=\"", "<!--", "<script>", "&", "&#", "&#x;",
                        "<p a=b", "</"}) {
    (void)sanitise_html(s);
    (void)html_to_text(s);
  }
}

}  // namespace fl::mail
