// Who works where: support lines, teams, organisations and users.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/names.hpp"
#include "core/time.hpp"

namespace fl {

// Line 0 is the user alone (self-service); tickets live at lines 1-4.
enum class SupportLine : int {
  self_service = 0,
  service_desk = 1,
  desktop_support = 2,
  infrastructure = 3,
  vendor = 4,
};
inline constexpr int kLowestTicketLine = 1;
inline constexpr int kHighestLine = 4;

[[nodiscard]] constexpr int number_of(SupportLine l) {
  return static_cast<int>(l);
}
[[nodiscard]] constexpr bool is_ticket_line(int line) {
  return line >= kLowestTicketLine && line <= kHighestLine;
}

enum class TeamKind { internal, outsourced, vendor };
template <>
struct EnumNames<TeamKind> {
  static constexpr std::array<std::pair<TeamKind, std::string_view>, 3> table{{
      {TeamKind::internal, "internal"},
      {TeamKind::outsourced, "outsourced"},
      {TeamKind::vendor, "vendor"},
  }};
};

// How a team's new tickets get an agent: by hand from the queue, in turn (the available
// member whose last automatic assignment is oldest), or to the available member with the
// fewest open tickets in the team (see core/assignment.hpp).
enum class AssignmentMode { manual, round_robin, least_open };
template <>
struct EnumNames<AssignmentMode> {
  static constexpr std::array<std::pair<AssignmentMode, std::string_view>, 3> table{{
      {AssignmentMode::manual, "manual"},
      {AssignmentMode::round_robin, "round_robin"},
      {AssignmentMode::least_open, "least_open"},
  }};
};

struct Team {
  TeamId id = 0;
  std::string name;
  int line = 1;  // 1-4
  TeamKind kind = TeamKind::internal;
  AssignmentMode assignment = AssignmentMode::manual;
  // Automatic assignment prefers members whose skills match the ticket (category, language).
  bool skill_routing = false;
  // For an outsourced desk or a vendor: the customer organisations it serves.
  std::vector<OrganizationId> served_organizations;
  Timestamp created_at{};
};

struct Organization {
  OrganizationId id = 0;
  std::string name;
  std::string domain;  // mail domain, e.g. "example.com"; may be empty
  // When true, a customer sees all tickets of their organisation, not only their own.
  bool customers_see_all_tickets = false;
  Timestamp created_at{};
};

enum class Role { customer, agent, supervisor, admin };
template <>
struct EnumNames<Role> {
  static constexpr std::array<std::pair<Role, std::string_view>, 4> table{{
      {Role::customer, "customer"},
      {Role::agent, "agent"},
      {Role::supervisor, "supervisor"},
      {Role::admin, "admin"},
  }};
};

// Whether an agent takes new tickets now; away agents keep theirs but get no new ones.
enum class Availability { available, away };
template <>
struct EnumNames<Availability> {
  static constexpr std::array<std::pair<Availability, std::string_view>, 2> table{{
      {Availability::available, "available"},
      {Availability::away, "away"},
  }};
};

struct User {
  UserId id = 0;
  std::string login;
  std::string name;
  std::string email;
  Role role = Role::customer;
  std::optional<OrganizationId> organization;
  std::vector<TeamId> teams;    // agents: one or more
  std::string language = "en";  // "de" or "en"
  bool active = true;
  Availability availability = Availability::available;  // agents
  // Agents: ticket categories they handle and languages they answer in ("lang:de"); sorted,
  // unique. Empty: a generalist.
  std::vector<std::string> skills;
  // The person's phone number in international form ("+49301234567", core/phone.hpp), or
  // empty: the caller lookup finds them by it.
  std::string phone;
  // Staff: their phone extension ("201"), unique among active staff, or empty: a phone
  // system's call for it pops the caller on their screen.
  std::string extension;
  Timestamp created_at{};
};

}  // namespace fl
