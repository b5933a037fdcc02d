#include "app/attachments.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>

#include "app/access.hpp"

namespace fl {

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size());
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string out;
  out.reserve(digest.size() * 2);
  for (unsigned char b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 0x0F];
  }
  return out;
}

Result<NewAttachment> prepare_attachment(std::string_view filename, std::string content,
                                         UserId uploader, Timestamp at, std::int64_t max_bytes) {
  if (content.empty()) return invalid_field("file", "is empty");
  if (std::cmp_greater(content.size(), max_bytes))
    return invalid_field("file", "larger than " + std::to_string(max_bytes) + " bytes");
  NewAttachment a;
  a.filename = sanitise_filename(filename);
  a.content_type = sniff_content_type(content, a.filename);
  a.sha256 = sha256_hex(content);
  a.content = std::move(content);
  a.uploader = uploader;
  a.created_at = at;
  return a;
}

Result<Attachment> AttachmentService::upload(const Actor& actor, std::string_view filename,
                                             std::string content) {
  auto prepared = prepare_attachment(filename, std::move(content), actor.user.id, clock_.now(),
                                     options_.max_bytes);
  if (!prepared) return std::unexpected(prepared.error());
  return store_.insert_upload(*prepared);
}

Result<AttachmentFile> AttachmentService::download(const Actor& actor, AttachmentId id) {
  auto hidden = [id] { return fail(ErrorCode::not_found, "no attachment " + std::to_string(id)); };
  auto a = store_.attachment(id);
  if (!a) return std::unexpected(a.error());
  if (!a->bound()) {
    if (a->uploader != actor.user.id) return hidden();
  } else {
    // Exactly who may see the entry: the ticket, then the entry's kind.
    auto t = store_.ticket(*a->ticket);
    if (!t) return std::unexpected(t.error());
    if (!may(actor, TicketAction::view, *t)) return hidden();
    auto entries = store_.entries(*a->ticket);
    if (!entries) return std::unexpected(entries.error());
    auto entry = std::ranges::find(*entries, *a->entry, &Entry::id);
    if (entry == entries->end() || !may_see_entry(actor, *t, *entry)) return hidden();
  }
  auto content = store_.attachment_content(id);
  if (!content) return std::unexpected(content.error());
  return AttachmentFile{std::move(*a), std::move(*content)};
}

Result<std::int64_t> AttachmentService::delete_unused(Timestamp now, int limit) {
  return store_.delete_unused_uploads(now - options_.unused_lifetime, limit);
}

}  // namespace fl
