// The ticket and its timeline entries.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/attachment.hpp"
#include "core/ids.hpp"
#include "core/names.hpp"
#include "core/priority.hpp"
#include "core/time.hpp"

namespace fl {

enum class Channel { phone, email, web, chat, bot, api };
template <>
struct EnumNames<Channel> {
  static constexpr std::array<std::pair<Channel, std::string_view>, 6> table{{
      {Channel::phone, "phone"},
      {Channel::email, "email"},
      {Channel::web, "web"},
      {Channel::chat, "chat"},
      {Channel::bot, "bot"},
      {Channel::api, "api"},
  }};
};

enum class TicketStatus { new_, open, pending_customer, pending_vendor, resolved, closed };
template <>
struct EnumNames<TicketStatus> {
  static constexpr std::array<std::pair<TicketStatus, std::string_view>, 6> table{{
      {TicketStatus::new_, "new"},
      {TicketStatus::open, "open"},
      {TicketStatus::pending_customer, "pending_customer"},
      {TicketStatus::pending_vendor, "pending_vendor"},
      {TicketStatus::resolved, "resolved"},
      {TicketStatus::closed, "closed"},
  }};
};

[[nodiscard]] constexpr bool is_solved(TicketStatus s) {
  return s == TicketStatus::resolved || s == TicketStatus::closed;
}

// Where a ticket stands against its SLA, for queues and filters (docs/sla.md). `at_risk` and
// `breached` also follow from the passage of time, so the store keeps the state as of the
// last commit (never at_risk) with the two times it moves at, and sla_state_at() applies now.
enum class SlaState { none, running, at_risk, paused, breached };
template <>
struct EnumNames<SlaState> {
  static constexpr std::array<std::pair<SlaState, std::string_view>, 5> table{{
      {SlaState::none, "none"},
      {SlaState::running, "running"},
      {SlaState::at_risk, "at_risk"},
      {SlaState::paused, "paused"},
      {SlaState::breached, "breached"},
  }};
};

// The requester's satisfaction rating (CSAT) of a solved ticket: once, changeable for a
// week after the first rating (docs/domain.md).
inline constexpr std::size_t kMaxRatingComment = 2000;
inline constexpr std::chrono::hours kRatingChangeWindow{7 * 24};
struct TicketRating {
  int score = 0;        // 1 (very unhappy) .. 5 (very happy)
  std::string comment;  // optional, at most kMaxRatingComment bytes
  Timestamp rated_at{};        // the last change
  Timestamp first_rated_at{};  // the change window counts from here
  friend bool operator==(const TicketRating&, const TicketRating&) = default;
};

struct Ticket {
  TicketId id = 0;
  TicketNumber number = 0;  // assigned by the store: unique, increasing, from 100001
  std::string subject;
  UserId requester = 0;
  std::optional<OrganizationId> organization;
  Channel channel = Channel::web;
  std::string category;
  int impact = 3;
  int urgency = 3;
  Priority priority = Priority::p4;  // always priority_for(impact, urgency)
  TicketStatus status = TicketStatus::new_;
  int line = 1;
  TeamId team = 0;
  // The first-line team that took the ticket; it stays the user's single point of contact.
  TeamId origin_team = 0;
  std::optional<UserId> assignee;
  std::vector<std::string> tags;  // sorted, unique
  std::string vendor_reference;   // the vendor's own case number (line 4)
  // Facts kept for derived figures (first-contact resolution, reports).
  int escalation_count = 0;
  int customer_contacts = 0;
  std::optional<int> resolved_at_line;
  std::optional<Timestamp> resolved_at;
  // The SLA policy version the ticket's clocks run on (none: no policy applies), and when the
  // scheduler must next look at the clocks (a ladder step or a breach falls due; none: no
  // clock is running). Kept by app/SlaService in the same commit as the change.
  std::optional<std::int64_t> sla_policy;
  std::int64_t sla_policy_version = 0;
  std::optional<Timestamp> sla_check_at;
  // For queues: the earliest due time of the running clocks (a breached one's is past; none
  // when no clock runs), when the first running clock becomes at risk, and the state as of
  // the last commit (running, paused, breached or none). Kept by SlaService like sla_check_at.
  std::optional<Timestamp> sla_due_at;
  std::optional<Timestamp> sla_warn_at;
  SlaState sla_state = SlaState::none;
  std::optional<TicketRating> rating;
  Timestamp created_at{};
  Timestamp updated_at{};
  std::int64_t version = 0;  // optimistic concurrency; the store bumps it on every change
};

// The ticket's SLA state at `now`: breached when a clock breached before the last commit or
// the earliest due time has passed; at risk when the warning time has passed; else as stored.
[[nodiscard]] SlaState sla_state_at(const Ticket& t, Timestamp now);

// Derived, never typed: resolved at line 1, never escalated, at most one customer contact.
[[nodiscard]] bool first_contact_resolution(const Ticket& t);

enum class EntryKind { reply, note, call };
template <>
struct EnumNames<EntryKind> {
  static constexpr std::array<std::pair<EntryKind, std::string_view>, 3> table{{
      {EntryKind::reply, "reply"},
      {EntryKind::note, "note"},
      {EntryKind::call, "call"},
  }};
};

enum class CallDirection { inbound, outbound };
template <>
struct EnumNames<CallDirection> {
  static constexpr std::array<std::pair<CallDirection, std::string_view>, 2> table{{
      {CallDirection::inbound, "inbound"},
      {CallDirection::outbound, "outbound"},
  }};
};

struct CallDetails {
  CallDirection direction = CallDirection::inbound;
  int duration_seconds = 0;
  std::string caller;  // number or name of the other party
};

// A timeline entry. Replies are public; notes and calls are internal (agents only).
struct Entry {
  EntryId id = 0;
  TicketId ticket = 0;
  EntryKind kind = EntryKind::reply;
  UserId author = 0;
  std::string body;
  std::optional<CallDetails> call;
  // Time accounting: the minutes the author worked on the ticket for this entry (0: none
  // recorded). A call's own length counts besides.
  int time_spent_minutes = 0;
  Timestamp created_at{};
  std::vector<Attachment> attachments;  // oldest first; read back by the store
};

[[nodiscard]] constexpr bool is_public(EntryKind k) {
  return k == EntryKind::reply;
}

// Tags: lower-case, trimmed, [a-z0-9._:-], 1..64 chars. Returns the normalised tag or nullopt.
[[nodiscard]] std::optional<std::string> normalise_tag(std::string_view raw);

}  // namespace fl
