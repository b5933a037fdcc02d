// The Store port: everything Firstline keeps. Adapters (sqlite/, later postgres/) implement
// it; one contract suite (tests/store/) runs against each.
//
// Contract for every adapter:
// - Every write is atomic with the events it carries: either the change and its events are
//   durable when the call returns, or nothing of it is (crash-safe; a returned value means
//   committed to stable storage).
// - Methods are thread-safe; concurrent writes may be grouped into one commit.
// - Errors: not_found for a missing record, conflict for a unique-key clash or a stale
//   ticket version, unavailable/internal for storage faults.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/article.hpp"
#include "core/directory.hpp"
#include "core/error.hpp"
#include "core/event.hpp"
#include "core/report.hpp"
#include "core/report_facts.hpp"
#include "core/staffing_measures.hpp"
#include "core/macro.hpp"
#include "core/mail.hpp"
#include "core/outbound_mail.hpp"
#include "core/notification.hpp"
#include "core/ticket.hpp"
#include "core/ticket_scope.hpp"
#include "core/webhook.hpp"

namespace fl {

// The desk's own account: it authors what automation writes (a rule's reply or note). Made
// by the schema; it has no password and no team, cannot log in, and users() leaves it out.
inline constexpr std::string_view kSystemLogin = "firstline:system";

// A user as stored, with the secret the API never returns.
struct UserRecord {
  User user;
  std::string password_hash;  // argon2id string; empty: cannot log in with a password
};

enum class CredentialKind { session, api_token };
template <>
struct EnumNames<CredentialKind> {
  static constexpr std::array<std::pair<CredentialKind, std::string_view>, 2> table{{
      {CredentialKind::session, "session"},
      {CredentialKind::api_token, "api_token"},
  }};
};

// A login session or an API token. Only a hash of the bearer secret is stored.
struct Credential {
  CredentialId id = 0;
  UserId user = 0;
  CredentialKind kind = CredentialKind::session;
  std::string name;        // API tokens: what the integration is
  std::string token_hash;  // hex of a keyed hash of the secret
  Timestamp created_at{};
  std::optional<Timestamp> expires_at;
  bool revoked = false;
};

// Set on a TicketChange that assigns the ticket automatically (round robin, least open):
// the store records it as that member's last automatic assignment in the ticket's team, in
// the same transaction.
struct AutomaticAssignment {
  UserId user = 0;
  Timestamp at{};
};

// A ticket change: the ticket as it should be after the change, the entries and events it
// brings. New ticket: ticket.id == 0 (the store assigns id and number). Existing ticket:
// stored only if the stored version still equals ticket.version (else conflict); the
// store writes version + 1. Entries and events get the ticket id filled in.
//
// new_entry_attachments[i] (when present) are the files of new_entries[i], stored in the same
// transaction: uploads to bind (each must be unbound and uploaded by the entry's author, else
// invalid_argument naming the id and nothing of the change is written) and new contents (the
// mail channel's files, which never were uploads).
struct NewAttachment {
  std::string filename;      // sanitised
  std::string content_type;  // sniffed
  std::string sha256;        // hex of `content`
  std::string content;
  UserId uploader = 0;
  Timestamp created_at{};
};
struct EntryAttachments {
  std::vector<AttachmentId> uploads;
  std::vector<NewAttachment> contents;
};
// An inbound e-mail as filed (migration 18, table mail_messages): what it became, so a second
// delivery is recognised (same message_id, or same dedupe_hash) and replies thread by it.
struct MailRecord {
  std::string mailbox;
  std::string message_id;   // without <>; empty when the message had none
  std::string dedupe_hash;  // hex SHA-256 of sender, date and body
  std::string sender;       // the From address, lower case
  std::optional<TicketId> ticket;
  std::optional<EntryId> entry;
  std::string outcome;  // "created", "appended" or "ignored"
  std::string reason;   // ignored: why
  Timestamp received_at{};
};

struct TicketChange {
  Ticket ticket;
  std::vector<Entry> new_entries;
  std::vector<Event> new_events;
  std::optional<AutomaticAssignment> automatic_assignment;
  std::vector<EntryAttachments> new_entry_attachments;
  // The mail this change files, recorded in the same transaction with the ticket and its first
  // new entry filled in; a clash on its message_id is a conflict and nothing is written.
  std::optional<MailRecord> mail;
  // Outbound mail queued in the same transaction (a public reply to the requester); the
  // store fills each one's ticket and, from entry_index, its entry.
  std::vector<OutboundMail> new_mail;
};

struct CommittedChange {
  Ticket ticket;
  std::vector<Entry> entries;
  std::vector<Event> events;
};

// sla_due_first: earliest SLA due time first (a breached clock's is past), tickets without
// one last, ties by id: a total order, so a cursor (due time, id) resumes it exactly.
enum class TicketOrder { newest_first, oldest_first, sla_due_first };

struct TicketQuery {
  TicketScope scope;  // access rules, already decided
  std::optional<int> line;
  std::optional<TeamId> team;
  std::vector<TicketStatus> statuses;  // any of; empty = all
  std::vector<Priority> priorities;    // any of; empty = all
  std::vector<SlaState> sla_states;    // any of, judged at `now` (sla_state_at); empty = all
  std::optional<UserId> assignee;
  bool unassigned = false;
  std::optional<UserId> requester;
  std::optional<OrganizationId> organization;
  std::vector<std::string> tags;  // all of
  Timestamp now{};                // for sla_states
  TicketOrder order = TicketOrder::newest_first;
  std::optional<TicketId> after;  // cursor: continue after this id in `order`
  // sla_due_first: the sla_due_at the cursor's ticket was listed with (none: it had none).
  std::optional<Timestamp> after_sla_due;
  int limit = 50;
};

struct TicketPage {
  std::vector<Ticket> tickets;
  std::optional<TicketId> next;  // cursor for the next page, if there may be one
};

// A queue: the unsolved tickets (new, open, pending_*) at one team, for queue counts.
struct QueueCount {
  int line = 1;
  TeamId team = 0;
  std::int64_t open = 0;        // unsolved
  std::int64_t unassigned = 0;  // ... without an assignee
  std::int64_t at_risk = 0;     // ... whose SLA state at `now` is at_risk
  std::int64_t breached = 0;    // ... or breached
};

using SavedViewId = std::int64_t;

// A user's named query of the ticket list (the query string of GET /api/v1/tickets: filters
// and sort). Shared views are seen by the members of the owner's teams.
struct SavedView {
  SavedViewId id = 0;
  UserId owner = 0;
  std::string name;
  std::string query;
  bool shared = false;
  Timestamp created_at{};
  Timestamp updated_at{};
};

struct TicketCount {
  TicketStatus status;
  int line;
  std::int64_t count;
};

// Unsolved tickets of a line whose SLA clocks are at risk (past the warning time, not yet due)
// or breached at a moment, for the live gauges.
struct SlaRiskCount {
  int line = 1;
  std::int64_t at_risk = 0;
  std::int64_t breached = 0;
};

// Knowledge-base listing filters; all present conditions hold. Ordered by id, ascending.
struct ArticleFilter {
  std::optional<ArticleStatus> status;
  std::optional<Audience> audience;
  std::optional<std::string> language;
  std::optional<CategoryId> category;
  std::optional<ArticleKind> kind;
  std::optional<ArticleId> translation_of;  // the translations of this original
  std::optional<ArticleId> after;           // cursor
  int limit = 50;
};

// "Solved with": an article that helped on a ticket.
struct ArticleLink {
  TicketId ticket = 0;
  ArticleId article = 0;
  UserId linked_by = 0;
  Timestamp at{};
};

// Deflection measurement (line 0): a user about to file a ticket was shown articles.
struct DeflectionSession {
  std::string id;              // random, handed to the client
  std::optional<UserId> user;  // none for a guest
  std::string query;
  Timestamp started_at{};
};

struct ArticleDeflection {
  ArticleId article = 0;
  std::string title;
  std::int64_t suggested = 0;        // sessions it was shown in
  std::int64_t opened = 0;           // sessions it was opened in
  std::int64_t deflected = 0;        // ... that filed no ticket within the window
  std::int64_t tickets_despite = 0;  // ... that filed one anyway
  std::int64_t views = 0;            // the article's counters, for context
  std::int64_t helpful = 0;
  std::int64_t not_helpful = 0;
};

// A session that opened an article and filed no ticket within this window was deflected.
inline constexpr std::chrono::minutes kDeflectionWindow{30};

struct DeflectionFigures {
  std::int64_t sessions = 0;                // started in the period
  std::int64_t with_suggestions = 0;        // shown at least one article
  std::int64_t opened = 0;                  // opened at least one
  std::int64_t deflected = 0;               // opened one and filed no ticket within the window
  std::int64_t tickets_filed = 0;           // filed a ticket within the window
  std::int64_t pending = 0;                 // window not over yet, nothing filed so far
  std::vector<ArticleDeflection> articles;  // most opened first
};

// A chatbot conversation (line 0, docs/bot.md): the id is an unguessable token that works as
// the capability of an anonymous user; `state` is the dialogue's own JSON, opaque to the store.
enum class BotSessionStatus { open, deflected, handed_off, abandoned };

struct BotSession {
  std::string id;
  std::optional<UserId> user;  // none for an anonymous visitor of the portal
  std::string language;        // "de" or "en"
  BotSessionStatus status = BotSessionStatus::open;
  std::string state = "{}";    // the conversation state as JSON (app/bot_service.cpp)
  std::optional<TicketId> ticket;      // after a hand-off
  std::string deflection_session;      // the DeflectionService session, empty if none yet
  std::string client_key;              // whom rate limits count against ("ip:...", "user:7")
  Timestamp created_at{};
  Timestamp updated_at{};
};

enum class BotSpeaker { user, bot };

// One message of a conversation; `payload` is JSON (buttons, the article offered, ...).
struct BotTurn {
  std::string session;
  int seq = 0;  // 1, 2, ... per session
  Timestamp at{};
  BotSpeaker who = BotSpeaker::bot;
  std::string text;
  std::string payload = "{}";
};

// A live chat between a chatbot user and a line-1 agent (migration 22, docs/bot.md): asked for
// after the bot's hand-off, on that ticket. Its lines are public replies on the ticket; this is
// the chat's state. At most one chat per ticket is not ended.
enum class LiveChatStatus { waiting, active, ended };

struct LiveChat {
  std::string session;  // the bot session (the user's side)
  TicketId ticket = 0;
  LiveChatStatus status = LiveChatStatus::waiting;
  std::optional<UserId> agent;  // who accepted it
  std::string language;         // "de" or "en"
  std::string ended_by;         // "customer", "agent", "timeout" (nobody took it), "idle"
  Timestamp requested_at{};
  std::optional<Timestamp> accepted_at;
  std::optional<Timestamp> ended_at;
};

// A team member as automatic assignment sees them: when they were last assigned a ticket of
// the team automatically (never: empty) and how many of the team's tickets assigned to them
// are open (not resolved or closed).
struct AssignmentLoad {
  UserId user = 0;
  std::optional<Timestamp> last_assigned_at;
  std::int64_t open_tickets = 0;
};

// A page of one user's notifications, newest first.
struct NotificationQuery {
  UserId user = 0;
  bool unread_only = false;
  std::optional<NotificationId> before;  // cursor: older than this id
  int limit = 50;
};

// A business calendar, an SLA policy or a rule as the store keeps it: a document the app
// encodes (JSON, app/sla_codec.hpp, app/rule_codec.hpp), with a unique name per kind and a
// version bumped on every save.
struct ConfigDocument {
  std::int64_t id = 0;
  std::string name;
  std::int64_t version = 0;
  std::string body;
  Timestamp updated_at{};
};

// A guided troubleshooting flow of the chatbot (bot/flow.hpp) as the flow catalog keeps it
// (app/bot_flows.hpp): the document as its author wrote it. The store does not read the JSON.
struct BotFlowRecord {
  std::string id;            // the flow's id, unique
  std::string json;          // the flow document as authored
  std::int64_t version = 0;  // 1 when first stored, + 1 on every save
  bool active = true;        // offered by the chatbot
  bool edited = false;       // saved by a person: a newer shipped version no longer replaces it
  std::string shipped_json;  // the shipped document it was seeded from; empty: made here
  std::optional<UserId> updated_by;  // none: the shipped flows' seeding
  Timestamp updated_at{};
};

// One stored version of a flow (the catalog keeps them all).
struct BotFlowVersion {
  std::int64_t version = 0;
  std::string json;
  bool active = true;
  std::optional<UserId> updated_by;
  Timestamp updated_at{};
};

// When a time-based rule falls due for a ticket (e.g. "resolved for 7 days"): kept by the
// rules follower from the ticket's events. `anchor` is the event the wait counts from, so a
// rule fires once per anchor.
struct RuleTimer {
  std::int64_t rule = 0;  // a RuleId (core/rule.hpp)
  TicketId ticket = 0;
  Timestamp due_at{};
  EventId anchor = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Schema version the store runs at (numbered migrations).
  [[nodiscard]] virtual int schema_version() const = 0;

