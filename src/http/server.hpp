// The HTTP/1.1 transport: accepts connections, turns each request into a plain
// fl::http::Request, answers it through the Router (on a worker pool, since handlers may
// block on the store) and records it in Metrics. Beast and Asio stay in server.cpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace fl::http {

// A route that takes larger (or smaller) bodies than ServerOptions::body_limit, e.g. file
// uploads. `path` is matched exactly, without the query.
struct BodyLimit {
  std::string method;
  std::string path;
  std::size_t limit = 0;
};

class Router;
class Metrics;

struct ServerOptions {
  std::string host = "127.0.0.1";           // an address or a name that resolves to one
  unsigned short port = 8080;               // 0 picks a free port; listen() tells which
  int io_threads = 2;                       // socket I/O; each runs its own event loop
  int worker_threads = 32;                  // Router::dispatch runs here; handlers may block
  std::size_t body_limit = 1 << 20;         // larger bodies get 413 and the connection closes
  std::vector<BodyLimit> route_body_limits;  // these instead of body_limit (decided on the head)
  std::size_t header_limit = 16 * 1024;     // larger request heads get 431 and close
  std::chrono::seconds header_timeout{10};  // connect or first byte -> end of the head
  std::chrono::seconds read_timeout{30};    // end of the head -> end of the body
  std::chrono::seconds write_timeout{30};   // writing one response
  std::chrono::seconds idle_timeout{60};    // keep-alive wait for the next request
  std::chrono::seconds shutdown_grace{5};   // in-flight requests may finish within this
  int max_requests_per_connection = 10000;  // then "Connection: close"
  // Requests that arrived pipelined behind a GET/HEAD/OPTIONS are answered in order, but up
  // to this many safe ones are dispatched together (RFC 9112 §9.3.2).
  int max_pipelined = 16;
  // When non-empty: GET/HEAD requests the router does not know (outside /api/) are served
  // from this folder, with index.html for "/" and for paths without an extension (the
  // single-page app's client-side routes).
  std::string static_dir;
  // Its HTML pages may be framed by the server's own pages only (frame-ancestors 'self'),
  // except chat.html (the chat widget that /embed.js frames), which these origins may frame
  // too ("https://intranet.example").
  std::vector<std::string> embed_origins;
  // WebSockets (Router::add_websocket): a larger client message closes the socket (1009); a
  // client that lets more than websocket_queue_limit messages pile up is closed (1008); a
  // silent client is pinged after half the idle timeout and closed after all of it.
  std::size_t websocket_message_limit = 64 * 1024;
  std::size_t websocket_queue_limit = 1024;
  std::chrono::seconds websocket_idle_timeout{60};
  bool handle_signals = true;  // SIGINT/SIGTERM stop run(); off when embedded in tests
};

// Serves until stopped. `router` and `metrics` must outlive the Server. listen() and run()
// are called from one thread, run() at most once; stop() from any thread, any time.
// A HEAD request is dispatched as GET and answered without the content. Malformed requests
// get a problem+json answer (400, 413, 431) and the connection closes; each request is
// recorded in `metrics` under its route pattern ("invalid", "static" or "unmatched" else).
// A GET asking for a WebSocket upgrade at a Router::add_websocket path becomes a WebSocket
// (websocket.hpp; the upgrade is recorded with status 101); shutdown closes those with 1001.
// The application must stop using their channels before the Server is destroyed.
class Server {
 public:
  Server(ServerOptions options, const Router& router, Metrics& metrics);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; returns the bound port (the chosen one when options.port is 0).
  // Throws std::runtime_error naming the address and the reason (e.g. address in use).
  unsigned short listen();

  // Listens if listen() was not called, then blocks until stop() or SIGINT/SIGTERM. On the
  // way out it stops accepting, closes idle connections, lets in-flight requests finish
  // within options.shutdown_grace and then closes the rest.
  void run();

  // Makes run() return (or return at once, if it has not started yet). Thread-safe.
  void stop() noexcept;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fl::http
