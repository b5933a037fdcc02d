// The live event feed: clients subscribe to tickets and queues and are sent every change they
// may see, a fraction of a second after it is committed (docs/live-events.md). One follower
// reads the store's event feed, so changes written by another process on the same database
// arrive too; for each event it asks the access rules once per interested subscriber, found
// through indexes by ticket, team, line and person, never by visiting everyone. The transport
// (http/api_events.cpp, a WebSocket) and the wire format (http/live_json.cpp) plug in through
// LiveOutbox and LiveEncoder, so this file knows neither.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "app/actor.hpp"
#include "app/auth_service.hpp"
#include "app/clock.hpp"
#include "core/event.hpp"
#include "core/ticket.hpp"
#include "store/store.hpp"

namespace fl {

struct CallPop;  // app/telephony.hpp

// What a client follows. Queues are sets of tickets: a team's, a line's, the actor's own
// (`mine`: assigned to them; for a customer, requested by them), or all the actor may see.
struct LiveSubscription {
  std::vector<TicketId> tickets;
  std::vector<TeamId> teams;
  std::vector<int> lines;
  bool mine = false;
  bool all = false;

  [[nodiscard]] bool empty() const {
    return tickets.empty() && teams.empty() && lines.empty() && !mine && !all;
  }
};

// One message to a client, before encoding.
struct LiveMessage {
  enum class Kind {
    authenticated,  // user
    subscribed,     // subscription (the whole current set), cursor, replayed
    unsubscribed,   // subscription (what is left), cursor
    event,          // event (one the actor may see), ticket (as it is now), cursor
    ticket,         // the ticket changed by an event the actor may not see: ticket, cursor
    ticket_left,    // ticket_id left the subscriptions or the actor's sight: nothing else
    resync,         // too much was missed to replay: reload, then carry on from cursor
    cursor,         // nothing for you up to cursor (keeps a later resume short)
    error,          // detail
    pong,
    call,           // call: a phone call for this user (LiveFeed::tell_user)
  };
  Kind kind = Kind::error;
  const Event* event = nullptr;
  const Ticket* ticket = nullptr;
  TicketId ticket_id = 0;
  EventId cursor = 0;
  const User* user = nullptr;
  const LiveSubscription* subscription = nullptr;
  const CallPop* call = nullptr;
  int replayed = 0;
  std::string detail;
  std::string request_id;  // the client's "id" of the message answered, as JSON text
};

// Turns a message into the text a client receives. Thread-safe.
class LiveEncoder {
 public:
  virtual ~LiveEncoder() = default;
  [[nodiscard]] virtual std::string encode(const LiveMessage& message) const = 0;
};

// Why the feed ends a client's connection.
enum class LiveClose {
  unauthenticated,  // no credential in time, or it is not (or no longer) valid
  going_away,       // the feed stops
};

// Where one client's messages go (the transport). Thread-safe; must never block: the feed
// calls it while delivering to everybody else.
class LiveOutbox {
 public:
  virtual ~LiveOutbox() = default;
  // False when the message could not be queued (the client is gone or too slow, and the
  // transport is closing it).
  virtual bool send(std::shared_ptr<const std::string> message) = 0;
  virtual void close(LiveClose why, std::string_view detail) = 0;
};

struct LiveFeedOptions {
  std::chrono::milliseconds poll_interval{20};       // how often the store's feed is read
  std::chrono::milliseconds max_backoff{2000};       // after read errors in a row
  int batch = 500;                                   // events per read
  std::chrono::milliseconds auth_timeout{5000};      // to authenticate after connecting
  std::chrono::milliseconds credential_check{1000};  // how often credentials are re-checked
  std::chrono::milliseconds cursor_interval{15000};  // a quiet client is told the cursor
  int resume_messages = 1000;      // a resume brings at most this many messages, else resync
  int resume_events = 20000;       // ... and reads at most this many events, else resync
  std::size_t max_tickets = 1000;  // ticket subscriptions per client
  std::size_t max_queues = 64;     // team and line subscriptions per client
};

struct LiveFeedStats {
  std::int64_t clients = 0;        // connected
  std::int64_t authenticated = 0;  // of those
  std::int64_t events = 0;         // ticket events read since start
  std::int64_t judged = 0;         // (event, client) pairs the access rules were asked about
  // From each ticket event's time (taken before its commit) to its messages being queued:
  // the feed's own delay, commit included, transport excluded.
  std::int64_t lag_ms_sum = 0;
  std::int64_t lag_ms_max = 0;
  std::int64_t messages = 0;  // queued to clients since start
  std::int64_t dropped = 0;   // refused by a transport (client gone or too slow)
  EventId cursor = 0;         // newest event delivered
};

class LiveFeed;

// One client of the feed (LiveFeed::connect). Thread-safe; a transport calls it for one
// client's messages one at a time, in order. Every call may send messages to the outbox;
// `request_id` (the client's "id", as JSON text; may be empty) is echoed in the answer.
class LiveSession {
 public:
  // With an "Authorization" value ("Bearer <token>"). Success sends "authenticated"; failure
  // closes the client (unauthenticated) and returns the reason. A client may authenticate
  // again (a renewed token), as the same user only.
  Result<void> authenticate(std::string_view authorization, std::string request_id = {});

