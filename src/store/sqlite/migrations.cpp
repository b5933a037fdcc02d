// The SQLite schema, one migration per entry. Timestamps are INTEGER milliseconds since the
// epoch (UTC); enums are TEXT holding their wire names (core/names.hpp), so a row reads the
// same in the sqlite3 shell as in the API.
#include "store/sqlite/migrations.hpp"

#include <spdlog/fmt/fmt.h>

#include <array>
#include <string>

namespace fl::sqlite {

namespace {

// Migration 1: directory, credentials, tickets and their history.
//
// tickets.id is assigned by the writer (max + 1, inside the write transaction) so that
// number = 100000 + id can be written in the same INSERT. events.id is AUTOINCREMENT: the
// feed's cursor must never step back, not even after the newest event is gone.
//
// The ticket indexes serve the queue listing (`ORDER BY id DESC LIMIT n` under filters):
// each ends in id, so a filter's rows come out of its index already in cursor order and the
// walk stops after one page. Team and assignee have two: with and without status.
constexpr const char* kMigration1 = R"sql(
CREATE TABLE organizations (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  domain TEXT NOT NULL DEFAULT '',
  customers_see_all_tickets INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
-- Mail intake maps a sender's domain to one organisation.
CREATE UNIQUE INDEX organizations_domain ON organizations(domain) WHERE domain <> '';

CREATE TABLE teams (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  line INTEGER NOT NULL CHECK (line BETWEEN 1 AND 4),
  kind TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE team_organizations (
  team_id INTEGER NOT NULL REFERENCES teams(id),
  organization_id INTEGER NOT NULL REFERENCES organizations(id),
  PRIMARY KEY (team_id, organization_id)
) WITHOUT ROWID;
CREATE INDEX team_organizations_organization ON team_organizations(organization_id);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  role TEXT NOT NULL,
  organization_id INTEGER REFERENCES organizations(id),
  language TEXT NOT NULL,
  password_hash TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL
);
CREATE INDEX users_role ON users(role, id);
CREATE INDEX users_organization ON users(organization_id);

CREATE TABLE user_teams (
  user_id INTEGER NOT NULL REFERENCES users(id),
  team_id INTEGER NOT NULL REFERENCES teams(id),
  PRIMARY KEY (user_id, team_id)
) WITHOUT ROWID;
CREATE INDEX user_teams_team ON user_teams(team_id);

CREATE TABLE credentials (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX credentials_user ON credentials(user_id, kind, id);

CREATE TABLE tickets (
  id INTEGER PRIMARY KEY,
  number INTEGER NOT NULL UNIQUE,
  subject TEXT NOT NULL,
  requester_id INTEGER NOT NULL REFERENCES users(id),
  organization_id INTEGER REFERENCES organizations(id),
  channel TEXT NOT NULL,
  category TEXT NOT NULL DEFAULT '',
  impact INTEGER NOT NULL,
  urgency INTEGER NOT NULL,
  priority TEXT NOT NULL,
  status TEXT NOT NULL,
  line INTEGER NOT NULL,
  team_id INTEGER NOT NULL REFERENCES teams(id),
  origin_team_id INTEGER NOT NULL REFERENCES teams(id),
  assignee_id INTEGER REFERENCES users(id),
  vendor_reference TEXT NOT NULL DEFAULT '',
  escalation_count INTEGER NOT NULL DEFAULT 0,
  customer_contacts INTEGER NOT NULL DEFAULT 0,
  resolved_at_line INTEGER,
  resolved_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL
);
CREATE INDEX tickets_line_status ON tickets(line, status, id);
CREATE INDEX tickets_team_status ON tickets(team_id, status, id);
CREATE INDEX tickets_team ON tickets(team_id, id);
CREATE INDEX tickets_origin_team ON tickets(origin_team_id, id);
CREATE INDEX tickets_requester ON tickets(requester_id, id);
CREATE INDEX tickets_organization ON tickets(organization_id, id);
CREATE INDEX tickets_assignee_status ON tickets(assignee_id, status, id);
CREATE INDEX tickets_assignee ON tickets(assignee_id, id);
CREATE INDEX tickets_status ON tickets(status, id);

CREATE TABLE ticket_tags (
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  tag TEXT NOT NULL,
  PRIMARY KEY (ticket_id, tag)
) WITHOUT ROWID;
CREATE INDEX ticket_tags_tag ON ticket_tags(tag, ticket_id);

CREATE TABLE entries (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  kind TEXT NOT NULL,
  author_id INTEGER NOT NULL REFERENCES users(id),
  body TEXT NOT NULL,
  -- Present only for kind = 'call'.
  call_direction TEXT,
  call_duration_seconds INTEGER,
  call_caller TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX entries_ticket ON entries(ticket_id, id);

CREATE TABLE events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  type TEXT NOT NULL,
  ticket_id INTEGER REFERENCES tickets(id),
  actor_id INTEGER REFERENCES users(id),
  at INTEGER NOT NULL,
  payload TEXT NOT NULL
);
CREATE INDEX events_ticket ON events(ticket_id, id) WHERE ticket_id IS NOT NULL;
)sql";

// Migration 2: planner statistics. Without them SQLite assumes every indexed equality is
// selective, and lists "line 1, newest first" by sorting a quarter of all tickets instead of
// walking the table backwards for 50 rows; and ANALYZE on a young, small file would teach it
// the wrong shape just as well. So the statistics describe the shape a desk grows into — few
// lines, statuses and teams holding many tickets each; many requesters and organisations
// holding few — and plans stay the same from the first ticket to the millionth.
// Format: rows in the table, then average rows per distinct value of each index prefix.
// A later migration that adds a ticket index inserts its row the same way. Nothing runs ANALYZE
// automatically.
constexpr const char* kMigration2 = R"sql(
ANALYZE sqlite_schema;
DELETE FROM sqlite_stat1 WHERE tbl IN ('tickets', 'ticket_tags');
INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
  ('tickets', 'sqlite_autoindex_tickets_1', '1000000 1'),
  ('tickets', 'tickets_line_status', '1000000 250000 40000 1'),
  ('tickets', 'tickets_team_status', '1000000 100000 15000 1'),
  ('tickets', 'tickets_team', '1000000 100000 1'),
  ('tickets', 'tickets_origin_team', '1000000 250000 1'),
  ('tickets', 'tickets_requester', '1000000 20 1'),
  ('tickets', 'tickets_organization', '1000000 2000 1'),
  ('tickets', 'tickets_assignee_status', '1000000 10000 1500 1'),
  ('tickets', 'tickets_assignee', '1000000 10000 1'),
  ('tickets', 'tickets_status', '1000000 160000 1'),
  ('ticket_tags', 'ticket_tags', '300000 2 1'),  -- WITHOUT ROWID: its primary key
  ('ticket_tags', 'ticket_tags_tag', '300000 1000 1');
-- Makes this connection load the statistics just written.
ANALYZE sqlite_schema;
)sql";

// Migration 3: the knowledge base. Every version of an article is a row of
// article_versions (the current one too, so the history is one query); articles holds the
// current version and the counters. Events gain article_id, the subject of KB events, as
// ticket_id is of ticket events. Keywords are joined by char(31), like tags in the ticket row.
constexpr const char* kMigration3 = R"sql(
ALTER TABLE events ADD COLUMN article_id INTEGER;
CREATE INDEX events_article ON events(article_id) WHERE article_id IS NOT NULL;

CREATE TABLE kb_categories (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  parent_id INTEGER REFERENCES kb_categories(id)
);
CREATE UNIQUE INDEX kb_categories_name ON kb_categories(coalesce(parent_id, 0), name);

CREATE TABLE articles (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  language TEXT NOT NULL,
  translation_of INTEGER REFERENCES articles(id),
  category_id INTEGER REFERENCES kb_categories(id),
  kind TEXT NOT NULL,
  audience TEXT NOT NULL,
  status TEXT NOT NULL,
  keywords TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL,
  author_id INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  views INTEGER NOT NULL DEFAULT 0,
  helpful INTEGER NOT NULL DEFAULT 0,
  not_helpful INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX articles_status ON articles(status, id);
CREATE INDEX articles_category ON articles(category_id, id);
CREATE INDEX articles_translation ON articles(translation_of) WHERE translation_of IS NOT NULL;

CREATE TABLE article_versions (
  article_id INTEGER NOT NULL REFERENCES articles(id),
  version INTEGER NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  language TEXT NOT NULL,
  translation_of INTEGER,
  category_id INTEGER,
  kind TEXT NOT NULL,
  audience TEXT NOT NULL,
  status TEXT NOT NULL,
  keywords TEXT NOT NULL,
  author_id INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (article_id, version)
) WITHOUT ROWID;

CREATE TABLE article_links (
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  article_id INTEGER NOT NULL REFERENCES articles(id),
  linked_by INTEGER NOT NULL REFERENCES users(id),
  at INTEGER NOT NULL,
  PRIMARY KEY (ticket_id, article_id)
) WITHOUT ROWID;
CREATE INDEX article_links_article ON article_links(article_id);
)sql";

// Migration 4: deflection measurement. A session is one user about to file a ticket who was
// shown articles; opens and the ticket that followed (if any) are recorded against it.
constexpr const char* kMigration4 = R"sql(
CREATE TABLE deflection_sessions (
  id TEXT PRIMARY KEY,
  user_id INTEGER REFERENCES users(id),
  query TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  ticket_id INTEGER REFERENCES tickets(id),
  ticket_at INTEGER
) WITHOUT ROWID;
CREATE INDEX deflection_sessions_started ON deflection_sessions(started_at);
CREATE INDEX deflection_sessions_user ON deflection_sessions(user_id, started_at) WHERE user_id IS NOT NULL;

CREATE TABLE deflection_suggestions (
  session_id TEXT NOT NULL REFERENCES deflection_sessions(id),
  article_id INTEGER NOT NULL REFERENCES articles(id),
  rank INTEGER NOT NULL,
  PRIMARY KEY (session_id, article_id)
) WITHOUT ROWID;

CREATE TABLE deflection_opens (
  session_id TEXT NOT NULL REFERENCES deflection_sessions(id),
  article_id INTEGER NOT NULL REFERENCES articles(id),
  at INTEGER NOT NULL,
  PRIMARY KEY (session_id, article_id)
) WITHOUT ROWID;
)sql";

// Migration 5: the admins' synonym list for search; a group's terms joined by char(31).
constexpr const char* kMigration5 = R"sql(
CREATE TABLE kb_synonym_groups (
  id INTEGER PRIMARY KEY,
  terms TEXT NOT NULL
);
)sql";

