// The scenario file of `firstline simulate`: TOML (docs/staffing.md has the format) to a Scenario
// and its what-if overrides. Errors name the key as written in the file.
#pragma once

#include <filesystem>
#include <string_view>

#include "core/error.hpp"
#include "staffing/simulation.hpp"

namespace fl::staffing {

struct ScenarioFile {
  Scenario scenario;
  ScenarioOverrides what_if;  // empty when the file has no [what_if]
};

// Parses and validates. invalid_argument with the first problem: "lines.2.aht_minutes: must be
// > 0", "lines.1.agents: expected a number, 24 or 168 numbers, or a table of days", a TOML syntax
// error with its line ("line 7: ..."), or an unknown key ("lines.1.aht: unknown key").
[[nodiscard]] Result<ScenarioFile> parse_scenario(std::string_view toml_text);

// Reads the file and parses it; messages start with the file's path.
[[nodiscard]] Result<ScenarioFile> load_scenario(const std::filesystem::path& file);

}  // namespace fl::staffing
