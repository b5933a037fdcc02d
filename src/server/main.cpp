// firstline: the command line and the composition root — the only place that knows which
// adapters (SQLite, libsodium, Beast) serve the ports.
#include <sodium.h>
#include <spdlog/fmt/fmt.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <date/tz.h>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <limits>
#include <mutex>
#include <stop_token>
#include <thread>

#include "app/attachments.hpp"
#include "app/auth_service.hpp"
#include "app/bot_brain.hpp"
#include "app/bot_service.hpp"
#include "app/live_chat.hpp"
#include "app/report_service.hpp"
#include "app/reports.hpp"
#include "app/weekly_summary.hpp"
#include "app/staff.hpp"
#include "llm/openai_client.hpp"
#include "app/deflection.hpp"
#include "app/directory_service.hpp"
#include "app/kb_transfer.hpp"
#include "app/knowledge_base.hpp"
#include "app/live_feed.hpp"
#include "app/bot_flows.hpp"
#include "app/macro_service.hpp"
#include "app/mail_intake.hpp"
#include "app/mail_service.hpp"
#include "app/notification_service.hpp"
#include "app/reply_mail.hpp"
#include "app/rule_service.hpp"
#include "app/search_service.hpp"
#include "app/sla_service.hpp"
#include "app/staffing_service.hpp"
#include "app/telephony.hpp"
#include "app/ticket_service.hpp"
#include "app/webhook_service.hpp"
#include "auth/sodium_secrets.hpp"
#include "bot/shipped.hpp"
#include "core/text.hpp"
#include "http/api.hpp"
#include "http/api_bot_socket.hpp"
#include "http/api_events.hpp"
#include "http/api_phone.hpp"
#include "http/live_json.hpp"
#include "http/metrics.hpp"
#include "http/server.hpp"
#include "jobs/scheduler.hpp"
#include "mail/imap_poller.hpp"
#include "mail/mime_parser.hpp"
#include "server/config.hpp"
#include "server/demo.hpp"
#include "server/openapi.hpp"
#include "smtp/curl_smtp.hpp"
#include "staffing/simulate_command.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "webhooks/curl_sender.hpp"

namespace fl {
namespace {

// The web UI's folder: server.static_dir as configured; left at its default (the build tree's
// web/dist) but missing, the copy `cmake --install` put beside the executable
// (<prefix>/share/firstline/web), so an installed firstline serves its own UI.
std::string web_folder(const std::string& configured) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (configured != FL_DEFAULT_STATIC_DIR || fs::is_directory(configured, ec)) return configured;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return configured;
  const fs::path installed = exe.parent_path().parent_path() / "share" / "firstline" / "web";
  return fs::is_directory(installed, ec) ? installed.string() : configured;
}

constexpr std::string_view kVersion = "0.1.0";

// 2, except under `mailgate`: there a configuration that cannot be read is EX_TEMPFAIL (75),
// so the MTA keeps the message until the configuration is mended instead of bouncing it.
int die_code = 2;

[[noreturn]] void die(const std::string& message) {
  std::cerr << "firstline: " << message << "\n";
  std::exit(die_code);
}

template <class T>
T or_die(Result<T> r) {
  if (!r) die(r.error().message);
  return std::move(*r);
}

void or_die(Result<void> r) {
  if (!r) die(r.error().message);
}

MailIntakeOptions mail_intake_options(const Config& c) {
  MailIntakeOptions o;
  for (const auto& m : c.mail_mailboxes) o.mailboxes.push_back({m.name, m.team});
  o.our_address = c.mail_address;
  o.max_new_tickets_per_sender_per_hour = c.mail_new_tickets_per_sender_per_hour;
  o.max_attachment_bytes = c.attachment_max_bytes;
  return o;
}

// Everything a command needs, wired once.
struct Desk {
  std::unique_ptr<SqliteStore> store;
  SystemClock clock;
  std::unique_ptr<SodiumPasswordHasher> hasher;
  SodiumTokenMinter tokens;
  std::unique_ptr<DirectoryService> directory;
  std::unique_ptr<SlaService> sla;
  std::unique_ptr<NotificationService> notifications;
  // Outbound mail: replies are queued in their commit (none while mail.smtp_url is empty);
  // the mail service (serve only) queues notifications and sends.
  std::unique_ptr<ReplyMail> reply_mail;
  std::unique_ptr<CurlSmtpTransport> smtp;
  std::unique_ptr<MailService> mail;
  std::unique_ptr<TicketService> tickets;
  std::unique_ptr<AttachmentService> attachments;
  std::unique_ptr<MacroService> macros;
  std::unique_ptr<BotFlowCatalog> bot_flows;
  std::unique_ptr<SavedViewService> views;
  std::unique_ptr<RuleService> rules;
  std::unique_ptr<KnowledgeBase> knowledge;
  std::unique_ptr<AuthService> auth;
  // Outbound webhooks: the sender's thread starts with the first post.
  std::unique_ptr<CurlWebhookSender> webhook_sender;
  std::unique_ptr<WebhookService> webhooks;
  // Search: opened only by the commands that need it (an index has one writer process).
  std::unique_ptr<KnowledgeIndex> article_index;
  std::unique_ptr<TicketIndex> ticket_index;
  std::unique_ptr<SearchService> search;
  std::unique_ptr<DeflectionService> deflection;
  std::unique_ptr<mail::MimeMailParser> mail_parser;
  std::unique_ptr<MailIntake> mail_intake;

  // `fresh`: the folders of the indexes to rebuild, removed first.
  void open_search(const Config& c, std::vector<std::string_view> fresh = {}) {
    std::filesystem::path dir = std::filesystem::path(c.data_dir) / "search";
    for (std::string_view index : fresh) {
      std::error_code ec;
      std::filesystem::remove_all(dir / index, ec);
      if (ec) die("cannot remove " + (dir / index).string() + ": " + ec.message());
    }
    // A search is CPU work: more at once than cores only makes each slower. Measured on two
    // cores, 50 clients searching every 100 ms: kb/search p99 29-40 ms with 32 at once (cache
    // off); with the cache, 22 and 19 ms with 1, 11.0-11.5 ms with 2, 12.6-13.4 ms with 4 (25 s
    // runs, alternated). Saturated, one per core gives a tenth less throughput than two.
    int searches = c.concurrent_searches > 0
                       ? c.concurrent_searches
                       : std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
    SearchIndexOptions options{static_cast<std::size_t>(searches),
                               static_cast<std::size_t>(c.result_cache)};
    article_index = or_die(KnowledgeIndex::open(dir / "articles", options));
    ticket_index = or_die(TicketIndex::open(dir / "tickets", options));
    search = std::make_unique<SearchService>(*store, *article_index, *ticket_index);
    deflection = std::make_unique<DeflectionService>(*store, *search, tokens, clock);
  }

