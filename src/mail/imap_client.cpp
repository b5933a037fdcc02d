#include "mail/imap_client.hpp"

#include <curl/curl.h>
#include <poll.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <stdexcept>

#include "curl_support/curl_global.hpp"

namespace fl {

namespace {

using Clock = std::chrono::steady_clock;

// One untagged answer: its text with each literal's "{n}" left in place, and the literals.
struct Untagged {
  std::string line;
  std::vector<std::string> literals;
};

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(text[i])) !=
        std::toupper(static_cast<unsigned char>(prefix[i])))
      return false;
  return true;
}

std::optional<std::uint64_t> number_after(std::string_view text, std::string_view key) {
  for (std::size_t at = 0; at + key.size() <= text.size(); ++at) {
    if (!starts_with_ci(text.substr(at), key)) continue;
    std::uint64_t n = 0;
    const char* begin = text.data() + at + key.size();
    auto [end, ec] = std::from_chars(begin, text.data() + text.size(), n);
    if (ec == std::errc{} && end != begin) return n;
  }
  return std::nullopt;
}

// An IMAP quoted string (folder names are printable ASCII once imap_mailbox_name() has
// encoded them).
std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

// The next code point of valid UTF-8 at `at` (advanced past it); nullopt for anything else
// (a stray continuation byte, an overlong form, a surrogate, beyond U+10FFFF, cut short).
std::optional<char32_t> next_code_point(std::string_view s, std::size_t& at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(at);
  std::size_t n = 0;
  char32_t cp = 0, min = 0;
  if (lead < 0x80) {
    ++at;
    return lead;
  }
  if ((lead & 0xe0) == 0xc0) {
    n = 1, cp = lead & 0x1f, min = 0x80;
  } else if ((lead & 0xf0) == 0xe0) {
    n = 2, cp = lead & 0x0f, min = 0x800;
  } else if ((lead & 0xf8) == 0xf0) {
    n = 3, cp = lead & 0x07, min = 0x10000;
  } else {
    return std::nullopt;
  }
  for (std::size_t i = 1; i <= n; ++i) {
    if (at + i >= s.size() || (byte(at + i) & 0xc0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (byte(at + i) & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return std::nullopt;
  at += n + 1;
  return cp;
}

bool is_control(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

}  // namespace

Result<std::string> imap_mailbox_name(std::string_view utf8) {
  // RFC 3501 5.1.3: printable ASCII stands for itself ("&" as "&-"); a run of anything else is
  // its UTF-16BE in base64 with "," for "/", no padding, between "&" and "-".
  static constexpr char kBase64[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";
  std::string out;
  std::vector<char16_t> run;
  auto flush = [&] {
    if (run.empty()) return;
    out += '&';
    std::uint32_t bits = 0;
    int held = 0;
    for (char16_t unit : run) {
      bits = (bits << 16) | unit;
      held += 16;
      while (held >= 6) {
        held -= 6;
        out += kBase64[(bits >> held) & 0x3f];
      }
    }
    if (held > 0) out += kBase64[(bits << (6 - held)) & 0x3f];
    out += '-';
    run.clear();
  };
  for (std::size_t at = 0; at < utf8.size();) {
    const auto cp = next_code_point(utf8, at);
    if (!cp) return fail(ErrorCode::invalid_argument, "a folder name that is not UTF-8");
    if (is_control(*cp))
      return fail(ErrorCode::invalid_argument, "a control character in a folder name");
    if (*cp < 0x7f) {
      flush();
      out += static_cast<char>(*cp);
      if (*cp == '&') out += '-';
    } else if (*cp < 0x10000) {
      run.push_back(static_cast<char16_t>(*cp));
    } else {
      const char32_t v = *cp - 0x10000;
      run.push_back(static_cast<char16_t>(0xd800 + (v >> 10)));
      run.push_back(static_cast<char16_t>(0xdc00 + (v & 0x3ff)));
    }
  }
  flush();
  return out;
}

Result<std::string> imap_folder(std::string_view url) {
  std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos ||
      (url.substr(0, scheme_end) != "imap" && url.substr(0, scheme_end) != "imaps"))
    return fail(ErrorCode::invalid_argument,
                "an imap:// or imaps:// URL, got '" + std::string(url) + "'");
  std::string_view rest = url.substr(scheme_end + 3);
  std::size_t slash = rest.find('/');
  if (slash == 0) return fail(ErrorCode::invalid_argument, "the URL has no host");
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
  std::string folder;
  for (std::size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (c == '%' && i + 2 < path.size()) {
      int v = 0;
      auto [p, ec] = std::from_chars(path.data() + i + 1, path.data() + i + 3, v, 16);
      if (ec != std::errc{} || p != path.data() + i + 3)
        return fail(ErrorCode::invalid_argument, "a bad %-escape in the URL's folder");
      c = static_cast<char>(v);
      i += 2;
    }
    if (c == ';' || c == '?') break;  // ;UID=... and the like: not for a poller
    folder += c;
  }
  if (folder.empty()) folder = "INBOX";
  if (auto checked = imap_mailbox_name(folder); !checked)
    return fail(ErrorCode::invalid_argument, "the URL's folder: " + checked.error().message);
  return folder;
}

class ImapSession::Impl {
 public:
  Impl(const ImapAccount& account, const std::atomic<bool>* cancel)
      : account_(account), cancel_(cancel) {}

  ~Impl() {
    if (easy_ != nullptr) {
      if (connected_) {
        // Politeness only: a short wait, and nothing depends on the answer.
        account_.command_timeout = std::chrono::milliseconds(500);
        (void)command("LOGOUT");
      }
      curl_easy_cleanup(easy_);
    }
  }

  Result<void> open() {
    start_curl();
    auto folder = imap_folder(account_.url);
    if (!folder) return std::unexpected(folder.error());
    easy_ = curl_easy_init();
    if (easy_ == nullptr) return fail(ErrorCode::unavailable, "libcurl: no handle");
    CURL* e = easy_;
    curl_easy_setopt(e, CURLOPT_URL, account_.url.c_str());
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "imap,imaps");
    curl_easy_setopt(e, CURLOPT_USERNAME, account_.user.c_str());
    curl_easy_setopt(e, CURLOPT_PASSWORD, account_.password.c_str());
    // Connect, TLS and login, then hand the connection over (curl_easy_send/recv).
    curl_easy_setopt(e, CURLOPT_CONNECT_ONLY, 1L);
    if (account_.starttls) curl_easy_setopt(e, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    if (!account_.ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, account_.ca_file.c_str());
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, account_.tls_verify ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, account_.tls_verify ? 2L : 0L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(account_.connect_timeout.count()));
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(account_.connect_timeout.count()));
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, error_);
    const CURLcode code = curl_easy_perform(e);
    if (code != CURLE_OK) {
      std::string why = error_[0] != '\0' ? std::string(error_) : curl_easy_strerror(code);
      return fail(code == CURLE_LOGIN_DENIED ? ErrorCode::unauthenticated : ErrorCode::unavailable,
                  "imap " + host() + ": " + why);
    }
    curl_easy_getinfo(e, CURLINFO_ACTIVESOCKET, &socket_);
    connected_ = true;
    auto caps = command("CAPABILITY");
    if (!caps) return std::unexpected(caps.error());
    for (const auto& u : *caps) {
      if (!starts_with_ci(u.line, "* CAPABILITY ")) continue;
      std::string line = " " + u.line + " ";
      std::ranges::transform(line, line.begin(), [](unsigned char c) { return std::toupper(c); });
      move_ = line.find(" MOVE ") != std::string::npos;
      uidplus_ = line.find(" UIDPLUS ") != std::string::npos;
    }
    folder_ = *folder;
    auto wire = imap_mailbox_name(folder_);
    if (!wire) return std::unexpected(wire.error());
    auto selected = command("SELECT " + quoted(*wire));
    if (!selected) return std::unexpected(selected.error());
    return {};
  }

  // Sends one command and reads up to its tagged answer. NO and BAD are errors.
  Result<std::vector<Untagged>> command(std::string_view text) {
    if (!connected_) return fail(ErrorCode::unavailable, "imap: the connection is gone");
    const std::string tag = "f" + std::to_string(++tag_counter_);
    const auto deadline = Clock::now() + account_.command_timeout;
    if (auto sent = send(tag + " " + std::string(text) + "\r\n", deadline); !sent)
      return lost(sent.error());
    std::vector<Untagged> untagged;
    for (;;) {
      auto read = read_response(deadline);
      if (!read) return lost(read.error());
      if (read->line.starts_with("* ")) {
        untagged.push_back(std::move(*read));
        continue;
      }
      if (!read->line.starts_with(tag + " ")) continue;  // a continuation: none are asked for
      std::string_view status = std::string_view(read->line).substr(tag.size() + 1);
      if (starts_with_ci(status, "OK")) return untagged;
      const std::string verb(text.substr(0, std::min<std::size_t>(text.find(' '), 24)));
      if (starts_with_ci(status, "NO"))
        return fail(ErrorCode::failed_precondition,
                    "imap " + verb + ": " +
                        std::string(status.substr(std::min<std::size_t>(3, status.size()))));
      return fail(ErrorCode::internal, "imap " + verb + ": " + std::string(status));
    }
  }

  const std::string& folder() const { return folder_; }
  bool can_move() const { return move_; }
  void set_cancel(const std::atomic<bool>* cancel) { cancel_ = cancel; }
  bool uidplus() const { return uidplus_; }

 private:
  std::string host() const {
    std::string_view u = account_.url;
    auto start = u.find("://");
    u = start == std::string_view::npos ? u : u.substr(start + 3);
    return std::string(u.substr(0, u.find('/')));
  }

  // Any failure on the wire leaves the session unusable: the next command must not read a
  // stale answer to this one.
  std::unexpected<Error> lost(Error e) {
    connected_ = false;
    e.message = "imap " + host() + ": " + e.message;
    return std::unexpected(std::move(e));
  }

  bool cancelled() const { return cancel_ != nullptr && cancel_->load(); }

  // Waits for the socket, in short slices so a cancel is seen promptly.
  Result<void> wait(short events, Clock::time_point deadline) {
    for (;;) {
      if (cancelled()) return fail(ErrorCode::unavailable, "cancelled (shutting down)");
      const auto left = deadline - Clock::now();
      if (left <= Clock::duration::zero()) return fail(ErrorCode::unavailable, "timed out");
      const auto slice = std::min<Clock::duration>(left, std::chrono::milliseconds(100));
      pollfd p{static_cast<int>(socket_), events, 0};
      const int n = ::poll(
          &p, 1, static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(slice).count()));
      if (n > 0) return {};
      if (n < 0 && errno != EINTR) return fail(ErrorCode::unavailable, "poll failed");
    }
  }

  Result<void> send(std::string_view data, Clock::time_point deadline) {
    while (!data.empty()) {
      std::size_t n = 0;
      const CURLcode code = curl_easy_send(easy_, data.data(), data.size(), &n);
      if (code == CURLE_AGAIN) {
        if (auto w = wait(POLLOUT, deadline); !w) return w;
        continue;
      }
      if (code != CURLE_OK) return fail(ErrorCode::unavailable, curl_easy_strerror(code));
      data.remove_prefix(n);
    }
    return {};
  }

  // More bytes into in_. The TLS layer may hold decrypted bytes the socket no longer shows,
  // so it is asked before waiting.
  Result<void> receive(Clock::time_point deadline) {
    char buffer[16384];
    for (;;) {
      std::size_t n = 0;
      const CURLcode code = curl_easy_recv(easy_, buffer, sizeof buffer, &n);
      if (code == CURLE_OK) {
        if (n == 0) return fail(ErrorCode::unavailable, "the server closed the connection");
        in_.append(buffer, n);
        return {};
      }
      if (code != CURLE_AGAIN) return fail(ErrorCode::unavailable, curl_easy_strerror(code));
      if (auto w = wait(POLLIN, deadline); !w) return w;
    }
  }

  // One response: a line, and where it ends in a literal "{n}", the n bytes and the line's
  // continuation, as often as it says so.
  Result<Untagged> read_response(Clock::time_point deadline) {
    Untagged out;
    for (;;) {
      std::size_t eol;
      while ((eol = in_.find("\r\n", scanned_)) == std::string::npos) {
        if (in_.size() > kMaxLine) return fail(ErrorCode::unavailable, "an answer line too long");
        scanned_ = in_.empty() ? 0 : in_.size() - 1;
        if (auto r = receive(deadline); !r) return std::unexpected(r.error());
      }
      std::string_view line(in_.data(), eol);
      out.line.append(line);
      std::optional<std::size_t> literal;
      if (line.ends_with('}')) {
        auto open = line.rfind('{');
        if (open != std::string_view::npos) {
          std::string_view digits = line.substr(open + 1, line.size() - open - 2);
          if (digits.ends_with('+')) digits.remove_suffix(1);
          std::size_t n = 0;
          auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
          if (ec == std::errc{} && p == digits.data() + digits.size() && !digits.empty())
            literal = n;
        }
      }
      in_.erase(0, eol + 2);
      scanned_ = 0;
      if (!literal) return out;
      if (*literal > account_.max_literal_bytes)
        return fail(ErrorCode::unavailable,
                    "the server sent " + std::to_string(*literal) + " bytes, more than allowed");
      while (in_.size() < *literal)
        if (auto r = receive(deadline); !r) return std::unexpected(r.error());
      out.literals.emplace_back(in_.data(), *literal);
      in_.erase(0, *literal);
    }
  }

  static constexpr std::size_t kMaxLine = 1 << 20;  // a line is never near this, a literal may

  ImapAccount account_;
  const std::atomic<bool>* cancel_;
  CURL* easy_ = nullptr;
  curl_socket_t socket_ = CURL_SOCKET_BAD;
  char error_[CURL_ERROR_SIZE] = {};
  bool connected_ = false;
  bool move_ = false;
  bool uidplus_ = false;
  std::string folder_;
  std::string in_;
  std::size_t scanned_ = 0;
  unsigned tag_counter_ = 0;
};

