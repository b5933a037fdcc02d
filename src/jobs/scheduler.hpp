// Timed background work (SLA checks now; mail polling later), driven by the injected Clock:
// each job runs once its period has passed on that clock. Deadlines themselves live in the
// store, so a restart loses nothing: the first tick after a start runs every job, which does
// whatever fell due while the server was down. Tests move a simulated clock and call tick().
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/clock.hpp"

namespace fl {

class Scheduler {
 public:
  using Job = std::function<void(Timestamp now)>;

  explicit Scheduler(const Clock& clock) : clock_(clock) {}
  ~Scheduler() { stop(); }
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Before start(). A job must not throw (it reports its own failures).
  void add(std::string name, std::chrono::milliseconds period, Job job);

  // Runs, in order of adding, every job whose period has passed since it last ran (all of
  // them the first time). Returns how many ran.
  int tick();

  // A thread that ticks every `resolution` of wall time until stop(); `on_start` runs first
  // on that thread (e.g. to lower its priority).
  void start(std::chrono::milliseconds resolution = std::chrono::milliseconds{100},
             std::function<void()> on_start = {});
  void stop();

 private:
  struct Entry {
    std::string name;
    std::chrono::milliseconds period;
    Job job;
    std::optional<Timestamp> last_run;
  };

  const Clock& clock_;
  std::vector<Entry> jobs_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace fl
