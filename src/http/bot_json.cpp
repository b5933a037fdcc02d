#include "http/bot_json.hpp"

#include <boost/json.hpp>
#include <cctype>

#include "core/time.hpp"

namespace fl::http {

namespace json = boost::json;

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

json::value bot_live_json(const std::optional<BotLive>& live) {
  if (!live) return nullptr;
  return json::object{{"state", name_of(live->state)},
                      {"agent", live->agent.empty() ? json::value(nullptr) : json::value(live->agent)}};
}

json::object bot_reply_json(const BotReply& r) {
  json::array messages;
  for (const auto& m : r.messages) {
    json::object o{{"text", m.text}};
    if (m.article)
      o["article"] = {{"id", m.article->id}, {"title", m.article->title}, {"url", m.article->url}};
    messages.push_back(std::move(o));
  }
  json::array buttons;
  for (const auto& b : r.buttons) buttons.push_back({{"id", b.id}, {"label", b.label}});
  json::object o{{"id", r.session},
                 {"status", name_of(r.status)},
                 {"language", r.language},
                 {"messages", std::move(messages)},
                 {"buttons", std::move(buttons)},
                 {"expecting", r.expecting}};
  if (r.ticket) o["ticket"] = {{"id", r.ticket->id}, {"number", r.ticket->number}};
  if (r.live) o["live"] = bot_live_json(r.live);
  return o;
}

json::object chat_line_json(const LiveChatLine& line) {
  return {{"from", line.from}, {"name", line.name}, {"text", line.text}, {"at", format_time(line.at)}};
}

json::object live_chat_json(const LiveChatView& v, bool with_lines) {
  auto optional_time = [](const std::optional<Timestamp>& t) {
    return t ? json::value(format_time(*t)) : json::value(nullptr);
  };
  json::object o{
      {"ticket_id", v.ticket.id},
      {"number", v.ticket.number},
      {"title", v.ticket.subject},
      {"status", name_of(v.chat.status)},
      {"agent_id", v.chat.agent ? json::value(*v.chat.agent) : json::value(nullptr)},
      {"agent_name", v.agent_name.empty() ? json::value(nullptr) : json::value(v.agent_name)},
      {"customer_name", v.customer_name},
      {"language", v.chat.language},
      {"requested_at", format_time(v.chat.requested_at)},
      {"accepted_at", optional_time(v.chat.accepted_at)},
      {"ended_at", optional_time(v.chat.ended_at)},
      {"ended_by", v.chat.ended_by.empty() ? json::value(nullptr) : json::value(v.chat.ended_by)}};
  if (with_lines) {
    json::array lines;
    for (const auto& l : v.lines) lines.push_back(chat_line_json(l));
    o["messages"] = std::move(lines);
  }
  return o;
}

}  // namespace fl::http
