// Phone numbers and extensions as the desk keeps them. A number is stored and compared in one
// form (E.164: "+" and digits), so the caller lookup finds a person however their number was
// typed or sent by a phone system.
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace fl {

// The international form ("+49301234567") of a number as people and phone systems write it:
// "+49 30 1234-567", "+49 (0)30 1234567", "0049 30 1234567", "(030) 1234567", "030/1234567".
//
// - "+..." or "00..." is international;
// - "0..." is national: its trunk 0 is replaced by `default_country_code` ("49");
// - other digits are a national number without trunk prefix (as in North America):
//   `default_country_code` is put in front.
// Spaces, tabs and - . / ( ) separate; anything else (letters, a second "+") is refused. The
// result has 7 to 15 digits (E.164). invalid_argument (without a field: the caller names it)
// for what is not such a number, and for a national form when `default_country_code` is empty.
[[nodiscard]] Result<std::string> normalise_phone(std::string_view text,
                                                  std::string_view default_country_code);

// A country calling code as configured: 1 to 3 digits, not starting with 0 ("49", "1", "353").
[[nodiscard]] bool is_country_code(std::string_view code);

// An agent's phone extension: 1 to 16 digits ("201").
[[nodiscard]] bool is_extension(std::string_view extension);

}  // namespace fl
