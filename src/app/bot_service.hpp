// The chatbot's conversations (line 0, docs/bot.md): a session greets, understands what the
// user types (app/bot_understanding.hpp), walks a guided flow (bot/engine.hpp), answers from the
// knowledge base and asks "did this solve it?", and when that does not help hands the user to
// the service desk as a ticket on the bot channel with the transcript, the facts collected and a
// suggested category, priority and line. Transport-independent: the REST API calls it today, a
// WebSocket session can later. Every answer is one store write (session state + turns), so an
// acknowledged answer survives a crash; two answers racing on one session: the second gets
// conflict. Thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.hpp"
#include "app/bot_brain.hpp"
#include "app/bot_understanding.hpp"
#include "app/clock.hpp"
#include "app/deflection.hpp"
#include "app/language_model.hpp"
#include "app/live_chat.hpp"
#include "app/directory_service.hpp"
#include "app/secrets.hpp"
#include "app/ticket_service.hpp"
#include "store/store.hpp"

namespace fl {

// Rate limits (config keys bot.*). Anonymous visitors count per client address, logged-in
// users per user; sessions per hour, the user's messages per minute per session.
struct BotLimits {
  int anonymous_sessions_per_hour = 10;
  int anonymous_messages_per_minute = 30;
  int user_sessions_per_hour = 60;
  int user_messages_per_minute = 60;
  std::size_t max_text_bytes = 2000;  // a longer message is refused (HTTP 413)
};

struct BotArticleRef {
  ArticleId id = 0;
  std::string title;
  std::string url;  // the portal's page of the article
};

struct BotMessage {
  std::string text;
  std::optional<BotArticleRef> article;
};

struct BotButton {
  std::string id;
  std::string label;
};

// A live chat with an agent after the hand-off (app/live_chat.hpp), as the user sees it.
struct BotLive {
  LiveChatStatus state = LiveChatStatus::waiting;
  std::string agent;  // the agent's name once accepted
  TicketId ticket = 0;  // the hand-off ticket the chat is on (not shown: the reply names it)
};

// What the bot says in answer to one input.
struct BotReply {
  std::string session;
  BotSessionStatus status = BotSessionStatus::open;
  std::string language;
  std::vector<BotMessage> messages;
  std::vector<BotButton> buttons;
  // What the bot waits for: "text" (a problem in the user's words), "choice" (a button),
  // "slot" (a flow's question), "yes_no", "name", "email", "live" (lines for the agent of a
  // live chat), or "nothing" (ended).
  std::string expecting;
  std::optional<Ticket> ticket;  // after a hand-off
  std::optional<BotLive> live;   // after a live chat was asked for
};

// Who is asking, as the transport sees them.
struct BotClient {
  std::string address;          // the remote address: anonymous rate limits count by it
  std::string accept_language;  // "de", "en" or empty: the fallback language
};

// Exactly one of the two.
struct BotInput {
  std::optional<std::string> text;
  std::optional<std::string> button;
};

struct BotTranscript {
  BotSession session;
  std::vector<BotTurn> turns;
  std::optional<TicketNumber> ticket_number;  // of the hand-off ticket, which the bot told the user
};

class BotService {
 public:
  // Each answer takes brain.current() once and answers with it throughout.
  BotService(Store& store, const BotBrain& brain, TicketService& tickets,
             DeflectionService& deflection, DirectoryService& directory, TokenMinter& ids,
             const Clock& clock, BotLimits limits = {}, LanguageModel* model = nullptr)
      : store_(store),
        brain_(brain),
        tickets_(tickets),
        deflection_(deflection),
        directory_(directory),
        ids_(ids),
        clock_(clock),
        limits_(limits),
        model_(model) {}

