// Who is acting: the authenticated user with their teams resolved.
#pragma once

#include <optional>
#include <vector>

#include "core/directory.hpp"

namespace fl {

struct Actor {
  User user;
  std::vector<Team> teams;                   // the teams the user belongs to
  std::optional<Organization> organization;  // a customer's organisation
  std::optional<CredentialId> credential;    // the session or token used, if any

  [[nodiscard]] bool in_team(TeamId id) const {
    for (const auto& t : teams)
      if (t.id == id) return true;
    return false;
  }
  [[nodiscard]] bool is_staff() const { return user.role != Role::customer; }
};

}  // namespace fl
