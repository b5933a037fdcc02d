#include "app/staff.hpp"

#include <algorithm>

namespace fl {

std::vector<UserId> supervisors_of(Store& store, TeamId team) {
  std::vector<UserId> in_team, all;
  auto users = store.users(Role::supervisor);
  if (!users) return {};
  for (const auto& u : *users) {
    if (!u.active) continue;
    all.push_back(u.id);
    if (std::ranges::find(u.teams, team) != u.teams.end()) in_team.push_back(u.id);
  }
  return in_team.empty() ? all : in_team;
}

std::vector<UserId> members_of(Store& store, TeamId team) {
  std::vector<UserId> out;
  auto load = store.assignment_load(team);
  if (!load) return out;
  for (const auto& member : *load) out.push_back(member.user);
  return out;
}

Result<std::vector<User>> available_staff(Store& store) {
  std::vector<User> out;
  for (Role role : {Role::agent, Role::supervisor}) {
    auto users = store.users(role);
    if (!users) return std::unexpected(users.error());
    for (auto& u : *users)
      if (u.active && u.availability == Availability::available) out.push_back(std::move(u));
  }
  return out;
}

}  // namespace fl
