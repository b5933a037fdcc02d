// Tests of fl::http::Server over a real loopback socket (port 0): conversion of requests
// and responses, keep-alive, limits and timeouts, pipelining, static files, shutdown.
#include "http/server.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "http/metrics.hpp"
#include "http/router.hpp"

namespace fl::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using Clock = std::chrono::steady_clock;

Response text(std::string body) {
  return Response{200, "text/plain", std::move(body), {}};
}

Router make_router() {
  Router r;
  r.add("GET", "/hello", [](const Request&, const PathParams&) {
    return Response{200, "application/json", R"({"hello":"world"})", {{"X-Extra", "yes"}}};
  });
  // Echoes what the server extracted from the request.
  r.add("GET", "/api/v1/tickets/{id}", [](const Request& req, const PathParams& p) {
    std::string out = "id=" + p[0] + "|path=" + req.path + "|";
    for (const auto& [k, v] : req.query) out.append(k).append("=").append(v).append(";");
    out += "|remote=" + req.remote_address;
    return text(out);
  });
  r.add("POST", "/echo", [](const Request& req, const PathParams&) {
    return Response{200, req.content_type, req.body, {{"X-Authorization", req.authorization}}};
  });
  r.add("GET", "/sleep/{ms}", [](const Request&, const PathParams& p) {
    std::this_thread::sleep_for(std::chrono::milliseconds(std::stoi(p[0])));
    return text("slept " + p[0]);
  });
  r.add("GET", "/bad-header", [](const Request&, const PathParams&) {
    return Response{200, "text/plain", "x", {{"X-Injected", "a\r\nSet-Cookie: evil=1"}}};
  });
  return r;
}

// A Server running on its own thread for the lifetime of the object.
class Running {
 public:
  Running(const Router& router, Metrics& metrics, ServerOptions options = {}) {
    options.port = 0;
    options.worker_threads = 4;
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

// A Beast client on a blocking stream, for well-formed exchanges.
class Client {
 public:
  explicit Client(unsigned short port) : stream_(ioc_) {
    stream_.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }
  bhttp::response<bhttp::string_body> send(bhttp::request<bhttp::string_body> req) {
    req.version(11);
    req.set(bhttp::field::host, "localhost");
    req.prepare_payload();
    bhttp::write(stream_, req);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.skip(req.method() == bhttp::verb::head);  // a HEAD response has no content
    bhttp::read(stream_, buffer_, parser);
    return parser.release();
  }
  bhttp::response<bhttp::string_body> get(const std::string& target) {
    return send({bhttp::verb::get, target, 11});
  }
  // True when the server closed the connection (a read yields end of stream).
  bool closed_by_server() {
    beast::error_code ec;
    bhttp::response<bhttp::string_body> res;
    bhttp::read(stream_, buffer_, res, ec);
    return ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
           ec == asio::error::connection_reset;
  }

 private:
  asio::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

// A plain socket for what a Beast client will not send: garbage, pipelines, silence.
class RawSocket {
 public:
  explicit RawSocket(unsigned short port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      throw std::runtime_error("connect failed");
  }
  ~RawSocket() { ::close(fd_); }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  void send(std::string_view bytes) {
    while (!bytes.empty()) {
      const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) throw std::runtime_error("send failed");
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  // What arrives until the peer closes (closed = true), `enough` says so, or `timeout` passes.
  struct Received {
    std::string bytes;
    bool closed = false;
  };
  Received receive(std::chrono::milliseconds timeout,
                   const std::function<bool(const std::string&)>& enough = {}) {
    Received out;
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      if (enough && enough(out.bytes)) return out;
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left <= 0ms) return out;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return out;
      char buf[8192];
      const auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        out.closed = true;
        return out;
      }
      out.bytes.append(buf, static_cast<std::size_t>(n));
    }
  }

 private:
  int fd_;
};

std::vector<bhttp::response<bhttp::string_body>> parse_responses(std::string_view bytes) {
  std::vector<bhttp::response<bhttp::string_body>> out;
  while (!bytes.empty()) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.eager(true);
    beast::error_code ec;
    const auto used = parser.put(asio::buffer(bytes.data(), bytes.size()), ec);
    if (ec || !parser.is_done()) break;
    out.push_back(parser.release());
    bytes.remove_prefix(used);
  }
  return out;
}

