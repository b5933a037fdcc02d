#include "http/phone_json.hpp"

#include "http/json_mapping.hpp"

namespace fl::http {

namespace json = boost::json;

json::object to_json(const CallerCard& card, std::span<const Team> teams) {
  json::array users, tickets;
  for (const auto& u : card.users) users.push_back(to_json(u));
  for (const auto& t : card.open_tickets) tickets.push_back(to_json(t, teams, card.as_of));
  return {{"number", card.number},
          {"user", card.users.empty() ? json::value(nullptr) : json::value(users.front())},
          {"users", std::move(users)},
          {"organization",
           card.organization ? json::value(to_json(*card.organization)) : json::value(nullptr)},
          {"open_tickets", std::move(tickets)},
          {"organization_open_tickets", card.organization_open_tickets}};
}

json::object call_json(const CallPop& pop) {
  const CallSignal& c = pop.call;
  return {{"event", name_of(c.phase)},
          {"call_id", c.call_id},
          {"caller", c.caller.empty() ? json::value(nullptr) : json::value(c.caller)},
          {"extension", c.extension},
          {"at", format_time(pop.at)},
          {"duration_seconds",
           c.duration_seconds ? json::value(*c.duration_seconds) : json::value(nullptr)}};
}

}  // namespace fl::http
