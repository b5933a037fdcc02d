// Macro rows: a named reply or note with field changes, for one team or for every team. Writes
// run on the writer connection inside their savepoint (see mutations.hpp); reads on a borrowed
// read connection.
#pragma once

#include <vector>

#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace fl::sqlite {

// New (id 0): stored as version 1. Existing: only at its stored version (else conflict), as
// version + 1. not_found for an unknown id or team; conflict for a name the team, or the macros
// for every team, already has. Tags: invalid_argument for one that is empty or holds U+001F,
// since their column (records.hpp: join_list) could not give it back.
[[nodiscard]] Result<Macro> save_macro(Connection& c, const Macro& macro, const Event& event);
// not_found when absent.
[[nodiscard]] Result<Macro> load_macro(Connection& c, MacroId id);
// Every macro, active or not, by name then id.
[[nodiscard]] Result<std::vector<Macro>> load_macros(Connection& c);

}  // namespace fl::sqlite
