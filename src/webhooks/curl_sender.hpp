// The libcurl adapter of the WebhookSender port: one thread drives a curl multi handle, so
// any number of posts run at once without a thread each, and a slow or silent receiver only
// ever costs its own transfer, cut off at the total timeout. libcurl stays in the .cpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>

#include "app/webhook_sender.hpp"

namespace fl {

struct CurlSenderOptions {
  std::chrono::milliseconds connect_timeout = std::chrono::seconds(5);
  std::chrono::milliseconds total_timeout = std::chrono::seconds(15);  // connect to last byte
  std::size_t response_limit = 1024;  // bytes of the answer kept for the log; the rest is read
                                      // and dropped
};

// Posts only http and https URLs, follows no redirects (a 3xx is an answer, and not a
// success), verifies TLS certificates and host names, and honours the usual proxy variables
// (https_proxy, no_proxy). The thread starts with the first post.
class CurlWebhookSender final : public WebhookSender {
 public:
  explicit CurlWebhookSender(CurlSenderOptions options = {});
  ~CurlWebhookSender() override;  // stop()
  CurlWebhookSender(const CurlWebhookSender&) = delete;
  CurlWebhookSender& operator=(const CurlWebhookSender&) = delete;

  void post(OutboundPost post, std::function<void(PostOutcome)> done) override;

  // Cuts off every transfer in progress and returns once the thread has ended; their
  // callbacks never run (a lease brings the delivery back later). Posts after it are dropped.
  // Idempotent, thread-safe, but not from inside a callback.
  void stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fl
