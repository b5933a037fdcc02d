// The knowledge base under /api/v1/kb, and the articles of a ticket. Published public
// articles are readable without logging in (the self-service portal's guests).
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "http/api_common.hpp"
#include "http/json_mapping.hpp"

namespace fl::http {

namespace json = boost::json;

namespace {

std::expected<std::shared_ptr<const Actor>, Response> member(ApiServices& s, const Request& r) {
  auto session = s.auth.authenticate(r.authorization);
  if (!session) return std::unexpected(problem(session.error()));
  return *session;
}

Response articles_response(const Result<std::vector<Article>>& list, bool with_cursor, int limit) {
  if (!list) return problem(list.error());
  json::array items;
  for (const auto& a : *list) items.push_back(to_json(a, false));
  json::object o{{"items", std::move(items)}};
  if (with_cursor)
    o["next_cursor"] = std::cmp_equal(list->size(), limit) && !list->empty()
                           ? json::value(std::to_string(list->back().id))
                           : json::value(nullptr);
  return json_response(200, o);
}

Response article_response(int status, const Result<Article>& a) {
  if (!a) return problem(a.error());
  auto r = json_response(status, to_json(*a, true));
  if (status == 201)
    r.headers.emplace_back("Location", "/api/v1/kb/articles/" + std::to_string(a->id));
  return r;
}

// A pending revision: the article's content fields, and which version it edits, by whom, when.
Response revision_response(int status, const Result<Article>& a) {
  if (!a) return problem(a.error());
  json::object o = to_json(*a, true);
  for (auto key :
       {"id", "version", "created_at", "updated_at", "views", "helpful", "not_helpful", "status"})
    o.erase(key);
  o["article_id"] = a->id;
  o["based_on_version"] = a->version;
  o["proposed_at"] = format_time(a->updated_at);
  auto r = json_response(status, o);
  if (status == 201)
    r.headers.emplace_back("Location",
                           "/api/v1/kb/articles/" + std::to_string(a->id) + "/revision");
  return r;
}

// The article fields of a create or edit body (absent fields stay absent); the version is
// the caller's to read.
ArticlePatch read_fields(JsonBody& b) {
  ArticlePatch f;
  f.title = b.string("title");
  f.body = b.string("body");
  f.language = b.string("language");
  auto nullable = [&](std::string_view key) -> std::optional<std::optional<std::int64_t>> {
    if (!b.has(key)) return std::nullopt;
    if (b.is_null(key)) return std::optional<std::int64_t>{};
    if (auto v = b.integer(key)) return std::optional<std::int64_t>{*v};
    return std::nullopt;
  };
  f.translation_of = nullable("translation_of");
  f.category = nullable("category_id");
  f.kind = b.enumeration<ArticleKind>("kind");
  f.audience = b.enumeration<Audience>("audience");
  f.status = b.enumeration<ArticleStatus>("status");
  f.keywords = b.strings("keywords");
  return f;
}

Response list_articles(ApiServices& s, const Request& r) {
  auto actor = reader(s, r);
  if (!actor) return actor.error();
  ArticleFilter f;
  std::vector<FieldError> errors;
  auto enum_param = [&]<class E>(std::string_view name, std::optional<E>& out) {
    if (auto v = r.param(name)) {
      out = parse_name<E>(*v);
      if (!out) errors.push_back({std::string(name), "one of: " + allowed_names<E>()});
    }
  };
  enum_param.operator()<ArticleStatus>("status", f.status);
  enum_param.operator()<Audience>("audience", f.audience);
  enum_param.operator()<ArticleKind>("kind", f.kind);
  f.language = language_of(r, errors);
  if (auto v = r.param("category")) {
    f.category = parse_id(*v);
    if (!f.category) errors.push_back({"category", "a category id"});
  }
  if (auto v = r.param("cursor")) {
    f.after = parse_id(*v);
    if (!f.after) errors.push_back({"cursor", "not a cursor returned by this API"});
  }
  if (auto v = r.param("limit")) {
    auto n = parse_id(*v);
    if (!n || *n > 200)
      errors.push_back({"limit", "1 to 200"});
    else
      f.limit = static_cast<int>(*n);
  }
  if (!errors.empty()) return problem(invalid_fields(std::move(errors)).error());
  return articles_response(s.knowledge.list(**actor, f), true, f.limit);
}

Response create_article(ApiServices& s, const Request& r) {
  auto actor = member(s, r);
  if (!actor) return actor.error();
  auto body = JsonBody::parse(r);
  if (!body) return body.error();
  body->string("title", true);
  ArticlePatch f = read_fields(*body);
  if (auto ok = body->finish(); !ok) return problem(ok.error());
  NewArticle a;
  a.title = f.title.value_or("");
  a.body = f.body.value_or("");
  a.language = f.language.value_or("en");
  if (f.translation_of) a.translation_of = *f.translation_of;
  if (f.category) a.category = *f.category;
  a.kind = f.kind.value_or(ArticleKind::faq);
  a.audience = f.audience.value_or(Audience::public_);
  a.status = f.status.value_or(ArticleStatus::draft);
  a.keywords = f.keywords.value_or(std::vector<std::string>{});
  return article_response(201, s.knowledge.create(**actor, a));
}

// An edit body (PATCH, or a proposed revision): the fields to change and the version seen.
std::expected<ArticlePatch, Response> read_patch(const Request& r) {
  auto body = JsonBody::parse(r);
  if (!body) return std::unexpected(body.error());
  auto version = body->integer("version", true);
  ArticlePatch p = read_fields(*body);
  if (auto ok = body->finish(); !ok) return std::unexpected(problem(ok.error()));
  p.version = static_cast<int>(version.value_or(0));
  return p;
}

// A body that names only a version: {"version": n}.
std::expected<int, Response> read_version(const Request& r) {
  auto body = JsonBody::parse(r);
  if (!body) return std::unexpected(body.error());
  auto version = body->integer("version", true);
  if (auto ok = body->finish(); !ok) return std::unexpected(problem(ok.error()));
  return static_cast<int>(version.value_or(0));
}

// Parses {id} and runs `fn(actor, id)` for a logged-in actor (or a guest, if `guests`).
template <class Fn>
Handler on_article(ApiServices& s, bool guests, Fn fn) {
  return [&s, guests, fn](const Request& r, const PathParams& p) -> Response {
    auto actor = guests ? reader(s, r) : member(s, r);
    if (!actor) return actor.error();
    auto id = parse_id(p[0]);
    if (!id) return bad_id("article");
    return fn(**actor, *id, r);
  };
}

}  // namespace

std::expected<std::shared_ptr<const Actor>, Response> reader(ApiServices& s, const Request& r) {
  if (r.authorization.empty()) {
    static const auto guest = std::make_shared<const Actor>();
    return guest;
  }
  auto session = s.auth.authenticate(r.authorization);
  if (!session) return std::unexpected(problem(session.error()));
  return *session;
}

void add_knowledge_routes(Router& router, ApiServices& s) {
  router.add(
      "GET", "/api/v1/kb/articles",
      [&s](const Request& r, const PathParams&) { return list_articles(s, r); }, Execution::quick);
  router.add("POST", "/api/v1/kb/articles",
             [&s](const Request& r, const PathParams&) { return create_article(s, r); });
  // Counts a view: a write, so not `quick`.
  router.add("GET", "/api/v1/kb/articles/{id}",
             on_article(s, true, [&s](const Actor& a, ArticleId id, const Request& r) {
               auto article = s.knowledge.view(a, id);
               // Opened from the suggestions shown before filing a ticket: that is what
               // deflection counts. An unknown session is not the reader's problem.
               if (auto session = r.param("deflection_session"); article && session)
                 if (auto ok = s.deflection.opened(*session, id); !ok)
                   spdlog::debug("deflection: open not recorded: {}", ok.error().message);
               return article_response(200, article);
             }));
  router.add("PATCH", "/api/v1/kb/articles/{id}",
             on_article(s, false, [&s](const Actor& a, ArticleId id, const Request& r) {
               auto patch = read_patch(r);
               if (!patch) return patch.error();
               return article_response(200, s.knowledge.update(a, id, *patch));
             }));
  router.add("GET", "/api/v1/kb/articles/{id}/versions",
             on_article(s, false,
                        [&s](const Actor& a, ArticleId id, const Request&) {
                          auto history = s.knowledge.history(a, id);
                          if (!history) return problem(history.error());
                          json::array items;
                          for (const auto& v : *history) items.push_back(to_json(v, true));
                          return json_response(200, json::object{{"items", std::move(items)}});
                        }),
             Execution::quick);
  // A writer's change of a published article, waiting for someone who publishes.
  router.add("PUT", "/api/v1/kb/articles/{id}/revision",
             on_article(s, false, [&s](const Actor& a, ArticleId id, const Request& r) {
               auto patch = read_patch(r);
               if (!patch) return patch.error();
               return revision_response(201, s.knowledge.propose_revision(a, id, *patch));
             }));
  router.add("GET", "/api/v1/kb/articles/{id}/revision",
             on_article(s, false,
                        [&s](const Actor& a, ArticleId id, const Request&) {
                          return revision_response(200, s.knowledge.revision(a, id));
                        }),
             Execution::quick);
  router.add("DELETE", "/api/v1/kb/articles/{id}/revision",
             on_article(s, false, [&s](const Actor& a, ArticleId id, const Request&) {
               if (auto ok = s.knowledge.discard_revision(a, id); !ok) return problem(ok.error());
               return no_content();
             }));
  router.add("POST", "/api/v1/kb/articles/{id}/revision/publish",
             on_article(s, false, [&s](const Actor& a, ArticleId id, const Request& r) {
               auto version = read_version(r);
               if (!version) return version.error();
               return article_response(200, s.knowledge.publish_revision(a, id, *version));
             }));
  router.add("POST", "/api/v1/kb/articles/{id}/restore",
             on_article(s, false, [&s](const Actor& a, ArticleId id, const Request& r) {
               auto version = read_version(r);
               if (!version) return version.error();
               return article_response(201, s.knowledge.restore(a, id, *version));
             }));
  router.add("GET", "/api/v1/kb/articles/{id}/translations",
             on_article(s, true,
                        [&s](const Actor& a, ArticleId id, const Request&) {
                          return articles_response(s.knowledge.translations(a, id), false, 0);
                        }),
             Execution::quick);
  router.add("POST", "/api/v1/kb/articles/{id}/votes",
             on_article(s, true, [&s](const Actor& a, ArticleId id, const Request& r) {
               auto body = JsonBody::parse(r);
               if (!body) return body.error();
               auto helpful = body->boolean("helpful");
               if (!helpful && !body->has("helpful"))
                 body->error("helpful", "required: true or false");
               auto voter = body->string("voter");
               if (auto ok = body->finish(); !ok) return problem(ok.error());
               std::optional<std::string_view> guest_voter;
               if (voter) guest_voter = *voter;
               if (auto ok = s.knowledge.vote(a, id, *helpful, guest_voter); !ok)
                 return problem(ok.error());
               return no_content();
             }));
  // Guests browse the tree too, but a token that is sent must be valid (401 otherwise).
  router.add("GET", "/api/v1/kb/categories", [&s](const Request& r, const PathParams&) {
    if (auto actor = reader(s, r); !actor) return actor.error();
    auto all = s.knowledge.categories();
    if (!all) return problem(all.error());
    json::array items;
    for (const auto& c : *all) items.push_back(to_json(c));
    return json_response(200, json::object{{"items", std::move(items)}});
  });
  router.add("POST", "/api/v1/kb/categories", [&s](const Request& r, const PathParams&) {
    auto actor = member(s, r);
    if (!actor) return actor.error();
    auto body = JsonBody::parse(r);
    if (!body) return body.error();
    Category c;
    c.name = body->string("name", true).value_or("");
    c.parent = body->integer("parent_id");
    if (auto ok = body->finish(); !ok) return problem(ok.error());
    auto created = s.knowledge.create_category(**actor, c);
    if (!created) return problem(created.error());
    return json_response(201, to_json(*created));
  });
  router.add("PUT", "/api/v1/kb/categories/{id}", [&s](const Request& r, const PathParams& p) {
    auto actor = member(s, r);
    if (!actor) return actor.error();
    auto id = parse_id(p[0]);
    if (!id) return bad_id("category");
    auto body = JsonBody::parse(r);
    if (!body) return body.error();
    CategoryChange change;
    change.id = *id;
    change.name = body->string("name");
    if (body->has("parent_id")) {
      if (body->is_null("parent_id"))
        change.parent = std::optional<CategoryId>{};
      else if (auto parent = body->integer("parent_id"))
        change.parent = std::optional<CategoryId>{*parent};
    }
    if (auto ok = body->finish(); !ok) return problem(ok.error());
    auto changed = s.knowledge.change_category(**actor, change);
    if (!changed) return problem(changed.error());
    return json_response(200, to_json(*changed));
  });

  router.add(
      "GET", "/api/v1/kb/synonyms",
      [&s](const Request& r, const PathParams&) {
        auto actor = member(s, r);
        if (!actor) return actor.error();
        auto groups = s.knowledge.synonyms(**actor);
        if (!groups) return problem(groups.error());
        json::array out;
        for (const auto& g : *groups) out.push_back(json::array(g.begin(), g.end()));
        return json_response(200, json::object{{"groups", std::move(out)}});
      },
      Execution::quick);
  router.add("PUT", "/api/v1/kb/synonyms", [&s](const Request& r, const PathParams&) {
    auto actor = member(s, r);
    if (!actor) return actor.error();
    auto body = JsonBody::parse(r);
    if (!body) return body.error();
    auto groups = body->string_lists("groups", true);
    if (auto ok = body->finish(); !ok) return problem(ok.error());
    if (auto ok = s.knowledge.set_synonyms(**actor, *groups); !ok) return problem(ok.error());
    return no_content();
  });
  router.add("GET", "/api/v1/reports/deflection", [&s](const Request& r, const PathParams&) {
    auto actor = member(s, r);
    if (!actor) return actor.error();
    std::vector<FieldError> errors;
    auto from = period_time("from", r.param("from"), errors);
    auto to = period_time("to", r.param("to"), errors);
    if (!errors.empty()) return problem(invalid_fields(std::move(errors)).error());
    auto f = s.deflection.figures(**actor, *from, *to);
    if (!f) return problem(f.error());
    auto rate = [](std::int64_t part, std::int64_t whole) {
      return whole == 0 ? json::value(nullptr)
                        : json::value(static_cast<double>(part) / static_cast<double>(whole));
    };
    json::array articles;
    for (const auto& a : f->articles)
      articles.push_back({{"article_id", a.article},
                          {"title", a.title},
                          {"suggested", a.suggested},
                          {"opened", a.opened},
                          {"deflected", a.deflected},
                          {"tickets_despite", a.tickets_despite},
                          {"views", a.views},
                          {"helpful", a.helpful},
                          {"not_helpful", a.not_helpful}});
    std::int64_t decided = f->sessions - f->pending;
    return json_response(200, json::object{{"from", format_time(*from)},
                                           {"to", format_time(*to)},
                                           {"window_minutes", kDeflectionWindow.count()},
                                           {"sessions", f->sessions},
                                           {"with_suggestions", f->with_suggestions},
                                           {"opened", f->opened},
                                           {"deflected", f->deflected},
                                           {"tickets_filed", f->tickets_filed},
                                           {"pending", f->pending},
                                           {"deflection_rate", rate(f->deflected, decided)},
                                           {"articles", std::move(articles)}});
  });

  // A ticket's articles ("solved with") and the one-step draft from a resolved ticket.
  router.add(
      "GET", "/api/v1/tickets/{id}/articles",
      [&s](const Request& r, const PathParams& p) {
        auto actor = member(s, r);
        if (!actor) return actor.error();
        auto id = parse_id(p[0]);
        if (!id) return bad_id("ticket");
        return articles_response(s.knowledge.linked_articles(**actor, *id), false, 0);
      },
      Execution::quick);
  router.add("POST", "/api/v1/tickets/{id}/articles", [&s](const Request& r, const PathParams& p) {
    auto actor = member(s, r);
    if (!actor) return actor.error();
    auto id = parse_id(p[0]);
    if (!id) return bad_id("ticket");
    auto body = JsonBody::parse(r);
    if (!body) return body.error();
    auto article = body->integer("article_id", true);
    if (auto ok = body->finish(); !ok) return problem(ok.error());
    if (auto ok = s.knowledge.link_to_ticket(**actor, *id, *article); !ok)
      return problem(ok.error());
    return no_content();
  });
  router.add("POST", "/api/v1/tickets/{id}/article-draft",
             [&s](const Request& r, const PathParams& p) {
               auto actor = member(s, r);
               if (!actor) return actor.error();
               auto id = parse_id(p[0]);
               if (!id) return bad_id("ticket");
               return article_response(201, s.knowledge.draft_from_ticket(**actor, *id));
             });
}

}  // namespace fl::http
