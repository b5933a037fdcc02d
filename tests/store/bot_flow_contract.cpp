// The Store contract for the chatbot's flow catalog: seeding the shipped flows (stored once,
// replaced by a newer shipped version only while no person edited them), saving with a
// version, conflicts, reset (a save back to the shipped document) and the kept versions. Runs
// against every adapter (see store_contract.hpp).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/store_contract.hpp"

namespace fl::store_contract {
namespace {

constexpr std::string_view kShippedV1 = R"({"id":"printer","v":1})";
constexpr std::string_view kShippedV2 = R"({"id":"printer","v":2})";

std::vector<std::int64_t> versions_of(const std::vector<BotFlowVersion>& versions) {
  std::vector<std::int64_t> out;
  for (const auto& v : versions) out.push_back(v.version);
  return out;
}

TEST_P(BotFlowContract, ASeededFlowIsStoredOnceAsVersionOne) {
  auto seeded = must(store().seed_bot_flow("printer", kShippedV1, at(10)), "seed");
  EXPECT_EQ(seeded.id, "printer");
  EXPECT_EQ(seeded.json, kShippedV1);
  EXPECT_EQ(seeded.shipped_json, kShippedV1);
  EXPECT_EQ(seeded.version, 1);
  EXPECT_TRUE(seeded.active);
  EXPECT_FALSE(seeded.edited);
  EXPECT_EQ(seeded.updated_by, std::nullopt);
  EXPECT_EQ(seeded.updated_at, at(10));

  auto again = must(store().seed_bot_flow("printer", kShippedV1, at(20)), "seed again");
  EXPECT_EQ(again.version, 1) << "the same shipped document changes nothing";
  EXPECT_EQ(again.updated_at, at(10));
  EXPECT_EQ(must(store().bot_flows()).size(), 1u);
}

TEST_P(BotFlowContract, FlowsAreListedInTheOrderFirstStored) {
  must(store().seed_bot_flow("vpn", "{}", at(1)), "seed");
  must(store().seed_bot_flow("email", "{}", at(2)), "seed");
  must(store().seed_bot_flow("alpha", "{}", at(3)), "seed");
  std::vector<std::string> ids;
  for (const auto& f : must(store().bot_flows())) ids.push_back(f.id);
  EXPECT_THAT(ids, ::testing::ElementsAre("vpn", "email", "alpha"));
}

TEST_P(BotFlowContract, ANewerShippedVersionReplacesAnUneditedFlowKeepingItsActiveFlag) {
  auto seeded = must(store().seed_bot_flow("printer", kShippedV1, at(10)), "seed");
  auto off = seeded;
  off.active = false;
  off.updated_at = at(15);
  must(store().save_bot_flow(off, event_of(event_type::bot_flow_saved, agent_.id)), "switch off");

  auto newer = must(store().seed_bot_flow("printer", kShippedV2, at(20)), "seed newer");
  EXPECT_EQ(newer.json, kShippedV2);
  EXPECT_EQ(newer.shipped_json, kShippedV2);
  EXPECT_EQ(newer.version, 3);
  EXPECT_FALSE(newer.active) << "switching a flow off is not an edit of its content";
  EXPECT_EQ(newer.updated_at, at(20));
}

TEST_P(BotFlowContract, AnEditedFlowIsNeverReplacedByANewerShippedVersion) {
  auto seeded = must(store().seed_bot_flow("printer", kShippedV1, at(10)), "seed");
  auto edited = seeded;
  edited.json = R"({"id":"printer","v":"ours"})";
  edited.edited = true;
  edited.updated_by = agent_.id;
  edited.updated_at = at(15);
  auto saved =
      must(store().save_bot_flow(edited, event_of(event_type::bot_flow_saved, agent_.id)), "edit");
  EXPECT_EQ(saved.version, 2);
  EXPECT_EQ(saved.updated_by, agent_.id);

  auto after = must(store().seed_bot_flow("printer", kShippedV2, at(20)), "seed newer");
  EXPECT_EQ(after.json, edited.json);
  EXPECT_EQ(after.shipped_json, kShippedV1) << "still the shipped revision it came from";
  EXPECT_EQ(after.version, 2);
  EXPECT_TRUE(after.edited);
}

TEST_P(BotFlowContract, ResetIsASaveBackToTheShippedDocument) {
  auto seeded = must(store().seed_bot_flow("printer", kShippedV1, at(10)), "seed");
  auto edited = seeded;
  edited.json = R"({"id":"printer","v":"ours"})";
  edited.edited = true;
  edited = must(store().save_bot_flow(edited, event_of(event_type::bot_flow_saved)), "edit");

  auto reset = edited;
  reset.json = std::string(kShippedV2);
  reset.shipped_json = std::string(kShippedV2);
  reset.edited = false;
  reset.updated_at = at(30);
  auto stored = must(store().save_bot_flow(reset, event_of(event_type::bot_flow_saved)), "reset");
  EXPECT_EQ(stored.json, kShippedV2);
  EXPECT_FALSE(stored.edited);
  EXPECT_EQ(stored.version, 3);
  // Unedited again, so the next shipped version comes in.
  auto next = must(store().seed_bot_flow("printer", R"({"v":3})", at(40)), "seed");
  EXPECT_EQ(next.json, R"({"v":3})");
  EXPECT_EQ(next.version, 4);
}

TEST_P(BotFlowContract, ASaveAtAStaleVersionIsAConflictAndChangesNothing) {
  auto seeded = must(store().seed_bot_flow("printer", kShippedV1, at(10)), "seed");
  auto first = seeded;
  first.json = "{\"a\":1}";
  first.edited = true;
  must(store().save_bot_flow(first, event_of(event_type::bot_flow_saved)), "first");
  auto stale = seeded;
  stale.json = "{\"b\":2}";
  stale.edited = true;
  EXPECT_EQ(code_of(store().save_bot_flow(stale, event_of(event_type::bot_flow_saved))),
            ErrorCode::conflict);
  EXPECT_EQ(must(store().bot_flow("printer")).json, "{\"a\":1}");
}

TEST_P(BotFlowContract, ANewFlowTakesAFreeIdOnly) {
  BotFlowRecord mine{
      .id = "badge", .json = "{}", .edited = true, .updated_by = agent_.id, .updated_at = at(5)};
  auto stored = must(store().save_bot_flow(mine, event_of(event_type::bot_flow_saved)), "new");
  EXPECT_EQ(stored.version, 1);
  EXPECT_EQ(stored.shipped_json, "");
  EXPECT_EQ(code_of(store().save_bot_flow(mine, event_of(event_type::bot_flow_saved))),
            ErrorCode::conflict);
  BotFlowRecord unknown{.id = "nope", .json = "{}", .version = 3};
  EXPECT_EQ(code_of(store().save_bot_flow(unknown, event_of(event_type::bot_flow_saved))),
            ErrorCode::not_found);
  EXPECT_EQ(code_of(store().bot_flow("nope")), ErrorCode::not_found);
  EXPECT_EQ(code_of(store().bot_flow_versions("nope")), ErrorCode::not_found);
}

TEST_P(BotFlowContract, EveryVersionIsKeptNewestFirst) {
  auto f = must(store().seed_bot_flow("printer", kShippedV1, at(10)), "seed");
  f.json = "{\"a\":1}";
  f.edited = true;
  f = must(store().save_bot_flow(f, event_of(event_type::bot_flow_saved)), "save");
  f.active = false;
  f = must(store().save_bot_flow(f, event_of(event_type::bot_flow_saved)), "save");
  auto versions = must(store().bot_flow_versions("printer"));
  EXPECT_THAT(versions_of(versions), ::testing::ElementsAre(3, 2, 1));
  EXPECT_EQ(versions[2].json, kShippedV1);
  EXPECT_EQ(versions[1].json, "{\"a\":1}");
  EXPECT_FALSE(versions[0].active);
}

TEST_P(BotFlowContract, ASaveAppendsItsEvent) {
  auto f = must(store().seed_bot_flow("printer", kShippedV1, at(10)), "seed");
  auto before = must(store().events_after(0, 1000)).size();
  f.edited = true;
  must(store().save_bot_flow(f, event_of(event_type::bot_flow_saved, agent_.id)), "save");
  auto events = must(store().events_after(0, 1000));
  ASSERT_EQ(events.size(), before + 1);
  EXPECT_EQ(events.back().type, event_type::bot_flow_saved);
}

}  // namespace
}  // namespace fl::store_contract
