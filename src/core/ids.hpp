// Identifiers of the domain's records. Assigned by the store; 0 means "not stored yet".
#pragma once

#include <cstdint>

namespace fl {

using TicketId = std::int64_t;
using TicketNumber = std::int64_t;
using EntryId = std::int64_t;
using EventId = std::int64_t;
using UserId = std::int64_t;
using TeamId = std::int64_t;
using OrganizationId = std::int64_t;
using CredentialId = std::int64_t;

}  // namespace fl
