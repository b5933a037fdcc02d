// The embedded Store: one SQLite file in WAL mode, the default for a single `firstline`
// process. Writes go through one writer thread that groups concurrent writes into one
// durable commit; reads run on a pool of read-only connections and never wait for writes.
// SQLite itself stays private to this module (no sqlite3.h here).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>

#include "store/store.hpp"

namespace fl {

struct SqliteOptions {
  // FULL: each commit is fsynced and survives power loss. NORMAL (false) survives a crash of
  // the process but may lose the last commits on power loss.
  bool synchronous_full = true;
  int max_batch = 256;  // most writes grouped into one commit (>= 1)
  int readers = 8;      // read connections; a read waits only when all are busy (>= 1)
};

// What the writer has done since open, for metrics and for checking that grouping works.
struct SqliteWriteStats {
  std::int64_t commits = 0;        // transactions committed, one fsync each
  std::int64_t writes = 0;         // write calls that committed
  std::int64_t failed_writes = 0;  // write calls that returned an error
};

// Thread-safe. Every write blocks its caller until it is durably committed (see Store).
// Destroying the store finishes queued writes, then closes the file.
class SqliteStore final : public Store {
 public:
  // Opens (creating if missing) the database file and brings its schema up to date.
  // Errors: unavailable if the file cannot be opened or is not usable in WAL mode;
  // failed_precondition if a newer Firstline wrote it; invalid_argument for bad options.
  [[nodiscard]] static Result<std::unique_ptr<SqliteStore>> open(const std::filesystem::path& file,
                                                                 SqliteOptions options = {});

  // The schema version this build migrates files to.
  [[nodiscard]] static int latest_schema_version();

  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  [[nodiscard]] SqliteWriteStats write_stats() const;

  [[nodiscard]] int schema_version() const override;

  Result<User> insert_user(const UserRecord& record, const Event& event) override;
  Result<UserRecord> user_record_by_login(std::string_view login) override;
  Result<User> user(UserId id) override;
  Result<std::vector<User>> users(std::optional<Role> role) override;
  Result<void> set_password_hash(UserId id, const std::string& hash) override;

  Result<Team> insert_team(const Team& team, const Event& event) override;
  Result<Team> team(TeamId id) override;
  Result<std::vector<Team>> teams() override;
  // Skills: invalid_argument for one that is empty or holds U+001F (here and in insert_user).
  Result<Team> update_team_routing(TeamId id, AssignmentMode mode, bool skill_routing,
                                   const Event& event) override;
  Result<User> update_user_availability(UserId id, Availability availability,
                                        const Event& event) override;
  Result<User> update_user_skills(UserId id, const std::vector<std::string>& skills,
                                  const Event& event) override;
  // not_found for an unknown team.
  Result<std::vector<AssignmentLoad>> assignment_load(TeamId team) override;
  Result<std::vector<User>> users_by_phone(std::string_view phone) override;
  Result<std::vector<User>> staff_by_extension(std::string_view extension) override;
  Result<User> update_user(const User& user, const Event& event,
                           const std::optional<std::string>& new_password_hash) override;
  Result<Team> update_team(const Team& team, const Event& event) override;
  Result<Organization> update_organization(const Organization& org, const Event& event) override;

  Result<Organization> insert_organization(const Organization& org, const Event& event) override;
  Result<Organization> organization(OrganizationId id) override;
  Result<std::vector<Organization>> organizations() override;

  Result<Credential> insert_credential(const Credential& credential) override;
  Result<Credential> credential_by_hash(std::string_view token_hash) override;
  Result<std::vector<Credential>> credentials_of(UserId user, CredentialKind kind) override;
  Result<Credential> revoke_credential(UserId user, CredentialId id) override;

  Result<Ticket> ticket_by_number(TicketNumber number) override;
  Result<std::vector<User>> users_by_email(std::string_view email) override;
  Result<void> record_mail(const MailRecord& mail) override;
  Result<std::optional<MailRecord>> seen_mail(std::string_view message_id,
                                              std::string_view dedupe_hash) override;
  Result<std::int64_t> tickets_created_by_mail(std::string_view sender, Timestamp since) override;
  Result<std::vector<MailRecord>> received_mail(TicketId ticket) override;
  Result<CommittedChange> commit(const TicketChange& change) override;
  Result<Ticket> ticket(TicketId id) override;
  Result<TicketPage> tickets(const TicketQuery& query) override;
  Result<std::vector<Entry>> entries(TicketId ticket) override;
  Result<std::vector<Event>> ticket_events(TicketId ticket) override;
  // At most min(limit, 1000) events; none for limit <= 0.
  Result<std::vector<Event>> events_after(EventId after, int limit) override;
  Result<EventId> latest_event_id() override;
  Result<std::vector<TicketCount>> ticket_counts() override;
  Result<std::vector<SlaRiskCount>> sla_risk_counts(Timestamp now) override;
  Result<std::vector<QueueCount>> queue_counts(const TicketScope& scope, Timestamp now) override;
  // `limit` is clamped to 1..10000.
  Result<std::vector<TicketId>> tickets_due_for_sla(Timestamp now, int limit) override;

