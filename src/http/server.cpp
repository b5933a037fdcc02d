// The Beast/Asio side of the HTTP transport (after Beast's example/http/server/awaitable).
// One io_context per I/O thread, each single-threaded, so a connection's coroutine and its
// timers never race and need no strand. One acceptor on the first loop hands sockets out
// round-robin. Handlers run on a separate worker pool because they may block on the store;
// the session coroutine resumes on its own loop afterwards.
#include "http/server.hpp"

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/url/parse.hpp>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <exception>
#include <filesystem>
#include <fstream>
#include <list>
#include <mutex>
#include <optional>
#include <ranges>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "http/message.hpp"
#include "http/metrics.hpp"
#include "http/problem.hpp"
#include "http/router.hpp"
#include "http/websocket.hpp"

namespace fl::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using BeastRequest = bhttp::request<bhttp::string_body>;
using BeastResponse = bhttp::response<bhttp::string_body>;
using RequestParser = bhttp::request_parser<bhttp::string_body>;

// Errors come back as values: a closed or timed-out connection is routine, not exceptional.
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

constexpr std::size_t kFirstReadSize = 4096;
// How long a closing connection drains what the client still sends (see close()).
constexpr std::chrono::seconds kLinger{2};

bool is_safe_method(bhttp::verb method) {
  return method == bhttp::verb::get || method == bhttp::verb::head ||
         method == bhttp::verb::options;
}

// nullopt when the target is not origin-form ("/path?query"), e.g. "*" or an absolute URL.
std::optional<Request> to_request(BeastRequest& in, const std::string& remote_address) {
  auto url = boost::urls::parse_origin_form(in.target());
  if (!url) return std::nullopt;
  Request out;
  out.method = std::string(in.method_string());
  out.path = url->path();
  for (auto param : url->params())
    out.query.emplace_back(param.key, param.has_value ? param.value : std::string());
  if (auto it = in.find(bhttp::field::authorization); it != in.end())
    out.authorization = std::string(it->value());
  if (auto it = in.find(bhttp::field::content_type); it != in.end())
    out.content_type = std::string(it->value());
  if (auto it = in.find(bhttp::field::accept_encoding); it != in.end())
    out.accept_encoding = std::string(it->value());
  if (auto it = in.find(bhttp::field::if_none_match); it != in.end())
    out.if_none_match = std::string(it->value());
  if (auto it = in.find(bhttp::field::accept_language); it != in.end())
    out.accept_language = std::string(it->value().substr(0, 200));
  out.body = std::move(in.body());
  out.remote_address = remote_address;
  return out;
}

// A handler-supplied header must not smuggle a second header or response into the stream.
bool is_clean_header(std::string_view name, std::string_view value) {
  auto bad = [](char c) { return c == '\r' || c == '\n' || c == '\0'; };
  return !name.empty() && std::ranges::none_of(name, bad) && std::ranges::none_of(value, bad) &&
         name.find(':') == std::string_view::npos;
}

BeastResponse to_beast(Response&& in, unsigned version, bool keep_alive, bool head_request) {
  BeastResponse out;
  out.version(version);
  out.result(static_cast<unsigned>(in.status));
  out.set(bhttp::field::server, "firstline");
  for (auto& [name, value] : in.headers) {
    if (is_clean_header(name, value))
      out.insert(name, value);
    else
      spdlog::warn("dropped response header '{}': a line break or colon in it", name);
  }
  // 1xx, 204 and 304 carry no content (RFC 9110 §6.4.1).
  const bool bodiless = in.status < 200 || in.status == 204 || in.status == 304;
  if (!bodiless) {
    if (!in.content_type.empty()) out.set(bhttp::field::content_type, in.content_type);
    out.content_length(in.body.size());
    // HEAD: the length of what GET would send, and no content.
    if (!head_request) out.body() = std::move(in.body);
  }
  out.keep_alive(keep_alive);
  return out;
}

// The answer to a failed read, or nullopt when there is nobody to answer (closed, reset,
// timed out: the stream has already closed the socket on a timeout).
std::optional<Response> problem_for_read_error(const beast::error_code& ec,
                                               std::size_t body_limit) {
  if (ec == bhttp::error::body_limit)
    return problem(413, fmt::format("request body exceeds {} bytes", body_limit));
  if (ec == bhttp::error::header_limit) return problem(431, "request header fields are too large");
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return std::nullopt;
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category())
    return problem(400, "malformed HTTP request: " + ec.message());
  return std::nullopt;
}

// Whether an Accept-Encoding header allows gzip (RFC 9110 §12.5.3: "gzip" or "*", not q=0).
bool accepts_gzip(std::string_view header) {
  auto trimmed = [](std::string_view v) {
    const auto first = v.find_first_not_of(" \t");
    if (first == std::string_view::npos) return std::string_view{};
    return v.substr(first, v.find_last_not_of(" \t") - first + 1);
  };
  std::optional<bool> star;
  for (auto part : std::views::split(header, ',')) {
    const std::string_view item(part.begin(), part.end());
    const auto semicolon = item.find(';');
    const std::string_view coding = trimmed(item.substr(0, semicolon));
    bool allowed = true;
    if (semicolon != std::string_view::npos) {
      const std::string_view param = trimmed(item.substr(semicolon + 1));
      if (param.starts_with("q=") || param.starts_with("Q="))
        allowed = std::strtod(std::string(param.substr(2)).c_str(), nullptr) > 0;
    }
    if (coding == "gzip" || coding == "x-gzip") return allowed;
    if (coding == "*") star = allowed;
  }
  return star.value_or(false);
}

