// The live feed's hub (after the shared_state of Beast's chat-multi example). One lock guards
// the clients and their indexes; the follower reads the store and loads tickets outside it,
// then, under it, asks only the clients the indexes name and hands each a message queued by
// the transport, so a slow client costs the others nothing. A message is encoded once per
// event and shared by everyone who gets it. What an event means to a client is decided in
// app/live_match.cpp.
#include "app/live_feed.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "app/live_match.hpp"

namespace fl {

using live::assignee_before;
using live::EventFacts;
using live::facts_of;
using live::Interest;
using live::judge;
using live::Reach;
using live::reach_of;
using live::TicketStates;
using live::undo;
using live::Verdict;

namespace {

// Live messages held for a client while its resume is read; beyond, it gets a resync.
constexpr std::size_t kHeldLimit = 10'000;

LiveMessage message_of(Verdict v, const Event& e, const Ticket& after) {
  LiveMessage m;
  m.cursor = e.id;
  switch (v) {
    case Verdict::event:
      m.kind = LiveMessage::Kind::event;
      m.event = &e;
      m.ticket = &after;
      break;
    case Verdict::ticket:
      m.kind = LiveMessage::Kind::ticket;
      m.ticket = &after;
      break;
    case Verdict::left:
    case Verdict::none:
      m.kind = LiveMessage::Kind::ticket_left;
      m.ticket_id = after.id;
      break;
  }
  return m;
}

Result<void> check(const LiveSubscription& s) {
  for (TicketId t : s.tickets)
    if (t <= 0) return invalid_field("tickets", "ticket ids are positive integers");
  for (TeamId t : s.teams)
    if (t <= 0) return invalid_field("queues", "team ids are positive integers");
  for (int l : s.lines)
    if (!is_ticket_line(l)) return invalid_field("queues", "lines are 1 to 4");
  return {};
}

}  // namespace

// One connected client. Guarded by LiveFeed::mutex_ except the constants.
struct LiveSession::Client {
  std::uint64_t id = 0;
  std::shared_ptr<LiveOutbox> outbox;
  Timestamp connected_at{};

  std::shared_ptr<const Actor> actor;  // null until authenticated
  std::string authorization;
  Interest interest;
  Reach reach;       // where `all` is indexed
  EventId told = 0;  // the newest cursor the client has been sent
  Timestamp told_at{};
  bool resuming = false;  // live messages are held until the resume is sent
  bool held_overflow = false;
  std::vector<std::shared_ptr<const std::string>> held;
  bool gone = false;
};

// Events and what judging them needs, loaded outside the lock: the tickets as they are now
// and, walked back from them event by event, each event's before and after.
struct LiveFeed::Batch {
  std::vector<Event> events;
  std::unordered_map<TicketId, Ticket> tickets;
  std::unordered_map<EventId, TicketStates> states;
};

// --- LiveSession ---------------------------------------------------------------------

LiveSession::LiveSession(LiveFeed& feed, std::shared_ptr<Client> client)
    : feed_(feed), client_(std::move(client)) {}

LiveSession::~LiveSession() {
  disconnect();
}

Result<void> LiveSession::authenticate(std::string_view authorization, std::string request_id) {
  return feed_.authenticate(*client_, authorization, std::move(request_id));
}

Result<void> LiveSession::subscribe(const LiveSubscription& subscription,
                                    std::optional<EventId> after, std::string request_id) {
  return feed_.subscribe(*client_, subscription, after, std::move(request_id));
}

Result<void> LiveSession::unsubscribe(const LiveSubscription& subscription,
                                      std::string request_id) {
  return feed_.unsubscribe(*client_, subscription, std::move(request_id));
}

void LiveSession::disconnect() {
  std::lock_guard lock(feed_.mutex_);
  feed_.forget(*client_);
}

bool LiveSession::authenticated() const {
  std::lock_guard lock(feed_.mutex_);
  return client_->actor != nullptr && !client_->gone;
}

// --- LiveFeed ------------------------------------------------------------------------

LiveFeed::LiveFeed(Store& store, AuthService& auth, const LiveEncoder& encoder, const Clock& clock,
                   LiveFeedOptions options)
    : store_(store), auth_(auth), encoder_(encoder), clock_(clock), options_(options) {}

LiveFeed::~LiveFeed() {
  stop();
}

Result<void> LiveFeed::start_at(EventId cursor) {
  std::lock_guard lock(mutex_);
  cursor_ = cursor;
  stats_.cursor = cursor;
  started_ = true;
  return {};
}

Result<void> LiveFeed::start() {
  auto latest = store_.latest_event_id();
  if (!latest) return std::unexpected(latest.error());
  if (auto ok = start_at(*latest); !ok) return ok;
  thread_ = std::jthread([this](std::stop_token stop) { follow(stop); });
  return {};
}

void LiveFeed::stop() {
  if (thread_.joinable()) {
    thread_.request_stop();
    woken_.notify_all();
    thread_.join();
  }
  std::vector<std::shared_ptr<Client>> clients;
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    stopped_ = true;
    for (auto& [id, c] : clients_) clients.push_back(c);
    for (auto& c : clients) forget(*c);
  }
  for (auto& c : clients) c->outbox->close(LiveClose::going_away, "the server is stopping");
}

