// Macros (core/macro.hpp): supervisors and admins keep them; staff apply the ones for their
// teams and for everyone to a ticket in one step — the reply or note with its placeholders
// filled, then the field changes, each through TicketService with its usual access rules and
// events. Whether every part is allowed is checked before anything is written.
#pragma once

#include <optional>
#include <vector>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "app/ticket_service.hpp"
#include "core/macro.hpp"
#include "store/store.hpp"

namespace fl {

struct AppliedMacro {
  Ticket ticket;               // as it is after the macro
  std::optional<Entry> entry;  // the reply or note it added
};

class MacroService {
 public:
  MacroService(Store& store, TicketService& tickets, const Clock& clock)
      : store_(store), tickets_(tickets), clock_(clock) {}

  // The macros the actor may use (for everyone and for their teams; supervisors and admins:
  // all), active ones unless `include_inactive`. Customers: permission_denied.
  Result<std::vector<Macro>> list(const Actor& actor, bool include_inactive);
  Result<Macro> get(const Actor& actor, MacroId id);  // not_found when not theirs to use
  // New when macro.id is 0; else macro.version must be the stored one. Supervisors, admins.
  Result<Macro> save(const Actor& actor, Macro macro);
  Result<AppliedMacro> apply(const Actor& actor, TicketId ticket, MacroId macro);

 private:
  Store& store_;
  TicketService& tickets_;
  const Clock& clock_;
};

}  // namespace fl
