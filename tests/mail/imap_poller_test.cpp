// The poller against a real dovecot (tests/integration/imap_server.py) and a sink that commits
// to SQLite: messages are marked, moved or deleted only after their commit; a refused message
// is put aside and the next one still taken; a crash before or after the commit (a real one,
// in a forked child) neither loses nor duplicates; mailboxes are polled side by side on the
// injected clock's schedule; a refused login or a server that is down is a log line and a
// metric, and the next interval tries again.
#include "mail/imap_poller.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "mail/dovecot_mailbox.hpp"
#include "support/fake_clock.hpp"
#include "support/recording_mail_sink.hpp"
#include "support/temp_dir.hpp"

namespace fl::testing {

namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

ImapMailbox mailbox(const std::string& user, AfterIngest after = AfterIngest::mark_seen) {
  ImapMailbox m;
  m.name = user;
  m.account = imap_account(user);
  m.after = after;
  m.move_to = "Archive";
  m.quarantine = "Quarantine";
  m.interval = 30s;
  return m;
}

}  // namespace

TEST(ImapPoller, MovesEachMessageOnlyAfterItsCommit) {
  FL_REQUIRE_IMAP_SERVER();
  TempDir dir;
  RecordingMailSink sink(dir.path() / "sink.db");
  DovecotMailbox box("box2");
  for (auto id : {"a@test", "b@test", "c@test"}) box.deliver(id);
  int inbox_at_commit = -1;
  sink.before_commit = [&](std::string_view raw) -> Result<void> {
    if (raw.find("<b@test>") != std::string_view::npos) inbox_at_commit = box.count();
    return {};
  };
  const PollReport report = poll_mailbox(mailbox("box2", AfterIngest::move), sink);
  ASSERT_FALSE(report.error) << report.error->message;
  EXPECT_EQ(report.created, 3);
  EXPECT_EQ(inbox_at_commit, 2) << "a moved after its commit; b still there at its own";
  EXPECT_EQ(box.count(), 0);
  EXPECT_EQ(box.count("Archive"), 3);
  EXPECT_THAT(sink.committed("box2"), ElementsAre("<a@test>", "<b@test>", "<c@test>"));
  EXPECT_EQ(poll_mailbox(mailbox("box2", AfterIngest::move), sink).taken(), 0);
}

TEST(ImapPoller, ARefusedMessageGoesToQuarantineAndTheNextIsStillTaken) {
  FL_REQUIRE_IMAP_SERVER();
  TempDir dir;
  RecordingMailSink sink(dir.path() / "sink.db");
  DovecotMailbox box("box3");
  box.deliver("ok1@test");
  box.deliver("broken@test", "X-Test-Broken: yes\r\n");
  box.deliver("ok2@test");
  const PollReport report = poll_mailbox(mailbox("box3"), sink);
  ASSERT_FALSE(report.error) << report.error->message;
  EXPECT_EQ(report.created, 2);
  EXPECT_EQ(report.refused, 1);
  EXPECT_EQ(box.count("Quarantine"), 1);
  EXPECT_EQ(box.count("", 'S'), 2);
  EXPECT_EQ(box.count(), 2);
  EXPECT_THAT(sink.committed("box3"), ElementsAre("<ok1@test>", "<ok2@test>"));
}

TEST(ImapPoller, ACrashBeforeTheCommitLosesNothing) {
  FL_REQUIRE_IMAP_SERVER();
  TempDir dir;
  DovecotMailbox box("box4");
  box.deliver("crash-before@test");
  EXPECT_EXIT(
      {
        RecordingMailSink crashing(dir.path() / "sink.db");
        crashing.before_commit = [](std::string_view) -> Result<void> { ::_exit(7); };
        (void)poll_mailbox(mailbox("box4"), crashing);
      },
      ::testing::ExitedWithCode(7), "");
  RecordingMailSink sink(dir.path() / "sink.db");
  EXPECT_TRUE(sink.committed("box4").empty());
  EXPECT_EQ(box.count("", 'S'), 0) << "fetched, but not marked";
  const PollReport again = poll_mailbox(mailbox("box4"), sink);
  EXPECT_EQ(again.created, 1);
  EXPECT_THAT(sink.committed("box4"), ElementsAre("<crash-before@test>"));
  EXPECT_EQ(box.count("", 'S'), 1);
}

