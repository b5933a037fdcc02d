// The chatbot's flow catalog over the real SQLite store: seeding, validation errors by path,
// versions, the role rules, reset to shipped, and the snapshot the conversation service reads.
#include "app/bot_flows.hpp"

#include <gmock/gmock.h>

#include "bot/sample_flow.hpp"
#include "desk_fixture.hpp"

namespace fl::testing {

namespace {

using bot::test_data::kSampleFlow;
using bot::test_data::sample_with;
using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// The sample flow with the German greeting changed: what a newer shipped version looks like.
const std::string kNewerShipped = sample_with(R"("de": "Hallo")", R"("de": "Guten Tag")");

class BotFlowCatalogTest : public DeskTest {
 protected:
  void SetUp() override {
    DeskTest::SetUp();
    admin = person("admin", Role::admin, std::nullopt, {});
    catalog = started({kSampleFlow});
    changes = 0;  // start() published the first snapshot
  }

  std::unique_ptr<BotFlowCatalog> started(std::vector<std::string_view> shipped) {
    auto c = std::make_unique<BotFlowCatalog>(*store, clock, std::move(shipped));
    c->on_change([this](std::shared_ptr<const ActiveBotFlows>) { ++changes; });
    EXPECT_TRUE(c->start());
    return c;
  }

  std::string greeting_de() const {
    auto flows = catalog->active_flows();
    auto it = flows->flows.find("printer");
    if (it == flows->flows.end()) return "(not active)";
    return it->second.node("hello")->say.de;
  }

  Actor admin;
  std::unique_ptr<BotFlowCatalog> catalog;
  int changes = 0;
};

}  // namespace

TEST_F(BotFlowCatalogTest, StartSeedsTheShippedFlowsAndPublishesThem) {
  auto flows = catalog->active_flows();
  EXPECT_EQ(flows->generation, 1u);
  ASSERT_EQ(flows->flows.size(), 1u);
  EXPECT_EQ(flows->flows.begin()->first, "printer");
  auto list = ok(catalog->list(sup));
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].title.de, "Drucker");
  EXPECT_EQ(list[0].node_count, 12);
  EXPECT_EQ(list[0].version, 1);
  EXPECT_TRUE(list[0].shipped);
  EXPECT_FALSE(list[0].edited);
  EXPECT_EQ(ok(catalog->get(sup, "printer")).record.json, kSampleFlow);
}

TEST_F(BotFlowCatalogTest, AnInvalidDocumentIsRefusedWithEveryProblemByItsPath) {
  auto r = catalog->save(admin, "printer",
                         sample_with(R"("unsolved": "affected"})", R"("unsolved": "cabel"})"), 1,
                         std::nullopt);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  EXPECT_THAT(r.error().fields, Contains(Field(&FieldError::field, "nodes.toner.unsolved")));
  EXPECT_THAT(r.error().message, HasSubstr("cabel"));
  EXPECT_EQ(ok(catalog->get(admin, "printer")).record.version, 1) << "nothing stored";
  EXPECT_EQ(changes, 0);

  auto broken = catalog->save(admin, "printer", R"({"id": "printer",)", 1, std::nullopt);
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, ErrorCode::invalid_argument);
}

TEST_F(BotFlowCatalogTest, ASaveIsPublishedAndTold) {
  auto saved = ok(catalog->save(admin, "printer", kNewerShipped, 1, std::nullopt));
  EXPECT_EQ(saved.record.version, 2);
  EXPECT_TRUE(saved.record.edited);
  EXPECT_EQ(saved.record.updated_by, admin.user.id);
  EXPECT_EQ(greeting_de(), "Guten Tag");
  EXPECT_EQ(catalog->active_flows()->generation, 2u);
  EXPECT_EQ(changes, 1);

  ok(catalog->set_active(admin, "printer", false, 2));
  EXPECT_THAT(catalog->active_flows()->flows, IsEmpty());
  EXPECT_EQ(changes, 2);
  ok(catalog->set_active(admin, "printer", true, 3));
  EXPECT_EQ(greeting_de(), "Guten Tag");
}

// Another server on the same database switched a flow off: reload() publishes that, once.
TEST_F(BotFlowCatalogTest, ReloadPublishesWhatAnotherServerChangedOnlyOnce) {
  EXPECT_FALSE(ok(catalog->reload())) << "nothing changed";
  EXPECT_EQ(changes, 0);
  BotFlowCatalog other(*store, clock, {kSampleFlow});
  ASSERT_TRUE(other.start());
  auto doc = ok(other.get(admin, "printer"));
  ok(other.set_active(admin, "printer", false, doc.record.version));
  EXPECT_EQ(catalog->active_flows()->flows.size(), 1u) << "not told yet";
  EXPECT_TRUE(ok(catalog->reload()));
  EXPECT_EQ(changes, 1);
  EXPECT_TRUE(catalog->active_flows()->flows.empty());
  EXPECT_FALSE(ok(catalog->reload()));
  EXPECT_EQ(changes, 1);
}

TEST_F(BotFlowCatalogTest, AHeldSnapshotStaysAsItWas) {
  auto before = catalog->active_flows();
  ok(catalog->set_active(admin, "printer", false, 1));
  EXPECT_EQ(before->flows.size(), 1u);
  EXPECT_THAT(catalog->active_flows()->flows, IsEmpty());
}