// Migration 6: one vote per voter and article ("u:<user id>", or "g:<id>" a guest's browser
// chose); the counters on articles stay the sums, kept in the same transaction.
constexpr const char* kMigration6 = R"sql(
CREATE TABLE article_votes (
  article_id INTEGER NOT NULL REFERENCES articles(id),
  voter TEXT NOT NULL,
  helpful INTEGER NOT NULL,
  PRIMARY KEY (article_id, voter)
) WITHOUT ROWID;
)sql";

// Migration 7: a proposed change of a published article, waiting for someone who publishes
// (one per article; the content columns as in articles, `based_on` the version it edits).
constexpr const char* kMigration7 = R"sql(
CREATE TABLE article_revisions (
  article_id INTEGER PRIMARY KEY REFERENCES articles(id),
  based_on INTEGER NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  language TEXT NOT NULL,
  translation_of INTEGER REFERENCES articles(id),
  category_id INTEGER REFERENCES kb_categories(id),
  kind TEXT NOT NULL,
  audience TEXT NOT NULL,
  status TEXT NOT NULL,
  keywords TEXT NOT NULL,
  author_id INTEGER NOT NULL REFERENCES users(id),
  proposed_at INTEGER NOT NULL
);
)sql";

// Migration 8: SLAs. A ticket names the policy version its clocks run on and when the
// scheduler must next look at them; the partial index holds only tickets with a clock running,
// in the scheduler's order (due earliest first; SQLite keeps an index's entries in rowid order
// after its columns, so ties come out by id). Calendars keep only their current version; every
// version of a policy is a row of sla_policy_versions (the current one too), since tickets go
// on running on the version they started with. The index gets planner statistics in the
// shape of migration 2: clocks run on open tickets, a small part of all, and check times
// hardly repeat.
constexpr const char* kMigration8 = R"sql(
ALTER TABLE tickets ADD COLUMN sla_policy INTEGER;
ALTER TABLE tickets ADD COLUMN sla_policy_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN sla_check_at INTEGER;
CREATE INDEX tickets_sla_check ON tickets(sla_check_at) WHERE sla_check_at IS NOT NULL;

