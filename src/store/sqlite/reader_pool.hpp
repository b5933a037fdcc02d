// Read-only connections for the SQLite adapter. In WAL mode a reader sees the last committed
// state and never waits for the writer; each call borrows one connection (with its cache of
// prepared statements) for its duration.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "core/error.hpp"
#include "store/sqlite/connection.hpp"

namespace fl::sqlite {

class ReaderPool {
 public:
  // Opens `size` read-only connections to a file the writer has already created and migrated.
  [[nodiscard]] static Result<std::unique_ptr<ReaderPool>> open(const std::filesystem::path& file,
                                                                int size);

  // A borrowed connection, returned to the pool when the lease ends.
  class Lease {
   public:
    Lease(ReaderPool& pool, Connection& connection) : pool_(&pool), connection_(&connection) {}
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Connection& connection() { return *connection_; }

   private:
    ReaderPool* pool_;
    Connection* connection_;
  };

  // Waits while every connection is borrowed. Thread-safe.
  [[nodiscard]] Lease borrow();

 private:
  ReaderPool() = default;
  void give_back(Connection& connection);

  std::vector<std::unique_ptr<Connection>> connections_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<Connection*> idle_;
};

}  // namespace fl::sqlite