void LiveFeed::nudge() {
  {
    std::lock_guard lock(wake_mutex_);
    nudged_ = true;
  }
  woken_.notify_all();
}

void LiveFeed::follow(std::stop_token stop) {
  auto wait = options_.poll_interval;
  while (!stop.stop_requested()) {
    auto read = poll();
    if (!read) {
      spdlog::error("live feed: {} (retrying in {} ms)", read.error().message, wait.count());
    } else {
      wait = options_.poll_interval;
    }
    check_clients();                                // when due
    if (read && *read == options_.batch) continue;  // more to read: no pause
    std::unique_lock lock(wake_mutex_);
    woken_.wait_for(lock, stop, wait, [this] { return nudged_; });
    nudged_ = false;
    if (!read) wait = std::min(wait * 2, options_.max_backoff);
  }
}

std::unique_ptr<LiveSession> LiveFeed::connect(std::shared_ptr<LiveOutbox> outbox) {
  auto client = std::make_shared<Client>();
  client->outbox = std::move(outbox);
  client->connected_at = clock_.now();
  std::lock_guard lock(mutex_);
  client->id = next_client_++;
  client->told = cursor_;
  if (stopped_) {
    client->gone = true;
    client->outbox->close(LiveClose::going_away, "the server is stopping");
  } else {
    clients_.emplace(client->id, client);
    ++stats_.clients;
  }
  return std::unique_ptr<LiveSession>(new LiveSession(*this, std::move(client)));
}

LiveFeedStats LiveFeed::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

// --- sending -------------------------------------------------------------------------

void LiveFeed::send(Client& c, const std::shared_ptr<const std::string>& text) {
  if (c.gone) return;
  if (c.resuming) {
    if (c.held.size() >= kHeldLimit)
      c.held_overflow = true;
    else
      c.held.push_back(text);
    return;
  }
  if (c.outbox->send(text))
    ++stats_.messages;
  else
    ++stats_.dropped;
}

void LiveFeed::send(Client& c, const LiveMessage& m) {
  if (m.cursor > c.told) {
    c.told = m.cursor;
    c.told_at = clock_.now();
  }
  send(c, std::make_shared<const std::string>(encoder_.encode(m)));
}

int LiveFeed::tell_user(UserId user, const LiveMessage& message) {
  std::lock_guard lock(mutex_);
  auto it = by_user_.find(user);
  if (it == by_user_.end() || stopped_) return 0;
  auto text = std::make_shared<const std::string>(encoder_.encode(message));
  int told = 0;
  for (Client* c : it->second) {
    if (c->gone) continue;
    send(*c, text);
    ++told;
  }
  return told;
}

bool LiveFeed::connected(UserId user) const {
  std::lock_guard lock(mutex_);
  auto it = by_user_.find(user);
  if (it == by_user_.end() || stopped_) return false;
  return std::ranges::any_of(it->second, [](const Client* c) { return !c->gone; });
}

// --- indexes -------------------------------------------------------------------------

namespace {

template <class Index, class Key, class Client>
void drop(Index& index, Key key, Client* client) {
  auto it = index.find(key);
  if (it == index.end()) return;
  it->second.erase(client);
  if (it->second.empty()) index.erase(it);
}

}  // namespace