CREATE TABLE sla_calendars (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  body TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE sla_policies (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE sla_policy_versions (
  policy_id INTEGER NOT NULL REFERENCES sla_policies(id),
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  body TEXT NOT NULL,
  saved_at INTEGER NOT NULL,
  PRIMARY KEY (policy_id, version)
);

INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('tickets', 'tickets_sla_check', '50000 1');
-- Makes this connection load the statistics just written.
ANALYZE sqlite_schema;
)sql";

// Migration 9: automatic assignment. Teams choose how new tickets get an agent (`assignment`)
// and whether skills steer it; agents are available or away and list their skills. Skills are
// joined by char(31), like synonym terms (migration 5): they are read and written only as the
// whole list of one user, never searched by the store, so one column spares a table and a
// query per user. team_rotation holds each member's last automatic assignment per team (round
// robin picks the oldest). The load count needs no new index: a member's open tickets come
// from tickets_assignee_status (assignee, then each open status).
constexpr const char* kMigration9 = R"sql(
ALTER TABLE users ADD COLUMN availability TEXT NOT NULL DEFAULT 'available';
ALTER TABLE users ADD COLUMN skills TEXT NOT NULL DEFAULT '';
ALTER TABLE teams ADD COLUMN assignment TEXT NOT NULL DEFAULT 'manual';
ALTER TABLE teams ADD COLUMN skill_routing INTEGER NOT NULL DEFAULT 0;

CREATE TABLE team_rotation (
  team_id INTEGER NOT NULL REFERENCES teams(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  last_assigned_at INTEGER NOT NULL,
  PRIMARY KEY (team_id, user_id)
) WITHOUT ROWID;
)sql";

// Migration 10: in-app notifications. One per event, recipient and kind (the unique key lets
// a follower that crashed after deriving store the same ones again). Both of a user's lists,
// newest first, walk an index ending in id and stop after a page: all of them from
// notifications_user, the unread from the partial notifications_unread, which holds only
// unread rows and so stays small. It carries read_at (always NULL in it) because SQLite does
// not infer that column from the index's WHERE: with it, the unread badge is counted from the
// index alone. feed_cursors keeps how far a follower of the event feed has got, by name.
constexpr const char* kMigration10 = R"sql(
CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  kind TEXT NOT NULL,
  event_id INTEGER NOT NULL,
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  read_at INTEGER,
  UNIQUE (event_id, user_id, kind)
);
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_unread ON notifications(user_id, id, read_at) WHERE read_at IS NULL;

