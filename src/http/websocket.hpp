// WebSocket endpoints (RFC 6455) as the application sees them, free of Beast: what a route
// registers on the Router and what the server hands it for one open socket. The server
// (server.cpp) does the upgrade, the framing, pings, limits and the outbound queue.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "http/message.hpp"

namespace fl::http {

// Close codes used by the server itself (RFC 6455 §7.4.1); applications may add 4000-4999.
namespace close_code {
inline constexpr int normal = 1000;
inline constexpr int going_away = 1001;      // server shutting down
inline constexpr int unsupported = 1003;     // a binary message where text is expected
inline constexpr int policy = 1008;          // too slow a reader, too many messages
inline constexpr int too_big = 1009;         // a message over the size limit
inline constexpr int internal_error = 1011;  // the application failed
}  // namespace close_code

// The server's end of one WebSocket, for the application to send through. Thread-safe and
// never blocking; it may be kept after the socket closed (calls then do nothing).
class WebSocketChannel {
 public:
  virtual ~WebSocketChannel() = default;
  // Queues one text message (shared: the same text may go to many sockets). False when the
  // socket is closing or closed, or when the queue was full: a reader that falls that far
  // behind is closed with 1008 and the queue dropped, so it never holds up the sender.
  virtual bool send(std::shared_ptr<const std::string> text) = 0;
  // Sends what is queued, then a close frame with `code` and `reason` (cut to 123 bytes).
  // The first close wins.
  virtual void close(int code, std::string_view reason) = 0;
};

// The application's end of one WebSocket.
class WebSocketSession {
 public:
  virtual ~WebSocketSession() = default;
  // A text message from the client: on the worker pool (it may block on the store), one at a
  // time per socket, in order. Must not throw (an exception closes the socket with 1011).
  virtual void on_message(std::string_view text) = 0;
  // The socket is gone (either side closed, it timed out, or the server stops): called once,
  // after the last on_message, on an I/O thread, so it must be quick.
  virtual void on_close() = 0;
};

// The request that asks for the upgrade.
struct UpgradeRequest {
  Request request;     // GET, path, query, Authorization, remote address
  std::string origin;  // the Origin header (browsers send it); empty when absent
  std::string host;    // the Host header
};

// Decides on an upgrade request, on the worker pool: a Response refuses it (sent as plain
// HTTP and the connection closes, e.g. 401 or 403 problem+json); a session accepts it, and
// `channel` is then its socket's channel. Messages sent on the channel before the handshake
// completes go out right after it.
using WebSocketOutcome = std::variant<Response, std::shared_ptr<WebSocketSession>>;
using WebSocketOpen = std::function<WebSocketOutcome(const UpgradeRequest& request,
                                                     std::shared_ptr<WebSocketChannel> channel)>;

}  // namespace fl::http