  explicit Desk(const Config& c) {
    std::filesystem::path dir = c.data_dir;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) die("cannot create data folder " + dir.string() + ": " + ec.message());
    SqliteOptions options;
    options.synchronous_full = c.synchronous_full;
    options.max_batch = c.max_batch;
    store = or_die(SqliteStore::open(dir / "firstline.db", options));
    auto cost = parse_name<PasswordCost>(c.password_cost).value_or(PasswordCost::interactive);
    hasher = std::make_unique<SodiumPasswordHasher>(cost);
    directory = std::make_unique<DirectoryService>(
        *store, *hasher, clock,
        DirectoryOptions{.default_country_code = c.phone_default_country_code});
    notifications = std::make_unique<NotificationService>(*store, clock);
    sla = std::make_unique<SlaService>(*store, clock);
    or_die(sla->load());
    if (!c.mail_smtp_url.empty()) reply_mail = std::make_unique<ReplyMail>(*store);
    tickets = std::make_unique<TicketService>(*store, clock, sla.get(), c.attachment_max_bytes,
                                              reply_mail.get());
    attachments = std::make_unique<AttachmentService>(
        *store, clock, AttachmentOptions{.max_bytes = c.attachment_max_bytes});
    macros = std::make_unique<MacroService>(*store, *tickets, clock);
    bot_flows = std::make_unique<BotFlowCatalog>(*store, clock, bot::shipped_flows());
    or_die(bot_flows->start());
    views = std::make_unique<SavedViewService>(*store, clock);
    knowledge = std::make_unique<KnowledgeBase>(*store, clock);
    AuthOptions auth_options;
    auth_options.session_lifetime = std::chrono::hours(c.session_hours);
    auth = std::make_unique<AuthService>(*store, *hasher, tokens, *directory, clock, auth_options);
    open_webhooks(c);
    rules = std::make_unique<RuleService>(*store, clock, *sla, webhooks.get(), reply_mail.get());
    or_die(rules->load());
    open_mail_intake(c);
  }

  void open_mail_intake(const Config& c) {
    mail_parser = std::make_unique<mail::MimeMailParser>();
    mail_intake = std::make_unique<MailIntake>(*store, *tickets, *directory, *mail_parser, clock,
                                               mail_intake_options(c));
  }

  ~Desk() {
    // The sender calls back into the webhook service and the store: it stops before they go.
    if (webhook_sender) webhook_sender->stop();
  }

  // After open_search (acknowledgements link the articles that match a new ticket).
  void open_mail(const Config& c) {
    if (!c.mail_smtp_url.empty() && c.mail_address.empty())
      die("mail.smtp_url is set but mail.address is not: outbound mail needs a From address");
    smtp = std::make_unique<CurlSmtpTransport>(SmtpOptions{.url = c.mail_smtp_url,
                                                           .user = c.mail_smtp_user,
                                                           .password = c.mail_smtp_password,
                                                           .require_starttls = c.mail_smtp_starttls,
                                                           .ca_file = c.mail_smtp_ca_file,
                                                           .tls_verify = c.mail_smtp_tls_verify});
    if (!c.mail_smtp_url.empty() && !c.mail_smtp_tls_verify)
      spdlog::warn("mail: smtp_tls_verify = false: the SMTP server's certificate is not checked");
    const std::filesystem::path templates_dir = this->templates_dir(c);
    MailOptions options;
    options.address = c.mail_address;
    options.from_name = c.mail_from_name;
    options.base_url = c.mail_base_url;
    options.enabled = !c.mail_smtp_url.empty();
    options.retry.max_attempts = c.mail_max_attempts;
    options.retry.first_delay = std::chrono::seconds(c.mail_first_retry_seconds);
    options.max_attachment_bytes = c.mail_max_attachment_bytes;
    options.warn = [](std::string_view line) { spdlog::warn("mail: {}", line); };
    auto finder = [this](const Ticket& t, int limit) {
      std::vector<std::pair<std::int64_t, std::string>> out;
      auto requester = store->user(t.requester);
      if (!requester) return out;
      // As the requester would find them: public, published articles only.
      Actor actor{.user = *requester};
      if (auto hits = search->articles_for_ticket(actor, t.id, limit))
        for (const auto& h : *hits) out.emplace_back(h.id, h.title);
      return out;
    };
    mail = std::make_unique<MailService>(*store, clock, *smtp,
                                         or_die(MailTemplates::load(templates_dir)), finder,
                                         std::move(options));
  }

  static std::filesystem::path templates_dir(const Config& c) {
    return c.mail_templates_dir.empty() ? std::filesystem::path(c.data_dir) / "mail-templates"
                                        : std::filesystem::path(c.mail_templates_dir);
  }

  void open_webhooks(const Config& c) {
    const std::chrono::seconds timeout(c.webhook_timeout_seconds);
    webhook_sender = std::make_unique<CurlWebhookSender>(CurlSenderOptions{
        .connect_timeout = std::chrono::seconds(c.webhook_connect_timeout_seconds),
        .total_timeout = timeout});
    WebhookOptions options;
    options.retry.max_attempts = c.webhook_max_attempts;
    options.retry.first_delay = std::chrono::seconds(c.webhook_first_retry_seconds);
    options.max_in_flight = c.webhook_max_in_flight;
    // Longer than any attempt can take, so a delivery in flight is never sent twice at once.
    options.lease = 2 * timeout + std::chrono::minutes(1);
    options.user_agent = "Firstline-Webhook/" + std::string(kVersion);
    options.warn = [](std::string_view line) { spdlog::warn("{}", line); };
    webhooks = std::make_unique<WebhookService>(*store, clock, *webhook_sender, std::move(options));
  }
};

std::string random_password() {
  constexpr std::string_view alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string out;
  for (int i = 0; i < 16; ++i)
    out += alphabet[randombytes_uniform(static_cast<std::uint32_t>(alphabet.size()))];
  return out;
}

std::string metrics_gauges(Store& store) {
  auto counts = store.ticket_counts();
  if (!counts) return "";
  std::string out =
      "# HELP firstline_tickets Tickets by status and support line.\n# TYPE firstline_tickets "
      "gauge\n";
  for (const auto& c : *counts)
    out += "firstline_tickets{status=\"" + std::string(name_of(c.status)) + "\",line=\"" +
           std::to_string(c.line) + "\"} " + std::to_string(c.count) + "\n";
  return out;
}

