// What a chat message means, for the chatbot's dialogue (app/bot_service.hpp): small talk, one
// of the guided flows, a knowledge-base answer, or "not sure" (ask back with the top choices as
// buttons rather than guess). One fastText classifier is trained from the active flows'
// examples, the bot's own small-talk examples (German and English) and the public articles'
// titles — again whenever they change (app/bot_brain.hpp); the knowledge base is
// searched as the actor, so a customer or a guest only ever sees public articles.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app/actor.hpp"
#include "app/search_service.hpp"
#include "bot/flow.hpp"
#include "bot/intents.hpp"

namespace fl {

// The decision's thresholds, in one place so that an evaluation (bench/bot_eval) can report and
// vary them. Confidences are the classifier's probabilities (softmax over every intent).
struct UnderstandingThresholds {
  // Small talk (greeting, thanks, goodbye, human) is answered at once from this confidence.
  double small_talk = 0.60;
  // A flow starts without asking from this confidence: a wrong flow costs the user a few
  // questions before "no" brings them back, so it is set a little lower than small talk.
  double flow = 0.50;
  // A knowledge-base article "clearly fits" when at least this share of the message's content
  // words (4+ letters, compared by their first five letters, a crude stem for both languages)
  // occur in its title or in the search's snippet of it.
  double article_coverage = 0.60;
  // A flow below `flow` is still offered as a clarifying button from this confidence.
  double candidate = 0.10;
  // When clarifying, flows and articles compete for the buttons by confidence (a flow's
  // probability, an article's coverage); an article from this coverage keeps a button even
  // when flows are more likely, so that a plausible answer is never crowded out.
  double good_article = 0.34;
  int max_choices = 3;  // buttons offered when clarifying (plus "talk to a human")
};

// Small-talk intents, beside the flows' ids.
inline constexpr std::string_view kGreeting = "greeting";
inline constexpr std::string_view kThanks = "thanks";
inline constexpr std::string_view kGoodbye = "goodbye";
inline constexpr std::string_view kHuman = "human";
// "Something the knowledge base may answer": learnt from the articles' titles, so that a
// question none of the flows is about does not end up in the closest flow.
inline constexpr std::string_view kKnowledge = "knowledge";

struct Understanding {
  enum class Kind { small_talk, flow, article, clarify };
  Kind kind = Kind::clarify;
  std::string intent;     // small_talk: the intent; flow: the flow's id
  double confidence = 0;  // of `intent`, or the best flow when clarifying
  std::string language;   // "de" or "en": the language to answer in
  // article: the best first (the answer is articles[0]); clarify: those worth a button.
  std::vector<ArticleHit> articles;
  std::vector<std::string> flows;  // clarify: flows worth a button, best first
  // clarify: the buttons, best first, flows and articles together (by a flow's probability and
  // an article's coverage). Empty (a clarification built by hand): the flows, then the articles.
  struct Choice {
    bool is_flow = false;   // flows[index], else articles[index]
    std::size_t index = 0;
    double confidence = 0;
  };
  std::vector<Choice> choices;
};

class BotUnderstanding {
 public:
  // Trains the classifier (about a second for the shipped flows) and keeps its own copy of
  // `flows`: flow() points into it for as long as this object lives, so a conversation turn
  // holding one understanding (app/bot_brain.hpp) keeps its flows across a retraining.
  // invalid_argument when the flows give too little to learn from.
  // `article_titles`: the titles of the public knowledge base, examples of kKnowledge.
  static Result<BotUnderstanding> create(std::vector<bot::Flow> flows, SearchService& search,
                                         UnderstandingThresholds thresholds = {},
                                         const std::vector<std::string>& article_titles = {});

  // `language`: the user's own setting if known, else empty; `fallback` (e.g. from the
  // Accept-Language header) is used when the text does not tell.
  Result<Understanding> understand(const Actor& actor, std::string_view text,
                                   std::string_view language, std::string_view fallback) const;

  // Articles for `text` in `language`, best first, at most `limit`, with the coverage test
  // applied (those that clearly fit first is not promised: the search's order is kept).
  Result<std::vector<ArticleHit>> articles(const Actor& actor, std::string_view text,
                                           std::string_view language, int limit) const;

  [[nodiscard]] const UnderstandingThresholds& thresholds() const { return thresholds_; }
  [[nodiscard]] const bot::Flow* flow(std::string_view id) const;
  [[nodiscard]] const std::vector<bot::Flow>& flows() const { return flows_; }

  // The words "Mensch", "Mitarbeiter", "agent", "human" ... as a whole short message: a request
  // for a person that needs no classifier (also inside a flow, where text is a slot's answer).
  [[nodiscard]] static bool asks_for_human(std::string_view text);
  // The share of `text`'s content words found in `hit` (see article_coverage).
  [[nodiscard]] static double coverage(std::string_view text, const ArticleHit& hit);

 private:
  BotUnderstanding(std::vector<bot::Flow> flows, SearchService& search,
                   bot::IntentClassifier classifier, UnderstandingThresholds thresholds)
      : flows_(std::move(flows)),
        search_(&search),
        classifier_(std::move(classifier)),
        thresholds_(thresholds) {}

  std::vector<bot::Flow> flows_;
  SearchService* search_;
  bot::IntentClassifier classifier_;
  UnderstandingThresholds thresholds_;
};

// The bot's own small-talk examples (German and English), for training and tests.
[[nodiscard]] std::vector<bot::IntentExample> small_talk_examples();

}  // namespace fl
