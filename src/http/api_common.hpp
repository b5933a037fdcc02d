// Small shared pieces of the API handlers.
#pragma once

#include <boost/json.hpp>
#include <charconv>

#include "http/api.hpp"
#include "http/json_body.hpp"
#include "http/json_mapping.hpp"
#include "http/problem.hpp"

namespace fl::http {

inline Response json_response(int status, const boost::json::value& v) {
  Response r;
  r.status = status;
  r.body = boost::json::serialize(v);
  return r;
}

inline Response no_content() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

// A positive integer id from a path segment or query value.
inline std::optional<std::int64_t> parse_id(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

// A `lang` or `language` query parameter (both spellings are in use): de or en; a wrong
// value is added to `errors` under the name the client used.
inline std::optional<std::string> language_of(const Request& r, std::vector<FieldError>& errors) {
  const char* name = r.param("lang") ? "lang" : "language";
  auto v = r.param(name);
  if (!v || v->empty()) return std::nullopt;
  if (*v != "de" && *v != "en") errors.push_back({name, "de or en"});
  return std::string(*v);
}

// A required time field of a period (`from`, `to`) as the reports and the deflection figures
// take it: a date or an RFC 3339 time; missing or wrong, it is added to `errors`.
inline std::optional<Timestamp> period_time(std::string_view name,
                                            std::optional<std::string_view> value,
                                            std::vector<FieldError>& errors) {
  constexpr std::string_view hint = "a date (2026-11-01) or a time (2026-11-01T08:00:00Z)";
  auto t = value ? parse_time(*value) : std::nullopt;
  if (!t) errors.push_back({std::string(name), (value ? "" : "required: ") + std::string(hint)});
  return t;
}

inline Response bad_id(std::string_view what) {
  return problem(404, std::string("no such ") + std::string(what));
}

// A settings document as the codec encodes it, with its id and version added.
inline boost::json::object with_identity(const std::string& encoded, std::int64_t id,
                                         std::int64_t version) {
  boost::json::object o = boost::json::parse(encoded).as_object();
  o["id"] = id;
  o["version"] = version;
  return o;
}

// A create (POST) or replace (PUT, with the version read) body through a codec.
template <class T, class Decode>
std::expected<T, Response> read_document(const Request& r, Decode decode, bool needs_version) {
  auto body = JsonBody::parse(r);
  if (!body) return std::unexpected(body.error());
  std::optional<std::int64_t> version;
  if (needs_version) {
    version = body->integer("version", true);
    if (auto ok = body->finish(); !ok) return std::unexpected(problem(ok.error()));
  }
  auto decoded = decode(r.body);
  if (!decoded) return std::unexpected(problem(decoded.error()));
  decoded->version = version.value_or(0);
  return std::move(*decoded);
}

}  // namespace fl::http

namespace fl::http {
// The logged-in actor, or a guest when no token is sent at all; a bad token is still 401.
std::expected<std::shared_ptr<const Actor>, Response> reader(ApiServices& s, const Request& r);

void add_people_routes(Router& router, ApiServices& s);
void add_ticket_routes(Router& router, ApiServices& s);
void add_attachment_routes(Router& router, ApiServices& s);
// The Content-Disposition of a download (RFC 6266, filename* after RFC 5987); `inline_`
// lets the browser show it in place.
std::string content_disposition(std::string_view filename, bool inline_);
void add_knowledge_routes(Router& router, ApiServices& s);
void add_search_routes(Router& router, ApiServices& s);
void add_sla_routes(Router& router, ApiServices& s);
void add_macro_routes(Router& router, ApiServices& s);
void add_bot_flow_routes(Router& router, ApiServices& s);
void add_rule_routes(Router& router, ApiServices& s);
void add_webhook_routes(Router& router, ApiServices& s);
void add_queue_routes(Router& router, ApiServices& s);
void add_bot_routes(Router& router, ApiServices& s);
void add_live_chat_routes(Router& router, ApiServices& s);
// Last: /api/v1/reports/{name} answers only what no route registered before it took.
void add_report_routes(Router& router, ApiServices& s);
// GET /api/v1/reports/staffing: before any /api/v1/reports/{name} route.
void add_staffing_routes(Router& router, ApiServices& s);
}  // namespace fl::http
