#include "app/ticket_service.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "app/access.hpp"
#include "app/assignment.hpp"
#include "app/attachments.hpp"
#include "app/ticket_patch.hpp"
#include "core/status_machine.hpp"

namespace fl {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxSubject = 500;
constexpr std::size_t kMaxBody = 100'000;
constexpr std::size_t kMaxCategory = 100;
constexpr int kCommitAttempts = 5;


Event make_event(std::string_view type, const Actor& actor, Timestamp at, json::object payload) {
  Event e;
  e.type = type;
  e.actor = actor.user.id;
  e.at = at;
  // Who acted, as the SLA clocks need it (a staff action answers; a customer's asks).
  payload["by"] = actor.is_staff() ? "staff" : "customer";
  e.payload = json::serialize(payload);
  return e;
}

json::object move_payload(const TicketMove& m) {
  json::object p{{"from_line", m.from_line},
                 {"from_team", m.from_team},
                 {"to_line", m.to_line},
                 {"to_team", m.to_team},
                 {"note", m.note}};
  if (m.reason) p["reason"] = name_of(*m.reason);
  return p;
}

std::string_view move_event_type(MoveKind k) {
  switch (k) {
    case MoveKind::escalation:
      return event_type::escalated;
    case MoveKind::transfer:
      return event_type::transferred;
    case MoveKind::return_:
      return event_type::returned;
  }
  return event_type::ticket_updated;
}



// The team id a move event sends the ticket to, read back from its payload.
std::optional<TeamId> event_to_team(const Event& e) {
  if (e.type != event_type::escalated) return std::nullopt;
  boost::system::error_code ec;
  auto v = json::parse(e.payload, ec);
  if (ec || !v.is_object()) return std::nullopt;
  if (auto* to = v.as_object().if_contains("to_team"); to && to->is_int64()) return to->as_int64();
  return std::nullopt;
}

// Read-modify-commit with a retry when another change to the ticket won the race.
template <class Fn>
auto with_retry(Fn&& attempt) -> decltype(attempt()) {
  for (int i = 1;; ++i) {
    auto r = attempt();
    if (r || r.error().code != ErrorCode::conflict || i == kCommitAttempts) return r;
  }
}

}  // namespace

Result<Ticket> TicketService::visible_ticket(const Actor& actor, TicketId id) {
  auto t = store_.ticket(id);
  if (!t) return t;
  if (!may(actor, TicketAction::view, *t))
    return fail(ErrorCode::not_found, "no ticket " + std::to_string(id));
  return t;
}

namespace {

// The ticket as the actor may read it: the rating is for staff and the requester.
Ticket as_seen_by(const Actor& actor, Ticket t) {
  if (!may_see_rating(actor, t)) t.rating.reset();
  return t;
}

}  // namespace

Result<Team> TicketService::default_team_at(int line) {
  auto teams = store_.teams();
  if (!teams) return std::unexpected(teams.error());
  std::vector<Team> at_line;
  for (auto& t : *teams)
    if (t.line == line) at_line.push_back(t);
  if (at_line.empty())
    return fail(ErrorCode::failed_precondition, "no team at line " + std::to_string(line));
  if (at_line.size() == 1) return at_line.front();
  std::vector<Team> internal;
  for (auto& t : at_line)
    if (t.kind == TeamKind::internal) internal.push_back(t);
  if (internal.size() == 1) return internal.front();
  return invalid_field("to_team", "line " + std::to_string(line) + " has several teams: name one");
}

// Routing of a new ticket: the creating agent's own first-line team; else the outsourced
// desk that serves the requester's organisation; else the internal first-line team.
Result<Team> TicketService::first_line_team(const Actor& actor, const User& requester,
                                            std::optional<TeamId> requested) {
  if (requested) {
    auto t = store_.team(*requested);
    if (!t) return invalid_field("team_id", "no team " + std::to_string(*requested));
    if (t->line != 1) return invalid_field("team_id", "new tickets start at a first-line team");
    return t;
  }
  for (const auto& t : actor.teams)
    if (t.line == 1 && t.kind != TeamKind::vendor) return t;
  auto teams = store_.teams();
  if (!teams) return std::unexpected(teams.error());
  if (requester.organization) {
    for (const auto& t : *teams)
      if (t.line == 1 && t.kind == TeamKind::outsourced &&
          std::ranges::find(t.served_organizations, *requester.organization) !=
              t.served_organizations.end())
        return t;
  }
  for (const auto& t : *teams)
    if (t.line == 1 && t.kind == TeamKind::internal) return t;
  return fail(ErrorCode::failed_precondition, "no first-line team is set up");
}

