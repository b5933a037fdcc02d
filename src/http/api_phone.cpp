#include "http/api_phone.hpp"

#include <algorithm>
#include <chrono>
#include <mutex>

#include "core/phone.hpp"
#include "http/api_common.hpp"
#include "http/json_mapping.hpp"
#include "http/phone_json.hpp"

namespace fl::http {

namespace json = boost::json;

namespace {

// A token bucket over every sender: a phone system in a loop must not flood agents' screens.
class EventRate {
 public:
  EventRate(double per_second, double burst)
      : per_second_(per_second), burst_(burst), tokens_(burst) {}
  bool take() {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    const std::chrono::duration<double> passed = now - last_;
    last_ = now;
    tokens_ = std::min(burst_, tokens_ + passed.count() * per_second_);
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
  }

 private:
  std::mutex mutex_;
  const double per_second_;
  const double burst_;
  double tokens_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

bool printable(std::string_view s) {
  return std::ranges::all_of(s, [](char c) { return c >= 0x20 && c != 0x7f; });
}

// The CTI body, every field checked; what is wrong is collected into one 422.
std::expected<CallSignal, Response> read_signal(const Request& r) {
  auto body = JsonBody::parse(r);
  if (!body) return std::unexpected(body.error());
  CallSignal s;
  auto phase = body->enumeration<CallPhase>("event", true);
  auto call_id = body->string("call_id", true);
  auto caller = body->string("caller");
  auto extension = body->string("extension", true);
  auto duration = body->integer("duration_seconds");
  auto at = body->string("at");
  if (call_id && (call_id->empty() || call_id->size() > 128 || !printable(*call_id)))
    body->error("call_id", "1 to 128 printable characters");
  if (caller && (caller->size() > 64 || !printable(*caller)))
    body->error("caller", "at most 64 printable characters");
  if (extension && !is_extension(*extension)) body->error("extension", "1 to 16 digits");
  if (duration && (*duration < 0 || *duration > 7 * 24 * 3600))
    body->error("duration_seconds", "0 to 604800");
  if (duration && phase && *phase != CallPhase::ended)
    body->error("duration_seconds", "only for an ended call");
  std::optional<Timestamp> when;
  if (at) {
    when = parse_rfc3339(*at);
    if (!when) body->error("at", "an RFC 3339 time, e.g. 2026-11-27T10:55:00Z");
  }
  if (auto ok = body->finish(); !ok) return std::unexpected(problem(ok.error()));
  s.phase = *phase;
  s.call_id = *call_id;
  s.caller = caller.value_or("");
  s.extension = *extension;
  s.at = when;
  if (duration) s.duration_seconds = static_cast<int>(*duration);
  return s;
}

}  // namespace

std::optional<Timestamp> parse_rfc3339(std::string_view text) {
  if (text.size() > 64) return std::nullopt;
  std::string s(text);
  if (!s.empty() && (s.back() == 'z')) s.back() = 'Z';
  if (s.size() > 10 && s[10] == 't') s[10] = 'T';
  // An offset: "+hh:mm" or "-hh:mm" at the end of a date-time.
  std::chrono::minutes offset{0};
  if (s.size() >= 25 && (s[s.size() - 6] == '+' || s[s.size() - 6] == '-') &&
      s[s.size() - 3] == ':') {
    const std::string_view o = std::string_view(s).substr(s.size() - 5);
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (!digit(o[0]) || !digit(o[1]) || !digit(o[3]) || !digit(o[4])) return std::nullopt;
    const int hours = (o[0] - '0') * 10 + (o[1] - '0');
    const int minutes = (o[3] - '0') * 10 + (o[4] - '0');
    if (hours > 23 || minutes > 59) return std::nullopt;
    offset = std::chrono::minutes(hours * 60 + minutes);
    if (s[s.size() - 6] == '-') offset = -offset;
    s.resize(s.size() - 6);
    s += 'Z';
  }
  if (s.size() <= 10) return std::nullopt;  // a date alone is not a time of a call
  auto t = parse_time(s);
  if (!t) return std::nullopt;
  return *t - offset;
}

void add_phone_routes(Router& router, AuthService& auth, DirectoryService& directory,
                      Telephony& telephony, PhoneRouteOptions options) {
  router.add("GET", "/api/v1/callers",
             [&auth, &directory, &telephony](const Request& r, const PathParams&) {
               auto session = auth.authenticate(r.authorization);
               if (!session) return problem(session.error());
               auto number = r.param("number");
               if (!number || number->empty())
                 return problem(Error{ErrorCode::invalid_argument,
                                      "number: required",
                                      {{"number", "required: the caller's phone number"}}});
               auto card = telephony.look_up_caller(**session, *number);
               if (!card) return problem(card.error());
               auto teams = directory.all_teams();
               if (!teams) return problem(teams.error());
               return json_response(200, to_json(*card, **teams));
             });

  auto rate =
      std::make_shared<EventRate>(options.cti_events_per_second, 4 * options.cti_events_per_second);
  router.add(
      "POST", "/api/v1/cti/events",
      [&telephony, options, rate](const Request& r, const PathParams&) {
        if (options.cti_token.empty())
          return problem(404, "the CTI webhook is off: set cti.token to turn it on");
        constexpr std::string_view scheme = "Bearer ";
        const std::string_view given = std::string_view(r.authorization).starts_with(scheme)
                                           ? std::string_view(r.authorization).substr(scheme.size())
                                           : std::string_view{};
        if (!same_secret(given, options.cti_token)) {
          Response p =
              problem(401, "send the configured CTI token: Authorization: Bearer <cti.token>");
          p.headers.emplace_back("WWW-Authenticate", "Bearer");
          return p;
        }
        if (r.body.size() > options.cti_body_limit)
          return problem(
              413, "a call event is at most " + std::to_string(options.cti_body_limit) + " bytes");
        if (!rate->take()) {
          Response p =
              problem(Error{ErrorCode::resource_exhausted, "too many call events: slow down"});
          p.headers.emplace_back("Retry-After", "1");
          return p;
        }
        auto signal = read_signal(r);
        if (!signal) return signal.error();
        auto delivery = telephony.take_call(*signal);
        if (!delivery) return problem(delivery.error());
        json::object out{{"agents", json::array(delivery->agents.begin(), delivery->agents.end())},
                         {"clients", delivery->clients}};
        if (delivery->agents.empty())
          out["note"] =
              "no active staff member has extension " + signal->extension + ": nobody told";
        else if (delivery->clients == 0)
          out["note"] = "the agent is not connected to the live feed: nobody told";
        return json_response(202, out);
      });
}

}  // namespace fl::http