// The supervisor's live view: SLA clocks at risk and breached, and the agents available (set
// available and with the console open) by line.
std::string desk_gauges(Store& store, const LiveFeed& live, Timestamp now) {
  std::string out;
  if (auto risk = store.sla_risk_counts(now)) {
    out +=
        "# HELP firstline_sla_tickets Unsolved tickets whose SLA clocks are at risk or breached, "
        "by line.\n# TYPE firstline_sla_tickets gauge\n";
    for (const auto& r : *risk)
      out += fmt::format(
          "firstline_sla_tickets{{state=\"at_risk\",line=\"{}\"}} {}\n"
          "firstline_sla_tickets{{state=\"breached\",line=\"{}\"}} {}\n",
          r.line, r.at_risk, r.line, r.breached);
  }
  auto teams = store.teams();
  if (!teams) return out;
  std::array<int, 5> available{}, online{};
  auto staff = available_staff(store);
  if (!staff) return out;
  for (const auto& u : *staff) {
    std::array<bool, 5> in_line{};
    for (TeamId id : u.teams)
      for (const auto& t : *teams)
        if (t.id == id && t.line >= 1 && t.line <= 4) in_line[static_cast<std::size_t>(t.line)] = true;
    const bool connected = live.connected(u.id);
    for (std::size_t line = 1; line <= 4; ++line)
      if (in_line[line]) {
        ++available[line];
        online[line] += connected;
      }
  }
  out +=
      "# HELP firstline_agents_available Staff set available, by line (one counted in each line "
      "of their teams); online: with the console open on this node.\n"
      "# TYPE firstline_agents_available gauge\n";
  for (std::size_t line = 1; line <= 4; ++line)
    out += fmt::format(
        "firstline_agents_available{{line=\"{}\"}} {}\n"
        "firstline_agents_available{{line=\"{}\",online=\"true\"}} {}\n",
        line, available[line], line, online[line]);
  return out;
}

// "a, b" -> {"a", "b"}.
std::vector<std::string> comma_list(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    auto comma = text.find(',');
    std::string item = trim(text.substr(0, comma));
    if (!item.empty()) out.push_back(std::move(item));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
  }
  return out;
}

std::string live_gauges(const LiveFeed& live) {
  auto s = live.stats();
  return fmt::format(
      "# HELP firstline_live_clients Clients connected to the live event feed.\n"
      "# TYPE firstline_live_clients gauge\n"
      "firstline_live_clients {}\n"
      "# HELP firstline_live_messages_total Messages queued to live feed clients (sent) or "
      "refused because the client was gone or too slow (dropped).\n"
      "# TYPE firstline_live_messages_total counter\n"
      "firstline_live_messages_total{{result=\"sent\"}} {}\n"
      "firstline_live_messages_total{{result=\"dropped\"}} {}\n"
      "# HELP firstline_live_lag_seconds From a ticket event's time (before its commit) to its "
      "messages being queued to live feed clients.\n"
      "# TYPE firstline_live_lag_seconds summary\n"
      "firstline_live_lag_seconds_sum {:.3f}\n"
      "firstline_live_lag_seconds_count {}\n"
      "# HELP firstline_live_lag_max_seconds The longest such delay since the start.\n"
      "# TYPE firstline_live_lag_max_seconds gauge\n"
      "firstline_live_lag_max_seconds {:.3f}\n",
      s.clients, s.messages, s.dropped, static_cast<double>(s.lag_ms_sum) / 1000, s.events,
      static_cast<double>(s.lag_ms_max) / 1000);
}

// Background work (the search follower, the scheduler) yields the cores to requests: a burst of
// ticket creation is answered first and indexed a moment later (Linux nice values are per
// thread). bench/api_load: ticket creation 4,857 -> 5,959-6,206 tickets/s.
void background_priority() {
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10) != 0)
    spdlog::debug("could not lower a background thread's priority: {}", std::strerror(errno));
}

// [[mail.mailboxes]] with a url, as the IMAP poller takes them.
std::vector<ImapMailbox> imap_mailboxes(const Config& c) {
  std::vector<ImapMailbox> out;
  for (const auto& m : c.mail_mailboxes) {
    if (m.url.empty()) continue;
    ImapMailbox box;
    box.name = m.name;
    box.account = {.url = m.url,
                   .user = m.user,
                   .password = m.password,
                   .starttls = m.starttls,
                   .tls_verify = m.tls_verify,
                   .ca_file = m.ca_file,
                   .connect_timeout = std::chrono::seconds(m.connect_timeout_seconds),
                   .command_timeout = std::chrono::seconds(m.timeout_seconds)};
    // The configuration checked these already; the IMAP module has the last word on names.
    for (const std::string& folder : {m.move_to, m.quarantine})
      if (auto wire = imap_mailbox_name(folder); !wire)
        die("mail.mailboxes '" + m.name + "': '" + folder + "': " + wire.error().message);
    if (auto folder = imap_folder(m.url); !folder)
      die("mail.mailboxes '" + m.name + "': url: " + folder.error().message);
    box.after = m.after == "move"     ? AfterIngest::move
                : m.after == "delete" ? AfterIngest::remove
                                      : AfterIngest::mark_seen;
    box.move_to = m.move_to;
    box.quarantine = m.quarantine;
    box.interval = std::chrono::seconds(m.interval_seconds);
    box.max_message_bytes = static_cast<std::uint64_t>(m.max_message_bytes);
    if (!m.tls_verify)
      spdlog::warn("mail {}: tls_verify = false: the server's certificate is not checked", m.name);
    out.push_back(std::move(box));
  }
  return out;
}

