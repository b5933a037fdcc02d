// Maps method + path pattern ("/api/v1/tickets/{id}") to a handler. Pure: no I/O.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"
#include "http/websocket.hpp"

namespace fl::http {

struct PathParams {
  std::vector<std::string> values;  // in the order of the {placeholders}
  [[nodiscard]] const std::string& operator[](std::size_t i) const { return values.at(i); }
};

using Handler = std::function<Response(const Request&, const PathParams&)>;

// Where the server runs a handler. `blocking` handlers (writes wait for a group commit) run
// on the worker pool; `quick` ones (reads answered in microseconds) run on the I/O thread
// itself and save two thread hand-offs, a third of a small request's cost.
enum class Execution { blocking, quick };

struct Dispatched {
  Response response;
  std::string route;  // the matched pattern, or "unmatched": a label for metrics
};

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler,
           Execution execution = Execution::blocking);

  // A WebSocket endpoint: an upgrade request for `pattern` is handed to `open` by the server;
  // a plain GET there is answered 426 with "Upgrade: websocket".
  void add_websocket(std::string pattern, WebSocketOpen open);

  // The WebSocket endpoint for `path` and its pattern (for metrics), or nullptr.
  [[nodiscard]] const WebSocketOpen* websocket(std::string_view path,
                                               std::string* pattern = nullptr) const;

  // Called after a handler of a method other than GET/HEAD/OPTIONS answered 2xx (something
  // may have changed), on the thread that ran it; must be quick and not throw.
  void after_change(std::function<void()> hook) { after_change_ = std::move(hook); }

  // True when the route that would answer `request` is `quick`.
  [[nodiscard]] bool is_quick(const Request& request) const;

  // 404 problem for an unknown path, 405 (with Allow) for a known path and wrong method.
  // A handler's exception becomes a logged 500 problem.
  [[nodiscard]] Dispatched dispatch(const Request& request) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
    Execution execution;
  };
  struct WebSocketRoute {
    std::string pattern;
    std::vector<std::string> segments;
    WebSocketOpen open;
  };
  std::vector<Route> routes_;
  std::vector<WebSocketRoute> websockets_;
  std::function<void()> after_change_;
};

}  // namespace fl::http