ImapSession::ImapSession(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ImapSession::~ImapSession() = default;

Result<std::unique_ptr<ImapSession>> ImapSession::open(const ImapAccount& account,
                                                       const std::atomic<bool>* cancel) {
  auto impl = std::make_unique<Impl>(account, cancel);
  if (auto opened = impl->open(); !opened) return std::unexpected(opened.error());
  return std::unique_ptr<ImapSession>(new ImapSession(std::move(impl)));
}

bool ImapSession::can_move() const {
  return impl_->can_move();
}

void ImapSession::set_cancel(const std::atomic<bool>* cancel) {
  impl_->set_cancel(cancel);
}

Result<std::vector<std::uint32_t>> ImapSession::search(std::string_view criteria) {
  auto answer = impl_->command("UID SEARCH " + std::string(criteria));
  if (!answer) return std::unexpected(answer.error());
  std::vector<std::uint32_t> uids;
  for (const auto& u : *answer) {
    if (!starts_with_ci(u.line, "* SEARCH")) continue;
    std::string_view rest = std::string_view(u.line).substr(8);
    while (!rest.empty()) {
      while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
      std::uint32_t uid = 0;
      auto [p, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), uid);
      if (ec != std::errc{}) break;
      uids.push_back(uid);
      rest.remove_prefix(static_cast<std::size_t>(p - rest.data()));
    }
  }
  std::ranges::sort(uids);
  return uids;
}

