// Who gets a new ticket of a team (the round robin that users of other desks ask for): the
// rules only; the app gathers the members and records the choice.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/directory.hpp"
#include "core/error.hpp"
#include "core/time.hpp"

namespace fl {

// A member of the team as the choice sees them.
struct AssignmentCandidate {
  UserId user = 0;
  Availability availability = Availability::available;
  std::vector<std::string> skills;  // normalised (normalise_skills)
  std::optional<Timestamp> last_assigned_at;  // last automatic assignment in this team
  std::int64_t open_tickets = 0;              // open tickets of the team assigned to them
};

// What the ticket asks of its agent.
struct AssignmentNeeds {
  std::string category;  // the ticket's; empty: any
  std::string language;  // the requester's ("de", "en")
};

// An agent's skills cover the ticket when each kind they list matches: categories (any skill
// without a prefix) contain the ticket's category, and languages ("lang:de") contain the
// requester's. A kind the agent lists nothing of does not restrict them.
[[nodiscard]] bool has_skills(const std::vector<std::string>& skills, const AssignmentNeeds& needs);

// Round robin: among the available members (with skill routing: the specialists — whose
// skills name the ticket's category and cover it — else those whose skills cover it, else
// every available member), the one whose last automatic assignment
// is oldest (never assigned first, then lowest id). Least open: the one with the fewest open
// tickets, then as round robin. Manual, or nobody available: nullopt (the ticket waits in the
// queue).
[[nodiscard]] std::optional<UserId> choose_assignee(AssignmentMode mode, bool skill_routing,
                                                    const std::vector<AssignmentCandidate>& members,
                                                    const AssignmentNeeds& needs);

// Lower case, trimmed, [a-z0-9._:-], 1..64 characters each; "lang:" skills name de or en;
// sorted, unique, at most 50. Errors name the field "skills".
[[nodiscard]] Result<std::vector<std::string>> normalise_skills(const std::vector<std::string>& raw);

}  // namespace fl
