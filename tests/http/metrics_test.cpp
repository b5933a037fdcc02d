// Unit tests of the Prometheus exposition rendered by fl::http::Metrics.
#include "http/metrics.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace fl::http {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(MetricsTest, CountsRequestsByMethodRouteAndStatus) {
  Metrics m;
  m.record("GET", "/api/v1/tickets/{id}", 200, milliseconds(1));
  m.record("GET", "/api/v1/tickets/{id}", 200, milliseconds(1));
  m.record("GET", "/api/v1/tickets/{id}", 404, milliseconds(1));
  m.record("POST", "/api/v1/tickets", 201, milliseconds(1));

  const std::string text = m.render();
  EXPECT_THAT(text, HasSubstr("# HELP firstline_http_requests_total "));
  EXPECT_THAT(text, HasSubstr("# TYPE firstline_http_requests_total counter\n"));
  EXPECT_THAT(text, HasSubstr("firstline_http_requests_total{method=\"GET\",route=\"/api/v1/"
                              "tickets/{id}\",status=\"200\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("firstline_http_requests_total{method=\"GET\",route=\"/api/v1/"
                              "tickets/{id}\",status=\"404\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("firstline_http_requests_total{method=\"POST\",route=\"/api/v1/"
                              "tickets\",status=\"201\"} 1\n"));
}

TEST(MetricsTest, RendersACumulativeHistogramPerRoute) {
  Metrics m;
  m.record("GET", "/x", 200, microseconds(300));        // <= 0.0005
  m.record("GET", "/x", 200, microseconds(500));        // exactly on a bound: counted in it
  m.record("GET", "/x", 200, milliseconds(20));         // <= 0.025
  m.record("GET", "/x", 500, std::chrono::seconds(3));  // only +Inf

  const std::string text = m.render();
  const std::string expected =
      "# TYPE firstline_http_request_duration_seconds histogram\n"
      "firstline_http_request_duration_seconds_bucket{route=\"/x\",le=\"0.0005\"} 2\n"
      "firstline_http_request_duration_seconds_bucket{route=\"/x\",le=\"0.001\"} 2\n"
      "firstline_http_request_duration_seconds_bucket{route=\"/x\",le=\"0.0025\"} 2\n"
      "firstline_http_request_duration_seconds_bucket{route=\"/x\",le=\"0.005\"} 2\n"
      "firstline_http_request_duration_seconds_bucket{route=\"/x\",le=\"0.01\"} 2\n"
      "firstline_http_request_duration_seconds_bucket{route=\"/x\",le=\"0.025\"} 3\n"
      "firstline_http_request_duration_seconds_bucket{route=\"/x\",le=\"0.05\"} 3\n"
      "firstline_http_request_duration_seconds_bucket{route=\"/x\",le=\"0.1\"} 3\n"
      "firstline_http_request_duration_seconds_bucket{route=\"/x\",le=\"0.25\"} 3\n"
      "firstline_http_request_duration_seconds_bucket{route=\"/x\",le=\"0.5\"} 3\n"
      "firstline_http_request_duration_seconds_bucket{route=\"/x\",le=\"1\"} 3\n"
      "firstline_http_request_duration_seconds_bucket{route=\"/x\",le=\"2.5\"} 3\n"
      "firstline_http_request_duration_seconds_bucket{route=\"/x\",le=\"+Inf\"} 4\n"
      "firstline_http_request_duration_seconds_sum{route=\"/x\"} 3.0208\n"
      "firstline_http_request_duration_seconds_count{route=\"/x\"} 4\n";
  EXPECT_THAT(text, HasSubstr(expected));
}

TEST(MetricsTest, OrdersSeriesByRouteThenMethodThenStatus) {
  Metrics m;
  m.record("POST", "/b", 201, microseconds(1));
  m.record("GET", "/b", 500, microseconds(1));
  m.record("GET", "/b", 200, microseconds(1));
  m.record("GET", "/a", 200, microseconds(1));

  const std::string text = m.render();
  const auto a = text.find("route=\"/a\",status=\"200\"");
  const auto b200 = text.find("method=\"GET\",route=\"/b\",status=\"200\"");
  const auto b500 = text.find("method=\"GET\",route=\"/b\",status=\"500\"");
  const auto post = text.find("method=\"POST\",route=\"/b\"");
  ASSERT_NE(a, std::string::npos);
  EXPECT_LT(a, b200);
  EXPECT_LT(b200, b500);
  EXPECT_LT(b500, post);
}

TEST(MetricsTest, EscapesLabelValues) {
  EXPECT_EQ(escape_label_value(R"(a"b\c)"), R"(a\"b\\c)");
  EXPECT_EQ(escape_label_value("line\nbreak"), "line\\nbreak");

  Metrics m;
  m.record("GET", "/odd\"route\\", 200, microseconds(1));
  EXPECT_THAT(m.render(), HasSubstr(R"(route="/odd\"route\\",status="200"} 1)"));
}

TEST(MetricsTest, CountsUnknownMethodsAsOther) {
  Metrics m;
  m.record("BREW", "unmatched", 404, microseconds(1));
  m.record("X-ATTACKER-CHOSEN", "unmatched", 404, microseconds(1));

  const std::string text = m.render();
  EXPECT_THAT(text, HasSubstr("{method=\"OTHER\",route=\"unmatched\",status=\"404\"} 2\n"));
  EXPECT_THAT(text, Not(HasSubstr("BREW")));
}

TEST(MetricsTest, AppendsCollectorsAndSurvivesAFailingOne) {
  Metrics m;
  m.add_collector([] {
    return std::string(
        "# HELP firstline_tickets Open tickets by line.\n"
        "# TYPE firstline_tickets gauge\n"
        "firstline_tickets{line=\"1\"} 7");  // no trailing newline: one is added
  });
  m.add_collector([]() -> std::string { throw std::runtime_error("store unavailable"); });
  m.add_collector([] { return std::string("firstline_up 1\n"); });

  const std::string text = m.render();
  EXPECT_THAT(text, HasSubstr("firstline_tickets{line=\"1\"} 7\nfirstline_up 1\n"));
  EXPECT_EQ(text.back(), '\n');
}

TEST(MetricsTest, RendersHeadersWhenEmpty) {
  Metrics m;
  const std::string text = m.render();
  EXPECT_THAT(text, HasSubstr("# TYPE firstline_http_requests_total counter\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE firstline_http_request_duration_seconds histogram\n"));
  EXPECT_THAT(text, Not(HasSubstr("_bucket")));
}

TEST(MetricsTest, RecordsFromManyThreadsWithoutLoss) {
  Metrics m;
  constexpr int kThreads = 4;
  constexpr int kEach = 20000;
  {
    std::vector<std::jthread> threads;
    threads.reserve(kThreads);
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&m, t] {
        // Routes appear concurrently too, exercising the insert path.
        const std::string route = "/r" + std::to_string(t % 2);
        for (int i = 0; i < kEach; ++i) m.record("GET", route, 200, microseconds(100));
      });
    }
  }
  const std::string text = m.render();
  const std::string per_route = std::to_string(2 * kEach);
  EXPECT_THAT(text, HasSubstr("{method=\"GET\",route=\"/r0\",status=\"200\"} " + per_route + "\n"));
  EXPECT_THAT(text, HasSubstr("{method=\"GET\",route=\"/r1\",status=\"200\"} " + per_route + "\n"));
  EXPECT_THAT(text, HasSubstr("_count{route=\"/r0\"} " + per_route + "\n"));
  EXPECT_THAT(text, HasSubstr("_bucket{route=\"/r1\",le=\"0.0005\"} " + per_route + "\n"));
}

}  // namespace
}  // namespace fl::http
