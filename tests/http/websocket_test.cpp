// WebSockets in fl::http::Server over a real loopback socket, with a Beast client: the
// upgrade and its refusal, messages both ways, limits, a slow reader, pings and shutdown.
#include "http/websocket.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "http/metrics.hpp"
#include "http/problem.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

namespace fl::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
using namespace std::chrono_literals;
using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;

// What the application side saw, for the test to wait on.
struct Seen {
  std::mutex mutex;
  std::condition_variable changed;
  UpgradeRequest upgrade;
  std::shared_ptr<WebSocketChannel> channel;
  std::vector<std::string> messages;
  bool closed = false;

  template <class Pred>
  bool wait(Pred pred, std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, timeout, [&] { return pred(*this); });
  }
};

// Echoes each message back as "echo:<text>".
class Echo final : public WebSocketSession {
 public:
  explicit Echo(Seen& seen) : seen_(seen) {}
  void on_message(std::string_view text) override {
    std::shared_ptr<WebSocketChannel> channel;
    {
      std::lock_guard lock(seen_.mutex);
      seen_.messages.emplace_back(text);
      channel = seen_.channel;
    }
    seen_.changed.notify_all();
    channel->send(std::make_shared<const std::string>("echo:" + std::string(text)));
  }
  void on_close() override {
    {
      std::lock_guard lock(seen_.mutex);
      seen_.closed = true;
    }
    seen_.changed.notify_all();
  }

 private:
  Seen& seen_;
};

Router echo_router(Seen& seen) {
  Router r;
  r.add_websocket(
      "/ws",
      [&seen](const UpgradeRequest& up, std::shared_ptr<WebSocketChannel> ch) -> WebSocketOutcome {
        if (up.request.param("refuse")) return problem(401, "log in first");
        {
          std::lock_guard lock(seen.mutex);
          seen.upgrade = up;
          seen.channel = ch;
        }
        ch->send(std::make_shared<const std::string>("hello"));  // before the handshake is done
        return std::make_shared<Echo>(seen);
      });
  return r;
}

class Running {
 public:
  Running(const Router& router, Metrics& metrics, ServerOptions options = {}) {
    options.port = 0;
    options.worker_threads = 2;
    options.handle_signals = false;
    server_ = std::make_unique<Server>(options, router, metrics);
    port = server_->listen();
    thread_ = std::jthread([this] { server_->run(); });
  }
  ~Running() { stop(); }
  void stop() {
    server_->stop();
    if (thread_.joinable()) thread_.join();
  }
  unsigned short port = 0;

 private:
  std::unique_ptr<Server> server_;
  std::jthread thread_;
};

// A blocking Beast WebSocket client.
class WsClient {
 public:
  explicit WsClient(unsigned short port) : ws_(ioc_) {
    ws_.next_layer().connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }
  beast::error_code handshake(const std::string& target, websocket::response_type& res,
                              const std::string& origin = "") {
    ws_.set_option(websocket::stream_base::decorator([origin](websocket::request_type& req) {
      req.set(bhttp::field::authorization, "Bearer abc");
      if (!origin.empty()) req.set(bhttp::field::origin, origin);
    }));
    beast::error_code ec;
    ws_.handshake(res, "localhost", target, ec);
    return ec;
  }
  void open(const std::string& target = "/ws") {
    websocket::response_type res;
    auto ec = handshake(target, res);
    if (ec) throw std::runtime_error("handshake failed: " + ec.message());
  }
  void send(const std::string& text) { ws_.write(asio::buffer(text)); }
  // The next message, or the error that ended the connection.
  std::string read(beast::error_code& ec) {
    beast::flat_buffer b;
    ws_.read(b, ec);
    return beast::buffers_to_string(b.data());
  }
  std::string read() {
    beast::error_code ec;
    auto text = read(ec);
    if (ec) throw std::runtime_error("read failed: " + ec.message());
    return text;
  }
  websocket::close_reason reason() const { return ws_.reason(); }
  websocket::stream<beast::tcp_stream>& stream() { return ws_; }

 private:
  asio::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_;
};

// Reads until the connection ends; true when the server's close frame carried `code` (the TCP
// teardown that follows may race with the client's own and end in a socket error instead of
// websocket::error::closed: the code is what matters).
bool closed_with(WsClient& client, int code, int max_reads = 1'000'000) {
  beast::error_code ec;
  for (int i = 0; i < max_reads && !ec; ++i) client.read(ec);
  return ec && client.reason().code == code;
}

TEST(WebSocketTest, UpgradesAndCarriesMessagesBothWays) {
  Seen seen;
  Router router = echo_router(seen);
  Metrics metrics;
  Running server(router, metrics);
  {
    WsClient client(server.port);
    client.open("/ws?topic=tickets");
    EXPECT_EQ(client.read(), "hello");
    client.send("one");
    client.send("two");
    EXPECT_EQ(client.read(), "echo:one");
    EXPECT_EQ(client.read(), "echo:two");
    {
      std::lock_guard lock(seen.mutex);
      EXPECT_EQ(seen.upgrade.request.path, "/ws");
      EXPECT_EQ(seen.upgrade.request.param("topic"), "tickets");
      EXPECT_EQ(seen.upgrade.request.authorization, "Bearer abc");
      EXPECT_EQ(seen.upgrade.host, "localhost");
    }
    client.stream().close(websocket::close_code::normal);
    ASSERT_TRUE(seen.wait([](Seen& s) { return s.closed; })) << "on_close after the client left";
    EXPECT_FALSE(seen.channel->send(std::make_shared<const std::string>("late")));
  }
  server.stop();
  EXPECT_THAT(metrics.render(),
              HasSubstr("firstline_http_requests_total{method=\"GET\",route=\"/ws\","
                        "status=\"101\"} 1\n"));
}