// Files of the single-page app, for paths the router does not know. A file with a ".gz"
// sibling (the web build writes them) goes out gzip-compressed to clients that take it.
class StaticFiles {
 public:
  StaticFiles(const std::string& dir, const std::vector<std::string>& embed_origins) {
    for (const auto& origin : embed_origins) chat_ancestors_ += " " + origin;
    if (dir.empty()) return;
    std::error_code ec;
    root_ = std::filesystem::weakly_canonical(dir, ec);
    if (!root_.has_filename()) root_ = root_.parent_path();  // "dir/" -> "dir"
    if (ec || !std::filesystem::is_directory(root_))
      spdlog::warn("static folder {} is not a readable directory", dir);
  }

  [[nodiscard]] bool enabled() const { return !root_.empty(); }

  [[nodiscard]] static bool eligible(const Request& request) {
    const std::string_view path = request.path;
    return (request.method == "GET" || request.method == "HEAD") && !path.starts_with("/api/") &&
           path != "/api" && path != "/healthz" && path != "/metrics";
  }

  // nullopt when there is no such file and the path names one (has an extension), so that
  // the router's 404 stands.
  [[nodiscard]] std::optional<Response> serve(std::string_view path, bool gzip) const {
    std::string_view relative = path;
    while (relative.starts_with('/')) relative.remove_prefix(1);
    for (std::size_t i = 0; i <= relative.size();) {
      std::size_t j = std::min(relative.find('/', i), relative.size());
      const std::string_view segment = relative.substr(i, j - i);
      if (segment == ".." || segment == "." ||
          segment.find_first_of(std::string_view("\\\0", 2)) != std::string_view::npos)
        return problem(400, "invalid path");
      i = j + 1;
    }
    if (relative.empty() || relative.ends_with('/')) return file(root_ / "index.html", gzip);
    if (auto found = file(root_ / std::filesystem::path(relative), gzip)) return found;
    const std::string_view last = relative.substr(relative.rfind('/') + 1);
    if (last.find('.') == std::string_view::npos) return file(root_ / "index.html", gzip);
    return std::nullopt;
  }

 private:
  // The real path of a regular file inside the folder (a symbolic link must not lead out).
  [[nodiscard]] std::optional<std::filesystem::path> inside(
      const std::filesystem::path& candidate) const {
    std::error_code ec;
    auto real = std::filesystem::weakly_canonical(candidate, ec);
    if (ec || !std::filesystem::is_regular_file(real, ec)) return std::nullopt;
    auto [root_end, _] = std::ranges::mismatch(root_, real);
    if (root_end != root_.end()) return std::nullopt;
    return real;
  }

  [[nodiscard]] std::optional<Response> file(const std::filesystem::path& candidate,
                                             bool gzip) const {
    const auto found = inside(candidate);
    if (!found) return std::nullopt;
    const std::filesystem::path& real = *found;
    std::optional<std::filesystem::path> compressed;
    if (gzip) compressed = inside(std::filesystem::path(real.string() + ".gz"));

    std::ifstream in(compressed.value_or(real), std::ios::binary);
    std::string body{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (!in.good() && !in.eof()) return problem(500, "cannot read file");

    const std::string ext = real.extension().string();
    Response r;
    r.content_type = content_type(ext);
    r.body = std::move(body);
    if (compressed) r.headers.emplace_back("Content-Encoding", "gzip");
    if (std::filesystem::exists(real.string() + ".gz")) r.headers.emplace_back("Vary", "Accept-Encoding");
    // index.html must be revalidated so a deployment is picked up; Vite's /assets/ carry a
    // content hash in their names and never change.
    const std::string relative = real.lexically_relative(root_).generic_string();
    const char* cache = ext == ".html"                    ? "no-cache"
                        : relative.starts_with("assets/") ? "public, max-age=31536000, immutable"
                                                          : "public, max-age=3600";
    r.headers.emplace_back("Cache-Control", cache);
    // No other site may frame the console or the portal (clickjacking); the chat widget's own
    // page, the configured embedding sites too.
    if (ext == ".html") {
      if (relative == "chat.html") {
        r.headers.emplace_back("Content-Security-Policy", chat_ancestors_);
      } else {
        r.headers.emplace_back("Content-Security-Policy", "frame-ancestors 'self'");
        r.headers.emplace_back("X-Frame-Options", "SAMEORIGIN");
      }
    }
    return r;
  }

  static std::string content_type(std::string_view ext) {
    if (ext == ".html") return "text/html; charset=utf-8";
    if (ext == ".js") return "text/javascript; charset=utf-8";
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".png") return "image/png";
    if (ext == ".json") return "application/json";
    if (ext == ".ico") return "image/x-icon";
    if (ext == ".woff2") return "font/woff2";
    if (ext == ".txt") return "text/plain; charset=utf-8";
    return "application/octet-stream";
  }

  std::filesystem::path root_;
  std::string chat_ancestors_ = "frame-ancestors 'self'";
};

