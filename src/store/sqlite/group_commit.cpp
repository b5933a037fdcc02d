// The writer thread and its group commit: see group_commit.hpp.
#include "store/sqlite/group_commit.hpp"

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

namespace fl::sqlite {

GroupCommitWriter::GroupCommitWriter(Connection connection, int max_batch)
    : connection_(std::move(connection)),
      max_batch_(static_cast<std::size_t>(std::max(1, max_batch))),
      thread_([this] { run(); }) {}

GroupCommitWriter::~GroupCommitWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_one();
  thread_.join();
}

Result<void> GroupCommitWriter::write(Work work) {
  Pending pending{std::move(work), {}, false};
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return fail(ErrorCode::unavailable, "the store is closing");
    queue_.push_back(&pending);
  }
  queued_.notify_one();
  std::unique_lock lock(mutex_);
  done_.wait(lock, [&] { return pending.done; });
  return std::move(pending.outcome);
}

GroupCommitCounters GroupCommitWriter::counters() const {
  return {commits_.load(), writes_.load(), failed_writes_.load()};
}

void GroupCommitWriter::run() {
  std::vector<Pending*> batch;
  batch.reserve(max_batch_);
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      queued_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued has been written
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    // Writes queued while this batch commits form the next batch: grouping costs no
    // waiting when the writer is idle.
    commit_batch(batch);
    {
      std::lock_guard lock(mutex_);
      for (Pending* pending : batch) pending->done = true;
    }
    // After `done`, a caller may return and destroy its Pending: do not touch it again.
    done_.notify_all();
    batch.clear();
  }
}

void GroupCommitWriter::commit_batch(std::vector<Pending*>& batch) {
  if (auto begun = connection_.run("BEGIN IMMEDIATE"); !begun) {
    fail_all(batch, Error{ErrorCode::unavailable,
                          fmt::format("cannot start a write: {}", begun.error().message),
                          {}});
    return;
  }

  for (Pending* pending : batch) {
    pending->outcome = run_in_savepoint(*pending);
    if (!connection_.in_transaction()) {
      // SQLite abandoned the whole transaction (I/O error, disk full): nothing of the batch
      // will be committed.
      std::string reason = pending->outcome ? "transaction lost" : pending->outcome.error().message;
      spdlog::error("sqlite store: write transaction rolled back: {}", reason);
      fail_all(batch, Error{ErrorCode::unavailable,
                            fmt::format("storage fault, write not saved: {}", reason),
                            {}});
      return;
    }
  }

  if (auto committed = connection_.run("COMMIT"); !committed) {
    spdlog::error("sqlite store: commit of {} writes failed: {}", batch.size(),
                  committed.error().message);
    if (connection_.in_transaction()) (void)connection_.exec("ROLLBACK");
    fail_all(batch,
             Error{ErrorCode::unavailable,
                   fmt::format("commit failed, write not saved: {}", committed.error().message),
                   {}});
    return;
  }
  commits_.fetch_add(1);
  const auto succeeded =
      std::ranges::count_if(batch, [](Pending* p) { return p->outcome.has_value(); });
  writes_.fetch_add(succeeded);
  failed_writes_.fetch_add(static_cast<std::int64_t>(batch.size()) - succeeded);
}

Result<void> GroupCommitWriter::run_in_savepoint(Pending& pending) {
  if (auto r = connection_.run("SAVEPOINT write_job"); !r) return r;

  Result<void> outcome;
  try {
    outcome = pending.work(connection_);
  } catch (const std::exception& e) {
    // A throwing write must not take the writer thread (and every later write) with it.
    outcome = fail(ErrorCode::internal, fmt::format("write failed: {}", e.what()));
  }
  if (outcome) {
    outcome = connection_.run("RELEASE write_job");
    if (outcome) return outcome;
  }
  if (connection_.in_transaction()) {
    // Undo this write only; the batch's other writes stay.
    (void)connection_.run("ROLLBACK TO write_job");
    (void)connection_.run("RELEASE write_job");
  }
  return outcome;
}

void GroupCommitWriter::fail_all(std::vector<Pending*>& batch, const Error& error) {
  for (Pending* pending : batch) pending->outcome = std::unexpected(error);
  failed_writes_.fetch_add(static_cast<std::int64_t>(batch.size()));
}

}  // namespace fl::sqlite
