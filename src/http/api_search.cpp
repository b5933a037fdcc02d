// Search: the knowledge base (also for guests) with suggestions as the user types, and the
// tickets an actor may see.
#include <boost/json.hpp>

#include "http/api_common.hpp"
#include "http/json_mapping.hpp"

namespace fl::http {

namespace json = boost::json;

namespace {

Response invalid(std::vector<FieldError> errors) { return problem(invalid_fields(std::move(errors)).error()); }

// `limit` between 1 and `most`, default `fallback`.
int limit_of(const Request& r, int fallback, int most, std::vector<FieldError>& errors) {
  auto v = r.param("limit");
  if (!v) return fallback;
  auto n = parse_id(*v);
  if (!n || *n > most) {
    errors.push_back({"limit", "1 to " + std::to_string(most)});
    return fallback;
  }
  return static_cast<int>(*n);
}

Response search_articles(ApiServices& s, const Request& r) {
  auto actor = reader(s, r);
  if (!actor) return actor.error();
  std::vector<FieldError> errors;
  ArticleQuery q;
  q.text = std::string(r.param("q").value_or(""));
  if (q.text.size() > 500) errors.push_back({"q", "at most 500 bytes"});
  q.language = language_of(r, errors);
  if (auto v = r.param("category")) {
    q.category = parse_id(*v);
    if (!q.category) errors.push_back({"category", "a category id"});
  }
  if (auto v = r.param("kind")) {
    q.kind = parse_name<ArticleKind>(*v);
    if (!q.kind) errors.push_back({"kind", "one of: " + allowed_names<ArticleKind>()});
  }
  q.limit = limit_of(r, 10, 100, errors);
  if (!errors.empty()) return invalid(std::move(errors));
  auto results = s.search.search_articles(**actor, q);
  if (!results) return problem(results.error());
  json::array items;
  for (const auto& h : results->hits)
    items.push_back({{"id", h.id}, {"title", h.title}, {"score", h.score}, {"snippet", h.snippet}});
  json::array categories, kinds;
  for (const auto& [id, n] : results->category_facets) categories.push_back({{"id", id}, {"count", n}});
  for (const auto& [kind, n] : results->kind_facets) kinds.push_back({{"kind", name_of(kind)}, {"count", n}});
  json::object o{{"items", std::move(items)},
                 {"estimated_total", results->estimated_total},
                 {"facets", json::object{{"categories", std::move(categories)}, {"kinds", std::move(kinds)}}}};
  o["did_you_mean"] = results->did_you_mean ? json::value(*results->did_you_mean) : json::value(nullptr);
  return json_response(200, o);
}

Response suggest(ApiServices& s, const Request& r) {
  auto actor = reader(s, r);
  if (!actor) return actor.error();
  std::vector<FieldError> errors;
  std::string_view prefix = r.param("q").value_or("");
  if (prefix.size() > 200) errors.push_back({"q", "at most 200 bytes"});
  auto language = language_of(r, errors);
  int limit = limit_of(r, 8, 20, errors);
  if (!errors.empty()) return invalid(std::move(errors));
  auto found = s.search.suggest(**actor, prefix, language, limit);
  if (!found) return problem(found.error());
  json::array items;
  for (const auto& sg : *found) items.push_back({{"id", sg.id}, {"title", sg.title}});
  return json_response(200, json::object{{"items", std::move(items)}});
}

Response search_tickets(ApiServices& s, const Request& r) {
  auto session = s.auth.authenticate(r.authorization);
  if (!session) return problem(session.error());
  std::vector<FieldError> errors;
  std::string_view text = r.param("q").value_or("");
  if (text.size() > 500) errors.push_back({"q", "at most 500 bytes"});
  int limit = limit_of(r, 20, 100, errors);
  if (!errors.empty()) return invalid(std::move(errors));
  auto found = s.search.search_tickets(**session, text, limit);
  if (!found) return problem(found.error());
  json::array items;
  for (const auto& h : found->hits)
    items.push_back({{"id", h.id}, {"number", h.number}, {"subject", h.subject}, {"score", h.score},
                     {"snippet", h.snippet}});
  return json_response(200, json::object{{"items", std::move(items)}, {"estimated_total", found->estimated_total}});
}

}  // namespace

// Search runs on the worker pool, not the I/O threads: a query takes milliseconds (tens for a
// long one), and waiting for one of the index's readers must not stall other connections.
// Suggestions are the exception: the in-memory title table answers in microseconds (at most
// about 1.5 ms for the worst two-letter prefixes over 100,000 titles), less than the hand-off
// to a worker would cost.
void add_search_routes(Router& router, ApiServices& s) {
  router.add("GET", "/api/v1/kb/search", [&s](const Request& r, const PathParams&) { return search_articles(s, r); },
             Execution::blocking);
  router.add("GET", "/api/v1/kb/suggest", [&s](const Request& r, const PathParams&) { return suggest(s, r); },
             Execution::quick);
  router.add("GET", "/api/v1/tickets/{id}/suggested-articles", [&s](const Request& r, const PathParams& p) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto id = parse_id(p[0]);
    if (!id) return bad_id("ticket");
    std::vector<FieldError> errors;
    int limit = limit_of(r, 3, 10, errors);
    if (!errors.empty()) return invalid(std::move(errors));
    auto hits = s.search.articles_for_ticket(**session, *id, limit);
    if (!hits) return problem(hits.error());
    json::array items;
    for (const auto& h : *hits)
      items.push_back({{"id", h.id}, {"title", h.title}, {"score", h.score}, {"snippet", h.snippet},
                       {"path", "/api/v1/kb/articles/" + std::to_string(h.id)}});
    return json_response(200, json::object{{"items", std::move(items)}});
  });
  router.add("GET", "/api/v1/tickets/search", [&s](const Request& r, const PathParams&) { return search_tickets(s, r); },
             Execution::blocking);
}

}  // namespace fl::http
