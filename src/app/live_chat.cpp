#include "app/live_chat.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>

#include "app/staff.hpp"
#include "core/text.hpp"

namespace fl {

namespace json = boost::json;

namespace {

Event chat_event(const LiveChat& chat, std::optional<UserId> actor, Timestamp at) {
  json::object p{{"state", name_of(chat.status)},
                 {"agent", chat.agent ? json::value(*chat.agent) : nullptr}};
  if (!chat.ended_by.empty()) p["ended_by"] = chat.ended_by;
  Event e;
  e.type = event_type::live_chat;
  e.ticket = chat.ticket;
  e.actor = actor;
  e.at = at;
  e.payload = json::serialize(p);
  return e;
}

}  // namespace

Result<Entry> requester_replies(Store& store, DirectoryService& directory, TicketService& tickets,
                                const Ticket& ticket, NewEntry entry) {
  auto requester = store.user(ticket.requester);
  if (!requester) return std::unexpected(requester.error());
  auto actor = directory.actor_for(*requester);
  if (!actor) return std::unexpected(actor.error());
  return tickets.add_entry(*actor, ticket.id, entry);
}

Result<void> LiveChatService::check_text(std::string_view text) const {
  if (is_blank(text)) return invalid_field("text", "write something");
  if (text.size() > options_.max_text_bytes)
    return invalid_field("text", "at most " + std::to_string(options_.max_text_bytes) + " bytes");
  return {};
}

Result<std::string> LiveChatService::name_of_user(UserId id) {
  auto user = store_.user(id);
  if (!user) return std::unexpected(user.error());
  return user->name.empty() ? user->login : user->name;
}

Result<bool> LiveChatService::available(const Ticket& ticket) {
  if (!options_.enabled) return false;
  if (options_.in_service_hours && !options_.in_service_hours(clock_.now())) return false;
  auto teams = store_.teams();
  if (!teams) return std::unexpected(teams.error());
  std::vector<TeamId> first_line;
  for (const auto& t : *teams)
    if (t.line == 1 && (ticket.line != 1 || t.id == ticket.team)) first_line.push_back(t.id);
  if (first_line.empty())
    for (const auto& t : *teams)
      if (t.line == 1) first_line.push_back(t.id);
  auto staff = available_staff(store_);
  if (!staff) return std::unexpected(staff.error());
  for (const auto& u : *staff) {
    bool in_line = std::ranges::any_of(
        u.teams, [&](TeamId t) { return std::ranges::find(first_line, t) != first_line.end(); });
    if (in_line && online_ && online_(u.id)) return true;
  }
  return false;
}

Result<LiveChat> LiveChatService::request(const BotSession& session) {
  if (!session.ticket)
    return fail(ErrorCode::failed_precondition, "a live chat follows a hand-off ticket");
  LiveChat chat;
  chat.session = session.id;
  chat.ticket = *session.ticket;
  chat.language = session.language;
  chat.requested_at = clock_.now();
  if (auto ok = store_.insert_live_chat(chat, chat_event(chat, session.user, chat.requested_at));
      !ok)
    return std::unexpected(ok.error());
  return chat;
}

Result<std::optional<LiveChat>> LiveChatService::of_session(const BotSession& session) {
  if (!session.ticket) return std::optional<LiveChat>{};
  auto chat = store_.live_chat(*session.ticket);
  if (!chat) {
    if (chat.error().code == ErrorCode::not_found) return std::optional<LiveChat>{};
    return std::unexpected(chat.error());
  }
  if (chat->session != session.id) return std::optional<LiveChat>{};
  return std::optional<LiveChat>{std::move(*chat)};
}

Result<Entry> LiveChatService::user_says(const BotSession& session, std::string_view text) {
  if (auto ok = check_text(text); !ok) return std::unexpected(ok.error());
  auto chat = of_session(session);
  if (!chat) return std::unexpected(chat.error());
  if (!*chat || (*chat)->status == LiveChatStatus::ended)
    return fail(ErrorCode::failed_precondition, "the live chat has ended");
  auto ticket = store_.ticket((*chat)->ticket);
  if (!ticket) return std::unexpected(ticket.error());
  return requester_replies(
      store_, directory_, tickets_, *ticket,
      NewEntry{.kind = EntryKind::reply, .body = std::string(text), .live_chat = true});
}

Result<LiveChat> LiveChatService::user_ends(const BotSession& session) {
  auto chat = of_session(session);
  if (!chat) return std::unexpected(chat.error());
  if (!*chat) return fail(ErrorCode::failed_precondition, "there is no live chat to end");
  if ((*chat)->status == LiveChatStatus::ended) return std::move(**chat);
  return end(std::move(**chat), "customer", session.user);
}

Result<LiveChat> LiveChatService::end(LiveChat chat, std::string by, std::optional<UserId> actor) {
  const LiveChatStatus was = chat.status;
  chat.status = LiveChatStatus::ended;
  chat.ended_by = std::move(by);
  chat.ended_at = clock_.now();
  if (auto ok = store_.update_live_chat(chat, was, chat_event(chat, actor, *chat.ended_at)); !ok)
    return std::unexpected(ok.error());
  return chat;
}

Result<std::vector<Entry>> LiveChatService::chat_entries(const LiveChat& chat) {
  auto entries = store_.entries(chat.ticket);
  if (!entries) return std::unexpected(entries.error());
  std::vector<Entry> out;
  for (auto& e : *entries) {
    // The first entry is the hand-off's description, written just before the chat was asked for.
    if (&e == &entries->front()) continue;
    if (e.kind != EntryKind::reply || e.created_at < chat.requested_at) continue;
    if (chat.ended_at && e.created_at > *chat.ended_at) continue;
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<LiveChatLine>> LiveChatService::lines(const LiveChat& chat) {
  auto ticket = store_.ticket(chat.ticket);
  if (!ticket) return std::unexpected(ticket.error());
  auto entries = chat_entries(chat);
  if (!entries) return std::unexpected(entries.error());
  std::vector<LiveChatLine> out;
  std::unordered_map<UserId, std::string> names;
  for (auto& e : *entries) {
    auto [it, fresh] = names.try_emplace(e.author);
    if (fresh) {
      auto name = name_of_user(e.author);
      if (!name) return std::unexpected(name.error());
      it->second = *name;
    }
    out.push_back({e.id, e.author == ticket->requester ? "user" : "agent", it->second,
                   std::move(e.body), e.created_at});
  }
  return out;
}

Result<LiveChatView> LiveChatService::described(LiveChat chat, Ticket ticket) {
  LiveChatView v;
  if (chat.agent) {
    auto name = name_of_user(*chat.agent);
    if (!name) return std::unexpected(name.error());
    v.agent_name = *name;
  }
  auto customer = name_of_user(ticket.requester);
  if (!customer) return std::unexpected(customer.error());
  v.customer_name = *customer;
  v.chat = std::move(chat);
  v.ticket = std::move(ticket);
  return v;
}

Result<std::vector<LiveChatView>> LiveChatService::open_chats(const Actor& actor) {
  if (!actor.is_staff()) return fail(ErrorCode::permission_denied, "live chats are for staff");
  auto chats = store_.open_live_chats();
  if (!chats) return std::unexpected(chats.error());
  std::vector<LiveChatView> out;
  for (auto& chat : *chats) {
    auto ticket = tickets_.get(actor, chat.ticket);
    if (!ticket) {
      if (ticket.error().code == ErrorCode::not_found ||
          ticket.error().code == ErrorCode::permission_denied)
        continue;
      return std::unexpected(ticket.error());
    }
    auto v = described(std::move(chat), std::move(*ticket));
    if (!v) return std::unexpected(v.error());
    out.push_back(std::move(*v));
  }
  return out;
}

Result<LiveChatView> LiveChatService::view(const Actor& actor, TicketId id) {
  if (!actor.is_staff()) return fail(ErrorCode::permission_denied, "live chats are for staff");
  auto ticket = tickets_.get(actor, id);
  if (!ticket) return std::unexpected(ticket.error());
  auto chat = store_.live_chat(id);
  if (!chat) return std::unexpected(chat.error());
  auto lines_now = lines(*chat);
  if (!lines_now) return std::unexpected(lines_now.error());
  auto v = described(std::move(*chat), std::move(*ticket));
  if (!v) return std::unexpected(v.error());
  v->lines = std::move(*lines_now);
  return v;
}

Result<LiveChatView> LiveChatService::accept(const Actor& actor, TicketId id) {
  if (!actor.is_staff()) return fail(ErrorCode::permission_denied, "live chats are for staff");
  auto ticket = tickets_.get(actor, id);
  if (!ticket) return std::unexpected(ticket.error());
  auto chat = store_.live_chat(id);
  if (!chat) return std::unexpected(chat.error());
  if (chat->status != LiveChatStatus::waiting)
    return fail(ErrorCode::conflict, chat->status == LiveChatStatus::active
                                         ? "another agent has taken this chat"
                                         : "this chat has ended");
  chat->status = LiveChatStatus::active;
  chat->agent = actor.user.id;
  chat->accepted_at = clock_.now();
  if (auto ok = store_.update_live_chat(*chat, LiveChatStatus::waiting,
                                        chat_event(*chat, actor.user.id, *chat->accepted_at));
      !ok)
    return std::unexpected(ok.error());
  // The one who chats owns the ticket. A desk where agents may not take tickets themselves
  // still gets the chat; the assignment is left to whoever may.
  if (ticket->assignee != actor.user.id) {
    TicketPatch patch;
    patch.assignee = std::optional<UserId>(actor.user.id);
    if (auto assigned = tickets_.update(actor, id, patch); assigned)
      ticket = std::move(assigned);
    else
      spdlog::info("live chat: ticket {} not assigned to {}: {}", id, actor.user.login,
                   assigned.error().message);
  }
  return described(std::move(*chat), std::move(*ticket));
}

Result<Entry> LiveChatService::agent_says(const Actor& actor, TicketId id, std::string_view text) {
  if (!actor.is_staff()) return fail(ErrorCode::permission_denied, "live chats are for staff");
  if (auto ok = check_text(text); !ok) return std::unexpected(ok.error());
  auto ticket = tickets_.get(actor, id);
  if (!ticket) return std::unexpected(ticket.error());
  auto chat = store_.live_chat(id);
  if (!chat) return std::unexpected(chat.error());
  if (chat->status != LiveChatStatus::active || chat->agent != actor.user.id)
    return fail(ErrorCode::conflict, chat->status == LiveChatStatus::ended
                                         ? "this chat has ended"
                                         : "only the agent who accepted the chat writes in it");
  return tickets_.add_entry(actor, id,
                            NewEntry{.kind = EntryKind::reply,
                                     .body = std::string(text),
                                     .live_chat = true});
}

Result<LiveChatView> LiveChatService::agent_ends(const Actor& actor, TicketId id) {
  if (!actor.is_staff()) return fail(ErrorCode::permission_denied, "live chats are for staff");
  auto ticket = tickets_.get(actor, id);
  if (!ticket) return std::unexpected(ticket.error());
  auto chat = store_.live_chat(id);
  if (!chat) return std::unexpected(chat.error());
  if (chat->status == LiveChatStatus::ended) return fail(ErrorCode::conflict, "this chat has ended");
  if (chat->agent && *chat->agent != actor.user.id && actor.user.role == Role::agent)
    return fail(ErrorCode::permission_denied, "the agent who took the chat or a supervisor ends it");
  auto ended = end(std::move(*chat), "agent", actor.user.id);
  if (!ended) return std::unexpected(ended.error());
  return described(std::move(*ended), std::move(*ticket));
}

Result<int> LiveChatService::expire() {
  auto chats = store_.open_live_chats();
  if (!chats) return std::unexpected(chats.error());
  const Timestamp now = clock_.now();
  int ended = 0;
  for (auto& chat : *chats) {
    std::string why;
    if (chat.status == LiveChatStatus::waiting) {
      if (now - chat.requested_at >= options_.wait_timeout) why = "timeout";
    } else {
      Timestamp last = chat.accepted_at.value_or(chat.requested_at);
      auto said = chat_entries(chat);
      if (!said) return std::unexpected(said.error());
      if (!said->empty()) last = std::max(last, said->back().created_at);
      if (now - last >= options_.idle_timeout) why = "idle";
    }
    if (why.empty()) continue;
    auto done = end(std::move(chat), why, std::nullopt);
    if (!done && done.error().code != ErrorCode::conflict) return std::unexpected(done.error());
    if (done) ++ended;
  }
  return ended;
}

// --- the hub ---------------------------------------------------------------------------------

Result<void> LiveChatHub::start_at(EventId cursor) {
  std::lock_guard lock(mutex_);
  cursor_ = cursor;
  return {};
}

Result<void> LiveChatHub::start() {
  auto latest = store_.latest_event_id();
  if (!latest) return std::unexpected(latest.error());
  if (auto ok = start_at(*latest); !ok) return ok;
  thread_ = std::jthread([this](std::stop_token stop) {
    while (!stop.stop_requested()) {
      if (auto n = poll(); !n) spdlog::warn("live chat: reading events failed: {}", n.error().message);
      std::unique_lock lock(wake_mutex_);
      woken_.wait_for(lock, stop, poll_interval_, [this] { return nudged_; });
      nudged_ = false;
    }
  });
  return {};
}

void LiveChatHub::stop() {
  if (thread_.joinable()) {
    thread_.request_stop();
    thread_.join();
  }
}

void LiveChatHub::nudge() {
  {
    std::lock_guard lock(wake_mutex_);
    nudged_ = true;
  }
  woken_.notify_all();
}

Result<void> LiveChatHub::watch(TicketId ticket, const std::shared_ptr<LiveChatListener>& listener) {
  auto entries = store_.entries(ticket);
  if (!entries) return std::unexpected(entries.error());
  std::lock_guard lock(mutex_);
  auto& w = watched_[ticket];
  for (const auto& e : *entries) w.last_entry = std::max(w.last_entry, e.id);
  w.listeners.push_back(listener);
  return {};
}

void LiveChatHub::unwatch(TicketId ticket, const LiveChatListener* listener) {
  std::lock_guard lock(mutex_);
  auto it = watched_.find(ticket);
  if (it == watched_.end()) return;
  std::erase_if(it->second.listeners, [&](const auto& weak) {
    auto l = weak.lock();
    return !l || l.get() == listener;
  });
  if (it->second.listeners.empty()) watched_.erase(it);
}

void LiveChatHub::tell(TicketId ticket, const LiveChatNews& news) {
  std::vector<std::shared_ptr<LiveChatListener>> to;
  {
    std::lock_guard lock(mutex_);
    auto it = watched_.find(ticket);
    if (it == watched_.end()) return;
    for (const auto& weak : it->second.listeners)
      if (auto l = weak.lock()) to.push_back(std::move(l));
  }
  for (const auto& l : to) l->on_news(news);
}

Result<int> LiveChatHub::poll() {
  EventId cursor;
  {
    std::lock_guard lock(mutex_);
    cursor = cursor_;
  }
  auto events = store_.events_after(cursor, 500);
  if (!events) return std::unexpected(events.error());
  for (const auto& e : *events) {
    cursor = e.id;
    if (!e.ticket) continue;
    bool watched;
    EntryId last_entry = 0;
    {
      std::lock_guard lock(mutex_);
      auto it = watched_.find(*e.ticket);
      watched = it != watched_.end();
      if (watched) last_entry = it->second.last_entry;
    }
    if (!watched) continue;
    if (e.type == event_type::live_chat) {  // the state as of this event, not as of now
      LiveChatNews news;
      news.kind = LiveChatNews::Kind::state;
      try {
        const json::object p = json::parse(e.payload).as_object();
        auto state = parse_name<LiveChatStatus>(std::string_view(p.at("state").as_string()));
        if (!state) continue;
        news.state = *state;
        if (auto* by = p.if_contains("ended_by"); by && by->is_string())
          news.ended_by = std::string(by->as_string());
        if (auto* agent = p.if_contains("agent"); agent && agent->is_int64())
          if (auto user = store_.user(agent->as_int64())) news.agent = user->name;
      } catch (const std::exception&) {
        continue;
      }
      tell(*e.ticket, news);
    } else if (e.type == event_type::entry_added) {  // a chat line, or a reply beside it
      auto chat = store_.live_chat(*e.ticket);
      if (!chat) continue;
      auto said = chats_.lines(*chat);
      if (!said) continue;
      for (const auto& line : *said) {
        if (line.entry <= last_entry) continue;
        last_entry = line.entry;
        if (line.from != "agent") continue;  // the user's own lines are on their screen
        LiveChatNews news;
        news.kind = LiveChatNews::Kind::line;
        news.line = line;
        tell(*e.ticket, news);
      }
      std::lock_guard lock(mutex_);
      if (auto it = watched_.find(*e.ticket); it != watched_.end())
        it->second.last_entry = std::max(it->second.last_entry, last_entry);
    }
  }
  std::lock_guard lock(mutex_);
  cursor_ = std::max(cursor_, cursor);
  return static_cast<int>(events->size());
}

}  // namespace fl
