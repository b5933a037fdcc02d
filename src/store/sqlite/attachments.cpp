// Attachments as SQL: see attachments.hpp and migration 16.
#include "store/sqlite/attachments.hpp"

#include <spdlog/fmt/fmt.h>

#include <algorithm>

#include "store/sqlite/records.hpp"

namespace fl::sqlite {

namespace {

constexpr std::string_view kColumns =
    "id, ticket_id, entry_id, uploader_id, filename, content_type, size, sha256, created_at";

Result<Attachment> attachment_from_row(const Statement& row) {
  Attachment a;
  a.id = row.int64_at(0);
  a.ticket = row.optional_int64_at(1);
  a.entry = row.optional_int64_at(2);
  a.uploader = row.int64_at(3);
  a.filename = row.text_at(4);
  a.content_type = row.text_at(5);
  a.size = row.int64_at(6);
  a.sha256 = row.text_at(7);
  a.created_at = row.time_at(8);
  return a;
}

// Stores the blob unless the same content is already there.
Result<void> insert_blob(Connection& c, const NewAttachment& file) {
  auto statement =
      c.prepare("INSERT INTO blobs (sha256, size, data) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
  if (!statement) return error_of(statement);
  statement->bind_all(file.sha256, static_cast<std::int64_t>(file.content.size()),
                      BlobView{file.content});
  return statement->run();
}

Result<AttachmentId> insert_record(Connection& c, const NewAttachment& file,
                                   std::optional<TicketId> ticket, std::optional<EntryId> entry) {
  if (auto r = insert_blob(c, file); !r) return error_of(r);
  auto statement = c.prepare(
      "INSERT INTO attachments (ticket_id, entry_id, uploader_id, filename, content_type, size, "
      "sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!statement) return error_of(statement);
  statement->bind_all(ticket, entry, file.uploader, file.filename, file.content_type,
                      static_cast<std::int64_t>(file.content.size()), file.sha256, file.created_at);
  if (auto r = statement->run(); !r) {
    if (is_missing_reference(r.error()))
      return invalid_field("uploader", fmt::format("no user with id {}", file.uploader));
    return error_of(r);
  }
  return c.last_insert_id();
}

}  // namespace

Result<Attachment> insert_upload(Connection& c, const NewAttachment& upload) {
  auto id = insert_record(c, upload, std::nullopt, std::nullopt);
  if (!id) return error_of(id);
  return load_attachment(c, *id);
}

Result<Attachment> load_attachment(Connection& c, AttachmentId id) {
  static const std::string sql = fmt::format("SELECT {} FROM attachments WHERE id = ?", kColumns);
  auto statement = c.prepare(sql);
  if (!statement) return error_of(statement);
  statement->bind(id);
  auto has_row = statement->step();
  if (!has_row) return error_of(has_row);
  if (!*has_row) return fail(ErrorCode::not_found, fmt::format("no attachment {}", id));
  return attachment_from_row(*statement);
}

Result<std::string> load_attachment_content(Connection& c, AttachmentId id) {
  auto statement = c.prepare(
      "SELECT b.data FROM attachments a JOIN blobs b ON b.sha256 = a.sha256 WHERE a.id = ?");
  if (!statement) return error_of(statement);
  statement->bind(id);
  auto has_row = statement->step();
  if (!has_row) return error_of(has_row);
  if (!*has_row) return fail(ErrorCode::not_found, fmt::format("no attachment {}", id));
  return statement->blob_at(0);
}

Result<std::vector<Attachment>> load_ticket_attachments(Connection& c, TicketId ticket) {
  static const std::string sql = fmt::format(
      "SELECT {} FROM attachments WHERE ticket_id = ? AND entry_id IS NOT NULL "
      "ORDER BY entry_id, id",
      kColumns);
  auto statement = c.prepare(sql);
  if (!statement) return error_of(statement);
  statement->bind(ticket);
  return collect<Attachment>(*statement, attachment_from_row);
}

Result<std::vector<Attachment>> load_entry_attachments(Connection& c, EntryId entry) {
  static const std::string sql =
      fmt::format("SELECT {} FROM attachments WHERE entry_id = ? ORDER BY id", kColumns);
  auto statement = c.prepare(sql);
  if (!statement) return error_of(statement);
  statement->bind(entry);
  return collect<Attachment>(*statement, attachment_from_row);
}

Result<void> attach_to_entry(Connection& c, const Entry& entry, const EntryAttachments& files) {
  for (AttachmentId upload : files.uploads) {
    // Only an unbound upload of the entry's author: checked and claimed in one statement, so
    // two entries racing for one upload cannot both get it.
    auto statement = c.prepare(
        "UPDATE attachments SET ticket_id = ?, entry_id = ? "
        "WHERE id = ? AND uploader_id = ? AND entry_id IS NULL");
    if (!statement) return error_of(statement);
    statement->bind_all(entry.ticket, entry.id, upload, entry.author);
    if (auto r = statement->run(); !r) return r;
    if (c.changes() != 1)
      return invalid_field("attachment_ids",
                           fmt::format("upload {} is unknown, already used or not yours", upload));
  }
  for (const NewAttachment& file : files.contents)
    if (auto id = insert_record(c, file, entry.ticket, entry.id); !id) return error_of(id);
  return {};
}

Result<std::int64_t> delete_unused_uploads(Connection& c, Timestamp before, int limit) {
  auto select = c.prepare(
      "SELECT id, sha256 FROM attachments WHERE entry_id IS NULL AND created_at < ? "
      "ORDER BY created_at LIMIT ?");
  if (!select) return error_of(select);
  select->bind_all(before, std::clamp(limit, 1, 10000));
  std::vector<std::pair<AttachmentId, std::string>> doomed;
  for (;;) {
    auto has_row = select->step();
    if (!has_row) return error_of(has_row);
    if (!*has_row) break;
    doomed.emplace_back(select->int64_at(0), select->text_at(1));
  }
  for (const auto& [id, sha256] : doomed) {
    auto remove = c.prepare("DELETE FROM attachments WHERE id = ?");
    if (!remove) return error_of(remove);
    remove->bind(id);
    if (auto r = remove->run(); !r) return error_of(r);
    auto orphan = c.prepare(
        "DELETE FROM blobs WHERE sha256 = ? "
        "AND NOT EXISTS (SELECT 1 FROM attachments WHERE sha256 = ?)");
    if (!orphan) return error_of(orphan);
    orphan->bind_all(sha256, sha256);
    if (auto r = orphan->run(); !r) return error_of(r);
  }
  return static_cast<std::int64_t>(doomed.size());
}

}  // namespace fl::sqlite
