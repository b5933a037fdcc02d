#include "core/ticket.hpp"

#include <cctype>

#include "core/text.hpp"

namespace fl {

bool first_contact_resolution(const Ticket& t) {
  return is_solved(t.status) && t.resolved_at_line == 1 && t.escalation_count == 0 &&
         t.customer_contacts <= 1;
}

SlaState sla_state_at(const Ticket& t, Timestamp now) {
  if (t.sla_state == SlaState::breached || (t.sla_due_at && *t.sla_due_at <= now))
    return SlaState::breached;
  if (t.sla_state == SlaState::running && t.sla_warn_at && *t.sla_warn_at <= now)
    return SlaState::at_risk;
  return t.sla_state;
}

std::optional<std::string> normalise_tag(std::string_view raw) {
  const std::string tag = trim(raw);
  if (tag.empty() || tag.size() > 64) return std::nullopt;
  std::string out;
  out.reserve(tag.size());
  for (char c : tag) {
    auto u = static_cast<unsigned char>(c);
    char lower = static_cast<char>(std::tolower(u));
    bool ok = std::isalnum(u) || c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return std::nullopt;
    out.push_back(lower);
  }
  return out;
}

}  // namespace fl