  // A new session, greeted. `actor` is a guest (user id 0) on the public portal or a logged-in
  // user, whom the session is bound to. `language` "de"/"en" or empty (then the user's setting,
  // else the client's Accept-Language, else English). resource_exhausted over the session limit,
  // with the seconds to wait in *retry_after.
  Result<BotReply> start(const Actor& actor, const BotClient& client,
                         std::optional<std::string> language, std::chrono::seconds* retry_after);
  // The user's next input. not_found for an unknown session or one bound to another user;
  // failed_precondition once the session has ended; invalid_argument for an empty input, both
  // or neither of text and button, or a text over max_text_bytes; resource_exhausted over the
  // message limit; conflict when another answer to the session was written meanwhile.
  Result<BotReply> answer(const Actor& actor, std::string_view session, const BotClient& client,
                          const BotInput& input, std::chrono::seconds* retry_after);
  // The session and its turns: for the session's user (or anyone holding an anonymous session's
  // id) and for staff (the agent taking the hand-off). not_found otherwise.
  Result<BotTranscript> transcript(const Actor& actor, std::string_view session);

  [[nodiscard]] const BotLimits& limits() const { return limits_; }

  // Offers a live chat after a hand-off while `live` says one is available. Before serving.
  void set_live_chat(LiveChatService* live) { live_ = live; }
  // The session's live chat as the user sees it (none: never asked for).
  Result<std::optional<BotLive>> live_state(const BotSession& session);
  [[nodiscard]] BotLive live_of(const LiveChat& chat);

 private:
  struct Conversation;
  Result<void> handle(Conversation& c, const BotInput& input);
  Result<void> on_problem(Conversation& c, std::string_view text);
  Result<void> start_flow(Conversation& c, const bot::Flow& flow);
  Result<void> on_flow(Conversation& c, const BotInput& input);
  Result<void> offer_article(Conversation& c, ArticleId id, std::string title);
  Result<void> on_article_answer(Conversation& c, bool solved);
  Result<void> next_after_no(Conversation& c);
  void clarify(Conversation& c, const Understanding& u);
  // With a language model: an answer written from the articles `u` found, shown with its
  // sources, when the model cites them (core/grounded_answer.hpp). false: nothing to show.
  Result<bool> generated_answer(Conversation& c, std::string_view text, const Understanding& u);
  void offer_handoff(Conversation& c);
  Result<void> begin_handoff(Conversation& c, std::string reason);
  Result<void> on_name(Conversation& c, std::string_view text);
  Result<void> on_email(Conversation& c, std::string_view text);
  Result<void> hand_off(Conversation& c, const Actor& requester);
  Result<User> customer_for(std::string_view email, std::string_view name, std::string_view lang);
  Result<bool> visible(const Actor& actor, const BotSession& session, bool writing) const;
  Result<void> on_live(Conversation& c, const BotInput& input);
  // Text the user sends after the hand-off, outside a live chat: kept as their reply on the
  // ticket, so it is not lost.
  Result<void> add_to_ticket(Conversation& c, std::string_view text);

  Store& store_;
  const BotBrain& brain_;
  TicketService& tickets_;
  DeflectionService& deflection_;
  DirectoryService& directory_;
  TokenMinter& ids_;
  const Clock& clock_;
  BotLimits limits_;
  LanguageModel* model_;  // generative answers; nullptr: off
  LiveChatService* live_ = nullptr;  // live hand-over; nullptr: off
};

// How a hand-off's suggested priority becomes the ticket's impact and urgency, the way the
// portal's first-line facts do (web/src/portal/first_line_facts.ts): impact from how many are
// affected (me 3, several 2, everyone 1; unknown 3), urgency the lowest that reaches the
// priority (impact raised when urgency alone cannot), and at least 2 for several, 1 for everyone.
struct ImpactUrgency {
  int impact = 3;
  int urgency = 3;
};
[[nodiscard]] ImpactUrgency impact_urgency_for(bot::HandoffPriority priority,
                                               std::string_view affected);
// The flow's priority raised one step when the user's words are urgent ("dringend", "asap",
// "niemand kann arbeiten", ...) and at least high when everyone is affected.
[[nodiscard]] bot::HandoffPriority handoff_priority(bot::HandoffPriority base,
                                                    const std::vector<std::string>& user_texts,
                                                    std::string_view affected);

}  // namespace fl
