#include "app/macro_service.hpp"

#include "desk_fixture.hpp"

namespace fl::testing {

namespace {

class MacroTest : public DeskTest {
 protected:
  void SetUp() override {
    DeskTest::SetUp();
    macros = std::make_unique<MacroService>(*store, *tickets, clock);
  }
  std::unique_ptr<MacroService> macros;
};

}  // namespace

TEST_F(MacroTest, ApplyingRepliesWithPlaceholdersAndChangesFields) {
  Macro m = ok(macros->save(sup, {.name = "Passwort zurückgesetzt",
                                  .team = desk.id,
                                  .text = "Hallo {{requester.name}}, Ihr Passwort zu #{{ticket.number}} "
                                          "ist zurückgesetzt. Gruß, {{agent.name}} ({{team.name}})",
                                  .status = TicketStatus::pending_customer,
                                  .add_tags = {"Password"},
                                  .assign_to_me = true}));
  EXPECT_GT(m.id, 0);
  EXPECT_EQ(m.version, 1);
  Ticket t = ok(tickets->create(c1, {.subject = "Passwort vergessen", .tags = {"ad"}}));
  auto applied = ok(macros->apply(l1, t.id, m.id));
  ASSERT_TRUE(applied.entry);
  EXPECT_EQ(applied.entry->kind, EntryKind::reply);
  EXPECT_EQ(applied.entry->body, "Hallo c1, Ihr Passwort zu #" + std::to_string(t.number) +
                                     " ist zurückgesetzt. Gruß, l1 (Service Desk)");
  EXPECT_EQ(applied.ticket.status, TicketStatus::pending_customer);
  EXPECT_EQ(applied.ticket.tags, (std::vector<std::string>{"ad", "password"}));
  EXPECT_EQ(applied.ticket.assignee, l1.user.id);
}

TEST_F(MacroTest, TeamMacrosAreForTheTeamAndManagersKeepThem) {
  Macro desk_macro = ok(macros->save(sup, {.name = "Drucker", .team = desk.id, .text = "Toner?"}));
  Macro everyone = ok(macros->save(sup, {.name = "Danke", .text = "Danke!"}));
  EXPECT_EQ(macros->save(l1, {.name = "Mine", .text = "x"}).error().code, ErrorCode::permission_denied);
  EXPECT_EQ(macros->list(c1, false).error().code, ErrorCode::permission_denied);
  auto for_l1 = ok(macros->list(l1, false));
  EXPECT_EQ(for_l1.size(), 2u);
  auto for_l2 = ok(macros->list(l2, false));
  ASSERT_EQ(for_l2.size(), 1u);
  EXPECT_EQ(for_l2[0].id, everyone.id);
  EXPECT_EQ(macros->get(l2, desk_macro.id).error().code, ErrorCode::not_found);

  // Switched off: not listed (unless asked), not applicable.
  desk_macro.active = false;
  desk_macro = ok(macros->save(sup, desk_macro));
  EXPECT_EQ(desk_macro.version, 2);
  EXPECT_EQ(ok(macros->list(l1, false)).size(), 1u);
  EXPECT_EQ(ok(macros->list(l1, true)).size(), 2u);
  Ticket t = open_ticket(c1);
  EXPECT_EQ(macros->apply(l1, t.id, desk_macro.id).error().code, ErrorCode::failed_precondition);
  // A stale version is a conflict.
  desk_macro.version = 1;
  EXPECT_EQ(macros->save(sup, desk_macro).error().code, ErrorCode::conflict);
}

TEST_F(MacroTest, NothingIsWrittenWhenAPartIsNotAllowed) {
  Macro vendor = ok(macros->save(sup, {.name = "Beim Hersteller", .text = "Wir fragen nach.",
                                       .status = TicketStatus::pending_vendor}));
  Ticket t = open_ticket(c1);
  ok(tickets->update(l1, t.id, {.status = TicketStatus::resolved}));
  // resolved -> pending_vendor is not a move the status machine allows.
  auto refused = macros->apply(l1, t.id, vendor.id);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::failed_precondition);
  EXPECT_TRUE(ok(store->entries(t.id)).size() == 1u) << "only the description: no reply written";
  // Another team's agent may not reply to the ticket at all.
  Macro thanks = ok(macros->save(sup, {.name = "Danke", .text = "Danke!"}));
  EXPECT_EQ(macros->apply(l3, t.id, thanks.id).error().code, ErrorCode::not_found);
}

}  // namespace fl::testing
