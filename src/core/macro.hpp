// Macros: a named bundle of a reply (or internal note) with placeholders and field changes,
// for one team or for everyone — what an agent applies in one step to a frequent case.
#pragma once

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/directory.hpp"
#include "core/error.hpp"
#include "core/ticket.hpp"

namespace fl {

using MacroId = std::int64_t;

struct Macro {
  MacroId id = 0;
  std::string name;
  std::optional<TeamId> team;  // none: offered to every team
  EntryKind entry_kind = EntryKind::reply;  // reply or note
  std::string text;            // with {{placeholders}}; empty: field changes only
  std::optional<TicketStatus> status;
  std::vector<std::string> add_tags;  // normalised
  std::optional<int> impact;
  std::optional<int> urgency;
  bool assign_to_me = false;
  bool active = true;
  std::int64_t version = 0;
  Timestamp updated_at{};
};

// The placeholders a macro text may use, as {{name}} (spaces inside the braces allowed).
inline constexpr std::array<std::string_view, 6> kMacroPlaceholders{
    "ticket.number", "ticket.subject",  "requester.name",
    "agent.name",    "agent.email",     "team.name"};

// Name 1-100 characters, text at most 100,000 bytes with known placeholders only, a reply or
// a note, valid levels and tags (normalised in place), at least one thing to do. Errors name
// the field.
[[nodiscard]] Result<void> validate(Macro& macro);

// The placeholders in `text` that are not known, each once, in order of appearance.
[[nodiscard]] std::vector<std::string> unknown_placeholders(std::string_view text);
// The field error for them ("unknown placeholder {{x}}; known: ..."), or nullopt.
[[nodiscard]] std::optional<std::string> placeholder_problem(std::string_view text);

// The text with each {{placeholder}} replaced by value(name); braces that are not a known
// placeholder stay as they are.
[[nodiscard]] std::string fill_placeholders(
    std::string_view text, const std::function<std::string(std::string_view)>& value);

}  // namespace fl
