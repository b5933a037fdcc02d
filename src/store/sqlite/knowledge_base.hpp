// The knowledge base's SQL: categories, versioned articles, counters, ticket links. Writes
// run on the writer connection inside their savepoint (see mutations.hpp); reads on a
// borrowed read connection.
#pragma once

#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace fl::sqlite {

[[nodiscard]] Result<Category> insert_category(Connection& c, const Category& category,
                                               const Event& event);
[[nodiscard]] Result<Category> update_category(Connection& c, const Category& category,
                                               const Event& event);
[[nodiscard]] Result<std::vector<Category>> load_categories(Connection& c);

[[nodiscard]] Result<Article> save_article(Connection& c, const Article& article,
                                           const Event& event);
[[nodiscard]] Result<Article> load_article(Connection& c, ArticleId id);
[[nodiscard]] Result<std::vector<Article>> load_articles(Connection& c,
                                                         const ArticleFilter& filter);
[[nodiscard]] Result<std::vector<Article>> load_article_history(Connection& c, ArticleId id);

[[nodiscard]] Result<void> count_article_view(Connection& c, ArticleId id);
[[nodiscard]] Result<void> save_article_revision(Connection& c, const Article& proposal,
                                                 const Event& event);
[[nodiscard]] Result<Article> load_article_revision(Connection& c, ArticleId id);
[[nodiscard]] Result<void> drop_article_revision(Connection& c, ArticleId id,
                                                 const std::optional<Event>& event);
[[nodiscard]] Result<void> record_article_vote(Connection& c, ArticleId id, std::string_view voter,
                                               bool helpful);

[[nodiscard]] Result<std::vector<std::vector<std::string>>> load_synonym_groups(Connection& c);
[[nodiscard]] Result<void> replace_synonym_groups(
    Connection& c, const std::vector<std::vector<std::string>>& groups, const Event& event);

[[nodiscard]] Result<void> link_article(Connection& c, const ArticleLink& link, const Event& event);
[[nodiscard]] Result<std::vector<ArticleLink>> load_article_links(Connection& c, TicketId ticket);

}  // namespace fl::sqlite
