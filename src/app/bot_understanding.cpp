// The chatbot's understanding: see bot_understanding.hpp. The order of the decision: small
// talk, then a flow, then an article that clearly fits, else ask back.
#include "app/bot_understanding.hpp"

#include <algorithm>
#include <set>

#include "bot/slot.hpp"
#include "core/mail.hpp"

namespace fl {

namespace {

bool is_small_talk(std::string_view intent) {
  return intent == kGreeting || intent == kThanks || intent == kGoodbye || intent == kHuman;
}

// The content words of a text as the coverage test compares them: 4+ letters, their first five
// letters (after intent_text's folding), without the most common function words.
std::set<std::string> content_stems(std::string_view text) {
  static const std::set<std::string, std::less<>> stop{
      "nicht",  "mein",  "meine",  "meinen", "meiner",       "habe",  "haben",   "kann",
      "konnen", "keine", "kein",   "sich",   "wenn",         "dass",  "this",    "that",
      "with",   "have",  "does",   "doesnt", "cannot",       "from",  "what",    "when",
      "there",  "seit",  "immer",  "noch",   "mehr",         "bitte", "hallo",   "please",
      "hello",  "again", "wieder", "geht",   "funktioniert", "work",  "working", "works"};
  std::set<std::string> out;
  const std::string folded = bot::intent_text(text);
  std::size_t i = 0;
  while (i < folded.size()) {
    std::size_t j = folded.find(' ', i);
    if (j == std::string::npos) j = folded.size();
    std::string word = folded.substr(i, j - i);
    i = j + 1;
    if (bot::text_length(word) < 4 || stop.contains(word)) continue;
    // Five characters (not bytes): cut on a UTF-8 boundary.
    std::size_t bytes = 0;
    for (int chars = 0; bytes < word.size() && chars < 5; ++chars) {
      ++bytes;
      while (bytes < word.size() && (static_cast<unsigned char>(word[bytes]) & 0xC0) == 0x80)
        ++bytes;
    }
    out.insert(word.substr(0, bytes));
  }
  return out;
}

std::string without_marks(std::string_view html) {
  std::string out;
  bool tag = false;
  for (char c : html) {
    if (c == '<')
      tag = true;
    else if (c == '>')
      tag = false;
    else if (!tag)
      out += c;
  }
  return out;
}

bool has_umlaut(std::string_view text) {
  for (std::string_view u : {"ä", "ö", "ü", "ß", "Ä", "Ö", "Ü"})
    if (text.find(u) != std::string_view::npos) return true;
  return false;
}

std::string language_of(std::string_view text, std::string_view setting,
                        std::string_view fallback) {
  if (setting == "de" || setting == "en") return std::string(setting);
  std::string guess = guess_language(text, "");
  if (guess == "de" || guess == "en") return guess;
  if (has_umlaut(text)) return "de";
  return fallback == "de" ? "de" : "en";
}

}  // namespace

std::vector<bot::IntentExample> small_talk_examples() {
  std::vector<bot::IntentExample> out;
  auto add = [&](std::string_view intent, std::initializer_list<const char*> texts) {
    for (const char* t : texts) out.push_back({std::string(intent), t});
  };
  add(kGreeting, {"hallo",        "hallo zusammen", "guten morgen", "guten tag",
                  "moin",         "servus",         "hi",           "hey",
                  "hallöchen",    "grüß gott",      "hello",        "hello there",
                  "good morning", "good afternoon", "hi there",     "hey bot",
                  "howdy",        "guten abend",    "hallo bot",    "hey there"});
  add(kThanks, {"danke",
                "vielen dank",
                "danke schön",
                "danke dir",
                "super danke",
                "dankeschön",
                "besten dank",
                "merci",
                "thanks",
                "thank you",
                "thank you very much",
                "thanks a lot",
                "cheers",
                "many thanks",
                "thx",
                "ty",
                "great thanks",
                "perfekt danke",
                "thanks for the help",
                "danke für die hilfe"});
  add(kGoodbye, {"tschüss",
                 "auf wiedersehen",
                 "ciao",
                 "bis dann",
                 "bis später",
                 "schönen tag noch",
                 "das wars",
                 "mehr brauche ich nicht",
                 "bye",
                 "goodbye",
                 "see you",
                 "that's all",
                 "have a nice day",
                 "bye bye",
                 "nothing else",
                 "tschö",
                 "see you later",
                 "thats all thanks bye",
                 "ende",
                 "fertig"});
  add(kHuman, {"ich möchte mit einem menschen sprechen",
               "mensch",
               "mitarbeiter",
               "bitte einen mitarbeiter",
               "kann ich mit jemandem sprechen",
               "echter mensch bitte",
               "service desk anrufen",
               "verbinde mich mit dem support",
               "ich will einen menschen",
               "agent",
               "human",
               "talk to a human",
               "speak to an agent",
               "real person please",
               "can i talk to someone",
               "connect me to support",
               "i want a person",
               "service desk please",
               "operator",
               "live agent"});
  return out;
}

Result<BotUnderstanding> BotUnderstanding::create(std::vector<bot::Flow> flows,
                                                  SearchService& search,
                                                  UnderstandingThresholds thresholds,
                                                  const std::vector<std::string>& article_titles) {
  std::vector<bot::IntentExample> examples = small_talk_examples();
  for (const auto& t : article_titles) examples.push_back({std::string(kKnowledge), t});
  for (const auto& f : flows) {
    for (const auto& t : f.examples.de) examples.push_back({f.id, t});
    for (const auto& t : f.examples.en) examples.push_back({f.id, t});
    // The title is how a user names the problem, too.
    examples.push_back({f.id, f.title.de});
    examples.push_back({f.id, f.title.en});
  }
  auto classifier = bot::IntentClassifier::train(examples);
  if (!classifier) return std::unexpected(classifier.error());
  return BotUnderstanding(std::move(flows), search, std::move(*classifier), thresholds);
}

const bot::Flow* BotUnderstanding::flow(std::string_view id) const {
  for (const auto& f : flows_)
    if (f.id == id) return &f;
  return nullptr;
}

bool BotUnderstanding::asks_for_human(std::string_view text) {
  static const std::set<std::string, std::less<>> phrases{"mensch",
                                                          "mitarbeiter",
                                                          "mitarbeiterin",
                                                          "agent",
                                                          "human",
                                                          "person",
                                                          "operator",
                                                          "ein mensch",
                                                          "einen menschen",
                                                          "mit einem menschen sprechen",
                                                          "mit einem mitarbeiter sprechen",
                                                          "mensch bitte",
                                                          "mitarbeiter bitte",
                                                          "talk to a human",
                                                          "speak to a human",
                                                          "talk to an agent",
                                                          "speak to an agent",
                                                          "human please",
                                                          "agent please",
                                                          "a human",
                                                          "real person",
                                                          "service desk",
                                                          "support"};
  return phrases.contains(bot::fold(bot::intent_text(text)));
}

double BotUnderstanding::coverage(std::string_view text, const ArticleHit& hit) {
  auto wanted = content_stems(text);
  if (wanted.empty()) return 0;
  auto found = content_stems(hit.title + " " + without_marks(hit.snippet));
  std::size_t n = 0;
  for (const auto& w : wanted) n += found.contains(w) ? 1 : 0;
  return static_cast<double>(n) / static_cast<double>(wanted.size());
}

Result<std::vector<ArticleHit>> BotUnderstanding::articles(const Actor& actor,
                                                           std::string_view text,
                                                           std::string_view language,
                                                           int limit) const {
  auto found = search_->search_articles(
      actor, {.text = std::string(text), .language = std::string(language), .limit = limit});
  if (!found) return std::unexpected(found.error());
  return std::move(found->hits);
}

Result<Understanding> BotUnderstanding::understand(const Actor& actor, std::string_view text,
                                                   std::string_view language,
                                                   std::string_view fallback) const {
  Understanding u;
  u.language = language_of(text, language, fallback);
  if (asks_for_human(text)) {
    u.kind = Understanding::Kind::small_talk;
    u.intent = kHuman;
    u.confidence = 1;
    return u;
  }
  auto guesses = classifier_.classify(text, 5);
  if (!guesses.empty()) {
    const auto& best = guesses.front();
    if (is_small_talk(best.intent) && best.confidence >= thresholds_.small_talk) {
      u.kind = Understanding::Kind::small_talk;
      u.intent = best.intent;
      u.confidence = best.confidence;
      return u;
    }
    // kKnowledge (or anything that is no flow) goes on to the knowledge base below.
    if (!is_small_talk(best.intent) && best.confidence >= thresholds_.flow && flow(best.intent)) {
      u.kind = Understanding::Kind::flow;
      u.intent = best.intent;
      u.confidence = best.confidence;
      return u;
    }
  }
  auto hits = articles(actor, text, u.language, thresholds_.max_choices);
  if (!hits) return std::unexpected(hits.error());
  if (!hits->empty() && coverage(text, hits->front()) >= thresholds_.article_coverage) {
    u.kind = Understanding::Kind::article;
    u.articles = std::move(*hits);
    return u;
  }
  // Not sure: the flows the classifier still considers and the articles found compete for the
  // buttons by confidence; a good article keeps one of them.
  u.kind = Understanding::Kind::clarify;
  struct Candidate {
    const bot::IntentGuess* flow = nullptr;
    ArticleHit* article = nullptr;
    double confidence = 0;
  };
  std::vector<Candidate> flows;  // best first, as the classifier ranks them
  for (const auto& g : guesses)
    if (!is_small_talk(g.intent) && g.confidence >= thresholds_.candidate && flow(g.intent))
      flows.push_back({.flow = &g, .confidence = g.confidence});
  std::vector<Candidate> found;  // in the search's order, which knows more than the coverage
  for (auto& h : *hits) found.push_back({.article = &h, .confidence = coverage(text, h)});
  // The two ranked lists merged: each next button the more confident of their heads (a flow on
  // a tie). The articles keep the search's order among themselves.
  std::vector<Candidate> candidates;
  for (std::size_t f = 0, a = 0; f < flows.size() || a < found.size();) {
    if (a == found.size() || (f < flows.size() && flows[f].confidence >= found[a].confidence))
      candidates.push_back(flows[f++]);
    else
      candidates.push_back(found[a++]);
  }
  const auto max = static_cast<std::size_t>(std::max(thresholds_.max_choices, 0));
  auto best_article =
      std::ranges::find_if(candidates, [](const Candidate& c) { return c.article != nullptr; });
  if (candidates.size() > max) {
    if (max > 0 && best_article != candidates.end() &&
        best_article - candidates.begin() >= static_cast<std::ptrdiff_t>(max) &&
        best_article->confidence >= thresholds_.good_article)
      std::rotate(candidates.begin() + static_cast<std::ptrdiff_t>(max) - 1, best_article,
                  best_article + 1);
    candidates.resize(max);
  }
  for (auto& c : candidates) {
    if (c.flow) {
      if (u.flows.empty()) u.confidence = c.confidence;
      u.choices.push_back({.is_flow = true, .index = u.flows.size(), .confidence = c.confidence});
      u.flows.push_back(c.flow->intent);
    } else {
      u.choices.push_back(
          {.is_flow = false, .index = u.articles.size(), .confidence = c.confidence});
      u.articles.push_back(std::move(*c.article));
    }
  }
  return u;
}

}  // namespace fl