TEST(ImapPoller, ACrashAfterTheCommitDuplicatesNothing) {
  FL_REQUIRE_IMAP_SERVER();
  TempDir dir;
  DovecotMailbox box("box5");
  box.deliver("crash-after@test");
  EXPECT_EXIT(
      {
        RecordingMailSink crashing(dir.path() / "sink.db");
        crashing.after_commit = [](std::string_view) { ::_exit(7); };
        (void)poll_mailbox(mailbox("box5"), crashing);
      },
      ::testing::ExitedWithCode(7), "");
  RecordingMailSink sink(dir.path() / "sink.db");
  EXPECT_THAT(sink.committed("box5"), ElementsAre("<crash-after@test>"));
  EXPECT_EQ(box.count("", 'S'), 0) << "committed, but the mark never happened";
  const PollReport again = poll_mailbox(mailbox("box5"), sink);
  EXPECT_EQ(again.duplicate, 1) << "offered again; the sink knows it";
  EXPECT_EQ(again.created, 0);
  EXPECT_EQ(box.count("", 'S'), 1);
  EXPECT_EQ(sink.committed("box5").size(), 1u);
}

TEST(ImapPoller, ATemporaryErrorLeavesTheMessageForTheNextPoll) {
  FL_REQUIRE_IMAP_SERVER();
  TempDir dir;
  RecordingMailSink sink(dir.path() / "sink.db");
  DovecotMailbox box("box9");
  box.deliver("later@test");
  sink.before_commit = [](std::string_view) -> Result<void> {
    return fail(ErrorCode::unavailable, "the store is busy");
  };
  const PollReport first = poll_mailbox(mailbox("box9"), sink);
  EXPECT_EQ(first.deferred, 1);
  ASSERT_TRUE(first.error);
  EXPECT_THAT(first.error->message, HasSubstr("busy"));
  EXPECT_EQ(box.count("", 'S'), 0);
  sink.before_commit = nullptr;
  EXPECT_EQ(poll_mailbox(mailbox("box9"), sink).created, 1);
  EXPECT_EQ(box.count("", 'S'), 1);
}