Result<EntryAttachments> TicketService::entry_files(const Actor& actor,
                                                    const std::vector<AttachmentId>& uploads,
                                                    const std::vector<NewFile>& files,
                                                    Timestamp now,
                                                    std::vector<std::string>& names) {
  EntryAttachments out;
  if (uploads.size() + files.size() > kMaxAttachmentsPerEntry)
    return invalid_field("attachment_ids",
                         "at most " + std::to_string(kMaxAttachmentsPerEntry) + " files per entry");
  for (AttachmentId id : uploads) {
    auto unusable = [id] {
      return invalid_field("attachment_ids", "upload " + std::to_string(id) +
                                                 " is unknown, already used or not yours");
    };
    if (std::ranges::count(uploads, id) > 1) return unusable();
    // Checked here for a clear answer; the store checks again when it binds (a race).
    auto a = store_.attachment(id);
    if (!a) {
      if (a.error().code == ErrorCode::not_found) return unusable();
      return std::unexpected(a.error());
    }
    if (a->bound() || a->uploader != actor.user.id) return unusable();
    names.push_back(a->filename);
    out.uploads.push_back(id);
  }
  for (const auto& f : files) {
    auto prepared =
        prepare_attachment(f.filename, f.content, actor.user.id, now, max_attachment_bytes_);
    if (!prepared) return std::unexpected(prepared.error());
    names.push_back(prepared->filename);
    out.contents.push_back(std::move(*prepared));
  }
  return out;
}

Result<Ticket> TicketService::create(const Actor& actor, const NewTicket& req) {
  std::vector<FieldError> errors;
  std::string subject = trim(req.subject);
  if (subject.empty()) errors.push_back({"subject", "required"});
  if (subject.size() > kMaxSubject) errors.push_back({"subject", "at most 500 bytes"});
  if (req.description.size() > kMaxBody) errors.push_back({"description", "at most 100000 bytes"});
  if (!is_level(req.impact)) errors.push_back({"impact", "must be 1 (high), 2 or 3 (low)"});
  if (!is_level(req.urgency)) errors.push_back({"urgency", "must be 1 (high), 2 or 3 (low)"});
  std::string category = trim(req.category);
  if (category.size() > kMaxCategory) errors.push_back({"category", "at most 100 bytes"});
  Channel channel = req.channel.value_or(Channel::web);
  // The mail intake vouches for a customer's own mail (req.mail).
  if (!actor.is_staff() && (channel == Channel::phone || channel == Channel::email) &&
      !(channel == Channel::email && req.mail))
    errors.push_back({"channel", "customers open tickets on the web, chat, bot or api channel"});
  if (req.call && req.call->duration_seconds < 0)
    errors.push_back({"call.duration_seconds", "must not be negative"});
  auto tags = normalise_tags(req.tags);
  if (!tags) errors.insert(errors.end(), tags.error().fields.begin(), tags.error().fields.end());
  if (!errors.empty()) return invalid_fields(std::move(errors));

  User requester = actor.user;
  if (req.requester && *req.requester != actor.user.id) {
    if (!may_create_for_others(actor))
      return fail(ErrorCode::permission_denied, "you may open tickets only for yourself");
    auto r = store_.user(*req.requester);
    if (!r) return invalid_field("requester_id", "no user " + std::to_string(*req.requester));
    if (!r->active) return invalid_field("requester_id", "user '" + r->login + "' is inactive");
    requester = *r;
  }
  auto team = first_line_team(actor, requester, req.team);
  if (!team) return std::unexpected(team.error());

  Timestamp now = clock_.now();
  TicketChange change;
  Ticket& t = change.ticket;
  t.subject = subject;
  t.requester = requester.id;
  t.organization = requester.organization;
  t.channel = channel;
  t.category = category;
  t.impact = req.impact;
  t.urgency = req.urgency;
  t.priority = priority_for(req.impact, req.urgency);
  t.status = TicketStatus::new_;
  t.line = 1;
  t.team = team->id;
  t.origin_team = team->id;
  t.tags = std::move(*tags);
  t.customer_contacts = 1;  // the contact that opened it
  t.created_at = now;
  t.updated_at = now;
  std::vector<std::string> file_names;
  auto files = entry_files(actor, req.attachments, req.files, now, file_names);
  if (!files) return std::unexpected(files.error());
  if (!trim(req.description).empty() || !file_names.empty()) {
    change.new_entries.push_back(Entry{.kind = EntryKind::reply,
                                       .author = actor.user.id,
                                       .body = req.description,
                                       .created_at = now});
    change.new_entry_attachments.push_back(std::move(*files));
  }
  if (req.call)
    change.new_entries.push_back(Entry{
        .kind = EntryKind::call, .author = actor.user.id, .call = req.call, .created_at = now});
  json::object created{{"subject", t.subject},
                       {"channel", name_of(t.channel)},
                       {"requester", t.requester},
                       {"line", t.line},
                       {"team", t.team},
                       {"priority", name_of(t.priority)},
                       {"call", req.call.has_value()}};
  // The call's length, for the handling time in reports (app/report_facts.hpp).
  if (req.call) created["call_seconds"] = req.call->duration_seconds;
  if (!file_names.empty()) created["attachments"] = json::value_from(file_names);
  if (req.mail) {
    created["auto_submitted"] = req.mail->auto_submitted;
    change.mail = req.mail->record;
    change.mail->outcome = "created";
  }
  change.new_events.push_back(
      make_event(event_type::ticket_created, actor, now, std::move(created)));
  if (auto ok = assign_automatically(store_, change, now); !ok) return std::unexpected(ok.error());
  auto committed = commit(change, now);
  if (!committed) return std::unexpected(committed.error());
  return committed->ticket;
}