Result<std::vector<ImapMessageSize>> ImapSession::sizes(const std::vector<std::uint32_t>& uids) {
  std::vector<ImapMessageSize> out;
  constexpr std::size_t kPerCommand = 500;  // keeps each command line short
  for (std::size_t start = 0; start < uids.size(); start += kPerCommand) {
    std::string set;
    for (std::size_t i = start; i < std::min(uids.size(), start + kPerCommand); ++i)
      set += (set.empty() ? "" : ",") + std::to_string(uids[i]);
    auto answer = impl_->command("UID FETCH " + set + " (RFC822.SIZE)");
    if (!answer) return std::unexpected(answer.error());
    for (const auto& u : *answer) {
      auto uid = number_after(u.line, "UID ");
      auto size = number_after(u.line, "RFC822.SIZE ");
      if (uid && size) out.push_back({static_cast<std::uint32_t>(*uid), *size});
    }
  }
  std::ranges::sort(out, {}, &ImapMessageSize::uid);
  return out;
}

Result<std::string> ImapSession::fetch(std::uint32_t uid) {
  auto answer = impl_->command("UID FETCH " + std::to_string(uid) + " (BODY.PEEK[])");
  if (!answer) return std::unexpected(answer.error());
  for (auto& u : *answer)
    if (u.line.find(" FETCH ") != std::string::npos && u.line.find("BODY[]") != std::string::npos &&
        number_after(u.line, "UID ") == uid && !u.literals.empty())
      return std::move(u.literals.front());
  return fail(ErrorCode::not_found, "imap: no message with UID " + std::to_string(uid));
}

