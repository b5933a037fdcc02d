// One mechanism for the domain's enum <-> wire-name mapping. Each enum specialises
// EnumNames with a table; the names are what the API, the store and the docs use.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace fl {

template <class E>
struct EnumNames;  // static constexpr std::array<std::pair<E, std::string_view>, N> table;

template <class E>
[[nodiscard]] constexpr std::string_view name_of(E value) {
  for (const auto& [v, name] : EnumNames<E>::table)
    if (v == value) return name;
  return "?";
}

template <class E>
[[nodiscard]] constexpr std::optional<E> parse_name(std::string_view name) {
  for (const auto& [v, n] : EnumNames<E>::table)
    if (n == name) return v;
  return std::nullopt;
}

// "a, b, c" — for error messages that list the allowed values.
template <class E>
[[nodiscard]] std::string allowed_names() {
  std::string out;
  for (const auto& [v, n] : EnumNames<E>::table) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

}  // namespace fl
