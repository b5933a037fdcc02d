// Article Markdown through cmark-gfm: one parse, then either the HTML renderer (after links and
// images with unsafe URLs have been taken apart) or a walk of the tree that keeps only the words.
#include "markdown/markdown.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fl {

namespace {

// Never CMARK_OPT_UNSAFE: raw HTML must not pass. VALIDATE_UTF8 replaces invalid sequences with
// U+FFFD, so what we hand back is valid UTF-8 whatever came in.
constexpr int kOptions = CMARK_OPT_VALIDATE_UTF8;

// tagfilter only matters if raw HTML were allowed; it stays attached as a second line of defence.
constexpr std::array<const char*, 5> kExtensionNames = {"table", "strikethrough", "autolink",
                                                        "tasklist", "tagfilter"};

struct ParserFree {
  void operator()(cmark_parser* parser) const { cmark_parser_free(parser); }
};
struct NodeFree {
  void operator()(cmark_node* node) const { cmark_node_free(node); }
};
struct IterFree {
  void operator()(cmark_iter* iter) const { cmark_iter_free(iter); }
};
// Rendered buffers come from cmark's allocator, which is not necessarily malloc's.
struct BufferFree {
  void operator()(char* buffer) const { cmark_get_default_mem_allocator()->free(buffer); }
};
using Parser = std::unique_ptr<cmark_parser, ParserFree>;
using Node = std::unique_ptr<cmark_node, NodeFree>;
using Iter = std::unique_ptr<cmark_iter, IterFree>;
using Buffer = std::unique_ptr<char, BufferFree>;

// The extension registry is a global list that cmark-gfm fills without a lock: fill it exactly
// once (a function-local static is initialised once, even with concurrent callers), then only
// read it.
const std::array<cmark_syntax_extension*, kExtensionNames.size()>& core_extensions() {
  static const auto extensions = [] {
    cmark_gfm_core_extensions_ensure_registered();
    std::array<cmark_syntax_extension*, kExtensionNames.size()> found{};
    for (std::size_t i = 0; i < kExtensionNames.size(); ++i) {
      found[i] = cmark_find_syntax_extension(kExtensionNames[i]);
      if (found[i] == nullptr) {
        throw std::logic_error(std::string("cmark-gfm lacks its core extension ") +
                               kExtensionNames[i]);
      }
    }
    return found;
  }();
  return extensions;
}

// cmark-gfm 0.29 keeps the table of characters that start an extension's inline syntax in a
// global array, which every parse fills at the start of its inline pass and clears at the end
// (github/cmark-gfm PR #176, never merged). Two overlapping parses would race on it, and one
// would miss strikethrough, autolinks or table cells (the threads test shows it within a few
// thousand parses). Parsing a 10 KB article takes about half a millisecond, so parses are simply
// serialised; rendering and the tree walks, which read no such state, run in parallel.
std::mutex& inline_table_mutex() {
  static std::mutex mutex;
  return mutex;
}

// The tree holds no pointer to the parser, but the HTML renderer needs the parser's list of
// extensions, so both live together; the tree is freed first.
struct Document {
  Parser parser;
  Node root;
};

Document parse(std::string_view markdown) {
  const auto& extensions = core_extensions();
  Document doc;
  doc.parser.reset(cmark_parser_new(kOptions));
  for (cmark_syntax_extension* extension : extensions) {
    cmark_parser_attach_syntax_extension(doc.parser.get(), extension);
  }
  const std::lock_guard lock(inline_table_mutex());
  cmark_parser_feed(doc.parser.get(), markdown.data(), markdown.size());
  doc.root.reset(cmark_parser_finish(doc.parser.get()));
  return doc;
}

char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Judged as a browser reads a URL: it skips leading control characters and spaces, ignores tabs
// and line breaks anywhere, and takes everything before the first ':' as the scheme unless a '/',
// '?' or '#' comes first (then the URL is relative). cmark has already decoded entities and
// backslash escapes, so `&#106;avascript:` arrives here as `javascript:`. Anything that looks like
// a scheme and is not on the list is refused, even where a browser would not call it one.
bool is_safe_url(std::string_view url) {
  std::string scheme;
  bool leading = true;
  for (const char c : url) {
    if (leading && static_cast<unsigned char>(c) <= 0x20) continue;
    leading = false;
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (c == ':') return scheme == "http" || scheme == "https" || scheme == "mailto";
    if (c == '/' || c == '?' || c == '#') return true;
    scheme.push_back(ascii_lower(c));
  }
  return true;
}

// Puts the node's children in its place and frees it: a link becomes its text, an image its alt
// text. Should the parent refuse one of the children (an extension node with narrow rules), the
// node stays with its URL emptied instead, which is equally harmless.
void unwrap(cmark_node* node) {
  while (cmark_node* child = cmark_node_first_child(node)) {
    if (cmark_node_insert_before(node, child) == 0) {
      cmark_node_set_url(node, "");
      return;
    }
  }
  cmark_node_free(node);
}

// Collected first and changed afterwards: freeing nodes under a live iterator is not allowed.
// Unwrapping only moves children, so nodes further down the list stay valid.
void drop_unsafe_urls(cmark_node* root) {
  std::vector<cmark_node*> unsafe;
  const Iter iter(cmark_iter_new(root));
  for (auto event = cmark_iter_next(iter.get()); event != CMARK_EVENT_DONE;
       event = cmark_iter_next(iter.get())) {
    cmark_node* node = cmark_iter_get_node(iter.get());
    const auto type = cmark_node_get_type(node);
    if (event != CMARK_EVENT_ENTER || (type != CMARK_NODE_LINK && type != CMARK_NODE_IMAGE)) {
      continue;
    }
    const char* url = cmark_node_get_url(node);
    if (url != nullptr && !is_safe_url(url)) unsafe.push_back(node);
  }
  for (cmark_node* node : unsafe) unwrap(node);
}

// In safe mode cmark escapes every `<` of text and attribute values and omits raw HTML, so the
// only `<a href="` in its output is the start of a link it wrote itself.
std::string add_link_rel(std::string_view html) {
  constexpr std::string_view kLinkStart = R"(<a href=")";
  constexpr std::string_view kWithRel = R"(<a rel="nofollow noopener" href=")";
  std::string out;
  out.reserve(html.size());
  for (auto at = html.find(kLinkStart); at != std::string_view::npos; at = html.find(kLinkStart)) {
    out.append(html.substr(0, at)).append(kWithRel);
    html.remove_prefix(at + kLinkStart.size());
  }
  out.append(html);
  return out;
}

