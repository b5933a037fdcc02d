#include "curl_support/curl_global.hpp"

#include <curl/curl.h>

#include <mutex>
#include <stdexcept>

namespace fl {

void start_curl() {
  // libcurl 7.88's curl_global_init is thread-safe itself; once keeps the check in one place.
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      throw std::runtime_error("libcurl could not start");
  });
}

}  // namespace fl
