// LanguageModel over an OpenAI-compatible HTTP API (POST {base_url}/chat/completions), as
// llama.cpp's server, vLLM, Ollama and LocalAI offer it. libcurl and Boost.JSON stay in the
// .cpp; one request per call, with its own timeouts.
#pragma once

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
};

// invalid_argument unless the URL is http:// or https:// with a host.
[[nodiscard]] Result<void> check_model_url(const std::string& url);

class OpenAiClient final : public LanguageModel {
 public:
  explicit OpenAiClient(OpenAiOptions options);
  Result<std::string> complete(const std::vector<ChatMessage>& messages) override;

 private:
  OpenAiOptions options_;
};

}  // namespace fl
