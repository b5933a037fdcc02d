// What the outbound work that is retried shares (webhook deliveries, outbound mail): the
// jitter of the backoff, the tally /metrics shows, and the log line of a failed attempt.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.hpp"

namespace fl {

// Uniform in [-1, 1], from libsodium's random source: spreads retries of many failures apart.
[[nodiscard]] double retry_spread();

// Attempts by outcome; safe to count from several threads.
struct AttemptTally {
  std::atomic<std::int64_t> done{0}, retried{0}, failed{0};
  // done: it went out; else retry_at says whether it is tried again.
  void count(bool went_out, bool tried_again) {
    if (went_out)
      ++done;
    else if (tried_again)
      ++retried;
    else
      ++failed;
  }
};

// "{what}, attempt {n}: {error}, tried again at {time}" or "..., given up".
[[nodiscard]] std::string failed_attempt_line(std::string_view what, int attempt,
                                              std::string_view error,
                                              std::optional<Timestamp> retry_at);

}  // namespace fl