TEST(WebSocketTest, ARefusalIsPlainHttpAndAPlainGetGets426) {
  Seen seen;
  Router router = echo_router(seen);
  Metrics metrics;
  Running server(router, metrics);
  {
    WsClient client(server.port);
    websocket::response_type res;
    auto ec = client.handshake("/ws?refuse=1", res);
    EXPECT_EQ(ec, websocket::error::upgrade_declined);
    EXPECT_EQ(res.result_int(), 401);
    EXPECT_EQ(res[bhttp::field::content_type], "application/problem+json");
  }
  {
    asio::io_context ioc;
    beast::tcp_stream s(ioc);
    s.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), server.port));
    bhttp::request<bhttp::string_body> req{bhttp::verb::get, "/ws", 11};
    req.set(bhttp::field::host, "localhost");
    bhttp::write(s, req);
    beast::flat_buffer b;
    bhttp::response<bhttp::string_body> res;
    bhttp::read(s, b, res);
    EXPECT_EQ(res.result_int(), 426);
    EXPECT_EQ(res[bhttp::field::upgrade], "websocket");
    EXPECT_EQ(res[bhttp::field::content_type], "application/problem+json");
  }
}

TEST(WebSocketTest, AnOversizedMessageClosesWith1009AndBinaryWith1003) {
  Seen seen;
  Router router = echo_router(seen);
  Metrics metrics;
  ServerOptions options;
  options.websocket_message_limit = 1024;
  Running server(router, metrics, options);
  {
    WsClient client(server.port);
    client.open();
    EXPECT_EQ(client.read(), "hello");
    client.send(std::string(2000, 'x'));
    EXPECT_TRUE(closed_with(client, close_code::too_big));
  }
  {
    WsClient client(server.port);
    client.open();
    EXPECT_EQ(client.read(), "hello");
    client.stream().binary(true);
    client.send("\x01\x02");
    EXPECT_TRUE(closed_with(client, close_code::unsupported));
  }
}

TEST(WebSocketTest, AReaderThatFallsBehindIsCutOffWithoutHoldingUpTheSender) {
  Seen seen;
  Router router = echo_router(seen);
  Metrics metrics;
  ServerOptions options;
  options.websocket_queue_limit = 8;
  Running server(router, metrics, options);
  WsClient client(server.port);
  client.open();
  ASSERT_TRUE(seen.wait([](Seen& s) { return s.channel != nullptr; }));
  // The client reads nothing: once the socket buffers are full the queue fills, and the
  // channel refuses instead of growing or blocking.
  auto big = std::make_shared<const std::string>(64 * 1024, 'x');
  const auto start = Clock::now();
  int sent = 0;
  while (seen.channel->send(big) && sent < 100'000) {
    ++sent;
    if (sent % 8 == 0) std::this_thread::sleep_for(1ms);  // let the writer fill the buffers
  }
  EXPECT_LT(sent, 100'000) << "the queue never filled";
  EXPECT_LT(Clock::now() - start, 10s);
  // Reading now, the client finds the close frame after what was already on its way.
  EXPECT_TRUE(closed_with(client, close_code::policy));
  EXPECT_THAT(std::string(client.reason().reason.data(), client.reason().reason.size()),
              HasSubstr("too slow"));
  ASSERT_TRUE(seen.wait([](Seen& s) { return s.closed; }));
}

TEST(WebSocketTest, ASilentClientIsPingedAndOneThatNeverAnswersIsClosed) {
  Seen seen;
  Router router = echo_router(seen);
  Metrics metrics;
  ServerOptions options;
  options.websocket_idle_timeout = 1s;
  Running server(router, metrics, options);
  {
    // A client with a read pending answers the pings (Beast does) and stays.
    WsClient client(server.port);
    client.open();
    EXPECT_EQ(client.read(), "hello");
    std::jthread sender([&] {
      std::this_thread::sleep_for(2500ms);
      seen.channel->send(std::make_shared<const std::string>("still here"));
    });
    EXPECT_EQ(client.read(), "still here");
  }
  ASSERT_TRUE(seen.wait([](Seen& s) { return s.closed; }));
  {
    std::lock_guard lock(seen.mutex);
    seen.closed = false;
  }
  {
    // One that does not read does not answer: it is closed after the idle timeout.
    WsClient client(server.port);
    client.open();
    ASSERT_TRUE(seen.wait([](Seen& s) { return s.closed; }, 10s));
  }
}

TEST(WebSocketTest, StopClosesWith1001AndReturnsPromptly) {
  Seen seen;
  Router router = echo_router(seen);
  Metrics metrics;
  Running server(router, metrics);
  WsClient client(server.port);
  client.open();
  EXPECT_EQ(client.read(), "hello");
  std::jthread reader([&] { EXPECT_TRUE(closed_with(client, close_code::going_away)); });
  const auto start = Clock::now();
  server.stop();
  EXPECT_LT(Clock::now() - start, 3s);
  reader.join();
  EXPECT_TRUE(seen.closed);
}

}  // namespace
}  // namespace fl::http
