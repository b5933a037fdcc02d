#include "http/json_mapping.hpp"

#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <string_view>

#include "core/result_cache.hpp"
#include "markdown/markdown.hpp"

namespace fl::http {

namespace json = boost::json;

std::optional<Timestamp> parse_time(std::string_view text) {
  using namespace std::chrono;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, ms = 0;
  std::string s(text);
  int used = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3 || used != 10)
    return std::nullopt;
  if (s.size() > 10) {
    int more = 0;
    if (std::sscanf(s.c_str() + 10, "T%2d:%2d:%2d%n", &h, &mi, &sec, &more) != 3 || more != 9)
      return std::nullopt;
    std::string_view rest = std::string_view(s).substr(19);
    if (rest.starts_with(".")) {
      if (rest.size() < 5 || std::sscanf(rest.data(), ".%3d", &ms) != 1) return std::nullopt;
      rest.remove_prefix(4);
    }
    if (rest != "Z") return std::nullopt;
    if (h > 23 || mi > 59 || sec > 59) return std::nullopt;
  }
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                           day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return Timestamp{sys_days{ymd}.time_since_epoch() + hours{h} + minutes{mi} + seconds{sec} +
                   milliseconds{ms}};
}

namespace {

json::value optional_id(const std::optional<std::int64_t>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::object team_ref(TeamId id, std::span<const Team> teams) {
  json::object o{{"id", id}};
  for (const auto& t : teams)
    if (t.id == id) o["name"] = t.name;
  return o;
}

}  // namespace

json::object to_json(const User& u) {
  return {{"id", u.id},
          {"login", u.login},
          {"name", u.name},
          {"email", u.email},
          {"role", name_of(u.role)},
          {"organization_id", optional_id(u.organization)},
          {"team_ids", json::array(u.teams.begin(), u.teams.end())},
          {"language", u.language},
          {"active", u.active},
          {"availability", name_of(u.availability)},
          {"skills", json::array(u.skills.begin(), u.skills.end())},
          {"phone", u.phone},
          {"extension", u.extension},
          {"created_at", format_time(u.created_at)}};
}

json::object to_json(const Team& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"line", t.line},
          {"kind", name_of(t.kind)},
          {"organization_ids",
           json::array(t.served_organizations.begin(), t.served_organizations.end())},
          {"assignment", name_of(t.assignment)},
          {"skill_routing", t.skill_routing},
          {"created_at", format_time(t.created_at)}};
}

json::object to_json(const Organization& o) {
  return {{"id", o.id},
          {"name", o.name},
          {"domain", o.domain},
          {"customers_see_all_tickets", o.customers_see_all_tickets},
          {"created_at", format_time(o.created_at)}};
}

json::object to_json(const Ticket& t, std::span<const Team> teams, Timestamp now,
                     json::storage_ptr storage) {
  json::object o(std::move(storage));
  o.reserve(30);
  o.emplace("id", t.id);
  o.emplace("number", t.number);
  o.emplace("subject", t.subject);
  o.emplace("requester_id", t.requester);
  o.emplace("organization_id", optional_id(t.organization));
  o.emplace("channel", name_of(t.channel));
  o.emplace("category", t.category);
  o.emplace("impact", t.impact);
  o.emplace("urgency", t.urgency);
  o.emplace("priority", name_of(t.priority));
  o.emplace("status", name_of(t.status));
  o.emplace("line", t.line);
  o.emplace("team", team_ref(t.team, teams));
  o.emplace("origin_team", team_ref(t.origin_team, teams));
  o.emplace("assignee_id", optional_id(t.assignee));
  o.emplace("tags", json::array(t.tags.begin(), t.tags.end(), o.storage()));
  o.emplace("vendor_reference", t.vendor_reference);
  o.emplace("escalation_count", t.escalation_count);
  o.emplace("customer_contacts", t.customer_contacts);
  o.emplace("first_contact_resolution", first_contact_resolution(t));
  o.emplace("resolved_at",
            t.resolved_at ? json::value(format_time(*t.resolved_at)) : json::value(nullptr));
  o.emplace("created_at", format_time(t.created_at));
  o.emplace("updated_at", format_time(t.updated_at));
  o.emplace("version", t.version);
  o.emplace("sla_state", name_of(sla_state_at(t, now)));
  o.emplace("sla_due_at",
            t.sla_due_at ? json::value(format_time(*t.sla_due_at)) : json::value(nullptr));
  // With it a client moves a ticket to at_risk when the time comes, without asking again.
  o.emplace("sla_warn_at",
            t.sla_warn_at ? json::value(format_time(*t.sla_warn_at)) : json::value(nullptr));
  if (t.rating) {
    json::object rating(o.storage());
    rating.emplace("score", t.rating->score);
    rating.emplace("comment", t.rating->comment);
    rating.emplace("rated_at", format_time(t.rating->rated_at));
    o.emplace("rating", std::move(rating));
  } else {
    o.emplace("rating", nullptr);
  }
  return o;
}