  // Directory. Each insert stores the record and its event atomically.
  virtual Result<User> insert_user(const UserRecord& record, const Event& event) = 0;
  virtual Result<UserRecord> user_record_by_login(std::string_view login) = 0;
  virtual Result<User> user(UserId id) = 0;
  // Every user but the system account (kSystemLogin), by id.
  virtual Result<std::vector<User>> users(std::optional<Role> role) = 0;
  virtual Result<void> set_password_hash(UserId id, const std::string& hash) = 0;

  virtual Result<Team> insert_team(const Team& team, const Event& event) = 0;
  virtual Result<Team> team(TeamId id) = 0;
  virtual Result<std::vector<Team>> teams() = 0;
  // Routing settings, availability and skills; each stored with its event (not_found for an
  // unknown id). Skills are stored as given (the app normalises them).
  virtual Result<Team> update_team_routing(TeamId id, AssignmentMode mode, bool skill_routing,
                                           const Event& event) = 0;
  virtual Result<User> update_user_availability(UserId id, Availability availability,
                                                const Event& event) = 0;
  virtual Result<User> update_user_skills(UserId id, const std::vector<std::string>& skills,
                                          const Event& event) = 0;
  // One row for every active member of the team (users whose teams include it), by user id.
  virtual Result<std::vector<AssignmentLoad>> assignment_load(TeamId team) = 0;

