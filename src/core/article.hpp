// Knowledge-base articles (line 0): what users read before they call.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/names.hpp"
#include "core/time.hpp"

namespace fl {

using ArticleId = std::int64_t;
using CategoryId = std::int64_t;

enum class ArticleKind { faq, howto, troubleshooting };
template <>
struct EnumNames<ArticleKind> {
  static constexpr std::array<std::pair<ArticleKind, std::string_view>, 3> table{{
      {ArticleKind::faq, "faq"},
      {ArticleKind::howto, "howto"},
      {ArticleKind::troubleshooting, "troubleshooting"},
  }};
};

// `public` articles are for customers; `internal` ones for agents only.
enum class Audience { public_, internal };
template <>
struct EnumNames<Audience> {
  static constexpr std::array<std::pair<Audience, std::string_view>, 2> table{{
      {Audience::public_, "public"},
      {Audience::internal, "internal"},
  }};
};

enum class ArticleStatus { draft, published, archived };
template <>
struct EnumNames<ArticleStatus> {
  static constexpr std::array<std::pair<ArticleStatus, std::string_view>, 3> table{{
      {ArticleStatus::draft, "draft"},
      {ArticleStatus::published, "published"},
      {ArticleStatus::archived, "archived"},
  }};
};

// The languages Firstline speaks (UI, articles, search analysis).
[[nodiscard]] constexpr bool is_language(std::string_view code) {
  return code == "de" || code == "en";
}

struct Category {
  CategoryId id = 0;
  std::string name;
  std::optional<CategoryId> parent;  // a tree: top-level categories have none
};

inline constexpr std::size_t kMaxCategoryDepth = 32;

// The category `id` and its ancestors, root first (empty for none or an unknown id); pointers
// into `all`. An unknown parent ends the path; at most kMaxCategoryDepth levels.
[[nodiscard]] std::vector<const Category*> category_ancestry(const std::vector<Category>& all,
                                                             std::optional<CategoryId> id);

struct Article {
  ArticleId id = 0;
  std::string title;
  std::string body;  // Markdown (GitHub flavour); rendered and sanitised on the way out
  std::string language = "en";
  // Translations share a group: the id of the article the first one was written for.
  std::optional<ArticleId> translation_of;
  std::optional<CategoryId> category;
  ArticleKind kind = ArticleKind::faq;
  Audience audience = Audience::public_;
  ArticleStatus status = ArticleStatus::draft;
  std::vector<std::string> keywords;  // also synonyms for search
  int version = 0;                    // 1 for the first; every edit is a new version
  UserId author = 0;                  // who wrote this version
  Timestamp created_at{};
  Timestamp updated_at{};
  // Counters, kept beside the article (not versioned).
  std::int64_t views = 0;
  std::int64_t helpful = 0;
  std::int64_t not_helpful = 0;
};

}  // namespace fl
