// SqliteStore: wires the writer thread (group_commit), the read pool (reader_pool), the
// schema (migrations) and the SQL (records, mutations, ticket_listing) behind the Store port.
#include "store/sqlite/sqlite_store.hpp"

#include <algorithm>
#include <type_traits>
#include <variant>

#include "store/sqlite/attachments.hpp"
#include "store/sqlite/bot.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/deflection.hpp"
#include "store/sqlite/group_commit.hpp"
#include "store/sqlite/knowledge_base.hpp"
#include "store/sqlite/bot_flows.hpp"
#include "store/sqlite/report_facts.hpp"
#include "store/sqlite/report_queries.hpp"
#include "store/sqlite/report_staffing.hpp"
#include "store/sqlite/macros.hpp"
#include "store/sqlite/mail.hpp"
#include "store/sqlite/mail_outbox.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/mutations.hpp"
#include "store/sqlite/notifications.hpp"
#include "store/sqlite/queues.hpp"
#include "store/sqlite/reader_pool.hpp"
#include "store/sqlite/records.hpp"
#include "store/sqlite/rules.hpp"
#include "store/sqlite/sla.hpp"
#include "store/sqlite/ticket_listing.hpp"
#include "store/sqlite/webhooks.hpp"

namespace fl {

using sqlite::Connection;
using sqlite::error_of;

namespace {
constexpr int kMaxEventsPerCall = 1000;
}  // namespace

struct SqliteStore::Impl {
  int schema_version = 0;
  std::unique_ptr<sqlite::ReaderPool> readers;
  std::unique_ptr<sqlite::GroupCommitWriter> writer;

  // Runs `body` on a borrowed read connection inside one read transaction, so a call that
  // reads several rows (a ticket and its tags) sees them from the same commit.
  template <class Body>
  std::invoke_result_t<Body&, Connection&> read(Body&& body) {
    auto lease = readers->borrow();
    Connection& c = lease.connection();
    if (auto r = c.run("BEGIN"); !r) return error_of(r);
    auto result = body(c);
    if (auto r = c.run("COMMIT"); !r && c.in_transaction()) (void)c.run("ROLLBACK");
    return result;
  }

  // Runs `body` on the writer thread inside its own savepoint and returns its value once the
  // batch holding it is durably committed.
  template <class T, class Body>
  Result<T> write(Body&& body) {
    if constexpr (std::is_void_v<T>) {
      return writer->write([&](Connection& c) { return body(c); });
    } else {
      std::optional<T> value;
      auto committed = writer->write([&](Connection& c) -> Result<void> {
        auto result = body(c);
        if (!result) return error_of(result);
        value.emplace(std::move(*result));
        return {};
      });
      if (!committed) return error_of(committed);
      return std::move(*value);
    }
  }
};

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::filesystem::path& file,
                                                       SqliteOptions options) {
  if (options.max_batch < 1) return invalid_field("max_batch", "must be at least 1");
  if (options.readers < 1) return invalid_field("readers", "must be at least 1");

  auto connection = Connection::open(
      file, {.access = sqlite::Access::read_write, .synchronous_full = options.synchronous_full});
  if (!connection) return error_of(connection);
  auto version = sqlite::migrate(*connection);
  if (!version) return error_of(version);
  // Readers open after the writer so the file exists, is in WAL mode and has its schema.
  auto readers = sqlite::ReaderPool::open(file, options.readers);
  if (!readers) return error_of(readers);

  auto impl = std::make_unique<Impl>();
  impl->schema_version = *version;
  impl->readers = std::move(*readers);
  impl->writer =
      std::make_unique<sqlite::GroupCommitWriter>(std::move(*connection), options.max_batch);
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(impl)));
}

int SqliteStore::latest_schema_version() {
  return sqlite::latest_schema_version();
}

SqliteStore::SqliteStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SqliteStore::~SqliteStore() = default;

SqliteWriteStats SqliteStore::write_stats() const {
  const auto counters = impl_->writer->counters();
  return {counters.commits, counters.writes, counters.failed_writes};
}

int SqliteStore::schema_version() const {
  return impl_->schema_version;
}

// --- directory ---------------------------------------------------------------------------