  // Phone and admin edits (migration 14 and later).
  // Users whose phone is `phone` (as stored: the international form), active or not, by id.
  virtual Result<std::vector<User>> users_by_phone(std::string_view phone) = 0;
  // Users whose e-mail address is `email` (compared without regard to ASCII case), by id.
  virtual Result<std::vector<User>> users_by_email(std::string_view email) = 0;
  // The active staff (not customers) whose extension is `extension`, by id: one, unless the
  // uniqueness below was bypassed; none for an empty extension.
  virtual Result<std::vector<User>> staff_by_extension(std::string_view extension) = 0;
  // Stores what an admin edits of user.id: name, email, role, organization, teams, language,
  // active, phone, extension (login, password, availability, skills and created_at stay).
  // A user who becomes inactive has every session and API token revoked in the same
  // transaction. Errors: not_found for an unknown user; conflict for an extension another
  // active staff member has; failed_precondition when it would leave no active admin (an
  // active admin made inactive or given another role while no other one is active).
  // A new password hash (an admin's reset) is stored in the same commit and ends the user's
  // sessions (API tokens stay).
  virtual Result<User> update_user(const User& user, const Event& event,
                                   const std::optional<std::string>& new_password_hash) = 0;
  // Stores name, line, kind and served organisations of team.id (routing stays). not_found for
  // an unknown team, conflict for a name another team has.
  virtual Result<Team> update_team(const Team& team, const Event& event) = 0;
  // Stores name, domain and customers_see_all_tickets of org.id. not_found for an unknown
  // organisation, conflict for a name or a domain another one has.
  virtual Result<Organization> update_organization(const Organization& org, const Event& event) = 0;