void log_exception(const std::exception_ptr& e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    spdlog::error("http connection failed: {}", x.what());
  } catch (...) {
    spdlog::error("http connection failed with a non-standard exception");
  }
}

// --- WebSockets ------------------------------------------------------------------------

namespace websocket = beast::websocket;
using WebSocketStream = websocket::stream<beast::tcp_stream&>;

// How long a cut-off slow reader gets to take its close frame before the socket is dropped.
constexpr std::chrono::seconds kSlowReaderGrace{2};
// Opening and closing handshakes (a close the client never answers).
constexpr std::chrono::seconds kWebSocketHandshake{5};

// A close frame's reason fits in 123 bytes (RFC 6455 §5.5); cut on a UTF-8 boundary.
std::string close_reason_text(std::string_view reason) {
  constexpr std::size_t kMax = 123;
  if (reason.size() <= kMax) return std::string(reason);
  std::size_t n = kMax;
  while (n > 0 && (static_cast<unsigned char>(reason[n]) & 0xC0) == 0x80) --n;
  return std::string(reason.substr(0, n));
}

// The channel of one WebSocket: a queue the application fills from any thread, drained by
// the connection's writer on its own loop. What the loop must do is posted there, and only
// while the connection lives (detach() under the same lock ends that).
class SocketChannel final : public WebSocketChannel,
                            public std::enable_shared_from_this<SocketChannel> {
 public:
  SocketChannel(asio::any_io_executor loop, std::size_t limit)
      : loop_(std::move(loop)), limit_(std::max<std::size_t>(1, limit)) {}

  bool send(std::shared_ptr<const std::string> text) override {
    std::lock_guard lock(mutex_);
    if (closing_ || ended_ || !text) return false;
    if (queue_.size() >= limit_) {
      queue_.clear();
      closing_ = true;
      slow_ = true;
      close_code_ = close_code::policy;
      close_reason_ = close_reason_text(fmt::format(
          "too slow: over {} messages waiting; reconnect and resume from your last cursor",
          limit_));
      wake();
      return false;
    }
    queue_.push_back(std::move(text));
    if (queue_.size() == 1) wake();
    return true;
  }

  void close(int code, std::string_view reason) override {
    std::lock_guard lock(mutex_);
    if (closing_ || ended_) return;
    closing_ = true;
    close_code_ = code;
    close_reason_ = close_reason_text(reason);
    wake();
  }

  // What the writer does next: a message, else the close frame once, else stop (the
  // connection ended), else wait.
  struct Next {
    std::shared_ptr<const std::string> message;
    std::optional<websocket::close_reason> close;
    bool ended = false;
  };
  Next next() {
    std::lock_guard lock(mutex_);
    Next n;
    if (ended_) {
      n.ended = true;
    } else if (!queue_.empty()) {
      n.message = std::move(queue_.front());
      queue_.pop_front();
    } else if (closing_ && !close_taken_) {
      close_taken_ = true;
      n.close =
          websocket::close_reason(static_cast<websocket::close_code>(close_code_), close_reason_);
    }
    return n;
  }

  // On the loop, once the socket is open: the writer waits on `wake`; `on_slow` runs when a
  // slow reader has been cut off.
  void attach(asio::steady_timer& wake, std::function<void()> on_slow) {
    timer_ = &wake;
    on_slow_ = std::move(on_slow);
    woken();  // what arrived before
  }

  // On the loop: the connection is over; later calls do nothing.
  void detach() {
    std::lock_guard lock(mutex_);
    ended_ = true;
    queue_.clear();
    timer_ = nullptr;
    on_slow_ = nullptr;
  }

 private:
  // Called with mutex_ held, so the connection (and its loop) is still there.
  void wake() {
    asio::post(loop_, [self = shared_from_this()] { self->woken(); });
  }

  // On the loop.
  void woken() {
    bool cut_off = false;
    {
      std::lock_guard lock(mutex_);
      if (ended_) return;
      cut_off = slow_ && !slow_reported_ && on_slow_;
      if (cut_off) slow_reported_ = true;
    }
    if (timer_) timer_->cancel();
    if (cut_off) on_slow_();
  }

  asio::any_io_executor loop_;
  const std::size_t limit_;
  std::mutex mutex_;
  std::deque<std::shared_ptr<const std::string>> queue_;  // guarded by mutex_
  bool closing_ = false;                                  // guarded by mutex_
  bool close_taken_ = false;                              // guarded by mutex_
  bool ended_ = false;                                    // guarded by mutex_
  bool slow_ = false;                                     // guarded by mutex_
  bool slow_reported_ = false;                            // guarded by mutex_
  int close_code_ = close_code::normal;                   // guarded by mutex_
  std::string close_reason_;                              // guarded by mutex_
  asio::steady_timer* timer_ = nullptr;                   // loop only
  std::function<void()> on_slow_;                         // loop only
};

