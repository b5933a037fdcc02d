#include "core/ticket_scope.hpp"

#include <algorithm>

namespace fl {

namespace {
template <class T>
bool contains(const std::vector<T>& v, const T& x) {
  return std::ranges::find(v, x) != v.end();
}
}  // namespace

bool ScopeClause::matches(const Ticket& t) const {
  if (max_line && t.line > *max_line) return false;
  if (team_in && !contains(*team_in, t.team)) return false;
  if (origin_team_in && !contains(*origin_team_in, t.origin_team)) return false;
  if (organization_in && (!t.organization || !contains(*organization_in, *t.organization)))
    return false;
  if (requester && t.requester != *requester) return false;
  return true;
}

bool TicketScope::matches(const Ticket& t) const {
  return everything ||
         std::ranges::any_of(any_of, [&](const ScopeClause& c) { return c.matches(t); });
}

}  // namespace fl
