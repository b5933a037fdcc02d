// Rules (triggers and time-based rules): app/rule_codec's JSON with the id, version and
// last change added.
#include <boost/json.hpp>

#include "app/rule_codec.hpp"
#include "http/api_common.hpp"
#include "http/json_mapping.hpp"

namespace fl::http {

namespace json = boost::json;

namespace {

json::object to_json_rule(const Rule& r) {
  json::object o = with_identity(encode_rule(r), r.id, r.version);
  o["time_based"] = r.time_based();
  o["updated_at"] = format_time(r.updated_at);
  return o;
}

}  // namespace

void add_rule_routes(Router& router, ApiServices& s) {
  router.add("GET", "/api/v1/rules", [&s](const Request& r, const PathParams&) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto all = s.rules.list(**session);
    if (!all) return problem(all.error());
    json::array items;
    for (const auto& rule : *all) items.push_back(to_json_rule(rule));
    return json_response(200, json::object{{"items", std::move(items)}});
  });
  router.add("GET", "/api/v1/rules/{id}", [&s](const Request& r, const PathParams& p) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto id = parse_id(p[0]);
    if (!id) return bad_id("rule");
    auto rule = s.rules.get(**session, *id);
    if (!rule) return problem(rule.error());
    return json_response(200, to_json_rule(*rule));
  });
  auto save = [&s](const Request& r, std::optional<RuleId> id) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto rule = read_document<Rule>(r, decode_rule, id.has_value());
    if (!rule) return rule.error();
    rule->id = id.value_or(0);
    auto saved = s.rules.save(**session, std::move(*rule));
    if (!saved) return problem(saved.error());
    return json_response(id ? 200 : 201, to_json_rule(*saved));
  };
  router.add("POST", "/api/v1/rules",
             [save](const Request& r, const PathParams&) { return save(r, std::nullopt); });
  router.add("PUT", "/api/v1/rules/{id}", [save](const Request& r, const PathParams& p) {
    auto id = parse_id(p[0]);
    if (!id) return bad_id("rule");
    return save(r, *id);
  });
}

}  // namespace fl::http
