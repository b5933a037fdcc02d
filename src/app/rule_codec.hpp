// Rules as JSON: the form the store keeps them in (ConfigDocument bodies) and the API's
// request and response bodies. Decoding collects every problem, each named by its JSON path;
// validate() (core/rule.hpp) is the caller's.
//
// {"name", "description", "active",
//  "on": ["created", "entry_added", ...]                     a trigger rule, or
//  "wait": {"statuses": ["resolved"], "after_minutes": 10080, "calendar_id": 1}   a time-based one,
//  "conditions": [{"field": "priority", "op": "at_least", "values": ["P2"]}],
//  "actions": [{"type": "set_status", "status": "closed"},
//              {"type": "set_priority", "impact": 1, "urgency": 2},
//              {"type": "set_category", "category": "network"},
//              {"type": "add_tag" | "remove_tag", "tag": "vip"},
//              {"type": "assign", "to": "auto" | "nobody" | USER_ID},
//              {"type": "notify", "recipients": ["assignee", "team", "supervisors"],
//               "user_id": 5, "text": {"en": "...", "de": "..."}},
//              {"type": "reply" | "note", "text": {"en": "...", "de": "..."}},
//              {"type": "webhook", "webhook_id": 3}]}
// "id", "version", "updated_at" and "time_based" (which the API adds) are accepted and
// ignored on input, so a client can send back what it read.
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/rule.hpp"

namespace fl {

[[nodiscard]] std::string encode_rule(const Rule& rule);
[[nodiscard]] Result<Rule> decode_rule(std::string_view json);

}  // namespace fl