  virtual Result<Organization> insert_organization(const Organization& org, const Event& event) = 0;
  virtual Result<Organization> organization(OrganizationId id) = 0;
  virtual Result<std::vector<Organization>> organizations() = 0;

  // Sessions and API tokens.
  virtual Result<Credential> insert_credential(const Credential& credential) = 0;
  virtual Result<Credential> credential_by_hash(std::string_view token_hash) = 0;
  virtual Result<std::vector<Credential>> credentials_of(UserId user, CredentialKind kind) = 0;
  // Marks revoked; not_found if no such credential of that user.
  virtual Result<Credential> revoke_credential(UserId user, CredentialId id) = 0;

  // Tickets.
  virtual Result<CommittedChange> commit(const TicketChange& change) = 0;
  virtual Result<Ticket> ticket(TicketId id) = 0;
  virtual Result<TicketPage> tickets(const TicketQuery& query) = 0;
  // Oldest first, each with its attachments.
  virtual Result<std::vector<Entry>> entries(TicketId ticket) = 0;
  virtual Result<std::vector<Event>> ticket_events(TicketId ticket) = 0;  // oldest first
  // The event feed: events with id > after, oldest first, at most limit.
  virtual Result<std::vector<Event>> events_after(EventId after, int limit) = 0;
  // The id of the newest event (0 when there is none): where a rebuilt index resumes.
  virtual Result<EventId> latest_event_id() = 0;
  virtual Result<std::vector<TicketCount>> ticket_counts() = 0;
  virtual Result<std::vector<SlaRiskCount>> sla_risk_counts(Timestamp now) = 0;
  // The unsolved tickets in `scope` per team holding them, judged at `now`; teams without
  // one are left out. By line, then team.
  virtual Result<std::vector<QueueCount>> queue_counts(const TicketScope& scope, Timestamp now) = 0;
  // Tickets whose sla_check_at is at or before `now`, earliest first, at most `limit`.
  virtual Result<std::vector<TicketId>> tickets_due_for_sla(Timestamp now, int limit) = 0;
  // not_found for a number no ticket has.
  virtual Result<Ticket> ticket_by_number(TicketNumber number) = 0;

  // Inbound mail (migration 18). A mail filed as a ticket change is recorded by commit()
  // (TicketChange::mail); one kept out (ignored) by record_mail. conflict when its message_id
  // is recorded already.
  virtual Result<void> record_mail(const MailRecord& mail) = 0;
  // The record with this message_id (non-empty), else the first with this dedupe_hash; none
  // is not an error.
  virtual Result<std::optional<MailRecord>> seen_mail(std::string_view message_id,
                                                      std::string_view dedupe_hash) = 0;
  // How many mails from `sender` became a new ticket at or after `since`.
  virtual Result<std::int64_t> tickets_created_by_mail(std::string_view sender,
                                                       Timestamp since) = 0;
  // The mails filed on `ticket` that carried a Message-ID, oldest first: outbound mail threads
  // on them (In-Reply-To, References).
  virtual Result<std::vector<MailRecord>> received_mail(TicketId ticket) = 0;