int serve(const Config& c) {
  auto listen = or_die(parse_listen(c.listen));
  auto mailboxes = imap_mailboxes(c);  // before anything runs: a bad one stops the start
  Desk desk(c);
  desk.open_search(c);
  desk.open_mail(c);
  // Catch up with changes the indexes missed (a crash, an offline import, a new index
  // format), then follow the event feed: a change is searchable within a fraction of a
  // second. In the background, so the desk answers at once; until the catch-up is done,
  // searches may miss what changed while the server was down.
  std::jthread follower([&desk](std::stop_token stop) {
    background_priority();
    constexpr int kBatch = 10'000;  // events per call: a stop request waits for one at most
    constexpr auto kPoll = std::chrono::milliseconds(200);
    constexpr auto kMaxBackoff = std::chrono::seconds(30);
    long long missed = 0;
    bool starting = true;
    auto wait = kPoll;  // doubled after each failure in a row, so a lasting fault logs rarely
    std::mutex m;
    std::condition_variable_any woken;  // only a stop request wakes it early
    while (!stop.stop_requested()) {
      auto applied = desk.search->catch_up(kBatch);
      if (!applied) {
        spdlog::error("search: {} (retrying in {} ms)", applied.error().message,
                      std::chrono::duration_cast<std::chrono::milliseconds>(wait).count());
      } else {
        wait = kPoll;
        if (starting) {
          missed += *applied;
          if (*applied < kBatch) {
            starting = false;
            if (missed > 0)
              spdlog::info("search: applied {} events the indexes had missed", missed);
          }
        }
        if (*applied == kBatch) continue;  // more to apply: no pause
      }
      std::unique_lock lock(m);
      woken.wait_for(lock, stop, wait, [] { return false; });
      if (!applied) wait = std::min<std::chrono::milliseconds>(wait * 2, kMaxBackoff);
    }
  });
  // SLA ladders and breaches: tickets whose check time has come, every few seconds (the
  // first tick at start fires what fell due while the server was down).
  Scheduler scheduler(desk.clock);
  scheduler.add("sla", std::chrono::seconds(c.sla_check_seconds), [&desk](Timestamp now) {
    constexpr int kBatch = 500;
    for (;;) {
      auto checked = desk.sla->check_due(now, kBatch);
      if (!checked) {
        spdlog::error("sla: {}", checked.error().message);
        return;  // the next tick tries again
      }
      if (*checked < kBatch) return;
    }
  });
  // In-app notifications follow the event feed (a fraction of a second behind).
  scheduler.add("notifications", std::chrono::milliseconds(200), [&desk](Timestamp) {
    constexpr int kBatch = 1000;
    for (;;) {
      auto read = desk.notifications->follow(kBatch);
      if (!read) {
        spdlog::error("notifications: {}", read.error().message);
        return;
      }
      if (*read < kBatch) return;
    }
  });
  // Rules: triggers follow the event feed (a fraction of a second behind); time-based rules
  // fire when their timers fall due (the first tick fires what fell due while down).
  scheduler.add("rules", std::chrono::milliseconds(200), [&desk](Timestamp) {
    constexpr int kBatch = 1000;
    for (;;) {
      auto read = desk.rules->follow(kBatch);
      if (!read) {
        spdlog::error("rules: {}", read.error().message);
        return;
      }
      if (*read < kBatch) return;
    }
  });
  // Webhooks: the follower queues deliveries a fraction of a second after each event.
  scheduler.add("webhooks", std::chrono::milliseconds(200), [&desk](Timestamp) {
    constexpr int kBatch = 1000;
    for (;;) {
      auto read = desk.webhooks->follow(kBatch);
      if (!read) {
        spdlog::error("webhooks: {}", read.error().message);
        return;
      }
      if (*read < kBatch) return;
    }
  });
  // Report facts follow the whole history. A first start after an upgrade reads it all, at
  // most a few batches a tick, so the other jobs (SLA checks) keep their pace. The SLA clocks
  // of the tickets in each batch are replayed by the SLA service.
  ReportFacts report_facts(*desk.store, 2000,
                           [sla = desk.sla.get()](const Ticket& t) { return sla->clock_facts(t); });
  scheduler.add("reports", std::chrono::seconds(2), [&report_facts](Timestamp) {
    if (auto read = report_facts.catch_up(10); !read)
      spdlog::error("reports: {}", read.error().message);
  });
  // The weekly summary to supervisors, when asked for and mail goes out.
  std::unique_ptr<WeeklySummary> weekly;
  MailTemplates weekly_templates;
  if (c.reports_weekly_summary && c.mail_smtp_url.empty())
    spdlog::warn("reports.weekly_summary is on but mail.smtp_url is empty: no summary is sent");
  if (c.reports_weekly_summary && !c.mail_smtp_url.empty()) {
    weekly_templates = or_die(MailTemplates::load(desk.templates_dir(c)));
    weekly = std::make_unique<WeeklySummary>(
        *desk.store, desk.clock, *desk.smtp, weekly_templates,
        WeeklySummaryOptions{c.mail_address, c.mail_from_name, c.mail_base_url});
    scheduler.add("weekly_summary", std::chrono::minutes(5), [&weekly](Timestamp) {
      if (auto sent = weekly->send_due(); !sent)
        spdlog::warn("reports: the weekly summary failed, tried again later: {}",
                     sent.error().message);
      else if (*sent > 0)
        spdlog::info("reports: the weekly summary went to {} supervisors", *sent);
    });
  }
  scheduler.add("rule_timers", std::chrono::seconds(c.sla_check_seconds), [&desk](Timestamp now) {
    constexpr int kBatch = 200;
    for (;;) {
      auto fired = desk.rules->fire_due(now, kBatch);
      if (!fired) {
        spdlog::error("rule timers: {}", fired.error().message);
        return;
      }
      if (*fired < kBatch) return;
    }
  });
  // Uploads nobody used within a day (a reply never sent) go, with blobs nothing else uses.
  scheduler.add("attachments", std::chrono::hours(1), [&desk](Timestamp now) {
    constexpr int kBatch = 500;
    for (;;) {
      auto deleted = desk.attachments->delete_unused(now, kBatch);
      if (!deleted) {
        spdlog::error("attachments: {}", deleted.error().message);
        return;
      }
      if (*deleted > 0) spdlog::info("attachments: {} unused uploads removed", *deleted);
      if (*deleted < kBatch) return;
    }
  });
  // A follower's very first run starts at the newest event. It runs here, before the server
  // answers anything: run by the scheduler, it could come after the first requests and skip
  // their events (a fresh install's first ticket would reach no webhook and no rule).
  or_die(desk.notifications->follow(1));
  or_die(desk.rules->follow(1));
  or_die(desk.webhooks->follow(1));
  or_die(desk.mail->follow(1));
  scheduler.start(std::chrono::milliseconds(100), background_priority);
  // Sending runs on a scheduler of its own: its job claims again whenever an answer frees a
  // slot, for most of each second, and must not hold up SLA checks and notifications.
  Scheduler outbound(desk.clock);
  outbound.add("deliveries", std::chrono::seconds(1), [&desk](Timestamp) {
    constexpr int kBatch = 64;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(900);
    do {
      auto started = desk.webhooks->deliver_due(desk.clock.now(), kBatch);
      if (!started) {
        spdlog::error("webhook deliveries: {}", started.error().message);
        return;
      }
    } while (desk.webhooks->wait_for_answer(deadline));
  });
  outbound.add("webhook log", std::chrono::hours(1), [&desk, &c](Timestamp now) {
    auto pruned = desk.webhooks->prune_log(now - std::chrono::days(c.webhook_log_days));
    if (!pruned)
      spdlog::error("webhook log: {}", pruned.error().message);
    else if (*pruned > 0)
      spdlog::info("webhook log: {} finished deliveries older than {} days removed", *pruned,
                   c.webhook_log_days);
  });
  outbound.start(std::chrono::milliseconds(100), background_priority);
  // IMAP polling: its own low-priority threads, one commit per message like any other write.
  ImapPoller poller(std::move(mailboxes), *desk.mail_intake, desk.clock,
                    {.max_parallel = c.mail_imap_parallel, .on_thread_start = background_priority});
  // Outbound mail: queued from the feed and sent on a thread of its own (an SMTP server that
  // is slow to answer must not hold up webhooks or SLA checks).
  Scheduler mail_out(desk.clock);
  mail_out.add("mail", std::chrono::milliseconds(500), [&desk](Timestamp) {
    constexpr int kBatch = 200;
    for (;;) {
      auto read = desk.mail->follow(kBatch);
      if (!read) {
        spdlog::error("mail: {}", read.error().message);
        break;
      }
      if (*read < kBatch) break;
    }
    if (auto sent = desk.mail->send_due(20); !sent) spdlog::error("mail: {}", sent.error().message);
  });
  mail_out.start(std::chrono::milliseconds(100), background_priority);
  auto users = or_die(desk.store->users(std::nullopt));
  if (users.empty())
    spdlog::warn("no users yet: run `firstline init --data {}` (or `--demo`) first", c.data_dir);

  http::Metrics metrics;
  metrics.add_collector([&desk] { return metrics_gauges(*desk.store); });
  metrics.add_collector([&poller] { return imap_metrics(poller.stats()); });
  metrics.add_collector([&desk] {
    const WebhookStats s = desk.webhooks->stats();
    return "# HELP firstline_webhook_attempts_total Webhook delivery attempts since start, by "
           "outcome.\n# TYPE firstline_webhook_attempts_total counter\n"
           "firstline_webhook_attempts_total{outcome=\"delivered\"} " +
           std::to_string(s.delivered) +
           "\nfirstline_webhook_attempts_total{outcome=\"retried\"} " + std::to_string(s.retried) +
           "\nfirstline_webhook_attempts_total{outcome=\"failed\"} " + std::to_string(s.failed) +
           "\n# HELP firstline_webhook_deliveries_in_flight Webhook deliveries being sent.\n"
           "# TYPE firstline_webhook_deliveries_in_flight gauge\n"
           "firstline_webhook_deliveries_in_flight " +
           std::to_string(s.in_flight) + "\n";
  });
  metrics.add_collector([&desk] {
    const MailStats s = desk.mail->stats();
    return "# HELP firstline_mail_attempts_total Outbound mail attempts since start, by outcome.\n"
           "# TYPE firstline_mail_attempts_total counter\n"
           "firstline_mail_attempts_total{outcome=\"sent\"} " +
           std::to_string(s.sent) + "\nfirstline_mail_attempts_total{outcome=\"retried\"} " +
           std::to_string(s.retried) + "\nfirstline_mail_attempts_total{outcome=\"failed\"} " +
           std::to_string(s.failed) + "\n";
  });
  metrics.add_collector([&desk] {
    auto s = desk.article_index->cache_stats();
    return "# HELP firstline_kb_search_cache_total Knowledge-base searches answered from the "
           "result cache (hit) or by the index (miss).\n# TYPE firstline_kb_search_cache_total "
           "counter\nfirstline_kb_search_cache_total{result=\"hit\"} " +
           std::to_string(s.hits) + "\nfirstline_kb_search_cache_total{result=\"miss\"} " +
           std::to_string(s.misses) + "\n";
  });
  // The live event feed follows the store at normal priority: its delay is what clients see.
  http::LiveJson live_json([&desk]() -> std::shared_ptr<const std::vector<Team>> {
    auto teams = desk.directory->all_teams();
    return teams ? *teams : nullptr;
  });
  LiveFeed live(*desk.store, *desk.auth, live_json, desk.clock);
  or_die(live.start());
  metrics.add_collector([&live] { return live_gauges(live); });
  http::ApiServices services{*desk.auth,
                             *desk.directory,
                             *desk.tickets,
                             *desk.knowledge,
                             *desk.search,
                             *desk.deflection,
                             *desk.sla,
                             *desk.notifications,
                             *desk.macros,
                             *desk.rules,
                             *desk.webhooks,
                             *desk.views,
                             *desk.attachments,
                             *desk.bot_flows,
                             std::string(openapi_yaml())};
  ReportService reports(*desk.store, desk.clock);
  services.reports = &reports;
  // The chatbot: the intent classifier trained from the flow catalog's active flows (shipped
  // ones and admins' edits) and the public articles' titles (about a second), and trained again
  // on a thread of its own when an admin edits a flow or an article is published — here or by
  // another server on the same database — while answers go on with the previous one.
  auto brain = or_die(BotBrain::learning(*desk.store, *desk.bot_flows, *desk.search));
  // Generative answers, when a model server is configured (off by default).
  std::unique_ptr<OpenAiClient> model;
  if (!c.bot_generative_url.empty()) {
    or_die(check_model_url(c.bot_generative_url));
    model = std::make_unique<OpenAiClient>(
        OpenAiOptions{.base_url = c.bot_generative_url,
                      .model = c.bot_generative_model,
                      .api_key = c.bot_generative_api_key,
                      .timeout = std::chrono::seconds(c.bot_generative_timeout_seconds)});
    spdlog::info("bot: generative answers through {}", c.bot_generative_url);
  }
  BotService bot(*desk.store, *brain, *desk.tickets, *desk.deflection, *desk.directory,
                 desk.tokens, desk.clock,
                 BotLimits{.anonymous_sessions_per_hour = c.bot_anonymous_sessions_per_hour,
                           .anonymous_messages_per_minute = c.bot_anonymous_messages_per_minute,
                           .user_sessions_per_hour = c.bot_user_sessions_per_hour,
                           .user_messages_per_minute = c.bot_user_messages_per_minute,
                           .max_text_bytes = static_cast<std::size_t>(c.bot_max_message_bytes)},
                 model.get());
  services.bot = &bot;
  // The live hand-over: offered within the service hours of bot.live_chat_calendar while a
  // line-1 agent is available and has the console open (connected to the live feed).
  LiveChatOptions chat_options{
      .enabled = c.bot_live_chat,
      .wait_timeout = std::chrono::seconds(c.bot_live_chat_wait_seconds),
      .idle_timeout = std::chrono::minutes(c.bot_live_chat_idle_minutes),
      .max_text_bytes = static_cast<std::size_t>(c.bot_max_message_bytes)};
  if (!c.bot_live_chat_calendar.empty()) {
    auto calendar = desk.sla->calendar_named(c.bot_live_chat_calendar);
    if (!calendar) die("bot.live_chat_calendar: no calendar named '" + c.bot_live_chat_calendar + "'");
    chat_options.in_service_hours = [&desk, id = *calendar](Timestamp at) {
      return desk.sla->is_open(id, at).value_or(false);
    };
  }
  LiveChatService live_chat(*desk.store, *desk.tickets, *desk.directory, desk.clock,
                            std::move(chat_options),
                            [&live](UserId user) { return live.connected(user); });
  LiveChatHub chat_hub(*desk.store, live_chat);
  or_die(chat_hub.start());
  bot.set_live_chat(&live_chat);
  metrics.add_collector([&desk, &live] { return desk_gauges(*desk.store, live, desk.clock.now()); });
  metrics.add_collector([&desk] {
    auto chats = desk.store->open_live_chats();
    if (!chats) return std::string();
    std::int64_t waiting = 0;
    for (const auto& chat : *chats) waiting += chat.status == LiveChatStatus::waiting;
    return "# HELP firstline_live_chats Chatbot users' live chats with the desk not ended.\n"
           "# TYPE firstline_live_chats gauge\nfirstline_live_chats{state=\"waiting\"} " +
           std::to_string(waiting) + "\nfirstline_live_chats{state=\"active\"} " +
           std::to_string(std::ssize(*chats) - waiting) + "\n";
  });
  services.live_chat = &live_chat;
  // Conversations left alone count as abandoned; chats nobody takes, or where nobody writes, end.
  Scheduler bot_jobs(desk.clock);
  bot_jobs.add("bot", std::chrono::seconds(15),
               [&desk, &live_chat, idle = std::chrono::minutes(c.bot_session_idle_minutes)](
                   Timestamp now) {
                 if (auto n = desk.store->abandon_idle_bot_sessions(now - idle); !n)
                   spdlog::warn("bot: marking idle sessions failed: {}", n.error().message);
                 if (auto n = live_chat.expire(); !n)
                   spdlog::warn("bot: ending live chats failed: {}", n.error().message);
               });
  bot_jobs.start(std::chrono::milliseconds(500), background_priority);
  // Staffing from measures: the report, the plan and the what-if (docs/staffing.md).
  const date::time_zone* staffing_zone = nullptr;
  if (c.reports_time_zone != "UTC") {
    try {
      staffing_zone = date::locate_zone(c.reports_time_zone);
    } catch (const std::exception&) {
      die("reports.time_zone: no time zone named '" + c.reports_time_zone + "'");
    }
  }
  StaffingService staffing(
      *desk.store, desk.clock,
      StaffingOptions{.assumptions = {.default_handling_seconds =
                                          c.reports_default_handling_minutes * 60},
                      .zone = staffing_zone});
  services.staffing = &staffing;
  http::Router router;
  http::add_api_routes(router, services);
  http::add_bot_socket_route(router, bot, *desk.auth, &chat_hub,
                             {.allowed_origins = comma_list(c.allowed_origins)});
  http::add_event_routes(router, live, *desk.auth, live_json,
                         {.allowed_origins = comma_list(c.allowed_origins)});
  Telephony telephony(*desk.store, *desk.directory, live, desk.clock);
  http::add_phone_routes(router, *desk.auth, *desk.directory, telephony,
                         {.cti_token = c.cti_token});
  if (c.cti_token.empty()) spdlog::info("cti: the webhook is off (no cti.token)");
  // A change made here reaches live clients at once; one from another node at the next poll.
  router.after_change([&live, &chat_hub] {
    live.nudge();
    chat_hub.nudge();
  });
  router.add("GET", "/metrics", [&metrics](const http::Request&, const http::PathParams&) {
    http::Response r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = metrics.render();
    return r;
  });

  http::ServerOptions options;
  options.host = listen.host;
  options.port = listen.port;
  options.io_threads = c.io_threads;
  options.worker_threads = c.worker_threads;
  options.body_limit = static_cast<std::size_t>(c.body_limit);
  options.route_body_limits = {
      {"POST", "/api/v1/uploads", static_cast<std::size_t>(c.attachment_max_bytes)}};
  options.read_timeout = std::chrono::seconds(c.read_timeout_seconds);
  options.idle_timeout = std::chrono::seconds(c.idle_timeout_seconds);
  options.max_pipelined = c.max_pipelined;
  options.static_dir = web_folder(c.static_dir);
  options.embed_origins = comma_list(c.embed_origins);
  http::Server server(options, router, metrics);
  unsigned short port = 0;
  try {
    port = server.listen();
  } catch (const std::exception& e) {
    die(e.what());
  }
  std::cout << "firstline: listening on http://" << listen.host << ":" << port << std::endl;
  poller.start();
  brain->start();
  server.run();
  live.stop();  // before the server goes: its WebSocket channels are used until then
  chat_hub.stop();
  bot_jobs.stop();
  brain->stop();  // a retraining under way is finished first
  poller.stop();  // a message being filed is finished and marked first
  scheduler.stop();
  outbound.stop();
  mail_out.stop();
  desk.webhook_sender->stop();  // what is in flight goes again after the next start
  spdlog::info("stopped");
  return 0;
}