void LiveFeed::index(Client& c, const LiveSubscription& s) {
  for (TicketId t : s.tickets)
    if (c.interest.tickets.insert(t).second) by_ticket_[t].insert(&c);
  for (TeamId t : s.teams)
    if (c.interest.teams.insert(t).second) by_team_[t].insert(&c);
  for (int l : s.lines)
    if (c.interest.lines.insert(l).second) by_line_[l].insert(&c);
  if (s.mine && !c.interest.mine) {
    c.interest.mine = true;
    by_person_[c.actor->user.id].insert(&c);
  }
  if (s.all && !c.interest.all) {
    c.interest.all = true;
    reach(c);
  }
}

void LiveFeed::reach(Client& c) {
  c.reach = reach_of(*c.actor);
  if (c.reach.everything) {
    everything_.insert(&c);
    return;
  }
  for (TeamId t : c.reach.teams) all_by_team_[t].insert(&c);
  for (TeamId t : c.reach.origins) all_by_origin_[t].insert(&c);
  for (OrganizationId o : c.reach.organizations) all_by_organization_[o].insert(&c);
  for (UserId u : c.reach.requesters) all_by_requester_[u].insert(&c);
}

void LiveFeed::unreach(Client& c) {
  everything_.erase(&c);
  for (TeamId t : c.reach.teams) drop(all_by_team_, t, &c);
  for (TeamId t : c.reach.origins) drop(all_by_origin_, t, &c);
  for (OrganizationId o : c.reach.organizations) drop(all_by_organization_, o, &c);
  for (UserId u : c.reach.requesters) drop(all_by_requester_, u, &c);
  c.reach = {};
}

// A new actor of the same user (a renewed token, or the cache refreshed: teams or role may
// have changed): where `all` is indexed follows.
void LiveFeed::set_actor(Client& c, std::shared_ptr<const Actor> actor) {
  if (c.actor == actor) return;
  if (!c.actor) by_user_[actor->user.id].insert(&c);
  if (c.interest.all) unreach(c);
  c.actor = std::move(actor);
  if (c.interest.all) reach(c);
}

void LiveFeed::unindex(Client& c, const LiveSubscription& s) {
  for (TicketId t : s.tickets)
    if (c.interest.tickets.erase(t)) drop(by_ticket_, t, &c);
  for (TeamId t : s.teams)
    if (c.interest.teams.erase(t)) drop(by_team_, t, &c);
  for (int l : s.lines)
    if (c.interest.lines.erase(l)) drop(by_line_, l, &c);
  if (s.mine && c.interest.mine) {
    c.interest.mine = false;
    drop(by_person_, c.actor->user.id, &c);
  }
  if (s.all && c.interest.all) {
    c.interest.all = false;
    unreach(c);
  }
}

void LiveFeed::forget(Client& c) {
  if (c.gone) return;
  unindex(c, c.interest.as_subscription());
  if (c.actor) drop(by_user_, c.actor->user.id, &c);
  c.gone = true;
  c.held.clear();
  if (clients_.erase(c.id)) {
    --stats_.clients;
    if (c.actor) --stats_.authenticated;
  }
}

// --- following the store -------------------------------------------------------------

Result<int> LiveFeed::poll() {
  EventId from = 0;
  {
    std::lock_guard lock(mutex_);
    if (!started_ || stopped_) return 0;
    from = cursor_;
  }
  // Only this thread moves the cursor, so it is still `from` below.
  Batch batch;
  auto events = store_.events_after(from, options_.batch);
  if (!events) return std::unexpected(events.error());
  if (events->empty()) return 0;
  batch.events = std::move(*events);
  const int read = static_cast<int>(batch.events.size());
  bool anyone = false, by_person = false;
  {
    std::lock_guard lock(mutex_);
    anyone = !by_ticket_.empty() || !by_team_.empty() || !by_line_.empty() || !by_person_.empty() ||
             !everything_.empty() || !all_by_team_.empty() || !all_by_origin_.empty() ||
             !all_by_organization_.empty() || !all_by_requester_.empty();
    by_person = !by_person_.empty();
    if (!anyone) {
      // Nobody to tell; whoever subscribes now starts after these.
      cursor_ = stats_.cursor = batch.events.back().id;
      return read;
    }
  }
  if (auto loaded = load(batch, by_person); !loaded) return std::unexpected(loaded.error());
  std::lock_guard lock(mutex_);
  if (stopped_) return read;
  deliver(batch);
  return read;
}

