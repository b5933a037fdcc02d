// Who to tell about a team's ticket: its members and its supervisors (shared by the SLA
// ladder and rules); and who is at work to take a live chat or count in the live gauges.
#pragma once

#include <vector>

#include "store/store.hpp"

namespace fl {

// The active supervisors of the team; all active supervisors when the team has none.
[[nodiscard]] std::vector<UserId> supervisors_of(Store& store, TeamId team);

// The active members of the team (agents and supervisors whose teams include it).
[[nodiscard]] std::vector<UserId> members_of(Store& store, TeamId team);

// Agents and supervisors who are active and set available, agents first.
[[nodiscard]] Result<std::vector<User>> available_staff(Store& store);

}  // namespace fl
