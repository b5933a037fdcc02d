// A clock the test moves by hand.
#pragma once

#include <atomic>

#include "app/clock.hpp"

namespace fl::testing {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(Timestamp start = from_millis(1'795'000'000'000)) : now_(to_millis(start)) {}
  [[nodiscard]] Timestamp now() const override { return from_millis(now_.load()); }
  void advance(std::chrono::milliseconds d) { now_ += d.count(); }

 private:
  std::atomic<std::int64_t> now_;
};

}  // namespace fl::testing
