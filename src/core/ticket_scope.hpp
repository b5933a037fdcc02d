// Which tickets an actor may see, as data: app/access.cpp decides the scope once, the store
// turns it into a query filter, and matches() answers for one ticket — one rule, two uses.
#pragma once

#include <optional>
#include <vector>

#include "core/ticket.hpp"

namespace fl {

// All present conditions must hold.
struct ScopeClause {
  std::optional<int> max_line;                        // ticket.line <= max_line
  std::optional<std::vector<TeamId>> team_in;         // ticket.team in ...
  std::optional<std::vector<TeamId>> origin_team_in;  // ticket.origin_team in ...
  std::optional<std::vector<OrganizationId>> organization_in;
  std::optional<UserId> requester;

  [[nodiscard]] bool matches(const Ticket& t) const;
};

struct TicketScope {
  bool everything = false;
  std::vector<ScopeClause> any_of;  // empty and !everything: nothing visible

  [[nodiscard]] bool matches(const Ticket& t) const;
  [[nodiscard]] static TicketScope all() { return {true, {}}; }
};

}  // namespace fl