  // Attachments (core/attachment.hpp). An upload: its blob (kept once per sha256) and an
  // unbound record, durable on return. Binding happens in commit() (TicketChange).
  virtual Result<Attachment> insert_upload(const NewAttachment& upload) = 0;
  virtual Result<Attachment> attachment(AttachmentId id) = 0;  // not_found if unknown
  // The bytes of the attachment's blob.
  virtual Result<std::string> attachment_content(AttachmentId id) = 0;
  // Removes at most `limit` unbound uploads created before `before`, and the blobs nothing
  // refers to any more; returns how many uploads went.
  virtual Result<std::int64_t> delete_unused_uploads(Timestamp before, int limit) = 0;

  // SLA configuration. New document (id 0): stored as version 1. Existing: stored only if
  // its stored version is still doc.version (else conflict), as version + 1. A name used by
  // another document of the same kind is a conflict. The event is appended in the same
  // transaction. Calendars keep only their current version; policies keep every version
  // (a ticket's clocks name the version they run on).
  virtual Result<ConfigDocument> save_calendar(const ConfigDocument& doc, const Event& event) = 0;
  virtual Result<std::vector<ConfigDocument>> calendars() = 0;  // by id
  virtual Result<ConfigDocument> save_sla_policy(const ConfigDocument& doc, const Event& event) = 0;
  virtual Result<std::vector<ConfigDocument>> sla_policies() = 0;  // current versions, by id
  virtual Result<ConfigDocument> sla_policy_version(std::int64_t id, std::int64_t version) = 0;

  // Saved views. New (id 0): stored with a new id and the given times. Existing: name,
  // query, shared and updated_at replaced (not_found for an unknown id or another owner's).
  // A name is unique per owner (a clash is a conflict); an unknown owner is invalid_argument.
  // No events: a view is a user's preference, not a change of the desk's records.
  virtual Result<SavedView> save_view(const SavedView& view) = 0;
  virtual Result<SavedView> saved_view(SavedViewId id) = 0;
  // The user's own views and the shared views of other members of `teams`, by name then id.
  virtual Result<std::vector<SavedView>> saved_views(UserId user,
                                                     const std::vector<TeamId>& teams) = 0;
  // not_found for an unknown id.
  virtual Result<void> delete_view(SavedViewId id) = 0;

  // Macros. New (id 0): stored as version 1. Existing: stored only if its stored version is
  // still macro.version (else conflict), as version + 1. A name is unique among the macros of
  // one team, and among those for every team (a clash is a conflict); not_found for an
  // unknown id or team. The event is appended in the same transaction.
  virtual Result<Macro> save_macro(const Macro& macro, const Event& event) = 0;
  virtual Result<Macro> macro(MacroId id) = 0;
  virtual Result<std::vector<Macro>> macros() = 0;  // every one, active or not, by name then id

  // The chatbot's flow catalog. seed_bot_flow brings a shipped flow in: absent, it is stored
  // (version 1, active, shipped_json = json = `shipped`); present and never edited by a person,
  // a different `shipped` replaces json and shipped_json (version + 1, `active` kept); edited,
  // it is left alone. Returns the flow as stored afterwards. No event: it is the desk's start.
  virtual Result<BotFlowRecord> seed_bot_flow(std::string_view id, std::string_view shipped,
                                              Timestamp now) = 0;
  // New (version 0): stored as version 1; an id already taken is a conflict. Existing: every
  // field but id and version replaced, only if its stored version is still flow.version (else
  // conflict), as version + 1; not_found for an unknown id. Every stored version is kept
  // (bot_flow_versions). The event is appended in the same transaction.
  virtual Result<BotFlowRecord> save_bot_flow(const BotFlowRecord& flow, const Event& event) = 0;
  virtual Result<BotFlowRecord> bot_flow(std::string_view id) = 0;  // not_found when absent
  virtual Result<std::vector<BotFlowRecord>> bot_flows() = 0;  // every one, first stored first
  // Every version of the flow, newest first; not_found for an unknown id.
  virtual Result<std::vector<BotFlowVersion>> bot_flow_versions(std::string_view id) = 0;

  // In-app notifications, derived from the event feed by a follower whose cursor the store
  // keeps (0 before the first run). add_notifications stores them (one per event, user and
  // kind: a repeat is ignored, so a follower that crashed after deriving may derive again)
  // and moves the cursor to `cursor`, atomically.
  virtual Result<EventId> notification_cursor() = 0;
  virtual Result<void> add_notifications(const std::vector<Notification>& notifications,
                                         EventId cursor) = 0;
  virtual Result<std::vector<Notification>> notifications(const NotificationQuery& query) = 0;
  virtual Result<std::int64_t> unread_notifications(UserId user) = 0;
  // Marks the user's unread notifications read at `at`: those listed (ids of other users'
  // are ignored), or all of them when `ids` is empty. Returns how many changed.
  virtual Result<std::int64_t> mark_notifications_read(UserId user,
                                                       const std::vector<NotificationId>& ids,
                                                       Timestamp at) = 0;