// Calls the session's on_close once, whatever way the connection ends (even when the loop
// is destroyed with the connection suspended), after the channel is detached.
struct SessionEnd {
  std::shared_ptr<SocketChannel> channel;
  std::shared_ptr<WebSocketSession> session;
  ~SessionEnd() {
    channel->detach();
    if (session) session->on_close();
  }
};

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, const Router& router, Metrics& metrics)
      : options_(std::move(options)),
        router_(router),
        metrics_(metrics),
        static_files_(options_.static_dir, options_.embed_origins),
        workers_(static_cast<std::size_t>(std::max(1, options_.worker_threads))) {
    for (int i = 0; i < std::max(1, options_.io_threads); ++i)
      loops_.push_back(std::make_unique<Loop>());
  }

  ~Impl() {
    // Handlers still running refer to requests held in coroutine frames, which the loops'
    // destructors free: wait for them first.
    workers_.join();
  }

  unsigned short listen();
  void run();
  void stop() noexcept;

 private:
  // One event loop and the connections it serves. Only its own thread touches the list.
  struct Connection;
  struct Loop {
    std::list<Connection*> connections;  // declared before ioc: outlives the frames in it
    asio::io_context ioc{1};
  };

  // Registers a session with its loop so that shutdown can close it while it is idle.
  struct Connection {
    Connection(Impl& server, Loop& loop, beast::tcp_stream& stream)
        : server(server), loop(loop), stream(stream) {
      position = loop.connections.insert(loop.connections.end(), this);
      server.live_connections_.fetch_add(1);
    }
    ~Connection() {
      loop.connections.erase(position);
      {
        std::lock_guard lock(server.mutex_);
        server.live_connections_.fetch_sub(1);
      }
      server.changed_.notify_all();
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    Impl& server;
    Loop& loop;
    beast::tcp_stream& stream;
    bool idle = false;  // waiting between requests: safe to close at shutdown
    std::function<void()> shutdown;  // a WebSocket closes itself (1001) instead
    std::list<Connection*>::iterator position;
  };

  // One request read from the connection, waiting for its answer.
  struct Exchange {
    Request request;
    std::optional<Response> immediate;  // answered without the router (malformed target)
    std::optional<Dispatched> result;
    unsigned version = 11;
    bool keep_alive = true;
    bool head = false;
    bool safe = false;  // GET, HEAD, OPTIONS: may run alongside the requests pipelined after it
    Clock::time_point arrived;
  };

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> serve(tcp::socket socket, Loop& loop);
  asio::awaitable<void> answer(beast::tcp_stream& stream, std::vector<Exchange>& batch,
                               bool& keep_alive);
  asio::awaitable<void> reject(beast::tcp_stream& stream, const beast::error_code& ec,
                               const RequestParser& parser, std::size_t body_limit);
  asio::awaitable<void> close(beast::tcp_stream& stream, Connection& connection, bool drain);
  asio::awaitable<void> serve_websocket(beast::tcp_stream& stream, Connection& connection,
                                        BeastRequest request, const std::string& remote,
                                        const WebSocketOpen& open, std::string route);
  static asio::awaitable<void> write_messages(WebSocketStream& ws, SocketChannel& channel,
                                              asio::steady_timer& wake);

  // Runs fn() on the worker pool; completes with its result on the caller's loop. Pass a
  // named function object: g++ 12 destroys a temporary in a co_await expression twice.
  template <class Result, class Fn>
  asio::awaitable<Result> on_workers(Fn fn) {
    auto home = co_await asio::this_coro::executor;
    auto run = [this, home](auto handler, Fn fn) {
      asio::post(workers_, [home, fn = std::move(fn), handler = std::move(handler)]() mutable {
        Result r = fn();
        asio::post(home, [handler = std::move(handler), r = std::move(r)]() mutable {
          std::move(handler)(std::move(r));
        });
      });
    };
    asio::use_awaitable_t<> token;
    Result r = co_await asio::async_initiate<asio::use_awaitable_t<>, void(Result)>(run, token,
                                                                                    std::move(fn));
    co_return r;
  }

  Exchange make_exchange(BeastRequest request, const std::string& remote, int served);
  std::optional<BeastRequest> take_buffered(beast::flat_buffer& buffer) const;
  Dispatched handle(const Request& request) const noexcept;

  // Runs handle() on the worker pool and completes on the caller's executor.
  template <class Token>
  auto async_handle(const Request& request, Token&& token) {
    return asio::async_initiate<Token, void(Dispatched)>(
        [this](auto handler, const Request* req) {
          auto home = asio::get_associated_executor(handler);
          asio::post(workers_, [this, req, home, handler = std::move(handler)]() mutable {
            Dispatched done = handle(*req);
            asio::post(home, [handler = std::move(handler), done = std::move(done)]() mutable {
              std::move(handler)(std::move(done));
            });
          });
        },
        token, &request);
  }

  // Before the head is read the parser allows the largest limit of any route; the request's
  // own limit is set once its head says which route it is (body_limit_for).
  void set_limits(RequestParser& parser) const {
    parser.header_limit(static_cast<std::uint32_t>(options_.header_limit));
    std::size_t largest = options_.body_limit;
    for (const auto& l : options_.route_body_limits) largest = std::max(largest, l.limit);
    parser.body_limit(largest);
  }

  std::size_t body_limit_for(const BeastRequest& head) const {
    if (options_.route_body_limits.empty()) return options_.body_limit;
    std::string_view target = head.target();
    std::string_view path = target.substr(0, target.find('?'));
    for (const auto& l : options_.route_body_limits)
      if (head.method_string() == l.method && path == l.path) return l.limit;
    return options_.body_limit;
  }

  ServerOptions options_;
  const Router& router_;
  Metrics& metrics_;
  StaticFiles static_files_;

  std::mutex mutex_;
  std::condition_variable changed_;
  bool stop_requested_ = false;  // guarded by mutex_
  std::atomic<bool> stopping_{false};
  std::atomic<int> live_connections_{0};

  asio::thread_pool workers_;
  std::vector<std::unique_ptr<Loop>> loops_;
  std::optional<tcp::acceptor> acceptor_;  // on loops_[0]; declared after loops_ it goes first
  std::size_t next_loop_ = 0;
  bool ran_ = false;
};

