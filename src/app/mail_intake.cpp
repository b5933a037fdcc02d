#include "app/mail_intake.hpp"

#include <algorithm>
#include <chrono>

#include "app/access.hpp"
#include "app/attachments.hpp"
#include "core/mail.hpp"
#include "core/text.hpp"

namespace fl {

namespace {

constexpr std::size_t kMaxSubjectBytes = 500;
constexpr std::size_t kMaxBodyBytes = 100'000;

// At most `max` bytes, cut on a UTF-8 character boundary.
std::string cut_utf8(std::string s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s;
}

}  // namespace

Result<IngestResult> MailIntake::ignore(MailRecord record, std::string reason) {
  record.outcome = "ignored";
  record.reason = reason;
  if (auto r = store_.record_mail(record); !r) {
    if (r.error().code != ErrorCode::conflict) return std::unexpected(r.error());
    return IngestResult{IngestOutcome::duplicate, std::nullopt, "seen before"};
  }
  return IngestResult{IngestOutcome::ignored, std::nullopt, std::move(reason)};
}

Result<IngestResult> MailIntake::ingest(std::string_view mailbox_name, std::string_view raw) {
  auto mailbox = std::ranges::find(options_.mailboxes, mailbox_name, &MailboxSettings::name);
  if (mailbox == options_.mailboxes.end())
    return fail(ErrorCode::not_found, "no mailbox '" + std::string(mailbox_name) +
                                          "' is configured ([[mail.mailboxes]])");
  auto parsed = parser_.parse(raw);
  if (!parsed) return std::unexpected(parsed.error());
  InboundMail& mail = *parsed;
  const Timestamp now = clock_.now();

  MailRecord record{.mailbox = mailbox->name,
                    .message_id = mail.message_id,
                    .dedupe_hash = sha256_hex(duplicate_key(mail)),
                    .sender = mail.from.address,
                    .received_at = now};
  auto seen = store_.seen_mail(record.message_id, record.dedupe_hash);
  if (!seen) return std::unexpected(seen.error());
  if (*seen) return IngestResult{IngestOutcome::duplicate, (*seen)->ticket, "seen before"};

  const MailNoise noise = classify_noise(mail, options_.our_address);
  if (noise == MailNoise::bounce || noise == MailNoise::own)
    return ignore(std::move(record), std::string(noise_reason(noise)));

  auto user = sender_user(mail);
  if (!user) return std::unexpected(user.error());
  if (!user->active) return ignore(std::move(record), "the sender's account is inactive");
  auto actor = directory_.actor_for(*user);
  if (!actor) return std::unexpected(actor.error());

  // What the entry keeps: the new part of the text, the files, the HTML and the original.
  std::vector<std::string> notes = mail.quarantine_notes;
  std::vector<NewFile> files;
  const std::size_t room = kMaxAttachmentsPerEntry - 2;  // original.eml and message.html
  for (auto& f : mail.files) {
    if (f.content.empty()) continue;
    if (static_cast<std::int64_t>(f.content.size()) > options_.max_attachment_bytes) {
      notes.push_back("'" + f.filename + "' is larger than the attachment limit: it is only in " +
                      "original.eml");
      continue;
    }
    if (files.size() == room) {
      notes.push_back("more than " + std::to_string(room) +
                      " files: the rest are only in original.eml");
      break;
    }
    files.push_back({f.filename, std::move(f.content)});
  }
  if (!mail.html.empty() &&
      static_cast<std::int64_t>(mail.html.size()) <= options_.max_attachment_bytes)
    files.push_back({"message.html", mail.html});
  if (static_cast<std::int64_t>(raw.size()) <= options_.max_attachment_bytes)
    files.push_back({"original.eml", std::string(raw)});
  else
    notes.push_back("the original message is larger than the attachment limit and was not kept");

  std::string body = trim_reply(mail.text);
  std::string suffix;
  for (const auto& n : notes) suffix += "\n\n[" + n + "]";
  if (body.size() + suffix.size() > kMaxBodyBytes) {
    body =
        cut_utf8(std::move(body), kMaxBodyBytes - std::min(kMaxBodyBytes / 2, suffix.size()) - 64) +
        "\n[... shortened: the full text is in original.eml]";
    suffix = cut_utf8(std::move(suffix), kMaxBodyBytes - body.size());
  }
  body = trim(body + suffix);
  const bool automatic = noise != MailNoise::none;

  auto thread = thread_of(mail);
  if (!thread) return std::unexpected(thread.error());
  if (*thread && (*thread)->status != TicketStatus::closed &&
      may(*actor, TicketAction::reply, **thread)) {
    NewEntry entry{.kind = EntryKind::reply,
                   .body = body,
                   .files = std::move(files),
                   .mail = MailOrigin{record, automatic}};
    auto added = tickets_.add_entry(*actor, (*thread)->id, entry);
    if (!added) {
      if (added.error().code == ErrorCode::conflict) {
        auto again = store_.seen_mail(record.message_id, record.dedupe_hash);
        if (again && *again)
          return IngestResult{IngestOutcome::duplicate, (*again)->ticket, "seen before"};
      }
      return std::unexpected(added.error());
    }
    return IngestResult{IngestOutcome::appended, (*thread)->id, {}};
  }

  // A new ticket: within the sender's hourly allowance.
  if (options_.max_new_tickets_per_sender_per_hour > 0) {
    auto count = store_.tickets_created_by_mail(record.sender, now - std::chrono::hours(1));
    if (!count) return std::unexpected(count.error());
    if (*count >= options_.max_new_tickets_per_sender_per_hour)
      return ignore(std::move(record), "rate limit: " + std::to_string(*count) +
                                           " new tickets from this sender in the last hour");
  }
  std::optional<TeamId> team;
  if (!mailbox->team.empty()) {
    auto teams = store_.teams();
    if (!teams) return std::unexpected(teams.error());
    auto t = std::ranges::find(*teams, mailbox->team, &Team::name);
    if (t == teams->end())
      return fail(ErrorCode::not_found,
                  "mailbox '" + mailbox->name + "': no team '" + mailbox->team + "'");
    team = t->id;
  }
  std::string subject = cut_utf8(trim(mail.subject), kMaxSubjectBytes);
  if (subject.empty()) subject = "(no subject)";
  NewTicket request{.subject = subject,
                    .description = body,
                    .channel = Channel::email,
                    .team = team,
                    .files = std::move(files),
                    .mail = MailOrigin{record, automatic}};
  auto created = tickets_.create(*actor, request);
  if (!created) {
    if (created.error().code == ErrorCode::conflict) {
      auto again = store_.seen_mail(record.message_id, record.dedupe_hash);
      if (again && *again)
        return IngestResult{IngestOutcome::duplicate, (*again)->ticket, "seen before"};
    }
    return std::unexpected(created.error());
  }
  return IngestResult{IngestOutcome::created, created->id, {}};
}

Result<std::optional<Ticket>> MailIntake::thread_of(const InboundMail& mail) {
  std::vector<std::string> ids;
  if (!mail.in_reply_to.empty()) ids.push_back(mail.in_reply_to);
  // References run oldest first: the newest names the message answered.
  for (auto it = mail.references.rbegin(); it != mail.references.rend(); ++it)
    if (*it != mail.in_reply_to) ids.push_back(*it);
  auto by_number = [&](TicketNumber n) -> Result<std::optional<Ticket>> {
    auto t = store_.ticket_by_number(n);
    if (t) return std::optional<Ticket>{std::move(*t)};
    if (t.error().code == ErrorCode::not_found) return std::optional<Ticket>{};
    return std::unexpected(t.error());
  };
  for (const auto& id : ids) {
    if (auto n = our_message_ticket(id)) {
      auto t = by_number(*n);
      if (!t || *t) return t;
      continue;
    }
    auto seen = store_.seen_mail(id, {});
    if (!seen) return std::unexpected(seen.error());
    if (*seen && (*seen)->ticket) {
      auto t = store_.ticket(*(*seen)->ticket);
      if (!t) return std::unexpected(t.error());
      return std::optional<Ticket>{std::move(*t)};
    }
  }
  if (auto n = ticket_tag(mail.subject)) return by_number(*n);
  return std::optional<Ticket>{};
}

Result<User> MailIntake::sender_user(const InboundMail& mail) {
  const std::string& address = mail.from.address;
  auto known = store_.users_by_email(address);
  if (!known) return std::unexpected(known.error());
  // Several accounts with one address: an active one, staff first (they have the wider rights
  // a reply from that address was written with).
  auto best = std::ranges::find_if(
      *known, [](const User& u) { return u.active && u.role != Role::customer; });
  if (best == known->end()) best = std::ranges::find_if(*known, &User::active);
  if (best != known->end()) return *best;
  if (!known->empty()) return known->front();

  // First contact: a customer without a password, in the organisation of the mail domain.
  std::string name = trim(mail.from.name);
  if (name.empty()) name = address.substr(0, address.find('@'));
  if (name.empty()) name = address;
  return directory_.first_contact_customer(
      address, cut_utf8(name, 200),
      guess_language(mail.subject + "\n" + mail.text, options_.default_language));
}

}  // namespace fl
