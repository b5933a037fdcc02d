// The chatbot's conversations under /api/v1/bot (docs/bot.md). Anonymous visitors of the portal
// may use these routes without logging in: the session id, an unguessable token, is their
// capability. A logged-in user's session is bound to them; staff read transcripts.
#include <boost/json.hpp>

#include "app/bot_service.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "http/api_common.hpp"
#include "http/bot_json.hpp"

namespace fl::http {

namespace json = boost::json;

namespace {

Response reply_response(int status, const Result<BotReply>& r, std::chrono::seconds retry) {
  if (!r) {
    Response p = problem(r.error());
    if (r.error().code == ErrorCode::resource_exhausted)
      p.headers.emplace_back("Retry-After",
                             std::to_string(std::max<std::int64_t>(1, retry.count())));
    return p;
  }
  json::object o = bot_reply_json(*r);
  Response out = json_response(status, o);
  if (status == 201) out.headers.emplace_back("Location", "/api/v1/bot/sessions/" + r->session);
  return out;
}

BotClient client_of(const Request& r) {
  return {r.remote_address, accept_language(r.accept_language)};
}

}  // namespace

void add_bot_routes(Router& router, ApiServices& s) {
  if (!s.bot) return;
  router.add("POST", "/api/v1/bot/sessions", [&s](const Request& r, const PathParams&) {
    auto actor = reader(s, r);
    if (!actor) return actor.error();
    std::optional<std::string> language;
    if (!is_blank(r.body)) {
      auto body = JsonBody::parse(r);
      if (!body) return body.error();
      language = body->string("language");
      if (auto ok = body->finish(); !ok) return problem(ok.error());
    }
    std::chrono::seconds retry{0};
    return reply_response(201, s.bot->start(**actor, client_of(r), language, &retry), retry);
  });
  router.add("POST", "/api/v1/bot/sessions/{id}/messages",
             [&s](const Request& r, const PathParams& p) {
               auto actor = reader(s, r);
               if (!actor) return actor.error();
               auto body = JsonBody::parse(r);
               if (!body) return body.error();
               BotInput input;
               input.text = body->string("text");
               input.button = body->string("button");
               if (auto ok = body->finish(); !ok) return problem(ok.error());
               if (input.text && input.text->size() > s.bot->limits().max_text_bytes)
                 return problem(413, "a chat message has at most " +
                                         std::to_string(s.bot->limits().max_text_bytes) + " bytes");
               std::chrono::seconds retry{0};
               return reply_response(200, s.bot->answer(**actor, p[0], client_of(r), input, &retry),
                                     retry);
             });
  router.add(
      "GET", "/api/v1/bot/sessions/{id}",
      [&s](const Request& r, const PathParams& p) {
        auto actor = reader(s, r);
        if (!actor) return actor.error();
        auto t = s.bot->transcript(**actor, p[0]);
        if (!t) return problem(t.error());
        json::array turns;
        for (const auto& turn : t->turns) {
          json::object o{{"seq", turn.seq},
                         {"at", format_time(turn.at)},
                         {"who", name_of(turn.who)},
                         {"text", turn.text}};
          try {
            o["payload"] = json::parse(turn.payload);
          } catch (const std::exception&) {
            o["payload"] = json::object{};
          }
          turns.push_back(std::move(o));
        }
        json::object o{{"id", t->session.id},
                       {"status", name_of(t->session.status)},
                       {"language", t->session.language},
                       {"user_id", t->session.user ? json::value(*t->session.user) : nullptr},
                       {"ticket_id", t->session.ticket ? json::value(*t->session.ticket) : nullptr},
                       {"created_at", format_time(t->session.created_at)},
                       {"updated_at", format_time(t->session.updated_at)},
                       {"turns", std::move(turns)}};
        // The hand-off ticket as the bot named it to the user (the widget links it after a reload).
        o["ticket"] = nullptr;
        if (t->session.ticket && t->ticket_number)
          o["ticket"] = {{"id", *t->session.ticket}, {"number", *t->ticket_number}};
        // The live chat after the hand-off, with its lines (the agent's are not turns).
        o["live"] = nullptr;
        if (s.live_chat) {
          auto chat = s.live_chat->of_session(t->session);
          if (!chat) return problem(chat.error());
          if (*chat) {
            auto lines = s.live_chat->lines(**chat);
            if (!lines) return problem(lines.error());
            json::object live = bot_live_json(s.bot->live_of(**chat)).as_object();
            json::array messages;
            for (const auto& l : *lines) messages.push_back(chat_line_json(l));
            live["messages"] = std::move(messages);
            o["live"] = std::move(live);
          }
        }
        return json_response(200, o);
      },
      Execution::quick);
}

// The desk's side of live chats: staff who see the ticket.
void add_live_chat_routes(Router& router, ApiServices& s) {
  if (!s.live_chat) return;
  auto with_ticket = [&s](auto fn) {
    return [&s, fn](const Request& r, const PathParams& p) -> Response {
      auto actor = s.auth.authenticate(r.authorization);
      if (!actor) return problem(actor.error());
      auto id = parse_id(p[0]);
      if (!id) return bad_id("ticket");
      return fn(**actor, *id, r);
    };
  };
  router.add(
      "GET", "/api/v1/live-chats",
      [&s](const Request& r, const PathParams&) {
        auto actor = s.auth.authenticate(r.authorization);
        if (!actor) return problem(actor.error());
        auto chats = s.live_chat->open_chats(**actor);
        if (!chats) return problem(chats.error());
        json::array items;
        for (const auto& v : *chats) items.push_back(live_chat_json(v, false));
        return json_response(200, json::object{{"items", std::move(items)}});
      },
      Execution::quick);
  router.add("GET", "/api/v1/live-chats/{id}",
             with_ticket([&s](const Actor& a, TicketId id, const Request&) {
               auto v = s.live_chat->view(a, id);
               return v ? json_response(200, live_chat_json(*v, true)) : problem(v.error());
             }),
             Execution::quick);
  router.add("POST", "/api/v1/live-chats/{id}/accept",
             with_ticket([&s](const Actor& a, TicketId id, const Request&) {
               auto v = s.live_chat->accept(a, id);
               return v ? json_response(200, live_chat_json(*v, false)) : problem(v.error());
             }));
  router.add("POST", "/api/v1/live-chats/{id}/messages",
             with_ticket([&s](const Actor& a, TicketId id, const Request& r) {
               auto body = JsonBody::parse(r);
               if (!body) return body.error();
               auto text = body->string("text", true);
               if (auto ok = body->finish(); !ok) return problem(ok.error());
               auto entry = s.live_chat->agent_says(a, id, *text);
               if (!entry) return problem(entry.error());
               return json_response(201, json::object{{"entry_id", entry->id},
                                                      {"at", format_time(entry->created_at)}});
             }));
  router.add("POST", "/api/v1/live-chats/{id}/end",
             with_ticket([&s](const Actor& a, TicketId id, const Request&) {
               auto v = s.live_chat->agent_ends(a, id);
               return v ? json_response(200, live_chat_json(*v, false)) : problem(v.error());
             }));
}

}  // namespace fl::http
