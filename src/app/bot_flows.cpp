// The chatbot's flow catalog: see bot_flows.hpp.
#include "app/bot_flows.hpp"

#include "app/access.hpp"
#include "app/event_json.hpp"

namespace fl {

namespace {

Result<void> check_read(const Actor& actor) {
  if (!may_read_bot_flows(actor))
    return fail(ErrorCode::permission_denied,
                "only supervisors and admins see the chatbot's flows");
  return {};
}

Result<void> check_manage(const Actor& actor) {
  if (!may_manage_bot_flows(actor))
    return fail(ErrorCode::permission_denied, "only admins change the chatbot's flows");
  return {};
}

}  // namespace

BotFlowCatalog::BotFlowCatalog(Store& store, const Clock& clock,
                               std::vector<std::string_view> shipped)
    : store_(store), clock_(clock), current_(std::make_shared<const ActiveBotFlows>()) {
  for (std::string_view document : shipped) {
    // An unparsable shipped flow is reported by start(); it has no id to file it under here.
    if (auto flow = bot::parse_flow(document)) shipped_.emplace(flow->id, document);
  }
  shipped_documents_ = std::move(shipped);
}

Result<void> BotFlowCatalog::start() {
  for (std::string_view document : shipped_documents_) {
    auto flow = bot::parse_flow(document);
    if (!flow) return std::unexpected(flow.error());
    if (auto seeded = store_.seed_bot_flow(flow->id, document, clock_.now()); !seeded)
      return std::unexpected(seeded.error());
  }
  if (auto published = publish(); !published) return std::unexpected(published.error());
  return {};
}

std::shared_ptr<const ActiveBotFlows> BotFlowCatalog::active_flows() const {
  std::lock_guard lock(mutex_);
  return current_;
}

void BotFlowCatalog::on_change(
    std::function<void(std::shared_ptr<const ActiveBotFlows>)> listener) {
  listeners_.push_back(std::move(listener));
}

Result<bool> BotFlowCatalog::reload() { return publish(true); }

Result<bool> BotFlowCatalog::publish(bool only_if_changed) {
  std::lock_guard order(publish_mutex_);
  auto records = store_.bot_flows();
  if (!records) return std::unexpected(records.error());
  std::map<std::string, std::pair<std::int64_t, bool>, std::less<>> versions;
  for (const auto& r : *records) versions.emplace(r.id, std::pair{r.version, r.active});
  if (only_if_changed && versions == published_versions_) return false;
  published_versions_ = std::move(versions);
  auto next = std::make_shared<ActiveBotFlows>();
  for (const auto& r : *records) {
    if (!r.active) continue;
    // A stored document that no longer parses (a newer format) is never offered.
    if (auto flow = bot::parse_flow(r.json)) next->flows.emplace(r.id, std::move(*flow));
  }
  std::shared_ptr<const ActiveBotFlows> published;
  {
    std::lock_guard lock(mutex_);
    next->generation = current_->generation + 1;
    current_ = next;
    published = current_;
  }
  for (const auto& listener : listeners_) listener(published);
  return true;
}

std::optional<std::string_view> BotFlowCatalog::shipped_document(std::string_view id) const {
  auto it = shipped_.find(id);
  if (it == shipped_.end()) return std::nullopt;
  return it->second;
}

Result<std::vector<BotFlowSummary>> BotFlowCatalog::list(const Actor& actor) {
  if (auto ok = check_read(actor); !ok) return std::unexpected(ok.error());
  auto records = store_.bot_flows();
  if (!records) return std::unexpected(records.error());
  std::vector<BotFlowSummary> out;
  out.reserve(records->size());
  for (const auto& r : *records) {
    BotFlowSummary s{.id = r.id,
                     .active = r.active,
                     .version = r.version,
                     .edited = r.edited,
                     .shipped = shipped_document(r.id).has_value(),
                     .updated_by = r.updated_by,
                     .updated_at = r.updated_at};
    if (auto flow = bot::parse_flow(r.json)) {
      s.title = flow->title;
      s.node_count = static_cast<int>(flow->nodes.size());
    } else {
      s.problem = flow.error().message;
    }
    out.push_back(std::move(s));
  }
  return out;
}

Result<BotFlowDocument> BotFlowCatalog::get(const Actor& actor, std::string_view id) {
  if (auto ok = check_read(actor); !ok) return std::unexpected(ok.error());
  auto r = store_.bot_flow(id);
  if (!r) return std::unexpected(r.error());
  return BotFlowDocument{std::move(*r), shipped_document(id).has_value()};
}

Result<std::vector<BotFlowVersion>> BotFlowCatalog::versions(const Actor& actor,
                                                             std::string_view id) {
  if (auto ok = check_read(actor); !ok) return std::unexpected(ok.error());
  return store_.bot_flow_versions(id);
}

Result<BotFlowPreview> BotFlowCatalog::preview(const Actor& actor, std::string_view document,
                                               std::optional<std::string_view> state,
                                               const bot::UserInput& input,
                                               std::string_view lang) const {
  if (auto ok = check_read(actor); !ok) return std::unexpected(ok.error());
  auto flow = bot::parse_flow(document);
  if (!flow) return std::unexpected(flow.error());
  BotFlowPreview out;
  bot::FlowState now;
  if (!state) {
    out.turn = bot::start(*flow, now, lang);
  } else {
    auto parsed = bot::parse_state(*state);
    if (!parsed) return invalid_field("state", parsed.error().message);
    now = std::move(*parsed);
    out.turn = bot::answer(*flow, now, input, lang);
  }
  out.state = bot::state_to_json(now);
  return out;
}

Result<BotFlowDocument> BotFlowCatalog::store_flow(const Actor& actor, BotFlowRecord record,
                                                   std::string_view action) {
  record.updated_by = actor.user.id;
  record.updated_at = clock_.now();
  auto stored = store_.save_bot_flow(
      record, event_with(event_type::bot_flow_saved, record.updated_at,
                         {{"flow", record.id}, {"action", action}}, actor.user.id));
  if (!stored) return std::unexpected(stored.error());
  // The change is committed; a failed read of the catalog leaves the previous snapshot until the
  // next change, which is the best there is.
  if (auto published = publish(); !published) return std::unexpected(published.error());
  const bool shipped = shipped_document(stored->id).has_value();
  return BotFlowDocument{std::move(*stored), shipped};
}

Result<BotFlowDocument> BotFlowCatalog::create(const Actor& actor, std::string_view document,
                                               bool active) {
  if (auto ok = check_manage(actor); !ok) return std::unexpected(ok.error());
  auto flow = bot::parse_flow(document);
  if (!flow) return std::unexpected(flow.error());
  BotFlowRecord r{.id = flow->id, .json = std::string(document), .active = active, .edited = true};
  return store_flow(actor, std::move(r), "created");
}

Result<BotFlowDocument> BotFlowCatalog::save(const Actor& actor, std::string_view id,
                                             std::string_view document, std::int64_t version,
                                             std::optional<bool> active) {
  if (auto ok = check_manage(actor); !ok) return std::unexpected(ok.error());
  auto current = store_.bot_flow(id);
  if (!current) return std::unexpected(current.error());
  auto flow = bot::parse_flow(document);
  if (!flow) return std::unexpected(flow.error());
  if (flow->id != id)
    return invalid_field("id", "the flow's id is '" + std::string(id) +
                                   "'; a flow cannot be renamed (create a new one)");
  BotFlowRecord r = std::move(*current);
  r.version = version;
  if (active) r.active = *active;
  if (r.json != document) {
    r.json = std::string(document);
    r.edited = true;
  }
  return store_flow(actor, std::move(r), "saved");
}

Result<BotFlowDocument> BotFlowCatalog::set_active(const Actor& actor, std::string_view id,
                                                   bool active, std::int64_t version) {
  if (auto ok = check_manage(actor); !ok) return std::unexpected(ok.error());
  auto current = store_.bot_flow(id);
  if (!current) return std::unexpected(current.error());
  BotFlowRecord r = std::move(*current);
  r.version = version;
  r.active = active;
  return store_flow(actor, std::move(r), active ? "activated" : "deactivated");
}

Result<BotFlowDocument> BotFlowCatalog::reset(const Actor& actor, std::string_view id,
                                              std::int64_t version) {
  if (auto ok = check_manage(actor); !ok) return std::unexpected(ok.error());
  auto current = store_.bot_flow(id);
  if (!current) return std::unexpected(current.error());
  auto shipped = shipped_document(id);
  if (!shipped)
    return fail(ErrorCode::failed_precondition,
                "flow '" + std::string(id) + "' is not shipped: there is nothing to reset it to");
  BotFlowRecord r = std::move(*current);
  r.version = version;
  r.json = std::string(*shipped);
  r.shipped_json = std::string(*shipped);
  r.edited = false;
  return store_flow(actor, std::move(r), "reset");
}

}  // namespace fl
