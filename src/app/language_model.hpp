// The port to a language model for the chatbot's optional generative answers: an
// OpenAI-compatible chat completion (llm/openai_client.hpp), typically a model server the site
// runs itself. Off unless configured; the bot works fully without it. What goes in and what
// may be shown is decided by core/grounded_answer.hpp.
#pragma once

#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/grounded_answer.hpp"

namespace fl {

class LanguageModel {
 public:
  virtual ~LanguageModel() = default;
  // The model's reply to `messages`; unavailable when the server cannot be reached, times
  // out or answers with an error. Thread-safe.
  virtual Result<std::string> complete(const std::vector<ChatMessage>& messages) = 0;
};

}  // namespace fl
