#include "app/ticket_filters.hpp"

#include <algorithm>
#include <boost/url/encoding_opts.hpp>
#include <boost/url/parse_query.hpp>
#include <charconv>
#include <ranges>

namespace fl {

namespace {

constexpr int kMaxPage = 200;
constexpr std::size_t kMaxTags = 10;

std::optional<std::int64_t> positive(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

std::optional<std::int64_t> integer(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// A comma list of wire names; every unknown one is an error naming the field.
template <class E>
std::vector<E> names_in(std::string_view list, std::string_view field,
                        std::vector<FieldError>& errors) {
  std::vector<E> out;
  while (!list.empty()) {
    auto comma = list.find(',');
    if (auto v = parse_name<E>(list.substr(0, comma)))
      out.push_back(*v);
    else
      errors.push_back({std::string(field), "one of: " + allowed_names<E>()});
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
  }
  return out;
}

constexpr std::string_view kSortNames[] = {"newest", "oldest", "sla_due"};
constexpr std::string_view kViewNames[] = {"line",     "team",   "requester", "organization",
                                           "assignee", "status", "priority",  "sla",
                                           "tag",      "sort"};

}  // namespace

Result<TicketQuery> ticket_query_from(const QueryParameters& parameters, UserId me) {
  TicketQuery q;
  std::vector<FieldError> errors;
  auto first = [&](std::string_view name) -> std::optional<std::string_view> {
    for (const auto& [k, v] : parameters)
      if (k == name) return std::string_view(v);
    return std::nullopt;
  };
  auto id_param = [&](std::string_view name) -> std::optional<std::int64_t> {
    auto v = first(name);
    if (!v) return std::nullopt;
    auto id = positive(*v);
    if (!id) errors.push_back({std::string(name), "must be a positive integer"});
    return id;
  };
  if (auto line = id_param("line")) {
    if (*line > 4)
      errors.push_back({"line", "1 to 4"});
    else
      q.line = static_cast<int>(*line);
  }
  q.team = id_param("team");
  q.requester = id_param("requester");
  q.organization = id_param("organization");
  if (auto limit = id_param("limit")) {
    if (*limit > kMaxPage) errors.push_back({"limit", "at most 200"});
    q.limit = static_cast<int>(std::min<std::int64_t>(*limit, kMaxPage));
  }
  if (auto a = first("assignee")) {
    if (*a == "none")
      q.unassigned = true;
    else if (*a == "me")
      q.assignee = me;
    else if (auto id = positive(*a))
      q.assignee = *id;
    else
      errors.push_back({"assignee", "a user id, 'me' or 'none'"});
  }
  if (auto v = first("status")) q.statuses = names_in<TicketStatus>(*v, "status", errors);
  if (auto v = first("priority")) q.priorities = names_in<Priority>(*v, "priority", errors);
  if (auto v = first("sla")) q.sla_states = names_in<SlaState>(*v, "sla", errors);
  // Repeated (tag=vpn&tag=printer) or a comma list (tag=vpn,printer): no tag holds a comma.
  for (const auto& [k, v] : parameters)
    if (k == "tag")
      for (auto part : std::views::split(std::string_view(v), ','))
        if (!part.empty()) q.tags.emplace_back(part.begin(), part.end());
  if (q.tags.size() > kMaxTags) errors.push_back({"tag", "at most 10 tags"});
  if (auto sort = first("sort")) {
    if (*sort == "newest")
      q.order = TicketOrder::newest_first;
    else if (*sort == "oldest")
      q.order = TicketOrder::oldest_first;
    else if (*sort == "sla_due")
      q.order = TicketOrder::sla_due_first;
    else
      errors.push_back({"sort", "one of: newest, oldest, sla_due"});
  }
  if (auto c = first("cursor")) {
    bool ok = false;
    if (q.order == TicketOrder::sla_due_first) {
      // "<due time in ms>.<id>", or "none.<id>" for a ticket listed without a due time.
      if (auto dot = c->find('.'); dot != std::string_view::npos) {
        auto due = c->substr(0, dot);
        auto id = positive(c->substr(dot + 1));
        auto ms = integer(due);
        if (id && (due == "none" || ms)) {
          ok = true;
          q.after = *id;
          if (ms) q.after_sla_due = from_millis(*ms);
        }
      }
    } else if (auto id = positive(*c)) {
      ok = true;
      q.after = *id;
    }
    if (!ok) errors.push_back({"cursor", "not a cursor returned by this API for this sort"});
  }
  if (!errors.empty()) return invalid_fields(std::move(errors));
  return q;
}

Result<QueryParameters> view_parameters(std::string_view query_string) {
  if (!query_string.empty() && query_string.front() == '?') query_string.remove_prefix(1);
  auto parsed = boost::urls::parse_query(query_string);
  if (!parsed) return invalid_field("query", "not a URL query string");
  boost::urls::encoding_opts as_in_forms;
  as_in_forms.space_as_plus = true;
  QueryParameters out;
  for (const auto& p : *parsed) {
    std::string key = p.key.decode(as_in_forms);
    if (std::ranges::find(kViewNames, std::string_view(key)) == std::end(kViewNames))
      return invalid_field("query", "'" + key +
                                        "' is not a filter of the ticket list (line, team, "
                                        "requester, organization, assignee, status, priority, "
                                        "sla, tag, sort)");
    out.emplace_back(std::move(key), p.has_value ? p.value.decode(as_in_forms) : std::string());
  }
  // The same checks as the list's (with `me` for anyone: it stays `me` in the string).
  if (auto q = ticket_query_from(out, 1); !q) {
    std::string reasons;
    for (const auto& f : q.error().fields)
      reasons += (reasons.empty() ? "" : "; ") + f.field + ": " + f.message;
    return invalid_field("query", reasons);
  }
  return out;
}

std::optional<std::string> next_cursor(const TicketPage& page, TicketOrder order) {
  if (!page.next || page.tickets.empty()) return std::nullopt;
  if (order != TicketOrder::sla_due_first) return std::to_string(*page.next);
  const Ticket& last = page.tickets.back();
  return (last.sla_due_at ? std::to_string(to_millis(*last.sla_due_at)) : std::string("none")) +
         "." + std::to_string(last.id);
}

}  // namespace fl
