#include "server/config.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "support/temp_dir.hpp"

namespace fl {

namespace {
std::filesystem::path write(const testing::TempDir& dir, const std::string& text) {
  auto file = dir.path() / "firstline.toml";
  std::ofstream(file) << text;
  return file;
}
}  // namespace

TEST(Config, EveryKeyHasAnEnvironmentVariable) {
  EXPECT_EQ(env_name("server.listen"), "FIRSTLINE_SERVER_LISTEN");
  EXPECT_EQ(env_name("security.password_cost"), "FIRSTLINE_SECURITY_PASSWORD_COST");
  for (const auto& key : config_keys()) EXPECT_EQ(env_name(key.name).rfind("FIRSTLINE_", 0), 0u);
}

TEST(Config, FileThenEnvironment) {
  testing::TempDir dir;
  Config c;
  ASSERT_TRUE(apply_toml_file(c, write(dir,
                                       "[server]\nlisten = \"0.0.0.0:9000\"\nworker_threads = 8\n"
                                       "[storage]\nsynchronous_full = false\n")));
  EXPECT_EQ(c.listen, "0.0.0.0:9000");
  EXPECT_EQ(c.worker_threads, 8);
  EXPECT_FALSE(c.synchronous_full);
  std::map<std::string, std::string> env = {{"FIRSTLINE_SERVER_WORKER_THREADS", "4"},
                                            {"FIRSTLINE_LOG_LEVEL", "debug"}};
  ASSERT_TRUE(apply_environment(c, [&](const char* n) -> const char* {
    auto it = env.find(n);
    return it == env.end() ? nullptr : it->second.c_str();
  }));
  EXPECT_EQ(c.worker_threads, 4);
  EXPECT_EQ(c.log_level, "debug");
  EXPECT_EQ(c.listen, "0.0.0.0:9000");
}

TEST(Config, ErrorsNameTheKey) {
  testing::TempDir dir;
  Config c;
  auto unknown = apply_toml_file(c, write(dir, "[server]\nlisen = \"x\"\n"));
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("server.lisen"), std::string::npos);
  auto bad = apply_toml_file(c, write(dir, "[server]\nworker_threads = 0\n"));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("server.worker_threads"), std::string::npos);
  auto syntax = apply_toml_file(c, write(dir, "[server\n"));
  ASSERT_FALSE(syntax);
  auto env = apply_environment(c, [](const char* n) -> const char* {
    return std::string_view(n) == "FIRSTLINE_SECURITY_PASSWORD_COST" ? "cheap" : nullptr;
  });
  ASSERT_FALSE(env);
  EXPECT_NE(env.error().message.find("FIRSTLINE_SECURITY_PASSWORD_COST"), std::string::npos);
}

TEST(Config, ListenAddress) {
  auto a = parse_listen("127.0.0.1:0");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 0);
  EXPECT_EQ(parse_listen("[::1]:8080")->host, "::1");
  EXPECT_FALSE(parse_listen("localhost"));
  EXPECT_FALSE(parse_listen("localhost:99999"));
}

// [[mail.mailboxes]] (IMAP polling)
TEST(Config, MailboxesAreTablesWithTheirImapSettings) {
  testing::TempDir dir;
  std::ofstream(dir.path() / "desk.password") << "s3cret\n";
  Config c;
  auto ok =
      apply_toml_file(c, write(dir,
                               "[[mail.mailboxes]]\nname = \"desk\"\nteam = \"Service Desk\"\n"
                               "url = \"imap://mail.example.com:143/INBOX\"\nuser = \"desk\"\n"
                               "password_file = \"desk.password\"\nstarttls = true\n"
                               "after = \"move\"\nmove_to = \"Done\"\n"
                               "quarantine = \"Rejected\"\ninterval_seconds = 30\n"
                               "max_message_bytes = 1048576\n"
                               "[[mail.mailboxes]]\nname = \"gate\"\nteam = \"Network\"\n"));
  ASSERT_TRUE(ok) << ok.error().message;
  ASSERT_EQ(c.mail_mailboxes.size(), 2u);
  const auto& m = c.mail_mailboxes[0];
  EXPECT_EQ(m.name, "desk");
  EXPECT_EQ(m.team, "Service Desk");
  EXPECT_EQ(m.password, "s3cret");
  EXPECT_TRUE(m.starttls);
  EXPECT_TRUE(m.tls_verify);
  EXPECT_EQ(m.after, "move");
  EXPECT_EQ(m.move_to, "Done");
  EXPECT_EQ(m.quarantine, "Rejected");
  EXPECT_EQ(m.interval_seconds, 30);
  EXPECT_EQ(m.max_message_bytes, 1048576);
  EXPECT_TRUE(c.mail_mailboxes[1].url.empty()) << "no url: mailgate only";
}