Result<CommittedChange> TicketService::commit(TicketChange& change, Timestamp now) {
  if (sla_) {
    std::vector<Event> history;
    if (change.ticket.id != 0) {
      auto events = store_.ticket_events(change.ticket.id);
      if (!events) return std::unexpected(events.error());
      history = std::move(*events);
    }
    if (auto ok = sla_->prepare(change, history, now); !ok) return std::unexpected(ok.error());
  }
  return store_.commit(change);
}

Result<Ticket> TicketService::get(const Actor& actor, TicketId id) {
  auto t = visible_ticket(actor, id);
  if (!t) return t;
  return as_seen_by(actor, std::move(*t));
}

Result<TicketPage> TicketService::list(const Actor& actor, TicketQuery query) {
  query.scope = scope_for(actor);
  query.limit = std::clamp(query.limit, 1, 200);
  query.now = clock_.now();
  auto page = store_.tickets(query);
  if (!page) return page;
  for (auto& t : page->tickets)
    if (!may_see_rating(actor, t)) t.rating.reset();
  return page;
}

Result<QueueSummary> TicketService::queues(const Actor& actor) {
  if (!may_see_queues(actor)) return fail(ErrorCode::permission_denied, "queues are for staff");
  auto teams = store_.queue_counts(scope_for(actor), clock_.now());
  if (!teams) return std::unexpected(teams.error());
  QueueSummary out;
  for (const auto& q : *teams) {
    auto line = std::ranges::find(out.lines, q.line, &QueueCount::line);
    if (line == out.lines.end()) line = out.lines.insert(out.lines.end(), QueueCount{q.line, 0});
    line->open += q.open;
    line->unassigned += q.unassigned;
    line->at_risk += q.at_risk;
    line->breached += q.breached;
  }
  out.teams = std::move(*teams);
  return out;
}

