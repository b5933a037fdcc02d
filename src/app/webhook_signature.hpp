// How a webhook delivery proves where it came from: an HMAC-SHA256 of the timestamp and the
// body under the webhook's secret, as receivers recompute it (docs/webhooks.md). Pure
// functions over libsodium, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fl {

// "sha256=" and the lower-case hex HMAC-SHA256 of "<timestamp>.<body>" keyed with `secret`
// (its bytes as given): the X-Firstline-Signature header.
[[nodiscard]] std::string webhook_signature(std::string_view secret, std::int64_t timestamp,
                                            std::string_view body);

// A fresh secret: "whsec_" and 64 hex digits (256 random bits).
[[nodiscard]] std::string new_webhook_secret();

}  // namespace fl
