// The Store contract for macros: every field kept, versions, names unique per team and among
// the macros for every team, unknown ids and teams, and the event saved with a macro. Runs
// against every adapter (see store_contract.hpp).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/store_contract.hpp"

namespace fl::store_contract {

using ::testing::HasSubstr;

Macro MacroContract::draft_macro(const std::string& name, std::optional<TeamId> team) {
  Macro m;
  m.name = name;
  m.team = team;
  m.entry_kind = EntryKind::reply;
  m.text = "Hello {{requester.name}}, we are on it. {{agent.name}}";
  m.updated_at = at(100);
  return m;
}

Macro MacroContract::save(const Macro& macro) {
  return must(store().save_macro(macro, event_of(event_type::macro_saved, agent_.id)),
              "save_macro");
}

namespace {

// Every field equal, id, version and time included.
void expect_same_macro(const Macro& actual, const Macro& expected) {
  EXPECT_EQ(actual.id, expected.id);
  EXPECT_EQ(actual.name, expected.name);
  EXPECT_EQ(actual.team, expected.team);
  EXPECT_EQ(actual.entry_kind, expected.entry_kind);
  EXPECT_EQ(actual.text, expected.text);
  EXPECT_EQ(actual.status, expected.status);
  EXPECT_EQ(actual.add_tags, expected.add_tags);
  EXPECT_EQ(actual.impact, expected.impact);
  EXPECT_EQ(actual.urgency, expected.urgency);
  EXPECT_EQ(actual.assign_to_me, expected.assign_to_me);
  EXPECT_EQ(actual.active, expected.active);
  EXPECT_EQ(actual.version, expected.version);
  EXPECT_EQ(actual.updated_at, expected.updated_at);
}

std::vector<MacroId> ids_of(const std::vector<Macro>& macros) {
  std::vector<MacroId> ids;
  for (const auto& m : macros) ids.push_back(m.id);
  return ids;
}

// --- storing -----------------------------------------------------------------------------

TEST_P(MacroContract, ATeamMacroKeepsEveryField) {
  Macro m = draft_macro("VPN reset", desk_);
  m.text = "Hallo {{ requester.name }},\nTicket {{ticket.number}}: VPN-Zugang zurückgesetzt.";
  m.status = TicketStatus::pending_customer;
  m.add_tags = {"network", "vpn"};
  m.impact = 2;
  m.urgency = 1;
  m.assign_to_me = true;
  m.active = true;
  m.version = 7;  // ignored for a new macro
  m.updated_at = at(1234);
  const Macro stored = save(m);
  EXPECT_GT(stored.id, 0);
  EXPECT_EQ(stored.version, 1);

  Macro expected = m;
  expected.id = stored.id;
  expected.version = 1;
  expect_same_macro(stored, expected);
  expect_same_macro(must(store().macro(stored.id)), expected);
  const auto all = must(store().macros());
  ASSERT_EQ(all.size(), 1u);
  expect_same_macro(all[0], expected);
}

TEST_P(MacroContract, AMacroForEveryTeamKeepsItsEmptyFields) {
  Macro m = draft_macro("Internal: waiting on vendor");
  m.entry_kind = EntryKind::note;
  m.text = "";  // field changes only
  m.assign_to_me = true;
  m.active = false;
  const Macro stored = save(m);

  const Macro read = must(store().macro(stored.id));
  Macro expected = m;
  expected.id = stored.id;
  expected.version = 1;
  expect_same_macro(read, expected);
  EXPECT_FALSE(read.team);
  EXPECT_FALSE(read.status);
  EXPECT_TRUE(read.add_tags.empty());
  EXPECT_FALSE(read.impact);
  EXPECT_FALSE(read.urgency);
}

TEST_P(MacroContract, EveryStatusAndEntryKindIsKept) {
  const std::vector<TicketStatus> statuses = {
      TicketStatus::new_,           TicketStatus::open,     TicketStatus::pending_customer,
      TicketStatus::pending_vendor, TicketStatus::resolved, TicketStatus::closed};
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    Macro m = draft_macro("status " + std::to_string(i));
    m.status = statuses[i];
    m.entry_kind = i % 2 == 0 ? EntryKind::reply : EntryKind::note;
    const Macro read = must(store().macro(save(m).id));
    EXPECT_EQ(read.status, statuses[i]);
    EXPECT_EQ(read.entry_kind, m.entry_kind);
  }
}

// --- versions ----------------------------------------------------------------------------

TEST_P(MacroContract, AnUpdateNeedsTheCurrentVersionAndBumpsIt) {
  Macro first = draft_macro("Password reset", desk_);
  first.status = TicketStatus::resolved;
  first.add_tags = {"password"};
  first.impact = 3;
  first.urgency = 3;
  first = save(first);

  // Every field changes, the optional ones to empty and the team to none.
  Macro edit = first;
  edit.name = "Password reset (self-service)";
  edit.team = std::nullopt;
  edit.entry_kind = EntryKind::note;
  edit.text = "Pointed {{requester.name}} to the self-service portal.";
  edit.status = std::nullopt;
  edit.add_tags = {"portal", "self-service"};
  edit.impact = std::nullopt;
  edit.urgency = std::nullopt;
  edit.assign_to_me = true;
  edit.active = false;
  edit.updated_at = at(2000);
  const Macro second = save(edit);
  Macro expected = edit;
  expected.version = 2;
  expect_same_macro(second, expected);
  expect_same_macro(must(store().macro(first.id)), expected);

  // And back to a team, with the optional fields set again.
  Macro again = second;
  again.team = desk_;
  again.status = TicketStatus::open;
  again.impact = 1;
  again.urgency = 2;
  again.add_tags = {};
  again.updated_at = at(3000);
  const Macro third = save(again);
  expected = again;
  expected.version = 3;
  expect_same_macro(third, expected);
  EXPECT_EQ(must(store().macros()).size(), 1u);
}

TEST_P(MacroContract, AStaleVersionIsAConflictAndChangesNothing) {
  const Macro first = save(draft_macro("Printer jam", desk_));
  Macro edit = first;
  edit.text = "second";
  edit.updated_at = at(2000);
  const Macro current = save(edit);
  const EventId before = must(store().latest_event_id());

  Macro stale = first;  // still version 1
  stale.name = "Printer jam (lost)";
  stale.text = "lost";
  auto refused = store().save_macro(stale, event_of(event_type::macro_saved, agent_.id));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::conflict);