TEST(Config, MailboxMistakesAreNamed) {
  testing::TempDir dir;
  auto error = [&](const std::string& text) {
    Config c;
    auto r = apply_toml_file(c, write(dir, text));
    return r ? std::string() : r.error().message;
  };
  const std::string head = "[[mail.mailboxes]]\nname = \"desk\"\nuser = \"u\"\n";
  EXPECT_NE(error(head + "url = \"https://x/INBOX\"\n").find("url"), std::string::npos);
  EXPECT_NE(error(head + "url = \"imaps://x/INBOX\"\nstarttls = true\n").find("starttls"),
            std::string::npos);
  EXPECT_NE(error(head + "url = \"imap://x/INBOX\"\nafter = \"move\"\n").find("move_to"),
            std::string::npos);
  EXPECT_NE(error(head + "url = \"imap://x/INBOX\"\nafter = \"archive\"\n").find("after"),
            std::string::npos);
  EXPECT_NE(error(head + "interval_seconds = 1\n").find("interval_seconds"), std::string::npos);
  EXPECT_NE(error(head + "colour = \"red\"\n").find("colour"), std::string::npos);
  EXPECT_NE(error(head + "[[mail.mailboxes]]\nname = \"desk\"\n").find("twice"), std::string::npos);
  EXPECT_NE(error("[mail]\nmailboxes = 3\n").find("[[mail.mailboxes]]"), std::string::npos);
}

}  // namespace fl

namespace fl {

TEST(Config, MailAndMailboxes) {
  testing::TempDir dir;
  Config c;
  auto ok = apply_toml_file(c, write(dir, "[mail]\naddress = \"support@desk.example\"\n"
                                          "new_tickets_per_sender_per_hour = 5\n"
                                          "[[mail.mailboxes]]\nname = \"support\"\n"
                                          "[[mail.mailboxes]]\nname = \"partner\"\n"
                                          "team = \"Partner Desk\"\n"));
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(c.mail_address, "support@desk.example");
  EXPECT_EQ(c.mail_new_tickets_per_sender_per_hour, 5);
  ASSERT_EQ(c.mail_mailboxes.size(), 2u);
  EXPECT_EQ(c.mail_mailboxes[1].name, "partner");
  EXPECT_EQ(c.mail_mailboxes[1].team, "Partner Desk");

  Config d;
  auto unknown = apply_toml_file(d, write(dir, "[[mail.mailboxes]]\nname = \"a\"\nfoo = 1\n"));
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("foo"), std::string::npos);
  auto unnamed = apply_toml_file(d, write(dir, "[[mail.mailboxes]]\nteam = \"x\"\n"));
  ASSERT_FALSE(unnamed);
  auto twice = apply_toml_file(
      d, write(dir, "[[mail.mailboxes]]\nname = \"a\"\n[[mail.mailboxes]]\nname = \"a\"\n"));
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().message.find("twice"), std::string::npos);
  auto address = apply_toml_file(d, write(dir, "[mail]\naddress = \"nobody\"\n"));
  ASSERT_FALSE(address);
}

