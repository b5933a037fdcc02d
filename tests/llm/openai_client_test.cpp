// The OpenAI-compatible client against a model server stand-in on loopback: a socket that
// answers each request with a scripted HTTP response (no model server runs on this machine;
// the stand-in speaks the same HTTP and JSON).
#include "llm/openai_client.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <thread>

namespace fl {

namespace {

// Accepts one connection, keeps the request, answers with `response` (after `delay`).
class ScriptedServer {
 public:
  explicit ScriptedServer(std::string response,
                          std::chrono::milliseconds delay = std::chrono::milliseconds(0)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listener_, 1);
    socklen_t len = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::jthread([this, response = std::move(response), delay] {
      int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      std::string in;
      char buffer[4096];
      std::size_t need = std::string::npos;
      while (need == std::string::npos || in.size() < need) {
        ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        in.append(buffer, static_cast<std::size_t>(n));
        const auto end = in.find("\r\n\r\n");
        if (need == std::string::npos && end != std::string::npos) {
          std::size_t length = 0;
          if (auto at = in.find("Content-Length: "); at != std::string::npos)
            length = std::stoul(in.substr(at + 16));
          need = end + 4 + length;
        }
      }
      request_ = in;
      std::this_thread::sleep_for(delay);
      ::send(fd, response.data(), response.size(), MSG_NOSIGNAL);
      ::close(fd);
    });
  }
  ~ScriptedServer() {
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
  }
  [[nodiscard]] std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/v1/";
  }
  // After the client returned: the request as received.
  std::string request() {
    thread_.join();
    return request_;
  }

 private:
  int listener_ = -1;
  int port_ = 0;
  std::string request_;
  std::jthread thread_;
};

std::string http(int status, const std::string& body) {
  return "HTTP/1.1 " + std::to_string(status) +
         " X\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

const std::vector<ChatMessage> kMessages{{"system", "Answer from the excerpts."},
                                         {"user", "[1] VPN\nFrage: Wie verbinde ich das VPN?"}};

}  // namespace

TEST(OpenAiClient, PostsTheChatAndReadsTheFirstChoice) {
  ScriptedServer server(http(
      200, R"({"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"Den Client neu starten [1]."}}]})"));
  OpenAiClient client({.base_url = server.url(), .model = "local-7b", .api_key = "k-123"});
  auto reply = client.complete(kMessages);
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(*reply, "Den Client neu starten [1].");

  const std::string request = server.request();
  EXPECT_TRUE(request.starts_with("POST /v1/chat/completions HTTP/1.1\r\n")) << request;
  EXPECT_NE(request.find("Authorization: Bearer k-123\r\n"), std::string::npos);
  auto body = boost::json::parse(request.substr(request.find("\r\n\r\n") + 4)).as_object();
  EXPECT_EQ(body.at("model").as_string(), "local-7b");
  EXPECT_EQ(body.at("stream").as_bool(), false);
  const auto& messages = body.at("messages").as_array();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[1].at("role").as_string(), "user");
  EXPECT_EQ(messages[1].at("content").as_string(), kMessages[1].content) << "UTF-8 intact";
}

TEST(OpenAiClient, NoKeyNoAuthorizationHeader) {
  ScriptedServer server(http(200, R"({"choices":[{"message":{"content":"ok [1]"}}]})"));
  OpenAiClient client({.base_url = server.url(), .model = "m"});
  ASSERT_TRUE(client.complete(kMessages));
  EXPECT_EQ(server.request().find("Authorization"), std::string::npos);
}

TEST(OpenAiClient, ErrorsAreUnavailableWithTheReason) {
  {
    ScriptedServer server(http(503, R"({"error":"model is loading"})"));
    auto r = OpenAiClient({.base_url = server.url(), .model = "m"}).complete(kMessages);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::unavailable);
    EXPECT_NE(r.error().message.find("HTTP 503"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("model is loading"), std::string::npos);
  }
  {
    ScriptedServer server(http(200, R"({"choices":[]})"));
    auto r = OpenAiClient({.base_url = server.url(), .model = "m"}).complete(kMessages);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("choices[0].message.content"), std::string::npos);
  }
  {
    ScriptedServer server(http(200, "not json"));
    EXPECT_FALSE(OpenAiClient({.base_url = server.url(), .model = "m"}).complete(kMessages));
  }
}

TEST(OpenAiClient, ASilentServerIsCutOffAtTheTimeout) {
  ScriptedServer server(http(200, R"({"choices":[{"message":{"content":"late [1]"}}]})"),
                        std::chrono::milliseconds(3000));
  OpenAiClient client({.base_url = server.url(),
                       .model = "m",
                       .timeout = std::chrono::milliseconds(500)});
  const auto started = std::chrono::steady_clock::now();
  auto r = client.complete(kMessages);
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::unavailable);
  EXPECT_LT(took, std::chrono::milliseconds(2500));
  server.request();
}

// A slow model server must not tie up every worker of ours: beyond max_in_flight waiting
// requests, complete() fails at once, and a finished request gives its place back.
TEST(OpenAiClient, BeyondTheRequestsInFlightItFailsAtOnce) {
  std::optional<ScriptedServer> server;
  server.emplace(http(200, R"({"choices":[{"message":{"content":"slow [1]"}}]})"),
                 std::chrono::milliseconds(1500));
  OpenAiClient client({.base_url = server->url(), .model = "m", .max_in_flight = 1});
  Result<std::string> first = std::string();
  std::jthread waiting([&] { first = client.complete(kMessages); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the first one is waiting

  const auto started = std::chrono::steady_clock::now();
  auto refused = client.complete(kMessages);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(200));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::unavailable);
  EXPECT_NE(refused.error().message.find("already waiting"), std::string::npos)
      << refused.error().message;

  waiting.join();
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(*first, "slow [1]");
  server.reset();  // nobody listens now: the next request fails on connecting, not on the limit
  auto next = client.complete(kMessages);
  ASSERT_FALSE(next);
  EXPECT_EQ(next.error().message.find("already waiting"), std::string::npos)
      << next.error().message;
}

TEST(OpenAiClient, OnlyHttpUrls) {
  EXPECT_TRUE(check_model_url("http://127.0.0.1:8081/v1"));
  EXPECT_TRUE(check_model_url("https://llm.intern.example/v1"));
  EXPECT_FALSE(check_model_url("file:///etc/passwd"));
  EXPECT_FALSE(check_model_url("127.0.0.1:8081"));
  EXPECT_FALSE(check_model_url("http:///v1"));
}

}  // namespace fl
