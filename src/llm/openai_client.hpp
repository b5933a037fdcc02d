// LanguageModel over an OpenAI-compatible HTTP API (POST {base_url}/chat/completions), as
// llama.cpp's server, vLLM, Ollama and LocalAI offer it. libcurl and Boost.JSON stay in the
// .cpp; one request per call, with its own timeouts.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "app/language_model.hpp"

namespace fl {

struct OpenAiOptions {
  std::string base_url;  // e.g. http://127.0.0.1:8081/v1 (http or https)
  std::string model;     // as the server names it
  std::string api_key;   // sent as a Bearer token when set
  std::chrono::milliseconds connect_timeout = std::chrono::seconds(3);
  std::chrono::milliseconds timeout = std::chrono::seconds(20);  // the whole request
  int max_tokens = 300;
  double temperature = 0.2;
  // Requests waiting on the model at once. Each holds one of the server's workers for up to
  // `timeout`; beyond this many, complete() fails at once (unavailable) rather than let a slow
  // model server and a burst of chat messages tie up every worker.
  int max_in_flight = 4;
};

// invalid_argument unless the URL is http:// or https:// with a host.
[[nodiscard]] Result<void> check_model_url(const std::string& url);

// Thread-safe: complete() may be called from many threads at once (see max_in_flight).
class OpenAiClient final : public LanguageModel {
 public:
  explicit OpenAiClient(OpenAiOptions options);
  Result<std::string> complete(const std::vector<ChatMessage>& messages) override;

 private:
  Result<std::string> ask(const std::vector<ChatMessage>& messages);

  OpenAiOptions options_;
  std::atomic<int> in_flight_ = 0;
};

}  // namespace fl
