// The SQLite writer's failure handling, driven directly: a failed write undoes only itself, a
// failed COMMIT fails its whole batch, and the writer keeps going after either.
#include "store/sqlite/group_commit.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "store/store_contract.hpp"

namespace fl::sqlite {
namespace {

using store_contract::code_of;
using store_contract::TemporaryFolder;

class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto connection = Connection::open(folder_.path() / "writer.db", {});
    ASSERT_TRUE(connection) << connection.error().message;
    ASSERT_TRUE(connection->exec(
        "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
        "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id));"
        "CREATE TABLE note (text TEXT NOT NULL UNIQUE)"));
    writer_ = std::make_unique<GroupCommitWriter>(std::move(*connection), 64);
  }

  static GroupCommitWriter::Work insert_note(std::string text) {
    return [text = std::move(text)](Connection& c) -> Result<void> {
      auto statement = c.prepare("INSERT INTO note (text) VALUES (?)");
      if (!statement) return error_of(statement);
      statement->bind(text);
      return statement->run();
    };
  }

  std::int64_t notes() {
    std::int64_t count = -1;
    auto r = writer_->write([&](Connection& c) -> Result<void> {
      auto statement = c.prepare("SELECT COUNT(*) FROM note");
      if (!statement) return error_of(statement);
      auto row = statement->step();
      if (!row) return error_of(row);
      count = statement->int64_at(0);
      return {};
    });
    EXPECT_TRUE(r);
    return count;
  }

  // Runs `works` from one thread each while the writer is held busy, so that all of them are
  // queued before it is free again and form the next batch together.
  void run_as_one_batch(std::vector<GroupCommitWriter::Work> works,
                        std::vector<Result<void>>& outcomes) {
    std::atomic<bool> holding{false};
    std::atomic<int> calling{0};
    const int expected = static_cast<int>(works.size());
    std::thread blocker([&] {
      (void)writer_->write([&](Connection&) -> Result<void> {
        holding = true;
        while (calling < expected) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        // The callers are about to enqueue; give them time to get there.
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        return {};
      });
    });
    while (!holding) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    outcomes.assign(works.size(), Result<void>{});
    std::vector<std::thread> callers;
    for (std::size_t i = 0; i < works.size(); ++i) {
      callers.emplace_back([&, i] {
        ++calling;
        outcomes[i] = writer_->write(std::move(works[i]));
      });
    }
    blocker.join();
    for (auto& c : callers) c.join();
  }

  TemporaryFolder folder_;
  std::unique_ptr<GroupCommitWriter> writer_;
};

TEST_F(GroupCommitTest, AFailedWriteUndoesOnlyItself) {
  std::vector<Result<void>> outcomes;
  run_as_one_batch({insert_note("a"), insert_note("dup"), insert_note("dup"), insert_note("b")},
                   outcomes);
  int conflicts = 0;
  for (const auto& o : outcomes) conflicts += code_of(o) == ErrorCode::conflict ? 1 : 0;
  EXPECT_EQ(conflicts, 1) << "one of the two 'dup' writes loses";
  EXPECT_EQ(notes(), 3);
  const auto counters = writer_->counters();
  EXPECT_EQ(counters.failed_writes, 1);
  EXPECT_EQ(counters.commits, 2 + 1) << "blocker, the batch of four, the count";
}

TEST_F(GroupCommitTest, AFailedCommitFailsTheWholeBatchAsUnavailable) {
  // A deferred foreign key is only checked at COMMIT: the write itself succeeds.
  auto orphan = [](Connection& c) -> Result<void> {
    if (auto r = c.exec("PRAGMA defer_foreign_keys = ON"); !r) return r;
    return c.exec("INSERT INTO child (parent_id) VALUES (42)");
  };
  std::vector<Result<void>> outcomes;
  run_as_one_batch({insert_note("a"), orphan, insert_note("b")}, outcomes);
  for (const auto& o : outcomes) EXPECT_EQ(code_of(o), ErrorCode::unavailable);
  EXPECT_EQ(notes(), 0) << "nothing of the failed batch is stored";

  // The writer goes on with the next batch.
  EXPECT_TRUE(writer_->write(insert_note("after")));
  EXPECT_EQ(notes(), 1);
}

TEST_F(GroupCommitTest, AThrowingWriteFailsAloneAndTheWriterSurvives) {
  auto r = writer_->write([](Connection& c) -> Result<void> {
    (void)c.exec("INSERT INTO note (text) VALUES ('half-done')");
    throw std::runtime_error("boom");
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::internal);
  EXPECT_TRUE(writer_->write(insert_note("next")));
  EXPECT_EQ(notes(), 1) << "the throwing write's insert was rolled back";
}

}  // namespace
}  // namespace fl::sqlite
