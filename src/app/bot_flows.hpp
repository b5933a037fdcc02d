// The chatbot's flow catalog: the guided troubleshooting flows (bot/flow.hpp) as the desk
// keeps them in the store. Admins create, edit, switch off and reset flows; supervisors read
// them. The shipped flows (bot/shipped.hpp) are seeded at start; one an admin has edited is
// never replaced by a newer shipped version, until "reset to shipped" brings the shipped one
// back.
//
// The conversation service reads the active flows from active_flows(): an immutable snapshot,
// replaced whole after every change, so a reader keeps a consistent set for as long as it holds
// the pointer. on_change() tells a listener (the intent classifier, to retrain) about each new
// snapshot.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "bot/engine.hpp"
#include "bot/flow.hpp"
#include "store/store.hpp"

namespace fl {

// The active flows at one moment. Immutable once published.
struct ActiveBotFlows {
  std::uint64_t generation = 0;  // 0 before start(); + 1 with every published change
  std::map<std::string, bot::Flow, std::less<>> flows;  // by flow id
};

// One line of the catalog's list.
struct BotFlowSummary {
  std::string id;
  bot::Text title;  // empty when the stored document does not parse
  bool active = true;
  std::int64_t version = 0;
  int node_count = 0;
  bool edited = false;   // changed by a person since it was seeded
  bool shipped = false;  // this build ships a flow with this id: it can be reset
  std::string problem;   // why the stored document does not parse (then it is never offered)
  std::optional<UserId> updated_by;
  Timestamp updated_at{};
};

// A flow as the editor gets it.
struct BotFlowDocument {
  BotFlowRecord record;
  bool shipped = false;  // see BotFlowSummary::shipped
};

// One turn of a preview: what the user would see, and the state to send back with the answer.
struct BotFlowPreview {
  bot::Turn turn;
  std::string state;  // bot::state_to_json
};

class BotFlowCatalog {
 public:
  // `shipped`: the flow documents this build ships (bot::shipped_flows() in production).
  BotFlowCatalog(Store& store, const Clock& clock, std::vector<std::string_view> shipped);

  // Seeds the shipped flows (new ones stored, unedited ones brought up to date) and publishes
  // the first snapshot. Call once, before serving; a shipped flow that does not parse is
  // invalid_argument (the build's tests keep that from happening).
  [[nodiscard]] Result<void> start();

  // The active flows, never null. Thread-safe.
  [[nodiscard]] std::shared_ptr<const ActiveBotFlows> active_flows() const;
  // Called with every snapshot published (by start() and after each change), on the thread
  // that made the change, once it is visible through active_flows(). Publications are ordered:
  // a listener is not called again before it returns, so long work (retraining the intent
  // classifier) belongs on another thread; a listener must not change the catalog. Register
  // before serving (before start(), or before changes can come from other threads); not
  // thread-safe.
  void on_change(std::function<void(std::shared_ptr<const ActiveBotFlows>)> listener);
  // Reads the flows from the store again and publishes them when any differs from the current
  // snapshot's (by id, version, active flag): how a flow saved by another server on the same
  // database reaches this one. false when nothing had changed. Thread-safe.
  [[nodiscard]] Result<bool> reload();

  // Reading: supervisors and admins (others: permission_denied).
  [[nodiscard]] Result<std::vector<BotFlowSummary>> list(const Actor& actor);
  [[nodiscard]] Result<BotFlowDocument> get(const Actor& actor, std::string_view id);
  [[nodiscard]] Result<std::vector<BotFlowVersion>> versions(const Actor& actor,
                                                             std::string_view id);

  // A preview of `document` (not stored, need not be saved) for the editor: without `state`,
  // the flow's first turn; with it (as a previous turn returned it) and `input`, the next.
  // Supervisors and admins. The document's problems are invalid_argument by path as for
  // save(); a state that does not parse is invalid_argument on field "state".
  [[nodiscard]] Result<BotFlowPreview> preview(const Actor& actor, std::string_view document,
                                               std::optional<std::string_view> state,
                                               const bot::UserInput& input,
                                               std::string_view lang) const;

  // Writing: admins only. A document is checked with bot::parse_flow; its problems come back
  // as invalid_argument with one field error per problem, named by its path
  // ("nodes.power.unsolved"). `version` must be the stored one (else conflict).
  // create: the id is the document's; a taken id is a conflict.
  [[nodiscard]] Result<BotFlowDocument> create(const Actor& actor, std::string_view document,
                                               bool active);
  // save: the document's id must be `id`; `active` unset keeps the flag.
  [[nodiscard]] Result<BotFlowDocument> save(const Actor& actor, std::string_view id,
                                             std::string_view document, std::int64_t version,
                                             std::optional<bool> active);
  [[nodiscard]] Result<BotFlowDocument> set_active(const Actor& actor, std::string_view id,
                                                   bool active, std::int64_t version);
  // Back to the document this build ships for `id`, unedited again (so later shipped versions
  // replace it); failed_precondition for a flow this build does not ship.
  [[nodiscard]] Result<BotFlowDocument> reset(const Actor& actor, std::string_view id,
                                              std::int64_t version);

 private:
  [[nodiscard]] std::optional<std::string_view> shipped_document(std::string_view id) const;
  [[nodiscard]] Result<BotFlowDocument> store_flow(const Actor& actor, BotFlowRecord record,
                                                   std::string_view action);
  // Rebuilds the snapshot from the store and publishes it; with `only_if_changed`, only when a
  // stored flow's version or active flag (or the set of flows) differs from the last one's.
  [[nodiscard]] Result<bool> publish(bool only_if_changed = false);

  Store& store_;
  const Clock& clock_;
  std::vector<std::string_view> shipped_documents_;               // in the build's order
  std::map<std::string, std::string_view, std::less<>> shipped_;  // id → document

  mutable std::mutex mutex_;  // guards current_; publish_mutex_ orders whole publications
  std::mutex publish_mutex_;
  std::shared_ptr<const ActiveBotFlows> current_;
  // id → version and active flag as last published; guarded by publish_mutex_.
  std::map<std::string, std::pair<std::int64_t, bool>, std::less<>> published_versions_;
  std::vector<std::function<void(std::shared_ptr<const ActiveBotFlows>)>> listeners_;
};

}  // namespace fl
