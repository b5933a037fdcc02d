// The chatbot's WebSocket: each client message is one turn through BotService, answered on
// the socket; while the session has a live chat, LiveChatHub's news about it is pushed.
#include "http/api_bot_socket.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <mutex>

#include "core/time.hpp"
#include "http/api_events.hpp"
#include "http/bot_json.hpp"
#include "http/problem.hpp"
#include "http/token_bucket.hpp"
#include "http/websocket.hpp"

namespace fl::http {

namespace json = boost::json;

namespace {

constexpr double kBurst = 20;
constexpr int kBadMessagesInARow = 20;

class BotSocket final : public WebSocketSession,
                        public LiveChatListener,
                        public std::enable_shared_from_this<BotSocket> {
 public:
  BotSocket(BotService& bot, AuthService& auth, LiveChatHub* hub,
            std::shared_ptr<WebSocketChannel> channel, BotClient client,
            std::shared_ptr<const Actor> actor, double rate)
      : bot_(bot),
        auth_(auth),
        hub_(hub),
        channel_(std::move(channel)),
        client_(std::move(client)),
        actor_(std::move(actor)),
        bucket_(rate, kBurst) {}

  void on_message(std::string_view text) override {
    if (!bucket_.take()) {
      channel_->close(close_code::policy, "too many messages");
      return;
    }
    json::object m;
    try {
      auto v = json::parse(text);
      if (!v.is_object()) throw std::invalid_argument("not an object");
      m = std::move(v.as_object());
    } catch (const std::exception&) {
      return bad("a message is a JSON object with a \"type\"");
    }
    const std::string type = string_at(m, "type");
    if (auto* token = m.if_contains("token"); token && token->is_string()) {
      auto actor = auth_.authenticate("Bearer " + std::string(token->as_string()));
      if (!actor) return error(actor.error());
      actor_ = *actor;
    }
    if (type == "ping") return send(json::object{{"type", "pong"}});
    if (type == "start") {
      std::optional<std::string> language;
      if (auto l = string_at(m, "language"); !l.empty()) language = l;
      std::chrono::seconds retry{0};
      auto reply = bot_.start(*actor_, client_, language, &retry);
      if (!reply) return error(reply.error(), retry);
      unwatch();
      session_ = reply->session;
      return sent_reply(*reply);
    }
    if (type == "resume") {
      auto t = bot_.transcript(*actor_, string_at(m, "session"));
      if (!t) return error(t.error());
      unwatch();
      session_ = t->session.id;
      auto live = bot_.live_state(t->session);
      if (!live) return error(live.error());
      if (*live && (*live)->state != LiveChatStatus::ended && t->session.ticket)
        watch(*t->session.ticket);
      return send(json::object{{"type", "resumed"},
                               {"session", session_},
                               {"status", name_of(t->session.status)},
                               {"live", bot_live_json(*live)}});
    }
    if (type == "message") {
      if (session_.empty()) return bad("start or resume a session first");
      BotInput input;
      if (auto* t = m.if_contains("text"); t && t->is_string()) input.text = std::string(t->as_string());
      if (auto* b = m.if_contains("button"); b && b->is_string())
        input.button = std::string(b->as_string());
      if (input.text && input.text->size() > bot_.limits().max_text_bytes)
        return error(Error{ErrorCode::invalid_argument,
                           "a chat message has at most " +
                               std::to_string(bot_.limits().max_text_bytes) + " bytes",
                           {}},
                     {}, 413);
      std::chrono::seconds retry{0};
      auto reply = bot_.answer(*actor_, session_, client_, input, &retry);
      if (!reply) return error(reply.error(), retry);
      if (reply->live && reply->live->state != LiveChatStatus::ended)
        watch(reply->live->ticket);
      if (reply->live && reply->live->state == LiveChatStatus::ended) unwatch();
      return sent_reply(*reply);
    }
    bad("type is one of start, resume, message, ping");
  }

  void on_close() override { unwatch(); }

  void on_news(const LiveChatNews& news) override {
    if (news.kind == LiveChatNews::Kind::line) {
      json::object o = chat_line_json(news.line);
      o["type"] = "chat";
      send(o);
      return;
    }
    json::object o{{"type", "live"},
                   {"state", name_of(news.state)},
                   {"agent", news.agent.empty() ? json::value(nullptr) : json::value(news.agent)}};
    if (!news.ended_by.empty()) o["ended_by"] = news.ended_by;
    send(o);
  }

 private:
  static std::string string_at(const json::object& o, std::string_view key) {
    auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  }

  void send(const json::object& o) {
    channel_->send(std::make_shared<const std::string>(json::serialize(o)));
  }

  void sent_reply(const BotReply& reply) {
    bad_in_a_row_ = 0;
    json::object o = bot_reply_json(reply);
    o["type"] = "reply";
    send(o);
  }

  void error(const Error& e, std::chrono::seconds retry = {}, int status = 0) {
    json::object o{{"type", "error"},
                   {"status", status ? status : problem(e).status},
                   {"detail", e.message}};
    if (e.code == ErrorCode::resource_exhausted)
      o["retry_after"] = std::max<std::int64_t>(1, retry.count());
    send(o);
  }

  void bad(std::string detail) {
    if (++bad_in_a_row_ >= kBadMessagesInARow) {
      channel_->close(close_code::policy, "too many malformed messages");
      return;
    }
    send(json::object{{"type", "error"}, {"status", 400}, {"detail", std::move(detail)}});
  }

  void watch(TicketId ticket) {
    if (!hub_) return;
    std::lock_guard lock(mutex_);
    if (watching_) return;
    if (hub_->watch(ticket, shared_from_this())) watching_ = ticket;
  }

  void unwatch() {
    if (!hub_) return;
    std::lock_guard lock(mutex_);
    if (watching_) hub_->unwatch(*watching_, this);
    watching_.reset();
  }


  BotService& bot_;
  AuthService& auth_;
  LiveChatHub* hub_;
  std::shared_ptr<WebSocketChannel> channel_;
  const BotClient client_;
  std::shared_ptr<const Actor> actor_;
  std::string session_;
  std::mutex mutex_;  // guards watching_ (on_close runs on an I/O thread)
  std::optional<TicketId> watching_;
  TokenBucket bucket_;
  int bad_in_a_row_ = 0;
};

}  // namespace

void add_bot_socket_route(Router& router, BotService& bot, AuthService& auth, LiveChatHub* hub,
                          BotSocketOptions options) {
  router.add_websocket(
      "/api/v1/bot/socket",
      [&bot, &auth, hub, options](const UpgradeRequest& up,
                                  std::shared_ptr<WebSocketChannel> channel) -> WebSocketOutcome {
        if (!origin_allowed(up.origin, up.host, options.allowed_origins))
          return problem(403, "pages from " + up.origin + " may not connect here");
        auto actor = std::make_shared<const Actor>();  // a guest until a token says otherwise
        if (!up.request.authorization.empty()) {
          auto session = auth.authenticate(up.request.authorization);
          if (!session) return problem(session.error());
          actor = *session;
        }
        BotClient client{up.request.remote_address,
                         accept_language(up.request.accept_language)};
        return std::make_shared<BotSocket>(bot, auth, hub, std::move(channel), std::move(client),
                                           std::move(actor), options.messages_per_second);
      });
}

}  // namespace fl::http
