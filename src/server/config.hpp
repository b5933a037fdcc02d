// Configuration: defaults, then a TOML file, then FIRSTLINE_* environment variables, then
// command-line flags. Every key `section.name` has the variable FIRSTLINE_SECTION_NAME.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace fl {

// One [[mail.mailboxes]] entry: a mailbox mail arrives in (mailgate --mailbox NAME, IMAP).
struct MailboxConfig {
  std::string name;  // required, unique
  std::string team;  // first-line team for new tickets (by name); empty: routing decides
  // IMAP polling, for mailboxes with a url (docs/mail.md).
  std::string url;  // imaps://host:993/INBOX or imap://host:143/INBOX; empty: no polling
  std::string user;
  std::string password;  // given, or read from password_file
  bool starttls = false;
  bool tls_verify = true;
  // PEM file of the CA(s) to trust for this server (a site's own CA) instead of the system's;
  // relative to the configuration file. Checked when the configuration is read.
  std::string ca_file;
  std::string after = "seen";  // seen | move | delete
  // Folder names in UTF-8 (sent to the server in modified UTF-7); no control characters.
  std::string move_to;
  std::string quarantine;
  int interval_seconds = 60;
  int connect_timeout_seconds = 10;  // connect, TLS and login
  int timeout_seconds = 60;          // any one answer, a whole message included
  long long max_message_bytes = 25 << 20;
};

struct Config {
  // [server]
  std::string listen = "127.0.0.1:8080";
  int io_threads = 2;
  int worker_threads = 32;
  long long body_limit = 1 << 20;
  int read_timeout_seconds = 30;
  int idle_timeout_seconds = 60;
  int max_pipelined = 16;
  // The web UI's files (web/dist, built by `make`); the build tree's by default.
  std::string static_dir = FL_DEFAULT_STATIC_DIR;
  // Pages from these origins may open the live feed (GET /api/v1/events) besides the server's
  // own: comma-separated, e.g. "https://desk.example.com"; "*" for any.
  std::string allowed_origins;
  std::string embed_origins;  // comma-separated origins that may frame chat.html
  // [storage]
  std::string data_dir = "var";
  bool synchronous_full = true;
  int max_batch = 256;
  // [search]
  int result_cache = 2048;
  int concurrent_searches = 0;  // 0: one per core
  // [attachments]
  // Largest file a user may upload (the upload route's body limit; other routes keep
  // server.body_limit). The files live in the database.
  long long attachment_max_bytes = 20 << 20;
  // [sla]
  int sla_check_seconds = 15;  // how often tickets whose SLA check time has come are looked at
  // [security]
  std::string password_cost = "interactive";
  int session_hours = 12;
  // [webhooks]
  int webhook_connect_timeout_seconds = 5;
  int webhook_timeout_seconds = 15;      // a whole attempt, connect to last byte
  int webhook_max_attempts = 8;          // then a delivery is given up
  int webhook_first_retry_seconds = 30;  // the wait after the first failure; x4 each time after
  int webhook_max_in_flight = 32;        // deliveries being sent at once
  int webhook_log_days = 30;             // finished deliveries are kept this long
  // [phone]
  // Numbers typed or sent without a country code get this one ("49"); empty: numbers must be
  // international ("+49 ...").
  std::string phone_default_country_code;
  // [cti]
  // The shared secret of the CTI webhook (POST /api/v1/cti/events); empty: the webhook is off.
  std::string cti_token;
  // [log]
  std::string log_level = "info";
  // [mail] The desk's own address ("support@example.com"): From of outbound mail and the
  // domain of its Message-IDs; inbound mail from it is a loop, never filed.
  std::string mail_address;
  int mail_new_tickets_per_sender_per_hour = 20;  // more from one sender: ignored (0: no limit)
  std::vector<MailboxConfig> mail_mailboxes;      // [[mail.mailboxes]]
  int mail_imap_parallel = 4;                     // mailboxes polled at the same time

  // [mail], outbound (docs/mail.md: Outbound)
  // smtp://host:port or smtps://host:port; empty: outbound mail is off (nothing is queued).
  std::string mail_smtp_url;
  std::string mail_smtp_user;
  std::string mail_smtp_password;
  bool mail_smtp_starttls = false;  // smtp://: refuse to send unless STARTTLS succeeds
  // PEM file of the CA(s) to trust for the SMTP server instead of the system's (a site's own
  // CA); must exist and be readable when the configuration is read.
  std::string mail_smtp_ca_file;
  bool mail_smtp_tls_verify = true;  // false: the certificate and name are not checked (unsafe)
  std::string mail_from_name = "Firstline Service Desk";
  std::string mail_base_url;       // links in mails: "https://desk.example.com"
  std::string mail_templates_dir;  // overrides of the templates; default <data_dir>/mail-templates
  int mail_max_attempts = 8;
  int mail_first_retry_seconds = 30;  // the wait after the first failure; x4 each time after
  // A reply's files are mailed with it up to this many bytes together; beyond, the mail links
  // to the ticket instead (0: never attach).
  long long mail_max_attachment_bytes = 10 << 20;

  // [bot] The chatbot's rate limits (docs/bot.md): anonymous visitors per client address,
  // logged-in users per user.
  int bot_anonymous_sessions_per_hour = 10;
  int bot_anonymous_messages_per_minute = 30;
  int bot_user_sessions_per_hour = 60;
  int bot_user_messages_per_minute = 60;
  int bot_max_message_bytes = 2000;
  // Generative answers (off while the URL is empty): an OpenAI-compatible server of the site's.
  std::string bot_generative_url;  // e.g. http://127.0.0.1:8081/v1
  std::string bot_generative_model;
  std::string bot_generative_api_key;
  int bot_generative_timeout_seconds = 20;
  // Live hand-over to a line-1 agent after a hand-off (docs/bot.md): offered within the
  // service hours of the calendar named here (empty: always) while an agent is available.
  bool bot_live_chat = true;
  std::string bot_live_chat_calendar;
  int bot_live_chat_wait_seconds = 300;   // nobody accepts: the chat ends, the ticket stays
  int bot_live_chat_idle_minutes = 30;    // an accepted chat where nobody writes ends
  int bot_session_idle_minutes = 60;      // an open conversation left alone counts as abandoned

  // [reports] Staffing from measures (docs/staffing.md): the handling time of a desk and
  // channel without a measured call, and the zone whose hours of the week the heat map shows.
  double reports_default_handling_minutes = 10;
  std::string reports_time_zone = "UTC";
  // [reports] A summary of last week's figures to every supervisor, Mondays from 06:00 UTC
  // (needs mail.smtp_url).
  bool reports_weekly_summary = false;
};


// One row per key: its name and how a text value sets it (a plain error message if not).
struct ConfigKey {
  std::string name;  // "server.listen"
  std::function<Result<void>(Config&, std::string_view)> set;
};
[[nodiscard]] const std::vector<ConfigKey>& config_keys();

// "FIRSTLINE_SERVER_LISTEN" for "server.listen".
[[nodiscard]] std::string env_name(std::string_view key);

// Applies a TOML file (unknown keys are an error: a typo should not pass silently).
[[nodiscard]] Result<void> apply_toml_file(Config& config, const std::filesystem::path& file);
// Applies every FIRSTLINE_* variable that names a key, read through `getenv`.
[[nodiscard]] Result<void> apply_environment(Config& config,
                                             const std::function<const char*(const char*)>& getenv);

// "host:port" → parts; port 0 means any free port.
struct ListenAddress {
  std::string host;
  unsigned short port = 0;
};
[[nodiscard]] Result<ListenAddress> parse_listen(std::string_view text);

}  // namespace fl
