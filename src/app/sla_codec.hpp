// Business calendars and SLA policies as JSON: the form the store keeps them in (ConfigDocument
// bodies) and the API's request and response bodies. Durations are whole minutes of
// business time; times of day "HH:MM" (24:00 ends a day); holidays "MM-DD" (every year) or
// "YYYY-MM-DD" (that date). Decoding collects every problem, each named by its JSON path.
//
// Calendar: {"name", "time_zone", "week": {"mon": [["08:00","17:00"]], ..., "sun": []},
//            "holidays": [{"date": "12-25", "name": "..."}]}
// Policy:   {"name", "rank", "active", "calendar_id", "applies_to": {"organizations": [ids],
//            "priorities": ["P1"], "categories": [...], "channels": [...]},
//            "targets": {"P1": {"first_response_minutes", "next_response_minutes",
//            "resolution_minutes", "calendar_id"}, ...},
//            "line_targets": [{"line", "team_id", "respond_minutes", "resolve_minutes"}],
//            "pause_on": ["pending_customer", "pending_vendor"],
//            "ladder": [{"metric", "percent", "notify_assignee", "notify_supervisor",
//            "raise_priority", "escalate_to_team_id"}]}
// The document's id and version are not part of the body; "id", "version" and "updated_at"
// are accepted and ignored on input, so a client can send back what it read.
#pragma once

#include <string>
#include <string_view>

#include "core/business_calendar.hpp"
#include "core/error.hpp"
#include "core/sla.hpp"

namespace fl {

[[nodiscard]] std::string encode_calendar(const BusinessCalendar& calendar);
// Shape and values only; validate() is the caller's (as is the time zone's existence).
[[nodiscard]] Result<BusinessCalendar> decode_calendar(std::string_view json);

[[nodiscard]] std::string encode_policy(const SlaPolicy& policy);
[[nodiscard]] Result<SlaPolicy> decode_policy(std::string_view json);

}  // namespace fl