unsigned short Server::Impl::listen() {
  if (acceptor_) return acceptor_->local_endpoint().port();
  auto& ioc = loops_.front()->ioc;
  const std::string where = fmt::format("{}:{}", options_.host, options_.port);
  beast::error_code ec;
  tcp::endpoint endpoint;
  if (auto address = asio::ip::make_address(options_.host, ec); !ec) {
    endpoint = tcp::endpoint(address, options_.port);
  } else {
    tcp::resolver resolver(ioc);
    auto results = resolver.resolve(options_.host, std::to_string(options_.port), ec);
    if (ec || results.empty())
      throw std::runtime_error(fmt::format("cannot listen on {}: cannot resolve {}: {}", where,
                                           options_.host, ec.message()));
    endpoint = results.begin()->endpoint();
  }

  tcp::acceptor acceptor(ioc);
  auto check = [&](std::string_view step) {
    if (ec)
      throw std::runtime_error(
          fmt::format("cannot listen on {}: {} failed: {}", where, step, ec.message()));
  };
  acceptor.open(endpoint.protocol(), ec);
  check("open");
  // Lets a restarted server bind while old connections sit in TIME_WAIT; on Linux it does
  // not let two servers share a port, so "address in use" is still reported.
  acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  check("setsockopt");
  acceptor.bind(endpoint, ec);
  check("bind");
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  check("listen");
  acceptor_.emplace(std::move(acceptor));
  return acceptor_->local_endpoint().port();
}

void Server::Impl::run() {
  if (ran_) throw std::logic_error("fl::http::Server::run() may be called only once");
  ran_ = true;
  const unsigned short port = listen();
  spdlog::info("http: listening on {}:{} ({} I/O threads, {} workers)", options_.host, port,
               loops_.size(), std::max(1, options_.worker_threads));

  auto& first = loops_.front()->ioc;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep_running;
  for (auto& loop : loops_) keep_running.push_back(asio::make_work_guard(loop->ioc));

  asio::co_spawn(first, accept_loop(), [](const std::exception_ptr& e) { log_exception(e); });
  std::optional<asio::signal_set> signals;
  if (options_.handle_signals) {
    signals.emplace(first, SIGINT, SIGTERM);
    signals->async_wait([this](const beast::error_code& ec, int signal) {
      if (ec) return;
      spdlog::info("http: signal {} received, shutting down", signal);
      stop();
    });
  }

  std::vector<std::jthread> threads;
  for (auto& loop : loops_) {
    threads.emplace_back([&ioc = loop->ioc] {
      for (;;) {
        try {
          ioc.run();
          return;
        } catch (const std::exception& e) {
          spdlog::error("http: event loop: {}", e.what());
        }
      }
    });
  }

  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return stop_requested_; });
  }

  // Graceful shutdown: no new connections; idle ones close now, busy ones after their
  // current response (serve() sees stopping_ and answers with "Connection: close").
  stopping_ = true;
  asio::post(first, [this, &signals] {
    beast::error_code ignored;
    acceptor_->close(ignored);
    if (signals) signals->cancel(ignored);
  });
  for (auto& loop : loops_) {
    asio::post(loop->ioc, [&loop = *loop] {
      for (Connection* c : loop.connections) {
        if (c->shutdown)
          c->shutdown();
        else if (c->idle)
          c->stream.cancel();
      }
    });
  }
  {
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, options_.shutdown_grace,
                           [this] { return live_connections_.load() == 0; }))
      spdlog::warn("http: {} connections still busy after {}s; closing them",
                   live_connections_.load(), options_.shutdown_grace.count());
  }
  keep_running.clear();
  for (auto& loop : loops_) loop->ioc.stop();
  threads.clear();
  // When run() returns no handler is running, so the caller may tear down the store.
  workers_.join();
  spdlog::info("http: stopped");
}

void Server::Impl::stop() noexcept {
  {
    std::lock_guard lock(mutex_);
    stop_requested_ = true;
  }
  changed_.notify_all();
}

asio::awaitable<void> Server::Impl::accept_loop() {
  for (;;) {
    Loop& loop = *loops_[next_loop_++ % loops_.size()];
    auto [ec, socket] =
        co_await acceptor_->async_accept(asio::any_io_executor(loop.ioc.get_executor()), use_tuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || stopping_) co_return;
      if (ec == asio::error::connection_aborted) continue;
      // Out of descriptors or memory: back off instead of spinning on the error.
      spdlog::warn("http: accept failed: {}", ec.message());
      asio::steady_timer pause(co_await asio::this_coro::executor, std::chrono::milliseconds(50));
      co_await pause.async_wait(use_tuple);
      continue;
    }
    asio::co_spawn(loop.ioc, serve(std::move(socket), loop),
                   [](const std::exception_ptr& e) { log_exception(e); });
  }
}

