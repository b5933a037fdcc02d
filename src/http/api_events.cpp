// The WebSocket end of the live feed: the upgrade is checked (origin, an Authorization header
// if one is sent), then each client message is parsed and handed to its LiveSession.
#include "http/api_events.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>

#include "http/problem.hpp"
#include "http/token_bucket.hpp"
#include "http/websocket.hpp"

namespace fl::http {

namespace {

constexpr double kBurst = 50;           // messages a client may send at once
constexpr int kBadMessagesInARow = 20;  // then it is abuse, not a bug being fixed

// The feed's outbox is the socket's channel.
class SocketOutbox final : public LiveOutbox {
 public:
  explicit SocketOutbox(std::shared_ptr<WebSocketChannel> channel) : channel_(std::move(channel)) {}
  bool send(std::shared_ptr<const std::string> message) override {
    return channel_->send(std::move(message));
  }
  void close(LiveClose why, std::string_view detail) override {
    channel_->close(
        why == LiveClose::unauthenticated ? close_code::unauthenticated : close_code::going_away,
        detail);
  }

 private:
  std::shared_ptr<WebSocketChannel> channel_;
};

std::string detail_of(const Error& e) {
  if (e.fields.size() <= 1) return e.message;
  std::string out;
  for (const auto& f : e.fields) out += (out.empty() ? "" : "; ") + f.field + ": " + f.message;
  return out;
}

// One client. on_message calls come one at a time (the server waits for each).
class EventSocket final : public WebSocketSession {
 public:
  EventSocket(LiveFeed& feed, const LiveJson& json, std::shared_ptr<WebSocketChannel> channel,
              double rate)
      : json_(json),
        channel_(channel),
        session_(feed.connect(std::make_shared<SocketOutbox>(channel))),
        bucket_(rate, kBurst) {}

  LiveSession& session() { return *session_; }

  void on_message(std::string_view text) override {
    if (!bucket_.take()) {
      channel_->close(close_code::policy, "too many messages");
      return;
    }
    auto request = parse_live_request(text);
    if (!request) {
      if (++bad_in_a_row_ >= kBadMessagesInARow) {
        channel_->close(close_code::policy, "too many malformed messages");
        return;
      }
      reply_error(request.error().detail, request.error().id);
      return;
    }
    bad_in_a_row_ = 0;
    Result<void> done;
    switch (request->kind) {
      case LiveRequest::Kind::auth:
        done = session_->authenticate(request->authorization, request->id);
        // A token that is not valid has closed the socket with the reason.
        if (!done && done.error().code == ErrorCode::unauthenticated) return;
        break;
      case LiveRequest::Kind::subscribe:
        done = session_->subscribe(request->subscription, request->after, request->id);
        break;
      case LiveRequest::Kind::unsubscribe:
        done = session_->unsubscribe(request->subscription, request->id);
        break;
      case LiveRequest::Kind::ping: {
        LiveMessage pong;
        pong.kind = LiveMessage::Kind::pong;
        pong.request_id = request->id;
        channel_->send(std::make_shared<const std::string>(json_.encode(pong)));
        break;
      }
    }
    if (!done) reply_error(detail_of(done.error()), request->id);
  }

  void on_close() override { session_->disconnect(); }

 private:
  void reply_error(std::string detail, std::string id) {
    LiveMessage m;
    m.kind = LiveMessage::Kind::error;
    m.detail = std::move(detail);
    m.request_id = std::move(id);
    channel_->send(std::make_shared<const std::string>(json_.encode(m)));
  }


  const LiveJson& json_;
  std::shared_ptr<WebSocketChannel> channel_;
  std::unique_ptr<LiveSession> session_;
  TokenBucket bucket_;
  int bad_in_a_row_ = 0;
};

// "https://desk.example.com:8443" -> "desk.example.com:8443" (lower case).
std::string authority_of(std::string_view origin) {
  auto scheme = origin.find("://");
  std::string_view rest = scheme == std::string_view::npos ? origin : origin.substr(scheme + 3);
  rest = rest.substr(0, rest.find('/'));
  std::string out(rest);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

}  // namespace

bool origin_allowed(std::string_view origin, std::string_view host,
                    const std::vector<std::string>& allowed) {
  if (origin.empty()) return true;
  for (const auto& a : allowed)
    if (a == "*" || lower(a) == lower(origin)) return true;
  if (origin == "null") return false;
  auto authority = authority_of(origin);
  if (authority == lower(host)) return true;
  // A default port may be left out on either side.
  auto strip = [](std::string s, bool secure) {
    const std::string port = secure ? ":443" : ":80";
    if (s.ends_with(port)) s.resize(s.size() - port.size());
    return s;
  };
  const bool secure = origin.starts_with("https://");
  return strip(authority, secure) == strip(lower(host), secure);
}

void add_event_routes(Router& router, LiveFeed& feed, AuthService& auth, const LiveJson& json,
                      EventRouteOptions options) {
  router.add_websocket(
      "/api/v1/events",
      [&feed, &auth, &json, options](
          const UpgradeRequest& up, std::shared_ptr<WebSocketChannel> channel) -> WebSocketOutcome {
        if (!origin_allowed(up.origin, up.host, options.allowed_origins))
          return problem(403, "pages from " + up.origin + " may not connect here");
        const std::string& authorization = up.request.authorization;
        // A bad header is refused as plain HTTP; browsers, which cannot send one, use the
        // first message instead.
        if (!authorization.empty())
          if (auto actor = auth.authenticate(authorization); !actor) return problem(actor.error());
        auto socket = std::make_shared<EventSocket>(feed, json, std::move(channel),
                                                    options.messages_per_second);
        if (!authorization.empty()) {
          if (auto ok = socket->session().authenticate(authorization); !ok) {
            socket->session().disconnect();
            return problem(ok.error());
          }
        }
        return socket;
      });
}

}  // namespace fl::http
