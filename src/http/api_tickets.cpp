// Tickets, their timeline, and moves between lines and teams.
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "app/ticket_filters.hpp"
#include "http/api_common.hpp"
#include "http/json_mapping.hpp"

namespace fl::http {

namespace json = boost::json;

namespace {

std::shared_ptr<const std::vector<Team>> team_names(ApiServices& s) {
  auto teams = s.directory.all_teams();
  return teams ? *teams : std::make_shared<const std::vector<Team>>();
}

Response ticket_response(ApiServices& s, int status, const Ticket& t) {
  unsigned char buffer[4096];  // a ticket's JSON fits; the arena saves its small allocations
  json::monotonic_resource arena(buffer, sizeof buffer);
  auto r = json_response(status, to_json(t, *team_names(s), s.tickets.now(), &arena));
  if (status == 201) r.headers.emplace_back("Location", "/api/v1/tickets/" + std::to_string(t.id));
  return r;
}

Response moved_response(ApiServices& s, const Result<MovedTicket>& moved) {
  if (!moved) return problem(moved.error());
  return json_response(201, json::object{{"ticket", to_json(moved->ticket, *team_names(s), s.tickets.now())},
                                         {"move", to_json(moved->move)}});
}

// The call fields ("direction", "duration_seconds", "caller"); nullopt if none is given.
std::optional<CallDetails> read_call(JsonBody& b) {
  auto dir = b.enumeration<CallDirection>("direction");
  auto dur = b.integer("duration_seconds");
  auto caller = b.string("caller");
  if (!dir && !dur && !caller) return std::nullopt;
  CallDetails c;
  c.direction = dir.value_or(CallDirection::inbound);
  c.duration_seconds =
      static_cast<int>(std::clamp<std::int64_t>(dur.value_or(0), -1, 7 * 24 * 3600));
  c.caller = caller.value_or("");
  return c;
}

Response create_ticket(ApiServices& s, const Actor& actor, const Request& r) {
  auto body = JsonBody::parse(r);
  if (!body) return body.error();
  NewTicket t;
  t.subject = body->string("subject", true).value_or("");
  t.description = body->string("description").value_or("");
  t.requester = body->integer("requester_id");
  t.channel = body->enumeration<Channel>("channel");
  t.category = body->string("category").value_or("");
  t.impact = static_cast<int>(body->integer("impact").value_or(3));
  t.urgency = static_cast<int>(body->integer("urgency").value_or(3));
  t.tags = body->strings("tags").value_or(std::vector<std::string>{});
  t.team = body->integer("team_id");
  t.attachments = body->integers("attachment_ids").value_or(std::vector<std::int64_t>{});
  if (auto call = body->object("call")) {
    t.call = read_call(*call).value_or(CallDetails{});
    body->absorb(*call);
  }
  bool suggest = body->boolean("suggest").value_or(false);
  auto session = body->string("deflection_session");
  auto language = body->string("language");
  if (language && !is_language(*language)) body->error("language", "de or en");
  if (auto ok = body->finish(); !ok) return problem(ok.error());
  if (suggest) {
    // Line 0 first: articles that may answer it, and no ticket yet.
    auto offer = s.deflection.offer(actor, t.subject, t.description, language);
    if (!offer) return problem(offer.error());
    json::array suggestions;
    for (const auto& h : offer->articles)
      suggestions.push_back({{"id", h.id}, {"title", h.title}, {"score", h.score}, {"snippet", h.snippet}});
    return json_response(200, json::object{{"deflection_session", offer->session},
                                           {"suggestions", std::move(suggestions)}});
  }
  auto created = s.tickets.create(actor, t);
  if (!created) return problem(created.error());
  // The ticket is committed; the measurement must not turn its 201 into an error.
  std::optional<std::string_view> named;
  if (session) named = *session;
  if (auto ok = s.deflection.ticket_filed(actor, named, *created); !ok)
    spdlog::warn("deflection: ticket {} not recorded: {}", created->id, ok.error().message);
  return ticket_response(s, 201, *created);
}

Response list_tickets(ApiServices& s, const Actor& actor, const Request& r) {
  auto query = ticket_query_from(r.query, actor.user.id);
  if (!query) return problem(query.error());
  auto page = s.tickets.list(actor, *query);
  if (!page) return problem(page.error());
  auto teams = team_names(s);
  const Timestamp now = s.tickets.now();
  json::monotonic_resource arena;
  json::storage_ptr storage(&arena);
  json::array items(storage);
  items.reserve(page->tickets.size());
  for (const auto& t : page->tickets) items.push_back(to_json(t, *teams, now, storage));
  json::object o(storage);
  o.emplace("items", std::move(items));
  auto next = next_cursor(*page, query->order);
  o.emplace("next_cursor", next ? json::value(*next) : json::value(nullptr));
  return json_response(200, o);
}

Response rate_ticket(ApiServices& s, const Actor& actor, TicketId id, const Request& r) {
  auto body = JsonBody::parse(r);
  if (!body) return body.error();
  RatingRequest rating;
  rating.score = static_cast<int>(std::clamp<std::int64_t>(
      body->integer("score", true).value_or(0), -1, 6));  // outside 1..5 stays outside
  rating.comment = body->string("comment").value_or("");
  if (auto ok = body->finish(); !ok) return problem(ok.error());
  auto t = s.tickets.rate(actor, id, rating);
  if (!t) return problem(t.error());
  return ticket_response(s, 200, *t);
}

Response patch_ticket(ApiServices& s, const Actor& actor, TicketId id, const Request& r) {
  auto body = JsonBody::parse(r);
  if (!body) return body.error();
  TicketPatch p;
  p.status = body->enumeration<TicketStatus>("status");
  if (body->has("assignee_id")) {
    if (body->is_null("assignee_id"))
      p.assignee = std::optional<UserId>{};
    else if (auto a = body->integer("assignee_id"))
      p.assignee = std::optional<UserId>{*a};
  }
  if (auto v = body->integer("impact")) p.impact = static_cast<int>(*v);
  if (auto v = body->integer("urgency")) p.urgency = static_cast<int>(*v);
  p.category = body->string("category");
  p.tags = body->strings("tags");
  p.vendor_reference = body->string("vendor_reference");
  if (auto ok = body->finish(); !ok) return problem(ok.error());
  auto t = s.tickets.update(actor, id, p);
  if (!t) return problem(t.error());
  return ticket_response(s, 200, *t);
}

Response add_entry(ApiServices& s, const Actor& actor, TicketId id, const Request& r) {
  auto body = JsonBody::parse(r);
  if (!body) return body.error();
  NewEntry e;
  e.kind = body->enumeration<EntryKind>("kind", true).value_or(EntryKind::reply);
  e.body = body->string("body").value_or("");
  e.attachments = body->integers("attachment_ids").value_or(std::vector<std::int64_t>{});
  e.time_spent_minutes = static_cast<int>(body->integer("time_spent_minutes").value_or(0));
  auto call = read_call(*body);
  if (e.kind == EntryKind::call) {
    if (!body->has("direction"))
      body->error("direction", "required for a call: inbound or outbound");
    e.call = call;
  }
  if (auto ok = body->finish(); !ok) return problem(ok.error());
  auto entry = s.tickets.add_entry(actor, id, e);
  if (!entry) return problem(entry.error());
  return json_response(201, to_json(*entry));
}

Response escalate(ApiServices& s, const Actor& actor, TicketId id, const Request& r) {
  auto body = JsonBody::parse(r);
  if (!body) return body.error();
  EscalationRequest e;
  e.to_line = static_cast<int>(body->integer("to_line", true).value_or(0));
  e.to_team = body->integer("to_team");
  e.reason = body->enumeration<EscalationReason>("reason", true)
                 .value_or(EscalationReason::needs_expertise);
  auto note = body->string("handoff_note");
  if (!note || is_blank(*note)) body->error("handoff_note", "required: say what was already tried");
  e.handoff_note = note.value_or("");
  if (auto ok = body->finish(); !ok) return problem(ok.error());
  return moved_response(s, s.tickets.escalate(actor, id, e));
}

Response transfer(ApiServices& s, const Actor& actor, TicketId id, const Request& r) {
  auto body = JsonBody::parse(r);
  if (!body) return body.error();
  TransferRequest t;
  t.to_team = body->integer("to_team", true).value_or(0);
  t.note = body->string("note").value_or("");
  if (auto ok = body->finish(); !ok) return problem(ok.error());
  return moved_response(s, s.tickets.transfer(actor, id, t));
}

Response return_ticket(ApiServices& s, const Actor& actor, TicketId id, const Request& r) {
  auto body = JsonBody::parse(r);
  if (!body) return body.error();
  ReturnRequest ret;
  if (auto l = body->integer("to_line")) ret.to_line = static_cast<int>(*l);
  ret.to_team = body->integer("to_team");
  auto note = body->string("note");
  if (!note || is_blank(*note)) body->error("note", "required: say why the ticket comes back");
  ret.note = note.value_or("");
  if (auto ok = body->finish(); !ok) return problem(ok.error());
  return moved_response(s, s.tickets.return_to(actor, id, ret));
}

// Authenticates, parses the ticket id, then runs the handler.
template <class Fn>
Handler on_ticket(ApiServices& s, Fn fn) {
  return [&s, fn](const Request& r, const PathParams& p) -> Response {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    const Actor& actor = **session;
    auto id = parse_id(p[0]);
    if (!id) return bad_id("ticket");
    return fn(s, actor, *id, r);
  };
}

}  // namespace

void add_ticket_routes(Router& router, ApiServices& s) {
  router.add("POST", "/api/v1/tickets", [&s](const Request& r, const PathParams&) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    const Actor& actor = **session;
    return create_ticket(s, actor, r);
  });
  router.add(
      "GET", "/api/v1/tickets",
      [&s](const Request& r, const PathParams&) {
        auto session = s.auth.authenticate(r.authorization);
        if (!session) return problem(session.error());
        const Actor& actor = **session;
        return list_tickets(s, actor, r);
      },
      Execution::quick);
  router.add("GET", "/api/v1/tickets/{id}",
             on_ticket(s,
                       [](ApiServices& s, const Actor& a, TicketId id, const Request&) {
                         auto t = s.tickets.get(a, id);
                         if (!t) return problem(t.error());
                         return ticket_response(s, 200, *t);
                       }),
             Execution::quick);
  router.add("PATCH", "/api/v1/tickets/{id}", on_ticket(s, patch_ticket));
  router.add("GET", "/api/v1/tickets/{id}/entries",
             on_ticket(s,
                       [](ApiServices& s, const Actor& a, TicketId id, const Request&) {
                         auto items = s.tickets.timeline(a, id);
                         if (!items) return problem(items.error());
                         json::array out;
                         for (const auto& i : *items) out.push_back(to_json(i));
                         return json_response(200, json::object{{"items", std::move(out)}});
                       }),
             Execution::quick);
  router.add("POST", "/api/v1/tickets/{id}/entries", on_ticket(s, add_entry));
  router.add("POST", "/api/v1/tickets/{id}/escalations", on_ticket(s, escalate));
  router.add("POST", "/api/v1/tickets/{id}/transfers", on_ticket(s, transfer));
  router.add("POST", "/api/v1/tickets/{id}/returns", on_ticket(s, return_ticket));
  router.add("PUT", "/api/v1/tickets/{id}/rating", on_ticket(s, rate_ticket));
  router.add("POST", "/api/v1/tickets/{id}/mail/{mail_id}/resend",
             [&s](const Request& r, const PathParams& p) {
               auto session = s.auth.authenticate(r.authorization);
               if (!session) return problem(session.error());
               auto ticket = parse_id(p[0]);
               if (!ticket) return bad_id("ticket");
               auto mail = parse_id(p[1]);
               if (!mail) return bad_id("mail");
               auto m = s.tickets.resend_mail(**session, *ticket, *mail);
               if (!m) return problem(m.error());
               return json_response(202, to_json_mail(*m));
             });
}

}  // namespace fl::http