  Result<Attachment> insert_upload(const NewAttachment& upload) override;
  Result<Attachment> attachment(AttachmentId id) override;
  Result<std::string> attachment_content(AttachmentId id) override;
  // `limit` is clamped to 1..10000.
  Result<std::int64_t> delete_unused_uploads(Timestamp before, int limit) override;

  Result<SavedView> save_view(const SavedView& view) override;
  Result<SavedView> saved_view(SavedViewId id) override;
  Result<std::vector<SavedView>> saved_views(UserId user, const std::vector<TeamId>& teams) override;
  Result<void> delete_view(SavedViewId id) override;

  Result<ConfigDocument> save_calendar(const ConfigDocument& doc, const Event& event) override;
  Result<std::vector<ConfigDocument>> calendars() override;
  Result<ConfigDocument> save_sla_policy(const ConfigDocument& doc, const Event& event) override;
  Result<std::vector<ConfigDocument>> sla_policies() override;
  Result<ConfigDocument> sla_policy_version(std::int64_t id, std::int64_t version) override;

  // Tags: invalid_argument for one that is empty or holds U+001F.
  Result<Macro> save_macro(const Macro& macro, const Event& event) override;
  Result<Macro> macro(MacroId id) override;
  Result<std::vector<Macro>> macros() override;
  Result<BotFlowRecord> seed_bot_flow(std::string_view id, std::string_view shipped,
                                      Timestamp now) override;
  Result<BotFlowRecord> save_bot_flow(const BotFlowRecord& flow, const Event& event) override;
  Result<BotFlowRecord> bot_flow(std::string_view id) override;
  Result<std::vector<BotFlowRecord>> bot_flows() override;
  Result<std::vector<BotFlowVersion>> bot_flow_versions(std::string_view id) override;

  Result<EventId> notification_cursor() override;
  // A missing user or ticket: invalid_argument, and neither notifications nor cursor stored.
  Result<void> add_notifications(const std::vector<Notification>& notifications,
                                 EventId cursor) override;
  // `query.limit` is clamped to 1..200.
  Result<std::vector<Notification>> notifications(const NotificationQuery& query) override;
  Result<std::int64_t> unread_notifications(UserId user) override;
  Result<std::int64_t> mark_notifications_read(UserId user, const std::vector<NotificationId>& ids,
                                               Timestamp at) override;

  Result<EventId> feed_cursor(std::string_view name) override;
  Result<void> set_feed_cursor(std::string_view name, EventId at) override;
  Result<ConfigDocument> save_rule(const ConfigDocument& doc, const Event& event) override;
  Result<std::vector<ConfigDocument>> rules() override;
  // A timer of a ticket not listed, or of an unknown rule or ticket: invalid_argument, and
  // nothing replaced.
  Result<void> replace_rule_timers(const std::vector<TicketId>& tickets,
                                   const std::vector<RuleTimer>& timers) override;
  // `limit` is clamped to 1..10000.
  Result<std::vector<RuleTimer>> rule_timers_due(Timestamp now, int limit) override;

  // Event types: invalid_argument for one that holds U+001F.
  // --- outbound mail ---
  Result<void> enqueue_mail(const std::vector<OutboundMail>& mail,
                            std::optional<EventId> cursor) override;
  Result<std::vector<OutboundMail>> claim_mail(Timestamp now, std::chrono::milliseconds lease,
                                               int limit) override;
  Result<OutboundMail> record_mail_attempt(const MailAttempt& attempt) override;
  Result<std::vector<OutboundMail>> ticket_mail(TicketId ticket) override;
  Result<OutboundMail> resend_mail(MailId id, Timestamp at) override;

