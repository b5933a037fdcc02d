#include "store/sqlite/mail.hpp"

#include <spdlog/fmt/fmt.h>

#include "store/sqlite/records.hpp"

namespace fl::sqlite {

namespace {

constexpr const char* kMailColumns =
    "mailbox, message_id, dedupe_hash, sender, ticket_id, entry_id, outcome, reason, received_at";

MailRecord mail_from_row(const Statement& row) {
  MailRecord m;
  m.mailbox = row.text_at(0);
  m.message_id = row.is_null(1) ? std::string{} : row.text_at(1);
  m.dedupe_hash = row.text_at(2);
  m.sender = row.text_at(3);
  m.ticket = row.optional_int64_at(4);
  m.entry = row.optional_int64_at(5);
  m.outcome = row.text_at(6);
  m.reason = row.text_at(7);
  m.received_at = row.time_at(8);
  return m;
}

Result<std::optional<MailRecord>> first_mail(Connection& c, const std::string& sql,
                                             std::string_view key) {
  auto statement = c.prepare(sql);
  if (!statement) return error_of(statement);
  statement->bind(key);
  auto row = statement->step();
  if (!row) return error_of(row);
  if (!*row) return std::optional<MailRecord>{};
  return std::optional<MailRecord>{mail_from_row(*statement)};
}

}  // namespace

Result<void> insert_mail(Connection& c, const MailRecord& mail) {
  auto statement =
      c.prepare(fmt::format("INSERT INTO mail_messages ({}) VALUES "
                            "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            kMailColumns));
  if (!statement) return error_of(statement);
  // An empty id is stored as NULL: the UNIQUE index then leaves id-less mail alone.
  std::optional<std::string> id;
  if (!mail.message_id.empty()) id = mail.message_id;
  statement->bind_all(mail.mailbox, id, mail.dedupe_hash, mail.sender, mail.ticket, mail.entry,
                      mail.outcome, mail.reason, mail.received_at);
  if (auto r = statement->run(); !r) {
    if (is_unique_clash(r.error(), "mail_messages.message_id"))
      return fail(ErrorCode::conflict, "mail <" + mail.message_id + "> is recorded already");
    if (is_unique_clash(r.error(), "mail_messages.dedupe_hash"))
      return fail(ErrorCode::conflict, "this mail (sender, date and body) is recorded already");
    return error_of(r);
  }
  return {};
}

Result<std::optional<MailRecord>> load_seen_mail(Connection& c, std::string_view message_id,
                                                 std::string_view dedupe_hash) {
  if (!message_id.empty()) {
    static const std::string by_id =
        fmt::format("SELECT {} FROM mail_messages WHERE message_id = ?", kMailColumns);
    auto found = first_mail(c, by_id, message_id);
    if (!found || *found) return found;
  }
  if (dedupe_hash.empty()) return std::optional<MailRecord>{};
  static const std::string by_hash =
      fmt::format("SELECT {} FROM mail_messages WHERE dedupe_hash = ?", kMailColumns);
  return first_mail(c, by_hash, dedupe_hash);
}

Result<std::int64_t> count_tickets_created_by_mail(Connection& c, std::string_view sender,
                                                   Timestamp since) {
  auto statement = c.prepare(
      "SELECT count(*) FROM mail_messages WHERE sender = ? AND received_at >= ? "
      "AND outcome = 'created'");
  if (!statement) return error_of(statement);
  statement->bind_all(sender, since);
  auto row = statement->step();
  if (!row) return error_of(row);
  return statement->int64_at(0);
}

Result<std::vector<MailRecord>> load_received_mail(Connection& c, TicketId ticket) {
  static const std::string sql = fmt::format(
      "SELECT {} FROM mail_messages WHERE ticket_id = ? AND message_id IS NOT NULL "
      "AND message_id <> '' AND outcome <> 'ignored' ORDER BY received_at, id",
      kMailColumns);
  auto statement = c.prepare(sql);
  if (!statement) return error_of(statement);
  statement->bind(ticket);
  return collect<MailRecord>(*statement,
                             [](const Statement& row) -> Result<MailRecord> { return mail_from_row(row); });
}

Result<Ticket> load_ticket_by_number(Connection& c, TicketNumber number) {
  auto statement = c.prepare("SELECT id FROM tickets WHERE number = ?");
  if (!statement) return error_of(statement);
  statement->bind(static_cast<std::int64_t>(number));
  auto row = statement->step();
  if (!row) return error_of(row);
  if (!*row) return fail(ErrorCode::not_found, fmt::format("no ticket number {}", number));
  return load_ticket(c, statement->int64_at(0));
}

Result<std::vector<User>> load_users_by_email(Connection& c, std::string_view email) {
  auto statement =
      c.prepare("SELECT id FROM users WHERE lower(email) = lower(?) AND email <> '' ORDER BY id");
  if (!statement) return error_of(statement);
  statement->bind(email);
  std::vector<UserId> ids;
  for (;;) {
    auto row = statement->step();
    if (!row) return error_of(row);
    if (!*row) break;
    ids.push_back(statement->int64_at(0));
  }
  std::vector<User> users;
  for (UserId id : ids) {
    auto u = load_user_record(c, id);
    if (!u) return error_of(u);
    users.push_back(std::move(u->user));
  }
  return users;
}

}  // namespace fl::sqlite
