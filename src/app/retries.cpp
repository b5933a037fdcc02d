#include "app/retries.hpp"

#include <sodium.h>

namespace fl {

double retry_spread() {
  return static_cast<double>(randombytes_uniform(2001)) / 1000.0 - 1.0;
}

std::string failed_attempt_line(std::string_view what, int attempt, std::string_view error,
                                std::optional<Timestamp> retry_at) {
  std::string line(what);
  line += ", attempt " + std::to_string(attempt) + ": ";
  line += error;
  line += retry_at ? ", tried again at " + format_time(*retry_at) : ", given up";
  return line;
}

}  // namespace fl