asio::awaitable<void> Server::Impl::serve(tcp::socket socket, Loop& loop) {
  beast::error_code ec;
  socket.set_option(tcp::no_delay(true), ec);
  std::string remote;
  if (auto endpoint = socket.remote_endpoint(ec); !ec) remote = endpoint.address().to_string();
  beast::tcp_stream stream(std::move(socket));
  Connection connection(*this, loop, stream);
  beast::flat_buffer buffer;
  std::vector<Exchange> batch;  // the requests being answered; reused across rounds
  int served = 0;

  for (bool keep_alive = true; keep_alive && !stopping_;) {
    // A new connection has header_timeout from accept to a complete head (slowloris); a
    // kept-alive one may idle for idle_timeout before the next request starts.
    if (buffer.size() == 0) {
      stream.expires_after(served == 0 ? options_.header_timeout : options_.idle_timeout);
      connection.idle = true;
      auto [read_ec, n] =
          co_await stream.async_read_some(buffer.prepare(kFirstReadSize), use_tuple);
      connection.idle = false;
      if (read_ec) co_return;
      buffer.commit(n);
    }
    if (served > 0) stream.expires_after(options_.header_timeout);

    RequestParser parser;
    set_limits(parser);
    auto [head_ec, head_n] = co_await bhttp::async_read_header(stream, buffer, parser, use_tuple);
    if (head_ec) {
      co_await reject(stream, head_ec, parser, options_.body_limit);
      co_await close(stream, connection, true);
      co_return;
    }
    const std::size_t body_limit = body_limit_for(parser.get());
    if (auto length = parser.content_length(); length && *length > body_limit) {
      co_await reject(stream, bhttp::error::body_limit, parser, body_limit);
      co_await close(stream, connection, true);
      co_return;
    }
    parser.body_limit(body_limit);  // counts down as a chunked body arrives
    if (!parser.is_done()) {
      if (parser.get().version() >= 11 &&
          beast::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
        bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, 11};
        stream.expires_after(options_.write_timeout);
        auto [cont_ec, cont_n] = co_await bhttp::async_write(stream, go_on, use_tuple);
        if (cont_ec) co_return;
      }
      stream.expires_after(options_.read_timeout);
      auto [body_ec, body_n] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
      if (body_ec) {
        co_await reject(stream, body_ec, parser, body_limit);
        co_await close(stream, connection, true);
        co_return;
      }
    }
    stream.expires_never();  // the handler's time is not the client's fault

    if (websocket::is_upgrade(parser.get())) {
      std::string route;
      const WebSocketOpen* open = nullptr;
      if (auto url = boost::urls::parse_origin_form(parser.get().target()))
        open = router_.websocket(url->path(), &route);
      if (open) {
        BeastRequest upgrade = parser.release();  // not a temporary in co_await (g++ 12)
        co_await serve_websocket(stream, connection, std::move(upgrade), remote, *open,
                                 std::move(route));
        co_return;
      }
    }

    batch.clear();
    batch.push_back(make_exchange(parser.release(), remote, ++served));
    // Safe requests already buffered behind a safe one are dispatched together; anything
    // else (a body, an unsafe method, an incomplete head) waits for the next round.
    if (batch.front().safe) {
      while (batch.back().keep_alive && std::cmp_less(batch.size(), options_.max_pipelined)) {
        auto next = take_buffered(buffer);
        if (!next) break;
        batch.push_back(make_exchange(std::move(*next), remote, ++served));
      }
    }
    co_await answer(stream, batch, keep_alive);
  }
  // Requests left in the buffer go unanswered: drain them so they do not reset the connection.
  co_await close(stream, connection, buffer.size() > 0);
}

Server::Impl::Exchange Server::Impl::make_exchange(BeastRequest request, const std::string& remote,
                                                   int served) {
  Exchange x;
  x.arrived = Clock::now();
  x.version = request.version();
  x.head = request.method() == bhttp::verb::head;
  x.safe = is_safe_method(request.method());
  const bool under_cap =
      options_.max_requests_per_connection <= 0 || served < options_.max_requests_per_connection;
  x.keep_alive = request.keep_alive() && under_cap;
  if (auto converted = to_request(request, remote)) {
    x.request = std::move(*converted);
  } else {
    x.request.method = std::string(request.method_string());
    x.request.remote_address = remote;
    x.immediate = problem(400, "request target is not a valid origin-form URL");
    x.keep_alive = false;
  }
  return x;
}

std::optional<BeastRequest> Server::Impl::take_buffered(beast::flat_buffer& buffer) const {
  if (buffer.size() == 0) return std::nullopt;
  RequestParser parser;
  set_limits(parser);
  beast::error_code ec;
  const std::size_t used = parser.put(buffer.data(), ec);
  if (ec || !parser.is_done() || !is_safe_method(parser.get().method())) return std::nullopt;
  // Parsed under the largest route limit: one over its own waits for the next round's check.
  if (parser.get().body().size() > body_limit_for(parser.get())) return std::nullopt;
  buffer.consume(used);
  return parser.release();
}

