// The phone routes: the caller lookup for agents (GET /api/v1/callers) and the CTI webhook
// through which a phone system reports calls (POST /api/v1/cti/events, docs/telephony.md).
#pragma once

#include <string>

#include "app/auth_service.hpp"
#include "app/directory_service.hpp"
#include "app/telephony.hpp"
#include "http/router.hpp"

namespace fl::http {

struct PhoneRouteOptions {
  // The shared secret a phone system sends as "Authorization: Bearer <token>". Empty: the
  // webhook is off and answers 404.
  std::string cti_token;
  double cti_events_per_second = 50;  // sustained, over all senders; bursts of 200; beyond: 429
  std::size_t cti_body_limit = 4096;  // bytes; beyond: 413
};

// The services must outlive the router.
void add_phone_routes(Router& router, AuthService& auth, DirectoryService& directory,
                      Telephony& telephony, PhoneRouteOptions options = {});

// "2026-11-27T10:55:00Z", with milliseconds, or with an offset ("...+01:00"): RFC 3339 as phone
// systems send it.
[[nodiscard]] std::optional<Timestamp> parse_rfc3339(std::string_view text);

}  // namespace fl::http
