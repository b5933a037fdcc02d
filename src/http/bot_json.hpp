// The chatbot's replies and live chats as JSON, shared by the REST routes (api_bot.cpp,
// api_live_chat.cpp) and the chat socket (api_bot_socket.cpp).
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "app/bot_service.hpp"
#include "app/live_chat.hpp"

namespace fl::http {

// "de" or "en" from an Accept-Language header: the first of the two named, by order (weights
// are not weighed: browsers list the preferred language first); empty when neither is.
[[nodiscard]] std::string accept_language(std::string_view header);

// {id, status, language, messages, buttons, expecting, ticket?, live?}
[[nodiscard]] boost::json::object bot_reply_json(const BotReply& reply);
// {state, agent}, or null.
[[nodiscard]] boost::json::value bot_live_json(const std::optional<BotLive>& live);
// {from, name, text, at}
[[nodiscard]] boost::json::object chat_line_json(const LiveChatLine& line);
// The desk's view of a chat: {ticket_id, number, title, status, agent_id, agent_name,
// customer_name, language, requested_at, accepted_at, ended_at, ended_by} and, with_lines,
// "messages".
[[nodiscard]] boost::json::object live_chat_json(const LiveChatView& view, bool with_lines);

}  // namespace fl::http
