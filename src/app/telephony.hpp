// The phone at the service desk (line 1): who is calling (the caller lookup, by the number the
// agent types or the phone system reports) and the phone system's call events, which pop the
// caller on the screen of the agent whose extension rings (docs/telephony.md). Calls are not
// stored: the agent decides what becomes of one (a ticket with a call entry, or nothing).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "app/directory_service.hpp"
#include "app/live_feed.hpp"
#include "core/names.hpp"
#include "store/store.hpp"

namespace fl {

// Who is calling, as one agent may see it.
struct CallerCard {
  std::string number;       // international form
  std::vector<User> users;  // the active users with that number: customers first, then by id
  std::optional<Organization> organization;  // the first user's
  // The first user's unsolved tickets (new, open, pending) the agent may see, newest first.
  std::vector<Ticket> open_tickets;
  // The organisation's other unsolved tickets the agent may see (asked for by someone else),
  // counted up to kMaxCounted.
  std::int64_t organization_open_tickets = 0;
  Timestamp as_of{};  // when it was looked up: the tickets' SLA states are judged then

  static constexpr std::size_t kMaxTickets = 20;
  static constexpr std::int64_t kMaxCounted = 1000;
};

enum class CallPhase { ringing, answered, ended };
template <>
struct EnumNames<CallPhase> {
  static constexpr std::array<std::pair<CallPhase, std::string_view>, 3> table{{
      {CallPhase::ringing, "ringing"},
      {CallPhase::answered, "answered"},
      {CallPhase::ended, "ended"},
  }};
};

// A phone system's report about a call (the CTI webhook's body, checked by the caller).
struct CallSignal {
  CallPhase phase = CallPhase::ringing;
  std::string call_id;          // the phone system's, to tie ringing, answered and ended together
  std::string caller;           // as sent; empty or not a number (withheld: "anonymous") is allowed
  std::string extension;        // the agent's extension it is for
  std::optional<Timestamp> at;  // when it happened; default: when it arrived
  std::optional<int> duration_seconds;  // ended: how long the call lasted
};

// One agent's pop: the call, and the caller as that agent may see them.
struct CallPop {
  CallSignal call;                   // caller in international form, or "" when unknown
  Timestamp at{};                    // call.at, or when it arrived
  std::optional<CallerCard> caller;  // none when the number was withheld or not a number
};

// Whom a call event reached.
struct CallDelivery {
  std::vector<UserId> agents;  // the active staff with the extension
  int clients = 0;             // their connected live-feed clients that were told
};

// Thread-safe.
class Telephony {
 public:
  // `feed` must outlive this.
  Telephony(Store& store, DirectoryService& directory, LiveFeed& feed, const Clock& clock)
      : store_(store), directory_(directory), feed_(feed), clock_(clock) {}

  // The caller behind a number as typed ("030 1234567"). invalid_argument (field "number")
  // for what is not a phone number; permission_denied for customers and vendors. An unknown
  // number is not an error: a card without users.
  Result<CallerCard> look_up_caller(const Actor& actor, std::string_view number);

  // Tells every active staff member with the signal's extension, on each of their live-feed
  // clients, with the caller as they may see them. Nobody has it: an empty delivery.
  Result<CallDelivery> take_call(const CallSignal& signal);

 private:
  Result<CallerCard> card_for(const Actor& actor, std::string number);

  Store& store_;
  DirectoryService& directory_;
  LiveFeed& feed_;
  const Clock& clock_;
};

// Does the bearer token a phone system sent match the configured one? In time independent of
// where they differ (and of the configured token's length).
[[nodiscard]] bool same_secret(std::string_view given, std::string_view expected);

}  // namespace fl
