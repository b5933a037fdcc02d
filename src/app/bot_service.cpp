// The chatbot's dialogue: see bot_service.hpp and docs/bot.md. The conversation state is a JSON
// object kept in the session row:
//   phase     problem | flow | article | offer_handoff | name | email | ended
//   flow      the engine's FlowState (bot/engine.hpp) while a flow runs or after it ended
//   problem   the first message that described the problem (the ticket's subject)
//   article   the article waiting for "did this solve it?"; pending: further hits {id, title}
//   offered   article ids shown; tried: {id, title} of those that did not help
//   no, unclear  counters: "no" to articles, messages not understood
//   name, email  an anonymous user's contact for the hand-off
//   buttons   the last buttons offered, so typing a label counts as pressing it
//   seq       the number of the last turn stored
#include "app/bot_service.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "app/attachments.hpp"
#include "bot/engine.hpp"
#include "core/grounded_answer.hpp"
#include "bot/slot.hpp"
#include "core/mail.hpp"
#include "core/priority.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "markdown/markdown.hpp"

namespace fl {

namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kExtractChars = 300;
constexpr std::size_t kPassageChars = 1200;  // of each article the model may draw on
constexpr std::size_t kSubjectChars = 100;  // at most 400 bytes: under the 500 allowed
constexpr int kMaxNo = 2;                   // "no" to two articles: offer a person
constexpr int kMaxUnclear = 2;              // two messages not understood: offer a person

std::string say(std::string_view lang, std::string_view de, std::string_view en) {
  return std::string(lang == "de" ? de : en);
}

// At most `max` characters, cut after the last whole word, with "…" when cut.
std::string cut_on_word(std::string_view text, std::size_t max_chars) {
  std::size_t bytes = 0;
  std::size_t chars = 0;
  while (bytes < text.size() && chars < max_chars) {
    ++bytes;
    while (bytes < text.size() && (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80) ++bytes;
    ++chars;
  }
  if (bytes >= text.size()) return std::string(text);
  std::size_t space = text.rfind(' ', bytes);
  if (space != std::string_view::npos && space > bytes / 2) bytes = space;
  return trim(text.substr(0, bytes)) + "…";
}

std::string one_line(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

bool valid_email(std::string_view a) {
  if (a.size() < 3 || a.size() > 254) return false;
  auto at = a.find('@');
  if (at == 0 || at == std::string_view::npos || a.find('@', at + 1) != std::string_view::npos)
    return false;
  std::string_view domain = a.substr(at + 1);
  auto dot = domain.find('.');
  if (dot == std::string_view::npos || dot == 0 || domain.back() == '.') return false;
  return std::ranges::none_of(a, [](char c) {
    return c == ' ' || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' ||
           static_cast<unsigned char>(c) < 0x21;
  });
}

std::string slot_label(std::string_view slot, std::string_view lang) {
  struct Label {
    std::string_view slot, de, en;
  };
  static constexpr std::array<Label, 8> labels{{{"device", "Gerät", "Device"},
                                                {"os", "Betriebssystem", "Operating system"},
                                                {"error_message", "Fehlermeldung", "Error message"},
                                                {"since", "Seit wann", "Since"},
                                                {"affected", "Betroffen", "Affected"},
                                                {"symptom", "Symptom", "Symptom"},
                                                {"location", "Ort", "Location"},
                                                {"software", "Software", "Software"}}};
  for (const auto& l : labels)
    if (l.slot == slot) return std::string(lang == "de" ? l.de : l.en);
  return std::string(slot);
}

std::string affected_label(std::string_view value, std::string_view lang) {
  if (value == "me") return say(lang, "nur ich", "just me");
  if (value == "several") return say(lang, "mehrere Kollegen", "several colleagues");
  if (value == "everyone") return say(lang, "alle", "everyone");
  return std::string(value);
}

std::string priority_label(bot::HandoffPriority p, std::string_view lang) {
  switch (p) {
    case bot::HandoffPriority::low:
      return say(lang, "niedrig", "low");
    case bot::HandoffPriority::normal:
      return say(lang, "normal", "normal");
    case bot::HandoffPriority::high:
      return say(lang, "hoch", "high");
    case bot::HandoffPriority::critical:
      return say(lang, "kritisch", "critical");
  }
  return "normal";
}

}  // namespace

ImpactUrgency impact_urgency_for(bot::HandoffPriority priority, std::string_view affected) {
  const int target = priority == bot::HandoffPriority::critical ? 1
                     : priority == bot::HandoffPriority::high   ? 2
                     : priority == bot::HandoffPriority::normal ? 3
                                                                : 4;
  const int first_impact = affected == "everyone" ? 1 : affected == "several" ? 2 : 3;
  const int urgency_at_most = affected == "everyone" ? 1 : affected == "several" ? 2 : 3;
  for (int impact = first_impact; impact >= 1; --impact)
    for (int urgency = urgency_at_most; urgency >= 1; --urgency)
      if (static_cast<int>(priority_for(impact, urgency)) <= target) return {impact, urgency};
  return {1, 1};
}

bot::HandoffPriority handoff_priority(bot::HandoffPriority base,
                                      const std::vector<std::string>& user_texts,
                                      std::string_view affected) {
  static constexpr std::array<std::string_view, 12> urgent{"dringend",
                                                           "sofort",
                                                           "urgent",
                                                           "asap",
                                                           "niemand kann arbeiten",
                                                           "nobody can work",
                                                           "alle",
                                                           "everyone",
                                                           "notfall",
                                                           "emergency",
                                                           "eilt",
                                                           "immediately"};
  int level = static_cast<int>(base);
  bool is_urgent = false;
  for (const auto& t : user_texts) {
    const std::string words = " " + bot::intent_text(t) + " ";
    for (std::string_view u : urgent)
      if (words.find(" " + bot::intent_text(u) + " ") != std::string::npos) is_urgent = true;
  }
  if (is_urgent) level = std::min(level + 1, static_cast<int>(bot::HandoffPriority::critical));
  if (affected == "everyone") level = std::max(level, static_cast<int>(bot::HandoffPriority::high));
  return static_cast<bot::HandoffPriority>(level);
}

// One answer being worked out: the session, its state and what is said.
struct BotService::Conversation {
  Actor actor;
  BotSession session;
  json::object state;
  BotReply reply;
  std::vector<BotTurn> turns;  // new turns, written with the session
  std::string fallback;        // the client's Accept-Language
  // This answer's understanding (and flows): one snapshot, however often the brain relearns.
  std::shared_ptr<const BotUnderstanding> understanding;
  std::string lang() const { return session.language; }
  std::string phase() const {
    auto p = state.if_contains("phase");
    return p && p->is_string() ? std::string(p->as_string()) : "problem";
  }
  void set_phase(std::string_view p) { state["phase"] = p; }
  std::int64_t counter(std::string_view name) const {
    auto v = state.if_contains(name);
    return v && v->is_int64() ? v->as_int64() : 0;
  }
  void bot_says(std::string text, std::optional<BotArticleRef> article = {}) {
    reply.messages.push_back({std::move(text), std::move(article)});
  }
  void button(std::string id, std::string label) {
    reply.buttons.push_back({std::move(id), std::move(label)});
  }
  void yes_no() {
    button("yes", say(lang(), "Ja", "Yes"));
    button("no", say(lang(), "Nein", "No"));
    reply.expecting = "yes_no";
  }
};

Result<bool> BotService::visible(const Actor& actor, const BotSession& session,
                                 bool writing) const {
  if (session.user)
    return *session.user == actor.user.id || (!writing && actor.is_staff() && actor.user.id != 0);
  return true;  // an anonymous session: its id is the capability
}

Result<BotReply> BotService::start(const Actor& actor, const BotClient& client,
                                   std::optional<std::string> language,
                                   std::chrono::seconds* retry_after) {
  if (language && *language != "de" && *language != "en")
    return invalid_field("language", "de or en");
  const Timestamp now = clock_.now();
  const bool anonymous = actor.user.id == 0;
  std::string key = anonymous ? "ip:" + client.address : "user:" + std::to_string(actor.user.id);
  const int limit =
      anonymous ? limits_.anonymous_sessions_per_hour : limits_.user_sessions_per_hour;
  auto started = store_.count_bot_sessions(key, now - 1h);
  if (!started) return std::unexpected(started.error());
  if (*started >= limit) {
    if (retry_after) *retry_after = std::chrono::seconds(3600);
    return fail(ErrorCode::resource_exhausted, "too many chat sessions; try again later");
  }
  Conversation c;
  c.understanding = brain_.current();
  c.actor = actor;
  c.fallback = client.accept_language;
  c.session.id = ids_.mint();
  if (!anonymous) c.session.user = actor.user.id;
  c.session.language = language ? *language
                       : !anonymous && (actor.user.language == "de" || actor.user.language == "en")
                           ? actor.user.language
                       : client.accept_language == "de" ? "de"
                                                        : "en";
  c.session.client_key = key;
  c.session.created_at = now;
  c.session.updated_at = now;
  c.state = json::object{{"phase", "problem"}, {"seq", 0}};
  const std::string lang = c.lang();
  c.bot_says(say(lang,
                 "Hallo! Ich bin der digitale Assistent des Service Desks. Beschreiben Sie kurz "
                 "Ihr Anliegen, zum Beispiel „Drucker druckt nicht“, oder wählen Sie ein Thema.",
                 "Hello! I am the service desk's digital assistant. Describe your problem in a few "
                 "words, for example \"printer not printing\", or pick a topic."));
  for (const auto& f : c.understanding->flows()) c.button("flow:" + f.id, f.title.in(lang));
  c.button("human", say(lang, "Mit einem Menschen sprechen", "Talk to a person"));
  c.reply.expecting = "text";

  // Written like an answer, with no user turn.
  json::array buttons;
  for (const auto& b : c.reply.buttons) buttons.push_back({{"id", b.id}, {"label", b.label}});
  c.state["buttons"] = buttons;
  std::vector<BotTurn> turns;
  int seq = 0;
  for (const auto& m : c.reply.messages)
    turns.push_back({c.session.id, ++seq, now, BotSpeaker::bot, m.text,
                     json::serialize(json::object{{"buttons", buttons}})});
  c.state["seq"] = seq;
  c.session.state = json::serialize(c.state);
  if (auto ok = store_.insert_bot_session(c.session, turns); !ok)
    return std::unexpected(ok.error());
  c.reply.session = c.session.id;
  c.reply.status = c.session.status;
  c.reply.language = c.session.language;
  return std::move(c.reply);
}

Result<BotReply> BotService::answer(const Actor& actor, std::string_view id,
                                    const BotClient& client, const BotInput& input,
                                    std::chrono::seconds* retry_after) {
  if (input.text.has_value() == input.button.has_value())
    return invalid_field("text", "send either text or button");
  if (input.text && is_blank(*input.text)) return invalid_field("text", "required");
  if (input.text && input.text->size() > limits_.max_text_bytes)
    return invalid_field("text", "at most " + std::to_string(limits_.max_text_bytes) + " bytes");
  if (input.button && (input.button->empty() || input.button->size() > 100))
    return invalid_field("button", "not a button of this session");
  if (id.empty() || id.size() > 200) return fail(ErrorCode::not_found, "no such chat session");
  auto session = store_.bot_session(id);
  if (!session) return std::unexpected(session.error());
  auto may = visible(actor, *session, true);
  if (!may) return std::unexpected(may.error());
  if (!*may) return fail(ErrorCode::not_found, "bot session not found");
  if (session->status != BotSessionStatus::open &&
      session->status != BotSessionStatus::handed_off)
    return fail(ErrorCode::failed_precondition, "this chat has ended; start a new one");
  const Timestamp now = clock_.now();
  const int limit =
      session->user ? limits_.user_messages_per_minute : limits_.anonymous_messages_per_minute;
  auto recent = store_.count_bot_user_turns(id, now - 1min);
  if (!recent) return std::unexpected(recent.error());
  if (*recent >= limit) {
    if (retry_after) *retry_after = std::chrono::seconds(60);
    return fail(ErrorCode::resource_exhausted, "too many messages; slow down a little");
  }

  Conversation c;
  c.understanding = brain_.current();
  c.actor = actor;
  c.session = std::move(*session);
  c.fallback = client.accept_language;
  try {
    c.state = json::parse(c.session.state).as_object();
  } catch (const std::exception&) {
    return fail(ErrorCode::internal, "stored bot session state is not a JSON object");
  }
  // After a hand-off the session goes on only for the live chat it may offer.
  if (c.session.status == BotSessionStatus::handed_off && c.phase() != "offer_live" &&
      c.phase() != "live")
    return fail(ErrorCode::failed_precondition, "this chat has ended; start a new one");
  int seq = static_cast<int>(c.counter("seq"));
  std::string said;
  if (input.text) {
    said = trim(*input.text);
  } else {
    said = *input.button;
    for (const auto& b :
         c.state["buttons"].is_array() ? c.state["buttons"].as_array() : json::array{})
      if (b.as_object().at("id").as_string() == *input.button)
        said = std::string(b.as_object().at("label").as_string());
  }
  c.turns.push_back({c.session.id, ++seq, now, BotSpeaker::user, said,
                     input.button ? json::serialize(json::object{{"button", *input.button}})
                                  : std::string("{}")});
  if (auto ok = handle(c, input); !ok) return std::unexpected(ok.error());

  json::array buttons;
  for (const auto& b : c.reply.buttons) buttons.push_back({{"id", b.id}, {"label", b.label}});
  c.state["buttons"] = buttons;
  for (const auto& m : c.reply.messages) {
    json::object payload{{"buttons", &m == &c.reply.messages.back() ? buttons : json::array{}}};
    if (m.article)
      payload["article"] = {
          {"id", m.article->id}, {"title", m.article->title}, {"url", m.article->url}};
    c.turns.push_back(
        {c.session.id, ++seq, now, BotSpeaker::bot, m.text, json::serialize(payload)});
  }
  c.state["seq"] = seq;
  c.session.state = json::serialize(c.state);
  c.session.updated_at = now;
  if (auto ok = store_.update_bot_session(c.session, c.turns); !ok)
    return std::unexpected(ok.error());
  c.reply.session = c.session.id;
  c.reply.status = c.session.status;
  c.reply.language = c.session.language;
  if (c.reply.expecting.empty()) c.reply.expecting = "text";
  return std::move(c.reply);
}

Result<BotTranscript> BotService::transcript(const Actor& actor, std::string_view id) {
  if (id.empty() || id.size() > 200) return fail(ErrorCode::not_found, "no such chat session");
  auto session = store_.bot_session(id);
  if (!session) return std::unexpected(session.error());
  auto may = visible(actor, *session, false);
  if (!may) return std::unexpected(may.error());
  if (!*may) return fail(ErrorCode::not_found, "bot session not found");
  auto turns = store_.bot_turns(id);
  if (!turns) return std::unexpected(turns.error());
  std::optional<TicketNumber> number;
  if (session->ticket) {
    auto ticket = store_.ticket(*session->ticket);
    if (!ticket) return std::unexpected(ticket.error());
    number = ticket->number;
  }
  return BotTranscript{std::move(*session), std::move(*turns), number};
}

Result<void> BotService::handle(Conversation& c, const BotInput& input) {
  const std::string phase = c.phase();
  if (phase == "offer_live" || phase == "live") return on_live(c, input);
  // A typed label (or its number) counts as pressing the button; ids of this session's last
  // buttons only.
  std::optional<std::string> button = input.button;
  if (!button && input.text && phase != "flow") {
    const std::string typed = bot::fold(*input.text);
    int n = 0;
    for (const auto& b :
         c.state["buttons"].is_array() ? c.state["buttons"].as_array() : json::array{}) {
      ++n;
      const auto& o = b.as_object();
      if (bot::fold(std::string(o.at("label").as_string())) == typed || typed == std::to_string(n))
        button = std::string(o.at("id").as_string());
    }
  }
  if (input.text && phase != "name" && phase != "email" &&
      BotUnderstanding::asks_for_human(*input.text))
    button = "human";
  if (button && *button == "human") return begin_handoff(c, "asked");

  if (phase == "flow") return on_flow(c, input);
  if (phase == "article" || phase == "offer_handoff") {
    std::optional<bool> yes;
    if (button == "yes") yes = true;
    if (button == "no") yes = false;
    if (!yes && input.text) {
      auto v = bot::normalise_slot({.kind = bot::SlotKind::yes_no}, *input.text);
      if (v) yes = *v == "yes";
    }
    if (yes && phase == "article") return on_article_answer(c, *yes);
    if (yes && phase == "offer_handoff") {
      if (*yes) return begin_handoff(c, "offered");
      c.state["unclear"] = 0;
      c.state["no"] = 0;
      c.set_phase("problem");
      c.bot_says(say(c.lang(),
                     "Gut. Beschreiben Sie Ihr Anliegen bitte noch einmal mit anderen Worten.",
                     "All right. Please describe your problem once more in other words."));
      c.reply.expecting = "text";
      return {};
    }
    // Something else typed: a new description of the problem; the question is dropped.
    c.set_phase("problem");
  }
  if (phase == "name") return on_name(c, input.text.value_or(""));
  if (phase == "email") return on_email(c, input.text.value_or(""));

  if (button) {
    if (button->starts_with("flow:")) {
      const bot::Flow* f = c.understanding->flow(button->substr(5));
      if (!f) return invalid_field("button", "not a button of this session");
      return start_flow(c, *f);
    }
    if (button->starts_with("article:")) {
      ArticleId id = 0;
      try {
        id = std::stoll(button->substr(8));
      } catch (const std::exception&) {
        return invalid_field("button", "not a button of this session");
      }
      std::string title;
      for (const auto& b :
           c.state["buttons"].is_array() ? c.state["buttons"].as_array() : json::array{})
        if (b.as_object().at("id").as_string() == *button)
          title = std::string(b.as_object().at("label").as_string());
      if (title.empty()) return invalid_field("button", "not a button of this session");
      return offer_article(c, id, title);
    }
    if (*button == "something_else") {
      c.bot_says(say(c.lang(), "Beschreiben Sie Ihr Anliegen bitte mit eigenen Worten.",
                     "Please describe your problem in your own words."));
      c.reply.expecting = "text";
      return {};
    }
    if (!input.text) return invalid_field("button", "not a button of this session");
  }
  return on_problem(c, *input.text);
}

Result<void> BotService::on_problem(Conversation& c, std::string_view text) {
  const std::string setting =
      c.session.user && (c.actor.user.language == "de" || c.actor.user.language == "en")
          ? c.actor.user.language
          : "";
  auto u = c.understanding->understand(c.actor, text, setting,
                                       c.fallback.empty() ? c.session.language : c.fallback);
  if (!u) return std::unexpected(u.error());
  c.session.language = u->language;
  const std::string lang = c.lang();
  switch (u->kind) {
    case Understanding::Kind::small_talk:
      if (u->intent == kHuman) return begin_handoff(c, "asked");
      if (u->intent == kGoodbye) {
        c.bot_says(say(lang, "Auf Wiedersehen! Bei Fragen bin ich jederzeit wieder da.",
                       "Goodbye! I am here whenever you need me."));
        c.session.status = BotSessionStatus::abandoned;
        c.set_phase("ended");
        c.reply.expecting = "nothing";
        return {};
      }
      if (u->intent == kThanks)
        c.bot_says(say(lang, "Gern geschehen! Kann ich noch etwas für Sie tun?",
                       "You're welcome! Is there anything else I can do for you?"));
      else
        c.bot_says(say(lang, "Hallo! Wobei kann ich helfen? Beschreiben Sie Ihr Anliegen kurz.",
                       "Hello! How can I help? Describe your problem in a few words."));
      c.reply.expecting = "text";
      return {};
    case Understanding::Kind::flow:
      if (!c.state.contains("problem")) c.state["problem"] = text;
      return start_flow(c, *c.understanding->flow(u->intent));
    case Understanding::Kind::article: {
      if (!c.state.contains("problem")) c.state["problem"] = text;
      json::array pending;
      for (std::size_t i = 1; i < u->articles.size(); ++i)
        pending.push_back({{"id", u->articles[i].id}, {"title", u->articles[i].title}});
      c.state["pending"] = pending;
      return offer_article(c, u->articles.front().id, u->articles.front().title);
    }
    case Understanding::Kind::clarify: {
      if (!c.state.contains("problem")) c.state["problem"] = text;
      auto generated = generated_answer(c, text, *u);
      if (!generated) return std::unexpected(generated.error());
      if (*generated) return {};
      c.state["unclear"] = c.counter("unclear") + 1;
      if (c.counter("unclear") >= kMaxUnclear) {
        offer_handoff(c);
        return {};
      }
      clarify(c, *u);
      return {};
    }
  }
  return {};
}

Result<bool> BotService::generated_answer(Conversation& c, std::string_view text,
                                          const Understanding& u) {
  if (model_ == nullptr) return false;
  const std::string lang = c.lang();
  // The articles to ground on: the search's best, whether or not the buttons would show them.
  auto hits = c.understanding->articles(c.actor, text, u.language, 3);
  if (!hits) return std::unexpected(hits.error());
  std::vector<Passage> passages;
  for (const auto& hit : *hits) {
    auto article = store_.article(hit.id);
    if (!article) continue;  // gone meanwhile: the others still answer
    passages.push_back({hit.id, article->title,
                        cut_on_word(one_line(markdown_to_text(article->body)), kPassageChars)});
  }
  if (passages.empty()) return false;
  auto content = model_->complete(grounded_messages(text, lang, passages));
  if (!content) {
    // The model is optional: without an answer from it, the bot asks back as it would anyway.
    spdlog::warn("bot: no generative answer: {}", content.error().message);
    return false;
  }
  auto cited = read_cited_answer(*content, passages);
  if (!cited) return false;
  if (c.session.deflection_session.empty()) {
    auto offer = deflection_.offer(c.actor, text, "", lang);
    if (!offer) return std::unexpected(offer.error());
    c.session.deflection_session = offer->session;
  }
  json::array offered =
      c.state["offered"].is_array() ? c.state["offered"].as_array() : json::array{};
  for (ArticleId id : cited->sources) offered.push_back(id);
  c.state["offered"] = offered;
  const auto first = std::ranges::find(passages, cited->sources.front(), &Passage::article);
  c.state["article"] = {{"id", first->article}, {"title", first->title}};
  c.state["generated"] = true;
  c.set_phase("article");
  c.bot_says(say(lang, "Nach unserer Wissensdatenbank (automatisch formuliert):",
                 "From our knowledge base (written automatically):"));
  c.bot_says(cited->text);
  for (ArticleId id : cited->sources) {
    const auto p = std::ranges::find(passages, id, &Passage::article);
    c.bot_says(say(lang, "Quelle: ", "Source: ") + p->title,
               BotArticleRef{id, p->title, "/portal/kb/articles/" + std::to_string(id)});
  }
  c.bot_says(say(lang, "Hat das geholfen?", "Did this solve it?"));
  c.yes_no();
  return true;
}

void BotService::clarify(Conversation& c, const Understanding& u) {
  const std::string lang = c.lang();
  if (u.flows.empty() && u.articles.empty())
    c.bot_says(say(lang,
                   "Das habe ich leider nicht verstanden. Können Sie es anders beschreiben, zum "
                   "Beispiel mit dem Gerät oder Programm und was nicht geht?",
                   "Sorry, I did not understand that. Could you put it differently, for example "
                   "which device or program and what does not work?"));
  else
    c.bot_says(say(lang, "Ich bin nicht ganz sicher. Meinen Sie eines davon?",
                   "I am not quite sure. Do you mean one of these?"));
  auto flow_button = [&](const std::string& id) {
    if (const bot::Flow* f = c.understanding->flow(id))
      c.button("flow:" + f->id, f->title.in(lang));
  };
  auto article_button = [&](const ArticleHit& a) {
    c.button("article:" + std::to_string(a.id), a.title);
  };
  if (u.choices.empty()) {
    for (const auto& id : u.flows) flow_button(id);
    for (const auto& a : u.articles) article_button(a);
  }
  for (const auto& choice : u.choices) {
    if (choice.is_flow)
      flow_button(u.flows[choice.index]);
    else
      article_button(u.articles[choice.index]);
  }
  c.button("human", say(lang, "Etwas anderes – mit einem Menschen sprechen",
                        "Something else – talk to a person"));
  c.reply.expecting = "text";
}

void BotService::offer_handoff(Conversation& c) {
  c.set_phase("offer_handoff");
  c.bot_says(say(c.lang(),
                 "Ich komme hier leider nicht weiter. Soll ich Ihr Anliegen an den Service Desk "
                 "weitergeben? Ein Mitarbeiter meldet sich dann bei Ihnen.",
                 "I am afraid I cannot get further here. Shall I pass your request on to the "
                 "service desk? Someone will get back to you."));
  c.yes_no();
}

Result<void> BotService::start_flow(Conversation& c, const bot::Flow& flow) {
  bot::FlowState fs;
  bot::Turn t = bot::start(flow, fs, c.lang());
  c.state["flow"] = json::parse(bot::state_to_json(fs));
  c.set_phase("flow");
  for (auto& m : t.messages) c.bot_says(std::move(m));
  for (auto& b : t.buttons) c.button(std::move(b.id), std::move(b.label));
  c.reply.expecting = std::string(name_of(t.expecting));
  if (t.outcome == bot::Outcome::handoff) return begin_handoff(c, "flow");
  if (t.outcome == bot::Outcome::solved) {
    c.session.status = BotSessionStatus::deflected;
    c.set_phase("ended");
    c.reply.expecting = "nothing";
  }
  return {};
}

Result<void> BotService::on_flow(Conversation& c, const BotInput& input) {
  auto fs = bot::parse_state(json::serialize(c.state["flow"]));
  if (!fs) return std::unexpected(fs.error());
  const bot::Flow* flow = c.understanding->flow(fs->flow_id);
  if (!flow) return begin_handoff(c, "flow");
  bot::UserInput in =
      input.button ? bot::UserInput::button(*input.button) : bot::UserInput::text(*input.text);
  bot::Turn t = bot::answer(*flow, *fs, in, c.lang());
  c.state["flow"] = json::parse(bot::state_to_json(*fs));
  for (auto& m : t.messages) c.bot_says(std::move(m));
  for (auto& b : t.buttons) c.button(std::move(b.id), std::move(b.label));
  c.reply.expecting = std::string(name_of(t.expecting));
  if (c.reply.expecting == "nothing") c.reply.expecting = "text";
  if (t.outcome == bot::Outcome::handoff) {
    c.reply.buttons.clear();
    return begin_handoff(c, "flow");
  }
  if (t.outcome == bot::Outcome::solved) {
    c.reply.buttons.clear();
    c.session.status = BotSessionStatus::deflected;
    c.set_phase("ended");
    c.reply.expecting = "nothing";
  }
  return {};
}

Result<void> BotService::offer_article(Conversation& c, ArticleId id, std::string title) {
  const std::string lang = c.lang();
  auto article = store_.article(id);
  if (!article) return std::unexpected(article.error());
  // Only what the actor could find (search_articles applied the rules); a button id from an
  // earlier turn is checked again here.
  if (article->status != ArticleStatus::published ||
      (!c.actor.is_staff() && article->audience != Audience::public_))
    return invalid_field("button", "not a button of this session");
  if (c.session.deflection_session.empty()) {
    std::string problem = c.state.contains("problem") && c.state["problem"].is_string()
                              ? std::string(c.state["problem"].as_string())
                              : title;
    auto offer = deflection_.offer(c.actor, problem, "", lang);
    if (!offer) return std::unexpected(offer.error());
    c.session.deflection_session = offer->session;
  }
  json::array offered =
      c.state["offered"].is_array() ? c.state["offered"].as_array() : json::array{};
  offered.push_back(id);
  c.state["offered"] = offered;
  c.state["article"] = {{"id", id}, {"title", title}};
  c.set_phase("article");
  c.bot_says(say(lang, "Dazu habe ich einen Artikel gefunden:", "I found an article about this:"));
  const std::string text = one_line(markdown_to_text(article->body));
  c.bot_says(article->title + ": " + cut_on_word(text, kExtractChars),
             BotArticleRef{id, article->title, "/portal/kb/articles/" + std::to_string(id)});
  c.bot_says(say(lang, "Hat das geholfen?", "Did this solve it?"));
  c.yes_no();
  return {};
}

Result<void> BotService::on_article_answer(Conversation& c, bool solved) {
  const std::string lang = c.lang();
  const auto& current = c.state["article"].as_object();
  const ArticleId id = current.at("id").as_int64();
  if (solved) {
    if (auto ok = deflection_.opened(c.session.deflection_session, id); !ok)
      return std::unexpected(ok.error());
    c.bot_says(say(lang, "Prima, das freut mich! Melden Sie sich gern wieder.",
                   "Great, glad that helped! Come back any time."));
    c.session.status = BotSessionStatus::deflected;
    c.set_phase("ended");
    c.reply.expecting = "nothing";
    return {};
  }
  json::array tried = c.state["tried"].is_array() ? c.state["tried"].as_array() : json::array{};
  tried.push_back(current);
  c.state["tried"] = tried;
  c.state["no"] = c.counter("no") + 1;
  return next_after_no(c);
}

Result<void> BotService::next_after_no(Conversation& c) {
  if (c.counter("no") >= kMaxNo) {
    offer_handoff(c);
    return {};
  }
  json::array pending =
      c.state["pending"].is_array() ? c.state["pending"].as_array() : json::array{};
  if (!pending.empty()) {
    json::object next = pending.front().as_object();
    pending.erase(pending.begin());
    c.state["pending"] = pending;
    c.bot_says(say(c.lang(),
                   "Schade. Vielleicht hilft dieser:", "Sorry about that. Maybe this one helps:"));
    return offer_article(c, next.at("id").as_int64(), std::string(next.at("title").as_string()));
  }
  // No further article: the flows the classifier considers for the problem, or a person.
  c.set_phase("problem");
  Understanding u;
  const std::string problem =
      c.state["problem"].is_string() ? std::string(c.state["problem"].as_string()) : std::string();
  if (!problem.empty()) {
    auto again = c.understanding->understand(c.actor, problem, c.lang(), c.lang());
    if (!again) return std::unexpected(again.error());
    if (again->kind == Understanding::Kind::flow) u.flows.push_back(again->intent);
    for (const auto& f : again->flows) u.flows.push_back(f);
  }
  c.bot_says(say(c.lang(), "Schade, dass das nicht geholfen hat.", "Sorry that did not help."));
  clarify(c, u);
  return {};
}

Result<void> BotService::begin_handoff(Conversation& c, std::string reason) {
  c.state["handoff_reason"] = reason;
  c.reply.buttons.clear();
  if (c.actor.user.id != 0) return hand_off(c, c.actor);
  c.set_phase("name");
  c.bot_says(say(c.lang(),
                 "Ich gebe Ihr Anliegen an den Service Desk weiter. Damit wir Sie erreichen: Wie "
                 "heißen Sie?",
                 "I will pass your request on to the service desk. So that we can reach you: what "
                 "is your name?"));
  c.reply.expecting = "name";
  return {};
}

Result<void> BotService::on_name(Conversation& c, std::string_view text) {
  std::string name = one_line(trim(text));
  if (name.empty() || bot::text_length(name) > 200) {
    c.bot_says(say(c.lang(), "Bitte nennen Sie Ihren Namen (höchstens 200 Zeichen).",
                   "Please tell me your name (at most 200 characters)."));
    c.reply.expecting = "name";
    return {};
  }
  c.state["name"] = name;
  c.set_phase("email");
  c.bot_says(say(c.lang(), "Danke. Unter welcher E-Mail-Adresse erreichen wir Sie?",
                 "Thank you. Which e-mail address can we reach you at?"));
  c.reply.expecting = "email";
  return {};
}

Result<void> BotService::on_email(Conversation& c, std::string_view text) {
  const std::string address = trim(text);
  if (!valid_email(address)) {
    c.bot_says(
        say(c.lang(),
            "Das sieht nicht wie eine E-Mail-Adresse aus. Bitte noch einmal, z. B. name@firma.de.",
            "That does not look like an e-mail address. Once more please, e.g. name@company.com."));
    c.reply.expecting = "email";
    return {};
  }
  auto user = customer_for(address, std::string(c.state["name"].as_string()), c.lang());
  if (!user) {
    if (user.error().code != ErrorCode::permission_denied) return std::unexpected(user.error());
    c.bot_says(say(
        c.lang(),
        "Diese Adresse gehört zu einem Konto des Service Desks. Bitte melden Sie sich an oder "
        "nennen Sie eine andere Adresse.",
        "That address belongs to a service desk account. Please sign in or give another address."));
    c.reply.expecting = "email";
    return {};
  }
  c.state["email"] = address;
  auto requester = directory_.actor_for(*user);
  if (!requester) return std::unexpected(requester.error());
  return hand_off(c, *requester);
}

// A customer found by the address (an active one first), or made on first contact like the mail
// intake does: no password, in the organisation of the mail domain. Staff addresses are not
// used: an anonymous visitor must not open tickets in a staff member's name.
Result<User> BotService::customer_for(std::string_view address, std::string_view name,
                                      std::string_view lang) {
  auto known = store_.users_by_email(address);
  if (!known) return std::unexpected(known.error());
  auto customer = std::ranges::find_if(
      *known, [](const User& u) { return u.active && u.role == Role::customer; });
  if (customer != known->end()) return *customer;
  if (!known->empty()) return fail(ErrorCode::permission_denied, "not a customer's address");
  auto created = directory_.first_contact_customer(address, std::string(name), std::string(lang));
  if (created && created->role != Role::customer)
    return fail(ErrorCode::permission_denied, "not a customer");
  return created;
}

Result<void> BotService::hand_off(Conversation& c, const Actor& requester) {
  const std::string lang = c.lang();
  std::optional<bot::FlowState> fs;
  const bot::Flow* flow = nullptr;
  if (c.state.contains("flow")) {
    auto parsed = bot::parse_state(json::serialize(c.state["flow"]));
    if (parsed) {
      fs = std::move(*parsed);
      flow = c.understanding->flow(fs->flow_id);
    }
  }
  auto stored = store_.bot_turns(c.session.id);
  if (!stored) return std::unexpected(stored.error());
  std::vector<BotTurn> turns = std::move(*stored);
  // This answer's user turn and what the bot said in it so far (a flow's last words) belong
  // in the transcript too.
  for (const auto& t : c.turns) turns.push_back(t);
  for (const auto& m : c.reply.messages)
    turns.push_back({c.session.id, 0, clock_.now(), BotSpeaker::bot, m.text, "{}"});
  std::vector<std::string> user_texts;
  for (const auto& t : turns)
    if (t.who == BotSpeaker::user) user_texts.push_back(t.text);

  std::string affected;
  if (fs)
    if (auto it = fs->slots.find("affected"); it != fs->slots.end()) affected = it->second;
  const bot::HandoffPriority base = flow ? flow->handoff.priority : bot::HandoffPriority::normal;
  const bot::HandoffPriority priority = handoff_priority(base, user_texts, affected);
  const ImpactUrgency iu = impact_urgency_for(priority, affected);

  std::string problem =
      c.state["problem"].is_string() ? std::string(c.state["problem"].as_string()) : std::string();
  if (problem.empty() && flow) problem = flow->title.in(lang);
  if (problem.empty()) problem = say(lang, "Anfrage über den Chatbot", "Request from the chatbot");
  const std::string subject = cut_on_word(one_line(problem), kSubjectChars);

  std::string d;
  d += say(lang, "Übergabe vom Chatbot", "Handed over by the chatbot");
  d += " (" + say(lang, "Sitzung ", "session ") + c.session.id + ")\n";
  const std::string reason = c.state["handoff_reason"].is_string()
                                 ? std::string(c.state["handoff_reason"].as_string())
                                 : "";
  d += say(lang, "Grund: ", "Reason: ") +
       (reason == "asked" ? say(lang, "Nutzer wollte einen Menschen", "the user asked for a person")
        : reason == "flow" ? say(lang, "Ablauf ohne Lösung beendet", "the flow ended unsolved")
                           : say(lang, "Anliegen nicht verstanden oder Artikel halfen nicht",
                                 "not understood, or the articles did not help")) +
       "\n";
  if (c.state.if_contains("email") && c.state["email"].is_string())
    d += say(lang, "Kontakt: ", "Contact: ") + std::string(c.state["name"].as_string()) + " <" +
         std::string(c.state["email"].as_string()) + ">\n";
  if (flow && fs) {
    d += "\n" + say(lang, "Ablauf: ", "Flow: ") + flow->title.in(lang) + " (" + flow->id + "), " +
         say(lang, "beendet bei ", "ended at ") + fs->node +
         (fs->reason.empty() ? "" : " (" + fs->reason + ")") + "\n";
    if (!fs->slots.empty()) {
      d += say(lang, "Angaben:\n", "Facts:\n");
      for (const auto& [slot, value] : fs->slots)
        d += "- " + slot_label(slot, lang) + ": " +
             (slot == "affected" ? affected_label(value, lang) : value) + "\n";
    }
  }
  const json::array tried =
      c.state["tried"].is_array() ? c.state["tried"].as_array() : json::array{};
  if (!tried.empty()) {
    d += "\n" + say(lang, "Versuchte Artikel (haben nicht geholfen):\n",
                    "Articles tried (did not help):\n");
    for (const auto& a : tried)
      d += "- #" + std::to_string(a.as_object().at("id").as_int64()) + " " +
           std::string(a.as_object().at("title").as_string()) + "\n";
  }
  const std::string category = flow ? flow->handoff.category : "";
  const int line = flow ? flow->handoff.line : 1;
  const std::string team = flow ? flow->handoff.team : "";
  d += "\n" + say(lang, "Vorschlag: ", "Suggested: ") + say(lang, "Kategorie ", "category ") +
       (category.empty() ? "-" : category) + ", " + say(lang, "Priorität ", "priority ") +
       priority_label(priority, lang) + ", Line " + std::to_string(line) +
       (team.empty() ? "" : ", Team " + team) + "\n";
  d += "\n— " + say(lang, "Verlauf", "Transcript") + " —\n";
  for (const auto& t : turns)
    d += "[" + format_time(t.at).substr(11, 5) + "] " +
         (t.who == BotSpeaker::user ? say(lang, "Nutzer", "User") : std::string("Bot")) + ": " +
         t.text + "\n";
  if (d.size() > 90'000) d = cut_on_word(d, 30'000);

  NewTicket request;
  request.subject = subject;
  request.description = d;
  request.channel = Channel::bot;
  request.category = category;
  request.impact = iu.impact;
  request.urgency = iu.urgency;
  request.tags = {"bot"};
  if (flow) request.tags.push_back(flow->id);
  if (!team.empty() && line == 1) {
    auto teams = store_.teams();
    if (!teams) return std::unexpected(teams.error());
    for (const auto& t : *teams)
      if (t.name == team && t.line == 1) request.team = t.id;
  }
  auto ticket = tickets_.create(requester, request);
  if (!ticket && request.team) {  // the team does not serve this requester: the usual queue
    request.team.reset();
    ticket = tickets_.create(requester, request);
  }
  if (!ticket) return std::unexpected(ticket.error());
  if (!c.session.deflection_session.empty())
    if (auto ok = deflection_.ticket_filed(requester, c.session.deflection_session, *ticket); !ok)
      return std::unexpected(ok.error());
  c.session.ticket = ticket->id;
  c.session.status = BotSessionStatus::handed_off;
  c.set_phase("ended");
  c.reply.buttons.clear();
  c.bot_says(say(lang,
                 "Ich habe das Ticket " + std::to_string(ticket->number) +
                     " für Sie angelegt. Der Service Desk meldet sich bei Ihnen.",
                 "I have opened ticket " + std::to_string(ticket->number) +
                     " for you. The service desk will get back to you."));
  c.reply.expecting = "nothing";
  c.reply.ticket = *ticket;
  if (live_) {
    auto open = live_->available(*ticket);
    if (!open) return std::unexpected(open.error());
    if (*open) {
      c.set_phase("offer_live");
      c.bot_says(say(lang, "Gerade ist jemand vom Service Desk erreichbar. Möchten Sie direkt chatten?",
                     "Someone from the service desk is available right now. Would you like to "
                     "chat with them?"));
      c.button("live", say(lang, "Jetzt mit einem Mitarbeiter chatten", "Chat with an agent now"));
      c.button("no", say(lang, "Nein, danke", "No, thanks"));
      c.reply.expecting = "choice";
    }
  }
  return {};
}

Result<std::optional<BotLive>> BotService::live_state(const BotSession& session) {
  if (!live_) return std::optional<BotLive>{};
  auto chat = live_->of_session(session);
  if (!chat) return std::unexpected(chat.error());
  if (!*chat) return std::optional<BotLive>{};
  return std::optional<BotLive>{live_of(**chat)};
}

BotLive BotService::live_of(const LiveChat& chat) {
  BotLive out{.state = chat.status, .ticket = chat.ticket};
  if (chat.agent)
    if (auto agent = store_.user(*chat.agent)) out.agent = agent->name;
  return out;
}

Result<void> BotService::add_to_ticket(Conversation& c, std::string_view text) {
  if (!c.session.ticket) return {};
  auto ticket = store_.ticket(*c.session.ticket);
  if (!ticket) return std::unexpected(ticket.error());
  auto added = requester_replies(store_, directory_, tickets_, *ticket,
                                 NewEntry{.kind = EntryKind::reply, .body = std::string(text)});
  if (!added) return std::unexpected(added.error());
  c.bot_says(say(c.lang(),
                 "Ich habe Ihre Nachricht zum Ticket " + std::to_string(ticket->number) +
                     " hinzugefügt.",
                 "I have added your message to ticket " + std::to_string(ticket->number) + "."));
  return {};
}

Result<void> BotService::on_live(Conversation& c, const BotInput& input) {
  const std::string lang = c.lang();
  if (!live_) {  // switched off since: the ticket stays
    c.set_phase("ended");
    c.reply.expecting = "nothing";
    return input.text ? add_to_ticket(c, *input.text) : Result<void>{};
  }
  const std::string button = input.button.value_or("");
  if (c.phase() == "offer_live") {
    bool yes = button == "live";
    if (!input.button && input.text)
      if (auto v = bot::normalise_slot({.kind = bot::SlotKind::yes_no}, *input.text))
        yes = *v == "yes";
    if (!yes && (button == "no" || input.text)) {
      c.set_phase("ended");
      c.reply.expecting = "nothing";
      if (button != "no" && !bot::normalise_slot({.kind = bot::SlotKind::yes_no}, *input.text))
        return add_to_ticket(c, *input.text);
      c.bot_says(say(lang, "Gut. Der Service Desk meldet sich bei Ihnen.",
                     "All right. The service desk will get back to you."));
      return {};
    }
    if (!yes) return invalid_field("button", "not a button of this session");
    auto chat = live_->request(c.session);
    if (!chat && chat.error().code != ErrorCode::conflict) return std::unexpected(chat.error());
    c.set_phase("live");
    c.bot_says(say(lang, "Einen Moment bitte, ich verbinde Sie mit dem Service Desk …",
                   "One moment please, I am connecting you with the service desk …"));
    c.button("end_live", say(lang, "Chat beenden", "End chat"));
    c.reply.expecting = "live";
    c.reply.live = BotLive{.state = LiveChatStatus::waiting, .ticket = *c.session.ticket};
    return {};
  }
  // In the chat.
  auto state = live_state(c.session);
  if (!state) return std::unexpected(state.error());
  const bool ended = !*state || (*state)->state == LiveChatStatus::ended;
  if (button == "end_live" || ended) {
    if (!ended)
      if (auto done = live_->user_ends(c.session); !done) return std::unexpected(done.error());
    c.set_phase("ended");
    c.reply.expecting = "nothing";
    c.reply.live = BotLive{.state = LiveChatStatus::ended,
                           .agent = *state ? (*state)->agent : std::string(),
                           .ticket = c.session.ticket.value_or(0)};
    if (input.text) return add_to_ticket(c, *input.text);
    c.bot_says(say(lang,
                   "Der Chat ist beendet. Ihr Ticket bleibt offen, bis es gelöst ist; Antworten "
                   "erhalten Sie per E-Mail und im Portal.",
                   "The chat has ended. Your ticket stays open until it is solved; you will get "
                   "answers by e-mail and in the portal."));
    return {};
  }
  if (!input.text) return invalid_field("button", "not a button of this session");
  if (auto said = live_->user_says(c.session, *input.text); !said)
    return std::unexpected(said.error());
  c.button("end_live", say(lang, "Chat beenden", "End chat"));
  c.reply.expecting = "live";
  c.reply.live = **state;
  return {};
}

}  // namespace fl