  // Adds to the client's subscriptions and answers "subscribed". With `after` (the cursor the
  // client saw last), the events after it that concern the subscriptions named here (all of
  // the client's, if none is named) come first, then "subscribed" and live events, with
  // nothing lost or repeated in between; "resync" instead when there are too many.
  // invalid_argument for bad values or too many subscriptions; unauthenticated before
  // authenticate().
  Result<void> subscribe(const LiveSubscription& subscription, std::optional<EventId> after,
                         std::string request_id = {});
  // Removes what is named (everything when `subscription` is empty); answers "unsubscribed".
  Result<void> unsubscribe(const LiveSubscription& subscription, std::string request_id = {});

  // The transport is gone: no more messages. Idempotent.
  void disconnect();

  [[nodiscard]] bool authenticated() const;

  LiveSession(const LiveSession&) = delete;
  LiveSession& operator=(const LiveSession&) = delete;
  ~LiveSession();

 private:
  friend class LiveFeed;
  struct Client;
  LiveSession(LiveFeed& feed, std::shared_ptr<Client> client);
  LiveFeed& feed_;
  std::shared_ptr<Client> client_;
};

// Thread-safe. Must outlive its sessions' use; stop() before the store goes.
class LiveFeed {
 public:
  LiveFeed(Store& store, AuthService& auth, const LiveEncoder& encoder, const Clock& clock,
           LiveFeedOptions options = {});
  ~LiveFeed();
  LiveFeed(const LiveFeed&) = delete;
  LiveFeed& operator=(const LiveFeed&) = delete;

  // Starts at the newest event (earlier ones reach a client only by resume) and follows the
  // store on a thread of its own, which also re-checks credentials and auth timeouts.
  Result<void> start();
  // Stops the thread and closes every client (going_away). Idempotent.
  void stop();
  // Wakes the follower now (after a local commit): delivery need not wait for the next poll.
  void nudge();

  // A new client; it must authenticate within options.auth_timeout.
  std::unique_ptr<LiveSession> connect(std::shared_ptr<LiveOutbox> outbox);

  // Sends `message` (encoded once) to every connected client authenticated as `user`,
  // whatever it subscribed to: news for that person rather than about a ticket (a phone call
  // for their extension). Returns how many clients it was queued for; 0 when the user has
  // none connected. Nothing is kept for later: a client that connects afterwards, or resumes,
  // does not get it.
  int tell_user(UserId user, const LiveMessage& message);
  // Whether `user` has a client connected and authenticated right now (on this node): the
  // presence the live chat's offer asks about.
  [[nodiscard]] bool connected(UserId user) const;

