// The live hand-over (docs/bot.md, "Live chat"): after the chatbot has handed a user to the
// desk as a ticket, and while the desk is within its service hours with a line-1 agent
// available and online, the user may chat with that agent at once. The chat lives on the
// hand-off ticket: each line is a public reply there (not mailed: the user reads it in the
// chat), and the chat's state (waiting, active, ended) is a row of its own with a
// `ticket.live_chat` event at every change, so the console's live feed shows waiting chats and
// reports can count them. LiveChatHub carries the agent's side to the user's open sockets.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "app/directory_service.hpp"
#include "app/ticket_service.hpp"
#include "store/store.hpp"

namespace fl {

struct LiveChatOptions {
  bool enabled = true;
  // Whether the desk is within its service hours; none: always.
  std::function<bool(Timestamp)> in_service_hours;
  std::chrono::seconds wait_timeout{300};    // nobody accepted it: ended "timeout"
  std::chrono::seconds idle_timeout{1800};   // active, nobody wrote: ended "idle"
  std::size_t max_text_bytes = 2000;
};

// One line of a chat, as both sides show it.
struct LiveChatLine {
  EntryId entry = 0;
  std::string from;  // "user" (the ticket's requester) or "agent" (staff)
  std::string name;
  std::string text;
  Timestamp at{};
};

// A chat with what the desk shows of it.
struct LiveChatView {
  LiveChat chat;
  Ticket ticket;
  std::string agent_name;     // empty before it is accepted
  std::string customer_name;  // the ticket's requester
  std::vector<LiveChatLine> lines;  // filled by view() only
};

// A reply on `ticket` in its requester's name: what a chatbot user writes after the hand-off
// (in the live chat or beside it) reaches the ticket as the user's own words.
Result<Entry> requester_replies(Store& store, DirectoryService& directory, TicketService& tickets,
                                const Ticket& ticket, NewEntry entry);

// Thread-safe.
class LiveChatService {
 public:
  // Whether a member of staff is connected right now (the console's live feed).
  using Presence = std::function<bool(UserId)>;

  LiveChatService(Store& store, TicketService& tickets, DirectoryService& directory,
                  const Clock& clock, LiveChatOptions options, Presence online)
      : store_(store),
        tickets_(tickets),
        directory_(directory),
        clock_(clock),
        options_(std::move(options)),
        online_(std::move(online)) {}

  // Whether a chat may be offered for the hand-off ticket now: switched on, within service
  // hours, and an agent or supervisor of a line-1 team (the ticket's team when it is at line 1)
  // who is active, set available and online.
  Result<bool> available(const Ticket& ticket);

  // --- the user's side (BotService, for the session's user; `session.ticket` is set)
  // A chat asked for: waiting. conflict when the ticket has one already.
  Result<LiveChat> request(const BotSession& session);
  // The session's chat, if it asked for one (its ticket's newest chat of this session).
  Result<std::optional<LiveChat>> of_session(const BotSession& session);
  // A line from the user: a public reply by the requester. failed_precondition when the chat
  // has ended (the caller files the text as an ordinary reply instead).
  Result<Entry> user_says(const BotSession& session, std::string_view text);
  // The user leaves. Nothing happens when it has ended already.
  Result<LiveChat> user_ends(const BotSession& session);
  // The lines since the chat was asked for.
  Result<std::vector<LiveChatLine>> lines(const LiveChat& chat);

  // --- the desk's side (staff who see the ticket)
  // Chats waiting or active, oldest first, without lines. permission_denied for customers.
  Result<std::vector<LiveChatView>> open_chats(const Actor& actor);
  // The ticket's newest chat with its lines. not_found when it has none.
  Result<LiveChatView> view(const Actor& actor, TicketId ticket);
  // Takes a waiting chat: active, the ticket assigned to the agent. conflict when another
  // took it first or it ended.
  Result<LiveChatView> accept(const Actor& actor, TicketId ticket);
  // A line from the accepting agent (conflict for anyone else or after the end).
  Result<Entry> agent_says(const Actor& actor, TicketId ticket, std::string_view text);
  // The agent (or a supervisor) ends it.
  Result<LiveChatView> agent_ends(const Actor& actor, TicketId ticket);

  // Ends chats nobody accepted within wait_timeout ("timeout") and active chats without a
  // line for idle_timeout ("idle"). Returns how many ended.
  Result<int> expire();

  [[nodiscard]] const LiveChatOptions& options() const { return options_; }

 private:
  Result<LiveChat> end(LiveChat chat, std::string by, std::optional<UserId> actor);
  // The ticket's public replies while the chat ran (lines() names their authors).
  Result<std::vector<Entry>> chat_entries(const LiveChat& chat);
  Result<LiveChatView> described(LiveChat chat, Ticket ticket);
  Result<std::string> name_of_user(UserId id);
  Result<void> check_text(std::string_view text) const;

  Store& store_;
  TicketService& tickets_;
  DirectoryService& directory_;
  const Clock& clock_;
  const LiveChatOptions options_;
  Presence online_;
};

// What the user's socket is told.
struct LiveChatNews {
  enum class Kind { state, line };
  Kind kind = Kind::state;
  LiveChatStatus state = LiveChatStatus::waiting;
  std::string agent;     // the agent's name (state active/ended)
  std::string ended_by;  // state ended
  LiveChatLine line;     // kind line: the agent's
};

class LiveChatListener {
 public:
  virtual ~LiveChatListener() = default;
  // On the hub's thread; must not block.
  virtual void on_news(const LiveChatNews& news) = 0;
};

// Follows the store's event feed (so an agent on another node reaches the user too) and tells
// the listeners watching a ticket about its chat's changes and the agent's lines.
class LiveChatHub {
 public:
  LiveChatHub(Store& store, LiveChatService& chats,
              std::chrono::milliseconds poll_interval = std::chrono::milliseconds{100})
      : store_(store), chats_(chats), poll_interval_(poll_interval) {}
  ~LiveChatHub() { stop(); }
  LiveChatHub(const LiveChatHub&) = delete;
  LiveChatHub& operator=(const LiveChatHub&) = delete;

  // From the newest event on, on a thread of its own.
  Result<void> start();
  void stop();
  void nudge();  // after a local commit: no need to wait for the next poll

  // Lines after those the ticket has now, and state changes, go to `listener` until unwatch
  // (or until the listener is gone).
  Result<void> watch(TicketId ticket, const std::shared_ptr<LiveChatListener>& listener);
  void unwatch(TicketId ticket, const LiveChatListener* listener);

  // For tests: the thread's work, synchronously.
  Result<void> start_at(EventId cursor);
  Result<int> poll();

 private:
  struct Watched {
    EntryId last_entry = 0;
    std::vector<std::weak_ptr<LiveChatListener>> listeners;
  };
  void tell(TicketId ticket, const LiveChatNews& news);

  Store& store_;
  LiveChatService& chats_;
  const std::chrono::milliseconds poll_interval_;
  std::mutex mutex_;  // guards watched_ and cursor_
  std::unordered_map<TicketId, Watched> watched_;
  EventId cursor_ = 0;
  std::mutex wake_mutex_;
  std::condition_variable_any woken_;
  bool nudged_ = false;
  std::jthread thread_;
};

}  // namespace fl