Result<User> SqliteStore::insert_user(const UserRecord& record, const Event& event) {
  return impl_->write<User>([&](Connection& c) { return sqlite::insert_user(c, record, event); });
}

Result<UserRecord> SqliteStore::user_record_by_login(std::string_view login) {
  return impl_->read([&](Connection& c) { return sqlite::load_user_record_by_login(c, login); });
}

Result<User> SqliteStore::user(UserId id) {
  auto record = impl_->read([&](Connection& c) { return sqlite::load_user_record(c, id); });
  if (!record) return error_of(record);
  return std::move(record->user);
}

Result<std::vector<User>> SqliteStore::users(std::optional<Role> role) {
  return impl_->read([&](Connection& c) { return sqlite::load_users(c, role); });
}

Result<void> SqliteStore::set_password_hash(UserId id, const std::string& hash) {
  return impl_->write<void>([&](Connection& c) { return sqlite::set_password_hash(c, id, hash); });
}

Result<Team> SqliteStore::insert_team(const Team& team, const Event& event) {
  return impl_->write<Team>([&](Connection& c) { return sqlite::insert_team(c, team, event); });
}

Result<Team> SqliteStore::team(TeamId id) {
  return impl_->read([&](Connection& c) { return sqlite::load_team(c, id); });
}

Result<std::vector<Team>> SqliteStore::teams() {
  return impl_->read([&](Connection& c) { return sqlite::load_teams(c); });
}

Result<Team> SqliteStore::update_team_routing(TeamId id, AssignmentMode mode, bool skill_routing,
                                              const Event& event) {
  return impl_->write<Team>([&](Connection& c) {
    return sqlite::update_team_routing(c, id, mode, skill_routing, event);
  });
}

Result<User> SqliteStore::update_user_availability(UserId id, Availability availability,
                                                   const Event& event) {
  return impl_->write<User>(
      [&](Connection& c) { return sqlite::update_user_availability(c, id, availability, event); });
}

Result<User> SqliteStore::update_user_skills(UserId id, const std::vector<std::string>& skills,
                                             const Event& event) {
  return impl_->write<User>(
      [&](Connection& c) { return sqlite::update_user_skills(c, id, skills, event); });
}

Result<std::vector<AssignmentLoad>> SqliteStore::assignment_load(TeamId team) {
  return impl_->read([&](Connection& c) { return sqlite::load_assignment_load(c, team); });
}

Result<std::vector<User>> SqliteStore::users_by_phone(std::string_view phone) {
  return impl_->read([&](Connection& c) { return sqlite::load_users_by_phone(c, phone); });
}

Result<std::vector<User>> SqliteStore::staff_by_extension(std::string_view extension) {
  if (extension.empty()) return std::vector<User>{};
  return impl_->read([&](Connection& c) { return sqlite::load_staff_by_extension(c, extension); });
}

Result<User> SqliteStore::update_user(const User& user, const Event& event,
                                      const std::optional<std::string>& new_password_hash) {
  return impl_->write<User>(
      [&](Connection& c) { return sqlite::update_user(c, user, event, new_password_hash); });
}

Result<Team> SqliteStore::update_team(const Team& team, const Event& event) {
  return impl_->write<Team>([&](Connection& c) { return sqlite::update_team(c, team, event); });
}

Result<Organization> SqliteStore::update_organization(const Organization& org, const Event& event) {
  return impl_->write<Organization>(
      [&](Connection& c) { return sqlite::update_organization(c, org, event); });
}

Result<Organization> SqliteStore::insert_organization(const Organization& org, const Event& event) {
  return impl_->write<Organization>(
      [&](Connection& c) { return sqlite::insert_organization(c, org, event); });
}

Result<Organization> SqliteStore::organization(OrganizationId id) {
  return impl_->read([&](Connection& c) { return sqlite::load_organization(c, id); });
}

Result<std::vector<Organization>> SqliteStore::organizations() {
  return impl_->read([&](Connection& c) { return sqlite::load_organizations(c); });
}

// --- credentials -------------------------------------------------------------------------

Result<Credential> SqliteStore::insert_credential(const Credential& credential) {
  return impl_->write<Credential>(
      [&](Connection& c) { return sqlite::insert_credential(c, credential); });
}

