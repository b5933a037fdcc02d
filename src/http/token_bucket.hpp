// How fast one WebSocket client may send: `rate` messages a second sustained, `burst` at once.
// Used by one socket at a time (its messages come one after another), so not thread-safe.
#pragma once

#include <algorithm>
#include <chrono>

namespace fl::http {

class TokenBucket {
 public:
  TokenBucket(double rate, double burst)
      : rate_(rate), burst_(burst), tokens_(burst), last_(std::chrono::steady_clock::now()) {}

  // False when the client is over its rate (the message should not be served).
  bool take() {
    auto now = std::chrono::steady_clock::now();
    tokens_ =
        std::min(burst_, tokens_ + rate_ * std::chrono::duration<double>(now - last_).count());
    last_ = now;
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
  }

 private:
  double rate_;
  double burst_;
  double tokens_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace fl::http