  Result<Webhook> save_webhook(const Webhook& webhook, const Event& event) override;
  Result<Webhook> webhook(WebhookId id) override;
  Result<std::vector<Webhook>> webhooks() override;
  // An unknown webhook: invalid_argument, and neither deliveries nor cursor stored.
  Result<void> enqueue_deliveries(const std::vector<WebhookDelivery>& deliveries,
                                  std::optional<EventId> cursor) override;
  // `limit` is clamped to 1..1000. Nothing due: no write at all.
  Result<std::vector<WebhookDelivery>> claim_deliveries(
      Timestamp now, std::chrono::milliseconds lease, int limit, int per_webhook,
      const std::vector<WebhookId>& busy) override;
  Result<WebhookDelivery> record_delivery_attempt(const DeliveryAttempt& attempt) override;
  // `limit` is clamped to 1..200.
  Result<std::vector<WebhookDelivery>> deliveries(WebhookId webhook,
                                                  std::optional<DeliveryId> before,
                                                  int limit) override;
  Result<WebhookDelivery> delivery(DeliveryId id) override;
  Result<WebhookDelivery> redeliver(DeliveryId id, Timestamp at) override;
  // `limit` is clamped to 1..10000.
  Result<std::int64_t> prune_deliveries(Timestamp before, int limit) override;

  Result<Category> insert_category(const Category& category, const Event& event) override;
  Result<Category> update_category(const Category& category, const Event& event) override;
  Result<std::vector<Category>> categories() override;
  Result<Article> save_article(const Article& article, const Event& event) override;
  Result<Article> article(ArticleId id) override;
  Result<std::vector<Article>> articles(const ArticleFilter& filter) override;
  Result<std::vector<Article>> article_history(ArticleId id) override;
  Result<void> count_article_view(ArticleId id) override;
  Result<void> record_article_vote(ArticleId id, std::string_view voter, bool helpful) override;
  Result<void> save_article_revision(const Article& proposal, const Event& event) override;
  Result<Article> article_revision(ArticleId id) override;
  Result<void> drop_article_revision(ArticleId id, const std::optional<Event>& event) override;
  Result<void> link_article(const ArticleLink& link, const Event& event) override;
  Result<std::vector<ArticleLink>> article_links(TicketId ticket) override;

  Result<std::vector<std::vector<std::string>>> synonym_groups() override;
  Result<void> replace_synonym_groups(const std::vector<std::vector<std::string>>& groups,
                                      const Event& event) override;
  Result<void> insert_bot_session(const BotSession& session,
                                  const std::vector<BotTurn>& turns) override;
  Result<void> update_bot_session(const BotSession& session,
                                  const std::vector<BotTurn>& turns) override;
  Result<BotSession> bot_session(std::string_view id) override;
  Result<std::vector<BotTurn>> bot_turns(std::string_view session) override;
  Result<std::int64_t> count_bot_sessions(std::string_view client_key, Timestamp since) override;
  Result<std::int64_t> count_bot_user_turns(std::string_view session, Timestamp since) override;
  Result<std::int64_t> abandon_idle_bot_sessions(Timestamp idle_before) override;
  Result<std::vector<TicketFacts>> report_ticket_facts(const std::vector<TicketId>& ids) override;
  Result<void> save_report_facts(const std::vector<TicketFacts>& tickets, const FactChanges& changes,
                                 EventId cursor) override;
  Result<void> reset_report_facts() override;
  Result<Report> report(std::string_view name, const ReportFilter& filter, Timestamp now) override;
  Result<std::vector<TicketId>> report_drill(std::string_view name, std::string_view figure,
                                             const ReportFilter& filter, Timestamp now,
                                             int limit) override;
  Result<StaffingMeasures> staffing_measures(const StaffingQuery& query, Timestamp now) override;
  Result<ConfigDocument> save_setting(const ConfigDocument& doc, const Event& event) override;
  Result<ConfigDocument> setting(std::string_view name) override;
  Result<void> insert_live_chat(const LiveChat& chat, const Event& event) override;
  Result<void> update_live_chat(const LiveChat& chat, LiveChatStatus expected,
                                const Event& event) override;
  Result<LiveChat> live_chat(TicketId ticket) override;
  Result<std::vector<LiveChat>> open_live_chats() override;
  Result<void> start_deflection_session(const DeflectionSession& session,
                                        const std::vector<ArticleId>& suggested) override;
  Result<void> record_deflection_open(std::string_view session, ArticleId article,
                                      Timestamp at) override;
  Result<void> record_deflection_ticket(std::optional<std::string_view> session,
                                        std::optional<UserId> user, TicketId ticket,
                                        Timestamp since, Timestamp at) override;
  Result<DeflectionFigures> deflection_figures(Timestamp from, Timestamp to, Timestamp now,
                                               std::chrono::milliseconds window) override;

 private:
  struct Impl;
  explicit SqliteStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fl
