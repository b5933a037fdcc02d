// Moving the knowledge base in and out as files, so a team can keep it in git:
// Markdown files with a small front-matter block, and JSON lines. Both carry the same
// fields; the category is a path ("Hardware/Drucker") created on import when missing.
//
// Front matter: the file starts with a line "---", then "key: value" lines, then "---";
// the rest is the Markdown body. Keys: id, title, language, kind, audience, status,
// category, keywords (comma-separated), translation_of. Unknown keys are an error.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "app/knowledge_base.hpp"

namespace fl {

struct ArticleFile {
  std::optional<ArticleId> id;  // present: update that article (if it exists), else create
  NewArticle article;
  std::string category_path;  // "" or "Parent/Child"
  std::string source;         // where it came from, for messages ("faq/vpn.md", "kb.jsonl:12")
};

// Parsing; errors name the source and the key or line.
[[nodiscard]] Result<ArticleFile> parse_markdown_article(std::string_view text, std::string source);
[[nodiscard]] Result<std::vector<ArticleFile>> parse_article_lines(std::string_view jsonl,
                                                                   std::string source);
// Every *.md file below `dir` (sorted by path), or one .jsonl / .md file.
[[nodiscard]] Result<std::vector<ArticleFile>> read_article_files(const std::filesystem::path& path);

struct ImportReport {
  int created = 0;
  int updated = 0;
  std::vector<std::string> failed;  // "source: message"; the others are still imported
};

// Imports as `actor` (who needs the rights to write and, for published articles, publish).
[[nodiscard]] Result<ImportReport> import_articles(KnowledgeBase& kb, const Actor& actor,
                                                   const std::vector<ArticleFile>& files);

// Every article the actor may read, newest version, id order.
[[nodiscard]] Result<void> export_article_lines(KnowledgeBase& kb, const Actor& actor, std::ostream& out);
[[nodiscard]] Result<int> export_markdown_files(KnowledgeBase& kb, const Actor& actor,
                                                const std::filesystem::path& dir);
[[nodiscard]] std::string to_markdown_file(const Article& a, const std::string& category_path);

}  // namespace fl