json::object to_json(const SavedView& v) {
  return {{"id", v.id},
          {"owner_id", v.owner},
          {"name", v.name},
          {"query", v.query},
          {"shared", v.shared},
          {"created_at", format_time(v.created_at)},
          {"updated_at", format_time(v.updated_at)}};
}

json::object to_json(const Attachment& a, bool with_hash) {
  json::object o{
      {"id", a.id}, {"filename", a.filename}, {"size", a.size}, {"content_type", a.content_type}};
  if (with_hash) o["sha256"] = a.sha256;
  return o;
}

json::object to_json(const Entry& e) {
  json::object o{{"id", e.id},
                 {"ticket_id", e.ticket},
                 {"kind", name_of(e.kind)},
                 {"author_id", e.author},
                 {"body", e.body},
                 {"time_spent_minutes", e.time_spent_minutes},
                 {"created_at", format_time(e.created_at)}};
  if (e.call)
    o["call"] = json::object{{"direction", name_of(e.call->direction)},
                             {"duration_seconds", e.call->duration_seconds},
                             {"caller", e.call->caller}};
  else
    o["call"] = nullptr;
  json::array files;
  for (const auto& a : e.attachments) files.push_back(to_json(a));
  o["attachments"] = std::move(files);
  return o;
}

json::object to_json_mail(const OutboundMail& m) {
  return {{"id", m.id},
          {"status", mail_status(m)},
          {"attempts", m.attempts},
          {"last_error", m.last_error.empty() ? json::value(nullptr) : json::value(m.last_error)},
          {"sent_at", m.sent_at ? json::value(format_time(*m.sent_at)) : json::value(nullptr)},
          {"next_attempt_at", m.state == MailState::pending && m.next_attempt_at
                                  ? json::value(format_time(*m.next_attempt_at))
                                  : json::value(nullptr)}};
}

json::object to_json(const TimelineItem& item) {
  if (item.entry) {
    json::object o = to_json(*item.entry);
    if (item.mail) o["mail"] = to_json_mail(*item.mail);
    return o;
  }
  const Event& ev = *item.event;
  boost::system::error_code ec;
  json::value payload = json::parse(ev.payload, ec);
  if (ec) payload = json::object{};
  return {{"id", ev.id},
          {"kind", "event"},
          {"author_id", optional_id(ev.actor)},
          {"body", ""},
          {"call", nullptr},
          {"created_at", format_time(ev.at)},
          {"event", json::object{{"type", ev.type}, {"payload", std::move(payload)}}}};
}

json::object to_json(const RecordedMove& m) {
  json::object o{{"kind", name_of(m.move.kind)},  {"from_line", m.move.from_line},
                 {"from_team", m.move.from_team}, {"to_line", m.move.to_line},
                 {"to_team", m.move.to_team},     {"note", m.move.note},
                 {"actor_id", m.actor},           {"at", format_time(m.at)}};
  o["reason"] = m.move.reason ? json::value(name_of(*m.move.reason)) : json::value(nullptr);
  return o;
}

json::object to_json(const Credential& c) {
  json::object o{{"id", c.id},
                 {"name", c.name},
                 {"created_at", format_time(c.created_at)},
                 {"revoked", c.revoked}};
  o["expires_at"] = c.expires_at ? json::value(format_time(*c.expires_at)) : json::value(nullptr);
  return o;
}

json::object to_json(const Category& c) {
  return {{"id", c.id}, {"name", c.name}, {"parent_id", optional_id(c.parent)}};
}

namespace {

// Rendering a long article costs about as much as the rest of its request (cmark-gfm parses
// under a global lock): the HTML of recently read versions is kept. A version's body never
// changes, and the key also holds the body's size and hash, so an entry cannot go stale.
std::shared_ptr<const std::string> article_html(const Article& a) {
  static ResultCache<std::string> cache(256);
  std::string key = std::to_string(a.id) + ":" + std::to_string(a.version) + ":" +
                    std::to_string(a.body.size()) + ":" +
                    std::to_string(std::hash<std::string_view>{}(a.body));
  if (auto html = cache.find(key, 1)) return html;
  auto html = std::make_shared<const std::string>(render_markdown(a.body));
  cache.put(std::move(key), 1, html);
  return html;
}

}  // namespace

json::object to_json(const Article& a, bool full) {
  json::object o;
  o.reserve(20);
  o.emplace("id", a.id);
  o.emplace("title", a.title);
  o.emplace("language", a.language);
  o.emplace("translation_of", optional_id(a.translation_of));
  o.emplace("category_id", optional_id(a.category));
  o.emplace("kind", name_of(a.kind));
  o.emplace("audience", name_of(a.audience));
  o.emplace("status", name_of(a.status));
  o.emplace("keywords", json::array(a.keywords.begin(), a.keywords.end()));
  o.emplace("version", a.version);
  o.emplace("author_id", a.author);
  o.emplace("created_at", format_time(a.created_at));
  o.emplace("updated_at", format_time(a.updated_at));
  o.emplace("views", a.views);
  o.emplace("helpful", a.helpful);
  o.emplace("not_helpful", a.not_helpful);
  if (full) {
    o.emplace("body", a.body);
    o.emplace("body_html", *article_html(a));
  }
  return o;
}

}  // namespace fl::http
