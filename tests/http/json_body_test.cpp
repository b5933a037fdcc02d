#include "http/json_body.hpp"

#include <gtest/gtest.h>

#include "core/ticket.hpp"
#include "http/problem.hpp"

namespace fl::http {

namespace {
Request json_request(std::string body, std::string type = "application/json") {
  Request r;
  r.method = "POST";
  r.content_type = std::move(type);
  r.body = std::move(body);
  return r;
}
}  // namespace

TEST(JsonBody, MalformedJsonIs400AndWrongTypeIs415) {
  EXPECT_EQ(JsonBody::parse(json_request("{\"a\":")).error().status, 400);
  EXPECT_EQ(JsonBody::parse(json_request("[1,2]")).error().status, 400);
  EXPECT_EQ(JsonBody::parse(json_request("{}", "text/plain")).error().status, 415);
  EXPECT_TRUE(JsonBody::parse(json_request("{}", "application/json; charset=utf-8")));
  EXPECT_TRUE(JsonBody::parse(json_request("{}", "application/merge-patch+json")));
}

TEST(JsonBody, CollectsEveryFieldError) {
  auto b = JsonBody::parse(json_request(
      R"({"subject": 5, "impact": "high", "channel": "fax", "tags": ["a", 1], "call": {"duration_seconds": "x"}})"));
  ASSERT_TRUE(b);
  b->string("subject", true);
  b->integer("impact");
  b->enumeration<Channel>("channel");
  b->strings("tags");
  b->string("description", true);
  if (auto call = b->object("call")) {
    call->integer("duration_seconds");
    b->absorb(*call);
  }
  auto r = b->finish();
  ASSERT_FALSE(r);
  std::vector<std::string> fields;
  for (const auto& f : r.error().fields) fields.push_back(f.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"subject", "impact", "channel", "tags", "description",
                                              "call.duration_seconds"}));
  auto p = problem(r.error());
  EXPECT_EQ(p.status, 422);
  EXPECT_NE(p.body.find("\"field\":\"call.duration_seconds\""), std::string::npos);
}

TEST(JsonBody, NullMeansAbsentUnlessAsked) {
  auto b = JsonBody::parse(json_request(R"({"assignee_id": null})"));
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->has("assignee_id"));
  EXPECT_TRUE(b->is_null("assignee_id"));
  EXPECT_FALSE(b->integer("assignee_id"));
  EXPECT_TRUE(b->finish());
}

}  // namespace fl::http