Result<void> LiveFeed::load(Batch& batch, bool holders) {
  std::unordered_map<TicketId, std::vector<Event>> histories;
  std::unordered_map<EventId, std::optional<UserId>> held_by;
  std::vector<EventFacts> facts;
  facts.reserve(batch.events.size());
  for (const auto& e : batch.events) {
    facts.push_back(facts_of(e));
    if (!e.ticket) continue;
    if (!batch.tickets.contains(*e.ticket)) {
      auto t = store_.ticket(*e.ticket);
      if (t)
        batch.tickets.emplace(*e.ticket, std::move(*t));
      else if (t.error().code != ErrorCode::not_found)
        return std::unexpected(t.error());
    }
    // Who held a ticket before a move matters only to `mine`.
    if (holders && facts.back().move) {
      auto [h, fresh] = histories.try_emplace(*e.ticket);
      if (fresh) {
        auto history = store_.ticket_events(*e.ticket);
        if (!history) return std::unexpected(history.error());
        h->second = std::move(*history);
      }
      held_by[e.id] = assignee_before(h->second, e.id);
    }
  }
  // Each event's states, walked back from the tickets as they are now.
  std::unordered_map<TicketId, Ticket> state = batch.tickets;
  for (std::size_t i = batch.events.size(); i-- > 0;) {
    const Event& e = batch.events[i];
    if (!e.ticket) continue;
    auto t = state.find(*e.ticket);
    if (t == state.end()) continue;
    const EventFacts& f = facts[i];
    Ticket after = t->second;
    if (f.move) {
      if (f.to_team) after.team = f.to_team;
      if (f.to_line) after.line = f.to_line;
    }
    auto h = held_by.find(e.id);
    auto before = undo(after, f, h == held_by.end() ? std::nullopt : h->second);
    if (before) t->second = *before;
    batch.states.emplace(e.id, TicketStates{f, std::move(after), std::move(before)});
  }
  return {};
}

void LiveFeed::deliver(Batch& batch) {
  const Timestamp now = clock_.now();
  for (const auto& e : batch.events) {
    if (e.ticket) {
      ++stats_.events;
      const std::int64_t lag = std::max<std::int64_t>(0, (now - e.at).count());
      stats_.lag_ms_sum += lag;
      stats_.lag_ms_max = std::max(stats_.lag_ms_max, lag);
      deliver_event(e, batch);
    }
    cursor_ = stats_.cursor = e.id;
  }
}

void LiveFeed::deliver_event(const Event& e, const Batch& batch) {
  auto found = batch.states.find(e.id);
  if (found == batch.states.end()) return;
  const TicketStates& states = found->second;

  // The clients to ask: those following the ticket, its team or line (before or after), its
  // people, and those following all whose scope reaches it there.
  std::vector<Client*> asked;
  auto add = [&asked](const auto& index, auto key) {
    if (auto it = index.find(key); it != index.end())
      asked.insert(asked.end(), it->second.begin(), it->second.end());
  };
  auto add_ticket_state = [&](const Ticket& t) {
    add(by_team_, t.team);
    add(by_line_, t.line);
    if (t.assignee) add(by_person_, *t.assignee);
    add(by_person_, t.requester);
    add(all_by_team_, t.team);
    add(all_by_origin_, t.origin_team);
    if (t.organization) add(all_by_organization_, *t.organization);
    add(all_by_requester_, t.requester);
  };
  add(by_ticket_, *e.ticket);
  add_ticket_state(states.after);
  if (states.before) add_ticket_state(*states.before);
  asked.insert(asked.end(), everything_.begin(), everything_.end());
  std::ranges::sort(asked);
  asked.erase(std::unique(asked.begin(), asked.end()), asked.end());

  // Encoded once, on first need, and shared by everyone who gets it.
  std::shared_ptr<const std::string> texts[3];
  for (Client* c : asked) {
    if (!c->actor || c->gone) continue;
    ++stats_.judged;
    const Verdict v = judge(*c->actor, c->interest, states, e);
    if (v == Verdict::none) continue;
    auto& text = texts[v == Verdict::event ? 0 : v == Verdict::ticket ? 1 : 2];
    if (!text)
      text = std::make_shared<const std::string>(encoder_.encode(message_of(v, e, states.after)));
    if (e.id > c->told) {
      c->told = e.id;
      c->told_at = clock_.now();
    }
    send(*c, text);
  }
}