Result<Credential> SqliteStore::credential_by_hash(std::string_view token_hash) {
  return impl_->read([&](Connection& c) { return sqlite::load_credential_by_hash(c, token_hash); });
}

Result<std::vector<Credential>> SqliteStore::credentials_of(UserId user, CredentialKind kind) {
  return impl_->read([&](Connection& c) { return sqlite::load_credentials_of(c, user, kind); });
}

Result<Credential> SqliteStore::revoke_credential(UserId user, CredentialId id) {
  return impl_->write<Credential>(
      [&](Connection& c) { return sqlite::revoke_credential(c, user, id); });
}

// --- tickets -----------------------------------------------------------------------------

Result<CommittedChange> SqliteStore::commit(const TicketChange& change) {
  return impl_->write<CommittedChange>(
      [&](Connection& c) { return sqlite::commit_ticket_change(c, change); });
}

Result<Ticket> SqliteStore::ticket(TicketId id) {
  return impl_->read([&](Connection& c) { return sqlite::load_ticket(c, id); });
}

Result<TicketPage> SqliteStore::tickets(const TicketQuery& query) {
  auto listing = sqlite::ticket_listing_sql(query);
  if (!listing) return TicketPage{};  // the scope shows nothing
  return impl_->read([&](Connection& c) -> Result<TicketPage> {
    TicketPage page;
    {
      auto statement = c.prepare(listing->sql);
      if (!statement) return error_of(statement);
      for (const auto& parameter : listing->parameters)
        std::visit([&](const auto& value) { statement->bind(value); }, parameter);
      for (;;) {
        auto has_row = statement->step();
        if (!has_row) return error_of(has_row);
        if (!*has_row) break;
        auto ticket = sqlite::ticket_from_row(*statement);
        if (!ticket) return error_of(ticket);
        page.tickets.push_back(std::move(*ticket));
      }
    }
    // A full page may have a successor; a short one is the last.
    if (std::cmp_equal(page.tickets.size(), sqlite::page_size(query)))
      page.next = page.tickets.back().id;
    return page;
  });
}

Result<Attachment> SqliteStore::insert_upload(const NewAttachment& upload) {
  return impl_->write<Attachment>([&](Connection& c) { return sqlite::insert_upload(c, upload); });
}

Result<Attachment> SqliteStore::attachment(AttachmentId id) {
  return impl_->read([&](Connection& c) { return sqlite::load_attachment(c, id); });
}

Result<std::string> SqliteStore::attachment_content(AttachmentId id) {
  return impl_->read([&](Connection& c) { return sqlite::load_attachment_content(c, id); });
}

Result<std::int64_t> SqliteStore::delete_unused_uploads(Timestamp before, int limit) {
  return impl_->write<std::int64_t>(
      [&](Connection& c) { return sqlite::delete_unused_uploads(c, before, limit); });
}

Result<std::vector<Entry>> SqliteStore::entries(TicketId ticket) {
  return impl_->read([&](Connection& c) { return sqlite::load_entries(c, ticket); });
}

Result<std::vector<Event>> SqliteStore::ticket_events(TicketId ticket) {
  return impl_->read([&](Connection& c) { return sqlite::load_ticket_events(c, ticket); });
}

Result<std::vector<Event>> SqliteStore::events_after(EventId after, int limit) {
  if (limit <= 0) return std::vector<Event>{};
  const int capped = std::min(limit, kMaxEventsPerCall);
  return impl_->read([&](Connection& c) { return sqlite::load_events_after(c, after, capped); });
}

Result<EventId> SqliteStore::latest_event_id() {
  return impl_->read([&](Connection& c) -> Result<EventId> {
    auto statement = c.prepare("SELECT coalesce(max(id), 0) FROM events");
    if (!statement) return sqlite::error_of(statement);
    auto row = statement->step();
    if (!row) return sqlite::error_of(row);
    return statement->int64_at(0);
  });
}

Result<std::vector<TicketCount>> SqliteStore::ticket_counts() {
  return impl_->read([&](Connection& c) { return sqlite::load_ticket_counts(c); });
}

