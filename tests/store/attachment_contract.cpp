// The Store contract for attachments: uploads and their content-addressed blobs, binding in the
// entry's commit (all or nothing), entries read back with their files, and the cleanup of
// uploads never used. Runs against every adapter.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/store_contract.hpp"

namespace fl::store_contract {

NewAttachment AttachmentContract::file(UserId uploader, const std::string& name,
                                       const std::string& content, std::int64_t offset_ms) {
  NewAttachment a;
  a.filename = name;
  a.content_type = "text/plain; charset=utf-8";
  // The store keeps the caller's hash; distinct hex digits per content do here (the hex of
  // its first 32 bytes, zero-padded).
  static constexpr std::string_view kHex = "0123456789abcdef";
  for (std::size_t i = 0; i < 32; ++i) {
    const auto c = i < content.size() ? static_cast<unsigned char>(content[i]) : 0;
    a.sha256 += kHex[c >> 4];
    a.sha256 += kHex[c & 0x0F];
  }
  a.content = content;
  a.uploader = uploader;
  a.created_at = at(offset_ms);
  return a;
}

namespace {

using ::testing::ElementsAre;

std::vector<std::string> names_of(const std::vector<Attachment>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(f.filename);
  return out;
}

TEST_P(AttachmentContract, AnUploadKeepsItsRecordAndBytes) {
  const std::string bytes("a\0b\xff", 4);  // binary: not cut at NUL, not taken for text
  auto upload = must(store().insert_upload(file(customer_.id, "Prüfbericht ä.txt", bytes)));
  EXPECT_GT(upload.id, 0);
  EXPECT_FALSE(upload.bound());
  EXPECT_EQ(upload.uploader, customer_.id);
  EXPECT_EQ(upload.filename, "Prüfbericht ä.txt");
  EXPECT_EQ(upload.size, 4);
  EXPECT_EQ(upload.created_at, at());
  auto again = must(store().attachment(upload.id));
  EXPECT_EQ(again.sha256, upload.sha256);
  EXPECT_EQ(again.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(must(store().attachment_content(upload.id)), bytes);
  EXPECT_EQ(code_of(store().attachment(upload.id + 100)), ErrorCode::not_found);
  EXPECT_EQ(code_of(store().attachment_content(upload.id + 100)), ErrorCode::not_found);
}

TEST_P(AttachmentContract, TheSameContentTwiceIsTwoAttachmentsOfOneBlob) {
  auto first = must(store().insert_upload(file(customer_.id, "a.txt", "same")));
  auto second = must(store().insert_upload(file(agent_.id, "b.txt", "same")));
  EXPECT_NE(first.id, second.id);
  EXPECT_EQ(first.sha256, second.sha256);
  EXPECT_EQ(must(store().attachment_content(second.id)), "same");
  // Removing one keeps the bytes the other refers to.
  EXPECT_EQ(must(store().delete_unused_uploads(at(1), 1)), 1);
  EXPECT_EQ(must(store().attachment_content(second.id)), "same");
}

TEST_P(AttachmentContract, UploadsAreBoundInTheEntrysCommitAndReadBackWithIt) {
  auto t = create(draft_ticket("Printer"));
  auto a = must(store().insert_upload(file(customer_.id, "a.txt", "one")));
  auto b = must(store().insert_upload(file(customer_.id, "b.txt", "two")));
  TicketChange change{t.ticket,
                      {Entry{.kind = EntryKind::reply,
                             .author = customer_.id,
                             .body = "see files",
                             .created_at = at(5)}},
                      {event_of(event_type::entry_added, customer_.id)}};
  change.new_entry_attachments.push_back(
      {{b.id, a.id}, {file(customer_.id, "mail.png", "inline image")}});
  auto committed = must(store().commit(change));
  ASSERT_EQ(committed.entries.size(), 1u);
  const Entry& entry = committed.entries[0];
  EXPECT_THAT(names_of(entry.attachments), ElementsAre("a.txt", "b.txt", "mail.png"));
  for (const auto& f : entry.attachments) {
    EXPECT_EQ(f.ticket, t.ticket.id);
    EXPECT_EQ(f.entry, entry.id);
  }
  EXPECT_EQ(must(store().attachment_content(entry.attachments[2].id)), "inline image");

  auto entries = must(store().entries(t.ticket.id));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_THAT(names_of(entries[0].attachments), ElementsAre("a.txt", "b.txt", "mail.png"));
}

TEST_P(AttachmentContract, EachEntryGetsItsOwnFilesWhateverOrderTheyCameIn) {
  auto t = create(draft_ticket("Order"));
  auto late = must(store().insert_upload(file(agent_.id, "for-second.txt", "x")));
  auto early = must(store().insert_upload(file(agent_.id, "for-first.txt", "y")));
  TicketChange change{
      t.ticket,
      {Entry{.kind = EntryKind::note, .author = agent_.id, .body = "1", .created_at = at(1)},
       Entry{.kind = EntryKind::note, .author = agent_.id, .body = "2", .created_at = at(1)},
       Entry{.kind = EntryKind::note, .author = agent_.id, .body = "3", .created_at = at(1)}},
      {}};
  change.new_entry_attachments = {{{early.id}, {}}, {{late.id}, {}}};
  must(store().commit(change));
  auto entries = must(store().entries(t.ticket.id));
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_THAT(names_of(entries[0].attachments), ElementsAre("for-first.txt"));
  EXPECT_THAT(names_of(entries[1].attachments), ElementsAre("for-second.txt"));
  EXPECT_TRUE(entries[2].attachments.empty());
}

TEST_P(AttachmentContract, AFailedBindingWritesNothingOfTheChange) {
  auto t = create(draft_ticket("Atomic"));
  auto mine = must(store().insert_upload(file(customer_.id, "mine.txt", "m")));
  auto theirs = must(store().insert_upload(file(agent_.id, "theirs.txt", "t")));
  const auto events_before = must(store().events_after(0, 1000)).size();

  auto attempt = [&](std::vector<AttachmentId> uploads) {
    TicketChange change{t.ticket,
                        {Entry{.kind = EntryKind::reply,
                               .author = customer_.id,
                               .body = "files",
                               .created_at = at(5)}},
                        {event_of(event_type::entry_added, customer_.id)}};
    change.ticket.subject = "changed";
    change.new_entry_attachments.push_back({std::move(uploads), {}});
    return store().commit(change);
  };
  for (auto uploads :
       std::vector<std::vector<AttachmentId>>{{mine.id, theirs.id}, {mine.id, theirs.id + 1000}}) {
    auto r = attempt(uploads);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
    EXPECT_THAT(r.error().message, ::testing::HasSubstr(std::to_string(uploads[1])));
  }
  EXPECT_TRUE(must(store().entries(t.ticket.id)).empty());
  EXPECT_EQ(must(store().events_after(0, 1000)).size(), events_before);
  EXPECT_EQ(must(store().ticket(t.ticket.id)).subject, "Atomic");
  EXPECT_FALSE(must(store().attachment(mine.id)).bound()) << "rolled back with the entry";

  // Once bound, an upload cannot be bound again.
  ASSERT_TRUE(attempt({mine.id}));
  t.ticket = must(store().ticket(t.ticket.id));
  auto twice = attempt({mine.id});
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::invalid_argument);
}

TEST_P(AttachmentContract, CleanupRemovesOnlyOldUnusedUploads) {
  auto t = create(draft_ticket("Cleanup"));
  auto old_unused = must(store().insert_upload(file(customer_.id, "old.txt", "old", 0)));
  auto old_used = must(store().insert_upload(file(customer_.id, "used.txt", "used", 0)));
  auto fresh = must(store().insert_upload(file(customer_.id, "fresh.txt", "fresh", 500)));
  TicketChange change{
      t.ticket,
      {Entry{.kind = EntryKind::reply, .author = customer_.id, .body = "x", .created_at = at(10)}},
      {}};
  change.new_entry_attachments.push_back({{old_used.id}, {}});
  must(store().commit(change));

  EXPECT_EQ(must(store().delete_unused_uploads(at(100), 100)), 1);
  EXPECT_EQ(code_of(store().attachment(old_unused.id)), ErrorCode::not_found);
  EXPECT_EQ(code_of(store().attachment_content(old_unused.id)), ErrorCode::not_found);
  EXPECT_TRUE(must(store().attachment(old_used.id)).bound());
  EXPECT_EQ(must(store().attachment_content(old_used.id)), "used");
  EXPECT_FALSE(must(store().attachment(fresh.id)).bound());
  EXPECT_EQ(must(store().delete_unused_uploads(at(100), 100)), 0);
}

}  // namespace
}  // namespace fl::store_contract