TEST(ServerTest, AnswersARouteAndKeepsTheConnectionAlive) {
  Router router = make_router();
  Metrics metrics;
  Running server(router, metrics);
  Client client(server.port);

  for (int i = 0; i < 2; ++i) {
    auto res = client.get("/hello");
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(res.body(), R"({"hello":"world"})");
    EXPECT_EQ(res[bhttp::field::content_type], "application/json");
    EXPECT_EQ(res[bhttp::field::content_length], "17");
    EXPECT_EQ(res[bhttp::field::server], "firstline");
    EXPECT_EQ(res["X-Extra"], "yes");
    EXPECT_TRUE(res.keep_alive());
  }
  server.stop();  // metrics are recorded after the response is written: wait for them
  EXPECT_THAT(metrics.render(),
              HasSubstr("firstline_http_requests_total{method=\"GET\",route=\"/hello\","
                        "status=\"200\"} 2\n"));
}

TEST(ServerTest, DecodesPathAndQuery) {
  Router router = make_router();
  Metrics metrics;
  Running server(router, metrics);
  Client client(server.port);

  auto res = client.get("/api/v1/tickets/a%20b?q=hello%20world&flag&x=1%2B1");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(),
            "id=a b|path=/api/v1/tickets/a b|q=hello world;flag=;x=1+1;|remote=127.0.0.1");
  server.stop();
  EXPECT_THAT(metrics.render(), HasSubstr("route=\"/api/v1/tickets/{id}\",status=\"200\"} 1"));
}

TEST(ServerTest, PassesBodyAndHeadersToTheHandler) {
  Router router = make_router();
  Metrics metrics;
  Running server(router, metrics);
  Client client(server.port);

  bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/echo", 11};
  req.set(bhttp::field::authorization, "Bearer abc");
  req.set(bhttp::field::content_type, "application/json");
  req.body() = R"({"title":"printer on fire"})";
  auto res = client.send(std::move(req));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), R"({"title":"printer on fire"})");
  EXPECT_EQ(res[bhttp::field::content_type], "application/json");
  EXPECT_EQ(res["X-Authorization"], "Bearer abc");
}

TEST(ServerTest, AnswersHeadAndReportsUnknownPathsAndMethods) {
  Router router = make_router();
  Metrics metrics;
  Running server(router, metrics);
  Client client(server.port);

  auto missing = client.get("/nope");
  EXPECT_EQ(missing.result_int(), 404);
  EXPECT_EQ(missing[bhttp::field::content_type], "application/problem+json");
  auto head = client.send({bhttp::verb::head, "/hello", 11});
  EXPECT_EQ(head.result_int(), 200);
  EXPECT_EQ(head[bhttp::field::content_length], "17");
  EXPECT_TRUE(head.body().empty());
  auto wrong = client.send({bhttp::verb::delete_, "/hello", 11});
  EXPECT_EQ(wrong.result_int(), 405);
  EXPECT_EQ(wrong[bhttp::field::allow], "GET");
}

TEST(ServerTest, DropsResponseHeadersWithLineBreaks) {
  Router router = make_router();
  Metrics metrics;
  Running server(router, metrics);
  Client client(server.port);

  auto res = client.get("/bad-header");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.count("X-Injected"), 0u);
  EXPECT_EQ(res.count(bhttp::field::set_cookie), 0u);
}

TEST(ServerTest, OversizedBodyGets413AndTheConnectionCloses) {
  Router router = make_router();
  Metrics metrics;
  ServerOptions options;
  options.body_limit = 1024;
  Running server(router, metrics, options);
  RawSocket socket(server.port);

  socket.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4096\r\n\r\n" +
              std::string(4096, 'a'));
  auto got = socket.receive(3s);
  auto responses = parse_responses(got.bytes);
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].result_int(), 413);
  EXPECT_EQ(responses[0][bhttp::field::content_type], "application/problem+json");
  EXPECT_THAT(responses[0].body(), HasSubstr("1024"));
  EXPECT_FALSE(responses[0].keep_alive());
  EXPECT_TRUE(got.closed);
}