Result<std::vector<SlaRiskCount>> SqliteStore::sla_risk_counts(Timestamp now) {
  return impl_->read([&](Connection& c) { return sqlite::load_sla_risk_counts(c, now); });
}

Result<std::vector<QueueCount>> SqliteStore::queue_counts(const TicketScope& scope, Timestamp now) {
  return impl_->read([&](Connection& c) { return sqlite::load_queue_counts(c, scope, now); });
}

Result<SavedView> SqliteStore::save_view(const SavedView& view) {
  return impl_->write<SavedView>([&](Connection& c) { return sqlite::save_view(c, view); });
}

Result<SavedView> SqliteStore::saved_view(SavedViewId id) {
  return impl_->read([&](Connection& c) { return sqlite::load_view(c, id); });
}

Result<std::vector<SavedView>> SqliteStore::saved_views(UserId user,
                                                        const std::vector<TeamId>& teams) {
  return impl_->read([&](Connection& c) { return sqlite::load_views(c, user, teams); });
}

Result<void> SqliteStore::delete_view(SavedViewId id) {
  return impl_->write<void>([&](Connection& c) { return sqlite::delete_view(c, id); });
}

Result<std::vector<TicketId>> SqliteStore::tickets_due_for_sla(Timestamp now, int limit) {
  return impl_->read(
      [&](Connection& c) { return sqlite::load_tickets_due_for_sla(c, now, limit); });
}

// --- inbound mail ------------------------------------------------------------------------

Result<Ticket> SqliteStore::ticket_by_number(TicketNumber number) {
  return impl_->read([&](Connection& c) { return sqlite::load_ticket_by_number(c, number); });
}

Result<std::vector<User>> SqliteStore::users_by_email(std::string_view email) {
  if (email.empty()) return std::vector<User>{};
  return impl_->read([&](Connection& c) { return sqlite::load_users_by_email(c, email); });
}

Result<void> SqliteStore::record_mail(const MailRecord& mail) {
  return impl_->write<void>([&](Connection& c) { return sqlite::insert_mail(c, mail); });
}

Result<std::optional<MailRecord>> SqliteStore::seen_mail(std::string_view message_id,
                                                         std::string_view dedupe_hash) {
  return impl_->read(
      [&](Connection& c) { return sqlite::load_seen_mail(c, message_id, dedupe_hash); });
}

Result<std::vector<MailRecord>> SqliteStore::received_mail(TicketId ticket) {
  return impl_->read([&](Connection& c) { return sqlite::load_received_mail(c, ticket); });
}

Result<std::int64_t> SqliteStore::tickets_created_by_mail(std::string_view sender,
                                                          Timestamp since) {
  return impl_->read(
      [&](Connection& c) { return sqlite::count_tickets_created_by_mail(c, sender, since); });
}

// --- SLA configuration -------------------------------------------------------------------

Result<ConfigDocument> SqliteStore::save_calendar(const ConfigDocument& doc, const Event& event) {
  return impl_->write<ConfigDocument>(
      [&](Connection& c) { return sqlite::save_calendar(c, doc, event); });
}

Result<std::vector<ConfigDocument>> SqliteStore::calendars() {
  return impl_->read([&](Connection& c) { return sqlite::load_calendars(c); });
}

Result<ConfigDocument> SqliteStore::save_sla_policy(const ConfigDocument& doc, const Event& event) {
  return impl_->write<ConfigDocument>(
      [&](Connection& c) { return sqlite::save_sla_policy(c, doc, event); });
}

Result<std::vector<ConfigDocument>> SqliteStore::sla_policies() {
  return impl_->read([&](Connection& c) { return sqlite::load_sla_policies(c); });
}

Result<ConfigDocument> SqliteStore::sla_policy_version(std::int64_t id, std::int64_t version) {
  return impl_->read(
      [&](Connection& c) { return sqlite::load_sla_policy_version(c, id, version); });
}

// --- the chatbot's flows -------------------------------------------------------------------

Result<BotFlowRecord> SqliteStore::seed_bot_flow(std::string_view id, std::string_view shipped,
                                                 Timestamp now) {
  return impl_->write<BotFlowRecord>(
      [&](Connection& c) { return sqlite::seed_bot_flow(c, id, shipped, now); });
}