int init(const Config& c, bool demo, std::string password) {
  Desk desk(c);
  auto users = or_die(desk.store->users(std::nullopt));
  if (!users.empty()) die("the data folder " + c.data_dir + " is already initialised");
  std::cout << "firstline: data folder " << c.data_dir << " ready (schema "
            << desk.store->schema_version() << ")\n";
  if (!demo) return 0;
  if (password.empty()) password = random_password();
  or_die(validate_password(password));
  or_die(create_demo_data(*desk.directory, *desk.tickets, *desk.knowledge, *desk.sla,
                          *desk.macros, *desk.rules, password));
  std::string logins;
  for (const auto& l : demo_logins()) logins += (logins.empty() ? "" : ", ") + l;
  std::string text = "demo logins: " + logins + "\ndemo password: " + password + "\n";
  std::cout << text;
  auto file = std::filesystem::path(c.data_dir) / "demo-logins.txt";
  std::ofstream(file) << text;
  std::filesystem::permissions(
      file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  return 0;
}

struct UserAddFlags {
  NewUser user;
  std::string role = "customer";
  bool password_stdin = false;
};

int user_add(const Config& c, UserAddFlags f) {
  auto role = parse_name<Role>(f.role);
  if (!role) die("--role: one of " + allowed_names<Role>());
  f.user.role = *role;
  if (f.password_stdin) std::getline(std::cin, f.user.password);
  if (f.user.name.empty()) f.user.name = f.user.login;
  Desk desk(c);
  auto u = or_die(desk.directory->create_user(nullptr, f.user));
  std::cout << "firstline: user " << u.login << " (" << name_of(u.role) << ") created with id "
            << u.id << "\n";
  return 0;
}

int search_reindex(const Config& c, const std::string& only) {
  Desk desk(c);
  ReindexScope scope = only == "articles"  ? ReindexScope::articles
                       : only == "tickets" ? ReindexScope::tickets
                                           : ReindexScope::both;
  std::vector<std::string_view> fresh;
  if (scope != ReindexScope::tickets) fresh.push_back("articles");
  if (scope != ReindexScope::articles) fresh.push_back("tickets");
  desk.open_search(c, fresh);
  auto started = std::chrono::steady_clock::now();
  auto report = or_die(desk.search->reindex(scope));
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "firstline: indexed " << report.articles << " articles and " << report.tickets
            << " tickets in " << seconds << " s\n";
  return 0;
}

// The actor of an offline command: the named user, else the first admin.
Actor command_actor(Desk& desk, const std::string& login) {
  std::optional<User> user;
  if (!login.empty()) {
    user = or_die(desk.store->user_record_by_login(login)).user;
  } else {
    auto admins = or_die(desk.store->users(Role::admin));
    if (admins.empty()) die("no admin user: name one with --as LOGIN");
    user = admins.front();
  }
  return or_die(desk.directory->actor_for(*user));
}

int kb_import(const Config& c, const std::string& path, const std::string& as) {
  Desk desk(c);
  Actor actor = command_actor(desk, as);
  auto files = or_die(read_article_files(path));
  auto report = or_die(import_articles(*desk.knowledge, actor, files));
  std::cout << "firstline: " << report.created << " articles created, " << report.updated
            << " updated, " << report.failed.size() << " failed\n";
  for (const auto& f : report.failed) std::cerr << "  " << f << "\n";
  return report.failed.empty() ? 0 : 1;
}

int kb_export(const Config& c, const std::string& format, const std::string& out,
              const std::string& as) {
  Desk desk(c);
  Actor actor = command_actor(desk, as);
  if (format == "markdown") {
    if (out.empty()) die("--out DIR is required for --format markdown");
    int n = or_die(export_markdown_files(*desk.knowledge, actor, out));
    std::cerr << "firstline: " << n << " articles written to " << out << "\n";
    return 0;
  }
  if (format != "jsonl") die("--format: jsonl or markdown");
  if (out.empty()) {
    or_die(export_article_lines(*desk.knowledge, actor, std::cout));
  } else {
    std::ofstream file(out, std::ios::binary);
    if (!file) die("cannot write " + out);
    or_die(export_article_lines(*desk.knowledge, actor, file));
  }
  return 0;
}

// sysexits.h: what an MTA's pipe understands.
constexpr int kExitTempFail = 75;  // EX_TEMPFAIL: try again later
constexpr int kExitDataErr = 65;   // EX_DATAERR: this message can never be accepted

// The exit code for one result, with a plain line on stderr for failures.
int report_ingest(const Result<IngestResult>& r, std::string_view what) {
  if (!r) {
    std::cerr << "firstline mailgate: " << what << ": " << r.error().message << "\n";
    return r.error().code == ErrorCode::invalid_argument ? kExitDataErr : kExitTempFail;
  }
  static constexpr std::array<std::string_view, 4> outcomes{"created", "appended", "duplicate",
                                                            "ignored"};
  std::cout << what << ": " << outcomes[static_cast<std::size_t>(r->outcome)];
  if (r->ticket) std::cout << " ticket " << *r->ticket;
  if (!r->reason.empty()) std::cout << " (" << r->reason << ")";
  std::cout << "\n";
  return 0;
}

// The messages of an mbox file: split at "From " lines (mboxrd ">From " unquoted).
std::vector<std::string> mbox_messages(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  bool in_message = false;
  std::size_t start = 0;
  while (start < text.size()) {
    auto nl = text.find('\n', start);
    std::string_view line(text.data() + start,
                          (nl == std::string::npos ? text.size() : nl + 1) - start);
    start = nl == std::string::npos ? text.size() : nl + 1;
    if (line.starts_with("From ")) {
      if (in_message) out.push_back(std::move(current));
      current.clear();
      in_message = true;
      continue;
    }
    if (!in_message) continue;
    std::size_t quotes = 0;
    while (quotes < line.size() && line[quotes] == '>') ++quotes;
    if (quotes > 0 && line.substr(quotes).starts_with("From ")) line.remove_prefix(1);
    current += line;
  }
  if (in_message) out.push_back(std::move(current));
  return out;
}

// `firstline mailgate --mailbox NAME`: one message on standard input (an MTA's pipe), or with
// --batch the .eml files, folders of them and mbox files named. Exit 0: filed (or a duplicate
// or noise, recorded); 75: a temporary failure, the MTA retries; 65: never acceptable.
int mailgate(const Config& c, const std::string& mailbox, const std::vector<std::string>& batch,
             int jobs) {
  namespace fs = std::filesystem;
  SqliteOptions options;
  options.synchronous_full = c.synchronous_full;
  options.max_batch = c.max_batch;
  auto store = SqliteStore::open(fs::path(c.data_dir) / "firstline.db", options);
  if (!store) {
    std::cerr << "firstline mailgate: cannot open the store in " << c.data_dir << ": "
              << store.error().message << "\n";
    return kExitTempFail;
  }
  SystemClock clock;
  auto cost = parse_name<PasswordCost>(c.password_cost).value_or(PasswordCost::interactive);
  SodiumPasswordHasher hasher(cost);
  DirectoryService directory(
      **store, hasher, clock,
      DirectoryOptions{.default_country_code = c.phone_default_country_code});
  SlaService sla(**store, clock);
  if (auto ok = sla.load(); !ok) {
    std::cerr << "firstline mailgate: " << ok.error().message << "\n";
    return kExitTempFail;
  }
  TicketService tickets(**store, clock, &sla, c.attachment_max_bytes);
  mail::MimeMailParser parser;
  MailIntake intake(**store, tickets, directory, parser, clock, mail_intake_options(c));

  if (batch.empty()) {
    std::string raw;
    char buffer[1 << 16];
    for (;;) {
      ssize_t n = ::read(0, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        std::cerr << "firstline mailgate: cannot read standard input: " << std::strerror(errno)
                  << "\n";
        return kExitTempFail;
      }
      if (n == 0) break;
      raw.append(buffer, static_cast<std::size_t>(n));
    }
    if (raw.empty()) {
      std::cerr << "firstline mailgate: no message on standard input\n";
      return kExitDataErr;
    }
    return report_ingest(intake.ingest(mailbox, raw), "message");
  }

  // Batch: read every message first, then file them with `jobs` threads so their commits are
  // grouped (one fsync for many). The messages of one conversation (core's
  // conversation_groups) go to the same thread in input order, so a reply is filed after what
  // it answers.
  struct Item {
    std::string raw;
    std::string label;
    std::optional<Result<IngestResult>> result;
  };
  std::vector<Item> items;
  int worst = 0;
  auto read_file = [](const fs::path& p, std::string& out) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return false;
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return true;
  };
  for (const auto& name : batch) {
    std::vector<fs::path> files;
    std::error_code ec;
    if (fs::is_directory(name, ec)) {
      for (const auto& e : fs::directory_iterator(name, ec))
        if (e.is_regular_file() && e.path().extension() == ".eml") files.push_back(e.path());
      std::ranges::sort(files);
    } else {
      files.push_back(name);
    }
    for (const auto& f : files) {
      std::string text;
      if (!read_file(f, text)) {
        std::cerr << "firstline mailgate: cannot read " << f.string() << "\n";
        worst = kExitTempFail;
        continue;
      }
      if (f.extension() != ".eml" && text.starts_with("From ")) {
        auto messages = mbox_messages(text);
        for (std::size_t i = 0; i < messages.size(); ++i)
          items.push_back({std::move(messages[i]), f.string() + "#" + std::to_string(i + 1), {}});
      } else {
        items.push_back({std::move(text), f.string(), {}});
      }
    }
  }
  auto started = std::chrono::steady_clock::now();
  const std::size_t workers = static_cast<std::size_t>(std::max(1, jobs));
  std::vector<std::vector<std::size_t>> lanes(workers);
  {
    std::vector<std::optional<InboundMail>> parsed;
    parsed.reserve(items.size());
    std::vector<const InboundMail*> mails;
    for (const auto& item : items) {
      auto m = parser.parse(item.raw);
      parsed.push_back(m ? std::optional<InboundMail>(std::move(*m)) : std::nullopt);
      mails.push_back(parsed.back() ? &*parsed.back() : nullptr);
    }
    const auto groups = conversation_groups(mails);
    for (std::size_t i = 0; i < items.size(); ++i) lanes[groups[i] % workers].push_back(i);
  }
  {
    std::vector<std::jthread> threads;
    for (const auto& lane : lanes)
      threads.emplace_back([&items, &intake, &mailbox, &lane] {
        for (std::size_t i : lane) items[i].result = intake.ingest(mailbox, items[i].raw);
      });
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  for (const auto& item : items) {
    int rc = report_ingest(*item.result, item.label);
    if (rc == kExitTempFail || (rc == kExitDataErr && worst == 0)) worst = rc;
  }
  std::cerr << "firstline mailgate: " << items.size() << " messages in " << seconds << " s ("
            << workers << " threads)\n";
  return worst;
}

}  // namespace
}  // namespace fl