Dispatched Server::Impl::handle(const Request& request) const noexcept {
  try {
    // HEAD is GET without the content (RFC 9110 §9.3.2); to_beast() drops the body.
    Dispatched d;
    if (request.method == "HEAD") {
      Request get = request;
      get.method = "GET";
      d = router_.dispatch(get);
    } else {
      d = router_.dispatch(request);
    }
    if (d.route == "unmatched" && static_files_.enabled() && StaticFiles::eligible(request)) {
      if (auto file = static_files_.serve(request.path, accepts_gzip(request.accept_encoding)))
        return {std::move(*file), "static"};
    }
    return d;
  } catch (const std::exception& e) {
    spdlog::error("{} {}: {}", request.method, request.path, e.what());
  } catch (...) {
    spdlog::error("{} {}: non-standard exception", request.method, request.path);
  }
  return {problem(500, "internal error"), "error"};
}

asio::awaitable<void> Server::Impl::answer(beast::tcp_stream& stream, std::vector<Exchange>& batch,
                                           bool& keep_alive) {
  const auto home = co_await asio::this_coro::executor;
  asio::steady_timer ready(home, Clock::time_point::max());  // woken as results arrive
  if (batch.size() == 1 && !batch.front().immediate) {
    if (router_.is_quick(batch.front().request)) {
      batch.front().result = handle(batch.front().request);
    } else {
      batch.front().result = co_await async_handle(batch.front().request, asio::use_awaitable);
    }
  } else {
    for (auto& x : batch) {
      if (x.immediate) continue;
      async_handle(x.request, asio::bind_executor(home, [&x, &ready](Dispatched d) {
                     x.result = std::move(d);
                     ready.cancel();
                   }));
    }
  }

  // Answers in order, each as soon as it is ready. Once the connection is done (write error,
  // "Connection: close") the rest are only waited for: their handlers refer to `batch`.
  keep_alive = true;
  for (auto& x : batch) {
    while (!x.immediate && !x.result) co_await ready.async_wait(use_tuple);
    if (!keep_alive) continue;
    Dispatched d =
        x.immediate ? Dispatched{std::move(*x.immediate), "invalid"} : std::move(*x.result);
    const int status = d.response.status;
    const bool stay = x.keep_alive && !stopping_;
    BeastResponse response = to_beast(std::move(d.response), x.version, stay, x.head);
    stream.expires_after(options_.write_timeout);
    auto [write_ec, written] = co_await bhttp::async_write(stream, response, use_tuple);
    const auto elapsed = Clock::now() - x.arrived;
    metrics_.record(x.request.method, d.route, status, elapsed);
    spdlog::debug("{} {} {} -> {} in {}us", x.request.remote_address, x.request.method,
                  x.request.path, status,
                  std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count());
    if (write_ec || !stay) keep_alive = false;
  }
}

asio::awaitable<void> Server::Impl::reject(beast::tcp_stream& stream, const beast::error_code& ec,
                                           const RequestParser& parser, std::size_t body_limit) {
  auto answer = problem_for_read_error(ec, body_limit);
  if (!answer) {
    spdlog::debug("http: connection dropped: {}", ec.message());
    co_return;
  }
  spdlog::debug("http: rejected request: {}", ec.message());
  const int status = answer->status;
  const auto& partial = parser.get();
  BeastResponse response =
      to_beast(std::move(*answer), partial.version() == 10 ? 10 : 11, false, false);
  stream.expires_after(options_.write_timeout);
  co_await bhttp::async_write(stream, response, use_tuple);
  metrics_.record(partial.method_string(), "invalid", status, std::chrono::nanoseconds(0));
}

// Sends FIN. With `drain`, the client may still be sending (a rejected body, requests
// pipelined after "Connection: close"): closing with unread input would send a reset that can
// destroy our last response before the client reads it, so read and discard for a while.
asio::awaitable<void> Server::Impl::close(beast::tcp_stream& stream, Connection& connection,
                                          bool drain) {
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec || !drain || stopping_) co_return;
  stream.expires_after(kLinger);
  connection.idle = true;
  std::array<char, 4096> sink{};
  for (;;) {
    auto [read_ec, n] = co_await stream.async_read_some(asio::buffer(sink), use_tuple);
    if (read_ec) break;
  }
}

