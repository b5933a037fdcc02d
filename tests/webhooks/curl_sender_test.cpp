// The libcurl sender against a receiver on loopback: what goes out, what comes back, and the
// limits — timeouts, refused connections, redirects not followed, only http and https, many
// posts at once on one thread, and a stop that waits for nobody.
#include "webhooks/curl_sender.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <future>

#include "support/webhook_receiver.hpp"

namespace fl::testing {

namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

// Posts and waits for the outcome.
PostOutcome post_and_wait(CurlWebhookSender& sender, OutboundPost post) {
  std::promise<PostOutcome> answer;
  auto outcome = answer.get_future();
  sender.post(std::move(post), [&answer](PostOutcome o) { answer.set_value(std::move(o)); });
  EXPECT_EQ(outcome.wait_for(10s), std::future_status::ready);
  return outcome.get();
}

// A port nothing listens on: bound, then closed.
unsigned short closed_port() {
  WebhookReceiver r;
  const unsigned short port = r.port();
  r.stop();
  return port;
}

}  // namespace

TEST(CurlSender, PostsTheBodyAndHeadersAndKeepsTheAnswersStart) {
  WebhookReceiver receiver;
  receiver.otherwise("/hook", {.status = 202, .body = std::string(5000, 'x')});
  CurlWebhookSender sender({.response_limit = 100});
  const PostOutcome o =
      post_and_wait(sender, {receiver.url("/hook"),
                             {{"Content-Type", "application/json"}, {"X-Test", "1"}},
                             R"({"hello":"world"})"});
  EXPECT_EQ(o.status, 202);
  EXPECT_EQ(o.error, "");
  EXPECT_EQ(o.response, std::string(100, 'x'));
  const auto got = receiver.received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].method, "POST");
  EXPECT_EQ(got[0].body, R"({"hello":"world"})");
  EXPECT_EQ(got[0].header("content-type"), "application/json");
  EXPECT_EQ(got[0].header("x-test"), "1");
  EXPECT_EQ(got[0].header("expect"), "") << "no 100-continue round trip";
}

TEST(CurlSender, RedirectsAreAnswersNotFollowed) {
  WebhookReceiver receiver;
  receiver.otherwise("/old", {.status = 302, .headers = {{"Location", receiver.url("/new")}}});
  CurlWebhookSender sender;
  EXPECT_EQ(post_and_wait(sender, {receiver.url("/old"), {}, "{}"}).status, 302);
  EXPECT_TRUE(receiver.received("/new").empty());
}

TEST(CurlSender, NoAnswerSaysWhy) {
  CurlWebhookSender sender({.connect_timeout = 1s, .total_timeout = 1s});
  const PostOutcome refused = post_and_wait(
      sender, {"http://127.0.0.1:" + std::to_string(closed_port()) + "/hook", {}, "{}"});
  EXPECT_FALSE(refused.status);
  EXPECT_THAT(refused.error, HasSubstr("onnect"));

  WebhookReceiver receiver;
  receiver.otherwise("/hook", {.silent = true});
  const auto started = std::chrono::steady_clock::now();
  const PostOutcome silent = post_and_wait(sender, {receiver.url("/hook"), {}, "{}"});
  EXPECT_FALSE(silent.status);
  EXPECT_THAT(silent.error, HasSubstr("timed out"));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  EXPECT_GE(silent.duration, 900ms);
}

TEST(CurlSender, OnlyHttpAndHttps) {
  CurlWebhookSender sender;
  for (std::string url : {"file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/x"}) {
    const PostOutcome o = post_and_wait(sender, {url, {}, "{}"});
    EXPECT_FALSE(o.status) << url;
    EXPECT_NE(o.error, "") << url;
  }
}

TEST(CurlSender, ManyPostsRunAtOnce) {
  WebhookReceiver receiver;
  receiver.otherwise("/slow", {.status = 200, .delay = 300ms});
  CurlWebhookSender sender;
  constexpr int kPosts = 20;
  std::mutex m;
  std::condition_variable cv;
  int done = 0;
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < kPosts; ++i)
    sender.post({receiver.url("/slow"), {}, "{}"}, [&](PostOutcome o) {
      EXPECT_EQ(o.status, 200);
      std::lock_guard lock(m);
      ++done;
      cv.notify_all();
    });
  std::unique_lock lock(m);
  ASSERT_TRUE(cv.wait_for(lock, 10s, [&] { return done == kPosts; }));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s) << "20 x 300 ms, side by side";
}

TEST(CurlSender, StopCutsOffWhatIsInFlightAndDropsItsCallbacks) {
  WebhookReceiver receiver;
  receiver.otherwise("/hook", {.silent = true});
  CurlWebhookSender sender({.total_timeout = 30s});
  std::atomic<int> called = 0;
  sender.post({receiver.url("/hook"), {}, "{}"}, [&](PostOutcome) { ++called; });
  ASSERT_TRUE(receiver.wait_for(1, 5s));
  const auto started = std::chrono::steady_clock::now();
  sender.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 500ms);
  sender.post({receiver.url("/hook"), {}, "{}"}, [&](PostOutcome) { ++called; });
  sender.stop();
  EXPECT_EQ(called, 0);
}

}  // namespace fl::testing
