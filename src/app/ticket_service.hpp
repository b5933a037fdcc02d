// Ticket use cases: open, read, list, write to the timeline, change, and move a ticket
// between lines and teams. Access rules are checked here (app/access.hpp) on every call.
// Thread-safe. Changes to one ticket are serialised within the process (striped locks), so
// they never race each other here; across processes (several nodes on one database) the
// store's version check turns a lost race into `conflict` and the change is retried.
#pragma once

#include <array>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/access.hpp"
#include "app/actor.hpp"
#include "app/reply_mail.hpp"
#include "app/sla_service.hpp"
#include "app/clock.hpp"
#include "core/escalation.hpp"
#include "core/event.hpp"
#include "core/ticket.hpp"
#include "store/store.hpp"

namespace fl {

// A file that comes with an entry itself rather than as an upload (the mail channel's
// attachments and inline images).
struct NewFile {
  std::string filename;
  std::string content;
};

// Set by the mail intake only (app/mail_intake.hpp): the mail a ticket or entry comes from. It
// lets a customer's own mail open a ticket on the email channel, is recorded in the same
// commit (TicketChange::mail), and marks the events auto_submitted when the mail was sent
// automatically, so nothing answers it automatically (docs/mail.md).
struct MailOrigin {
  MailRecord record;
  bool auto_submitted = false;
};

struct NewTicket {
  std::string subject;
  std::string description;
  std::optional<UserId> requester;  // default: the actor
  std::optional<Channel> channel;   // default: web
  std::string category;
  int impact = 3;
  int urgency = 3;
  std::vector<std::string> tags;
  std::optional<TeamId> team;       // a first-line team; default chosen by routing
  std::optional<CallDetails> call;  // the phone call that opened it
  // Files of the description (its entry is written also when only files are given): uploads
  // of the actor's (AttachmentService::upload) and contents, together at most
  // kMaxAttachmentsPerEntry.
  std::vector<AttachmentId> attachments;
  std::vector<NewFile> files;
  std::optional<MailOrigin> mail;
};

struct NewEntry {
  EntryKind kind = EntryKind::reply;
  std::string body;                 // may be blank when files come with it
  std::optional<CallDetails> call;  // required for kind call
  int time_spent_minutes = 0;       // time accounting by staff: 0..1440
  // As in NewTicket: bound or stored in the entry's commit, or nothing is written.
  std::vector<AttachmentId> attachments;
  std::vector<NewFile> files;
  std::optional<MailOrigin> mail;
  // A line of a live chat (app/live_chat.hpp): the user reads it in the chat, so it is not
  // mailed, and the event says "chat": true.
  bool live_chat = false;
};

// Absent fields stay as they are.
struct TicketPatch {
  std::optional<TicketStatus> status;
  std::optional<std::optional<UserId>> assignee;  // engaged + nullopt: unassign
  std::optional<int> impact;
  std::optional<int> urgency;
  std::optional<std::string> category;
  std::optional<std::vector<std::string>> tags;
  std::optional<std::string> vendor_reference;
};

struct EscalationRequest {
  int to_line = 0;
  std::optional<TeamId> to_team;  // default: the line's team, if it is unambiguous
  EscalationReason reason = EscalationReason::needs_expertise;
  std::string handoff_note;
};

struct TransferRequest {
  TeamId to_team = 0;
  std::string note;
};

struct ReturnRequest {
  std::optional<int> to_line;     // default: line 1
  std::optional<TeamId> to_team;  // default: the origin team at line 1, else the line's team
  std::string note;
};

// The requester's rating of a solved ticket (CSAT).
struct RatingRequest {
  int score = 0;
  std::string comment;
};

// The queues an actor may see: per team holding unsolved tickets, and per line (team 0).
struct QueueSummary {
  std::vector<QueueCount> teams;
  std::vector<QueueCount> lines;
};

// A recorded move: the plan plus who and when.
struct RecordedMove {
  TicketMove move;
  UserId actor = 0;
  Timestamp at{};
};

struct MovedTicket {
  Ticket ticket;
  RecordedMove move;
};

// One item of a ticket's timeline: an entry, or a system event.
struct TimelineItem {
  std::optional<Entry> entry;
  std::optional<Event> event;
  std::optional<OutboundMail> mail;  // a reply's mail to the requester, when there is one
  [[nodiscard]] Timestamp at() const { return entry ? entry->created_at : event->at; }
};

class TicketService {
 public:
  // With `sla`, every change also keeps the ticket's SLA policy and next check time.
  // `max_attachment_bytes` limits each file passed in NewEntry/NewTicket::files.
  // With `reply_mail`, public replies of staff are mailed to the requester.
  TicketService(Store& store, const Clock& clock, SlaService* sla = nullptr,
                std::int64_t max_attachment_bytes = kDefaultAttachmentMaxBytes,
                const ReplyMail* reply_mail = nullptr)
      : store_(store),
        clock_(clock),
        sla_(sla),
        max_attachment_bytes_(max_attachment_bytes),
        reply_mail_(reply_mail) {}

