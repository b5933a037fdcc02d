// The live event feed's wire format (docs/live-events.md): the server's messages as JSON
// text, and the client's messages read into requests for app/live_feed.
#pragma once

#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/live_feed.hpp"
#include "core/directory.hpp"

namespace fl::http {

// Thread-safe. Tickets name their team ({"id","name"}) as the REST API does, from `teams`
// (e.g. DirectoryService::all_teams; null: ids only).
class LiveJson final : public LiveEncoder {
 public:
  using Teams = std::function<std::shared_ptr<const std::vector<Team>>()>;
  explicit LiveJson(Teams teams) : teams_(std::move(teams)) {}
  [[nodiscard]] std::string encode(const LiveMessage& message) const override;

 private:
  Teams teams_;
};

// A message from a client.
struct LiveRequest {
  enum class Kind { auth, subscribe, unsubscribe, ping };
  Kind kind = Kind::ping;
  std::string authorization;  // auth: "Bearer <token>"
  LiveSubscription subscription;
  std::optional<EventId> after;  // subscribe: resume after this cursor
  std::string id;                // the client's "id" (a string or number), as JSON text
};

// A request, or what is wrong with the text (for an "error" message) and the client's "id"
// when it could be read.
struct LiveRequestError {
  std::string detail;
  std::string id;
};
[[nodiscard]] std::expected<LiveRequest, LiveRequestError> parse_live_request(
    std::string_view text);

}  // namespace fl::http
