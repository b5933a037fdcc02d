// The outbox rows: see mail_outbox.hpp.
#include "store/sqlite/mail_outbox.hpp"

#include <spdlog/fmt/fmt.h>

#include <algorithm>

#include "store/sqlite/records.hpp"
#include "store/sqlite/rules.hpp"

namespace fl::sqlite {

namespace {

constexpr std::string_view kFollower = "mail";

constexpr std::string_view kMailColumns =
    "id, ticket_id, entry_id, event_id, kind, recipient_id, address, name, language, automatic, "
    "details, state, attempts, next_attempt_at, last_error, created_at, sent_at";

std::string mail_select() {
  return fmt::format("SELECT {} FROM mail_outbox", kMailColumns);
}

Result<OutboundMail> mail_from_row(const Statement& row) {
  auto kind = enum_at<MailKind>(row, 4, "mail kind");
  if (!kind) return error_of(kind);
  auto state = enum_at<MailState>(row, 11, "mail state");
  if (!state) return error_of(state);
  OutboundMail m;
  m.id = row.int64_at(0);
  m.ticket = row.int64_at(1);
  m.entry = row.optional_int64_at(2);
  m.event = row.int64_at(3);
  m.kind = *kind;
  m.recipient = row.int64_at(5);
  m.address = row.text_at(6);
  m.name = row.text_at(7);
  m.language = row.text_at(8);
  m.automatic = row.int64_at(9) != 0;
  m.details = row.text_at(10);
  m.state = *state;
  m.attempts = row.int_at(12);
  m.next_attempt_at = row.optional_time_at(13);
  m.last_error = row.text_at(14);
  m.created_at = row.time_at(15);
  m.sent_at = row.optional_time_at(16);
  return m;
}

Result<OutboundMail> load_mail(Connection& c, MailId id) {
  static const std::string sql = mail_select() + " WHERE id = ?";
  return one<OutboundMail>(c, sql, id, mail_from_row, fmt::format("mail {}", id));
}

Result<void> insert_one(Connection& c, const OutboundMail& m, TicketId ticket,
                        std::optional<EntryId> entry) {
  auto insert = c.prepare(
      "INSERT OR IGNORE INTO mail_outbox (ticket_id, entry_id, event_id, kind, recipient_id, "
      "address, name, language, automatic, details, state, attempts, next_attempt_at, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)");
  if (!insert) return error_of(insert);
  insert->bind_all(ticket, entry, m.event, name_of(m.kind), m.recipient, m.address, m.name,
                   m.language, m.automatic, m.details.empty() ? std::string("{}") : m.details,
                   m.next_attempt_at.value_or(m.created_at), m.created_at);
  if (auto r = insert->run(); !r) {
    if (is_missing_reference(r.error()))
      return invalid_field("mail", fmt::format("no ticket {} or user {}", ticket, m.recipient));
    return r;
  }
  return {};
}

}  // namespace

Result<void> insert_change_mail(Connection& c, TicketId ticket, const std::vector<Entry>& entries,
                                const std::vector<OutboundMail>& mail) {
  for (const auto& m : mail) {
    std::optional<EntryId> entry = m.entry;
    if (m.entry_index) {
      if (*m.entry_index >= entries.size())
        return fail(ErrorCode::invalid_argument, "a mail names an entry the change does not have");
      entry = entries[*m.entry_index].id;
    }
    if (auto r = insert_one(c, m, ticket, entry); !r) return r;
  }
  return {};
}

Result<void> enqueue_mail(Connection& c, const std::vector<OutboundMail>& mail,
                          std::optional<EventId> cursor) {
  for (const auto& m : mail)
    if (auto r = insert_one(c, m, m.ticket, m.entry); !r) return r;
  if (!cursor) return {};
  return store_feed_cursor(c, kFollower, *cursor);
}

Result<bool> any_mail_due(Connection& c, Timestamp now) {
  auto statement = c.prepare(
      "SELECT 1 FROM mail_outbox WHERE state = 'pending' AND next_attempt_at <= ? LIMIT 1");
  if (!statement) return error_of(statement);
  statement->bind(now);
  return statement->step();
}

Result<std::vector<OutboundMail>> claim_mail(Connection& c, Timestamp now,
                                             std::chrono::milliseconds lease, int limit) {
  static const std::string sql =
      mail_select() +
      " WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?";
  auto due = c.prepare(sql);
  if (!due) return error_of(due);
  due->bind_all(now, std::clamp(limit, 1, kMaxClaimedMail));
  auto claimed = collect<OutboundMail>(*due, mail_from_row);
  if (!claimed) return claimed;
  const Timestamp until = now + lease;
  for (auto& m : *claimed) {
    auto lease_it = c.prepare("UPDATE mail_outbox SET next_attempt_at = ? WHERE id = ?");
    if (!lease_it) return error_of(lease_it);
    lease_it->bind_all(until, m.id);
    if (auto r = lease_it->run(); !r) return error_of(r);
    m.next_attempt_at = until;
  }
  return claimed;
}

Result<OutboundMail> record_mail_attempt(Connection& c, const MailAttempt& a) {
  const bool again = !a.sent && a.retry_at.has_value();
  std::string_view state = a.sent ? "sent" : again ? "pending" : "failed";
  std::optional<std::int64_t> next, sent;
  if (again) next = to_millis(*a.retry_at);
  if (a.sent) sent = to_millis(a.at);
  auto update = c.prepare(
      "UPDATE mail_outbox SET state = ?, attempts = attempts + 1, next_attempt_at = ?, "
      "last_error = ?, sent_at = ? WHERE id = ? AND state = 'pending'");
  if (!update) return error_of(update);
  update->bind_all(state, next, a.error, sent, a.mail);
  if (auto r = update->run(); !r) return error_of(r);
  return load_mail(c, a.mail);
}

Result<OutboundMail> resend_mail(Connection& c, MailId id, Timestamp at) {
  // Only a mail given up goes again: a pending one is on its way, a sent one arrived.
  auto update = c.prepare(
      "UPDATE mail_outbox SET state = 'pending', next_attempt_at = ? "
      "WHERE id = ? AND state = 'failed'");
  if (!update) return error_of(update);
  update->bind_all(at, id);
  if (auto r = update->run(); !r) return error_of(r);
  const bool resent = c.changes() > 0;
  auto mail = load_mail(c, id);
  if (!mail || resent) return mail;
  return fail(ErrorCode::failed_precondition,
              fmt::format("mail {} is {}, not failed: only failed mail is sent again", id,
                          mail_status(*mail)));
}

Result<std::vector<OutboundMail>> load_ticket_mail(Connection& c, TicketId ticket) {
  if (auto r = exists(c, Table::tickets, ticket); !r) {
    return error_of(r);
  } else if (!*r) {
    return fail(ErrorCode::not_found, fmt::format("ticket {} not found", ticket));
  }
  static const std::string sql = mail_select() + " WHERE ticket_id = ? ORDER BY id";
  auto statement = c.prepare(sql);
  if (!statement) return error_of(statement);
  statement->bind(ticket);
  return collect<OutboundMail>(*statement, mail_from_row);
}

}  // namespace fl::sqlite
