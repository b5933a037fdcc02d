// The bodies of the Store's writes. Each runs on the writer connection inside its own
// SAVEPOINT (see group_commit.hpp): on an error the caller's savepoint is rolled back, so a
// mutation may stop half-way without cleaning up.
#pragma once

#include <string>

#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace fl::sqlite {

// Appends an event; returns it with its id.
[[nodiscard]] Result<Event> insert_event(Connection& c, Event event);
[[nodiscard]] Result<User> insert_user(Connection& c, const UserRecord& record, const Event& event);
[[nodiscard]] Result<void> set_password_hash(Connection& c, UserId id, const std::string& hash);
[[nodiscard]] Result<Team> insert_team(Connection& c, const Team& team, const Event& event);
[[nodiscard]] Result<Organization> insert_organization(Connection& c, const Organization& org,
                                                       const Event& event);
[[nodiscard]] Result<Credential> insert_credential(Connection& c, const Credential& credential);
[[nodiscard]] Result<Credential> revoke_credential(Connection& c, UserId user, CredentialId id);
[[nodiscard]] Result<CommittedChange> commit_ticket_change(Connection& c,
                                                           const TicketChange& change);

}  // namespace fl::sqlite
