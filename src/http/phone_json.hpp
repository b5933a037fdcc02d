// The JSON of the phone features (docs/telephony.md, docs/api/openapi.yaml): the caller card
// of GET /api/v1/callers and the live feed's "call" message.
#pragma once

#include <boost/json.hpp>
#include <span>

#include "app/telephony.hpp"

namespace fl::http {

// {"number","user","users","organization","open_tickets","organization_open_tickets"}; `user`
// is the first of `users` (the likely caller) or null.
[[nodiscard]] boost::json::object to_json(const CallerCard& card, std::span<const Team> teams);

// {"event","call_id","caller","extension","at","duration_seconds"}: the call itself.
[[nodiscard]] boost::json::object call_json(const CallPop& pop);

}  // namespace fl::http
