// The chatbot's brain: the understanding (app/bot_understanding.hpp) it answers with now, and
// how it learns while the desk serves. Flows saved in the catalog (app/bot_flows.hpp) and
// articles and flows saved by any server on the same database (article.saved and
// bot.flow_saved in the event feed) are learnt by retraining on a thread of its own, once per
// burst of changes; the new understanding replaces the old one whole, and answers go on with
// the old one meanwhile.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "app/bot_flows.hpp"
#include "app/bot_understanding.hpp"
#include "store/store.hpp"

namespace fl {

struct BotBrainOptions {
  UnderstandingThresholds thresholds;
  std::chrono::milliseconds poll_interval{3000};  // how often the event feed is read
  // A burst of changes (an admin saving a flow a few times, an import of articles) is learnt
  // once, after this long without a further change.
  std::chrono::milliseconds quiet{1000};
};

class BotBrain {
 public:
  // A brain that keeps `understanding` and learns nothing (tests, evaluations). Not null.
  explicit BotBrain(std::shared_ptr<const BotUnderstanding> understanding);
  // A brain that learns: trained here, on the caller's thread (about a second), from the
  // catalog's active flows and the published public articles' titles; it follows the event
  // feed from its newest event on and listens to the catalog (register before serving, see
  // BotFlowCatalog::on_change). `store`, `catalog` and `search` must outlive it. Errors: the
  // store's, or invalid_argument when the flows give too little to learn from.
  static Result<std::unique_ptr<BotBrain>> learning(Store& store, BotFlowCatalog& catalog,
                                                    SearchService& search,
                                                    BotBrainOptions options = {});
  ~BotBrain();  // stop()
  BotBrain(const BotBrain&) = delete;
  BotBrain& operator=(const BotBrain&) = delete;

  // The understanding to answer with, never null. Take it once per answer and keep it for the
  // whole answer: it, and the flows it points to, stay valid however often it is replaced
  // meanwhile. Thread-safe, lock-free.
  [[nodiscard]] std::shared_ptr<const BotUnderstanding> current() const;

  // Learns on a thread of its own: the event feed read every poll_interval, a retraining after
  // each burst of changes. A failed retraining keeps the current understanding (logged) until
  // the next change. Nothing for a brain that does not learn. Call once.
  void start();
  // Ends the thread; a retraining under way is finished first. Idempotent.
  void stop();

  // What the thread does, now and on the caller's thread: reads the event feed (a flow saved
  // by another server is reloaded into the catalog) and, when flows or articles changed since
  // the last training, retrains and replaces the understanding. true when it did. Errors: the
  // store's, or the training's (the current understanding stays). For tests: no waiting.
  [[nodiscard]] Result<bool> refresh();

 private:
  // Changes not learnt yet: set by the catalog's listener on whatever thread saved the flow.
  // Shared with that listener, which may outlive the brain (the catalog cannot unregister it).
  struct Pending {
    std::mutex mutex;
    std::condition_variable wake;
    bool changed = false;
    bool stopping = false;
    std::chrono::steady_clock::time_point last_change{};
  };

  BotBrain(Store& store, BotFlowCatalog& catalog, SearchService& search, BotBrainOptions options);
  [[nodiscard]] Result<std::shared_ptr<const BotUnderstanding>> train() const;
  void run();

  Store* store_ = nullptr;  // null: a brain that does not learn
  BotFlowCatalog* catalog_ = nullptr;
  SearchService* search_ = nullptr;
  BotBrainOptions options_;
  std::atomic<std::shared_ptr<const BotUnderstanding>> current_;
  std::shared_ptr<Pending> pending_ = std::make_shared<Pending>();
  std::mutex training_;  // one refresh at a time; guards cursor_
  EventId cursor_ = 0;   // the last event of the feed looked at
  std::thread thread_;
};

}  // namespace fl
