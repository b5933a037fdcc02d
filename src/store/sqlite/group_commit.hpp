// The SQLite adapter's single writer. SQLite allows one writer at a time and a durable
// commit costs one fsync, so every write goes through one thread that groups whatever is
// queued into one transaction: under load, many writes share one fsync.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "core/error.hpp"
#include "store/sqlite/connection.hpp"

namespace fl::sqlite {

struct GroupCommitCounters {
  std::int64_t commits = 0;        // transactions committed (one fsync each)
  std::int64_t writes = 0;         // writes that committed
  std::int64_t failed_writes = 0;  // writes that returned an error
};

class GroupCommitWriter {
 public:
  // The body of one write. It runs on the writer thread inside its own SAVEPOINT; an error
  // rolls back that savepoint only, and the write's caller gets the error.
  using Work = std::function<Result<void>(Connection&)>;

  // Takes the connection (already migrated) and starts the writer thread.
  GroupCommitWriter(Connection connection, int max_batch);
  // Runs every write already queued, then stops the thread.
  ~GroupCommitWriter();
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  // Queues `work` and blocks until the transaction holding it is committed (Ok) or the
  // work failed (its error) or the commit failed (unavailable). Thread-safe; must not be
  // called from inside a Work.
  [[nodiscard]] Result<void> write(Work work);

  [[nodiscard]] GroupCommitCounters counters() const;

 private:
  struct Pending {
    Work work;
    Result<void> outcome;
    bool done = false;
  };

  void run();
  void commit_batch(std::vector<Pending*>& batch);
  Result<void> run_in_savepoint(Pending& pending);
  void fail_all(std::vector<Pending*>& batch, const Error& error);

  Connection connection_;
  const std::size_t max_batch_;

  std::mutex mutex_;
  std::condition_variable queued_;  // the writer waits for work
  std::condition_variable done_;    // callers wait for their batch
  std::deque<Pending*> queue_;
  bool stopping_ = false;

  std::atomic<std::int64_t> commits_{0};
  std::atomic<std::int64_t> writes_{0};
  std::atomic<std::int64_t> failed_writes_{0};

  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace fl::sqlite