Result<void> ImapSession::add_flags(std::uint32_t uid, std::string_view flags) {
  auto answer = impl_->command("UID STORE " + std::to_string(uid) + " +FLAGS.SILENT (" +
                               std::string(flags) + ")");
  if (!answer) return std::unexpected(answer.error());
  return {};
}

Result<void> ImapSession::remove(std::uint32_t uid) {
  if (auto flagged = add_flags(uid, "\\Deleted"); !flagged) return flagged;
  // UID EXPUNGE touches only this message; a plain EXPUNGE also removes what others marked.
  auto answer = impl_->command(impl_->uidplus() ? "UID EXPUNGE " + std::to_string(uid) : "EXPUNGE");
  if (!answer) return std::unexpected(answer.error());
  return {};
}

Result<void> ImapSession::move(std::uint32_t uid, std::string_view folder) {
  auto wire = imap_mailbox_name(folder);
  if (!wire) return std::unexpected(wire.error());
  const std::string verb = impl_->can_move() ? "UID MOVE " : "UID COPY ";
  const std::string text = verb + std::to_string(uid) + " " + quoted(*wire);
  auto answer = impl_->command(text);
  if (!answer && answer.error().code == ErrorCode::failed_precondition) {
    // [TRYCREATE] or not: create it and try once more (CREATE of an existing folder says NO).
    (void)impl_->command("CREATE " + quoted(*wire));
    answer = impl_->command(text);
  }
  if (!answer) return std::unexpected(answer.error());
  if (impl_->can_move()) return {};
  return remove(uid);
}

}  // namespace fl
