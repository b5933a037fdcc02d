#include "app/login_throttle.hpp"

#include <algorithm>

namespace fl {

using std::chrono::milliseconds;

milliseconds LoginThrottle::remaining(const std::unordered_map<std::string, State>& map,
                                      std::string_view key, Timestamp now) const {
  auto it = map.find(std::string(key));
  if (it == map.end() || it->second.blocked_until <= now) return milliseconds{0};
  return it->second.blocked_until - now;
}

milliseconds LoginThrottle::wait_for(std::string_view login, std::string_view address) {
  std::lock_guard lock(mutex_);
  Timestamp now = clock_.now();
  return std::max(remaining(by_login_, login, now), remaining(by_address_, address, now));
}

void LoginThrottle::bump(std::unordered_map<std::string, State>& map, std::string_view key,
                         int free, Timestamp now) {
  State& s = map[std::string(key)];
  ++s.failures;
  s.last = now;
  int over = s.failures - free;
  if (over <= 0) return;
  milliseconds delay = limits_.first_delay;
  for (int i = 1; i < over && delay < limits_.max_delay; ++i) delay *= 2;
  s.blocked_until = now + std::min(delay, limits_.max_delay);
}

void LoginThrottle::failed(std::string_view login, std::string_view address) {
  std::lock_guard lock(mutex_);
  Timestamp now = clock_.now();
  forget_old(now);
  bump(by_login_, login, limits_.free_per_login, now);
  bump(by_address_, address, limits_.free_per_address, now);
}

void LoginThrottle::succeeded(std::string_view login) {
  std::lock_guard lock(mutex_);
  by_login_.erase(std::string(login));
}

// Failures older than the longest delay no longer matter; keeps the maps small.
void LoginThrottle::forget_old(Timestamp now) {
  if (now - last_sweep_ < std::chrono::minutes(1)) return;
  last_sweep_ = now;
  auto horizon = now - 2 * limits_.max_delay;
  std::erase_if(by_login_, [&](const auto& kv) { return kv.second.last < horizon; });
  std::erase_if(by_address_, [&](const auto& kv) { return kv.second.last < horizon; });
}

}  // namespace fl
