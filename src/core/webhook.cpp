#include "core/webhook.hpp"

#include <algorithm>
#include <cmath>

#include "core/text.hpp"

namespace fl {

namespace {

constexpr std::size_t kMaxEventTypes = 50;
constexpr std::size_t kMaxEventTypeLength = 100;

bool is_type_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

// "*", "ticket.*" or "ticket.created": segments of type characters, '*' only as the last.
bool is_event_pattern(std::string_view p) {
  if (p == "*") return true;
  if (p.empty() || p.size() > kMaxEventTypeLength) return false;
  std::string_view body = p.ends_with(".*") ? p.substr(0, p.size() - 2) : p;
  if (body.empty() || body.front() == '.' || body.back() == '.') return false;
  if (body.find("..") != std::string_view::npos) return false;
  return std::ranges::all_of(body, is_type_char);
}

}  // namespace

Result<void> validate(Webhook& w) {
  std::vector<FieldError> errors;
  w.name = trim(w.name);
  if (w.name.empty() || w.name.size() > 100) errors.push_back({"name", "1 to 100 characters"});
  for (auto& type : w.events) {
    type = trim(type);
    if (!is_event_pattern(type))
      errors.push_back({"events", "'" + type +
                                      "' is not an event type: use one like ticket.created, a "
                                      "prefix like ticket.*, or * for every event"});
  }
  std::ranges::sort(w.events);
  w.events.erase(std::unique(w.events.begin(), w.events.end()), w.events.end());
  if (w.events.size() > kMaxEventTypes) errors.push_back({"events", "at most 50 event types"});
  if (!errors.empty()) return invalid_fields(std::move(errors));
  return {};
}

bool subscribes_to(const Webhook& w, std::string_view type) {
  return std::ranges::any_of(w.events, [&](const std::string& p) {
    if (p == "*") return true;
    if (p.ends_with(".*")) return type.starts_with(std::string_view(p).substr(0, p.size() - 1));
    return p == type;
  });
}

DeliveryAttempt judge_attempt(DeliveryId delivery, int attempts_before, Timestamp at,
                              std::optional<int> status, std::string error,
                              const RetryPolicy& policy, double spread) {
  DeliveryAttempt a;
  a.delivery = delivery;
  a.at = at;
  a.status = status;
  a.error = std::move(error);
  a.delivered = status && *status >= 200 && *status < 300;
  if (a.delivered || (status && *status == 410)) return a;
  const int attempts = attempts_before + 1;
  if (attempts >= policy.max_attempts) return a;
  // In double: factor^(attempts-1) overflows any integer long before the cap applies.
  double wait = static_cast<double>(policy.first_delay.count()) *
                std::pow(static_cast<double>(std::max(policy.factor, 1)), attempts - 1);
  wait = std::min(wait, static_cast<double>(policy.max_delay.count()));
  wait *= 1.0 + policy.jitter * std::clamp(spread, -1.0, 1.0);
  a.retry_at = at + std::chrono::milliseconds(std::max<std::int64_t>(
                        1000, static_cast<std::int64_t>(std::llround(wait))));
  return a;
}

}  // namespace fl