TEST(ServerTest, OversizedChunkedBodyGets413) {
  Router router = make_router();
  Metrics metrics;
  ServerOptions options;
  options.body_limit = 1024;
  Running server(router, metrics, options);
  RawSocket socket(server.port);

  socket.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" +
              std::string(0x800, 'a') + "\r\n0\r\n\r\n");
  auto got = socket.receive(3s);
  auto responses = parse_responses(got.bytes);
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].result_int(), 413);
  EXPECT_TRUE(got.closed);
}

TEST(ServerTest, ARouteWithItsOwnBodyLimitTakesMoreWhileOthersKeepTheirs) {
  Router router = make_router();
  Metrics metrics;
  ServerOptions options;
  options.body_limit = 1024;
  options.route_body_limits = {{"POST", "/big", 8192}};
  router.add("POST", "/big", [](const Request& r, const PathParams&) {
    return Response{200, "text/plain", std::to_string(r.body.size()), {}};
  });
  Running server(router, metrics, options);

  Client client(server.port);
  bhttp::request<bhttp::string_body> big{bhttp::verb::post, "/big?name=a", 11};
  big.body() = std::string(4096, 'a');
  auto res = client.send(big);
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "4096");

  for (const std::string& request :
       {"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4096\r\n\r\n" + std::string(4096, 'a'),
        "POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 9000\r\n\r\n" + std::string(9000, 'a'),
        "POST /big HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2400\r\n" +
            std::string(0x2400, 'a') + "\r\n0\r\n\r\n"}) {
    RawSocket socket(server.port);
    socket.send(request);
    auto got = socket.receive(3s);
    auto responses = parse_responses(got.bytes);
    ASSERT_EQ(responses.size(), 1u) << request.substr(0, 40);
    EXPECT_EQ(responses[0].result_int(), 413) << request.substr(0, 40);
    EXPECT_EQ(responses[0][bhttp::field::content_type], "application/problem+json");
  }
}

TEST(ServerTest, GarbageGets400AndTheConnectionCloses) {
  Router router = make_router();
  Metrics metrics;
  Running server(router, metrics);
  RawSocket socket(server.port);

  socket.send("\x16\x03\x01\x02 \xff\xfe garbage\r\n\r\n");
  auto got = socket.receive(3s);
  auto responses = parse_responses(got.bytes);
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].result_int(), 400);
  EXPECT_EQ(responses[0][bhttp::field::content_type], "application/problem+json");
  EXPECT_TRUE(got.closed);
  server.stop();
  EXPECT_THAT(metrics.render(), HasSubstr("route=\"invalid\",status=\"400\"} 1"));
}

TEST(ServerTest, NonOriginFormTargetGets400) {
  Router router = make_router();
  Metrics metrics;
  Running server(router, metrics);
  RawSocket socket(server.port);

  socket.send("GET http://elsewhere.example/hello HTTP/1.1\r\nHost: x\r\n\r\n");
  auto got = socket.receive(3s);
  auto responses = parse_responses(got.bytes);
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].result_int(), 400);
  EXPECT_TRUE(got.closed);
}

TEST(ServerTest, OversizedHeadGets431) {
  Router router = make_router();
  Metrics metrics;
  ServerOptions options;
  options.header_limit = 1024;
  Running server(router, metrics, options);
  RawSocket socket(server.port);

  socket.send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(2048, 'b') + "\r\n\r\n");
  auto responses = parse_responses(socket.receive(3s).bytes);
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].result_int(), 431);
}

TEST(ServerTest, SilentConnectionIsClosedAfterTheHeaderTimeout) {
  Router router = make_router();
  Metrics metrics;
  ServerOptions options;
  options.header_timeout = 1s;
  Running server(router, metrics, options);
  RawSocket silent(server.port);
  RawSocket partial(server.port);
  partial.send("GET /hello HTTP/1.1\r\nHost: x\r\n");  // never finishes its head

  const auto start = Clock::now();
  auto got = silent.receive(5s);
  const auto waited = Clock::now() - start;
  EXPECT_TRUE(got.closed);
  EXPECT_TRUE(got.bytes.empty());
  EXPECT_GE(waited, 800ms);
  EXPECT_LE(waited, 3s);
  EXPECT_TRUE(partial.receive(3s).closed);
}

