// HTML from mail, made safe to show and readable as text. A small allow-list sanitiser: the
// tags and attributes a mail's formatting needs are kept, everything else is dropped (script,
// style and their content, event handlers, javascript: and other non-http links).
#pragma once

#include <string>
#include <string_view>

namespace fl::mail {

// Allowed tags: p br div span b strong i em u s ul ol li a img table thead tbody tfoot tr td th
// blockquote pre code h1-h6 hr sub sup. Allowed attributes: a href (http, https, mailto), img
// src (cid:, http, https) and alt, title, colspan, rowspan. Tags are re-written from what was
// parsed (attributes quoted and escaped), so the output cannot break out of its markup.
[[nodiscard]] std::string sanitise_html(std::string_view html);

// The text of an HTML body: block elements and <br> become line breaks, list items "- ",
// entities decoded, runs of blank lines collapsed; head, script and style left out.
[[nodiscard]] std::string html_to_text(std::string_view html);

}  // namespace fl::mail