TEST(ImapPoller, ATooLargeMessageIsFlaggedAndSkippedWithoutDownloading) {
  FL_REQUIRE_IMAP_SERVER();
  TempDir dir;
  RecordingMailSink sink(dir.path() / "sink.db");
  DovecotMailbox box("box9");
  box.deliver("big@test", "", 50'000);
  box.deliver("small@test");
  ImapMailbox m = mailbox("box9");
  m.max_message_bytes = 10'000;
  const PollReport report = poll_mailbox(m, sink);
  ASSERT_FALSE(report.error) << report.error->message;
  EXPECT_EQ(report.too_large, 1);
  EXPECT_EQ(report.created, 1);
  EXPECT_EQ(box.count_keyword(std::string(kTooLargeKeyword)), 1);
  EXPECT_EQ(poll_mailbox(m, sink).too_large, 0) << "not looked at again";
}

TEST(ImapPoller, DeletesAfterTheCommitAndFlagsARefusalWithoutQuarantine) {
  FL_REQUIRE_IMAP_SERVER();
  TempDir dir;
  RecordingMailSink sink(dir.path() / "sink.db");
  DovecotMailbox box("box10");
  box.deliver("keep@test", "X-Test-Broken: yes\r\n");
  box.deliver("take@test");
  ImapMailbox m = mailbox("box10", AfterIngest::remove);
  m.quarantine.clear();
  const PollReport report = poll_mailbox(m, sink);
  ASSERT_FALSE(report.error) << report.error->message;
  EXPECT_EQ(report.created, 1);
  EXPECT_EQ(report.refused, 1);
  EXPECT_EQ(box.count(), 1) << "the refused one stays, flagged";
  EXPECT_EQ(box.count_keyword(std::string(kRejectedKeyword)), 1);
  const PollReport again = poll_mailbox(m, sink);
  EXPECT_EQ(again.refused + again.taken(), 0) << "and is not offered again";
}

TEST(ImapPoller, PollsMailboxesSideBySideOnTheClocksSchedule) {
  FL_REQUIRE_IMAP_SERVER();
  TempDir dir;
  RecordingMailSink sink(dir.path() / "sink.db");
  FakeClock clock;
  std::vector<ImapMailbox> mailboxes;
  std::vector<DovecotMailbox> boxes;
  for (int i = 11; i <= 20; ++i) {
    const std::string user = "box" + std::to_string(i);
    boxes.emplace_back(user);
    for (int m = 0; m < 20; ++m) boxes.back().deliver(user + "-" + std::to_string(m) + "@test");
    mailboxes.push_back(mailbox(user));
  }
  mailboxes[3].account.url = "imaps://127.0.0.1:" + imap_env("FL_IMAPS_PORT") + "/INBOX";
  mailboxes[4].account.starttls = true;
  std::atomic<int> inside = 0, most_inside = 0;
  sink.before_commit = [&](std::string_view) -> Result<void> {
    const int now = ++inside;
    int seen = most_inside.load();
    while (now > seen && !most_inside.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(2ms);
    --inside;
    return {};
  };
  ImapPoller poller(mailboxes, sink, clock, {.max_parallel = 4, .resolution = 1h});
  poller.start();
  poller.tick();
  poller.wait_idle();
  for (const auto& b : boxes) {
    EXPECT_EQ(sink.committed(b.user()).size(), 20u) << b.user();
    EXPECT_EQ(b.count("", 'S'), 20) << b.user();
  }
  EXPECT_GT(most_inside.load(), 1) << "mailboxes are polled in parallel";
  EXPECT_LE(most_inside.load(), 4) << "by at most max_parallel threads";

  boxes[0].deliver("late@test");
  clock.advance(29s);
  EXPECT_EQ(poller.tick(), 0) << "not due yet";
  clock.advance(1s);
  EXPECT_EQ(poller.tick(), 10);
  poller.wait_idle();
  EXPECT_EQ(sink.committed("box11").size(), 21u);
  const auto stats = poller.stats();
  ASSERT_EQ(stats.size(), 10u);
  EXPECT_EQ(stats[0].created, 21);
  EXPECT_EQ(stats[0].polls, 2);
  EXPECT_THAT(imap_metrics(stats),
              HasSubstr("firstline_imap_messages_total{mailbox=\"box11\",outcome=\"created\"} 21"));
  poller.stop();
}

TEST(ImapPoller, StopsPromptlyInTheMiddleOfAPoll) {
  FL_REQUIRE_IMAP_SERVER();
  TempDir dir;
  RecordingMailSink sink(dir.path() / "sink.db");
  FakeClock clock;
  DovecotMailbox box("box7");
  for (int m = 0; m < 50; ++m) box.deliver("slow-" + std::to_string(m) + "@test");
  std::atomic<int> ingested = 0;
  sink.before_commit = [&](std::string_view) -> Result<void> {
    ++ingested;
    std::this_thread::sleep_for(50ms);
    return {};
  };
  ImapPoller poller({mailbox("box7")}, sink, clock, {.resolution = 10ms});
  poller.start();
  while (ingested < 3) std::this_thread::sleep_for(5ms);
  const auto started = std::chrono::steady_clock::now();
  poller.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 500ms);
  const auto taken = sink.committed("box7").size();
  EXPECT_LT(taken, 50u);
  EXPECT_EQ(box.count("", 'S'), static_cast<int>(taken)) << "marked exactly what was committed";
}

// Last: dovecot slows down every login from an address after failed ones.
TEST(ImapPoller, ARefusedLoginOrADeadServerIsCountedAndTriedAgain) {
  FL_REQUIRE_IMAP_SERVER();
  TempDir dir;
  RecordingMailSink sink(dir.path() / "sink.db");
  FakeClock clock;
  ImapMailbox wrong = mailbox("box8");
  wrong.account.password = "wrong";
  wrong.account.connect_timeout = 20s;  // dovecot delays the answer to repeated failures
  ImapMailbox down = mailbox("box8");
  down.name = "down";
  down.account.url = "imap://127.0.0.1:1/INBOX";
  ImapPoller poller({wrong, down}, sink, clock, {.resolution = 1h});
  poller.start();
  poller.tick();
  poller.wait_idle();
  clock.advance(30s);
  EXPECT_EQ(poller.tick(), 2) << "both tried again next interval";
  poller.wait_idle();
  const auto stats = poller.stats();
  EXPECT_EQ(stats[0].login_failures, 2);
  EXPECT_EQ(stats[0].failed_polls, 2);
  EXPECT_EQ(stats[1].failed_polls, 2);
  EXPECT_EQ(stats[1].login_failures, 0);
  EXPECT_THAT(imap_metrics(stats),
              HasSubstr("firstline_imap_login_failures_total{mailbox=\"box8\"} 2"));
}

}  // namespace fl::testing
