// libcurl's process-wide start, shared by every adapter that speaks through libcurl
// (SMTP, IMAP, webhooks).
#pragma once

namespace fl {

// Calls curl_global_init once per process; throws std::runtime_error if libcurl cannot start.
void start_curl();

}  // namespace fl