TEST(Config, OutboundMailKeys) {
  testing::TempDir dir;
  Config c;
  ASSERT_TRUE(apply_toml_file(
      c, write(dir,
               "[mail]\naddress = \"desk@example.com\"\nsmtp_url = \"smtps://mx:465\"\n"
               "smtp_user = \"desk\"\nsmtp_starttls = true\nfrom_name = \"IT-Service Süd\"\n"
               "max_attempts = 5\n")));
  EXPECT_EQ(c.mail_address, "desk@example.com");
  EXPECT_EQ(c.mail_smtp_url, "smtps://mx:465");
  EXPECT_EQ(c.mail_smtp_user, "desk");
  EXPECT_TRUE(c.mail_smtp_starttls);
  EXPECT_EQ(c.mail_from_name, "IT-Service Süd");
  EXPECT_EQ(c.mail_max_attempts, 5);
  auto scheme = apply_toml_file(c, write(dir, "[mail]\nsmtp_url = \"http://mx\"\n"));
  ASSERT_FALSE(scheme);
  EXPECT_NE(scheme.error().message.find("mail.smtp_url"), std::string::npos);
  EXPECT_FALSE(apply_toml_file(c, write(dir, "[mail]\nsmtp_url = \"smtp://u:pw@mx\"\n")));
  EXPECT_FALSE(apply_toml_file(c, write(dir, "[mail]\naddress = \"not an address\"\n")));
  EXPECT_TRUE(apply_toml_file(c, write(dir, "[mail]\nsmtp_url = \"\"\n")));
  EXPECT_TRUE(c.mail_smtp_url.empty());  // outbound mail off
}

TEST(Config, BotRateLimits) {
  testing::TempDir dir;
  Config c;
  EXPECT_EQ(c.bot_anonymous_sessions_per_hour, 10);
  EXPECT_EQ(c.bot_anonymous_messages_per_minute, 30);
  ASSERT_TRUE(apply_toml_file(
      c, write(dir, "[bot]\nanonymous_sessions_per_hour = 3\nanonymous_messages_per_minute = 5\n"
                    "user_sessions_per_hour = 7\nuser_messages_per_minute = 9\n"
                    "max_message_bytes = 500\n")));
  EXPECT_EQ(c.bot_anonymous_sessions_per_hour, 3);
  EXPECT_EQ(c.bot_anonymous_messages_per_minute, 5);
  EXPECT_EQ(c.bot_user_sessions_per_hour, 7);
  EXPECT_EQ(c.bot_user_messages_per_minute, 9);
  EXPECT_EQ(c.bot_max_message_bytes, 500);
  auto zero = apply_toml_file(c, write(dir, "[bot]\nanonymous_sessions_per_hour = 0\n"));
  ASSERT_FALSE(zero);
  EXPECT_NE(zero.error().message.find("bot.anonymous_sessions_per_hour"), std::string::npos);
  ASSERT_TRUE(apply_environment(c, [](const char* n) -> const char* {
    return std::string_view(n) == "FIRSTLINE_BOT_USER_SESSIONS_PER_HOUR" ? "11" : nullptr;
  }));
  EXPECT_EQ(c.bot_user_sessions_per_hour, 11);
}

TEST(Config, MailAttachmentLimit) {
  testing::TempDir dir;
  Config c;
  EXPECT_EQ(c.mail_max_attachment_bytes, 10 << 20) << "10 MiB unless set";
  ASSERT_TRUE(apply_toml_file(c, write(dir, "[mail]\nmax_attachment_bytes = 2097152\n")));
  EXPECT_EQ(c.mail_max_attachment_bytes, 2 << 20);
  ASSERT_TRUE(apply_toml_file(c, write(dir, "[mail]\nmax_attachment_bytes = 0\n")));
  EXPECT_EQ(c.mail_max_attachment_bytes, 0) << "0: files are never attached";
  auto negative = apply_toml_file(c, write(dir, "[mail]\nmax_attachment_bytes = -1\n"));
  ASSERT_FALSE(negative);
  EXPECT_NE(negative.error().message.find("mail.max_attachment_bytes"), std::string::npos);
  EXPECT_FALSE(apply_toml_file(c, write(dir, "[mail]\nmax_attachment_bytes = \"big\"\n")));
}

}  // namespace fl