CREATE TABLE feed_cursors (
  name TEXT PRIMARY KEY,
  event_id INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

// Migration 11: macros. Enums are wire names; tags are joined by char(31), like keywords
// (migration 3). A name is unique within a team and among the macros for every team
// (team_id NULL): a UNIQUE index treats NULLs as distinct, so it keys on coalesce(team_id, 0)
// as kb_categories_name does (team ids start at 1). macros() reads them all, by name: a desk
// keeps tens or hundreds, so the sort needs no index.
constexpr const char* kMigration11 = R"sql(
CREATE TABLE macros (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  team_id INTEGER REFERENCES teams(id),
  entry_kind TEXT NOT NULL,
  text TEXT NOT NULL,
  status TEXT,
  add_tags TEXT NOT NULL DEFAULT '',
  impact INTEGER,
  urgency INTEGER,
  assign_to_me INTEGER NOT NULL,
  active INTEGER NOT NULL,
  version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX macros_name ON macros(coalesce(team_id, 0), name);
)sql";

// Migration 12: rules. Documents like calendars (the app's JSON, current version only).
// The system account (store.hpp kSystemLogin) authors what rules write; its login holds a
// ':' that no user's login may, so it clashes with none.
// rule_timers holds when a time-based rule falls due for a ticket: the follower replaces a
// ticket's timers as a whole (primary key first by ticket), the scheduler reads the due ones
// in time order (rule_timers_due).
constexpr const char* kMigration12 = R"sql(
CREATE TABLE rules (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  body TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE rule_timers (
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  rule_id INTEGER NOT NULL REFERENCES rules(id),
  due_at INTEGER NOT NULL,
  anchor INTEGER NOT NULL,
  PRIMARY KEY (ticket_id, rule_id)
) WITHOUT ROWID;
CREATE INDEX rule_timers_due ON rule_timers(due_at);

INSERT INTO users (login, name, email, role, language, active, availability, created_at)
VALUES ('firstline:system', 'Firstline', '', 'agent', 'en', 1, 'away', 0);
)sql";

// Migration 13: outbound webhooks. Event types are joined by char(31), like tags. A delivery
// is unique per webhook, event and rule (0: the subscription itself), so a follower that
// crashed after queuing may queue again. The worker's query walks the partial index of
// pending deliveries in due order (covering, so skipping a busy webhook's backlog reads the
// index alone: SQLite 3.40 needs the partial index's own condition column in it too); the log
// walks a webhook's deliveries newest first; pruning walks finished deliveries oldest first.
constexpr const char* kMigration13 = R"sql(
CREATE TABLE webhooks (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  events TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL,
  version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE webhook_deliveries (
  id INTEGER PRIMARY KEY,
  webhook_id INTEGER NOT NULL REFERENCES webhooks(id),
  event_id INTEGER NOT NULL,
  rule_id INTEGER NOT NULL DEFAULT 0,
  event_type TEXT NOT NULL,
  body TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  last_status INTEGER,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  finished_at INTEGER,
  UNIQUE (webhook_id, event_id, rule_id)
);
CREATE INDEX webhook_deliveries_due
  ON webhook_deliveries(next_attempt_at, id, webhook_id, state) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries(webhook_id, id);
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries(finished_at)
  WHERE state <> 'pending';
)sql";

// Migration 14: phones. A user's number in international form (core/phone.hpp), found by the
// caller lookup through a partial index (most users have none; the query repeats the
// index's condition so SQLite may use it). A staff member's extension is unique among active
// staff: the partial unique index makes a clash a constraint failure, whoever writes.
constexpr const char* kMigration14 = R"sql(
ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN extension TEXT NOT NULL DEFAULT '';
CREATE INDEX users_phone ON users(phone) WHERE phone <> '';
CREATE UNIQUE INDEX users_extension ON users(extension)
  WHERE extension <> '' AND active = 1 AND role <> 'customer';
)sql";