  // Followers of the event feed keep how far they have got, by name (0 before the first
  // run). A cursor only moves forward.
  virtual Result<EventId> feed_cursor(std::string_view name) = 0;
  virtual Result<void> set_feed_cursor(std::string_view name, EventId at) = 0;

  // Rules (triggers and time-based rules): documents like calendars (current version only,
  // unique names, version checked on save; the event appended in the same transaction).
  virtual Result<ConfigDocument> save_rule(const ConfigDocument& doc, const Event& event) = 0;
  virtual Result<std::vector<ConfigDocument>> rules() = 0;  // by id
  // Replaces all timers of the listed tickets with `timers` (each naming one of them; a
  // ticket without any waits for no time-based rule), in one transaction.
  virtual Result<void> replace_rule_timers(const std::vector<TicketId>& tickets,
                                           const std::vector<RuleTimer>& timers) = 0;
  // Timers with due_at <= now, earliest first, at most limit.
  virtual Result<std::vector<RuleTimer>> rule_timers_due(Timestamp now, int limit) = 0;

  // Outbound webhooks. New (id 0): stored as version 1; existing: stored only if its stored
  // version is still webhook.version (else conflict), as version + 1; a name used by another
  // webhook is a conflict. The event is appended in the same transaction.
  virtual Result<Webhook> save_webhook(const Webhook& webhook, const Event& event) = 0;
  virtual Result<Webhook> webhook(WebhookId id) = 0;
  virtual Result<std::vector<Webhook>> webhooks() = 0;  // by id
  // Queues deliveries (ids and states as given are ignored: pending, no attempts, due at
  // next_attempt_at or else created_at); a repeat of the same webhook, event and rule is
  // skipped, so a follower that crashed may queue again. With `cursor`, the webhook
  // follower's feed cursor ("webhooks") moves to it in the same transaction.
  virtual Result<void> enqueue_deliveries(const std::vector<WebhookDelivery>& deliveries,
                                          std::optional<EventId> cursor) = 0;
  // Pending deliveries with next_attempt_at <= now, earliest first, at most limit in all and
  // at most per_webhook of any one webhook, none of the webhooks in `busy` (so one slow
  // endpoint cannot take every sending slot); each leased: its next_attempt_at moves to
  // now + lease, so nobody else (another node, or this one after a crash) tries it before the
  // lease ends.
  virtual Result<std::vector<WebhookDelivery>> claim_deliveries(
      Timestamp now, std::chrono::milliseconds lease, int limit, int per_webhook,
      const std::vector<WebhookId>& busy) = 0;
  // One attempt's outcome: attempts + 1 and its status/error; delivered (finished_at = at),
  // pending again at retry_at, or failed for good (finished_at = at) without one. A delivery
  // that is no longer pending is left as it is (a late answer); not_found if unknown.
  virtual Result<WebhookDelivery> record_delivery_attempt(const DeliveryAttempt& attempt) = 0;
  // The delivery log of one webhook, newest first, older than `before`.
  virtual Result<std::vector<WebhookDelivery>> deliveries(WebhookId webhook,
                                                          std::optional<DeliveryId> before,
                                                          int limit) = 0;
  virtual Result<WebhookDelivery> delivery(DeliveryId id) = 0;
  // Sends a delivery again: pending at `at`, its attempts kept (not_found if unknown).
  virtual Result<WebhookDelivery> redeliver(DeliveryId id, Timestamp at) = 0;
  // Keeps the log bounded: removes at most `limit` deliveries that finished (delivered or
  // failed) before `before`, oldest first; returns how many.
  virtual Result<std::int64_t> prune_deliveries(Timestamp before, int limit) = 0;

