#include "core/status_machine.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace fl {

namespace {
using S = TicketStatus;
struct Move {
  S from;
  S to;
};
// `closed` is final: a new problem is a new ticket.
constexpr std::array kAllowed{
    Move{S::new_, S::open},
    Move{S::new_, S::pending_customer},
    Move{S::new_, S::pending_vendor},
    Move{S::new_, S::resolved},
    Move{S::new_, S::closed},
    Move{S::open, S::pending_customer},
    Move{S::open, S::pending_vendor},
    Move{S::open, S::resolved},
    Move{S::open, S::closed},
    Move{S::pending_customer, S::open},
    Move{S::pending_customer, S::pending_vendor},
    Move{S::pending_customer, S::resolved},
    Move{S::pending_customer, S::closed},
    Move{S::pending_vendor, S::open},
    Move{S::pending_vendor, S::pending_customer},
    Move{S::pending_vendor, S::resolved},
    Move{S::pending_vendor, S::closed},
    Move{S::resolved, S::open},
    Move{S::resolved, S::closed},
};
}  // namespace

Result<void> check_transition(TicketStatus from, TicketStatus to) {
  if (from == to) return {};
  bool ok = std::ranges::any_of(kAllowed, [&](Move m) { return m.from == from && m.to == to; });
  if (ok) return {};
  return fail(ErrorCode::failed_precondition, "status cannot change from '" +
                                                  std::string(name_of(from)) + "' to '" +
                                                  std::string(name_of(to)) + "'");
}

std::vector<TicketStatus> allowed_targets(TicketStatus from) {
  std::vector<TicketStatus> out;
  for (Move m : kAllowed)
    if (m.from == from) out.push_back(m.to);
  return out;
}

TicketStatus status_after_customer_reply(TicketStatus current) {
  switch (current) {
    case S::resolved:
    case S::pending_customer:
      return S::open;
    default:
      return current;
  }
}

}  // namespace fl
