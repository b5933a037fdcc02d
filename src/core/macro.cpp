#include "core/macro.hpp"

#include <algorithm>

#include "core/priority.hpp"
#include "core/text.hpp"

namespace fl {

namespace {

// Calls found(name, start, end) for each well-formed {{ name }} in text.
template <class Found>
void each_placeholder(std::string_view text, Found&& found) {
  std::size_t pos = 0;
  while ((pos = text.find("{{", pos)) != std::string_view::npos) {
    std::size_t close = text.find("}}", pos + 2);
    if (close == std::string_view::npos) return;
    std::string_view inner = text.substr(pos + 2, close - pos - 2);
    while (!inner.empty() && inner.front() == ' ') inner.remove_prefix(1);
    while (!inner.empty() && inner.back() == ' ') inner.remove_suffix(1);
    found(inner, pos, close + 2);
    pos = close + 2;
  }
}

bool known(std::string_view name) {
  return std::ranges::find(kMacroPlaceholders, name) != kMacroPlaceholders.end();
}

}  // namespace

Result<void> validate(Macro& m) {
  std::vector<FieldError> errors;
  m.name = trim(m.name);
  if (m.name.empty() || m.name.size() > 100) errors.push_back({"name", "1 to 100 characters"});
  if (m.entry_kind == EntryKind::call) errors.push_back({"entry_kind", "reply or note"});
  if (m.text.size() > 100'000) errors.push_back({"text", "at most 100000 bytes"});
  if (auto problem = placeholder_problem(m.text)) errors.push_back({"text", *problem});
  if (m.impact && !is_level(*m.impact)) errors.push_back({"impact", "must be 1 (high), 2 or 3 (low)"});
  if (m.urgency && !is_level(*m.urgency))
    errors.push_back({"urgency", "must be 1 (high), 2 or 3 (low)"});
  std::vector<std::string> tags;
  for (const auto& raw : m.add_tags) {
    if (auto tag = normalise_tag(raw))
      tags.push_back(std::move(*tag));
    else
      errors.push_back({"add_tags", "'" + raw + "' is not a tag: use 1-64 of a-z 0-9 . _ : -"});
  }
  std::ranges::sort(tags);
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
  m.add_tags = std::move(tags);
  if (is_blank(m.text) && !m.status && m.add_tags.empty() && !m.impact && !m.urgency &&
      !m.assign_to_me)
    errors.push_back({"text", "a macro needs a text or a field change"});
  if (!errors.empty()) return invalid_fields(std::move(errors));
  return {};
}

std::vector<std::string> unknown_placeholders(std::string_view text) {
  std::vector<std::string> out;
  each_placeholder(text, [&](std::string_view name, std::size_t, std::size_t) {
    if (!known(name) && std::ranges::find(out, name) == out.end()) out.emplace_back(name);
  });
  return out;
}

std::optional<std::string> placeholder_problem(std::string_view text) {
  auto unknown = unknown_placeholders(text);
  if (unknown.empty()) return std::nullopt;
  std::string list;
  for (auto p : kMacroPlaceholders) list += (list.empty() ? "" : ", ") + std::string(p);
  return "unknown placeholder {{" + unknown.front() + "}}; known: " + list;
}

std::string fill_placeholders(std::string_view text,
                              const std::function<std::string(std::string_view)>& value) {
  std::string out;
  std::size_t copied = 0;
  each_placeholder(text, [&](std::string_view name, std::size_t start, std::size_t end) {
    if (!known(name)) return;
    out.append(text.substr(copied, start - copied));
    out += value(name);
    copied = end;
  });
  out.append(text.substr(copied));
  return out;
}

}  // namespace fl