Result<Ticket> TicketService::rate(const Actor& actor, TicketId id, const RatingRequest& req) {
  std::vector<FieldError> errors;
  if (req.score < 1 || req.score > 5) errors.push_back({"score", "1 (very unhappy) to 5 (very happy)"});
  if (req.comment.size() > kMaxRatingComment) errors.push_back({"comment", "at most 2000 bytes"});
  if (!errors.empty()) return invalid_fields(std::move(errors));
  std::lock_guard lock(lock_for(id));
  return with_retry([&]() -> Result<Ticket> {
    auto t = visible_ticket(actor, id);
    if (!t) return std::unexpected(t.error());
    if (!may_rate(actor, *t))
      return fail(ErrorCode::permission_denied, "only the requester rates a ticket");
    if (!is_solved(t->status))
      return fail(ErrorCode::failed_precondition,
                  "the ticket is " + std::string(name_of(t->status)) +
                      ": it can be rated once it is resolved");
    Timestamp now = clock_.now();
    if (t->rating && now - t->rating->first_rated_at > kRatingChangeWindow)
      return fail(ErrorCode::failed_precondition,
                  "the rating can be changed for 7 days after it was given; that time is over");
    std::string comment = trim(req.comment);
    TicketChange change;
    change.ticket = *t;
    Ticket& ticket = change.ticket;
    ticket.rating = TicketRating{req.score, comment, now,
                                 t->rating ? t->rating->first_rated_at : now};
    ticket.updated_at = now;
    json::object payload{{"score", req.score}, {"comment", comment}};
    if (t->rating) payload["previous_score"] = t->rating->score;
    change.new_events.push_back(make_event(event_type::ticket_rated, actor, now, std::move(payload)));
    auto committed = commit(change, now);
    if (!committed) return std::unexpected(committed.error());
    return committed->ticket;
  });
}

Result<std::vector<TimelineItem>> TicketService::timeline(const Actor& actor, TicketId id) {
  auto t = visible_ticket(actor, id);
  if (!t) return std::unexpected(t.error());
  auto entries = store_.entries(id);
  if (!entries) return std::unexpected(entries.error());
  auto events = store_.ticket_events(id);
  if (!events) return std::unexpected(events.error());
  std::vector<TimelineItem> items;
  for (auto& e : *entries)
    if (may_see_entry(actor, *t, e)) items.push_back({std::move(e), std::nullopt});
  for (auto& ev : *events) {
    if (ev.type == event_type::entry_added) continue;  // the entry itself stands in the timeline
    if (may_see_event(actor, *t, ev, event_to_team(ev)))
      items.push_back({std::nullopt, std::move(ev)});
  }
  // Staff see how a reply's mail fared (its error may name the mail server); customers do not.
  if (actor.is_staff()) {
    auto mail = store_.ticket_mail(id);
    if (!mail) return std::unexpected(mail.error());
    for (auto& m : *mail) {
      if (!m.entry) continue;
      for (auto& item : items)
        if (item.entry && item.entry->id == *m.entry) item.mail = std::move(m);
    }
  }
  std::ranges::stable_sort(
      items, [](const TimelineItem& a, const TimelineItem& b) { return a.at() < b.at(); });
  return items;
}

Result<OutboundMail> TicketService::resend_mail(const Actor& actor, TicketId id, MailId mail) {
  auto t = visible_ticket(actor, id);
  if (!t) return std::unexpected(t.error());
  // A customer may reply on the ticket, but how mail fares is the desk's business.
  if (!actor.is_staff() || !may(actor, TicketAction::reply, *t))
    return fail(ErrorCode::permission_denied, "you may not send this ticket's mail again");
  auto mails = store_.ticket_mail(id);
  if (!mails) return std::unexpected(mails.error());
  if (std::ranges::find(*mails, mail, &OutboundMail::id) == mails->end())
    return fail(ErrorCode::not_found, "mail " + std::to_string(mail) + " not found on this ticket");
  return store_.resend_mail(mail, clock_.now());
}

