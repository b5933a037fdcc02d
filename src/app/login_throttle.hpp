// Slows down password guessing: after a few failures for one login or from one address,
// each further attempt must wait, doubling up to a ceiling. In memory, per process.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "app/clock.hpp"

namespace fl {

struct ThrottleLimits {
  int free_per_login = 5;     // failures before a login is slowed down
  int free_per_address = 20;  // an address may sit in front of many users (NAT)
  std::chrono::milliseconds first_delay{1000};
  std::chrono::milliseconds max_delay{std::chrono::minutes(15)};
};

class LoginThrottle {
 public:
  explicit LoginThrottle(const Clock& clock, ThrottleLimits limits = {})
      : clock_(clock), limits_(limits) {}

  // How long the caller must still wait before trying this login from this address; zero: go.
  [[nodiscard]] std::chrono::milliseconds wait_for(std::string_view login,
                                                   std::string_view address);
  void failed(std::string_view login, std::string_view address);
  void succeeded(std::string_view login);

 private:
  struct State {
    int failures = 0;
    Timestamp blocked_until{};
    Timestamp last{};
  };
  void bump(std::unordered_map<std::string, State>& map, std::string_view key, int free,
            Timestamp now);
  [[nodiscard]] std::chrono::milliseconds remaining(
      const std::unordered_map<std::string, State>& map, std::string_view key, Timestamp now) const;
  void forget_old(Timestamp now);

  const Clock& clock_;
  ThrottleLimits limits_;
  std::mutex mutex_;
  std::unordered_map<std::string, State> by_login_;
  std::unordered_map<std::string, State> by_address_;
  Timestamp last_sweep_{};
};

}  // namespace fl
