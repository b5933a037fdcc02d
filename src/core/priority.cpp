#include "core/priority.hpp"

#include <array>

namespace fl {

namespace {
// Rows: impact 1..3 (high..low); columns: urgency 1..3 (high..low).
constexpr std::array<std::array<Priority, 3>, 3> kMatrix{{
    {Priority::p1, Priority::p2, Priority::p3},
    {Priority::p2, Priority::p3, Priority::p4},
    {Priority::p3, Priority::p4, Priority::p4},
}};
}  // namespace

Priority priority_for(int impact, int urgency) {
  return kMatrix[static_cast<std::size_t>(impact - 1)][static_cast<std::size_t>(urgency - 1)];
}

}  // namespace fl
