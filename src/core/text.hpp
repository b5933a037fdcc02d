// Small text rules shared by the domain's validations.
#pragma once

#include <string>
#include <string_view>

namespace fl {

// Without leading and trailing white space (ASCII).
[[nodiscard]] std::string trim(std::string_view text);

// Empty or only white space.
[[nodiscard]] bool is_blank(std::string_view text);

// Safe as HTML text and as a quoted attribute value: & < > " ' as entities.
[[nodiscard]] std::string escape_html(std::string_view text);
void append_escaped_html(std::string& out, char c);

}  // namespace fl