// Migration 15: queues and the customer's rating (docs/sla.md, docs/domain.md).
//
// sla_due_at, sla_warn_at and sla_state are kept by the app with every ticket commit, like
// sla_check_at; a ticket's state at a given moment follows from the three (core/ticket.hpp
// sla_state_at), so the listing compares them with `now` instead of storing a state that time
// would make stale. The sort by SLA due time puts tickets without one last: its indexes key on
// IFNULL(sla_due_at, max) — SQLite uses an expression index when the ORDER BY repeats the
// expression — then id, so the order is total and a cursor (key, id) resumes it exactly.
// The team variant serves a team's queue; the state index the SLA filters (few tickets have a
// clock that has not stopped, so an equality on it is selective). Queue counts read only
// tickets_unsolved: partial (the unsolved tickets, a small part of all) and covering (every
// column the counts and the staff's scopes look at), in team order, so they group without a
// sort and never touch the table. Backfill: every unsolved
// ticket with a policy is made due for an SLA check; the scheduler's first ticks replay its
// clocks and fill the new columns, each in the ticket's own commit (500 a tick). Solved
// tickets have no clock that has not stopped: their defaults (none) are already right.
//
// The rating is four plain columns of the ticket, so it is written in the same commit as its
// event. Saved views are a user's named query strings of the listing; `shared` ones are seen
// by the members of the owner's teams (UNIQUE (user_id, name) also serves both lookups).
constexpr const char* kMigration15 = R"sql(
ALTER TABLE tickets ADD COLUMN sla_due_at INTEGER;
ALTER TABLE tickets ADD COLUMN sla_warn_at INTEGER;
ALTER TABLE tickets ADD COLUMN sla_state TEXT NOT NULL DEFAULT 'none';
ALTER TABLE tickets ADD COLUMN rating_score INTEGER;
ALTER TABLE tickets ADD COLUMN rating_comment TEXT;
ALTER TABLE tickets ADD COLUMN rated_at INTEGER;
ALTER TABLE tickets ADD COLUMN first_rated_at INTEGER;
CREATE INDEX tickets_sla_due ON tickets(IFNULL(sla_due_at, 9223372036854775807), id);
CREATE INDEX tickets_team_sla_due
  ON tickets(team_id, IFNULL(sla_due_at, 9223372036854775807), id);
CREATE INDEX tickets_sla_state ON tickets(sla_state, id);
CREATE INDEX tickets_unsolved ON tickets(team_id, line, assignee_id, sla_state, sla_due_at,
  sla_warn_at, origin_team_id, organization_id, status)
  WHERE status IN ('new', 'open', 'pending_customer', 'pending_vendor');

UPDATE tickets SET sla_check_at = 0
WHERE sla_policy IS NOT NULL AND status NOT IN ('resolved', 'closed');

CREATE TABLE saved_views (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  query TEXT NOT NULL,
  shared INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (user_id, name)
);

INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
  ('tickets', 'tickets_sla_due', '1000000 10 1'),
  ('tickets', 'tickets_team_sla_due', '1000000 100000 10 1'),
  ('tickets', 'tickets_sla_state', '1000000 20000 1'),
  ('tickets', 'tickets_unsolved', '100000 10000 10000 100 50 2 2 2 2 2');
-- Makes this connection load the statistics just written.
ANALYZE sqlite_schema;
)sql";

// Migration 16: attachments. The bytes live in the database (not beside it) so every node and
// every backup sees them and an acknowledged upload is as durable as the commit that stored it.
// Blobs are content-addressed: the same file attached twice is kept once. An attachment starts
// as an upload (ticket and entry NULL) and is bound to its entry in the entry's commit;
// attachments_unbound serves the cleanup of uploads never used, attachments_sha256 the check
// whether a blob is still referred to.
constexpr const char* kMigration16 = R"sql(
CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE TABLE attachments (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER REFERENCES tickets(id),
  entry_id INTEGER REFERENCES entries(id),
  uploader_id INTEGER NOT NULL REFERENCES users(id),
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL REFERENCES blobs(sha256),
  created_at INTEGER NOT NULL
);
CREATE INDEX attachments_ticket ON attachments(ticket_id, entry_id, id) WHERE ticket_id IS NOT NULL;
CREATE INDEX attachments_unbound ON attachments(created_at) WHERE entry_id IS NULL;
CREATE INDEX attachments_sha256 ON attachments(sha256);
)sql";

// 17: outbound mail, the outbox (store/sqlite/mail_outbox.hpp). A reply's row is written in
// its entry's commit; the mail follower's rows in the commit that moves its cursor. The unique
// indexes make a repeat after a crash queue nothing new.
constexpr const char* kMigration17 = R"sql(
CREATE TABLE mail_outbox (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  entry_id INTEGER REFERENCES entries(id),
  event_id INTEGER NOT NULL DEFAULT 0,
  kind TEXT NOT NULL,
  recipient_id INTEGER NOT NULL REFERENCES users(id),
  address TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL,
  automatic INTEGER NOT NULL DEFAULT 0,
  details TEXT NOT NULL DEFAULT '{}',
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  sent_at INTEGER
);
CREATE UNIQUE INDEX mail_outbox_entry ON mail_outbox(entry_id) WHERE entry_id IS NOT NULL;
CREATE UNIQUE INDEX mail_outbox_event ON mail_outbox(event_id, kind, recipient_id)
  WHERE event_id <> 0;
CREATE INDEX mail_outbox_due ON mail_outbox(next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX mail_outbox_ticket ON mail_outbox(ticket_id, id);
)sql";

