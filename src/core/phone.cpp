#include "core/phone.hpp"

#include <algorithm>

namespace fl {

namespace {

constexpr std::size_t kMinDigits = 7;   // the shortest numbers in use, country code included
constexpr std::size_t kMaxDigits = 15;  // E.164
// A national number without its trunk 0: shorter ones are local numbers, which need an area code.
constexpr std::size_t kMinNationalDigits = 6;

bool digit(char c) {
  return c >= '0' && c <= '9';
}

bool separator(char c) {
  return c == ' ' || c == '\t' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')';
}

Result<std::string> refuse(std::string message) {
  return fail(ErrorCode::invalid_argument, std::move(message));
}

}  // namespace

bool is_country_code(std::string_view code) {
  return !code.empty() && code.size() <= 3 && code.front() != '0' &&
         std::ranges::all_of(code, digit);
}

bool is_extension(std::string_view extension) {
  return !extension.empty() && extension.size() <= 16 && std::ranges::all_of(extension, digit);
}

Result<std::string> normalise_phone(std::string_view text, std::string_view default_country_code) {
  if (text.size() > 64) return refuse("at most 64 characters");
  std::string_view rest = text;
  while (!rest.empty() && separator(rest.front())) rest.remove_prefix(1);
  const bool plus = rest.starts_with('+');
  if (plus) rest.remove_prefix(1);

  std::string digits;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const char c = rest[i];
    // "+49 (0)30 ...": the trunk 0 some write after the country code is not dialled.
    if (plus && rest.substr(i).starts_with("(0)") && !digits.empty()) {
      i += 2;
      continue;
    }
    if (digit(c))
      digits += c;
    else if (c == '+')
      return refuse("a '+' only at the start");
    else if (!separator(c))
      return refuse("only digits, a leading + and spaces or - . / ( ) between them");
  }
  if (digits.empty()) return refuse("no digits");

  std::string international;
  if (plus) {
    international = digits;
  } else if (digits.starts_with("00")) {
    international = digits.substr(2);
  } else {
    if (default_country_code.empty())
      return refuse("give the number with its country code, e.g. +49 30 1234567");
    const std::string national = digits.starts_with('0') ? digits.substr(1) : digits;
    if (national.size() < kMinNationalDigits) return refuse("too short: give the area code too");
    international = std::string(default_country_code) + national;
  }
  if (international.empty() || international.front() == '0')
    return refuse("a country code does not start with 0");
  if (international.size() < kMinDigits) return refuse("too short for a phone number");
  if (international.size() > kMaxDigits) return refuse("at most 15 digits (E.164)");
  return "+" + international;
}

}  // namespace fl
