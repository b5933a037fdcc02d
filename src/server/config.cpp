#include "server/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fstream>

#include "core/attachment.hpp"
#include "core/phone.hpp"

namespace fl {

namespace {

Result<int> to_int(std::string_view key, std::string_view v, int lo, int hi) {
  int out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc{} || p != v.data() + v.size() || out < lo || out > hi)
    return fail(ErrorCode::invalid_argument, std::string(key) + ": expected a whole number from " +
                                                 std::to_string(lo) + " to " + std::to_string(hi) +
                                                 ", got '" + std::string(v) + "'");
  return out;
}

// The shortest text that reads back as `v` (a TOML float, for a key's setter).
std::string decimal_text(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc{} ? std::string(buf, end) : std::string("nan");
}

Result<bool> to_bool(std::string_view key, std::string_view v) {
  if (v == "true" || v == "1" || v == "yes") return true;
  if (v == "false" || v == "0" || v == "no") return false;
  return fail(ErrorCode::invalid_argument,
              std::string(key) + ": expected true or false, got '" + std::string(v) + "'");
}

template <class T>
ConfigKey int_key(std::string name, T Config::*field, int lo, int hi) {
  return {name, [name, field, lo, hi](Config& c, std::string_view v) -> Result<void> {
            auto n = to_int(name, v, lo, hi);
            if (!n) return std::unexpected(n.error());
            c.*field = static_cast<T>(*n);
            return {};
          }};
}

ConfigKey string_key(std::string name, std::string Config::*field,
                     std::vector<std::string> allowed = {}) {
  return {name, [name, field, allowed](Config& c, std::string_view v) -> Result<void> {
            if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
              std::string list;
              for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
              return fail(ErrorCode::invalid_argument,
                          name + ": one of " + list + ", got '" + std::string(v) + "'");
            }
            c.*field = std::string(v);
            return {};
          }};
}

