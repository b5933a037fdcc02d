// Saved views: a user's named queries of the ticket list (filters and sort as the list's
// query string, checked by app/ticket_filters.hpp). Everyone keeps their own; supervisors and
// admins may share theirs with the members of their teams, who then see them too (read
// only). Views are preferences, not records of the desk: no events. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "store/store.hpp"

namespace fl {

struct ViewRequest {
  std::string name;
  std::string query;  // e.g. "status=new,open&sla=at_risk,breached&sort=sla_due"
  bool shared = false;
};

inline constexpr std::size_t kMaxViewName = 100;
inline constexpr std::size_t kMaxViewQuery = 2000;
inline constexpr std::size_t kMaxViewsPerUser = 100;

class SavedViewService {
 public:
  SavedViewService(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // The actor's own views and those shared with their teams, by name.
  Result<std::vector<SavedView>> list(const Actor& actor);
  // invalid_argument for a blank or long name, a query the list would refuse; conflict for
  // a name the actor uses already; permission_denied for `shared` by anyone but supervisors
  // and admins; resource_exhausted beyond kMaxViewsPerUser.
  Result<SavedView> create(const Actor& actor, const ViewRequest& request);
  // The owner only: not_found for a view the actor does not see, permission_denied for one
  // shared with them.
  Result<SavedView> update(const Actor& actor, SavedViewId id, const ViewRequest& request);
  Result<void> remove(const Actor& actor, SavedViewId id);

 private:
  Result<SavedView> own_view(const Actor& actor, SavedViewId id);
  Result<void> check(const Actor& actor, ViewRequest& request);

  Store& store_;
  const Clock& clock_;
};

}  // namespace fl
