// Attachments through the use cases: upload, bind with an entry (in its commit), download
// under the entry's access rules, and the cleanup of unused uploads on the injected clock.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/attachments.hpp"
#include "app/desk_fixture.hpp"

namespace fl::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class AttachmentServiceTest : public DeskTest {
 protected:
  void SetUp() override {
    DeskTest::SetUp();
    attachments =
        std::make_unique<AttachmentService>(*store, clock, AttachmentOptions{.max_bytes = 1000});
  }

  Attachment upload(const Actor& who, std::string name, std::string content = "hello") {
    return ok(attachments->upload(who, name, std::move(content)));
  }

  bool can_download(const Actor& who, AttachmentId id) {
    auto f = attachments->download(who, id);
    if (!f) {
      EXPECT_EQ(f.error().code, ErrorCode::not_found) << f.error().message;
    }
    return f.has_value();
  }

  std::unique_ptr<AttachmentService> attachments;
};

TEST_F(AttachmentServiceTest, AnUploadIsSniffedNamedAndHashed) {
  auto a = upload(c1, "C:\\Temp\\Größe.png", "<html><script>alert(1)</script>");
  EXPECT_EQ(a.filename, "Größe.png");
  EXPECT_EQ(a.content_type, "text/plain; charset=utf-8") << "the name and the claim do not count";
  EXPECT_EQ(a.sha256, sha256_hex("<html><script>alert(1)</script>"));
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(a.uploader, c1.user.id);

  auto empty = attachments->upload(c1, "a.txt", "");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::invalid_argument);
  auto big = attachments->upload(c1, "a.txt", std::string(1001, 'x'));
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, ErrorCode::invalid_argument);
}

TEST_F(AttachmentServiceTest, AnEntryBindsItsUploadsAndNamesThemInItsEvent) {
  Ticket t = open_ticket(c1);
  auto a = upload(c1, "screenshot.txt");
  auto entry = ok(
      tickets->add_entry(c1, t.id, {.kind = EntryKind::reply, .body = "", .attachments = {a.id}}));
  ASSERT_EQ(entry.attachments.size(), 1u);
  EXPECT_EQ(entry.attachments[0].id, a.id);
  auto timeline = ok(tickets->timeline(l1, t.id));
  bool found = false;
  for (const auto& i : timeline)
    if (i.entry && i.entry->id == entry.id) found = !i.entry->attachments.empty();
  EXPECT_TRUE(found);
  auto events = ok(store->ticket_events(t.id));
  EXPECT_THAT(events.back().payload, HasSubstr(R"("attachments":["screenshot.txt"])"));

  // Used once only; another's upload and an unknown id are refused, naming the id.
  for (AttachmentId id : {a.id, upload(l1, "agent.txt").id, AttachmentId{9999}}) {
    auto again =
        tickets->add_entry(c1, t.id, {.kind = EntryKind::reply, .body = "x", .attachments = {id}});
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::invalid_argument);
    EXPECT_THAT(again.error().message, HasSubstr(std::to_string(id)));
  }
  EXPECT_EQ(ok(store->entries(t.id)).size(), 2u) << "the description and the one reply";
}

TEST_F(AttachmentServiceTest, ANewTicketTakesFilesWithItsDescription) {
  auto a = upload(c1, "log.txt");
  auto t = ok(tickets->create(c1, {.subject = "VPN", .description = "", .attachments = {a.id}}));
  auto entries = ok(store->entries(t.id));
  ASSERT_EQ(entries.size(), 1u);
  ASSERT_EQ(entries[0].attachments.size(), 1u);
  EXPECT_EQ(entries[0].attachments[0].filename, "log.txt");
}