Result<BotFlowRecord> SqliteStore::save_bot_flow(const BotFlowRecord& flow, const Event& event) {
  return impl_->write<BotFlowRecord>(
      [&](Connection& c) { return sqlite::save_bot_flow(c, flow, event); });
}

Result<BotFlowRecord> SqliteStore::bot_flow(std::string_view id) {
  return impl_->read([&](Connection& c) { return sqlite::load_bot_flow(c, id); });
}

Result<std::vector<BotFlowRecord>> SqliteStore::bot_flows() {
  return impl_->read([&](Connection& c) { return sqlite::load_bot_flows(c); });
}

Result<std::vector<BotFlowVersion>> SqliteStore::bot_flow_versions(std::string_view id) {
  return impl_->read([&](Connection& c) { return sqlite::load_bot_flow_versions(c, id); });
}

// --- macros ------------------------------------------------------------------------------

Result<Macro> SqliteStore::save_macro(const Macro& macro, const Event& event) {
  return impl_->write<Macro>([&](Connection& c) { return sqlite::save_macro(c, macro, event); });
}

Result<Macro> SqliteStore::macro(MacroId id) {
  return impl_->read([&](Connection& c) { return sqlite::load_macro(c, id); });
}

Result<std::vector<Macro>> SqliteStore::macros() {
  return impl_->read([&](Connection& c) { return sqlite::load_macros(c); });
}

// --- rules and feed cursors -------------------------------------------------------------

Result<EventId> SqliteStore::feed_cursor(std::string_view name) {
  return impl_->read([&](Connection& c) { return sqlite::load_feed_cursor(c, name); });
}

Result<void> SqliteStore::set_feed_cursor(std::string_view name, EventId at) {
  return impl_->write<void>([&](Connection& c) { return sqlite::store_feed_cursor(c, name, at); });
}

Result<ConfigDocument> SqliteStore::save_rule(const ConfigDocument& doc, const Event& event) {
  return impl_->write<ConfigDocument>(
      [&](Connection& c) { return sqlite::save_rule(c, doc, event); });
}

Result<std::vector<ConfigDocument>> SqliteStore::rules() {
  return impl_->read([&](Connection& c) { return sqlite::load_rules(c); });
}

Result<void> SqliteStore::replace_rule_timers(const std::vector<TicketId>& tickets,
                                              const std::vector<RuleTimer>& timers) {
  return impl_->write<void>(
      [&](Connection& c) { return sqlite::replace_rule_timers(c, tickets, timers); });
}

Result<std::vector<RuleTimer>> SqliteStore::rule_timers_due(Timestamp now, int limit) {
  return impl_->read([&](Connection& c) { return sqlite::load_rule_timers_due(c, now, limit); });
}

// --- notifications -----------------------------------------------------------------------

Result<EventId> SqliteStore::notification_cursor() {
  return impl_->read([&](Connection& c) { return sqlite::load_notification_cursor(c); });
}

Result<void> SqliteStore::add_notifications(const std::vector<Notification>& notifications,
                                            EventId cursor) {
  return impl_->write<void>(
      [&](Connection& c) { return sqlite::add_notifications(c, notifications, cursor); });
}

Result<std::vector<Notification>> SqliteStore::notifications(const NotificationQuery& query) {
  return impl_->read([&](Connection& c) { return sqlite::load_notifications(c, query); });
}

Result<std::int64_t> SqliteStore::unread_notifications(UserId user) {
  return impl_->read([&](Connection& c) { return sqlite::count_unread_notifications(c, user); });
}

Result<std::int64_t> SqliteStore::mark_notifications_read(UserId user,
                                                          const std::vector<NotificationId>& ids,
                                                          Timestamp at) {
  return impl_->write<std::int64_t>(
      [&](Connection& c) { return sqlite::mark_notifications_read(c, user, ids, at); });
}

// --- outbound mail -------------------------------------------------------------------------

Result<void> SqliteStore::enqueue_mail(const std::vector<OutboundMail>& mail,
                                       std::optional<EventId> cursor) {
  return impl_->write<void>([&](Connection& c) { return sqlite::enqueue_mail(c, mail, cursor); });
}

