// Which intent a chat message most likely means: a fastText classifier trained at start from
// the examples the flows carry (and the bot's own small talk). Trained in memory on one thread
// with a fixed seed, so the same examples give the same model; fastText stays private.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace fasttext {
class FastText;
}

namespace fl::bot {

struct IntentExample {
  std::string intent;  // [a-z0-9_-]: a flow's id, or "greeting", "thanks", "human", ...
  std::string text;
};

struct IntentGuess {
  std::string intent;
  double confidence = 0;  // the model's probability, 0..1
};

struct IntentTraining {
  int epochs = 60;
  int dimension = 32;
  double learning_rate = 0.5;
};

class IntentClassifier {
 public:
  // invalid_argument without examples or with fewer than two intents.
  static Result<IntentClassifier> train(const std::vector<IntentExample>& examples,
                                        const IntentTraining& training = {});

  // Best first, at most k. Thread-safe.
  [[nodiscard]] std::vector<IntentGuess> classify(std::string_view text, int k = 3) const;
  [[nodiscard]] const std::vector<std::string>& intents() const { return intents_; }

 private:
  std::shared_ptr<const fasttext::FastText> model_;
  std::vector<std::string> intents_;
};

// The text as the classifier sees it: lower case (also Ä, Ö, Ü), "ß" as "ss", punctuation as
// spaces, one space between words.
[[nodiscard]] std::string intent_text(std::string_view text);

}  // namespace fl::bot