// What separates two pieces of text; when several are asked for, the widest wins.
enum class Gap { none, space, line, blank_line };

class TextWriter {
 public:
  void gap(Gap wanted) { pending_ = std::max(pending_, wanted); }

  void text(std::string_view words) {
    if (words.empty()) return;
    if (!out_.empty()) {
      switch (pending_) {
        case Gap::none:
          break;
        case Gap::space:
          out_ += ' ';
          break;
        case Gap::line:
          out_ += '\n';
          break;
        case Gap::blank_line:
          out_ += "\n\n";
          break;
      }
    }
    pending_ = Gap::none;
    out_ += words;
  }

  [[nodiscard]] std::string take() && { return std::move(out_); }

 private:
  std::string out_;
  Gap pending_ = Gap::none;
};

std::string_view type_name(cmark_node* node) {
  const char* name = cmark_node_get_type_string(node);
  return name != nullptr ? name : "";
}

std::string_view literal(cmark_node* node) {
  const char* text = cmark_node_get_literal(node);
  return text != nullptr ? text : "";
}

// Items of a tight list, and everything inside them, are one line each; other blocks are
// paragraphs. A table's first row is a "table_header" node, the others "table_row".
Gap block_gap(cmark_node* node) {
  const auto name = type_name(node);
  if (name == "table_cell") return Gap::space;
  if (name == "table_row" || name == "table_header") return Gap::line;
  for (cmark_node* at = node; at != nullptr; at = cmark_node_parent(at)) {
    if (cmark_node_get_type(at) == CMARK_NODE_ITEM) {
      return cmark_node_get_list_tight(cmark_node_parent(at)) != 0 ? Gap::line : Gap::blank_line;
    }
  }
  return Gap::blank_line;
}

std::string_view without_trailing_newlines(std::string_view text) {
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  return text;
}

bool is_block(cmark_node* node) {
  return (cmark_node_get_type(node) & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK;
}

}  // namespace

std::string render_markdown(std::string_view markdown) {
  const Document doc = parse(markdown);
  drop_unsafe_urls(doc.root.get());
  const Buffer html(cmark_render_html(doc.root.get(), kOptions,
                                      cmark_parser_get_syntax_extensions(doc.parser.get())));
  return add_link_rel(html.get());
}

std::string markdown_to_text(std::string_view markdown) {
  const Document doc = parse(markdown);
  TextWriter writer;
  const Iter iter(cmark_iter_new(doc.root.get()));
  for (auto event = cmark_iter_next(iter.get()); event != CMARK_EVENT_DONE;
       event = cmark_iter_next(iter.get())) {
    cmark_node* node = cmark_iter_get_node(iter.get());
    switch (cmark_node_get_type(node)) {
      case CMARK_NODE_DOCUMENT:
        break;
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
        writer.text(literal(node));
        break;
      case CMARK_NODE_SOFTBREAK:
        writer.gap(Gap::space);
        break;
      case CMARK_NODE_LINEBREAK:
        writer.gap(Gap::line);
        break;
      // A leaf block has no exit event: separate it on both sides here.
      case CMARK_NODE_CODE_BLOCK:
        writer.gap(block_gap(node));
        writer.text(without_trailing_newlines(literal(node)));
        writer.gap(block_gap(node));
        break;
      // Other blocks only separate text. Raw HTML, inline or block, adds nothing: render_markdown
      // leaves it out of the page, so readers never see it and search should not find it. Words
      // between inline tags are TEXT nodes of their own and stay.
      default:
        if (is_block(node)) writer.gap(block_gap(node));
        break;
    }
  }
  return std::move(writer).take();
}

}  // namespace fl