// Migration 18: inbound mail. One row per received message that was filed or kept out: a
// second delivery is known by its Message-ID (UNIQUE where present) or by the hash of sender,
// date and body; replies thread by the Message-IDs received; the per-sender rate limit counts
// the tickets a sender's mail opened. users_email finds a sender's user.
constexpr const char* kMigration18 = R"sql(
CREATE TABLE mail_messages (
  id INTEGER PRIMARY KEY,
  mailbox TEXT NOT NULL,
  message_id TEXT UNIQUE,
  dedupe_hash TEXT NOT NULL,
  sender TEXT NOT NULL,
  ticket_id INTEGER REFERENCES tickets(id),
  entry_id INTEGER REFERENCES entries(id),
  outcome TEXT NOT NULL,
  reason TEXT NOT NULL,
  received_at INTEGER NOT NULL
);
CREATE INDEX mail_messages_hash ON mail_messages(dedupe_hash);
CREATE INDEX mail_messages_sender ON mail_messages(sender, received_at) WHERE outcome = 'created';
CREATE INDEX users_email ON users(lower(email)) WHERE email <> '';
)sql";

// Migration 19: a duplicate is the same Message-ID or the same sender, date and body, and the
// second half is now a constraint as well: two deliveries of one id-less message at the same
// instant both passed the check before. Rows that were filed twice before this keep their
// entries; their later records' hashes are made distinct so the index can be built.
constexpr const char* kMigration19 = R"sql(
UPDATE mail_messages SET dedupe_hash = dedupe_hash || '#' || id
  WHERE id NOT IN (SELECT min(id) FROM mail_messages GROUP BY dedupe_hash);
DROP INDEX mail_messages_hash;
CREATE UNIQUE INDEX mail_messages_hash ON mail_messages(dedupe_hash);
)sql";

// Migration 20: chatbot conversations (docs/bot.md). The session id is a random token (the
// anonymous user's capability); state is the dialogue's JSON. Turns are numbered per session:
// the primary key refuses a second write of the same turn (two answers that raced).
constexpr const char* kMigration20 = R"sql(
CREATE TABLE bot_sessions (
  id TEXT PRIMARY KEY,
  user_id INTEGER REFERENCES users(id),
  language TEXT NOT NULL,
  status TEXT NOT NULL,
  state TEXT NOT NULL,
  ticket_id INTEGER REFERENCES tickets(id),
  deflection_session TEXT NOT NULL DEFAULT '',
  client_key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX bot_sessions_client ON bot_sessions(client_key, created_at);

CREATE TABLE bot_turns (
  session_id TEXT NOT NULL REFERENCES bot_sessions(id),
  seq INTEGER NOT NULL,
  at INTEGER NOT NULL,
  who TEXT NOT NULL,
  text TEXT NOT NULL,
  payload TEXT NOT NULL,
  PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;
)sql";

// Migration 21: the chatbot's flow catalog (app/bot_flows.hpp). A flow is kept as the JSON its
// author wrote (the editor shows it back as written), with a version for optimistic
// concurrency. `edited` is set once a person saves it: a newer shipped version then no longer
// replaces it. `shipped_json` is the shipped document it was seeded from (empty for a flow made
// here). bot_flow_versions keeps every version ever stored, newest by (flow_id, version).
constexpr const char* kMigration21 = R"sql(
CREATE TABLE bot_flows (
  id TEXT PRIMARY KEY,
  json TEXT NOT NULL,
  version INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  edited INTEGER NOT NULL DEFAULT 0,
  shipped_json TEXT NOT NULL DEFAULT '',
  updated_by INTEGER REFERENCES users(id),
  updated_at INTEGER NOT NULL
);
CREATE TABLE bot_flow_versions (
  flow_id TEXT NOT NULL REFERENCES bot_flows(id),
  version INTEGER NOT NULL,
  json TEXT NOT NULL,
  active INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (flow_id, version)
) WITHOUT ROWID;
)sql";

// Migration 22: live chats between a chatbot user and a line-1 agent (app/live_chat.hpp). The
// partial unique index keeps one chat per ticket that has not ended; open_live_chats reads the
// small set of chats not ended through the second.
constexpr const char* kMigration22 = R"sql(
CREATE TABLE live_chats (
  session_id TEXT PRIMARY KEY REFERENCES bot_sessions(id),
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  status TEXT NOT NULL,
  agent_id INTEGER REFERENCES users(id),
  language TEXT NOT NULL,
  ended_by TEXT NOT NULL DEFAULT '',
  requested_at INTEGER NOT NULL,
  accepted_at INTEGER,
  ended_at INTEGER
);
CREATE UNIQUE INDEX live_chats_ticket_open ON live_chats(ticket_id) WHERE status != 'ended';
CREATE INDEX live_chats_ticket ON live_chats(ticket_id, requested_at);
CREATE INDEX live_chats_open ON live_chats(status) WHERE status != 'ended';
CREATE INDEX bot_sessions_idle ON bot_sessions(updated_at) WHERE status = 'open';
)sql";

