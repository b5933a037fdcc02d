// bench/mail_imap: how long the IMAP poller takes to drain 10 mailboxes x 100 messages from a
// real dovecot on loopback into a sink that commits each message to SQLite with
// synchronous=FULL (tests/support/recording_mail_sink.hpp, until the real intake is merged).
// Run under the throw-away server (the `mail_imap` target does this):
//   /usr/bin/python3 tests/integration/imap_server.py --
//   build/release/bench/mail_imap/mail_imap_drain
// Arguments: [MAILBOXES (10, at most 20)] [MESSAGES per mailbox (100)] [MAX_PARALLEL (4)].
// A measurement, not a test: it prints figures and exits 0 when everything was taken.
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "mail/dovecot_mailbox.hpp"
#include "mail/imap_poller.hpp"
#include "support/recording_mail_sink.hpp"
#include "support/temp_dir.hpp"

int main(int argc, char** argv) {
  using namespace fl;
  using namespace fl::testing;
  if (imap_env("FL_IMAP_PORT").empty()) {
    std::cerr << "mail_imap_drain: run under tests/integration/imap_server.py\n";
    return 2;
  }
  const int mailbox_count = argc > 1 ? std::atoi(argv[1]) : 10;
  const int per_mailbox = argc > 2 ? std::atoi(argv[2]) : 100;
  const int parallel = argc > 3 ? std::atoi(argv[3]) : 4;
  TempDir dir;
  RecordingMailSink sink(dir.path() / "sink.db");
  std::vector<ImapMailbox> mailboxes;
  std::vector<DovecotMailbox> boxes;
  for (int i = 1; i <= mailbox_count; ++i) {
    const std::string user = "box" + std::to_string(i);
    boxes.emplace_back(user);
    // A typical help-desk message: a few headers and about 3 KB of text.
    for (int m = 0; m < per_mailbox; ++m)
      boxes.back().deliver(user + "-" + std::to_string(m) + "@bench", "", 3000);
    ImapMailbox box;
    box.name = user;
    box.account = imap_account(user, i % 2 == 0 ? Transport::imaps : Transport::plain);
    box.interval = std::chrono::seconds(60);
    mailboxes.push_back(std::move(box));
  }
  SystemClock clock;
  // As in `firstline serve`: the poller's threads yield to requests (nice 10).
  ImapPoller poller(mailboxes, sink, clock, {.max_parallel = parallel, .on_thread_start = [] {
                                               (void)setpriority(PRIO_PROCESS,
                                                                 static_cast<id_t>(gettid()), 10);
                                             }});
  const auto started = std::chrono::steady_clock::now();
  poller.start();
  poller.tick();
  poller.wait_idle();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  poller.stop();
  std::size_t taken = 0;
  for (const auto& b : boxes) taken += sink.committed(b.user()).size();
  const std::size_t expected = static_cast<std::size_t>(mailbox_count) * per_mailbox;
  std::printf(
      "mail_imap: %d mailboxes x %d messages (half IMAPS), %d in parallel: %zu/%zu taken in "
      "%.2f s (%.0f messages/s, one synchronous commit each)\n",
      mailbox_count, per_mailbox, parallel, taken, expected, seconds,
      static_cast<double>(taken) / seconds);
  return taken == expected ? 0 : 1;
}
