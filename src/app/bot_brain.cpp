// The chatbot's brain: see bot_brain.hpp.
#include "app/bot_brain.hpp"

#include <spdlog/spdlog.h>

#include "core/event.hpp"

namespace fl {

namespace {

constexpr int kEventsPerRead = 500;

}  // namespace

BotBrain::BotBrain(std::shared_ptr<const BotUnderstanding> understanding)
    : current_(std::move(understanding)) {}

BotBrain::BotBrain(Store& store, BotFlowCatalog& catalog, SearchService& search,
                   BotBrainOptions options)
    : store_(&store), catalog_(&catalog), search_(&search), options_(options) {}

BotBrain::~BotBrain() { stop(); }

Result<std::unique_ptr<BotBrain>> BotBrain::learning(Store& store, BotFlowCatalog& catalog,
                                                     SearchService& search,
                                                     BotBrainOptions options) {
  std::unique_ptr<BotBrain> brain(new BotBrain(store, catalog, search, options));
  // The cursor and the listener come before the first training, so that a change made while it
  // trains is learnt next rather than lost.
  auto latest = store.latest_event_id();
  if (!latest) return std::unexpected(latest.error());
  brain->cursor_ = *latest;
  catalog.on_change([pending = std::weak_ptr(brain->pending_)](
                        const std::shared_ptr<const ActiveBotFlows>&) {
    auto p = pending.lock();
    if (!p) return;
    {
      std::lock_guard lock(p->mutex);
      p->changed = true;
      p->last_change = std::chrono::steady_clock::now();
    }
    p->wake.notify_all();
  });
  auto first = brain->train();
  if (!first) return std::unexpected(first.error());
  brain->current_.store(std::move(*first));
  return brain;
}

std::shared_ptr<const BotUnderstanding> BotBrain::current() const { return current_.load(); }

Result<std::shared_ptr<const BotUnderstanding>> BotBrain::train() const {
  std::vector<bot::Flow> flows;
  for (const auto& [id, flow] : catalog_->active_flows()->flows) flows.push_back(flow);
  // The public articles' titles teach it what is a question for the knowledge base rather than
  // a flow.
  std::vector<std::string> titles;
  for (ArticleFilter filter{.status = ArticleStatus::published,
                            .audience = Audience::public_,
                            .limit = 500};;) {
    auto page = store_->articles(filter);
    if (!page) return std::unexpected(page.error());
    for (const auto& a : *page) titles.push_back(a.title);
    if (std::ssize(*page) < filter.limit) break;
    filter.after = page->back().id;
  }
  auto understanding =
      BotUnderstanding::create(std::move(flows), *search_, options_.thresholds, titles);
  if (!understanding) return std::unexpected(understanding.error());
  return std::make_shared<const BotUnderstanding>(std::move(*understanding));
}

Result<bool> BotBrain::refresh() {
  if (store_ == nullptr) return false;
  std::lock_guard training(training_);
  bool articles_saved = false;
  bool flows_saved = false;
  for (;;) {
    auto events = store_->events_after(cursor_, kEventsPerRead);
    if (!events) return std::unexpected(events.error());
    for (const auto& e : *events) {
      cursor_ = e.id;
      articles_saved = articles_saved || e.type == event_type::article_saved;
      flows_saved = flows_saved || e.type == event_type::bot_flow_saved;
    }
    if (std::ssize(*events) < kEventsPerRead) break;
  }
  // A flow saved by another server: the catalog publishes it, and its listener (ours among
  // them) marks the change. One saved here was published already, and reload() finds nothing.
  if (flows_saved)
    if (auto reloaded = catalog_->reload(); !reloaded) return std::unexpected(reloaded.error());
  bool changed = articles_saved;
  {
    std::lock_guard lock(pending_->mutex);
    changed = changed || pending_->changed;
    pending_->changed = false;
  }
  if (!changed) return false;
  // A change arriving from here on is learnt by the next refresh.
  auto next = train();
  if (!next) return std::unexpected(next.error());
  current_.store(std::move(*next));
  return true;
}

void BotBrain::start() {
  if (store_ == nullptr || thread_.joinable()) return;
  thread_ = std::thread([this] { run(); });
}

void BotBrain::stop() {
  {
    std::lock_guard lock(pending_->mutex);
    pending_->stopping = true;
  }
  pending_->wake.notify_all();
  if (thread_.joinable()) thread_.join();
}

void BotBrain::run() {
  using std::chrono::steady_clock;
  auto next_poll = steady_clock::now() + options_.poll_interval;
  for (;;) {
    {
      std::unique_lock lock(pending_->mutex);
      pending_->wake.wait_until(lock, next_poll,
                                [&] { return pending_->stopping || pending_->changed; });
      // A burst: wait until it has been quiet for a while, then learn it all at once.
      while (!pending_->stopping && pending_->changed &&
             steady_clock::now() < pending_->last_change + options_.quiet)
        pending_->wake.wait_until(lock, pending_->last_change + options_.quiet,
                                  [&] { return pending_->stopping; });
      if (pending_->stopping) return;
    }
    if (steady_clock::now() >= next_poll) next_poll = steady_clock::now() + options_.poll_interval;
    const auto began = steady_clock::now();
    auto learnt = refresh();
    if (!learnt)
      spdlog::warn("bot: could not learn the latest flows and articles, answering as before: {}",
                   learnt.error().message);
    else if (*learnt)
      spdlog::info("bot: retrained on the changed flows and articles in {} ms",
                   std::chrono::duration_cast<std::chrono::milliseconds>(steady_clock::now() -
                                                                          began)
                       .count());
  }
}

}  // namespace fl
