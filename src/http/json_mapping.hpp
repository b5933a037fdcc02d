// The API's JSON shapes of the domain's records (docs/api/openapi.yaml describes them).
#pragma once

#include <boost/json.hpp>
#include <span>

#include "app/ticket_service.hpp"
#include "core/article.hpp"
#include "core/directory.hpp"
#include "store/store.hpp"

namespace fl::http {

// format_time (RFC 3339) is core/time.hpp's.
// "2026-11-27" (midnight UTC) or "2026-11-27T03:55:00Z" / "...T03:55:00.123Z".
[[nodiscard]] std::optional<Timestamp> parse_time(std::string_view text);

[[nodiscard]] boost::json::object to_json(const User& u);
[[nodiscard]] boost::json::object to_json(const Team& t);
[[nodiscard]] boost::json::object to_json(const Organization& o);
// `teams` resolves team ids to names; a team missing from it is shown by id only. `now`
// judges the SLA state (core sla_state_at).
// `storage`: where the JSON lives (a monotonic resource for a page of tickets saves
// thousands of small allocations).
[[nodiscard]] boost::json::object to_json(const Ticket& t, std::span<const Team> teams,
                                          Timestamp now, boost::json::storage_ptr storage = {});
[[nodiscard]] boost::json::object to_json(const SavedView& v);
// An attachment as entries and uploads show it; `with_hash` adds sha256 (the upload's answer).
[[nodiscard]] boost::json::object to_json(const Attachment& a, bool with_hash = false);
[[nodiscard]] boost::json::object to_json(const Entry& e);
[[nodiscard]] boost::json::object to_json(const TimelineItem& item);
// A reply's mail as staff see it on the entry (EntryMail): id, status, attempts, last_error,
// sent_at, next_attempt_at.
[[nodiscard]] boost::json::object to_json_mail(const OutboundMail& mail);
[[nodiscard]] boost::json::object to_json(const RecordedMove& m);
[[nodiscard]] boost::json::object to_json(const Credential& c);
[[nodiscard]] boost::json::object to_json(const Category& c);
// `full`: with the Markdown body and its sanitised HTML; otherwise a summary for lists.
[[nodiscard]] boost::json::object to_json(const Article& a, bool full);

}  // namespace fl::http
