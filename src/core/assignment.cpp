#include "core/assignment.hpp"

#include <algorithm>
#include <tuple>

#include "core/ticket.hpp"

namespace fl {

namespace {

constexpr std::string_view kLanguagePrefix = "lang:";

bool is_language_skill(std::string_view s) { return s.starts_with(kLanguagePrefix); }

// Never assigned sorts first, then the oldest assignment, then the lowest id.
auto turn_key(const AssignmentCandidate& c) {
  return std::make_tuple(c.last_assigned_at.has_value(),
                         c.last_assigned_at.value_or(Timestamp{}), c.user);
}

}  // namespace

bool has_skills(const std::vector<std::string>& skills, const AssignmentNeeds& needs) {
  bool lists_categories = false, lists_languages = false, category = false, language = false;
  for (const auto& s : skills) {
    if (is_language_skill(s)) {
      lists_languages = true;
      language = language || std::string_view(s).substr(kLanguagePrefix.size()) == needs.language;
    } else {
      lists_categories = true;
      category = category || s == needs.category;
    }
  }
  return (!lists_categories || needs.category.empty() || category) &&
         (!lists_languages || needs.language.empty() || language);
}

std::optional<UserId> choose_assignee(AssignmentMode mode, bool skill_routing,
                                      const std::vector<AssignmentCandidate>& members,
                                      const AssignmentNeeds& needs) {
  if (mode == AssignmentMode::manual) return std::nullopt;
  // Tiers with skill routing: specialists (the category named among compatible skills),
  // then compatible members, then anybody available.
  std::vector<const AssignmentCandidate*> available, compatible, specialists;
  for (const auto& m : members) {
    if (m.availability != Availability::available) continue;
    available.push_back(&m);
    if (!skill_routing || !has_skills(m.skills, needs)) continue;
    compatible.push_back(&m);
    if (!needs.category.empty() && std::ranges::find(m.skills, needs.category) != m.skills.end())
      specialists.push_back(&m);
  }
  const auto& pool = !specialists.empty() ? specialists
                     : !compatible.empty() ? compatible
                                           : available;
  if (pool.empty()) return std::nullopt;
  auto best = std::ranges::min_element(pool, [mode](const auto* a, const auto* b) {
    if (mode == AssignmentMode::least_open && a->open_tickets != b->open_tickets)
      return a->open_tickets < b->open_tickets;
    return turn_key(*a) < turn_key(*b);
  });
  return (*best)->user;
}

Result<std::vector<std::string>> normalise_skills(const std::vector<std::string>& raw) {
  std::vector<std::string> out;
  for (const auto& r : raw) {
    auto skill = normalise_tag(r);
    if (!skill)
      return invalid_field("skills", "'" + r + "' is not a skill: use 1-64 of a-z 0-9 . _ : -");
    if (is_language_skill(*skill) && *skill != "lang:de" && *skill != "lang:en")
      return invalid_field("skills", "'" + r + "': languages are lang:de and lang:en");
    out.push_back(std::move(*skill));
  }
  std::ranges::sort(out);
  out.erase(std::unique(out.begin(), out.end()), out.end());
  if (out.size() > 50) return invalid_field("skills", "at most 50");
  return out;
}

}  // namespace fl
