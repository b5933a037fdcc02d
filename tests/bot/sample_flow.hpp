// A small flow that uses every node type, for the format and engine tests.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace fl {
// Readable matcher failures: "field: message".
inline void PrintTo(const FieldError& e, std::ostream* os) {
  *os << e.field << ": " << e.message;
}
}  // namespace fl

namespace fl::bot::test_data {

inline constexpr std::string_view kSampleFlow = R"({
  "id": "printer",
  "title": {"de": "Drucker", "en": "Printer"},
  "examples": {"de": ["Drucker druckt nicht"], "en": ["printer not printing"]},
  "handoff": {"category": "Hardware > Drucker", "priority": "normal", "line": 1, "team": ""},
  "start": "hello",
  "nodes": {
    "hello": {"type": "message", "say": {"de": "Hallo", "en": "Hello"}, "next": "which_printer"},
    "which_printer": {"type": "slot", "slot": "device",
                      "say": {"de": "Welcher Drucker?", "en": "Which printer?"},
                      "validate": {"kind": "device", "min": 2, "max": 200}, "next": "os"},
    "os": {"type": "slot", "slot": "os", "say": {"de": "Welches System?", "en": "Which system?"},
           "validate": {"kind": "os"}, "optional": true, "next": "os_branch"},
    "os_branch": {"type": "branch", "on": "os",
                  "cases": [{"is": ["Windows 11", "Windows 10"], "next": "win_note"},
                            {"contains": "mac", "next": "mac_note"}],
                  "else": "symptom"},
    "win_note": {"type": "message", "say": {"de": "Windows-Hinweis", "en": "Windows note"}, "next": "symptom"},
    "mac_note": {"type": "message", "say": {"de": "Mac-Hinweis", "en": "Mac note"}, "next": "symptom"},
    "symptom": {"type": "choice", "slot": "symptom", "say": {"de": "Was passiert?", "en": "What happens?"},
                "choices": [{"id": "blank", "label": {"de": "Leere Seiten", "en": "Blank pages"}, "next": "toner"},
                            {"id": "offline", "label": {"de": "Drucker offline", "en": "Printer offline"}, "next": "power"}]},
    "toner": {"type": "step", "say": {"de": "Toner tauschen", "en": "Replace the toner"}, "unsolved": "affected"},
    "power": {"type": "step", "say": {"de": "Aus- und einschalten", "en": "Power cycle"},
              "solved": "fixed", "unsolved": "affected"},
    "affected": {"type": "slot", "slot": "affected", "say": {"de": "Wer ist betroffen?", "en": "Who is affected?"},
                 "validate": {"kind": "affected"}, "next": "human"},
    "fixed": {"type": "end", "outcome": "solved", "say": {"de": "Gelöst", "en": "Solved"}},
    "human": {"type": "end", "outcome": "handoff", "say": {"de": "Ich übergebe", "en": "Handing over"}}
  }
})";

// kSampleFlow with the first `from` replaced by `to` (the test fails if `from` is missing).
inline std::string sample_with(std::string_view from, std::string_view to) {
  std::string s(kSampleFlow);
  auto at = s.find(from);
  if (at == std::string::npos) return "missing: " + std::string(from);
  s.replace(at, from.size(), to);
  return s;
}

}  // namespace fl::bot::test_data