namespace fl {

namespace {
const char* kPem =
    "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";  // only the shape counts

std::function<const char*(const char*)> env_of(const std::map<std::string, std::string>& env) {
  return [&env](const char* n) -> const char* {
    auto it = env.find(n);
    return it == env.end() ? nullptr : it->second.c_str();
  };
}
}  // namespace

TEST(Config, SmtpTrustKeys) {
  testing::TempDir dir;
  const auto ca = dir.path() / "site-ca.pem";
  std::ofstream(ca) << kPem;
  Config c;
  EXPECT_TRUE(c.mail_smtp_tls_verify) << "checked unless switched off";
  EXPECT_TRUE(c.mail_smtp_ca_file.empty());
  auto ok = apply_toml_file(
      c, write(dir, "[mail]\nsmtp_ca_file = \"" + ca.string() + "\"\nsmtp_tls_verify = false\n"));
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(c.mail_smtp_ca_file, ca.string());
  EXPECT_FALSE(c.mail_smtp_tls_verify);

  auto error = [&](const std::string& text) {
    Config d;
    auto r = apply_toml_file(d, write(dir, text));
    return r ? std::string() : r.error().message;
  };
  const std::string missing =
      error("[mail]\nsmtp_ca_file = \"" + (dir.path() / "nope.pem").string() + "\"\n");
  EXPECT_NE(missing.find("mail.smtp_ca_file"), std::string::npos) << missing;
  EXPECT_NE(missing.find("no such file"), std::string::npos) << missing;
  EXPECT_NE(error("[mail]\nsmtp_ca_file = \"" + dir.path().string() + "\"\n").find("no such file"),
            std::string::npos)
      << "a folder is no CA file";
  std::ofstream(dir.path() / "key.txt") << "not a certificate\n";
  EXPECT_NE(error("[mail]\nsmtp_ca_file = \"" + (dir.path() / "key.txt").string() + "\"\n")
                .find("no PEM certificate"),
            std::string::npos);
  EXPECT_NE(error("[mail]\nsmtp_tls_verify = \"maybe\"\n").find("mail.smtp_tls_verify"),
            std::string::npos);
  EXPECT_TRUE(error("[mail]\nsmtp_ca_file = \"\"\n").empty()) << "empty: the system's store";

  // The environment, like every key.
  Config e;
  std::map<std::string, std::string> env = {{"FIRSTLINE_MAIL_SMTP_CA_FILE", ca.string()},
                                            {"FIRSTLINE_MAIL_SMTP_TLS_VERIFY", "no"}};
  ASSERT_TRUE(apply_environment(e, env_of(env)));
  EXPECT_EQ(e.mail_smtp_ca_file, ca.string());
  EXPECT_FALSE(e.mail_smtp_tls_verify);
  env["FIRSTLINE_MAIL_SMTP_CA_FILE"] = (dir.path() / "gone.pem").string();
  auto bad = apply_environment(e, env_of(env));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("FIRSTLINE_MAIL_SMTP_CA_FILE"), std::string::npos);
  EXPECT_NE(bad.error().message.find("gone.pem"), std::string::npos);
}

TEST(Config, ImapParallel) {
  testing::TempDir dir;
  Config c;
  EXPECT_EQ(c.mail_imap_parallel, 4);
  ASSERT_TRUE(apply_toml_file(c, write(dir, "[mail]\nimap_parallel = 32\n")));
  EXPECT_EQ(c.mail_imap_parallel, 32);
  ASSERT_TRUE(apply_toml_file(c, write(dir, "[mail]\nimap_parallel = 1\n")));
  EXPECT_EQ(c.mail_imap_parallel, 1);
  for (const char* bad : {"0", "33", "-1", "\"four\""}) {
    auto r = apply_toml_file(c, write(dir, std::string("[mail]\nimap_parallel = ") + bad + "\n"));
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message.find("mail.imap_parallel"), std::string::npos);
  }
  EXPECT_EQ(c.mail_imap_parallel, 1) << "a refused value changes nothing";
  std::map<std::string, std::string> env = {{"FIRSTLINE_MAIL_IMAP_PARALLEL", "8"}};
  ASSERT_TRUE(apply_environment(c, env_of(env)));
  EXPECT_EQ(c.mail_imap_parallel, 8);
  env["FIRSTLINE_MAIL_IMAP_PARALLEL"] = "100";
  EXPECT_FALSE(apply_environment(c, env_of(env)));
}