  expect_same_macro(must(store().macro(first.id)), current);
  EXPECT_EQ(must(store().latest_event_id()), before) << "no event without the change";
}

TEST_P(MacroContract, AnUnknownMacroIsNotFound) {
  EXPECT_EQ(code_of(store().macro(42)), ErrorCode::not_found);
  const EventId before = must(store().latest_event_id());
  Macro ghost = draft_macro("Ghost");
  ghost.id = 42;
  ghost.version = 1;
  auto refused = store().save_macro(ghost, event_of(event_type::macro_saved));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::not_found);
  EXPECT_THAT(refused.error().message, HasSubstr("42"));
  EXPECT_TRUE(must(store().macros()).empty());
  EXPECT_EQ(must(store().latest_event_id()), before);
}

// --- names and teams ---------------------------------------------------------------------

TEST_P(MacroContract, ANameIsUniqueWithinATeam) {
  const TeamId second_level = add_team("Desktop Support", 2).id;
  save(draft_macro("Welcome", desk_));
  const EventId before = must(store().latest_event_id());

  auto clash = store().save_macro(draft_macro("Welcome", desk_), event_of(event_type::macro_saved));
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, ErrorCode::conflict);
  EXPECT_THAT(clash.error().message, HasSubstr("Welcome"));
  EXPECT_EQ(must(store().latest_event_id()), before);

  // The same name in another team, and for every team, is another macro.
  save(draft_macro("Welcome", second_level));
  save(draft_macro("Welcome"));
  EXPECT_EQ(must(store().macros()).size(), 3u);
}

