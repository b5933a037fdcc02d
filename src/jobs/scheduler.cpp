#include "jobs/scheduler.hpp"

namespace fl {

void Scheduler::add(std::string name, std::chrono::milliseconds period, Job job) {
  jobs_.push_back({std::move(name), period, std::move(job), std::nullopt});
}

int Scheduler::tick() {
  int ran = 0;
  for (auto& e : jobs_) {
    Timestamp now = clock_.now();
    // A clock set back (or a simulated one) must not stall a job for the difference.
    if (e.last_run && now >= *e.last_run && now - *e.last_run < e.period) continue;
    e.last_run = now;
    e.job(now);
    ++ran;
  }
  return ran;
}

void Scheduler::start(std::chrono::milliseconds resolution, std::function<void()> on_start) {
  stopping_ = false;
  thread_ = std::thread([this, resolution, on_start = std::move(on_start)] {
    if (on_start) on_start();
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      tick();
      lock.lock();
      wake_.wait_for(lock, resolution, [this] { return stopping_; });
    }
  });
}

void Scheduler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace fl