  // What the thread does, for tests on a simulated clock: start_at() sets the cursor without
  // the thread; poll() delivers up to one batch and returns how many events it read;
  // check_clients() closes clients whose auth timed out or whose credential no longer holds
  // and refreshes the others' actors (a changed role or team applies).
  Result<void> start_at(EventId cursor);
  Result<int> poll();
  void check_clients();

  [[nodiscard]] LiveFeedStats stats() const;

 private:
  friend class LiveSession;
  using Client = LiveSession::Client;
  struct Batch;
  struct Outcome;

  void follow(std::stop_token stop);
  // Loads the batch's tickets (and, with `holders`, who held them before moves) and works
  // out each event's states. Outside the lock.
  Result<void> load(Batch& batch, bool holders);
  void deliver(Batch& batch);
  void deliver_event(const Event& event, const Batch& batch);
  void send(Client& client, const std::shared_ptr<const std::string>& text);
  void send(Client& client, const LiveMessage& message);
  void index(Client& client, const LiveSubscription& added);
  void unindex(Client& client, const LiveSubscription& removed);
  void reach(Client& client);    // indexes `all` by the actor's scope
  void unreach(Client& client);  // and undoes exactly that
  void set_actor(Client& client, std::shared_ptr<const Actor> actor);
  void forget(Client& client);
  void tell_cursors(Timestamp now);

  Result<void> authenticate(Client& client, std::string_view authorization, std::string request_id);
  Result<void> subscribe(Client& client, const LiveSubscription& subscription,
                         std::optional<EventId> after, std::string request_id);
  Result<void> unsubscribe(Client& client, const LiveSubscription& subscription,
                           std::string request_id);
  // The messages a resume brings, or nullopt when there are too many (resync).
  std::optional<std::vector<std::string>> replay(const Actor& actor,
                                                 const LiveSubscription& subscription,
                                                 EventId after, EventId until);

  Store& store_;
  AuthService& auth_;
  const LiveEncoder& encoder_;
  const Clock& clock_;
  const LiveFeedOptions options_;

  mutable std::mutex mutex_;  // guards everything below up to the thread
  EventId cursor_ = 0;
  bool started_ = false;
  bool stopped_ = false;
  std::uint64_t next_client_ = 1;
  std::unordered_map<std::uint64_t, std::shared_ptr<Client>> clients_;
  // Who to ask about an event: clients by what they follow.
  std::unordered_map<TicketId, std::unordered_set<Client*>> by_ticket_;
  std::unordered_map<TeamId, std::unordered_set<Client*>> by_team_;
  std::unordered_map<int, std::unordered_set<Client*>> by_line_;
  std::unordered_map<UserId, std::unordered_set<Client*>> by_person_;  // `mine`
  // `all`, by what the actor's access scope reaches (a customer's own tickets, a vendor's
  // teams, an outsourced desk's organisations), or among everything_ for those who see
  // whole lines: a portal full of customers costs an event nothing.
  std::unordered_map<TeamId, std::unordered_set<Client*>> all_by_team_;
  std::unordered_map<TeamId, std::unordered_set<Client*>> all_by_origin_;
  std::unordered_map<OrganizationId, std::unordered_set<Client*>> all_by_organization_;
  std::unordered_map<UserId, std::unordered_set<Client*>> all_by_requester_;
  std::unordered_set<Client*> everything_;
  // Authenticated clients by their user, for tell_user.
  std::unordered_map<UserId, std::unordered_set<Client*>> by_user_;
  LiveFeedStats stats_;
  Timestamp next_check_{};
  Timestamp next_cursor_note_{};

  std::mutex wake_mutex_;
  std::condition_variable_any woken_;
  bool nudged_ = false;  // guarded by wake_mutex_
  std::jthread thread_;
};

}  // namespace fl
