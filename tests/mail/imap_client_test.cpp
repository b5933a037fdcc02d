// The IMAP session against a real dovecot (tests/integration/imap_server.py): plain, IMAPS and
// STARTTLS logins, a site's own CA trusted through ca_file, a fetch that leaves \Seen alone,
// flags, moves (into a folder with an umlaut, in modified UTF-7), and the failures an operator
// meets — a wrong password, an untrusted certificate, a server that is down.
#include "mail/imap_client.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>

#include "mail/dovecot_mailbox.hpp"
#include "support/temp_dir.hpp"

namespace fl::testing {

namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

// A loopback port nothing listens on.
unsigned short closed_port() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(s);
  return ntohs(a.sin_port);
}

}  // namespace

TEST(ImapSession, FetchingLeavesSeenAloneUntilTheMessageIsMarked) {
  FL_REQUIRE_IMAP_SERVER();
  DovecotMailbox box("box1");
  box.deliver("one@test", "", 100);
  box.deliver("two@test", "", 70'000);  // larger than one read
  auto session = ImapSession::open(imap_account("box1"));
  ASSERT_TRUE(session) << session.error().message;
  auto unseen = (*session)->search("UNSEEN");
  ASSERT_TRUE(unseen) << unseen.error().message;
  ASSERT_EQ(unseen->size(), 2u);
  auto sizes = (*session)->sizes(*unseen);
  ASSERT_TRUE(sizes);
  ASSERT_EQ(sizes->size(), 2u);
  EXPECT_GT((*sizes)[1].bytes, 70'000u);

  auto first = (*session)->fetch((*unseen)[0]);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_THAT(*first, HasSubstr("Message-ID: <one@test>"));
  auto second = (*session)->fetch((*unseen)[1]);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->size(), (*sizes)[1].bytes);
  EXPECT_THAT(*second, HasSubstr(std::string(70'000, 'x')));
  EXPECT_EQ((*session)->search("UNSEEN")->size(), 2u) << "BODY.PEEK[] sets no \\Seen";

  ASSERT_TRUE((*session)->add_flags((*unseen)[0], "\\Seen"));
  EXPECT_EQ((*session)->search("UNSEEN")->size(), 1u);
  EXPECT_EQ(box.count("", 'S'), 1);

  ASSERT_TRUE((*session)->move((*unseen)[1], "Archive")) << "the folder is created on the way";
  EXPECT_EQ(box.count("Archive"), 1);
  EXPECT_EQ(box.count(), 1);
  EXPECT_EQ((*session)->fetch(99999).error().code, ErrorCode::not_found);
}

TEST(ImapSession, ImapsAndStarttlsLogIn) {
  FL_REQUIRE_IMAP_SERVER();
  DovecotMailbox box("box6");
  box.deliver("tls@test");
  for (Transport t : {Transport::imaps, Transport::starttls}) {
    auto session = ImapSession::open(imap_account("box6", t));
    ASSERT_TRUE(session) << session.error().message;
    auto all = (*session)->search("ALL");
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), 1u);
    auto raw = (*session)->fetch(all->front());
    ASSERT_TRUE(raw);
    EXPECT_THAT(*raw, HasSubstr("<tls@test>"));
  }
}

TEST(ImapSession, CertificatesAreCheckedUnlessSwitchedOff) {
  FL_REQUIRE_IMAP_SERVER();
  for (Transport t : {Transport::imaps, Transport::starttls}) {
    ImapAccount a = imap_account("box6", t);
    a.tls_verify = true;
    auto session = ImapSession::open(a);
    ASSERT_FALSE(session);
    EXPECT_EQ(session.error().code, ErrorCode::unavailable);
    EXPECT_THAT(session.error().message, HasSubstr("certificate"));
  }
}

TEST(ImapSession, ASitesOwnCaIsTrustedThroughCaFile) {
  FL_REQUIRE_IMAP_SERVER();
  DovecotMailbox box("box9");
  box.deliver("ca@test");
  for (Transport t : {Transport::imaps, Transport::starttls}) {
    ImapAccount a = imap_account("box9", t);
    a.tls_verify = true;  // certificate and name (IP 127.0.0.1) checked
    a.ca_file = imap_env("FL_IMAP_CA_FILE");
    auto session = ImapSession::open(a);
    ASSERT_TRUE(session) << session.error().message;
    auto all = (*session)->search("ALL");
    ASSERT_TRUE(all);
    EXPECT_EQ(all->size(), 1u);
  }
  // Another CA's file is no way round the check.
  TempDir dir;
  const auto other = dir.path() / "other-ca.pem";
  ASSERT_EQ(
      std::system(("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
                   "-nodes -days 1 -subj /CN=other -keyout " +
                   (dir.path() / "k.pem").string() + " -out " + other.string() + " 2>/dev/null")
                      .c_str()),
      0);
  ImapAccount a = imap_account("box9", Transport::imaps);
  a.tls_verify = true;
  a.ca_file = other.string();
  auto refused = ImapSession::open(a);
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message, HasSubstr("certificate"));
}

TEST(ImapSession, FolderNamesGoOutInModifiedUtf7) {
  FL_REQUIRE_IMAP_SERVER();
  DovecotMailbox box("box10");
  box.deliver("umlaut@test");
  auto session = ImapSession::open(imap_account("box10"));
  ASSERT_TRUE(session) << session.error().message;
  auto all = (*session)->search("ALL");
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 1u);
  // dovecot's separator is "."; it keeps the name on disk as it came: modified UTF-7.
  auto moved = (*session)->move(all->front(), "Erledigt.Übernommen");
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_EQ(box.count("Erledigt.&ANw-bernommen"), 1);
  EXPECT_EQ(box.count(), 0);
  // And selected by its UTF-8 name, the way a mailbox URL names it.
  auto there =
      ImapSession::open(imap_account("box10", Transport::plain, "Erledigt.%C3%9Cbernommen"));
  ASSERT_TRUE(there) << there.error().message;
  auto found = (*there)->search("ALL");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->size(), 1u);
}

TEST(ImapSession, AWrongPasswordIsUnauthenticated) {
  FL_REQUIRE_IMAP_SERVER();
  ImapAccount a = imap_account("box8");
  a.password = "wrong";
  auto session = ImapSession::open(a);
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().code, ErrorCode::unauthenticated);
}

TEST(ImapSession, AServerThatIsDownIsUnavailableAtOnce) {
  ImapAccount a = imap_account("box8");
  a.url = "imap://127.0.0.1:" + std::to_string(closed_port()) + "/INBOX";
  const auto started = std::chrono::steady_clock::now();
  auto session = ImapSession::open(a);
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().code, ErrorCode::unavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

TEST(ImapSession, ASilentServerTimesOut) {
  // A listener that accepts and never answers: the greeting never comes.
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ::listen(s, 4);
  socklen_t len = sizeof addr;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len);
  ImapAccount a = imap_account("box8");
  a.url = "imap://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/INBOX";
  a.connect_timeout = 1s;
  const auto started = std::chrono::steady_clock::now();
  auto session = ImapSession::open(a);
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().code, ErrorCode::unavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s) << "the connect timeout holds";
  ::close(s);
}

}  // namespace fl::testing
