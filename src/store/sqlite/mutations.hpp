// The bodies of the Store's writes. Each runs on the writer connection inside its own
// SAVEPOINT (see group_commit.hpp): on an error the caller's savepoint is rolled back, so a
// mutation may stop half-way without cleaning up.
#pragma once

#include <string>
#include <vector>

#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace fl::sqlite {

// Appends an event; returns it with its id.
[[nodiscard]] Result<Event> insert_event(Connection& c, Event event);
[[nodiscard]] Result<User> insert_user(Connection& c, const UserRecord& record, const Event& event);
[[nodiscard]] Result<void> set_password_hash(Connection& c, UserId id, const std::string& hash);
[[nodiscard]] Result<Team> insert_team(Connection& c, const Team& team, const Event& event);
// not_found for an unknown id. Skills (here and in insert_user): invalid_argument for one that
// is empty or holds U+001F, since their column (records.hpp: join_list) could not give it back.
[[nodiscard]] Result<Team> update_team_routing(Connection& c, TeamId id, AssignmentMode mode,
                                               bool skill_routing, const Event& event);
[[nodiscard]] Result<User> update_user_availability(Connection& c, UserId id,
                                                    Availability availability, const Event& event);
[[nodiscard]] Result<User> update_user_skills(Connection& c, UserId id,
                                              const std::vector<std::string>& skills,
                                              const Event& event);
// See Store::update_user, update_team and update_organization.
[[nodiscard]] Result<User> update_user(Connection& c, const User& user, const Event& event,
                                      const std::optional<std::string>& new_password_hash);
[[nodiscard]] Result<Team> update_team(Connection& c, const Team& team, const Event& event);
[[nodiscard]] Result<Organization> update_organization(Connection& c, const Organization& org,
                                                       const Event& event);
[[nodiscard]] Result<Organization> insert_organization(Connection& c, const Organization& org,
                                                       const Event& event);
[[nodiscard]] Result<Credential> insert_credential(Connection& c, const Credential& credential);
[[nodiscard]] Result<Credential> revoke_credential(Connection& c, UserId user, CredentialId id);
[[nodiscard]] Result<CommittedChange> commit_ticket_change(Connection& c,
                                                           const TicketChange& change);

}  // namespace fl::sqlite
