// GET /api/v1/events: the live event feed over a WebSocket (docs/live-events.md). The client
// authenticates with "Authorization: Bearer" on the upgrade or, from a browser, with an
// {"type":"auth"} first message; then subscribes to tickets and queues.
#pragma once

#include <string>
#include <vector>

#include "app/auth_service.hpp"
#include "app/live_feed.hpp"
#include "http/live_json.hpp"
#include "http/router.hpp"

namespace fl::http {

// Close codes of the feed besides RFC 6455's (websocket.hpp).
namespace close_code {
inline constexpr int unauthenticated = 4401;  // no valid credential (in time), or it was revoked
}

struct EventRouteOptions {
  // Pages that may connect besides those served from the server's own origin (the Host the
  // browser connected to): "https://desk.example.com", or "*" for any. Requests without an
  // Origin (not from a browser) are not checked.
  std::vector<std::string> allowed_origins;
  double messages_per_second = 10;  // a client's sustained rate; bursts of 50; beyond: closed
};

// `feed`, `auth` and `json` must outlive the router.
void add_event_routes(Router& router, LiveFeed& feed, AuthService& auth, const LiveJson& json,
                      EventRouteOptions options = {});

// Is a page from `origin` allowed to connect to a server reached as `host`?
[[nodiscard]] bool origin_allowed(std::string_view origin, std::string_view host,
                                  const std::vector<std::string>& allowed);

}  // namespace fl::http