Result<std::vector<OutboundMail>> SqliteStore::claim_mail(Timestamp now,
                                                          std::chrono::milliseconds lease,
                                                          int limit) {
  // Most polls find nothing due: a read answers that without taking the writer.
  auto due = impl_->read([&](Connection& c) { return sqlite::any_mail_due(c, now); });
  if (!due) return std::unexpected(due.error());
  if (!*due) return std::vector<OutboundMail>{};
  return impl_->write<std::vector<OutboundMail>>(
      [&](Connection& c) { return sqlite::claim_mail(c, now, lease, limit); });
}

Result<OutboundMail> SqliteStore::record_mail_attempt(const MailAttempt& attempt) {
  return impl_->write<OutboundMail>(
      [&](Connection& c) { return sqlite::record_mail_attempt(c, attempt); });
}

Result<std::vector<OutboundMail>> SqliteStore::ticket_mail(TicketId ticket) {
  return impl_->read([&](Connection& c) { return sqlite::load_ticket_mail(c, ticket); });
}

Result<OutboundMail> SqliteStore::resend_mail(MailId id, Timestamp at) {
  return impl_->write<OutboundMail>([&](Connection& c) { return sqlite::resend_mail(c, id, at); });
}

// --- webhooks ------------------------------------------------------------------------------

Result<Webhook> SqliteStore::save_webhook(const Webhook& webhook, const Event& event) {
  return impl_->write<Webhook>(
      [&](Connection& c) { return sqlite::save_webhook(c, webhook, event); });
}

Result<Webhook> SqliteStore::webhook(WebhookId id) {
  return impl_->read([&](Connection& c) { return sqlite::load_webhook(c, id); });
}

Result<std::vector<Webhook>> SqliteStore::webhooks() {
  return impl_->read([&](Connection& c) { return sqlite::load_webhooks(c); });
}

Result<void> SqliteStore::enqueue_deliveries(const std::vector<WebhookDelivery>& deliveries,
                                             std::optional<EventId> cursor) {
  return impl_->write<void>(
      [&](Connection& c) { return sqlite::enqueue_deliveries(c, deliveries, cursor); });
}

Result<std::vector<WebhookDelivery>> SqliteStore::claim_deliveries(
    Timestamp now, std::chrono::milliseconds lease, int limit, int per_webhook,
    const std::vector<WebhookId>& busy) {
  // The worker asks often; most of the time nothing is due, and a read answers that without
  // taking a turn on the writer.
  auto due = impl_->read([&](Connection& c) { return sqlite::any_delivery_due(c, now); });
  if (!due) return error_of(due);
  if (!*due) return std::vector<WebhookDelivery>{};
  return impl_->write<std::vector<WebhookDelivery>>([&](Connection& c) {
    return sqlite::claim_deliveries(c, now, lease, limit, per_webhook, busy);
  });
}

Result<WebhookDelivery> SqliteStore::record_delivery_attempt(const DeliveryAttempt& attempt) {
  return impl_->write<WebhookDelivery>(
      [&](Connection& c) { return sqlite::record_delivery_attempt(c, attempt); });
}

Result<std::vector<WebhookDelivery>> SqliteStore::deliveries(WebhookId webhook,
                                                             std::optional<DeliveryId> before,
                                                             int limit) {
  return impl_->read(
      [&](Connection& c) { return sqlite::load_deliveries(c, webhook, before, limit); });
}

Result<WebhookDelivery> SqliteStore::delivery(DeliveryId id) {
  return impl_->read([&](Connection& c) { return sqlite::load_delivery(c, id); });
}

Result<WebhookDelivery> SqliteStore::redeliver(DeliveryId id, Timestamp at) {
  return impl_->write<WebhookDelivery>([&](Connection& c) { return sqlite::redeliver(c, id, at); });
}

Result<std::int64_t> SqliteStore::prune_deliveries(Timestamp before, int limit) {
  return impl_->write<std::int64_t>(
      [&](Connection& c) { return sqlite::prune_deliveries(c, before, limit); });
}

// --- knowledge base ----------------------------------------------------------------------

Result<Category> SqliteStore::insert_category(const Category& category, const Event& event) {
  return impl_->write<Category>(
      [&](Connection& c) { return sqlite::insert_category(c, category, event); });
}

