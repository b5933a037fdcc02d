// Knowledge-base rows: see knowledge_base.hpp.
#include "store/sqlite/knowledge_base.hpp"

#include <spdlog/fmt/fmt.h>

#include "store/sqlite/mutations.hpp"
#include "store/sqlite/records.hpp"

namespace fl::sqlite {

namespace {

// The content columns shared by `articles` and `article_versions`, in from_row order.
constexpr std::string_view kContentColumns =
    "title, body, language, translation_of, category_id, kind, audience, status, keywords, "
    "author_id";

// Reads kContentColumns starting at `first`.
Result<void> content_from_row(const Statement& row, int first, Article& a) {
  auto kind = enum_at<ArticleKind>(row, first + 5, "article kind");
  if (!kind) return error_of(kind);
  auto audience = enum_at<Audience>(row, first + 6, "audience");
  if (!audience) return error_of(audience);
  auto status = enum_at<ArticleStatus>(row, first + 7, "article status");
  if (!status) return error_of(status);
  a.title = row.text_at(first);
  a.body = row.text_at(first + 1);
  a.language = row.text_at(first + 2);
  a.translation_of = row.optional_int64_at(first + 3);
  a.category = row.optional_int64_at(first + 4);
  a.kind = *kind;
  a.audience = *audience;
  a.status = *status;
  a.keywords = split_list(row.text_at(first + 8));
  a.author = row.int64_at(first + 9);
  return {};
}

// id, version, created_at, updated_at, views, helpful, not_helpful, then content.
const std::string& article_select() {
  static const std::string sql = fmt::format(
      "SELECT id, version, created_at, updated_at, views, helpful, not_helpful, {} FROM articles",
      kContentColumns);
  return sql;
}

Result<Article> article_from_row(const Statement& row) {
  Article a;
  a.id = row.int64_at(0);
  a.version = row.int_at(1);
  a.created_at = row.time_at(2);
  a.updated_at = row.time_at(3);
  a.views = row.int64_at(4);
  a.helpful = row.int64_at(5);
  a.not_helpful = row.int64_at(6);
  if (auto r = content_from_row(row, 7, a); !r) return error_of(r);
  return a;
}

void bind_content(Statement& s, const Article& a) {
  s.bind_all(a.title, a.body, a.language, a.translation_of, a.category, name_of(a.kind),
             name_of(a.audience), name_of(a.status), join_list(a.keywords), a.author);
}

// A foreign-key failure on an article names the reference that broke.
Error explain_article(Connection& c, Error error, const Article& a) {
  if (!is_missing_reference(error)) return error;
  auto check = [&](std::string_view field, std::string_view table,
                   std::optional<std::int64_t> id) -> std::optional<Error> {
    if (!id) return std::nullopt;
    auto statement = c.prepare(fmt::format("SELECT 1 FROM {} WHERE id = ?", table));
    if (!statement) return statement.error();
    statement->bind(*id);
    auto found = statement->step();
    if (!found) return found.error();
    if (*found) return std::nullopt;
    return invalid_field(std::string(field), fmt::format("no such record: {}", *id)).error();
  };
  for (auto e :
       {check("category_id", "kb_categories", a.category),
        check("translation_of", "articles", a.translation_of), check("author", "users", a.author)})
    if (e) return *e;
  return error;
}

// A row of the article's id, its version, its content and its time (updated_at), into the
// table and columns `insert` names, with "{}" for the content columns.
Result<void> insert_content_row(Connection& c, std::string_view insert, const Article& a) {
  auto statement = c.prepare(fmt::format(fmt::runtime(insert), kContentColumns) +
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!statement) return error_of(statement);
  statement->bind_all(a.id, a.version);
  bind_content(*statement, a);
  statement->bind(a.updated_at);
  return statement->run();
}

Result<void> insert_version(Connection& c, const Article& a) {
  return insert_content_row(c, "INSERT INTO article_versions (article_id, version, {}, created_at)",
                            a);
}

}  // namespace

Result<Category> insert_category(Connection& c, const Category& input, const Event& event) {
  auto statement = c.prepare("INSERT INTO kb_categories (name, parent_id) VALUES (?, ?)");
  if (!statement) return error_of(statement);
  statement->bind_all(input.name, input.parent);
  if (auto r = statement->run(); !r) {
    if (is_missing_reference(r.error()))
      return invalid_field("parent_id", fmt::format("no category {}", input.parent.value_or(0)));
    if (r.error().code == ErrorCode::conflict)
      return fail(ErrorCode::conflict,
                  fmt::format("category '{}' exists already there", input.name));
    return error_of(r);
  }
  Category stored = input;
  stored.id = c.last_insert_id();
  if (auto e = insert_event(c, event); !e) return error_of(e);
  return stored;
}

Result<Category> update_category(Connection& c, const Category& input, const Event& event) {
  auto statement = c.prepare("UPDATE kb_categories SET name = ?, parent_id = ? WHERE id = ?");
  if (!statement) return error_of(statement);
  statement->bind_all(input.name, input.parent, input.id);
  if (auto r = statement->run(); !r) {
    if (is_missing_reference(r.error()))
      return invalid_field("parent_id", fmt::format("no category {}", input.parent.value_or(0)));
    if (r.error().code == ErrorCode::conflict)
      return fail(ErrorCode::conflict,
                  fmt::format("category '{}' exists already there", input.name));
    return error_of(r);
  }
  if (c.changes() == 0) return fail(ErrorCode::not_found, fmt::format("no category {}", input.id));
  if (auto e = insert_event(c, event); !e) return error_of(e);
  return input;
}

Result<std::vector<Category>> load_categories(Connection& c) {
  auto statement = c.prepare("SELECT id, name, parent_id FROM kb_categories ORDER BY id");
  if (!statement) return error_of(statement);
  return collect<Category>(*statement, [](const Statement& row) -> Result<Category> {
    return Category{row.int64_at(0), row.text_at(1), row.optional_int64_at(2)};
  });
}

Result<Article> save_article(Connection& c, const Article& input, const Event& event) {
  Article a = input;
  if (auto ok = joinable(a.keywords, "keywords", "keyword"); !ok)
    return std::unexpected(ok.error());
  if (a.id == 0) {
    auto statement =
        c.prepare(fmt::format("INSERT INTO articles ({}, version, created_at, updated_at) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
                              kContentColumns));
    if (!statement) return error_of(statement);
    bind_content(*statement, a);
    statement->bind_all(a.created_at, a.updated_at);
    if (auto r = statement->run(); !r) return std::unexpected(explain_article(c, r.error(), a));
    a.id = c.last_insert_id();
    a.version = 1;
  } else {
    auto statement = c.prepare(fmt::format(
        "UPDATE articles SET ({}) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?), version = version + 1, "
        "updated_at = ? WHERE id = ? AND version = ?",
        kContentColumns));
    if (!statement) return error_of(statement);
    bind_content(*statement, a);
    statement->bind_all(a.updated_at, a.id, a.version);
    if (auto r = statement->run(); !r) return std::unexpected(explain_article(c, r.error(), a));
    if (c.changes() == 0) {
      auto current = load_article(c, a.id);
      if (!current) return current;
      return fail(ErrorCode::conflict,
                  fmt::format("article {} was changed meanwhile (version {} is no longer current)",
                              a.id, a.version));
    }
    ++a.version;
  }
  if (auto r = insert_version(c, a); !r) return error_of(r);
  Event e = event;
  e.article = a.id;
  if (auto stored = insert_event(c, e); !stored) return error_of(stored);
  return load_article(c, a.id);
}

Result<Article> load_article(Connection& c, ArticleId id) {
  static const std::string sql = article_select() + " WHERE id = ?";
  return one<Article>(c, sql, id, article_from_row, fmt::format("article {}", id));
}

Result<std::vector<Article>> load_articles(Connection& c, const ArticleFilter& f) {
  // Fixed SQL with "is null or" conditions: one prepared statement serves every filter.
  static const std::string sql =
      article_select() +
      " WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR audience = ?2)"
      " AND (?3 IS NULL OR language = ?3) AND (?4 IS NULL OR category_id = ?4)"
      " AND (?5 IS NULL OR kind = ?5) AND (?8 IS NULL OR translation_of = ?8)"
      " AND id > ?6 ORDER BY id LIMIT ?7";
  auto statement = c.prepare(sql);
  if (!statement) return error_of(statement);
  auto name = [](auto v) {
    return v ? std::optional<std::string>(std::string(name_of(*v))) : std::nullopt;
  };
  statement->bind_all(name(f.status), name(f.audience), f.language, f.category, name(f.kind),
                      f.after.value_or(0), std::clamp(f.limit, 1, 1000), f.translation_of);
  return collect<Article>(*statement, article_from_row);
}

Result<std::vector<Article>> load_article_history(Connection& c, ArticleId id) {
  if (auto current = load_article(c, id); !current) return error_of(current);
  static const std::string sql = fmt::format(
      "SELECT article_id, version, created_at, {} FROM article_versions WHERE article_id = ? "
      "ORDER BY version",
      kContentColumns);
  auto statement = c.prepare(sql);
  if (!statement) return error_of(statement);
  statement->bind(id);
  return collect<Article>(*statement, [](const Statement& row) -> Result<Article> {
    Article a;
    a.id = row.int64_at(0);
    a.version = row.int_at(1);
    a.updated_at = row.time_at(2);
    a.created_at = a.updated_at;
    if (auto r = content_from_row(row, 3, a); !r) return error_of(r);
    return a;
  });
}

namespace {
Result<void> bump(Connection& c, std::string_view sql, ArticleId id) {
  auto statement = c.prepare(sql);
  if (!statement) return error_of(statement);
  statement->bind(id);
  if (auto r = statement->run(); !r) return r;
  if (c.changes() == 0) return fail(ErrorCode::not_found, fmt::format("article {} not found", id));
  return {};
}
}  // namespace

Result<void> count_article_view(Connection& c, ArticleId id) {
  return bump(c, "UPDATE articles SET views = views + 1 WHERE id = ?", id);
}

Result<void> save_article_revision(Connection& c, const Article& proposal, const Event& event) {
  if (auto ok = joinable(proposal.keywords, "keywords", "keyword"); !ok) return ok;
  if (auto r = insert_content_row(
          c, "INSERT OR REPLACE INTO article_revisions (article_id, based_on, {}, proposed_at)",
          proposal);
      !r) {
    if (!is_missing_reference(r.error())) return r;
    auto exists = c.prepare("SELECT 1 FROM articles WHERE id = ?");
    if (!exists) return error_of(exists);
    exists->bind(proposal.id);
    auto found = exists->step();
    if (!found) return std::unexpected(found.error());
    if (!*found)
      return fail(ErrorCode::not_found, fmt::format("article {} not found", proposal.id));
    return std::unexpected(explain_article(c, r.error(), proposal));
  }
  Event e = event;
  e.article = proposal.id;
  if (auto stored = insert_event(c, e); !stored) return error_of(stored);
  return {};
}

Result<Article> load_article_revision(Connection& c, ArticleId id) {
  static const std::string sql = fmt::format(
      "SELECT article_id, based_on, proposed_at, {} FROM article_revisions WHERE article_id = ?",
      kContentColumns);
  return one<Article>(
      c, sql, id,
      [](const Statement& row) -> Result<Article> {
        Article a;
        a.id = row.int64_at(0);
        a.version = row.int_at(1);
        a.created_at = a.updated_at = row.time_at(2);
        if (auto r = content_from_row(row, 3, a); !r) return std::unexpected(r.error());
        return a;
      },
      fmt::format("a pending revision of article {}", id));
}

Result<void> drop_article_revision(Connection& c, ArticleId id, const std::optional<Event>& event) {
  auto statement = c.prepare("DELETE FROM article_revisions WHERE article_id = ?");
  if (!statement) return error_of(statement);
  statement->bind(id);
  if (auto r = statement->run(); !r) return r;
  if (!event || c.changes() == 0) return {};
  Event e = *event;
  e.article = id;
  if (auto stored = insert_event(c, e); !stored) return error_of(stored);
  return {};
}

Result<void> record_article_vote(Connection& c, ArticleId id, std::string_view voter,
                                 bool helpful) {
  auto earlier = c.prepare("SELECT helpful FROM article_votes WHERE article_id = ? AND voter = ?");
  if (!earlier) return error_of(earlier);
  earlier->bind(id).bind(voter);
  auto found = earlier->step();
  if (!found) return std::unexpected(found.error());
  std::optional<bool> before;
  if (*found) before = earlier->int_at(0) != 0;
  if (before == helpful) return {};  // the same vote again (its article exists: foreign key)
  if (auto r = bump(
          c,
          !before   ? (helpful ? "UPDATE articles SET helpful = helpful + 1 WHERE id = ?"
                               : "UPDATE articles SET not_helpful = not_helpful + 1 WHERE id = ?")
          : helpful ? "UPDATE articles SET helpful = helpful + 1, not_helpful = not_helpful - 1 "
                      "WHERE id = ?"
                    : "UPDATE articles SET helpful = helpful - 1, not_helpful = not_helpful + 1 "
                      "WHERE id = ?",
          id);
      !r)
    return r;
  auto upsert = c.prepare(
      "INSERT INTO article_votes (article_id, voter, helpful) VALUES (?, ?, ?) "
      "ON CONFLICT (article_id, voter) DO UPDATE SET helpful = excluded.helpful");
  if (!upsert) return error_of(upsert);
  upsert->bind(id).bind(voter).bind(helpful);
  return upsert->run();
}

Result<std::vector<std::vector<std::string>>> load_synonym_groups(Connection& c) {
  auto statement = c.prepare("SELECT terms FROM kb_synonym_groups ORDER BY id");
  if (!statement) return error_of(statement);
  return collect<std::vector<std::string>>(
      *statement, [](const Statement& row) -> Result<std::vector<std::string>> {
        return split_list(row.text_at(0));
      });
}

Result<void> replace_synonym_groups(Connection& c,
                                    const std::vector<std::vector<std::string>>& groups,
                                    const Event& event) {
  if (auto r = c.exec("DELETE FROM kb_synonym_groups"); !r) return r;
  for (const auto& group : groups) {
    if (auto ok = joinable(group, "groups", "term"); !ok) return ok;
    auto insert = c.prepare("INSERT INTO kb_synonym_groups (terms) VALUES (?)");
    if (!insert) return error_of(insert);
    insert->bind(join_list(group));
    if (auto r = insert->run(); !r) return r;
  }
  if (auto e = insert_event(c, event); !e) return error_of(e);
  return {};
}

Result<void> link_article(Connection& c, const ArticleLink& link, const Event& event) {
  auto statement = c.prepare(
      "INSERT OR IGNORE INTO article_links (ticket_id, article_id, linked_by, at) VALUES (?, ?, ?, "
      "?)");
  if (!statement) return error_of(statement);
  statement->bind_all(link.ticket, link.article, link.linked_by, link.at);
  if (auto r = statement->run(); !r) {
    if (is_missing_reference(r.error()))
      return invalid_field("article_id",
                           fmt::format("no article {} or ticket {}", link.article, link.ticket));
    return r;
  }
  if (c.changes() == 0) return {};  // linked before
  Event e = event;
  e.ticket = link.ticket;
  e.article = link.article;
  if (auto stored = insert_event(c, e); !stored) return error_of(stored);
  return {};
}

Result<std::vector<ArticleLink>> load_article_links(Connection& c, TicketId ticket) {
  auto statement = c.prepare(
      "SELECT ticket_id, article_id, linked_by, at FROM article_links WHERE ticket_id = ? "
      "ORDER BY at, article_id");
  if (!statement) return error_of(statement);
  statement->bind(ticket);
  return collect<ArticleLink>(*statement, [](const Statement& row) -> Result<ArticleLink> {
    return ArticleLink{row.int64_at(0), row.int64_at(1), row.int64_at(2), row.time_at(3)};
  });
}

}  // namespace fl::sqlite
