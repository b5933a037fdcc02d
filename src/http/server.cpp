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
#include <boost/url/parse.hpp>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <list>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "http/message.hpp"
#include "http/metrics.hpp"
#include "http/problem.hpp"
#include "http/router.hpp"

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

// Files of the single-page app, for paths the router does not know.
class StaticFiles {
 public:
  explicit StaticFiles(const std::string& dir) {
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
  [[nodiscard]] std::optional<Response> serve(std::string_view path) const {
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
    if (relative.empty() || relative.ends_with('/')) return file(root_ / "index.html");
    if (auto found = file(root_ / std::filesystem::path(relative))) return found;
    const std::string_view last = relative.substr(relative.rfind('/') + 1);
    if (last.find('.') == std::string_view::npos) return file(root_ / "index.html");
    return std::nullopt;
  }

 private:
  [[nodiscard]] std::optional<Response> file(const std::filesystem::path& candidate) const {
    std::error_code ec;
    const auto real = std::filesystem::weakly_canonical(candidate, ec);
    if (ec || !std::filesystem::is_regular_file(real, ec)) return std::nullopt;
    // A symbolic link must not lead out of the folder.
    auto [root_end, _] = std::ranges::mismatch(root_, real);
    if (root_end != root_.end()) return std::nullopt;

    std::ifstream in(real, std::ios::binary);
    std::string body{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (!in.good() && !in.eof()) return problem(500, "cannot read file");

    const std::string ext = real.extension().string();
    Response r;
    r.content_type = content_type(ext);
    r.body = std::move(body);
    // index.html must be revalidated so a deployment is picked up; Vite's /assets/ carry a
    // content hash in their names and never change.
    const std::string relative = real.lexically_relative(root_).generic_string();
    const char* cache = ext == ".html"                    ? "no-cache"
                        : relative.starts_with("assets/") ? "public, max-age=31536000, immutable"
                                                          : "public, max-age=3600";
    r.headers.emplace_back("Cache-Control", cache);
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

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, const Router& router, Metrics& metrics)
      : options_(std::move(options)),
        router_(router),
        metrics_(metrics),
        static_files_(options_.static_dir),
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
                               const RequestParser& parser);
  asio::awaitable<void> close(beast::tcp_stream& stream, Connection& connection, bool drain);

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

  void set_limits(RequestParser& parser) const {
    parser.header_limit(static_cast<std::uint32_t>(options_.header_limit));
    parser.body_limit(options_.body_limit);
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
      for (Connection* c : loop.connections)
        if (c->idle) c->stream.cancel();
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
      co_await reject(stream, head_ec, parser);
      co_await close(stream, connection, true);
      co_return;
    }
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
        co_await reject(stream, body_ec, parser);
        co_await close(stream, connection, true);
        co_return;
      }
    }
    stream.expires_never();  // the handler's time is not the client's fault

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
      if (auto file = static_files_.serve(request.path)) return {std::move(*file), "static"};
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
                                           const RequestParser& parser) {
  auto answer = problem_for_read_error(ec, options_.body_limit);
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
