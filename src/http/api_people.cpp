// Sessions, the current user and their API tokens; users, teams and organisations.
#include <algorithm>
#include <boost/json.hpp>

#include "http/api_common.hpp"
#include "http/json_mapping.hpp"

namespace fl::http {

namespace json = boost::json;

namespace {

template <class T>
json::object items(const std::vector<T>& records) {
  json::array a;
  for (const auto& r : records) a.push_back(to_json(r));
  return {{"items", std::move(a)}};
}

Response login(ApiServices& s, const Request& r) {
  auto body = JsonBody::parse(r);
  if (!body) return body.error();
  auto login = body->string("login", true);
  auto password = body->string("password", true);
  if (auto ok = body->finish(); !ok) return problem(ok.error());
  std::chrono::milliseconds retry{0};
  auto result = s.auth.login(*login, *password, r.remote_address, &retry);
  if (!result) {
    Response p = problem(result.error());
    if (retry.count() > 0)
      p.headers.emplace_back("Retry-After", std::to_string((retry.count() + 999) / 1000));
    return p;
  }
  return json_response(201,
                       json::object{{"token", result->token}, {"user", to_json(result->user)}});
}

// PUT bodies: every field optional, absent ones stay; null clears the organisation.
UserEdit read_user_edit(JsonBody& body) {
  UserEdit e;
  e.name = body.string("name");
  e.email = body.string("email");
  e.role = body.enumeration<Role>("role");
  e.teams = body.integers("team_ids");
  if (body.is_null("organization_id"))
    e.organization = std::optional<OrganizationId>{};
  else if (auto o = body.integer("organization_id"))
    e.organization = std::optional<OrganizationId>{*o};
  e.language = body.string("language");
  e.active = body.boolean("active");
  e.phone = body.string("phone");
  e.extension = body.string("extension");
  e.password = body.string("password");
  return e;
}

}  // namespace

void add_people_routes(Router& router, ApiServices& s) {
  router.add("POST", "/api/v1/sessions",
             [&s](const Request& r, const PathParams&) { return login(s, r); });

  router.add("DELETE", "/api/v1/sessions/current", [&s](const Request& r, const PathParams&) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    const Actor& actor = **session;
    if (auto ok = s.auth.logout(actor); !ok) return problem(ok.error());
    return no_content();
  });

  router.add(
      "GET", "/api/v1/me",
      [&s](const Request& r, const PathParams&) {
        auto session = s.auth.authenticate(r.authorization);
        if (!session) return problem(session.error());
        const Actor& actor = **session;
        json::object me = to_json(actor.user);
        json::array teams;
        for (const auto& t : actor.teams) teams.push_back(to_json(t));
        me["teams"] = std::move(teams);
        return json_response(200, me);
      },
      Execution::quick);

