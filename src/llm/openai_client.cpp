#include "llm/openai_client.hpp"

#include <curl/curl.h>

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <memory>

#include "curl_support/curl_global.hpp"

namespace fl {

namespace {

namespace json = boost::json;

constexpr std::size_t kMaxResponse = 1 << 20;  // a chat answer is a few KB

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
  auto* out = static_cast<std::string*>(user);
  const std::size_t n = size * count;
  if (out->size() + n > kMaxResponse) return 0;  // makes libcurl stop with an error
  out->append(data, n);
  return n;
}

std::string shown(std::string_view s) {
  return std::string(s.substr(0, 200));
}

}  // namespace

Result<void> check_model_url(const std::string& url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed || (parsed->scheme() != "http" && parsed->scheme() != "https") ||
      parsed->host().empty())
    return fail(ErrorCode::invalid_argument,
                "the language model's URL must be http:// or https:// with a host, got '" + url +
                    "'");
  return {};
}

OpenAiClient::OpenAiClient(OpenAiOptions options) : options_(std::move(options)) {
  start_curl();
  while (options_.base_url.ends_with('/')) options_.base_url.pop_back();
}

Result<std::string> OpenAiClient::complete(const std::vector<ChatMessage>& messages) {
  // Counted for the whole request, and given back on every way out.
  struct Waiting {
    std::atomic<int>& count;
    int ahead = count.fetch_add(1);
    ~Waiting() { count.fetch_sub(1); }
  } waiting{in_flight_};
  if (waiting.ahead >= options_.max_in_flight)
    return fail(ErrorCode::unavailable,
                "language model: " + std::to_string(options_.max_in_flight) +
                    " requests already waiting on it; not asking");
  return ask(messages);
}

Result<std::string> OpenAiClient::ask(const std::vector<ChatMessage>& messages) {
  json::array list;
  for (const auto& m : messages) list.push_back(json::object{{"role", m.role}, {"content", m.content}});
  json::object request{{"model", options_.model},
                       {"messages", std::move(list)},
                       {"temperature", options_.temperature},
                       {"max_tokens", options_.max_tokens},
                       {"stream", false}};
  const std::string body = json::serialize(request);
  const std::string url = options_.base_url + "/chat/completions";

  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> handle(curl_easy_init(), curl_easy_cleanup);
  if (!handle) return fail(ErrorCode::unavailable, "libcurl could not make a handle");
  CURL* h = handle.get();
  curl_slist* raw_headers = curl_slist_append(nullptr, "Content-Type: application/json");
  std::string auth;
  if (!options_.api_key.empty()) {
    auth = "Authorization: Bearer " + options_.api_key;
    raw_headers = curl_slist_append(raw_headers, auth.c_str());
  }
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(raw_headers,
                                                                     curl_slist_free_all);
  std::string response;
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  const CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK)
    return fail(ErrorCode::unavailable,
                "language model: " + std::string(error[0] ? error : curl_easy_strerror(rc)));
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status >= 300)
    return fail(ErrorCode::unavailable,
                "language model: HTTP " + std::to_string(status) + ": " + shown(response));

  boost::system::error_code ec;
  json::value answer = json::parse(response, ec);
  const json::value* content = nullptr;
  if (!ec && answer.is_object())
    if (const auto* choices = answer.as_object().if_contains("choices");
        choices && choices->is_array() && !choices->as_array().empty())
      if (const auto* first = choices->as_array().front().if_object())
        if (const auto* message = first->if_contains("message"); message && message->is_object())
          content = message->as_object().if_contains("content");
  if (content == nullptr || !content->is_string())
    return fail(ErrorCode::unavailable,
                "language model: no choices[0].message.content in the answer: " + shown(response));
  return std::string(content->as_string());
}

}  // namespace fl
