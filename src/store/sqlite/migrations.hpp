// The SQLite schema as numbered migrations compiled into the binary. The schema version is
// `PRAGMA user_version`: the number of migrations applied.
#pragma once

#include <span>

#include "core/error.hpp"
#include "store/sqlite/connection.hpp"

namespace fl::sqlite {

// Migration i (0-based) takes the schema from version i to i + 1. A shipped migration is
// never edited: a change to the schema is a new entry at the end.
[[nodiscard]] std::span<const char* const> migrations();

[[nodiscard]] inline int latest_schema_version() {
  return static_cast<int>(migrations().size());
}

// Brings the file up to latest_schema_version() in one transaction (all pending migrations
// or none). failed_precondition if the file was written by a newer binary.
[[nodiscard]] Result<int> migrate(Connection& connection);

}  // namespace fl::sqlite