// Migration 23: report facts (app/reports.hpp, docs/reports.md), kept by a follower of the
// event feed and rebuildable from it. Reports read periods by the time columns' indexes.
constexpr const char* kMigration23 = R"sql(
CREATE TABLE report_tickets (
  ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id),
  created_at INTEGER NOT NULL,
  channel TEXT NOT NULL,
  opened_line INTEGER NOT NULL,
  opened_team INTEGER NOT NULL,
  line INTEGER NOT NULL,
  team INTEGER NOT NULL,
  at_team_since INTEGER NOT NULL,
  status TEXT NOT NULL,
  first_response_at INTEGER,
  first_resolved_at INTEGER,
  resolved_at INTEGER,
  resolved_line INTEGER,
  closed_at INTEGER,
  reopens INTEGER NOT NULL,
  escalations INTEGER NOT NULL,
  transfers INTEGER NOT NULL,
  returns INTEGER NOT NULL,
  bounces INTEGER NOT NULL,
  customer_contacts INTEGER NOT NULL,
  staff_replies INTEGER NOT NULL,
  handling_seconds INTEGER NOT NULL,
  csat_score INTEGER,
  csat_comment TEXT NOT NULL,
  csat_at INTEGER,
  sla_breaches INTEGER NOT NULL,
  category TEXT NOT NULL,
  organization_id INTEGER,
  priority TEXT NOT NULL,
  assignee_id INTEGER,
  last_escalation INTEGER,
  last_escalated_at INTEGER,
  last_move_was_escalation INTEGER NOT NULL
);
CREATE INDEX report_tickets_created ON report_tickets(created_at);
CREATE INDEX report_tickets_resolved ON report_tickets(resolved_at) WHERE resolved_at IS NOT NULL;

CREATE TABLE report_moves (
  event_id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  from_line INTEGER NOT NULL,
  to_line INTEGER NOT NULL,
  from_team INTEGER NOT NULL,
  to_team INTEGER NOT NULL,
  reason TEXT NOT NULL,
  note_chars INTEGER NOT NULL,
  ms_at_previous INTEGER NOT NULL,
  bounce INTEGER NOT NULL,
  asked_again INTEGER NOT NULL
);
CREATE INDEX report_moves_at ON report_moves(at);

CREATE TABLE report_contacts (
  event_id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  agent_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  line INTEGER NOT NULL,
  team INTEGER NOT NULL,
  call_seconds INTEGER NOT NULL
);
CREATE INDEX report_contacts_at ON report_contacts(at);
)sql";

// The SLA facts of the reports (app/reports.hpp): every clock of each ticket as its replay
// gives it, replaced whole when the ticket has new events. A clock is named as the ladder
// names it, by metric and cycle (SlaMark); `due_at` is a running clock's due time as of the
// replay, so "running past its target now" needs no replay. The marks are the ladder steps
// and breaches recorded, one per event. The facts kept so far are dropped with the follower's
// cursor, so the follower reads the history again and every ticket gets its clocks.
constexpr const char* kMigration24 = R"sql(
CREATE TABLE report_sla_clocks (
  ticket_id INTEGER NOT NULL,
  metric TEXT NOT NULL,
  cycle INTEGER NOT NULL,
  line INTEGER NOT NULL,
  team INTEGER NOT NULL,
  policy_id INTEGER NOT NULL,
  priority TEXT NOT NULL,
  target_minutes INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  due_at INTEGER,
  stopped_at INTEGER,
  breached_at INTEGER,
  state TEXT NOT NULL,
  elapsed_ms INTEGER NOT NULL,
  paused_ms INTEGER NOT NULL,
  PRIMARY KEY (ticket_id, metric, cycle)
) WITHOUT ROWID;
CREATE INDEX report_sla_clocks_stopped ON report_sla_clocks(stopped_at)
  WHERE stopped_at IS NOT NULL;
CREATE INDEX report_sla_clocks_running ON report_sla_clocks(due_at) WHERE stopped_at IS NULL;

CREATE TABLE report_sla_marks (
  event_id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  metric TEXT NOT NULL,
  cycle INTEGER NOT NULL,
  percent INTEGER NOT NULL,
  breach INTEGER NOT NULL
);
CREATE INDEX report_sla_marks_at ON report_sla_marks(at);
CREATE INDEX report_sla_marks_clock ON report_sla_marks(ticket_id, metric, cycle);

DELETE FROM report_tickets;
DELETE FROM report_moves;
DELETE FROM report_contacts;
DELETE FROM feed_cursors WHERE name = 'reports';
)sql";

// Migration 25: time accounting and the reports' indexes. An entry records the minutes its
// author worked on the ticket; a contact in the report facts carries them (with a note that
// records time as a contact of kind "note"). The indexes serve the reports (docs/reports.md,
// bench/reports): ratings by when they were given, the open backlog (its condition written as
// the backlog query writes it), chatbot conversations by their start, and covering indexes
// for the period's tickets, moves and line contacts, so a report reads index pages only. A
// deflection session keeps how many articles it suggested and when one was first opened, so
// line 0's figures need no lookup per session.
constexpr const char* kMigration25 = R"sql(
ALTER TABLE entries ADD COLUMN time_spent_minutes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_contacts ADD COLUMN work_seconds INTEGER NOT NULL DEFAULT 0;
CREATE INDEX report_tickets_rated ON report_tickets(csat_at) WHERE csat_at IS NOT NULL;
CREATE INDEX report_tickets_open ON report_tickets(line, status, created_at)
  WHERE status NOT IN ('resolved', 'closed');
