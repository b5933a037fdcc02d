// Attachments and their content-addressed blobs as SQL (Store: insert_upload, attachment,
// attachment_content, delete_unused_uploads; binding in commit_ticket_change).
#pragma once

#include <string>
#include <vector>

#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace fl::sqlite {

[[nodiscard]] Result<Attachment> insert_upload(Connection& c, const NewAttachment& upload);
[[nodiscard]] Result<Attachment> load_attachment(Connection& c, AttachmentId id);
[[nodiscard]] Result<std::string> load_attachment_content(Connection& c, AttachmentId id);
// The attachments of a ticket's entries, by entry, then id.
[[nodiscard]] Result<std::vector<Attachment>> load_ticket_attachments(Connection& c,
                                                                      TicketId ticket);
[[nodiscard]] Result<std::vector<Attachment>> load_entry_attachments(Connection& c, EntryId entry);
// Binds uploads to a stored entry and stores new contents with it (see TicketChange).
[[nodiscard]] Result<void> attach_to_entry(Connection& c, const Entry& entry,
                                           const EntryAttachments& files);
[[nodiscard]] Result<std::int64_t> delete_unused_uploads(Connection& c, Timestamp before,
                                                         int limit);

}  // namespace fl::sqlite