TEST_F(BotFlowCatalogTest, AStaleVersionIsAConflict) {
  ok(catalog->save(admin, "printer", kNewerShipped, 1, std::nullopt));
  auto stale = catalog->save(admin, "printer", kSampleFlow, 1, std::nullopt);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::conflict);
  EXPECT_EQ(greeting_de(), "Guten Tag");
}

TEST_F(BotFlowCatalogTest, AdminsWriteSupervisorsReadOthersNeither) {
  EXPECT_TRUE(catalog->list(admin));
  EXPECT_TRUE(catalog->get(sup, "printer"));
  EXPECT_EQ(catalog->save(sup, "printer", kNewerShipped, 1, std::nullopt).error().code,
            ErrorCode::permission_denied);
  EXPECT_EQ(catalog->set_active(sup, "printer", false, 1).error().code,
            ErrorCode::permission_denied);
  EXPECT_EQ(catalog->reset(sup, "printer", 1).error().code, ErrorCode::permission_denied);
  EXPECT_EQ(catalog->list(l1).error().code, ErrorCode::permission_denied);
  EXPECT_EQ(catalog->get(c1, "printer").error().code, ErrorCode::permission_denied);
  EXPECT_EQ(catalog->create(l1, kSampleFlow, true).error().code, ErrorCode::permission_denied);
}

TEST_F(BotFlowCatalogTest, AnEditedFlowSurvivesANewerShippedVersionUntilReset) {
  const std::string ours = sample_with(R"("de": "Hallo")", R"("de": "Moin")");
  ok(catalog->save(admin, "printer", ours, 1, std::nullopt));

  catalog = started({kNewerShipped});  // the next release ships a newer version
  EXPECT_EQ(greeting_de(), "Moin");

  auto reset = ok(catalog->reset(admin, "printer", 2));
  EXPECT_EQ(reset.record.json, kNewerShipped);
  EXPECT_FALSE(reset.record.edited);
  EXPECT_EQ(greeting_de(), "Guten Tag");
  EXPECT_EQ(ok(catalog->versions(sup, "printer")).size(), 3u);
}

TEST_F(BotFlowCatalogTest, AnUneditedFlowFollowsTheShippedVersion) {
  catalog = started({kNewerShipped});
  EXPECT_EQ(greeting_de(), "Guten Tag");
}

TEST_F(BotFlowCatalogTest, NewFlowsTakeAFreeIdAndKeepIt) {
  const std::string badge = sample_with(R"("id": "printer")", R"("id": "badge")");
  auto made = ok(catalog->create(admin, badge, true));
  EXPECT_EQ(made.record.id, "badge");
  EXPECT_FALSE(made.shipped);
  EXPECT_EQ(catalog->active_flows()->flows.size(), 2u);
  EXPECT_EQ(catalog->create(admin, badge, true).error().code, ErrorCode::conflict);
  EXPECT_EQ(catalog->reset(admin, "badge", 1).error().code, ErrorCode::failed_precondition);

  auto renamed = catalog->save(admin, "printer", badge, 1, std::nullopt);
  ASSERT_FALSE(renamed);
  EXPECT_THAT(renamed.error().fields, Contains(Field(&FieldError::field, "id")));
  EXPECT_EQ(catalog->save(admin, "nope", badge, 1, std::nullopt).error().code,
            ErrorCode::not_found);
}

}  // namespace fl::testing

namespace fl::testing {

TEST_F(BotFlowCatalogTest, APreviewWalksAnUnsavedDocumentTurnByTurn) {
  const std::string draft = sample_with(R"("de": "Hallo")", R"("de": "Servus")");
  auto first = ok(catalog->preview(sup, draft, std::nullopt, bot::UserInput::text(""), "de"));
  ASSERT_FALSE(first.turn.messages.empty());
  EXPECT_EQ(first.turn.messages.front(), "Servus");
  EXPECT_EQ(first.turn.expecting, bot::Expecting::slot);
  EXPECT_EQ(first.turn.slot, "device");

  auto second =
      ok(catalog->preview(sup, draft, first.state, bot::UserInput::text("Drucker 3. OG"), "en"));
  ASSERT_FALSE(second.turn.messages.empty());
  EXPECT_EQ(second.turn.messages.back(), "Which system?");
  EXPECT_EQ(second.turn.slot, "os");
  EXPECT_EQ(ok(catalog->get(sup, "printer")).record.version, 1) << "a preview stores nothing";
  EXPECT_EQ(changes, 0);
}

TEST_F(BotFlowCatalogTest, APreviewOfABadDocumentOrStateIsRefused) {
  auto bad = catalog->preview(admin, sample_with(R"("start": "hello")", R"("start": "cabel")"),
                              std::nullopt, bot::UserInput::text(""), "de");
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().fields, Contains(Field(&FieldError::field, "start")));
  auto state =
      catalog->preview(admin, kSampleFlow, std::string_view("{"), bot::UserInput::text("x"), "de");
  ASSERT_FALSE(state);
  EXPECT_THAT(state.error().fields, Contains(Field(&FieldError::field, "state")));
  EXPECT_EQ(
      catalog->preview(l1, kSampleFlow, std::nullopt, bot::UserInput::text(""), "de").error().code,
      ErrorCode::permission_denied);
}

}  // namespace fl::testing
