// The read connection pool: see reader_pool.hpp.
#include "store/sqlite/reader_pool.hpp"

#include <algorithm>

namespace fl::sqlite {

Result<std::unique_ptr<ReaderPool>> ReaderPool::open(const std::filesystem::path& file, int size) {
  std::unique_ptr<ReaderPool> pool(new ReaderPool());
  const int count = std::max(1, size);
  for (int i = 0; i < count; ++i) {
    auto connection = Connection::open(file, {.access = Access::read_only});
    if (!connection) return error_of(connection);
    pool->connections_.push_back(std::make_unique<Connection>(std::move(*connection)));
    pool->idle_.push_back(pool->connections_.back().get());
  }
  return pool;
}

ReaderPool::Lease ReaderPool::borrow() {
  std::unique_lock lock(mutex_);
  returned_.wait(lock, [&] { return !idle_.empty(); });
  Connection* connection = idle_.back();
  idle_.pop_back();
  return Lease(*this, *connection);
}

void ReaderPool::give_back(Connection& connection) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(&connection);
  }
  returned_.notify_one();
}

ReaderPool::Lease::~Lease() {
  pool_->give_back(*connection_);
}

}  // namespace fl::sqlite