TEST(ServerTest, IdleKeepAliveConnectionIsClosedAfterTheIdleTimeout) {
  Router router = make_router();
  Metrics metrics;
  ServerOptions options;
  options.idle_timeout = 1s;
  Running server(router, metrics, options);
  RawSocket socket(server.port);

  socket.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto start = Clock::now();
  auto got = socket.receive(5s);
  EXPECT_EQ(parse_responses(got.bytes).size(), 1u);
  EXPECT_TRUE(got.closed);
  EXPECT_GE(Clock::now() - start, 800ms);
}

TEST(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  Router router = make_router();
  Metrics metrics;
  Running server(router, metrics);
  RawSocket socket(server.port);

  // The first takes longest; a POST in the middle; the last asks to close.
  socket.send(
      "GET /sleep/150 HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /api/v1/tickets/1 HTTP/1.1\r\nHost: x\r\n\r\n"
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nfifth"
      "GET /api/v1/tickets/2 HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  auto got = socket.receive(5s);
  auto responses = parse_responses(got.bytes);
  ASSERT_EQ(responses.size(), 5u);
  EXPECT_EQ(responses[0].body(), "slept 150");
  EXPECT_THAT(responses[1].body(), StartsWith("id=1|"));
  EXPECT_EQ(responses[2].body(), "fifth");
  EXPECT_THAT(responses[3].body(), StartsWith("id=2|"));
  EXPECT_EQ(responses[4].body(), R"({"hello":"world"})");
  EXPECT_FALSE(responses[4].keep_alive());
  EXPECT_TRUE(got.closed);
}

TEST(ServerTest, PipelinedSafeRequestsRunConcurrently) {
  Router router = make_router();
  Metrics metrics;
  Running server(router, metrics);
  RawSocket socket(server.port);

  std::string pipeline;
  for (int i = 0; i < 3; ++i) pipeline += "GET /sleep/300 HTTP/1.1\r\nHost: x\r\n\r\n";
  pipeline += "GET /sleep/300 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  const auto start = Clock::now();
  socket.send(pipeline);
  auto got = socket.receive(3s);
  EXPECT_TRUE(got.closed);
  EXPECT_EQ(parse_responses(got.bytes).size(), 4u);
  // Four 300 ms handlers one after another would take 1.2 s.
  EXPECT_LT(Clock::now() - start, 900ms);
}

TEST(ServerTest, ABlockingHandlerDoesNotStallOtherConnections) {
  Router router = make_router();
  Metrics metrics;
  ServerOptions options;
  options.io_threads = 1;
  Running server(router, metrics, options);

  std::atomic<bool> slow_done = false;
  std::jthread slow([&] {
    Client c(server.port);
    EXPECT_EQ(c.get("/sleep/800").result_int(), 200);
    slow_done = true;
  });
  std::this_thread::sleep_for(100ms);
  Client fast(server.port);
  const auto start = Clock::now();
  EXPECT_EQ(fast.get("/hello").result_int(), 200);
  EXPECT_LT(Clock::now() - start, 300ms);
  EXPECT_FALSE(slow_done);
}

TEST(ServerTest, CapsRequestsPerConnection) {
  Router router = make_router();
  Metrics metrics;
  ServerOptions options;
  options.max_requests_per_connection = 2;
  Running server(router, metrics, options);
  Client client(server.port);

  EXPECT_TRUE(client.get("/hello").keep_alive());
  EXPECT_FALSE(client.get("/hello").keep_alive());
  EXPECT_TRUE(client.closed_by_server());
}

TEST(ServerTest, AnswersExpectContinue) {
  Router router = make_router();
  Metrics metrics;
  Running server(router, metrics);
  RawSocket socket(server.port);

  socket.send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
  auto interim = socket.receive(2s, [](const std::string& b) { return b.ends_with("\r\n\r\n"); });
  EXPECT_THAT(interim.bytes, StartsWith("HTTP/1.1 100 Continue\r\n"));
  socket.send("ok");
  auto final_response = parse_responses(
      socket.receive(2s, [](const std::string& b) { return parse_responses(b).size() == 1; })
          .bytes);
  ASSERT_EQ(final_response.size(), 1u);
  EXPECT_EQ(final_response[0].body(), "ok");
}

TEST(ServerTest, ListenReportsAPortInUse) {
  Router router = make_router();
  Metrics metrics;
  Running first(router, metrics);

  ServerOptions options;
  options.port = first.port;
  options.handle_signals = false;
  Server second(options, router, metrics);
  try {
    (void)second.listen();
    FAIL() << "listen() on a taken port succeeded";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("127.0.0.1:" + std::to_string(first.port)));
    EXPECT_THAT(e.what(), HasSubstr("in use"));
  }
}

