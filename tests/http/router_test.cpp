#include "http/router.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace fl::http {

namespace {
Request get(std::string path, std::string method = "GET") {
  Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  return r;
}
Response text(std::string body) {
  Response r;
  r.body = std::move(body);
  return r;
}
}  // namespace

TEST(Router, MatchesPatternsAndCapturesParameters) {
  Router router;
  router.add("GET", "/api/v1/tickets/{id}",
             [](const Request&, const PathParams& p) { return text("t" + p[0]); });
  router.add("GET", "/api/v1/tickets/{id}/entries",
             [](const Request&, const PathParams& p) { return text("e" + p[0]); });
  auto d = router.dispatch(get("/api/v1/tickets/42"));
  EXPECT_EQ(d.response.body, "t42");
  EXPECT_EQ(d.route, "/api/v1/tickets/{id}");
  EXPECT_EQ(router.dispatch(get("/api/v1/tickets/42/entries")).response.body, "e42");
  EXPECT_EQ(router.dispatch(get("/api/v1/tickets/42/")).response.body, "t42") << "trailing slash";
}

TEST(Router, UnknownPathIs404ProblemAndWrongMethodIs405WithAllow) {
  Router router;
  router.add("GET", "/healthz", [](const Request&, const PathParams&) { return text("ok"); });
  router.add("POST", "/healthz", [](const Request&, const PathParams&) { return text("ok"); });
  auto missing = router.dispatch(get("/nope"));
  EXPECT_EQ(missing.response.status, 404);
  EXPECT_EQ(missing.response.content_type, "application/problem+json");
  EXPECT_EQ(missing.route, "unmatched");
  auto wrong = router.dispatch(get("/healthz", "DELETE"));
  EXPECT_EQ(wrong.response.status, 405);
  ASSERT_EQ(wrong.response.headers.size(), 1u);
  EXPECT_EQ(wrong.response.headers[0].second, "GET, POST");
}

TEST(Router, AStrayExceptionBecomesA500Problem) {
  Router router;
  router.add("GET", "/boom",
             [](const Request&, const PathParams&) -> Response { throw std::runtime_error("x"); });
  auto d = router.dispatch(get("/boom"));
  EXPECT_EQ(d.response.status, 500);
  EXPECT_EQ(d.response.body.find("x\""), std::string::npos) << "internals are not disclosed";
}

}  // namespace fl::http

namespace fl::http {

TEST(Router, KnowsWhichRoutesAreQuick) {
  Router router;
  auto ok = [](const Request&, const PathParams&) { return Response{}; };
  router.add("GET", "/api/v1/tickets/{id}", ok, Execution::quick);
  router.add("PATCH", "/api/v1/tickets/{id}", ok);
  EXPECT_TRUE(router.is_quick(get("/api/v1/tickets/7")));
  EXPECT_FALSE(router.is_quick(get("/api/v1/tickets/7", "PATCH")));
  EXPECT_FALSE(router.is_quick(get("/nowhere")));
}

}  // namespace fl::http

namespace fl::http {

TEST(Router, AWebSocketPathAnswersAPlainGetWith426) {
  Router router;
  router.add_websocket("/api/v1/events",
                       [](const UpgradeRequest&, std::shared_ptr<WebSocketChannel>) {
                         return WebSocketOutcome{Response{}};
                       });
  std::string pattern;
  EXPECT_NE(router.websocket("/api/v1/events", &pattern), nullptr);
  EXPECT_EQ(pattern, "/api/v1/events");
  EXPECT_EQ(router.websocket("/api/v1/tickets"), nullptr);
  auto d = router.dispatch(get("/api/v1/events"));
  EXPECT_EQ(d.response.status, 426);
  EXPECT_EQ(d.response.content_type, "application/problem+json");
  ASSERT_EQ(d.response.headers.size(), 1u);
  EXPECT_EQ(d.response.headers[0], (std::pair<std::string, std::string>{"Upgrade", "websocket"}));
  EXPECT_EQ(router.dispatch(get("/api/v1/events", "POST")).response.status, 405);
}

TEST(Router, TellsAfterASuccessfulChange) {
  Router router;
  int changes = 0;
  router.after_change([&changes] { ++changes; });
  router.add("GET", "/t", [](const Request&, const PathParams&) { return Response{}; });
  router.add("POST", "/t", [](const Request&, const PathParams&) { return Response{201}; });
  router.add("PUT", "/bad", [](const Request&, const PathParams&) { return Response{422}; });
  (void)router.dispatch(get("/t"));
  EXPECT_EQ(changes, 0);
  (void)router.dispatch(get("/t", "POST"));
  EXPECT_EQ(changes, 1);
  (void)router.dispatch(get("/bad", "PUT"));
  EXPECT_EQ(changes, 1) << "a refused change changed nothing";
}

}  // namespace fl::http
