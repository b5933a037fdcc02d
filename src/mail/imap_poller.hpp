// IMAP polling, the second way in for e-mail beside `firstline mailgate`: every configured
// mailbox is polled every interval on its own worker thread (a small bounded pool), each
// message handed to the MailSink, and only after the sink has committed it is the message
// marked \Seen, moved or deleted at the server. A crash at any point therefore loses nothing
// (an unmarked message is offered again) and duplicates nothing (the sink recognises a
// message it has already committed and says duplicate; it is marked then).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/clock.hpp"
#include "app/mail_sink.hpp"
#include "mail/imap_client.hpp"

namespace fl {

// What becomes of a message at the server once its ticket change is committed.
enum class AfterIngest { mark_seen, move, remove };

struct ImapMailbox {
  std::string name;  // the MailSink's mailbox name (its team, rate limits, ...)
  ImapAccount account;
  AfterIngest after = AfterIngest::mark_seen;
  std::string move_to;     // AfterIngest::move: the folder (created when missing)
  std::string quarantine;  // refused messages go here; empty: flagged $FirstlineRejected
  std::chrono::seconds interval{60};
  std::uint64_t max_message_bytes = 25 << 20;  // larger: flagged $FirstlineTooLarge, skipped
};

// The keywords set on messages that are left in the folder and never taken again.
inline constexpr std::string_view kRejectedKeyword = "$FirstlineRejected";
inline constexpr std::string_view kTooLargeKeyword = "$FirstlineTooLarge";

// What one poll of one mailbox did.
struct PollReport {
  int created = 0;
  int appended = 0;
  int duplicate = 0;
  int ignored = 0;
  int refused = 0;             // invalid_argument from the sink: quarantined or flagged
  int too_large = 0;           // flagged, not downloaded
  int deferred = 0;            // a temporary error from the sink: taken again next poll
  std::optional<Error> error;  // why the poll stopped early (log it; the next poll retries)
  [[nodiscard]] int taken() const { return created + appended + duplicate + ignored; }
};

// One pass over one mailbox: connect, take every message the search finds (ascending UID),
// disconnect. Stops early, with report.error, on a connection problem or a temporary error
// from the sink (the rest waits for the next poll); a refused message does not stop it.
// `cancel` cuts it off between messages and inside any command.
[[nodiscard]] PollReport poll_mailbox(const ImapMailbox& mailbox, MailSink& sink,
                                      const std::atomic<bool>* cancel = nullptr);

// Counters since the start, for /metrics.
struct MailboxStats {
  std::string name;
  std::int64_t polls = 0;
  std::int64_t failed_polls = 0;  // polls that stopped early (no connection, login, ...)
  std::int64_t login_failures = 0;
  std::int64_t created = 0, appended = 0, duplicate = 0, ignored = 0;
  std::int64_t refused = 0, too_large = 0, deferred = 0;
  double last_poll_seconds = 0;  // how long the last poll took
};

// The Prometheus exposition lines of these counters (firstline_imap_*).
[[nodiscard]] std::string imap_metrics(const std::vector<MailboxStats>& stats);

struct ImapPollerOptions {
  int max_parallel = 4;                       // worker threads (never more than mailboxes)
  std::chrono::milliseconds resolution{200};  // how often start()'s thread asks tick()
  std::function<void()> on_thread_start;      // on each thread first (e.g. lower its priority)
};

// Thread-safe. Never polls one mailbox twice at once; a poll longer than the interval delays
// the next one rather than stacking them.
class ImapPoller {
 public:
  ImapPoller(std::vector<ImapMailbox> mailboxes, MailSink& sink, const Clock& clock,
             ImapPollerOptions options = {});
  ~ImapPoller();  // stop()
  ImapPoller(const ImapPoller&) = delete;
  ImapPoller& operator=(const ImapPoller&) = delete;

  // Starts the workers and a thread that calls tick() every options.resolution.
  void start();
  // Cuts off the polls in progress (within a fraction of a second; a message whose ingest
  // has begun is ingested and marked first) and joins every thread. Idempotent.
  void stop();

  // Queues each mailbox whose interval has passed on the clock since its last poll began
  // (every mailbox the first time) and that is neither queued nor being polled. Returns how
  // many it queued. Workers take them after start().
  int tick();
  // Until nothing is queued or being polled (tests, benches).
  void wait_idle();

  [[nodiscard]] std::vector<MailboxStats> stats() const;

 private:
  struct State {
    std::optional<Timestamp> last_started;
    bool busy = false;  // queued or being polled
    MailboxStats stats;
  };

  void work();
  void record(std::size_t index, const PollReport& report, std::chrono::nanoseconds took);

  const std::vector<ImapMailbox> mailboxes_;
  MailSink& sink_;
  const Clock& clock_;
  const ImapPollerOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<State> states_;
  std::deque<std::size_t> queue_;
  int running_ = 0;
  bool stopping_ = false;
  std::atomic<bool> cancel_ = false;
  std::vector<std::thread> workers_;
  std::thread ticker_;
};

}  // namespace fl
