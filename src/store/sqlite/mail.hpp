// Inbound mail records (migration 18): what each received message became, for duplicates,
// threading by Message-ID and the per-sender rate limit. Bodies of the Store's mail calls.
#pragma once

#include <optional>
#include <string_view>

#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace fl::sqlite {

// conflict when the message_id is recorded already.
[[nodiscard]] Result<void> insert_mail(Connection& c, const MailRecord& mail);
[[nodiscard]] Result<std::optional<MailRecord>> load_seen_mail(Connection& c,
                                                               std::string_view message_id,
                                                               std::string_view dedupe_hash);
[[nodiscard]] Result<std::int64_t> count_tickets_created_by_mail(Connection& c,
                                                                 std::string_view sender,
                                                                 Timestamp since);
[[nodiscard]] Result<std::vector<User>> load_users_by_email(Connection& c, std::string_view email);
[[nodiscard]] Result<Ticket> load_ticket_by_number(Connection& c, TicketNumber number);
[[nodiscard]] Result<std::vector<MailRecord>> load_received_mail(Connection& c, TicketId ticket);

}  // namespace fl::sqlite