Result<Entry> TicketService::add_entry(const Actor& actor, TicketId id, const NewEntry& req) {
  TicketAction needed = req.kind == EntryKind::reply  ? TicketAction::reply
                        : req.kind == EntryKind::note ? TicketAction::note
                                                      : TicketAction::log_call;
  if (req.body.size() > kMaxBody) return invalid_field("body", "at most 100000 bytes");
  const bool with_files = !req.attachments.empty() || !req.files.empty();
  if (req.kind != EntryKind::call && is_blank(req.body) && !with_files)
    return invalid_field("body", "required");
  if (req.time_spent_minutes < 0 || req.time_spent_minutes > 1440)
    return invalid_field("time_spent_minutes", "0 to 1440");
  if (req.time_spent_minutes > 0 && !actor.is_staff())
    return invalid_field("time_spent_minutes", "only staff record their time");
  if (req.kind == EntryKind::call) {
    if (!req.call) return invalid_field("direction", "a call needs a direction");
    if (req.call->duration_seconds < 0)
      return invalid_field("duration_seconds", "must not be negative");
  }
  std::lock_guard lock(lock_for(id));
  return with_retry([&]() -> Result<Entry> {
    auto t = visible_ticket(actor, id);
    if (!t) return std::unexpected(t.error());
    if (!may(actor, needed, *t))
      return fail(ErrorCode::permission_denied,
                  "you may not add a " + std::string(name_of(req.kind)) + " to this ticket");
    if (t->status == TicketStatus::closed)
      return fail(ErrorCode::failed_precondition, "the ticket is closed; open a new one");
    Timestamp now = clock_.now();
    TicketChange change;
    change.ticket = *t;
    Ticket& ticket = change.ticket;
    TicketStatus before = ticket.status;
    // An auto-reply by mail (out of office) is neither the customer's answer nor the desk's:
    // the status stays, so a ticket waiting on the customer keeps waiting.
    const bool automatic = req.mail && req.mail->auto_submitted;
    bool from_customer = actor.user.role == Role::customer && !automatic;
    if (from_customer || req.kind == EntryKind::call) ++ticket.customer_contacts;
    if (from_customer && req.kind == EntryKind::reply) {
      set_status(ticket, status_after_customer_reply(before), now);
    } else if (!automatic && actor.is_staff() && before == TicketStatus::new_ &&
               req.kind != EntryKind::note) {
      set_status(ticket, TicketStatus::open, now);  // the desk has answered
    }
    ticket.updated_at = now;
    change.new_entries.push_back(
        Entry{.kind = req.kind,
              .author = actor.user.id,
              .body = req.body,
              .call = req.kind == EntryKind::call ? req.call : std::nullopt,
              .time_spent_minutes = req.time_spent_minutes,
              .created_at = now});
    std::vector<std::string> file_names;
    auto files = entry_files(actor, req.attachments, req.files, now, file_names);
    if (!files) return std::unexpected(files.error());
    change.new_entry_attachments.push_back(std::move(*files));
    json::object added{{"kind", name_of(req.kind)}};
    if (!file_names.empty()) added["attachments"] = json::value_from(file_names);
    if (req.live_chat) added["chat"] = true;
    if (req.kind == EntryKind::call && req.call) added["call_seconds"] = req.call->duration_seconds;
    if (req.time_spent_minutes > 0) added["time_spent_minutes"] = req.time_spent_minutes;
    if (req.mail) {
      added["auto_submitted"] = req.mail->auto_submitted;
      change.mail = req.mail->record;
      change.mail->outcome = "appended";
    }
    change.new_events.push_back(make_event(event_type::entry_added, actor, now, std::move(added)));
    if (ticket.status != before)
      change.new_events.push_back(
          make_event(event_type::status_changed, actor, now,
                     status_payload(before, ticket.status,
                                    from_customer ? "customer_reply" : "agent_response")));
    if (reply_mail_ && !req.live_chat) reply_mail_->add_to(change, false, false, now);
    auto committed = commit(change, now);
    if (!committed) return std::unexpected(committed.error());
    return committed->entries.front();
  });
}

Result<Ticket> TicketService::update(const Actor& actor, TicketId id, const TicketPatch& raw) {
  auto checked = checked_patch(store_, raw);
  if (!checked) return std::unexpected(checked.error());
  const TicketPatch& p = *checked;

  std::lock_guard lock(lock_for(id));
  return with_retry([&]() -> Result<Ticket> {
    auto t = visible_ticket(actor, id);
    if (!t) return std::unexpected(t.error());
    auto deny = [](std::string what) {
      return fail(ErrorCode::permission_denied, "you may not change " + what + " of this ticket");
    };
    bool fields = p.impact || p.urgency || p.category || p.tags;
    if (fields && !may(actor, TicketAction::update, *t)) return deny("the fields");
    if (p.status && !may(actor, TicketAction::set_status, *t)) return deny("the status");
    if (p.assignee && !may(actor, TicketAction::assign, *t)) return deny("the assignee");
    if (p.vendor_reference && !may(actor, TicketAction::set_vendor_reference, *t))
      return deny("the vendor reference");

    Timestamp now = clock_.now();
    TicketChange change;
    change.ticket = *t;
    auto applied = apply_patch(store_, change, p, now, "update",
                               [&](std::string_view type, json::object payload) {
                                 return make_event(type, actor, now, std::move(payload));
                               });
    if (!applied) return std::unexpected(applied.error());
    if (!*applied) return *t;  // nothing to record
    auto committed = commit(change, now);
    if (!committed) return std::unexpected(committed.error());
    return committed->ticket;
  });
}