CREATE INDEX report_tickets_created_cover ON report_tickets(created_at, opened_line,
  opened_team, category, channel, team, line, organization_id, resolved_at, resolved_line,
  escalations, customer_contacts, first_response_at, returns, bounces);
CREATE INDEX report_moves_at_cover ON report_moves(at, kind, from_line, to_line, from_team,
  to_team, bounce, asked_again, note_chars, ms_at_previous, ticket_id);
CREATE INDEX report_contacts_line_at ON report_contacts(line, at, team, agent_id, kind,
  call_seconds, work_seconds, ticket_id);
CREATE INDEX bot_sessions_created ON bot_sessions(created_at, status, ticket_id);
CREATE INDEX report_sla_clocks_stopped_cover ON report_sla_clocks(stopped_at, state, policy_id,
  line, team, priority, metric, paused_ms, breached_at, target_minutes) WHERE stopped_at IS NOT NULL;

ALTER TABLE deflection_sessions ADD COLUMN suggestions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deflection_sessions ADD COLUMN first_open_at INTEGER;
UPDATE deflection_sessions SET
  suggestions = (SELECT count(*) FROM deflection_suggestions g WHERE g.session_id = deflection_sessions.id),
  first_open_at = (SELECT min(o.at) FROM deflection_opens o WHERE o.session_id = deflection_sessions.id);
CREATE INDEX deflection_sessions_report ON deflection_sessions(started_at, suggestions,
  first_open_at, ticket_at, query);
)sql";

// Migration 26: settings documents (store.hpp: save_setting), one per name, current version
// only, in the shape save_current_document writes (id, unique name, version, body, time) -
// e.g. the staffing plan (app/staffing_service.hpp).
constexpr const char* kMigration26 = R"sql(
CREATE TABLE settings (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  body TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
)sql";

// Migration 27: an article's opens carry their session's start, so line 0's failed articles
// count an article's opens in a period from one index range instead of a probe per session.
constexpr const char* kMigration27 = R"sql(
ALTER TABLE deflection_opens ADD COLUMN session_started_at INTEGER NOT NULL DEFAULT 0;
UPDATE deflection_opens SET session_started_at = coalesce((SELECT s.started_at
  FROM deflection_sessions s WHERE s.id = deflection_opens.session_id), 0);
CREATE INDEX deflection_opens_article ON deflection_opens(article_id, session_started_at);
)sql";

// Migration 28: the staffing report counts the chatbot conversations of a period that ended
// without an article session of their own; a conversation's row is reached by its random text
// key, so the period's outcomes get their own index instead of a probe per conversation (it
// holds deflection_session too: SQLite reads a column the query names from the row unless the
// index has it, even when the index's condition already decides it).
constexpr const char* kMigration28 = R"sql(
CREATE INDEX bot_sessions_own_outcome ON bot_sessions(created_at, status, deflection_session)
  WHERE deflection_session = '';
)sql";

constexpr std::array<const char*, 28> kMigrations{
    kMigration1,  kMigration2,  kMigration3,  kMigration4,  kMigration5,  kMigration6,
    kMigration7,  kMigration8,  kMigration9,  kMigration10, kMigration11, kMigration12,
    kMigration13, kMigration14, kMigration15, kMigration16, kMigration17, kMigration18,
    kMigration19, kMigration20, kMigration21, kMigration22, kMigration23, kMigration24,
    kMigration25, kMigration26, kMigration27, kMigration28};

}  // namespace

std::span<const char* const> migrations() {
  return kMigrations;
}

Result<int> migrate(Connection& connection) {
  // IMMEDIATE takes the write lock before reading user_version, so two processes opening a
  // fresh file cannot both apply migration 1.
  if (auto r = connection.exec("BEGIN IMMEDIATE"); !r) return std::unexpected(std::move(r.error()));
  auto rollback_with = [&](Error error) -> Result<int> {
    (void)connection.exec("ROLLBACK");
    return std::unexpected(std::move(error));
  };

  auto current = connection.pragma_int("PRAGMA user_version");
  if (!current) return rollback_with(std::move(current.error()));
  const int latest = latest_schema_version();
  if (*current > latest) {
    return rollback_with(
        Error{ErrorCode::failed_precondition,
              fmt::format("database schema version {} is newer than this build supports ({})",
                          *current, latest),
              {}});
  }
  for (auto version = static_cast<int>(*current); version < latest; ++version) {
    if (auto r = connection.exec(kMigrations[static_cast<std::size_t>(version)]); !r) {
      Error error = std::move(r.error());
      error.message = fmt::format("migration {}: {}", version + 1, error.message);
      error.code = ErrorCode::internal;
      return rollback_with(std::move(error));
    }
    // PRAGMA takes no bound parameters; the number comes from this binary, never from input.
    const std::string set_version = fmt::format("PRAGMA user_version = {}", version + 1);
    if (auto r = connection.exec(set_version.c_str()); !r)
      return rollback_with(std::move(r.error()));
  }
  if (auto r = connection.exec("COMMIT"); !r) return rollback_with(std::move(r.error()));
  return latest;
}

}  // namespace fl::sqlite
