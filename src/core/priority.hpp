// Priority from impact x urgency (ITIL). The 3x3 matrix lives in priority.cpp, nowhere else.
#pragma once

#include <optional>

#include "core/names.hpp"

namespace fl {

// 1 = high, 2 = medium, 3 = low; for both impact and urgency.
inline constexpr int kHighestLevel = 1;
inline constexpr int kLowestLevel = 3;
[[nodiscard]] constexpr bool is_level(int v) {
  return v >= kHighestLevel && v <= kLowestLevel;
}

enum class Priority { p1 = 1, p2 = 2, p3 = 3, p4 = 4 };
template <>
struct EnumNames<Priority> {
  static constexpr std::array<std::pair<Priority, std::string_view>, 4> table{{
      {Priority::p1, "P1"},
      {Priority::p2, "P2"},
      {Priority::p3, "P3"},
      {Priority::p4, "P4"},
  }};
};

// Precondition: is_level(impact) && is_level(urgency).
[[nodiscard]] Priority priority_for(int impact, int urgency);

}  // namespace fl