TEST(Config, GenerativeAnswersAreOffUntilAUrlIsSet) {
  testing::TempDir dir;
  Config c;
  EXPECT_EQ(c.bot_generative_url, "");
  EXPECT_EQ(c.bot_generative_timeout_seconds, 20);
  ASSERT_TRUE(apply_toml_file(
      c, write(dir, "[bot]\ngenerative_url = \"http://127.0.0.1:8081/v1\"\n"
                    "generative_model = \"local-7b\"\ngenerative_api_key = \"k\"\n"
                    "generative_timeout_seconds = 5\n")));
  EXPECT_EQ(c.bot_generative_url, "http://127.0.0.1:8081/v1");
  EXPECT_EQ(c.bot_generative_model, "local-7b");
  EXPECT_EQ(c.bot_generative_api_key, "k");
  EXPECT_EQ(c.bot_generative_timeout_seconds, 5);
  for (const char* bad : {"generative_url = \"file:///etc/passwd\"",
                          "generative_url = \"127.0.0.1:8081\"", "generative_timeout_seconds = 0",
                          "generative_timeout_seconds = 301"}) {
    auto r = apply_toml_file(c, write(dir, std::string("[bot]\n") + bad + "\n"));
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message.find("bot.generative_"), std::string::npos);
  }
}

TEST(Config, EmbedOriginsAreOrigins) {
  testing::TempDir dir;
  Config c;
  ASSERT_TRUE(apply_toml_file(
      c, write(dir, "[server]\nembed_origins = \"https://intranet.example, http://wiki:8080,\"\n")));
  EXPECT_EQ(c.embed_origins, "https://intranet.example, http://wiki:8080,");
  for (const char* bad : {"intranet.example", "https://x.example/path", "*",
                          "https://a.example; script-src *", "ftp://x.example", "https://"}) {
    auto r = apply_toml_file(c, write(dir, std::string("[server]\nembed_origins = \"") + bad + "\"\n"));
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message.find("server.embed_origins"), std::string::npos);
  }
}

TEST(Config, MailboxTrustAndTimeouts) {
  testing::TempDir dir;
  std::ofstream(dir.path() / "imap-ca.pem") << kPem;
  const std::string head =
      "[[mail.mailboxes]]\nname = \"desk\"\nuser = \"u\"\nurl = \"imaps://mx/INBOX\"\n";
  Config c;
  auto ok =
      apply_toml_file(c, write(dir, head + "ca_file = \"imap-ca.pem\"\ntimeout_seconds = 300\n"
                                           "connect_timeout_seconds = 20\n"));
  ASSERT_TRUE(ok) << ok.error().message;
  const auto& m = c.mail_mailboxes.at(0);
  EXPECT_EQ(m.ca_file, (dir.path() / "imap-ca.pem").string()) << "relative to the file";
  EXPECT_EQ(m.timeout_seconds, 300);
  EXPECT_EQ(m.connect_timeout_seconds, 20);
  Config d;
  ASSERT_TRUE(apply_toml_file(d, write(dir, head)));
  EXPECT_EQ(d.mail_mailboxes.at(0).timeout_seconds, 60) << "as before the key existed";
  EXPECT_EQ(d.mail_mailboxes.at(0).connect_timeout_seconds, 10);
  EXPECT_TRUE(d.mail_mailboxes.at(0).ca_file.empty());

  auto error = [&](const std::string& text) {
    Config e;
    auto r = apply_toml_file(e, write(dir, text));
    return r ? std::string() : r.error().message;
  };
  const std::string missing = error(head + "ca_file = \"missing.pem\"\n");
  EXPECT_NE(missing.find("ca_file"), std::string::npos) << missing;
  EXPECT_NE(missing.find("missing.pem"), std::string::npos) << missing;
  EXPECT_NE(missing.find("mail.mailboxes[0]"), std::string::npos) << missing;
  EXPECT_NE(error(head + "ca_file = 7\n").find("wrong type"), std::string::npos);
  for (const char* bad : {"4", "3601", "0", "-5", "\"60\"", "1.5"})
    EXPECT_NE(error(head + "timeout_seconds = " + bad + "\n").find("timeout_seconds"),
              std::string::npos)
        << bad;
  for (const char* bad : {"0", "301", "\"10\""})
    EXPECT_NE(
        error(head + "connect_timeout_seconds = " + bad + "\n").find("connect_timeout_seconds"),
        std::string::npos)
        << bad;
  EXPECT_TRUE(error(head + "timeout_seconds = 5\nconnect_timeout_seconds = 1\n").empty());
  EXPECT_TRUE(error(head + "timeout_seconds = 3600\nconnect_timeout_seconds = 300\n").empty());
}

