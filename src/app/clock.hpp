// The clock port: app/ asks it for the time; tests inject a clock they move by hand.
#pragma once

#include "core/time.hpp"

namespace fl {

class Clock {
 public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
 public:
  [[nodiscard]] Timestamp now() const override;
};

}  // namespace fl
