// The outbound mail queue (migration 17), which is also each mail's record of how it fared.
// Writes run on the writer connection inside their savepoint (see mutations.hpp); reads on a
// borrowed read connection. What goes in it and when it is tried again are the app's
// (app/mail_service.hpp, app/reply_mail.hpp).
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace fl::sqlite {

inline constexpr int kMaxClaimedMail = 500;

// Rows of a ticket change: `ticket` and the entries just inserted fill each row's ticket and,
// through entry_index, its entry.
[[nodiscard]] Result<void> insert_change_mail(Connection& c, TicketId ticket,
                                              const std::vector<Entry>& entries,
                                              const std::vector<OutboundMail>& mail);
// A repeat is skipped; with `cursor`, the "mail" follower's cursor moves in the same write.
[[nodiscard]] Result<void> enqueue_mail(Connection& c, const std::vector<OutboundMail>& mail,
                                        std::optional<EventId> cursor);
[[nodiscard]] Result<bool> any_mail_due(Connection& c, Timestamp now);
[[nodiscard]] Result<std::vector<OutboundMail>> claim_mail(Connection& c, Timestamp now,
                                                           std::chrono::milliseconds lease,
                                                           int limit);
[[nodiscard]] Result<OutboundMail> record_mail_attempt(Connection& c, const MailAttempt& attempt);
[[nodiscard]] Result<std::vector<OutboundMail>> load_ticket_mail(Connection& c, TicketId ticket);
// A failed mail pending again at `at`; failed_precondition for one that is not failed.
[[nodiscard]] Result<OutboundMail> resend_mail(Connection& c, MailId id, Timestamp at);

}  // namespace fl::sqlite