  // --- outbound mail (migration 17) ---------------------------------------------------------
  // The outbox. Queues mail (ids and states as given are ignored: pending, no attempts, due at
  // next_attempt_at or else created_at); a repeat (the same event, kind and recipient, or the
  // same entry) is skipped, so a follower that crashed may queue again. With `cursor`, the mail
  // follower's feed cursor ("mail") moves to it in the same transaction.
  virtual Result<void> enqueue_mail(const std::vector<OutboundMail>& mail,
                                    std::optional<EventId> cursor) = 0;
  // Pending mail with next_attempt_at <= now, earliest first, at most limit; each leased
  // (next_attempt_at = now + lease) so that nobody tries it again before the lease ends.
  virtual Result<std::vector<OutboundMail>> claim_mail(Timestamp now,
                                                       std::chrono::milliseconds lease,
                                                       int limit) = 0;
  // One attempt's outcome: attempts + 1, sent (sent_at = at), pending again at retry_at, or
  // failed for good. Mail no longer pending is left as it is; not_found if unknown.
  virtual Result<OutboundMail> record_mail_attempt(const MailAttempt& attempt) = 0;
  // Every mail of a ticket, oldest first (not_found for an unknown ticket).
  virtual Result<std::vector<OutboundMail>> ticket_mail(TicketId ticket) = 0;
  // Sends a failed mail again: pending, due at `at`, its attempts, last error and Message-ID
  // kept. failed_precondition (and left as it is) when the mail is not failed; not_found if
  // unknown.
  virtual Result<OutboundMail> resend_mail(MailId id, Timestamp at) = 0;

  // Knowledge base. Events of new records get the new id filled in (event.article).
  virtual Result<Category> insert_category(const Category& category, const Event& event) = 0;
  // Renames or moves category.id (not_found if it does not exist; name clashes are conflicts).
  virtual Result<Category> update_category(const Category& category, const Event& event) = 0;
  virtual Result<std::vector<Category>> categories() = 0;
  // New article (id 0): stored as version 1. Existing: stored only if its stored version
  // is still article.version (else conflict); becomes version + 1, and the version it
  // replaces stays in the history. Counters in `article` are ignored.
  virtual Result<Article> save_article(const Article& article, const Event& event) = 0;
  virtual Result<Article> article(ArticleId id) = 0;
  virtual Result<std::vector<Article>> articles(const ArticleFilter& filter) = 0;
  // Every version, oldest first (counters zero).
  virtual Result<std::vector<Article>> article_history(ArticleId id) = 0;
  // Counters: not versioned and not events (a view is not a change of the article).
  virtual Result<void> count_article_view(ArticleId id) = 0;
  // A proposed change of a published article, waiting for someone who publishes: `proposal`
  // is the article's id, the version it edits (`version`), the new content, the proposer
  // (`author`) and when (`updated_at`). One per article: a new proposal replaces the last.
  // The event (the store sets its article) is appended in the same transaction; dropping
  // appends it only if a revision was there, and is given none when publishing.
  virtual Result<void> save_article_revision(const Article& proposal, const Event& event) = 0;
  virtual Result<Article> article_revision(ArticleId id) = 0;  // not_found when none
  // None there is not an error.
  virtual Result<void> drop_article_revision(ArticleId id, const std::optional<Event>& event) = 0;
  // One vote per voter: the same vote again changes nothing, the other one replaces it.
  virtual Result<void> record_article_vote(ArticleId id, std::string_view voter, bool helpful) = 0;
  // Idempotent: linking twice keeps the first link. The event is stored with the ticket id.
  virtual Result<void> link_article(const ArticleLink& link, const Event& event) = 0;
  virtual Result<std::vector<ArticleLink>> article_links(TicketId ticket) = 0;

  // Search synonyms kept by admins: groups of words or phrases that mean the same.
  virtual Result<std::vector<std::vector<std::string>>> synonym_groups() = 0;
  virtual Result<void> replace_synonym_groups(const std::vector<std::vector<std::string>>& groups,
                                              const Event& event) = 0;

  // Chatbot conversations (migration 20). Conversation records, not changes of the desk's
  // records: no events. insert: conflict when the id is taken. update: the session's mutable
  // fields (language, status, state, ticket, deflection session, updated_at) replaced and
  // `turns` appended, atomically; not_found for an unknown id; conflict when a turn's seq is
  // taken (two answers raced: the loser's whole write is refused).
  virtual Result<void> insert_bot_session(const BotSession& session,
                                          const std::vector<BotTurn>& turns) = 0;
  virtual Result<void> update_bot_session(const BotSession& session,
                                          const std::vector<BotTurn>& turns) = 0;
  virtual Result<BotSession> bot_session(std::string_view id) = 0;
  // Oldest first (not_found for an unknown session).
  virtual Result<std::vector<BotTurn>> bot_turns(std::string_view session) = 0;
  // For rate limits: sessions of `client_key` created at or after `since`, and the user's
  // turns of one session at or after `since`.
  virtual Result<std::int64_t> count_bot_sessions(std::string_view client_key, Timestamp since) = 0;
  virtual Result<std::int64_t> count_bot_user_turns(std::string_view session, Timestamp since) = 0;

  // Open sessions not answered since `idle_before` become abandoned; returns how many.
  virtual Result<std::int64_t> abandon_idle_bot_sessions(Timestamp idle_before) = 0;

