// Knowledge-base articles are written in Markdown; this turns them into HTML that is safe to
// serve to any browser, and into plain text for the search index and result snippets.
#pragma once

#include <string>
#include <string_view>

namespace fl {

// GitHub-flavoured Markdown (tables, strikethrough, autolinks, task lists) as an HTML fragment.
//
// Safe to embed in a page as is: raw HTML in the input never reaches the output (cmark-gfm
// replaces it with `<!-- raw HTML omitted -->`), and a link or image keeps its URL only if that
// URL is relative, a fragment, or uses http, https or mailto. Any other link is reduced to its
// text and any other image to its alt text, so no `javascript:`, `vbscript:`, `data:` or `file:`
// URL survives, however it is spelled. Every link carries rel="nofollow noopener".
//
// Input is UTF-8; invalid sequences and NUL bytes become U+FFFD, so the output is valid UTF-8.
// Thread-safe. Parses are serialised inside (a cmark-gfm limitation, see markdown.cpp) and take
// about 0.5 ms for 10 KB: keep the HTML with the article version rather than render per view.
// Throws std::bad_alloc, or std::logic_error if cmark-gfm lacks one of its own core extensions.
[[nodiscard]] std::string render_markdown(std::string_view markdown);

// The words of the same Markdown without markup, for indexing and snippets.
//
// Blocks (paragraphs, headings, code blocks, list items) are separated by a blank line, items of
// a tight list by one line break; table rows are lines and their cells are separated by a space.
// Link text and image alt text are kept, URLs dropped; code is kept as text; raw HTML is dropped
// as the page drops it (words between inline tags stay). The result is text, not HTML: escape it
// before putting it into a page.
// Same UTF-8 and thread-safety guarantees as render_markdown.
[[nodiscard]] std::string markdown_to_text(std::string_view markdown);

}  // namespace fl