int main(int argc, char** argv) {
  using namespace fl;
  init_sodium();
  Config config;
  std::string config_file;
  if (const char* f = std::getenv("FIRSTLINE_CONFIG")) config_file = f;

  CLI::App app{"Firstline: a tiered IT service desk"};
  app.require_subcommand(0, 1);
  bool version = false;
  app.add_flag("--version", version, "print the version and the database schema version");
  app.add_option("--config", config_file, "TOML configuration file");

  std::string data, listen;
  auto* serve_cmd = app.add_subcommand("serve", "serve the API and the web UI");
  serve_cmd->add_option("--config", config_file, "TOML configuration file");
  serve_cmd->add_option("--data", data, "data folder (default: var)");
  serve_cmd->add_option("--listen", listen, "HOST:PORT (port 0: any free port)");

  bool demo = false;
  std::string demo_password;
  auto* init_cmd = app.add_subcommand("init", "create the data folder and the database");
  init_cmd->add_option("--config", config_file, "TOML configuration file");
  init_cmd->add_option("--data", data, "data folder (default: var)");
  init_cmd->add_flag("--demo", demo, "add demo teams, users and tickets");
  init_cmd->add_option("--demo-password", demo_password,
                       "password of the demo users (default: random, printed)");

  UserAddFlags ua;
  auto* user_cmd = app.add_subcommand("user", "manage users");
  user_cmd->require_subcommand(1);
  auto* add_cmd = user_cmd->add_subcommand("add", "add a user");
  add_cmd->add_option("--data", data, "data folder (default: var)");
  add_cmd->add_option("--login", ua.user.login, "login name")->required();
  add_cmd->add_option("--name", ua.user.name, "display name");
  add_cmd->add_option("--email", ua.user.email, "e-mail address");
  add_cmd->add_option("--role", ua.role, "customer, agent, supervisor or admin");
  add_cmd->add_option("--team", ua.user.teams, "team id (repeatable)");
  add_cmd->add_option("--organization", ua.user.organization, "organisation id");
  add_cmd->add_option("--language", ua.user.language, "de or en");
  add_cmd->add_flag("--password-stdin", ua.password_stdin, "read the password from standard input");

  std::string kb_path, kb_as, kb_format = "jsonl", kb_out;
  auto* kb_cmd =
      app.add_subcommand("kb", "knowledge base files (Markdown with front matter, JSON lines)");
  kb_cmd->require_subcommand(1);
  auto* import_cmd =
      kb_cmd->add_subcommand("import", "import a folder of .md files, a .md or a .jsonl file");
  import_cmd->add_option("PATH", kb_path, "folder or file")->required();
  import_cmd->add_option("--data", data, "data folder (default: var)");
  import_cmd->add_option("--as", kb_as,
                         "login the articles are written by (default: the first admin)");
  auto* export_cmd = kb_cmd->add_subcommand(
      "export", "export every article (JSON lines to standard output by default)");
  export_cmd->add_option("--data", data, "data folder (default: var)");
  export_cmd->add_option("--format", kb_format, "jsonl or markdown");
  export_cmd->add_option("--out", kb_out, "file (jsonl) or folder (markdown)");
  export_cmd->add_option("--as", kb_as, "login whose view is exported (default: the first admin)");

  auto* search_cmd = app.add_subcommand("search", "the search indexes");
  search_cmd->require_subcommand(1);
  auto* reindex_cmd =
      search_cmd->add_subcommand("reindex", "rebuild both indexes from the store (server stopped)");
  reindex_cmd->add_option("--data", data, "data folder (default: var)");
  std::string reindex_only;
  reindex_cmd->add_option("--only", reindex_only, "rebuild one index: articles or tickets")
      ->check(CLI::IsMember({"articles", "tickets"}));

  std::string mailgate_mailbox;
  std::vector<std::string> mailgate_batch;
  auto* mailgate_cmd = app.add_subcommand(
      "mailgate", "file one e-mail from standard input (an MTA's pipe); exit 75: retry later");
  mailgate_cmd->add_option("--config", config_file, "TOML configuration file");
  mailgate_cmd->add_option("--data", data, "data folder (default: var)");
  mailgate_cmd->add_option("--mailbox", mailgate_mailbox, "a [[mail.mailboxes]] name")->required();
  int mailgate_jobs = 8;
  mailgate_cmd->add_option("--jobs", mailgate_jobs, "--batch: messages filed at once (default 8)")
      ->check(CLI::Range(1, 64));
  mailgate_cmd->add_option("--batch", mailgate_batch,
                           ".eml files, folders of them or mbox files, instead of standard input");

  staffing::SimulateOptions simulate_options;
  auto* simulate_cmd = app.add_subcommand(
      "simulate", "staffing: Erlang C and a simulation of a scenario file (docs/staffing.md)");
  simulate_cmd->add_option("--scenario", simulate_options.scenario, "TOML scenario file")
      ->required();
  simulate_cmd->add_flag("--json", simulate_options.json, "JSON instead of a table");
  simulate_cmd->add_option("--seed", simulate_options.seed, "random seed (replaces the file's)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (version) {
    std::cout << "firstline " << kVersion << " (database schema "
              << SqliteStore::latest_schema_version() << ")\n";
    return 0;
  }
  // Needs no configuration or data folder: a scenario file is all it reads.
  if (*simulate_cmd) return staffing::simulate_command(simulate_options, std::cout, std::cerr);
  if (*mailgate_cmd) die_code = 75;  // EX_TEMPFAIL, as kExitTempFail below
  if (!config_file.empty()) or_die(apply_toml_file(config, config_file));
  or_die(apply_environment(config, [](const char* n) { return std::getenv(n); }));
  if (!data.empty()) config.data_dir = data;
  if (!listen.empty()) {
    or_die(parse_listen(listen));
    config.listen = listen;
  }
  spdlog::set_default_logger(spdlog::stderr_color_mt("firstline"));
  spdlog::set_level(spdlog::level::from_str(config.log_level));

  if (*mailgate_cmd)
    return mailgate(config, mailgate_mailbox, mailgate_batch, mailgate_jobs);
  if (*serve_cmd) return serve(config);
  if (*init_cmd) return init(config, demo, demo_password);
  if (*add_cmd) return user_add(config, ua);
  if (*import_cmd) return kb_import(config, kb_path, kb_as);
  if (*reindex_cmd) return search_reindex(config, reindex_only);
  if (*export_cmd) return kb_export(config, kb_format, kb_out, kb_as);
  std::cout << app.help();
  return 0;
}
