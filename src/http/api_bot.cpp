// The chatbot's conversations under /api/v1/bot (docs/bot.md). Anonymous visitors of the portal
// may use these routes without logging in: the session id, an unguessable token, is their
// capability. A logged-in user's session is bound to them; staff read transcripts.
#include <boost/json.hpp>

#include "app/bot_service.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "http/api_common.hpp"

namespace fl::http {

namespace json = boost::json;

namespace {

// "de" or "en" from an Accept-Language header: the first of the two named, by order (weights
// are not weighed: browsers list the preferred language first).
std::string accept_language(std::string_view header) {
  std::size_t i = 0;
  while (i < header.size()) {
    std::size_t end = header.find(',', i);
    if (end == std::string_view::npos) end = header.size();
    std::string_view item = header.substr(i, end - i);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    if (item.size() >= 2) {
      std::string tag{item.substr(0, 2)};
      for (auto& ch : tag) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (tag == "de" || tag == "en") return tag;
    }
    i = end + 1;
  }
  return "";
}

Response reply_response(int status, const Result<BotReply>& r, std::chrono::seconds retry) {
  if (!r) {
    Response p = problem(r.error());
    if (r.error().code == ErrorCode::resource_exhausted)
      p.headers.emplace_back("Retry-After",
                             std::to_string(std::max<std::int64_t>(1, retry.count())));
    return p;
  }
  json::array messages;
  for (const auto& m : r->messages) {
    json::object o{{"text", m.text}};
    if (m.article)
      o["article"] = {{"id", m.article->id}, {"title", m.article->title}, {"url", m.article->url}};
    messages.push_back(std::move(o));
  }
  json::array buttons;
  for (const auto& b : r->buttons) buttons.push_back({{"id", b.id}, {"label", b.label}});
  json::object o{{"id", r->session},
                 {"status", name_of(r->status)},
                 {"language", r->language},
                 {"messages", std::move(messages)},
                 {"buttons", std::move(buttons)},
                 {"expecting", r->expecting}};
  if (r->ticket) o["ticket"] = {{"id", r->ticket->id}, {"number", r->ticket->number}};
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
        return json_response(200, o);
      },
      Execution::quick);
}

}  // namespace fl::http