Result<Category> SqliteStore::update_category(const Category& category, const Event& event) {
  return impl_->write<Category>(
      [&](Connection& c) { return sqlite::update_category(c, category, event); });
}

Result<std::vector<Category>> SqliteStore::categories() {
  return impl_->read([&](Connection& c) { return sqlite::load_categories(c); });
}

Result<Article> SqliteStore::save_article(const Article& article, const Event& event) {
  return impl_->write<Article>(
      [&](Connection& c) { return sqlite::save_article(c, article, event); });
}

Result<Article> SqliteStore::article(ArticleId id) {
  return impl_->read([&](Connection& c) { return sqlite::load_article(c, id); });
}

Result<std::vector<Article>> SqliteStore::articles(const ArticleFilter& filter) {
  return impl_->read([&](Connection& c) { return sqlite::load_articles(c, filter); });
}

Result<std::vector<Article>> SqliteStore::article_history(ArticleId id) {
  return impl_->read([&](Connection& c) { return sqlite::load_article_history(c, id); });
}

Result<void> SqliteStore::count_article_view(ArticleId id) {
  return impl_->write<void>([&](Connection& c) { return sqlite::count_article_view(c, id); });
}

Result<void> SqliteStore::save_article_revision(const Article& proposal, const Event& event) {
  return impl_->write<void>(
      [&](Connection& c) { return sqlite::save_article_revision(c, proposal, event); });
}

Result<Article> SqliteStore::article_revision(ArticleId id) {
  return impl_->read([&](Connection& c) { return sqlite::load_article_revision(c, id); });
}

Result<void> SqliteStore::drop_article_revision(ArticleId id, const std::optional<Event>& event) {
  return impl_->write<void>(
      [&](Connection& c) { return sqlite::drop_article_revision(c, id, event); });
}

Result<void> SqliteStore::record_article_vote(ArticleId id, std::string_view voter, bool helpful) {
  return impl_->write<void>(
      [&](Connection& c) { return sqlite::record_article_vote(c, id, voter, helpful); });
}

Result<void> SqliteStore::link_article(const ArticleLink& link, const Event& event) {
  return impl_->write<void>([&](Connection& c) { return sqlite::link_article(c, link, event); });
}

Result<std::vector<ArticleLink>> SqliteStore::article_links(TicketId ticket) {
  return impl_->read([&](Connection& c) { return sqlite::load_article_links(c, ticket); });
}

Result<std::vector<std::vector<std::string>>> SqliteStore::synonym_groups() {
  return impl_->read([&](Connection& c) { return sqlite::load_synonym_groups(c); });
}

Result<void> SqliteStore::replace_synonym_groups(
    const std::vector<std::vector<std::string>>& groups, const Event& event) {
  return impl_->write<void>(
      [&](Connection& c) { return sqlite::replace_synonym_groups(c, groups, event); });
}

Result<void> SqliteStore::insert_bot_session(const BotSession& session,
                                             const std::vector<BotTurn>& turns) {
  return impl_->write<void>(
      [&](Connection& c) { return sqlite::insert_bot_session(c, session, turns); });
}

Result<void> SqliteStore::update_bot_session(const BotSession& session,
                                             const std::vector<BotTurn>& turns) {
  return impl_->write<void>(
      [&](Connection& c) { return sqlite::update_bot_session(c, session, turns); });
}

Result<BotSession> SqliteStore::bot_session(std::string_view id) {
  return impl_->read([&](Connection& c) { return sqlite::load_bot_session(c, id); });
}

Result<std::vector<BotTurn>> SqliteStore::bot_turns(std::string_view session) {
  return impl_->read([&](Connection& c) { return sqlite::load_bot_turns(c, session); });
}

Result<std::int64_t> SqliteStore::count_bot_sessions(std::string_view client_key, Timestamp since) {
  return impl_->read([&](Connection& c) { return sqlite::count_bot_sessions(c, client_key, since); });
}

Result<std::int64_t> SqliteStore::count_bot_user_turns(std::string_view session, Timestamp since) {
  return impl_->read([&](Connection& c) { return sqlite::count_bot_user_turns(c, session, since); });
}

