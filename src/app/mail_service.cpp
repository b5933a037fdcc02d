#include "app/mail_service.hpp"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>
#include <unordered_map>

#include "app/event_json.hpp"
#include "app/feed_follower.hpp"
#include "app/notification_service.hpp"
#include "app/reply_mail.hpp"
#include "core/text.hpp"

namespace fl {

namespace {

namespace json = boost::json;

constexpr std::string_view kCursor = "mail";
constexpr std::size_t kMaxReferences = 10;  // enough to thread on; headers stay short

std::string language_of(const User& u) {
  return u.language == "de" ? "de" : "en";
}

bool has_address(const User& u) {
  return u.active && u.email.find('@') != std::string::npos;
}

// The requester's status mails: which template a change to `to` (from `from`) calls for.
std::optional<std::string> status_template(std::string_view from, std::string_view to) {
  if (to == "resolved") return "resolved";
  if (to == "pending_customer") return "pending_customer";
  if ((from == "resolved" || from == "closed") && (to == "open" || to == "new")) return "reopened";
  return std::nullopt;
}


}  // namespace

MailService::MailService(Store& store, const Clock& clock, MailTransport& transport,
                         MailTemplates templates, ArticleFinder articles, MailOptions options)
    : store_(store),
      clock_(clock),
      transport_(transport),
      templates_(std::move(templates)),
      articles_(std::move(articles)),
      options_(std::move(options)) {
  // The retry jitter draws on libsodium's random source (idempotent).
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not start");
}

// --- queueing ------------------------------------------------------------------------------

Result<int> MailService::follow(int max_events) {
  auto cursor = store_.feed_cursor(kCursor);
  if (!cursor) return std::unexpected(cursor.error());
  auto events = events_to_follow(store_, *cursor, max_events,
                                 [&](EventId latest) { return store_.enqueue_mail({}, latest); });
  if (!events) return std::unexpected(events.error());
  if (events->empty()) return 0;
  // Mail off: the cursor still moves, so switching it on later does not mail old news.
  if (!options_.enabled) {
    if (auto ok = store_.enqueue_mail({}, events->back().id); !ok)
      return std::unexpected(ok.error());
    return static_cast<int>(events->size());
  }

  std::unordered_map<TicketId, std::optional<Ticket>> tickets;
  std::unordered_map<UserId, std::optional<User>> users;
  auto ticket_of = [&](TicketId id) -> std::optional<Ticket> {
    auto [it, fresh] = tickets.try_emplace(id);
    if (fresh)
      if (auto t = store_.ticket(id)) it->second = std::move(*t);
    return it->second;
  };
  auto user_of = [&](UserId id) -> std::optional<User> {
    auto [it, fresh] = users.try_emplace(id);
    if (fresh)
      if (auto u = store_.user(id)) it->second = std::move(*u);
    return it->second;
  };

  std::vector<OutboundMail> queued;
  auto to_requester = [&](const Event& e, const Ticket& t, MailKind kind, json::object details) {
    auto requester = user_of(t.requester);
    if (!requester || !has_address(*requester)) return;
    OutboundMail m;
    m.ticket = t.id;
    m.event = e.id;
    m.kind = kind;
    m.recipient = requester->id;
    m.address = requester->email;
    m.name = requester->name;
    m.language = language_of(*requester);
    m.automatic = true;
    m.details = json::serialize(details);
    m.created_at = clock_.now();
    queued.push_back(std::move(m));
  };

  for (const Event& e : *events) {
    if (!e.ticket || is_auto_submitted(e)) continue;
    const bool received = e.type == event_type::ticket_created;
    const bool status = e.type == event_type::status_changed;
    const bool sla = e.type == event_type::sla_step_fired;
    if (!received && !status && !sla) continue;
    auto t = ticket_of(*e.ticket);
    if (!t) continue;
    if (received) {
      json::array found;
      if (articles_)
        for (const auto& [id, title] : articles_(*t, options_.articles))
          found.push_back(json::object{{"id", id}, {"title", title}});
      to_requester(e, *t, MailKind::received, {{"articles", std::move(found)}});
    } else if (status) {
      // Nobody is told of their own change (a requester who reopens by replying knows).
      if (e.actor && *e.actor == t->requester) continue;
      auto p = payload_of(e);
      if (auto which = status_template(text_at(p, "from"), text_at(p, "to")))
        to_requester(e, *t, MailKind::status, {{"status", *which}});
    } else {
      // Who hears of an SLA step is the in-app notifications' decision: the same people get
      // the mail, with the same sentence.
      NotificationContext context{ticket_of, user_of, [](TeamId) { return std::vector<UserId>{}; }};
      for (const Notification& n : notifications_for(e, context)) {
        auto u = user_of(n.user);
        if (!u || !has_address(*u)) continue;
        OutboundMail m;
        m.ticket = t->id;
        m.event = e.id;
        m.kind = MailKind::sla_warning;
        m.recipient = u->id;
        m.address = u->email;
        m.name = u->name;
        m.language = language_of(*u);
        m.automatic = true;
        m.details = json::serialize(
            json::object{{"text", n.text}, {"breach", n.kind == NotificationKind::sla_breach}});
        m.created_at = clock_.now();
        queued.push_back(std::move(m));
      }
    }
  }
  if (auto ok = store_.enqueue_mail(queued, events->back().id); !ok)
    return std::unexpected(ok.error());
  return static_cast<int>(events->size());
}

// --- writing -------------------------------------------------------------------------------

Result<Envelope> MailService::compose(const OutboundMail& m) {
  auto ticket = store_.ticket(m.ticket);
  if (!ticket) return std::unexpected(ticket.error());
  boost::system::error_code ec;
  json::value parsed = json::parse(m.details.empty() ? "{}" : m.details, ec);
  json::object details = !ec && parsed.is_object() ? parsed.as_object() : json::object{};

  const bool to_staff = m.kind == MailKind::sla_warning;
  std::string base = options_.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::string ticket_link =
      base + (to_staff ? "/tickets/" : "/portal/tickets/") + std::to_string(ticket->id);

  std::map<std::string, std::string> values{
      {"ticket.number", std::to_string(ticket->number)},
      {"ticket.subject", ticket->subject},
      {"ticket.link", ticket_link},
      {"recipient.name", m.name},
      {"desk.name", options_.from_name},
  };
  std::string id;
  std::vector<MailFile> files;
  switch (m.kind) {
    case MailKind::reply: {
      id = "reply";
      if (!m.entry) return fail(ErrorCode::invalid_argument, "a reply mail without its entry");
      auto entries = store_.entries(m.ticket);
      if (!entries) return std::unexpected(entries.error());
      auto e = std::ranges::find(*entries, *m.entry, &Entry::id);
      if (e == entries->end()) return fail(ErrorCode::invalid_argument, "the reply is gone");
      values["body"] = e->body;
      if (auto author = store_.user(e->author)) values["agent.name"] = author->name;
      auto attached = reply_files(*e, m.language, values);
      if (!attached) return std::unexpected(attached.error());
      files = std::move(*attached);
      break;
    }
    case MailKind::received: {
      id = "received";
      std::string text, html;
      if (auto* list = details.if_contains("articles"); list && list->is_array())
        for (const auto& a : list->as_array()) {
          if (!a.is_object()) continue;
          auto article = number_at(a.as_object(), "id");
          std::string title(text_at(a.as_object(), "title"));
          if (!article) continue;
          const std::string link = base + "/portal/kb/articles/" + std::to_string(*article);
          text += "- " + title + ": " + link + "\n";
          html += "<li><a href=\"" + escape_html(link) + "\">" + escape_html(title) + "</a></li>\n";
        }
      if (text.empty()) text = m.language == "de" ? "(keine)\n" : "(none)\n";
      values["articles"] = text;
      values["articles_html"] = html.empty() ? "" : "<ul>\n" + html + "</ul>";
      break;
    }
    case MailKind::status:
      id = "status." + std::string(text_at(details, "status"));
      break;
    case MailKind::sla_warning: {
      auto* breach = details.if_contains("breach");
      id = breach && breach->is_bool() && breach->as_bool() ? "sla_breach" : "sla_warning";
      values["sla.text"] = std::string(text_at(details, "text"));
      break;
    }
  }
  const MailTemplate body = render(templates_.get(id, m.language), values);

  MailMessage message;
  message.from_name = options_.from_name;
  message.from_address = options_.address;
  message.to_name = m.name;
  message.to_address = m.address;
  message.subject = tagged_subject(ticket->number, body.subject);
  const std::string domain = mail_domain(options_.address);
  message.message_id = mail_message_id(ticket->number, m.id, m.created_at, domain);
  message.date = clock_.now();
  message.automatic = m.automatic;
  message.language = m.language;
  message.text = body.text;
  message.html = body.html;
  message.files = std::move(files);
  if (!to_staff) {
    // The thread, oldest first: what we sent the requester before on this ticket and what we
    // received on it, so the requester's client files the mail under their own message.
    std::vector<std::pair<Timestamp, std::string>> thread;
    auto earlier = store_.ticket_mail(m.ticket);
    if (!earlier) return std::unexpected(earlier.error());
    for (const auto& o : *earlier)
      if (o.id < m.id && o.kind != MailKind::sla_warning && o.state == MailState::sent)
        thread.emplace_back(o.created_at,
                            mail_message_id(ticket->number, o.id, o.created_at, domain));
    auto received = store_.received_mail(m.ticket);
    if (!received) return std::unexpected(received.error());
    for (const auto& r : *received)
      if (r.received_at <= m.created_at) thread.emplace_back(r.received_at, "<" + r.message_id + ">");
    std::ranges::stable_sort(thread, {}, &std::pair<Timestamp, std::string>::first);
    for (auto& [at, id] : thread) message.references.push_back(std::move(id));
    if (message.references.size() > kMaxReferences)
      message.references.erase(message.references.begin(),
                               message.references.end() - kMaxReferences);
    if (!message.references.empty()) message.in_reply_to = message.references.back();
  }
  auto raw = compose_message(message);
  if (!raw) return std::unexpected(raw.error());
  return Envelope{options_.address, m.address, std::move(*raw)};
}

Result<std::vector<MailFile>> MailService::reply_files(const Entry& reply,
                                                       const std::string& language,
                                                       std::map<std::string, std::string>& values) {
  std::vector<MailFile> files;
  if (reply.attachments.empty()) return files;
  std::int64_t total = 0;
  std::string names;
  for (const Attachment& a : reply.attachments) {
    total += a.size;
    names += (names.empty() ? "" : ", ") + a.filename;
  }
  if (total > options_.max_attachment_bytes) {
    // Too big for mail: the reply goes without them and says where they are, rather than
    // failing at a server that refuses the size.
    std::map<std::string, std::string> note_values{{"files", names},
                                                   {"ticket.link", values["ticket.link"]}};
    const MailTemplate note =
        render(templates_.get("reply.files_in_portal", language), note_values);
    values["body"] += "\n\n" + note.text;
    return files;
  }
  for (const Attachment& a : reply.attachments) {
    auto content = store_.attachment_content(a.id);
    if (!content) return std::unexpected(content.error());
    files.push_back({a.filename, a.content_type, std::move(*content)});
  }
  return files;
}

// --- sending -------------------------------------------------------------------------------

Result<int> MailService::send_due(int limit) {
  if (!options_.enabled) return 0;
  int tried = 0;
  // One claim per mail: its lease then covers its own send, however slow the ones before it.
  for (; tried < limit; ++tried) {
    auto claimed = store_.claim_mail(clock_.now(), options_.lease, 1);
    if (!claimed) return std::unexpected(claimed.error());
    if (claimed->empty()) break;
    const OutboundMail& m = claimed->front();
    MailAttempt attempt;
    auto envelope = compose(m);
    if (!envelope && envelope.error().code == ErrorCode::invalid_argument) {
      // It can never be written: trying again would only fail again.
      attempt = MailAttempt{.mail = m.id, .at = clock_.now(), .error = envelope.error().message};
    } else if (!envelope) {
      attempt = judge_mail_attempt(m.id, m.attempts, clock_.now(), false, envelope.error().message,
                                   options_.retry, retry_spread());
    } else {
      auto sent = transport_.send(*envelope);
      attempt =
          judge_mail_attempt(m.id, m.attempts, clock_.now(), sent.has_value(),
                             sent ? "" : sent.error().message, options_.retry, retry_spread());
    }
    tally_.count(attempt.sent, attempt.retry_at.has_value());
    // Not recorded (the store is down): the lease runs out and the mail goes again.
    if (auto r = store_.record_mail_attempt(attempt); !r)
      warn("mail " + std::to_string(m.id) + " not recorded: " + r.error().message);
    if (!attempt.sent)
      warn(failed_attempt_line(
          "mail " + std::to_string(m.id) + " (ticket " + std::to_string(m.ticket) + ")",
          m.attempts + 1, attempt.error, attempt.retry_at));
  }
  return tried;
}

MailStats MailService::stats() const {
  return {tally_.done.load(), tally_.retried.load(), tally_.failed.load()};
}

void MailService::warn(const std::string& line) const {
  if (options_.warn) options_.warn(line);
}

}  // namespace fl