  // Report facts (migrations 23 and 24, app/reports.hpp): the stored facts of the tickets named
  // (those that have some); and one follower batch written whole - ticket facts replaced, moves,
  // contacts and SLA marks added (an event already stored is skipped), escalations marked asked
  // again, the SLA clocks of each ticket in changes.sla_clocks replaced by the ones given (none:
  // its clocks are gone; a ticket not named keeps its clocks), and the follower's cursor
  // ("reports") moved to `cursor`. reset: every fact and the cursor gone, for a rebuild from
  // the history.
  virtual Result<std::vector<TicketFacts>> report_ticket_facts(const std::vector<TicketId>& ids) = 0;
  virtual Result<void> save_report_facts(const std::vector<TicketFacts>& tickets,
                                         const FactChanges& changes, EventId cursor) = 0;
  virtual Result<void> reset_report_facts() = 0;

  // The reports over the report facts (core/report.hpp, docs/reports.md): `name` is one of
  // line0, line1, escalation, sla, backlog, csat (else not_found); `now` is what "open now" and
  // ages are measured against. drill: the tickets behind one of a report's figures (a
  // figure's `drill` key), newest first, at most `limit`; an unknown figure is not_found.
  virtual Result<Report> report(std::string_view name, const ReportFilter& filter, Timestamp now) = 0;
  virtual Result<std::vector<TicketId>> report_drill(std::string_view name, std::string_view figure,
                                                     const ReportFilter& filter, Timestamp now,
                                                     int limit) = 0;

  // Staffing (core/staffing_measures.hpp, docs/staffing.md): what the report facts and line 0's
  // records measured for Erlang C and the simulation, over [query.filter.from, min(to, now)).
  // invalid_argument when that period is empty.
  virtual Result<StaffingMeasures> staffing_measures(const StaffingQuery& query,
                                                     Timestamp now) = 0;
  // Settings documents (migration 26): one per name (e.g. "staffing_plan"), current version
  // only, saved like calendars (new: id 0, version 1; existing: only if its stored version is
  // still doc.version, else conflict; a name taken by another document is a conflict), the
  // event appended in the same transaction. setting: not_found when none is stored.
  virtual Result<ConfigDocument> save_setting(const ConfigDocument& doc, const Event& event) = 0;
  virtual Result<ConfigDocument> setting(std::string_view name) = 0;

  // Live chats (migration 22). insert: conflict when the ticket has a chat not ended. update:
  // the chat's fields replaced when its status is still `expected`, else conflict (another
  // agent accepted it first, or it ended meanwhile). The event goes in the same transaction.
  virtual Result<void> insert_live_chat(const LiveChat& chat, const Event& event) = 0;
  virtual Result<void> update_live_chat(const LiveChat& chat, LiveChatStatus expected,
                                        const Event& event) = 0;
  // The ticket's newest chat (not_found when it never had one).
  virtual Result<LiveChat> live_chat(TicketId ticket) = 0;
  // Chats waiting or active, oldest request first.
  virtual Result<std::vector<LiveChat>> open_live_chats() = 0;

  // Deflection. Measurement records, not changes of a record: no events.
  virtual Result<void> start_deflection_session(const DeflectionSession& session,
                                                const std::vector<ArticleId>& suggested) = 0;
  // not_found for an unknown session. Opening twice counts once.
  virtual Result<void> record_deflection_open(std::string_view session, ArticleId article,
                                              Timestamp at) = 0;
  // The ticket that followed: the named session (if any) and the user's other sessions
  // started in [since, at] that have no ticket yet.
  virtual Result<void> record_deflection_ticket(std::optional<std::string_view> session,
                                                std::optional<UserId> user, TicketId ticket,
                                                Timestamp since, Timestamp at) = 0;
  // Sessions started in [from, to); a ticket counts if filed within `window` of the start;
  // a session whose window has not ended by `now` without a ticket is pending.
  virtual Result<DeflectionFigures> deflection_figures(Timestamp from, Timestamp to, Timestamp now,
                                                       std::chrono::milliseconds window) = 0;
};

template <>
struct EnumNames<BotSessionStatus> {
  static constexpr std::array<std::pair<BotSessionStatus, std::string_view>, 4> table{{
      {BotSessionStatus::open, "open"},
      {BotSessionStatus::deflected, "deflected"},
      {BotSessionStatus::handed_off, "handed_off"},
      {BotSessionStatus::abandoned, "abandoned"},
  }};
};

template <>
struct EnumNames<LiveChatStatus> {
  static constexpr std::array<std::pair<LiveChatStatus, std::string_view>, 3> table{{
      {LiveChatStatus::waiting, "waiting"},
      {LiveChatStatus::active, "active"},
      {LiveChatStatus::ended, "ended"},
  }};
};

template <>
struct EnumNames<BotSpeaker> {
  static constexpr std::array<std::pair<BotSpeaker, std::string_view>, 2> table{{
      {BotSpeaker::user, "user"},
      {BotSpeaker::bot, "bot"},
  }};
};

}  // namespace fl
