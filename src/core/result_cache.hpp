// A small least-recently-used cache of computed results (search results, rendered articles),
// valid for one generation of what they were computed from: a put() of a newer generation
// drops everything older, so a cached answer is always the answer computed now. Callers with
// immutable inputs use one generation. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

namespace fl {

template <class Value>
class ResultCache {
 public:
  explicit ResultCache(std::size_t capacity) : capacity_(capacity) {}

  [[nodiscard]] std::shared_ptr<const Value> find(const std::string& key,
                                                  std::uint64_t generation) {
    if (capacity_ == 0) return nullptr;
    std::lock_guard lock(mutex_);
    auto it = generation == generation_ ? index_.find(key) : index_.end();
    if (it == index_.end()) {
      ++misses_;
      return nullptr;
    }
    ++hits_;
    order_.splice(order_.begin(), order_, it->second);
    return it->second->second;
  }

  struct Stats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
  };
  [[nodiscard]] Stats stats() {
    std::lock_guard lock(mutex_);
    return {hits_, misses_};
  }

  // Ignored when the content moved on since the caller read `generation`.
  void put(std::string key, std::uint64_t generation, std::shared_ptr<const Value> value) {
    if (capacity_ == 0) return;
    std::lock_guard lock(mutex_);
    if (generation < generation_) return;
    if (generation > generation_) {
      index_.clear();
      order_.clear();
      generation_ = generation;
    }
    if (auto it = index_.find(key); it != index_.end()) {
      it->second->second = std::move(value);
      order_.splice(order_.begin(), order_, it->second);
      return;
    }
    order_.emplace_front(std::move(key), std::move(value));
    index_.emplace(order_.front().first, order_.begin());
    if (order_.size() > capacity_) {
      index_.erase(order_.back().first);
      order_.pop_back();
    }
  }

 private:
  using Entry = std::pair<std::string, std::shared_ptr<const Value>>;
  std::size_t capacity_;
  std::mutex mutex_;
  std::uint64_t generation_ = 0;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<std::string, typename std::list<Entry>::iterator> index_;
};

}  // namespace fl
