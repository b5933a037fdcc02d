// Attachment use cases: upload a file (before the entry that uses it), download one, and
// clear away uploads nobody used. Binding an upload to an entry is TicketService's (in the
// entry's commit). Who may download is decided by the access rules of the entry the file
// belongs to (app/access.hpp); an unused upload only by its uploader. Thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "core/attachment.hpp"
#include "store/store.hpp"

namespace fl {

struct AttachmentOptions {
  std::int64_t max_bytes = kDefaultAttachmentMaxBytes;  // per file
  std::chrono::hours unused_lifetime{24};               // then an unused upload is deleted
};

struct AttachmentFile {
  Attachment attachment;
  std::string content;
};

// Lower-case hex SHA-256 of `bytes`.
[[nodiscard]] std::string sha256_hex(std::string_view bytes);

// A file made ready to store: name sanitised, type sniffed, hash taken. invalid_argument
// (field `file`) when it is empty or larger than `max_bytes`.
[[nodiscard]] Result<NewAttachment> prepare_attachment(std::string_view filename,
                                                       std::string content, UserId uploader,
                                                       Timestamp at, std::int64_t max_bytes);

class AttachmentService {
 public:
  AttachmentService(Store& store, const Clock& clock, AttachmentOptions options = {})
      : store_(store), clock_(clock), options_(options) {}

  // Stores an upload of the actor's, unbound until an entry names it (attachment_ids).
  Result<Attachment> upload(const Actor& actor, std::string_view filename, std::string content);
  // not_found also when the actor may not see the file (its existence is not disclosed).
  Result<AttachmentFile> download(const Actor& actor, AttachmentId id);
  // Deletes uploads still unused unused_lifetime after they came (at most `limit`).
  Result<std::int64_t> delete_unused(Timestamp now, int limit);

  [[nodiscard]] const AttachmentOptions& options() const { return options_; }

 private:
  Store& store_;
  const Clock& clock_;
  AttachmentOptions options_;
};

}  // namespace fl
