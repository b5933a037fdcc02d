#include "http/api.hpp"

#include "http/api_common.hpp"

namespace fl::http {

void add_api_routes(Router& router, ApiServices& s) {
  router.add(
      "GET", "/healthz",
      [](const Request&, const PathParams&) {
        return json_response(200, boost::json::object{{"status", "ok"}});
      },
      Execution::quick);
  router.add(
      "GET", "/api/v1/openapi.yaml",
      [&s](const Request&, const PathParams&) {
        Response r;
        r.content_type = "application/yaml";
        r.body = s.openapi_yaml;
        return r;
      },
      Execution::quick);
  // Before /api/v1/reports/{name}: the first matching route answers.
  add_staffing_routes(router, s);
  add_people_routes(router, s);
  add_search_routes(router, s);  // before /tickets/{id}: the first matching route answers
  add_sla_routes(router, s);
  add_macro_routes(router, s);
  add_bot_flow_routes(router, s);
  add_rule_routes(router, s);
  add_webhook_routes(router, s);
  add_queue_routes(router, s);
  add_ticket_routes(router, s);
  add_attachment_routes(router, s);
  add_knowledge_routes(router, s);
  add_bot_routes(router, s);
  add_live_chat_routes(router, s);
  add_report_routes(router, s);
}

}  // namespace fl::http