// A CA file must be there and hold a PEM certificate now, not fail every TLS handshake later
// with an error far from its cause.
Result<void> check_ca_file(std::string_view key, const std::filesystem::path& path) {
  auto bad = [&](const std::string& why) {
    return fail(ErrorCode::invalid_argument, std::string(key) + ": " + path.string() + ": " + why);
  };
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return bad("no such file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return bad("cannot be read");
  constexpr std::size_t kMaxBytes = 4 << 20;  // a CA bundle is a few hundred KiB
  std::string text(kMaxBytes, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) return bad("cannot be read");
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.find("-----BEGIN CERTIFICATE-----") == std::string::npos)
    return bad("holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
  return {};
}

// IMAP folder names: any UTF-8 text (sent in modified UTF-7), but no control characters,
// which no server accepts and which would only show up as a failed poll.
Result<void> check_folder_name(std::string_view key, std::string_view name) {
  if (!is_valid_utf8(name))
    return fail(ErrorCode::invalid_argument, std::string(key) + ": not valid UTF-8");
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    const bool c1 = c == 0xc2 && i + 1 < name.size() &&
                    static_cast<unsigned char>(name[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(name[i + 1]) <= 0x9f;  // U+0080..U+009F
    if (c < 0x20 || c == 0x7f || c1)
      return fail(ErrorCode::invalid_argument,
                  std::string(key) + ": no control characters in a folder name");
  }
  return {};
}

// [[mail.mailboxes]]: an array of tables, so not a ConfigKey; unknown fields are errors too.
Result<std::vector<MailboxConfig>> parse_mailboxes(const toml::node& node,
                                                     const std::filesystem::path& file) {
  const auto* array = node.as_array();
  if (array == nullptr || !array->is_array_of_tables())
    return fail(ErrorCode::invalid_argument, "mail.mailboxes: write each as [[mail.mailboxes]]");
  std::vector<MailboxConfig> out;
  for (const auto& element : *array) {
    const auto& t = *element.as_table();
    MailboxConfig m;
    const std::string where = "mail.mailboxes[" + std::to_string(out.size()) + "]";
    auto bad = [&](const std::string& why) {
      return fail(ErrorCode::invalid_argument, where + ": " + why);
    };
    std::string password_file;
    for (const auto& [key, value] : t) {
      const std::string k(key.str());
      auto text = [&](std::string& field) -> bool {
        if (!value.is_string()) return false;
        field = *value.value<std::string>();
        return true;
      };
      auto flag = [&](bool& field) -> bool {
        if (!value.is_boolean()) return false;
        field = *value.value<bool>();
        return true;
      };
      bool ok = true;
      if (k == "name")
        ok = text(m.name);
      else if (k == "team")
        ok = text(m.team);
      else if (k == "url")
        ok = text(m.url);
      else if (k == "user")
        ok = text(m.user);
      else if (k == "password")
        ok = text(m.password);
      else if (k == "password_file")
        ok = text(password_file);
      else if (k == "starttls")
        ok = flag(m.starttls);
      else if (k == "tls_verify")
        ok = flag(m.tls_verify);
      else if (k == "ca_file")
        ok = text(m.ca_file);
      else if (k == "after")
        ok = text(m.after);
      else if (k == "move_to")
        ok = text(m.move_to);
      else if (k == "quarantine")
        ok = text(m.quarantine);
      else if (k == "interval_seconds") {
        auto n = value.value<long long>();
        ok = value.is_integer() && *n >= 5 && *n <= 86400;
        if (ok)
          m.interval_seconds = static_cast<int>(*n);
        else
          return bad("interval_seconds: a whole number from 5 to 86400");
      } else if (k == "connect_timeout_seconds") {
        auto n = value.value<long long>();
        ok = value.is_integer() && *n >= 1 && *n <= 300;
        if (ok)
          m.connect_timeout_seconds = static_cast<int>(*n);
        else
          return bad("connect_timeout_seconds: a whole number from 1 to 300");
      } else if (k == "timeout_seconds") {
        auto n = value.value<long long>();
        ok = value.is_integer() && *n >= 5 && *n <= 3600;
        if (ok)
          m.timeout_seconds = static_cast<int>(*n);
        else
          return bad("timeout_seconds: a whole number from 5 to 3600");
      } else if (k == "max_message_bytes") {
        auto n = value.value<long long>();
        ok = value.is_integer() && *n >= 1024 && *n <= (1LL << 31);
        if (ok)
          m.max_message_bytes = *n;
        else
          return bad("max_message_bytes: a whole number from 1024 to 2147483648");
      } else
        return bad("unknown key '" + k + "'");
      if (!ok) return bad("'" + k + "' has the wrong type");
    }
    if (m.name.empty() || m.name.size() > 100) return bad("name: 1 to 100 characters");
    for (const auto& other : out)
      if (other.name == m.name) return bad("the name '" + m.name + "' is taken twice");
    if (m.after != "seen" && m.after != "move" && m.after != "delete")
      return bad("after: one of seen, move, delete, got '" + m.after + "'");
    if (auto checked = check_folder_name("move_to", m.move_to); !checked)
      return bad(checked.error().message);
    if (auto checked = check_folder_name("quarantine", m.quarantine); !checked)
      return bad(checked.error().message);
    if (!m.ca_file.empty()) {
      std::filesystem::path p(m.ca_file);
      if (p.is_relative()) p = file.parent_path() / p;
      if (auto checked = check_ca_file("ca_file", p); !checked) return bad(checked.error().message);
      m.ca_file = p.string();
    }
    if (!m.url.empty()) {
      if (!m.url.starts_with("imap://") && !m.url.starts_with("imaps://"))
        return bad("url: imaps://host:993/FOLDER or imap://host:143/FOLDER");
      if (m.starttls && m.url.starts_with("imaps://"))
        return bad("starttls is for imap:// URLs (imaps:// is TLS from the start)");
      if (m.user.empty()) return bad("user is required with a url");
      if (m.after == "move" && m.move_to.empty()) return bad("after = \"move\" needs move_to");
      if (!password_file.empty() && !m.password.empty())
        return bad("password or password_file, not both");
      if (!password_file.empty()) {
        std::filesystem::path p(password_file);
        if (p.is_relative()) p = file.parent_path() / p;
        std::ifstream in(p);
        if (!in) return bad("password_file: cannot read " + p.string());
        std::getline(in, m.password);
        while (!m.password.empty() && (m.password.back() == '\r' || m.password.back() == '\n'))
          m.password.pop_back();
      }
    }
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace

const std::vector<ConfigKey>& config_keys() {
  static const std::vector<ConfigKey> keys = {
      {"server.listen",
       [](Config& c, std::string_view v) -> Result<void> {
         if (auto a = parse_listen(v); !a) return std::unexpected(a.error());
         c.listen = std::string(v);
         return {};
       }},
      int_key("server.io_threads", &Config::io_threads, 1, 64),
      int_key("server.worker_threads", &Config::worker_threads, 1, 1024),
      int_key("server.body_limit", &Config::body_limit, 1024, 1 << 30),
      int_key("server.read_timeout_seconds", &Config::read_timeout_seconds, 1, 3600),
      int_key("server.idle_timeout_seconds", &Config::idle_timeout_seconds, 1, 3600),
      int_key("server.max_pipelined", &Config::max_pipelined, 1, 1024),
      string_key("server.static_dir", &Config::static_dir),
      string_key("server.allowed_origins", &Config::allowed_origins),
      {"server.embed_origins",
       [](Config& c, std::string_view v) -> Result<void> {
         // Each an origin: http(s)://host[:port], nothing after it (it goes into a CSP header).
         std::string_view rest = v;
         while (!rest.empty()) {
           const std::size_t comma = rest.find(',');
           std::string_view item = rest.substr(0, comma);
           rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
           while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
           while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
           if (item.empty()) continue;
           const std::size_t scheme = item.starts_with("https://") ? 8
                                      : item.starts_with("http://") ? 7
                                                                    : 0;
           const std::string_view host = item.substr(scheme);
           const bool ok = scheme != 0 && !host.empty() &&
                           std::ranges::all_of(host, [](char ch) {
                             return std::isalnum(static_cast<unsigned char>(ch)) != 0 ||
                                    ch == '.' || ch == '-' || ch == ':' || ch == '[' || ch == ']';
                           });
           if (!ok)
             return fail(ErrorCode::invalid_argument,
                         "server.embed_origins: origins like https://intranet.example, "
                         "separated by commas, got '" +
                             std::string(item) + "'");
         }
         c.embed_origins = std::string(v);
         return {};
       }},
      string_key("storage.data_dir", &Config::data_dir),
      {"storage.synchronous_full",
       [](Config& c, std::string_view v) -> Result<void> {
         auto b = to_bool("storage.synchronous_full", v);
         if (!b) return std::unexpected(b.error());
         c.synchronous_full = *b;
         return {};
       }},
      int_key("storage.max_batch", &Config::max_batch, 1, 10000),
      int_key("search.result_cache", &Config::result_cache, 0, 1000000),
      int_key("search.concurrent_searches", &Config::concurrent_searches, 0, 1024),
      int_key("attachments.max_bytes", &Config::attachment_max_bytes, 1, 1 << 28),
      int_key("sla.check_seconds", &Config::sla_check_seconds, 1, 3600),
      string_key("security.password_cost", &Config::password_cost,
                 {"min", "interactive", "moderate"}),
      int_key("security.session_hours", &Config::session_hours, 1, 24 * 90),
      int_key("webhooks.connect_timeout_seconds", &Config::webhook_connect_timeout_seconds, 1, 60),
      int_key("webhooks.timeout_seconds", &Config::webhook_timeout_seconds, 1, 300),
      int_key("webhooks.max_attempts", &Config::webhook_max_attempts, 1, 20),
      int_key("webhooks.first_retry_seconds", &Config::webhook_first_retry_seconds, 1, 3600),
      int_key("webhooks.max_in_flight", &Config::webhook_max_in_flight, 1, 1000),
      int_key("webhooks.log_days", &Config::webhook_log_days, 1, 3650),
      {"phone.default_country_code",
       [](Config& c, std::string_view v) -> Result<void> {
         if (!v.empty() && !is_country_code(v))
           return fail(ErrorCode::invalid_argument,
                       "phone.default_country_code: a country calling code without + or 00, "
                       "e.g. \"49\", got '" +
                           std::string(v) + "'");
         c.phone_default_country_code = std::string(v);
         return {};
       }},
      {"cti.token",
       [](Config& c, std::string_view v) -> Result<void> {
         // Never echoed: it is a secret.
         if (!v.empty() && (v.size() < 16 || v.size() > 256))
           return fail(ErrorCode::invalid_argument,
                       "cti.token: 16 to 256 characters (a long random secret)");
         for (char ch : v)
           if (ch <= 0x20 || ch == 0x7f)
             return fail(ErrorCode::invalid_argument,
                         "cti.token: printable characters without spaces");
         c.cti_token = std::string(v);
         return {};
       }},
      string_key("log.level", &Config::log_level,
                 {"trace", "debug", "info", "warn", "error", "off"}),
      {"mail.address",
       [](Config& c, std::string_view v) -> Result<void> {
         if (!v.empty() && (v.find('@') == std::string_view::npos ||
                            v.find_first_of(" <>\r\n") != std::string_view::npos || v.size() > 254))
           return fail(
               ErrorCode::invalid_argument,
               "mail.address: a plain address like desk@example.com, got '" + std::string(v) + "'");
         c.mail_address = std::string(v);
         return {};
       }},
      {"mail.smtp_url",
       [](Config& c, std::string_view v) -> Result<void> {
         if (!v.empty() && !v.starts_with("smtp://") && !v.starts_with("smtps://"))
           return fail(ErrorCode::invalid_argument,
                       "mail.smtp_url: smtp://host:port or smtps://host:port, got '" +
                           std::string(v) + "'");
         if (v.find('@') != std::string_view::npos)
           return fail(ErrorCode::invalid_argument,
                       "mail.smtp_url: no user or password in it (use mail.smtp_user)");
         c.mail_smtp_url = std::string(v);
         return {};
       }},
      string_key("mail.smtp_user", &Config::mail_smtp_user),
      {"mail.smtp_password",
       [](Config& c, std::string_view v) -> Result<void> {
         c.mail_smtp_password = std::string(v);  // never echoed: a secret
         return {};
       }},
      {"mail.smtp_starttls",
       [](Config& c, std::string_view v) -> Result<void> {
         auto b = to_bool("mail.smtp_starttls", v);
         if (!b) return std::unexpected(b.error());
         c.mail_smtp_starttls = *b;
         return {};
       }},
      {"mail.smtp_ca_file",
       [](Config& c, std::string_view v) -> Result<void> {
         if (!v.empty())
           if (auto checked = check_ca_file("mail.smtp_ca_file", std::filesystem::path(v));
               !checked)
             return checked;
         c.mail_smtp_ca_file = std::string(v);
         return {};
       }},
      {"mail.smtp_tls_verify",
       [](Config& c, std::string_view v) -> Result<void> {
         auto b = to_bool("mail.smtp_tls_verify", v);
         if (!b) return std::unexpected(b.error());
         c.mail_smtp_tls_verify = *b;
         return {};
       }},
      string_key("mail.from_name", &Config::mail_from_name),
      string_key("mail.base_url", &Config::mail_base_url),
      string_key("mail.templates_dir", &Config::mail_templates_dir),
      int_key("mail.max_attempts", &Config::mail_max_attempts, 1, 20),
      int_key("bot.anonymous_sessions_per_hour", &Config::bot_anonymous_sessions_per_hour, 1,
              100000),
      int_key("bot.anonymous_messages_per_minute", &Config::bot_anonymous_messages_per_minute, 1,
              10000),
      int_key("bot.user_sessions_per_hour", &Config::bot_user_sessions_per_hour, 1, 100000),
      int_key("bot.user_messages_per_minute", &Config::bot_user_messages_per_minute, 1, 10000),
      int_key("bot.max_message_bytes", &Config::bot_max_message_bytes, 100, 100000),
      {"bot.generative_url",
       [](Config& c, std::string_view v) -> Result<void> {
         if (!v.empty() && !v.starts_with("http://") && !v.starts_with("https://"))
           return fail(ErrorCode::invalid_argument,
                       "bot.generative_url: http:// or https:// (an OpenAI-compatible API's base "
                       "URL, e.g. http://127.0.0.1:8081/v1), got '" +
                           std::string(v) + "'");
         c.bot_generative_url = std::string(v);
         return {};
       }},
      string_key("bot.generative_model", &Config::bot_generative_model),
      {"bot.generative_api_key",
       [](Config& c, std::string_view v) -> Result<void> {
         c.bot_generative_api_key = std::string(v);  // never echoed: a secret
         return {};
       }},
      int_key("bot.generative_timeout_seconds", &Config::bot_generative_timeout_seconds, 1, 300),
      {"bot.live_chat",
       [](Config& c, std::string_view v) -> Result<void> {
         auto b = to_bool("bot.live_chat", v);
         if (!b) return std::unexpected(b.error());
         c.bot_live_chat = *b;
         return {};
       }},
      string_key("bot.live_chat_calendar", &Config::bot_live_chat_calendar),
      int_key("bot.live_chat_wait_seconds", &Config::bot_live_chat_wait_seconds, 10, 86400),
      int_key("bot.live_chat_idle_minutes", &Config::bot_live_chat_idle_minutes, 1, 1440),
      int_key("bot.session_idle_minutes", &Config::bot_session_idle_minutes, 1, 10080),
      {"reports.default_handling_minutes",
       [](Config& c, std::string_view v) -> Result<void> {
         std::string text(v);
         char* end = nullptr;
         const double minutes = std::strtod(text.c_str(), &end);
         if (text.empty() || end != text.c_str() + text.size() || !(minutes > 0) ||
             minutes > 1440)
           return fail(ErrorCode::invalid_argument,
                       "reports.default_handling_minutes: a number of minutes above 0, at most "
                       "1440, got '" +
                           text + "'");
         c.reports_default_handling_minutes = minutes;
         return {};
       }},
      {"reports.time_zone",
       [](Config& c, std::string_view v) -> Result<void> {
         // The name is resolved when the server starts (an unknown zone stops it there).
         if (v.empty() || v.size() > 64 || v.find_first_of(" \t\r\n") != std::string_view::npos)
           return fail(ErrorCode::invalid_argument,
                       "reports.time_zone: an IANA time zone such as Europe/Berlin, got '" +
                           std::string(v) + "'");
         c.reports_time_zone = std::string(v);
         return {};
       }},
      {"reports.weekly_summary",
       [](Config& c, std::string_view v) -> Result<void> {
         auto b = to_bool("reports.weekly_summary", v);
         if (!b) return std::unexpected(b.error());
         c.reports_weekly_summary = *b;
         return {};
       }},
      int_key("mail.first_retry_seconds", &Config::mail_first_retry_seconds, 1, 3600),
      int_key("mail.imap_parallel", &Config::mail_imap_parallel, 1, 32),
      int_key("mail.max_attachment_bytes", &Config::mail_max_attachment_bytes, 0, 1 << 28),
      int_key("mail.new_tickets_per_sender_per_hour", &Config::mail_new_tickets_per_sender_per_hour,
              0, 1000000),
  };
  return keys;
}

std::string env_name(std::string_view key) {
  std::string out = "FIRSTLINE_";
  for (char c : key)
    out += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

Result<void> apply_toml_file(Config& config, const std::filesystem::path& file) {
  toml::table table;
  try {
    table = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    return fail(ErrorCode::invalid_argument, file.string() + ":" +
                                                 std::to_string(e.source().begin.line) + ": " +
                                                 std::string(e.description()));
  }
  for (const auto& [section, node] : table) {
    const auto* inner = node.as_table();
    if (!inner)
      return fail(ErrorCode::invalid_argument,
                  file.string() + ": '" + std::string(section.str()) + "' must be a [section]");
    for (const auto& [name, value] : *inner) {
      std::string key = std::string(section.str()) + "." + std::string(name.str());
      if (key == "mail.mailboxes") {
        auto mailboxes = parse_mailboxes(value, file);
        if (!mailboxes)
          return fail(ErrorCode::invalid_argument,
                      file.string() + ": " + mailboxes.error().message);
        config.mail_mailboxes = std::move(*mailboxes);
        continue;
      }
      auto it = std::find_if(config_keys().begin(), config_keys().end(),
                             [&](const ConfigKey& k) { return k.name == key; });
      if (it == config_keys().end())
        return fail(ErrorCode::invalid_argument, file.string() + ": unknown key '" + key + "'");
      std::string text;
      if (auto s = value.value<std::string>(); s && value.is_string())
        text = *s;
      else if (auto i = value.value<long long>(); i && value.is_integer())
        text = std::to_string(*i);
      else if (auto b = value.value<bool>(); b && value.is_boolean())
        text = *b ? "true" : "false";
      else if (auto f = value.value<double>(); f && value.is_floating_point())
        text = decimal_text(*f);  // a key that wants a whole number refuses it
      else
        return fail(ErrorCode::invalid_argument,
                    file.string() + ": '" + key + "' must be a string, number or boolean");
      if (auto ok = it->set(config, text); !ok)
        return fail(ErrorCode::invalid_argument, file.string() + ": " + ok.error().message);
    }
  }
  return {};
}

Result<void> apply_environment(Config& config,
                               const std::function<const char*(const char*)>& getenv) {
  for (const auto& key : config_keys()) {
    std::string var = env_name(key.name);
    if (const char* v = getenv(var.c_str()))
      if (auto ok = key.set(config, v); !ok)
        return fail(ErrorCode::invalid_argument, var + ": " + ok.error().message);
  }
  return {};
}

Result<ListenAddress> parse_listen(std::string_view text) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0)
    return fail(ErrorCode::invalid_argument,
                "listen address must be HOST:PORT, got '" + std::string(text) + "'");
  auto port = to_int("port", text.substr(colon + 1), 0, 65535);
  if (!port)
    return fail(ErrorCode::invalid_argument,
                "listen address '" + std::string(text) + "': port must be 0-65535");
  std::string host(text.substr(0, colon));
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  return ListenAddress{host, static_cast<unsigned short>(*port)};
}

}  // namespace fl