// --- checks --------------------------------------------------------------------------

void LiveFeed::check_clients() {
  const Timestamp now = clock_.now();
  std::vector<std::shared_ptr<Client>> late, signed_in;
  {
    std::lock_guard lock(mutex_);
    if (now < next_check_) return;
    next_check_ = now + options_.credential_check;
    for (auto& [id, c] : clients_) {
      if (!c->actor && now - c->connected_at >= options_.auth_timeout) late.push_back(c);
      if (c->actor) signed_in.push_back(c);
    }
    for (auto& c : late) forget(*c);
    if (now >= next_cursor_note_) {
      next_cursor_note_ = now + options_.cursor_interval;
      tell_cursors(now);
    }
  }
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(options_.auth_timeout);
  for (auto& c : late)
    c->outbox->close(LiveClose::unauthenticated,
                     "authenticate within " + std::to_string(seconds.count()) +
                         " s: send {\"type\":\"auth\",\"token\":\"...\"}");

  // Re-checked outside the lock (a cache miss reads the store). A revoked token, a closed
  // session or a disabled account ends the connection; a store fault does not.
  for (auto& c : signed_in) {
    std::string authorization;
    {
      std::lock_guard lock(mutex_);
      if (c->gone) continue;
      authorization = c->authorization;
    }
    auto actor = auth_.authenticate(authorization);
    if (!actor && actor.error().code != ErrorCode::unauthenticated) continue;
    std::lock_guard lock(mutex_);
    if (c->gone) continue;
    if (actor && (*actor)->user.id == c->actor->user.id) {
      set_actor(*c, *actor);
      continue;
    }
    forget(*c);
    c->outbox->close(LiveClose::unauthenticated,
                     actor ? "the credential changed hands" : actor.error().message);
  }
}

void LiveFeed::tell_cursors(Timestamp now) {
  for (auto& [id, c] : clients_) {
    if (!c->actor || c->resuming || c->told >= cursor_ || c->interest.empty()) continue;
    if (now - c->told_at < options_.cursor_interval) continue;
    LiveMessage m;
    m.kind = LiveMessage::Kind::cursor;
    m.cursor = cursor_;
    send(*c, m);
  }
}

// --- client requests -----------------------------------------------------------------

Result<void> LiveFeed::authenticate(Client& c, std::string_view authorization,
                                    std::string request_id) {
  auto actor = auth_.authenticate(authorization);
  std::lock_guard lock(mutex_);
  if (c.gone) return fail(ErrorCode::failed_precondition, "the connection is closed");
  if (!actor) {
    if (actor.error().code == ErrorCode::unauthenticated) {
      forget(c);
      c.outbox->close(LiveClose::unauthenticated, actor.error().message);
    }
    return std::unexpected(actor.error());
  }
  if (c.actor && c.actor->user.id != (*actor)->user.id)
    return fail(ErrorCode::permission_denied, "this connection belongs to another user");
  if (!c.actor) ++stats_.authenticated;
  set_actor(c, *actor);
  c.authorization = std::string(authorization);
  LiveMessage m;
  m.kind = LiveMessage::Kind::authenticated;
  m.user = &c.actor->user;
  m.request_id = std::move(request_id);
  send(c, m);
  return {};
}

