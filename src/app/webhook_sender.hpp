// The port webhook deliveries leave through: an asynchronous HTTP POST. The app signs and
// judges; the adapter (webhooks/curl_sender.hpp) only moves bytes, with its own timeouts, on
// its own thread, so a slow receiver never holds up whoever posted.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fl {

struct OutboundPost {
  std::string url;  // http:// or https://, checked by the app
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct PostOutcome {
  std::optional<int> status;  // the HTTP status, when an answer came
  std::string error;          // why there was no answer (timeout, refused, TLS, ...); else ""
  std::string response;       // the start of the answer's body, for the delivery log
  std::chrono::milliseconds duration{};
};

class WebhookSender {
 public:
  virtual ~WebhookSender() = default;
  // Starts the POST and returns at once. `done` runs exactly once, on the sender's own thread,
  // with the answer or why none came; after the sender is stopped, never. Thread-safe.
  virtual void post(OutboundPost post, std::function<void(PostOutcome)> done) = 0;
};

}  // namespace fl