TEST_P(MacroContract, ANameIsUniqueAmongTheMacrosForEveryTeam) {
  save(draft_macro("Closing", desk_));
  save(draft_macro("Closing"));
  const EventId before = must(store().latest_event_id());

  auto clash = store().save_macro(draft_macro("Closing"), event_of(event_type::macro_saved));
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, ErrorCode::conflict);
  EXPECT_THAT(clash.error().message, HasSubstr("Closing"));
  EXPECT_EQ(must(store().macros()).size(), 2u);
  EXPECT_EQ(must(store().latest_event_id()), before);
}

TEST_P(MacroContract, AnUpdateCannotTakeANameInUse) {
  const TeamId second_level = add_team("Desktop Support", 2).id;
  save(draft_macro("Welcome", desk_));
  save(draft_macro("Welcome"));
  const Macro other = save(draft_macro("Goodbye", second_level));

  // Renamed within its team: allowed, the name is free there.
  Macro renamed = other;
  renamed.name = "Welcome";
  const Macro stored = save(renamed);
  EXPECT_EQ(stored.version, 2);

  // Moved into a team, or to every team, where the name is taken.
  for (const std::optional<TeamId> team : {std::optional<TeamId>(desk_), std::optional<TeamId>()}) {
    Macro moved = stored;
    moved.team = team;
    auto clash = store().save_macro(moved, event_of(event_type::macro_saved));
    ASSERT_FALSE(clash);
    EXPECT_EQ(clash.error().code, ErrorCode::conflict);
  }
  expect_same_macro(must(store().macro(other.id)), stored);
}

TEST_P(MacroContract, AnUnknownTeamIsNotFound) {
  const EventId before = must(store().latest_event_id());
  auto refused = store().save_macro(draft_macro("Orphan", 999), event_of(event_type::macro_saved));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::not_found);
  EXPECT_THAT(refused.error().message, HasSubstr("team 999"));
  EXPECT_TRUE(must(store().macros()).empty());

  // Nor can an existing macro move to one.
  const Macro stored = save(draft_macro("Orphan", desk_));
  Macro moved = stored;
  moved.team = 999;
  refused = store().save_macro(moved, event_of(event_type::macro_saved));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::not_found);
  EXPECT_THAT(refused.error().message, HasSubstr("team 999"));
  expect_same_macro(must(store().macro(stored.id)), stored);
  EXPECT_EQ(must(store().events_after(before, 10)).size(), 1u) << "only the successful save";
}

// --- events and listing ------------------------------------------------------------------

TEST_P(MacroContract, TheEventIsStoredWithTheMacro) {
  const EventId before = must(store().latest_event_id());
  Event event = event_of(event_type::macro_saved, agent_.id);
  event.payload = R"({"name":"VPN reset"})";
  event.at = at(500);
  must(store().save_macro(draft_macro("VPN reset", desk_), event));

  const auto events = must(store().events_after(before, 10));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_GT(events[0].id, before);
  EXPECT_EQ(events[0].type, event_type::macro_saved);
  EXPECT_EQ(events[0].actor, agent_.id);
  EXPECT_EQ(events[0].at, at(500));
  EXPECT_EQ(events[0].payload, R"({"name":"VPN reset"})");
  EXPECT_FALSE(events[0].ticket);
}

TEST_P(MacroContract, MacrosAreListedByNameThenId) {
  const TeamId second_level = add_team("Desktop Support", 2).id;
  const MacroId welcome = save(draft_macro("Welcome", desk_)).id;
  const MacroId closing = save(draft_macro("Closing")).id;
  Macro inactive = draft_macro("Archive");
  inactive.active = false;
  const MacroId archive = save(inactive).id;
  const MacroId welcome_too = save(draft_macro("Welcome", second_level)).id;
  const MacroId closing_too = save(draft_macro("Closing", desk_)).id;
  EXPECT_EQ(ids_of(must(store().macros())),
            (std::vector<MacroId>{archive, closing, closing_too, welcome, welcome_too}));

  // A rename moves it in the list.
  Macro renamed = must(store().macro(welcome));
  renamed.name = "Apology";
  save(renamed);
  EXPECT_EQ(ids_of(must(store().macros())),
            (std::vector<MacroId>{welcome, archive, closing, closing_too, welcome_too}));
}

}  // namespace
}  // namespace fl::store_contract