TEST(Config, MailboxFoldersAreUtf8WithoutControlCharacters) {
  testing::TempDir dir;
  const std::string head =
      "[[mail.mailboxes]]\nname = \"desk\"\nuser = \"u\"\nurl = \"imaps://mx/INBOX\"\n";
  Config c;
  auto ok =
      apply_toml_file(c, write(dir, head + "after = \"move\"\nmove_to = \"Erledigt/Übernommen\"\n"
                                           "quarantine = \"Abgelehnt & Prüfen\"\n"));
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(c.mail_mailboxes.at(0).move_to, "Erledigt/Übernommen");
  EXPECT_EQ(c.mail_mailboxes.at(0).quarantine, "Abgelehnt & Prüfen");
  auto error = [&](const std::string& text) {
    Config e;
    auto r = apply_toml_file(e, write(dir, text));
    return r ? std::string() : r.error().message;
  };
  const std::string tab = error(head + "after = \"move\"\nmove_to = \"Done\\tNow\"\n");
  EXPECT_NE(tab.find("move_to"), std::string::npos) << tab;
  EXPECT_NE(tab.find("control"), std::string::npos) << tab;
  EXPECT_NE(error(head + "quarantine = \"Bad\\u0001\"\n").find("quarantine"), std::string::npos);
  EXPECT_NE(error(head + "quarantine = \"Bad\\u0085\"\n").find("control"), std::string::npos);
  EXPECT_NE(error(head + "quarantine = \"Bad\\u007F\"\n").find("control"), std::string::npos);
}

TEST(Config, StaffingReportKeys) {
  testing::TempDir dir;
  Config c;
  EXPECT_DOUBLE_EQ(c.reports_default_handling_minutes, 10);
  EXPECT_EQ(c.reports_time_zone, "UTC");
  ASSERT_TRUE(apply_toml_file(
      c, write(dir, "[reports]\ndefault_handling_minutes = 7.5\ntime_zone = \"Europe/Berlin\"\n")));
  EXPECT_DOUBLE_EQ(c.reports_default_handling_minutes, 7.5);
  EXPECT_EQ(c.reports_time_zone, "Europe/Berlin");
  ASSERT_TRUE(apply_toml_file(c, write(dir, "[reports]\ndefault_handling_minutes = 12\n")));
  EXPECT_DOUBLE_EQ(c.reports_default_handling_minutes, 12);
  for (const char* bad : {"0", "-3", "2000", "\"ten\""}) {
    auto r = apply_toml_file(c, write(dir, std::string("[reports]\ndefault_handling_minutes = ") +
                                               bad + "\n"));
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message.find("reports.default_handling_minutes"), std::string::npos);
  }
  auto float_for_whole = apply_toml_file(c, write(dir, "[server]\nworker_threads = 2.5\n"));
  ASSERT_FALSE(float_for_whole);
  EXPECT_NE(float_for_whole.error().message.find("server.worker_threads"), std::string::npos);
  EXPECT_FALSE(apply_toml_file(c, write(dir, "[reports]\ntime_zone = \"\"\n")));
}

}  // namespace fl
