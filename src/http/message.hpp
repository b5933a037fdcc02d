// HTTP request and response as plain values, free of Beast, so that handlers and the
// router are tested without a socket (after the Beast awaitable server example).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fl::http {

struct Request {
  std::string method;                                      // "GET", "POST", ...
  std::string path;                                        // percent-decoded path without the query
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::string body;
  std::string authorization;  // the Authorization header, as sent
  std::string content_type;
  std::string accept_encoding;  // for the web UI's precompressed files
  std::string if_none_match;    // for conditional GETs of content with an ETag
  std::string accept_language;  // the chatbot's fallback language
  std::string remote_address;  // peer IP, for login throttling and logs

  // First value of a query parameter, if present.
  [[nodiscard]] std::optional<std::string_view> param(std::string_view name) const {
    for (const auto& [k, v] : query)
      if (k == name) return std::string_view(v);
    return std::nullopt;
  }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

}  // namespace fl::http