// One WebSocket, from the upgrade request to the end (after Beast's websocket_session): the
// application decides on the worker pool; then this coroutine reads (handing each message to
// the workers, one at a time) while write_messages() drains the channel on the same loop.
asio::awaitable<void> Server::Impl::serve_websocket(beast::tcp_stream& stream,
                                                    Connection& connection, BeastRequest request,
                                                    const std::string& remote,
                                                    const WebSocketOpen& open, std::string route) {
  const auto arrived = Clock::now();
  const auto loop = co_await asio::this_coro::executor;
  auto upgrade = std::make_shared<UpgradeRequest>();
  if (auto converted = to_request(request, remote)) upgrade->request = std::move(*converted);
  if (auto it = request.find(bhttp::field::origin); it != request.end())
    upgrade->origin = std::string(it->value());
  if (auto it = request.find(bhttp::field::host); it != request.end())
    upgrade->host = std::string(it->value());
  auto channel = std::make_shared<SocketChannel>(loop, options_.websocket_queue_limit);

  // Named, not a temporary in the co_await expression: g++ 12 destroys those twice.
  auto decide = [&open, upgrade, channel] {
    try {
      return open(*upgrade, channel);
    } catch (const std::exception& e) {
      spdlog::error("GET {}: opening the WebSocket failed: {}", upgrade->request.path, e.what());
    } catch (...) {
      spdlog::error("GET {}: opening the WebSocket failed", upgrade->request.path);
    }
    return WebSocketOutcome{problem(500, "internal error")};
  };
  WebSocketOutcome outcome = co_await on_workers<WebSocketOutcome>(decide);
  if (auto* refused = std::get_if<Response>(&outcome)) {
    const int status = refused->status;
    BeastResponse response = to_beast(std::move(*refused), request.version(), false, false);
    stream.expires_after(options_.write_timeout);
    co_await bhttp::async_write(stream, response, use_tuple);
    metrics_.record("GET", route, status, Clock::now() - arrived);
    channel->detach();
    co_await close(stream, connection, false);
    co_return;
  }
  SessionEnd end{channel, std::get<std::shared_ptr<WebSocketSession>>(std::move(outcome))};

  WebSocketStream ws(stream);
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = kWebSocketHandshake;
  timeouts.idle_timeout = options_.websocket_idle_timeout;
  timeouts.keep_alive_pings = true;
  ws.set_option(timeouts);
  ws.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& r) { r.set(bhttp::field::server, "firstline"); }));
  ws.read_message_max(options_.websocket_message_limit);
  ws.text(true);
  auto [accept_ec] = co_await ws.async_accept(request, use_tuple);
  if (accept_ec) {
    spdlog::debug("{}: WebSocket handshake failed: {}", remote, accept_ec.message());
    metrics_.record("GET", route, 400, Clock::now() - arrived);
    co_return;
  }
  metrics_.record("GET", route, 101, Clock::now() - arrived);
  spdlog::debug("{} GET {} -> WebSocket", remote, upgrade->request.path);

  // The writer runs beside this reader on the same loop; `writer_done` tells when it ended.
  asio::steady_timer wake(loop, Clock::time_point::max());
  asio::steady_timer writer_done(loop, Clock::time_point::max());
  asio::steady_timer cut_off(loop);  // drops a slow reader that does not take its close frame
  bool writing = true;
  asio::co_spawn(loop, write_messages(ws, *channel, wake),
                 [&writing, &writer_done](const std::exception_ptr& e) {
                   log_exception(e);
                   writing = false;
                   writer_done.cancel();
                 });
  channel->attach(wake, [&cut_off, &stream] {
    cut_off.expires_after(kSlowReaderGrace);
    cut_off.async_wait([&stream](const beast::error_code& ec) {
      if (!ec) stream.close();
    });
  });
  connection.shutdown = [channel] {
    channel->close(close_code::going_away, "server shutting down");
  };
  if (stopping_) channel->close(close_code::going_away, "server shutting down");

  beast::flat_buffer in;
  for (;;) {
    in.clear();
    auto [read_ec, n] = co_await ws.async_read(in, use_tuple);
    if (read_ec) {
      spdlog::debug("{}: WebSocket ended: {}", remote, read_ec.message());
      break;
    }
    if (!ws.got_text()) {
      channel->close(close_code::unsupported, "send text messages");
      continue;  // read on until the client answers the close
    }
    auto text = std::make_shared<std::string>(beast::buffers_to_string(in.data()));
    auto handle = [session = end.session, text] {
      try {
        session->on_message(*text);
        return false;
      } catch (const std::exception& e) {
        spdlog::error("WebSocket message handler failed: {}", e.what());
      } catch (...) {
        spdlog::error("WebSocket message handler failed");
      }
      return true;
    };
    bool failed = co_await on_workers<bool>(handle);
    if (failed) channel->close(close_code::internal_error, "internal error");
  }

  // The reader is done: stop the writer (a pending write fails once the socket is gone).
  connection.shutdown = nullptr;
  channel->detach();
  cut_off.cancel();
  wake.cancel();
  if (writing) {
    beast::error_code ignored;
    stream.socket().cancel(ignored);
  }
  while (writing) co_await writer_done.async_wait(use_tuple);
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

asio::awaitable<void> Server::Impl::write_messages(WebSocketStream& ws, SocketChannel& channel,
                                                   asio::steady_timer& wake) {
  for (;;) {
    auto next = channel.next();
    if (next.message) {
      auto [ec, n] = co_await ws.async_write(asio::buffer(*next.message), use_tuple);
      if (ec) co_return;
      continue;
    }
    if (next.close) {
      co_await ws.async_close(*next.close, use_tuple);
      co_return;
    }
    if (next.ended || !ws.is_open()) co_return;
    wake.expires_at(Clock::time_point::max());
    auto [ec] = co_await wake.async_wait(use_tuple);
    (void)ec;  // woken: something to send, or the connection is ending
  }
}

Server::Server(ServerOptions options, const Router& router, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics)) {}

Server::~Server() = default;

unsigned short Server::listen() {
  return impl_->listen();
}

void Server::run() {
  impl_->run();
}

void Server::stop() noexcept {
  impl_->stop();
}

}  // namespace fl::http
