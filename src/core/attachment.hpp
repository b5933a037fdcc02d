// Attachments: files on timeline entries. Their bytes are content-addressed (one blob per
// SHA-256, however often it is attached); the record names the file, who uploaded it and the
// entry it belongs to. A file is uploaded first (no entry yet) and then bound to the entry that
// uses it, once, in the entry's commit. Pure rules only: what a file is, what it is called.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/ids.hpp"
#include "core/time.hpp"

namespace fl {

using AttachmentId = std::int64_t;

inline constexpr std::size_t kMaxAttachmentsPerEntry = 20;
inline constexpr std::size_t kMaxFilenameBytes = 255;
inline constexpr std::int64_t kDefaultAttachmentMaxBytes = 20 << 20;  // 20 MiB

struct Attachment {
  AttachmentId id = 0;
  std::optional<TicketId> ticket;  // none until bound to an entry
  std::optional<EntryId> entry;
  UserId uploader = 0;
  std::string filename;      // sanitised (sanitise_filename)
  std::string content_type;  // sniffed from the bytes, never the client's word
  std::int64_t size = 0;
  std::string sha256;  // lower-case hex of the content
  Timestamp created_at{};
  [[nodiscard]] bool bound() const { return entry.has_value(); }
};

// The media type of `bytes` from their magic numbers: png, jpeg, gif, webp, pdf; zip (and the
// Office Open XML types when `filename` ends in .docx, .xlsx or .pptx); valid UTF-8 without
// NUL is text/plain; anything else application/octet-stream. Never text/html or an SVG, so a
// stored file cannot run script in the desk's origin.
[[nodiscard]] std::string sniff_content_type(std::string_view bytes, std::string_view filename);

// A file name fit to store and to send back in a header: the last path segment only (/ and \),
// no control characters, invalid UTF-8 replaced by '_', trimmed, at most kMaxFilenameBytes
// (cut on a character boundary, the extension kept); "attachment" when nothing is left.
[[nodiscard]] std::string sanitise_filename(std::string_view raw);

// Types a browser may show in place (images, PDF); everything else is offered as a download.
[[nodiscard]] bool shows_inline(std::string_view content_type);

// True for valid UTF-8 (no overlong forms, no surrogates).
[[nodiscard]] bool is_valid_utf8(std::string_view text);

}  // namespace fl