  router.add("GET", "/api/v1/me/tokens", [&s](const Request& r, const PathParams&) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    const Actor& actor = **session;
    auto tokens = s.auth.api_tokens(actor);
    if (!tokens) return problem(tokens.error());
    return json_response(200, items(*tokens));
  });

  router.add("POST", "/api/v1/me/tokens", [&s](const Request& r, const PathParams&) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    const Actor& actor = **session;
    auto body = JsonBody::parse(r);
    if (!body) return body.error();
    auto name = body->string("name", true);
    if (auto ok = body->finish(); !ok) return problem(ok.error());
    auto issued = s.auth.create_api_token(actor, *name);
    if (!issued) return problem(issued.error());
    json::object o = to_json(issued->credential);
    o["token"] = issued->token;
    return json_response(201, o);
  });

  router.add("DELETE", "/api/v1/me/tokens/{id}", [&s](const Request& r, const PathParams& p) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    const Actor& actor = **session;
    auto id = parse_id(p[0]);
    if (!id) return bad_id("token");
    if (auto ok = s.auth.revoke_api_token(actor, *id); !ok) return problem(ok.error());
    return no_content();
  });

  router.add("GET", "/api/v1/users", [&s](const Request& r, const PathParams&) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    const Actor& actor = **session;
    std::optional<Role> role;
    if (auto v = r.param("role")) {
      role = parse_name<Role>(*v);
      if (!role)
        return problem(Error{ErrorCode::invalid_argument,
                             "role: unknown role",
                             {{"role", "one of: " + allowed_names<Role>()}}});
    }
    auto users = s.directory.users(actor, role);
    if (!users) return problem(users.error());
    return json_response(200, items(*users));
  });

  router.add("POST", "/api/v1/users", [&s](const Request& r, const PathParams&) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    const Actor& actor = **session;
    auto body = JsonBody::parse(r);
    if (!body) return body.error();
    NewUser u;
    u.login = body->string("login", true).value_or("");
    u.name = body->string("name", true).value_or("");
    u.email = body->string("email").value_or("");
    u.role = body->enumeration<Role>("role", true).value_or(Role::customer);
    if (auto o = body->integer("organization_id")) u.organization = *o;
    u.teams = body->integers("team_ids").value_or(std::vector<std::int64_t>{});
    u.language = body->string("language").value_or("en");
    u.password = body->string("password").value_or("");
    u.phone = body->string("phone").value_or("");
    u.extension = body->string("extension").value_or("");
    if (auto ok = body->finish(); !ok) return problem(ok.error());
    auto user = s.directory.create_user(&actor, u);
    if (!user) return problem(user.error());
    auto resp = json_response(201, to_json(*user));
    resp.headers.emplace_back("Location", "/api/v1/users/" + std::to_string(user->id));
    return resp;
  });

  // Admins edit a user; what changed about the user applies to their requests at once here.
  router.add("PUT", "/api/v1/users/{id}", [&s](const Request& r, const PathParams& p) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto id = parse_id(p[0]);
    if (!id) return bad_id("user");
    auto body = JsonBody::parse(r);
    if (!body) return body.error();
    UserEdit edit = read_user_edit(*body);
    if (auto ok = body->finish(); !ok) return problem(ok.error());
    auto user = s.directory.update_user(**session, *id, edit);
    if (!user) return problem(user.error());
    s.auth.forget_user(user->id);
    return json_response(200, to_json(*user));
  });

  // Everyone edits their own name, language and phone.
  router.add("PUT", "/api/v1/me", [&s](const Request& r, const PathParams&) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto body = JsonBody::parse(r);
    if (!body) return body.error();
    ProfileEdit edit;
    edit.name = body->string("name");
    edit.language = body->string("language");
    edit.phone = body->string("phone");
    for (const char* admin_only :
         {"email", "role", "team_ids", "organization_id", "active", "extension", "login"})
      if (body->has(admin_only)) body->error(admin_only, "only an admin changes this");
    if (auto ok = body->finish(); !ok) return problem(ok.error());
    const Actor& actor = **session;
    auto user = s.directory.update_profile(actor, edit);
    if (!user) return problem(user.error());
    s.auth.forget_user(user->id);
    json::object me = to_json(*user);
    json::array teams;
    for (const auto& t : actor.teams) teams.push_back(to_json(t));
    me["teams"] = std::move(teams);
    return json_response(200, me);
  });

  router.add("PUT", "/api/v1/teams/{id}", [&s](const Request& r, const PathParams& p) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto id = parse_id(p[0]);
    if (!id) return bad_id("team");
    auto body = JsonBody::parse(r);
    if (!body) return body.error();
    TeamEdit edit;
    edit.name = body->string("name");
    if (auto line = body->integer("line"))
      edit.line = static_cast<int>(std::clamp<std::int64_t>(*line, -1, 99));
    edit.kind = body->enumeration<TeamKind>("kind");
    edit.served_organizations = body->integers("organization_ids");
    if (auto ok = body->finish(); !ok) return problem(ok.error());
    auto team = s.directory.update_team(**session, *id, edit);
    if (!team) return problem(team.error());
    return json_response(200, to_json(*team));
  });

  router.add("PUT", "/api/v1/organizations/{id}", [&s](const Request& r, const PathParams& p) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto id = parse_id(p[0]);
    if (!id) return bad_id("organization");
    auto body = JsonBody::parse(r);
    if (!body) return body.error();
    OrganizationEdit edit;
    edit.name = body->string("name");
    edit.domain = body->string("domain");
    edit.customers_see_all_tickets = body->boolean("customers_see_all_tickets");
    if (auto ok = body->finish(); !ok) return problem(ok.error());
    auto org = s.directory.update_organization(**session, *id, edit);
    if (!org) return problem(org.error());
    return json_response(200, to_json(*org));
  });

  router.add("GET", "/api/v1/teams", [&s](const Request& r, const PathParams&) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    const Actor& actor = **session;
    auto teams = s.directory.teams(actor);
    if (!teams) return problem(teams.error());
    return json_response(200, items(*teams));
  });

  router.add("POST", "/api/v1/teams", [&s](const Request& r, const PathParams&) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    const Actor& actor = **session;
    auto body = JsonBody::parse(r);
    if (!body) return body.error();
    NewTeam t;
    t.name = body->string("name", true).value_or("");
    t.line = static_cast<int>(body->integer("line", true).value_or(0));
    t.kind = body->enumeration<TeamKind>("kind").value_or(TeamKind::internal);
    t.served_organizations =
        body->integers("organization_ids").value_or(std::vector<std::int64_t>{});
    if (auto ok = body->finish(); !ok) return problem(ok.error());
    auto team = s.directory.create_team(&actor, t);
    if (!team) return problem(team.error());
    return json_response(201, to_json(*team));
  });

  // The caller's notifications, newest first, with the unread count.
  router.add("GET", "/api/v1/me/notifications", [&s](const Request& r, const PathParams&) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    const Actor& actor = **session;
    bool unread_only = false;
    if (auto u = r.param("unread")) {
      if (*u != "true" && *u != "false")
        return problem(Error{ErrorCode::invalid_argument, "unread: true or false",
                             {{"unread", "true or false"}}});
      unread_only = *u == "true";
    }
    std::optional<NotificationId> before;
    if (auto b = r.param("before")) {
      before = parse_id(*b);
      if (!before)
        return problem(Error{ErrorCode::invalid_argument, "before: a notification id",
                             {{"before", "a notification id"}}});
    }
    int limit = 50;
    if (auto l = r.param("limit")) {
      auto n = parse_id(*l);
      if (!n || *n > 200)
        return problem(Error{ErrorCode::invalid_argument, "limit: 1 to 200", {{"limit", "1 to 200"}}});
      limit = static_cast<int>(*n);
    }
    auto list = s.notifications.list(actor, unread_only, before, limit);
    if (!list) return problem(list.error());
    auto unread = s.notifications.unread(actor);
    if (!unread) return problem(unread.error());
    json::array out;
    for (const auto& n : *list) {
      json::object o{{"id", n.id},
                     {"ticket_id", n.ticket},
                     {"kind", name_of(n.kind)},
                     {"event_id", n.event},
                     {"text", n.text},
                     {"created_at", format_time(n.created_at)}};
      o["read_at"] = n.read_at ? json::value(format_time(*n.read_at)) : json::value(nullptr);
      out.push_back(std::move(o));
    }
    json::object body{{"items", std::move(out)}, {"unread", *unread}};
    if (static_cast<int>(list->size()) == limit && !list->empty())
      body["next_before"] = list->back().id;
    return json_response(200, body);
  });
  router.add("POST", "/api/v1/me/notifications/read", [&s](const Request& r, const PathParams&) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto body = JsonBody::parse(r);
    if (!body) return body.error();
    auto ids = body->integers("ids");
    bool all = body->boolean("all").value_or(false);
    if (!ids && !all) body->error("ids", "give the ids, or \"all\": true");
    if (ids && ids->empty()) body->error("ids", "must not be empty (use \"all\": true)");
    if (auto ok = body->finish(); !ok) return problem(ok.error());
    auto marked = s.notifications.mark_read(**session, all ? std::vector<NotificationId>{} : *ids);
    if (!marked) return problem(marked.error());
    return json_response(200, json::object{{"marked", *marked}});
  });

  router.add("PUT", "/api/v1/teams/{id}/routing", [&s](const Request& r, const PathParams& p) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto id = parse_id(p[0]);
    if (!id) return bad_id("team");
    auto body = JsonBody::parse(r);
    if (!body) return body.error();
    auto mode = body->enumeration<AssignmentMode>("assignment", true);
    bool skill_routing = body->boolean("skill_routing").value_or(false);
    if (auto ok = body->finish(); !ok) return problem(ok.error());
    auto team = s.directory.set_team_routing(**session, *id, *mode, skill_routing);
    if (!team) return problem(team.error());
    return json_response(200, to_json(*team));
  });

  // Availability of the caller (`me`) or of a user (supervisors, admins).
  auto set_availability = [&s](const Request& r, std::optional<UserId> id) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto body = JsonBody::parse(r);
    if (!body) return body.error();
    auto availability = body->enumeration<Availability>("availability", true);
    if (auto ok = body->finish(); !ok) return problem(ok.error());
    const Actor& actor = **session;
    auto user = s.directory.set_availability(actor, id.value_or(actor.user.id), *availability);
    if (!user) return problem(user.error());
    return json_response(200, to_json(*user));
  };
  router.add("PUT", "/api/v1/me/availability",
             [set_availability](const Request& r, const PathParams&) {
               return set_availability(r, std::nullopt);
             });
  router.add("PUT", "/api/v1/users/{id}/availability",
             [set_availability](const Request& r, const PathParams& p) {
               auto id = parse_id(p[0]);
               if (!id) return bad_id("user");
               return set_availability(r, *id);
             });
  router.add("PUT", "/api/v1/users/{id}/skills", [&s](const Request& r, const PathParams& p) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    auto id = parse_id(p[0]);
    if (!id) return bad_id("user");
    auto body = JsonBody::parse(r);
    if (!body) return body.error();
    auto skills = body->strings("skills");
    if (!skills && !body->has("skills")) body->error("skills", "required");
    if (auto ok = body->finish(); !ok) return problem(ok.error());
    auto user = s.directory.set_skills(**session, *id, *skills);
    if (!user) return problem(user.error());
    return json_response(200, to_json(*user));
  });

  router.add("GET", "/api/v1/organizations", [&s](const Request& r, const PathParams&) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    const Actor& actor = **session;
    auto orgs = s.directory.organizations(actor);
    if (!orgs) return problem(orgs.error());
    return json_response(200, items(*orgs));
  });

  router.add("POST", "/api/v1/organizations", [&s](const Request& r, const PathParams&) {
    auto session = s.auth.authenticate(r.authorization);
    if (!session) return problem(session.error());
    const Actor& actor = **session;
    auto body = JsonBody::parse(r);
    if (!body) return body.error();
    NewOrganization o;
    o.name = body->string("name", true).value_or("");
    o.domain = body->string("domain").value_or("");
    o.customers_see_all_tickets = body->boolean("customers_see_all_tickets").value_or(false);
    if (auto ok = body->finish(); !ok) return problem(ok.error());
    auto org = s.directory.create_organization(&actor, o);
    if (!org) return problem(org.error());
    return json_response(201, to_json(*org));
  });
}

}  // namespace fl::http