  Result<Ticket> create(const Actor& actor, const NewTicket& request);
  // not_found also when the actor may not see the ticket (its existence is not disclosed).
  Result<Ticket> get(const Actor& actor, TicketId id);
  // The query's scope is decided here from the actor (whatever the caller set is replaced)
  // and its limit clamped to 1..200.
  Result<TicketPage> list(const Actor& actor, TicketQuery query);
  Result<std::vector<TimelineItem>> timeline(const Actor& actor, TicketId id);
  // Uploads named in `entry.attachments` that are unknown, already used or another user's:
  // invalid_argument (field attachment_ids) naming the id; nothing is written.
  Result<Entry> add_entry(const Actor& actor, TicketId id, const NewEntry& entry);
  // Sends a failed mail of the ticket again, due now, with its Message-ID (Store::resend_mail).
  // Staff who may reply on the ticket only (else permission_denied); not_found when the actor
  // may not see the ticket or the mail is not one of its; failed_precondition when the mail
  // has not failed.
  Result<OutboundMail> resend_mail(const Actor& actor, TicketId id, MailId mail);
  Result<Ticket> update(const Actor& actor, TicketId id, const TicketPatch& patch);
  Result<MovedTicket> escalate(const Actor& actor, TicketId id, const EscalationRequest& request);
  Result<MovedTicket> transfer(const Actor& actor, TicketId id, const TransferRequest& request);
  Result<MovedTicket> return_to(const Actor& actor, TicketId id, const ReturnRequest& request);
  // Rates a resolved or closed ticket (the requester only): the first rating, or a change
  // within kRatingChangeWindow of it; with a ticket.rated event in the same commit.
  // failed_precondition before the resolution and after the window; permission_denied for
  // anyone else who may see the ticket; invalid_argument for a score outside 1..5 or a long
  // comment.
  Result<Ticket> rate(const Actor& actor, TicketId id, const RatingRequest& rating);
  // Unsolved tickets per team and line within the actor's scope (staff only).
  Result<QueueSummary> queues(const Actor& actor);
  // The service's clock reading: what time-dependent states in responses (a ticket's
  // sla_state) are judged against.
  [[nodiscard]] Timestamp now() const { return clock_.now(); }

 private:
  Result<Ticket> visible_ticket(const Actor& actor, TicketId id);
  Result<Team> first_line_team(const Actor& actor, const User& requester,
                               std::optional<TeamId> requested);
  Result<Team> default_team_at(int line);
  // The files of a new entry, checked and made ready for the store, and their names.
  Result<EntryAttachments> entry_files(const Actor& actor, const std::vector<AttachmentId>& uploads,
                                       const std::vector<NewFile>& files, Timestamp now,
                                       std::vector<std::string>& names);
  // The store's commit, after the SLA service has looked at the change.
  Result<CommittedChange> commit(TicketChange& change, Timestamp now);
  Result<MovedTicket> move(const Actor& actor, TicketId id, TicketAction action,
                           const std::function<Result<TicketMove>(const Ticket&)>& plan);

  std::mutex& lock_for(TicketId id) {
    return ticket_locks_[static_cast<std::size_t>(id) % ticket_locks_.size()];
  }

  Store& store_;
  const Clock& clock_;
  SlaService* sla_;
  std::int64_t max_attachment_bytes_;
  const ReplyMail* reply_mail_;
  std::array<std::mutex, 256> ticket_locks_;
};

}  // namespace fl
