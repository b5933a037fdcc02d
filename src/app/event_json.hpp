// Events as JSON, for the app's .cpp files only (Boost.JSON stays out of the public headers):
// building an event with its payload, and reading a stored payload back.
#pragma once

#include <boost/json.hpp>
#include <functional>
#include <optional>
#include <string_view>

#include "core/event.hpp"

namespace fl {

// An event of `type` at `at` by `actor` (none: the system itself).
[[nodiscard]] inline Event event_with(std::string_view type, Timestamp at,
                                      const boost::json::object& payload,
                                      std::optional<UserId> actor = std::nullopt) {
  Event e;
  e.type = type;
  e.actor = actor;
  e.at = at;
  e.payload = boost::json::serialize(payload);
  return e;
}

// A stored payload as an object; empty when it is not one.
[[nodiscard]] inline boost::json::object payload_of(const Event& e) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(e.payload, ec);
  if (ec || !v.is_object()) return {};
  return std::move(v.as_object());
}

// A field of a payload: its text (empty when absent or not text), its integer.
[[nodiscard]] inline std::string_view text_at(const boost::json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->as_string()) : std::string_view();
}
[[nodiscard]] inline std::optional<std::int64_t> number_at(const boost::json::object& o,
                                                          std::string_view key) {
  auto* v = o.if_contains(key);
  if (v && v->is_int64()) return v->as_int64();
  return std::nullopt;
}

// Whether the event's actor acted as staff: the payload's "by" when the event carries it (events
// since the SLA work; "system" is the desk's automation, not an answer), else `is_staff` asks
// about the actor.
[[nodiscard]] inline bool acted_by_staff(const Event& e, const boost::json::object& payload,
                                         const std::function<bool(UserId)>& is_staff) {
  const std::string_view by = text_at(payload, "by");
  if (by == "staff") return true;
  if (by == "customer" || by == "system") return false;
  return e.actor && is_staff(*e.actor);
}

}  // namespace fl