Result<MovedTicket> TicketService::move(
    const Actor& actor, TicketId id, TicketAction action,
    const std::function<Result<TicketMove>(const Ticket&)>& plan) {
  std::lock_guard lock(lock_for(id));
  return with_retry([&]() -> Result<MovedTicket> {
    auto t = visible_ticket(actor, id);
    if (!t) return std::unexpected(t.error());
    if (!may(actor, action, *t))
      return fail(ErrorCode::permission_denied,
                  "only the team holding the ticket (or a supervisor) may " +
                      std::string(action == TicketAction::return_ ? "return" : name_of(action)) +
                      " it");
    auto planned = plan(*t);
    if (!planned) return std::unexpected(planned.error());
    Timestamp now = clock_.now();
    TicketChange change;
    change.ticket = *t;
    apply_move(change.ticket, *planned);
    change.ticket.updated_at = now;
    change.new_events.push_back(
        make_event(move_event_type(planned->kind), actor, now, move_payload(*planned)));
    if (auto ok = assign_automatically(store_, change, now); !ok)
      return std::unexpected(ok.error());
    auto committed = commit(change, now);
    if (!committed) return std::unexpected(committed.error());
    return MovedTicket{committed->ticket, RecordedMove{*planned, actor.user.id, now}};
  });
}

Result<MovedTicket> TicketService::escalate(const Actor& actor, TicketId id,
                                            const EscalationRequest& req) {
  if (!is_ticket_line(req.to_line)) return invalid_field("to_line", "must be a line from 1 to 4");
  if (is_blank(req.handoff_note))
    return invalid_field("handoff_note", "required: say what was already tried");
  Result<Team> target = req.to_team ? store_.team(*req.to_team) : default_team_at(req.to_line);
  if (!target) {
    if (target.error().code == ErrorCode::not_found)
      return invalid_field("to_team", "no team " + std::to_string(*req.to_team));
    return std::unexpected(target.error());
  }
  return move(actor, id, TicketAction::escalate, [&](const Ticket& t) {
    return plan_escalation(t, req.to_line, *target, req.reason, req.handoff_note);
  });
}

Result<MovedTicket> TicketService::transfer(const Actor& actor, TicketId id,
                                            const TransferRequest& req) {
  auto target = store_.team(req.to_team);
  if (!target) return invalid_field("to_team", "no team " + std::to_string(req.to_team));
  return move(actor, id, TicketAction::transfer,
              [&](const Ticket& t) { return plan_transfer(t, *target, req.note); });
}

Result<MovedTicket> TicketService::return_to(const Actor& actor, TicketId id,
                                             const ReturnRequest& req) {
  if (req.to_line && !is_ticket_line(*req.to_line))
    return invalid_field("to_line", "must be a line from 1 to 4");
  if (is_blank(req.note)) return invalid_field("note", "required: say why the ticket comes back");
  return move(actor, id, TicketAction::return_, [&](const Ticket& t) -> Result<TicketMove> {
    Result<Team> target = fail(ErrorCode::internal, "unset");
    int line = req.to_line.value_or(1);
    if (req.to_team) {
      target = store_.team(*req.to_team);
      if (!target) return invalid_field("to_team", "no team " + std::to_string(*req.to_team));
      if (req.to_line && target->line != *req.to_line)
        return invalid_field("to_team", "team '" + target->name + "' is not at line " +
                                            std::to_string(*req.to_line));
    } else if (line == 1 && t.origin_team != 0) {
      target = store_.team(t.origin_team);
    } else {
      target = default_team_at(line);
    }
    if (!target) return std::unexpected(target.error());
    return plan_return(t, *target, req.note);
  });
}

}  // namespace fl
