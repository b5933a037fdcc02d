// What the user types into a slot: checked and normalised by the slot's kind, so that later
// steps (branches, the hand-off ticket) see one spelling. Pure functions.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include "bot/flow.hpp"

namespace fl::bot {

// The normalised value, or the hint to show before asking again (in both languages).
//   text           trimmed; length min..max characters (default 1..1000)
//   number         the one number in the text ("ca. 5", "2,5"); within min..max; "5" or "2.5"
//   yes_no         "yes" or "no" (ja, j, jo, nein, nö, y, n, yes, nope, ...)
//   os             "Windows 11", "Windows 10", "Windows", "macOS", "iOS", "Android", "ChromeOS",
//                  "Linux (Ubuntu 22.04)", "Linux"; anything else is kept as typed
//   device         free text, length 2..200 unless min/max say otherwise
//   error_message  free text, length 1..2000
//   since          free text ("seit heute Morgen", "2 days"), length 1..200
//   affected       "me", "several" or "everyone" (words in German or English, or a head count:
//                  1 is me, 2-20 several, more everyone)
[[nodiscard]] std::expected<std::string, Text> normalise_slot(const SlotRule& rule,
                                                              std::string_view input);

// "weiß nicht", "keine Ahnung", "don't know", "skip", ...: what skips an optional slot.
[[nodiscard]] bool means_skip(std::string_view input);

// For comparing what users type: trimmed, ASCII and German umlauts lower-cased, runs of white
// space as one space, trailing . ! ? dropped.
[[nodiscard]] std::string fold(std::string_view text);

// Length in characters (UTF-8 code points), not bytes.
[[nodiscard]] std::size_t text_length(std::string_view text);

}  // namespace fl::bot
