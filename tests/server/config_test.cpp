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