Result<std::int64_t> SqliteStore::abandon_idle_bot_sessions(Timestamp idle_before) {
  return impl_->write<std::int64_t>(
      [&](Connection& c) { return sqlite::abandon_idle_bot_sessions(c, idle_before); });
}

Result<std::vector<TicketFacts>> SqliteStore::report_ticket_facts(const std::vector<TicketId>& ids) {
  return impl_->read([&](Connection& c) { return sqlite::load_report_ticket_facts(c, ids); });
}

Result<void> SqliteStore::save_report_facts(const std::vector<TicketFacts>& tickets,
                                            const FactChanges& changes, EventId cursor) {
  return impl_->write<void>(
      [&](Connection& c) { return sqlite::save_report_facts(c, tickets, changes, cursor); });
}

Result<void> SqliteStore::reset_report_facts() {
  return impl_->write<void>([&](Connection& c) { return sqlite::reset_report_facts(c); });
}

Result<Report> SqliteStore::report(std::string_view name, const ReportFilter& filter, Timestamp now) {
  return impl_->read([&](Connection& c) { return sqlite::load_report(c, name, filter, now); });
}

Result<std::vector<TicketId>> SqliteStore::report_drill(std::string_view name,
                                                        std::string_view figure,
                                                        const ReportFilter& filter, Timestamp now,
                                                        int limit) {
  return impl_->read([&](Connection& c) {
    return sqlite::load_report_drill(c, name, figure, filter, now, limit);
  });
}

Result<void> SqliteStore::insert_live_chat(const LiveChat& chat, const Event& event) {
  return impl_->write<void>([&](Connection& c) { return sqlite::insert_live_chat(c, chat, event); });
}

Result<void> SqliteStore::update_live_chat(const LiveChat& chat, LiveChatStatus expected,
                                           const Event& event) {
  return impl_->write<void>(
      [&](Connection& c) { return sqlite::update_live_chat(c, chat, expected, event); });
}

Result<LiveChat> SqliteStore::live_chat(TicketId ticket) {
  return impl_->read([&](Connection& c) { return sqlite::load_live_chat(c, ticket); });
}

Result<std::vector<LiveChat>> SqliteStore::open_live_chats() {
  return impl_->read([&](Connection& c) { return sqlite::load_open_live_chats(c); });
}

Result<void> SqliteStore::start_deflection_session(const DeflectionSession& session,
                                                   const std::vector<ArticleId>& suggested) {
  return impl_->write<void>(
      [&](Connection& c) { return sqlite::start_deflection_session(c, session, suggested); });
}

Result<void> SqliteStore::record_deflection_open(std::string_view session, ArticleId article,
                                                 Timestamp at) {
  return impl_->write<void>(
      [&](Connection& c) { return sqlite::record_deflection_open(c, session, article, at); });
}

Result<void> SqliteStore::record_deflection_ticket(std::optional<std::string_view> session,
                                                   std::optional<UserId> user, TicketId ticket,
                                                   Timestamp since, Timestamp at) {
  return impl_->write<void>([&](Connection& c) {
    return sqlite::record_deflection_ticket(c, session, user, ticket, since, at);
  });
}

Result<StaffingMeasures> SqliteStore::staffing_measures(const StaffingQuery& query,
                                                        Timestamp now) {
  return impl_->read([&](Connection& c) { return sqlite::load_staffing_measures(c, query, now); });
}

Result<ConfigDocument> SqliteStore::save_setting(const ConfigDocument& doc, const Event& event) {
  return impl_->write<ConfigDocument>([&](Connection& c) {
    return sqlite::save_current_document(c, "settings", "setting", doc, event);
  });
}

Result<ConfigDocument> SqliteStore::setting(std::string_view name) {
  return impl_->read(
      [&](Connection& c) { return sqlite::load_current_document(c, "settings", "setting", name); });
}

Result<DeflectionFigures> SqliteStore::deflection_figures(Timestamp from, Timestamp to,
                                                          Timestamp now,
                                                          std::chrono::milliseconds window) {
  return impl_->read(
      [&](Connection& c) { return sqlite::load_deflection_figures(c, from, to, now, window); });
}

}  // namespace fl
