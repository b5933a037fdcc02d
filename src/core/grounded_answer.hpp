// Generative answers for the chatbot, kept honest: the model sees only knowledge-base
// passages we retrieved, must cite them by number, and says a fixed word when they do not
// hold the answer. What it wrote is shown only with the sources it cited; an answer citing
// nothing, or a passage we did not give it, is not shown at all. Pure: building the request's
// messages and reading the answer; the HTTP call is an adapter's (app/answer_generator.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/article.hpp"

namespace fl {

// One retrieved passage: an article's title and the text the answer may draw on.
struct Passage {
  ArticleId article = 0;
  std::string title;
  std::string text;  // plain text, cut to a few hundred words by the caller
};

struct ChatMessage {
  std::string role;  // "system" | "user"
  std::string content;
};

// The word the model must answer with when the passages do not hold the answer.
inline constexpr std::string_view kNoAnswer = "NO_ANSWER";

// The system instruction (in `language`, "de" or "en") and the user message with the numbered
// passages ([1] ... [n]) and the question.
[[nodiscard]] std::vector<ChatMessage> grounded_messages(std::string_view question,
                                                         std::string_view language,
                                                         const std::vector<Passage>& passages);

struct CitedAnswer {
  std::string text;                  // as the model wrote it, trimmed, markers kept
  std::vector<ArticleId> sources;    // the cited passages' articles, in order of first citation
};

// The model's answer, if it may be shown: not the no-answer word, not empty, citing at least
// one passage, and only passages 1..n. Markers are "[1]", "[2]", also "[1, 3]" or "[1][2]".
[[nodiscard]] std::optional<CitedAnswer> read_cited_answer(std::string_view content,
                                                           const std::vector<Passage>& passages);

}  // namespace fl