TEST(ServerTest, StopLetsAnInFlightRequestFinish) {
  Router router = make_router();
  Metrics metrics;
  Running server(router, metrics);
  Client idle(server.port);
  EXPECT_EQ(idle.get("/hello").result_int(), 200);

  std::jthread busy([&] {
    Client c(server.port);
    auto res = c.get("/sleep/400");
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_FALSE(res.keep_alive());  // the server is going away
  });
  std::this_thread::sleep_for(100ms);
  const auto start = Clock::now();
  server.stop();
  EXPECT_LT(Clock::now() - start, 2s);  // did not wait for the idle connection's timeout
  EXPECT_TRUE(idle.closed_by_server());
}

TEST(ServerTest, StopBeforeRunReturnsPromptly) {
  Router router = make_router();
  Metrics metrics;
  ServerOptions options;
  options.port = 0;
  options.handle_signals = false;
  Server server(options, router, metrics);
  server.stop();
  server.run();
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("fl_static_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_ / "assets");
    write("index.html", "<!doctype html><title>Firstline</title>");
    write("app.js", "console.log(1)");
    write("assets/app-1234.css", "body{}");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name, std::ios::binary) << content;
  }
  std::filesystem::path dir_;
};

TEST_F(StaticFilesTest, ServesFilesWithTypesAndTheAppForClientRoutes) {
  Router router = make_router();
  Metrics metrics;
  ServerOptions options;
  options.static_dir = dir_.string();
  Running server(router, metrics, options);
  Client client(server.port);

  auto index = client.get("/");
  EXPECT_EQ(index.result_int(), 200);
  EXPECT_EQ(index[bhttp::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(index[bhttp::field::cache_control], "no-cache");
  EXPECT_THAT(index.body(), HasSubstr("<title>Firstline</title>"));

  auto spa = client.get("/tickets/42");
  EXPECT_EQ(spa.result_int(), 200);
  EXPECT_EQ(spa.body(), index.body());

  auto js = client.get("/app.js");
  EXPECT_EQ(js[bhttp::field::content_type], "text/javascript; charset=utf-8");
  EXPECT_EQ(js.body(), "console.log(1)");

  auto css = client.get("/assets/app-1234.css");
  EXPECT_EQ(css[bhttp::field::content_type], "text/css; charset=utf-8");
  EXPECT_EQ(css[bhttp::field::cache_control], "public, max-age=31536000, immutable");

  EXPECT_EQ(client.get("/missing.png").result_int(), 404);
  auto api = client.get("/api/v1/unknown");
  EXPECT_EQ(api.result_int(), 404);
  EXPECT_EQ(api[bhttp::field::content_type], "application/problem+json");
  EXPECT_EQ(client.get("/hello").body(), R"({"hello":"world"})");  // routes win

  auto head = client.send({bhttp::verb::head, "/app.js", 11});
  EXPECT_EQ(head.result_int(), 200);
  EXPECT_EQ(head[bhttp::field::content_length], "14");
  EXPECT_TRUE(head.body().empty());
  server.stop();
  EXPECT_THAT(metrics.render(), HasSubstr("route=\"static\",status=\"200\"}"));
}

// The web build writes .gz siblings; they go out only to clients that take gzip.
TEST_F(StaticFilesTest, PrecompressedFilesForClientsThatTakeGzip) {
  write("assets/app-1234.js.gz", "GZIPPED-BYTES");
  write("assets/app-1234.js", "plain();");
  Router router = make_router();
  Metrics metrics;
  ServerOptions options;
  options.static_dir = dir_.string();
  Running server(router, metrics, options);
  Client client(server.port);
  auto with = [&](std::string accept) {
    bhttp::request<bhttp::string_body> req{bhttp::verb::get, "/assets/app-1234.js", 11};
    if (!accept.empty()) req.set(bhttp::field::accept_encoding, accept);
    return client.send(std::move(req));
  };
  for (std::string accept : {"gzip, deflate, br", "br;q=1.0, gzip;q=0.8", "*", "x-gzip"}) {
    auto r = with(accept);
    EXPECT_EQ(r.body(), "GZIPPED-BYTES") << accept;
    EXPECT_EQ(r[bhttp::field::content_encoding], "gzip") << accept;
    EXPECT_EQ(r[bhttp::field::content_type], "text/javascript; charset=utf-8");
    EXPECT_EQ(r[bhttp::field::vary], "Accept-Encoding");
  }
  for (std::string accept : {"", "br", "gzip;q=0", "*;q=0", "identity"}) {
    auto r = with(accept);
    EXPECT_EQ(r.body(), "plain();") << accept;
    EXPECT_EQ(r[bhttp::field::content_encoding], "") << accept;
    EXPECT_EQ(r[bhttp::field::vary], "Accept-Encoding") << "caches keep both";
  }
  // No sibling: the file as it is, without Vary.
  bhttp::request<bhttp::string_body> plain{bhttp::verb::get, "/app.js", 11};
  plain.set(bhttp::field::accept_encoding, "gzip");
  auto r = client.send(std::move(plain));
  EXPECT_EQ(r.body(), "console.log(1)");
  EXPECT_EQ(r[bhttp::field::content_encoding], "");
  EXPECT_EQ(r[bhttp::field::vary], "");
}

// Pages may be framed by the server's own pages only; chat.html (the chat widget) also by
// the configured embedding sites.
TEST_F(StaticFilesTest, OnlyTheChatPageMayBeFramedByOtherSites) {
  write("chat.html", "<!doctype html><title>Chat</title>");
  Router router = make_router();
  Metrics metrics;
  ServerOptions options;
  options.static_dir = dir_.string();
  options.embed_origins = {"https://intranet.example", "http://wiki.example:8080"};
  Running server(router, metrics, options);
  Client client(server.port);
  for (const char* page : {"/", "/index.html", "/portal/kb"}) {
    auto r = client.get(page);
    EXPECT_EQ(r["Content-Security-Policy"], "frame-ancestors 'self'") << page;
    EXPECT_EQ(r["X-Frame-Options"], "SAMEORIGIN") << page;
  }
  auto chat = client.get("/chat.html");
  EXPECT_EQ(chat["Content-Security-Policy"],
            "frame-ancestors 'self' https://intranet.example http://wiki.example:8080");
  EXPECT_EQ(chat["X-Frame-Options"], "");
  EXPECT_EQ(client.get("/app.js")["Content-Security-Policy"], "") << "pages only";
}

TEST_F(StaticFilesTest, RefusesToLeaveTheFolder) {
  write("../fl_outside_secret.txt", "secret");
  Router router = make_router();
  Metrics metrics;
  ServerOptions options;
  options.static_dir = dir_.string();
  Running server(router, metrics, options);
  RawSocket socket(server.port);

  socket.send(
      "GET /../fl_outside_secret.txt HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /%2e%2e/fl_outside_secret.txt HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /assets/..%2f..%2ffl_outside_secret.txt HTTP/1.1\r\nHost: x\r\n"
      "Connection: close\r\n\r\n");
  auto responses = parse_responses(socket.receive(3s).bytes);
  std::filesystem::remove(dir_ / "../fl_outside_secret.txt");
  ASSERT_EQ(responses.size(), 3u);
  for (const auto& r : responses) {
    EXPECT_EQ(r.result_int(), 400);
    EXPECT_THAT(r.body(), ::testing::Not(HasSubstr("secret")));
  }
}

}  // namespace
}  // namespace fl::http
