// One IMAP connection to one mailbox folder, for the poller (mail/imap_poller.hpp): libcurl
// connects, does TLS (imaps:// or STARTTLS) and logs in; the few commands the poller needs are
// then spoken over that connection here, because libcurl's own FETCH sets \Seen (BODY[]) and
// its custom requests drop literals (the message itself). libcurl stays in the .cpp.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace fl {

struct ImapAccount {
  std::string url;  // imaps://host:993/INBOX or imap://host:143/INBOX (no folder: INBOX)
  std::string user;
  std::string password;
  bool starttls = false;  // imap:// only: STARTTLS is required before the login
  // Off only for test servers with self-signed certificates: without it anyone on the path
  // can read the password and the mail.
  bool tls_verify = true;
  // PEM file of the CA(s) to trust instead of the system's store (a site's own CA); empty:
  // the system's.
  std::string ca_file;
  std::chrono::milliseconds connect_timeout = std::chrono::seconds(10);  // including the login
  std::chrono::milliseconds command_timeout = std::chrono::seconds(60);  // one whole answer
  // The largest literal (a fetched message) accepted from the server, whatever it announced
  // beforehand; a larger one ends the session (unavailable).
  std::uint64_t max_literal_bytes = 64 << 20;
};

struct ImapMessageSize {
  std::uint32_t uid = 0;
  std::uint64_t bytes = 0;
};

// The folder named by the URL's path ("INBOX" when it has none), percent-decoded, in UTF-8.
// invalid_argument: not an imap:// or imaps:// URL, or a folder name that is not UTF-8 or
// holds control characters.
[[nodiscard]] Result<std::string> imap_folder(std::string_view url);

// A UTF-8 folder name as IMAP spells it on the wire: modified UTF-7 (RFC 3501 5.1.3), e.g.
// "Entwürfe" -> "Entw&APw-rfe", "&" -> "&-"; printable ASCII otherwise stays as it is.
// invalid_argument: not UTF-8, or a control character (U+0000..U+001F, U+007F..U+009F).
[[nodiscard]] Result<std::string> imap_mailbox_name(std::string_view utf8);

// Not thread-safe: one thread at a time. Errors: unauthenticated (the server refused the
// login), unavailable (no connection, TLS failure, a timeout, the connection lost; the session
// is then unusable), failed_precondition (the server answered NO), internal (BAD: a bug here).
class ImapSession {
 public:
  // Connects, logs in and selects the account's folder. `cancel`, when set, cuts off any
  // command in progress within a fraction of a second (as unavailable).
  [[nodiscard]] static Result<std::unique_ptr<ImapSession>> open(
      const ImapAccount& account, const std::atomic<bool>* cancel = nullptr);
  ~ImapSession();  // logs out, briefly
  ImapSession(const ImapSession&) = delete;
  ImapSession& operator=(const ImapSession&) = delete;

  // The UIDs (ascending) matching an IMAP search key, e.g. "UNSEEN UNDELETED".
  [[nodiscard]] Result<std::vector<std::uint32_t>> search(std::string_view criteria);
  // RFC822.SIZE of each UID that still exists.
  [[nodiscard]] Result<std::vector<ImapMessageSize>> sizes(const std::vector<std::uint32_t>& uids);
  // The raw message (BODY.PEEK[]: fetching does not set \Seen). not_found: no such UID.
  [[nodiscard]] Result<std::string> fetch(std::uint32_t uid);
  // Adds flags or keywords, e.g. "\\Seen" or "$FirstlineRejected".
  [[nodiscard]] Result<void> add_flags(std::uint32_t uid, std::string_view flags);
  // Into `folder` (UTF-8; created when missing): UID MOVE where the server has MOVE, else COPY,
  // then \Deleted and EXPUNGE (a crash between them leaves a copy in both, never none).
  [[nodiscard]] Result<void> move(std::uint32_t uid, std::string_view folder);
  // \Deleted and EXPUNGE (UID EXPUNGE where the server has UIDPLUS).
  [[nodiscard]] Result<void> remove(std::uint32_t uid);

  [[nodiscard]] bool can_move() const;
  // Replaces open()'s cancel flag; null: commands run to their timeout (for a step that must
  // not be cut off, such as marking a message that has just been committed).
  void set_cancel(const std::atomic<bool>* cancel);

  class Impl;

 private:
  explicit ImapSession(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fl
