// GET /api/v1/bot/socket: chatbot conversations over a WebSocket (docs/bot.md): the same
// turns as the REST routes, and the live chat's news pushed as it happens (the agent
// accepted, wrote, ended). Guests need no login: the session id is the capability, as over
// REST; a logged-in user sends their token in the first message.
#pragma once

#include <string>
#include <vector>

#include "app/auth_service.hpp"
#include "app/bot_service.hpp"
#include "app/live_chat.hpp"
#include "http/router.hpp"

namespace fl::http {

struct BotSocketOptions {
  std::vector<std::string> allowed_origins;  // as for /api/v1/events (api_events.hpp)
  double messages_per_second = 5;            // a client's sustained rate; bursts of 20
};

// `bot`, `auth` and `hub` (may be null: no pushes) must outlive the router.
void add_bot_socket_route(Router& router, BotService& bot, AuthService& auth, LiveChatHub* hub,
                          BotSocketOptions options = {});

}  // namespace fl::http