TEST_F(AttachmentServiceTest, TheMailChannelPassesContentsWithTheEntry) {
  Ticket t = open_ticket(c1);
  auto entry = ok(tickets->add_entry(
      c1, t.id,
      {.kind = EntryKind::reply,
       .body = "from mail",
       .files = {{"image001.png", std::string("\x89PNG\r\n\x1A\n....", 12)}, {"a.txt", "x"}}}));
  ASSERT_EQ(entry.attachments.size(), 2u);
  EXPECT_EQ(entry.attachments[0].content_type, "image/png");
  EXPECT_EQ(ok(attachments->download(l1, entry.attachments[1].id)).content, "x");

  auto empty_file = tickets->add_entry(c1, t.id, {.body = "x", .files = {{"e.txt", ""}}});
  ASSERT_FALSE(empty_file);
  EXPECT_EQ(empty_file.error().code, ErrorCode::invalid_argument);
}

TEST_F(AttachmentServiceTest, AtMostTwentyFilesPerEntry) {
  Ticket t = open_ticket(c1);
  NewEntry e{.body = "many"};
  for (int i = 0; i < 21; ++i) e.files.push_back({"f" + std::to_string(i), "x"});
  auto r = tickets->add_entry(c1, t.id, e);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  e.files.pop_back();
  EXPECT_EQ(ok(tickets->add_entry(c1, t.id, e)).attachments.size(), 20u);
}

TEST_F(AttachmentServiceTest, WhoMayDownloadIsWhoMaySeeTheEntry) {
  Ticket t = open_ticket(c1);
  auto reply = ok(tickets->add_entry(l1, t.id, {.body = "fix", .files = {{"fix.txt", "1"}}}));
  auto note = ok(tickets->add_entry(
      l1, t.id, {.kind = EntryKind::note, .body = "internal", .files = {{"vip.txt", "2"}}}));
  const AttachmentId public_file = reply.attachments[0].id;
  const AttachmentId internal_file = note.attachments[0].id;

  EXPECT_TRUE(can_download(c1, public_file)) << "the requester: the reply";
  EXPECT_FALSE(can_download(c1, internal_file)) << "the requester: not the note";
  EXPECT_FALSE(can_download(c2, public_file)) << "another organisation's customer";
  EXPECT_TRUE(can_download(l1, internal_file));
  EXPECT_TRUE(can_download(sup, internal_file));
  EXPECT_FALSE(can_download(va, public_file)) << "the vendor before the ticket reaches it";

  ok(tickets->escalate(l1, t.id, {.to_line = 2, .handoff_note = "to desktop"}));
  ok(tickets->escalate(
      l2, t.id,
      {.to_line = 4, .reason = EscalationReason::vendor_required, .handoff_note = "firmware"}));
  EXPECT_TRUE(can_download(va, public_file)) << "the vendor, once it holds the ticket";
  EXPECT_FALSE(can_download(va, internal_file)) << "but no internal notes";

  // An unused upload: its uploader only.
  auto pending = upload(c1, "draft.txt");
  EXPECT_TRUE(can_download(c1, pending.id));
  EXPECT_FALSE(can_download(l1, pending.id));
  EXPECT_FALSE(can_download(c1, 9999));
}

TEST_F(AttachmentServiceTest, UnusedUploadsGoAfterADay) {
  Ticket t = open_ticket(c1);
  auto unused = upload(c1, "forgotten.txt", "forgotten");
  auto used = upload(c1, "used.txt", "used");
  ok(tickets->add_entry(c1, t.id, {.body = "see", .attachments = {used.id}}));
  clock.advance(std::chrono::hours(23));
  auto recent = upload(c1, "recent.txt", "recent");
  EXPECT_EQ(ok(attachments->delete_unused(clock.now(), 100)), 0) << "not a day old yet";
  clock.advance(std::chrono::hours(2));
  EXPECT_EQ(ok(attachments->delete_unused(clock.now(), 100)), 1);
  EXPECT_EQ(store->attachment(unused.id).error().code, ErrorCode::not_found);
  EXPECT_TRUE(can_download(c1, used.id));
  EXPECT_TRUE(can_download(c1, recent.id));
}

}  // namespace
}  // namespace fl::testing
