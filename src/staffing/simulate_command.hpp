// `firstline simulate --scenario FILE [--json] [--seed N]`: loads a scenario file, runs it (and its
// [what_if], when there is one) and prints a table or JSON. Kept apart from server/main so that
// main only parses the command line.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>

namespace fl::staffing {

struct SimulateOptions {
  std::filesystem::path scenario;
  bool json = false;
  std::optional<std::uint64_t> seed;  // replaces the file's seed
};

// The exit code: 0, or 2 after one plain line on `err` when the file is missing or invalid.
int simulate_command(const SimulateOptions& options, std::ostream& out, std::ostream& err);

}  // namespace fl::staffing