Result<void> LiveFeed::subscribe(Client& c, const LiveSubscription& s, std::optional<EventId> after,
                                 std::string request_id) {
  if (auto ok = check(s); !ok) return ok;
  if (after && *after < 0) return invalid_field("after", "a cursor is 0 or more");
  std::shared_ptr<const Actor> actor;
  LiveSubscription replayed_for;
  EventId until = 0;
  {
    std::lock_guard lock(mutex_);
    if (c.gone) return fail(ErrorCode::failed_precondition, "the connection is closed");
    if (!c.actor)
      return fail(ErrorCode::unauthenticated,
                  "authenticate first: {\"type\":\"auth\",\"token\":\"...\"}");
    if (c.resuming) return fail(ErrorCode::failed_precondition, "a resume is still running");
    Interest grown = c.interest;
    grown.tickets.insert(s.tickets.begin(), s.tickets.end());
    grown.teams.insert(s.teams.begin(), s.teams.end());
    grown.lines.insert(s.lines.begin(), s.lines.end());
    if (grown.tickets.size() > options_.max_tickets)
      return invalid_field(
          "tickets", "at most " + std::to_string(options_.max_tickets) + " tickets per connection");
    if (grown.teams.size() + grown.lines.size() > options_.max_queues)
      return invalid_field("queues", "at most " + std::to_string(options_.max_queues) +
                                         " team and line queues per connection");
    index(c, s);
    if (!after) {
      const LiveSubscription now = c.interest.as_subscription();
      LiveMessage m;
      m.kind = LiveMessage::Kind::subscribed;
      m.subscription = &now;
      m.cursor = cursor_;
      m.request_id = std::move(request_id);
      send(c, m);
      return {};
    }
    // From here on live messages wait in `held` until the resume up to `until` is sent.
    c.resuming = true;
    c.held.clear();
    c.held_overflow = false;
    until = cursor_;
    actor = c.actor;
    replayed_for = s.empty() ? c.interest.as_subscription() : s;
  }

  auto replayed = replay(*actor, replayed_for, *after, until);

  std::lock_guard lock(mutex_);
  c.resuming = false;
  if (c.gone) return {};
  std::vector<std::shared_ptr<const std::string>> held = std::move(c.held);
  c.held.clear();
  const LiveSubscription now = c.interest.as_subscription();
  LiveMessage ack;
  ack.kind = LiveMessage::Kind::subscribed;
  ack.subscription = &now;
  ack.cursor = until;
  ack.request_id = std::move(request_id);
  if (c.held_overflow) {
    // Live messages were lost while the resume was read: start over from here.
    held.clear();
    replayed.reset();
    ack.cursor = until = cursor_;
  }
  if (!replayed) {
    LiveMessage resync;
    resync.kind = LiveMessage::Kind::resync;
    resync.cursor = until;
    send(c, resync);
  } else {
    for (auto& text : *replayed) send(c, std::make_shared<const std::string>(std::move(text)));
    ack.replayed = static_cast<int>(replayed->size());
  }
  send(c, ack);
  for (auto& text : held) send(c, text);
  return {};
}

Result<void> LiveFeed::unsubscribe(Client& c, const LiveSubscription& s, std::string request_id) {
  if (auto ok = check(s); !ok) return ok;
  std::lock_guard lock(mutex_);
  if (c.gone) return fail(ErrorCode::failed_precondition, "the connection is closed");
  if (!c.actor)
    return fail(ErrorCode::unauthenticated,
                "authenticate first: {\"type\":\"auth\",\"token\":\"...\"}");
  unindex(c, s.empty() ? c.interest.as_subscription() : s);
  const LiveSubscription now = c.interest.as_subscription();
  LiveMessage m;
  m.kind = LiveMessage::Kind::unsubscribed;
  m.subscription = &now;
  m.cursor = cursor_;
  m.request_id = std::move(request_id);
  send(c, m);
  return {};
}

std::optional<std::vector<std::string>> LiveFeed::replay(const Actor& actor,
                                                         const LiveSubscription& subscription,
                                                         EventId after, EventId until) {
  std::vector<std::string> out;
  if (after >= until) return out;
  Batch batch;
  for (EventId at = after; at < until;) {
    auto events = store_.events_after(at, options_.batch);
    if (!events) {
      spdlog::warn("live feed: a resume failed: {}", events.error().message);
      return std::nullopt;
    }
    if (events->empty()) break;
    for (auto& e : *events) {
      if (e.id > until) break;
      at = e.id;
      batch.events.push_back(std::move(e));
    }
    if (std::cmp_greater(batch.events.size(), options_.resume_events)) return std::nullopt;
    if (events->back().id > until) break;
  }
  const Interest interest(subscription);
  if (auto loaded = load(batch, interest.mine); !loaded) {
    spdlog::warn("live feed: a resume failed: {}", loaded.error().message);
    return std::nullopt;
  }
  for (const auto& e : batch.events) {
    auto states = batch.states.find(e.id);
    if (states == batch.states.end()) continue;
    const Verdict v = judge(actor, interest, states->second, e);
    if (v == Verdict::none) continue;
    out.push_back(encoder_.encode(message_of(v, e, states->second.after)));
    if (std::cmp_greater(out.size(), options_.resume_messages)) return std::nullopt;
  }
  return out;
}

}  // namespace fl
