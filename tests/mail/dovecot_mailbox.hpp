// The test side of a mailbox on the dovecot that tests/integration/imap_server.py starts:
// delivers by writing into the user's maildir and reads flags and folders from the file
// names (Maildir++), so what the poller did is checked without the poller's own client.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "mail/imap_client.hpp"

namespace fl::testing {

// Empty when the tests run without the server (then they skip).
inline std::string imap_env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

#define FL_REQUIRE_IMAP_SERVER()                                                       \
  if (::fl::testing::imap_env("FL_IMAP_PORT").empty())                                 \
  GTEST_SKIP() << "no IMAP server: run under tests/integration/imap_server.py (ctest " \
                  "-L integration)"

enum class Transport { plain, imaps, starttls };

inline ImapAccount imap_account(const std::string& user, Transport transport = Transport::plain,
                                std::string folder = "INBOX") {
  ImapAccount a;
  a.user = user;
  a.password = "secret";
  a.tls_verify = false;  // the server's certificate is self-signed
  a.connect_timeout = std::chrono::seconds(5);
  a.command_timeout = std::chrono::seconds(10);
  if (transport == Transport::imaps)
    a.url = "imaps://127.0.0.1:" + imap_env("FL_IMAPS_PORT") + "/" + folder;
  else
    a.url = "imap://127.0.0.1:" + imap_env("FL_IMAP_PORT") + "/" + folder;
  a.starttls = transport == Transport::starttls;
  return a;
}

class DovecotMailbox {
 public:
  explicit DovecotMailbox(std::string user)
      : user_(std::move(user)),
        root_(std::filesystem::path(imap_env("FL_IMAP_MAILDIR_ROOT")) / user_) {}

  // A message with this Message-ID (and anything extra in its header), delivered.
  void deliver(const std::string& message_id, const std::string& extra_header = "",
               std::size_t body_bytes = 20) {
    std::string raw = "From: Ada <ada@example.com>\r\nTo: desk@example.com\r\nSubject: test " +
                      message_id + "\r\nMessage-ID: <" + message_id + ">\r\n" + extra_header +
                      "\r\n" + std::string(body_bytes, 'x') + "\r\n";
    const std::string name = std::to_string(++counter_) + "." + message_id + ".test";
    const auto tmp = root_ / "tmp" / name;
    {
      std::ofstream out(tmp, std::ios::binary);
      out << raw;
    }
    std::filesystem::rename(tmp, root_ / "new" / name);
  }

  // Messages in a folder ("" = INBOX) whose maildir flags contain `flag` ('S' seen, 'T' deleted,
  // 0 any); keywords are letters a-z in dovecot's keyword list.
  int count(const std::string& folder = "", char flag = 0) const {
    const auto dir = folder.empty() ? root_ : root_ / ("." + folder);
    int n = 0;
    for (const char* sub : {"new", "cur"}) {
      std::error_code ec;
      for (const auto& f : std::filesystem::directory_iterator(dir / sub, ec)) {
        const std::string name = f.path().filename().string();
        const auto info = name.find(":2,");
        const std::string flags = info == std::string::npos ? "" : name.substr(info + 3);
        if (flag == 0 || flags.find(flag) != std::string::npos) ++n;
      }
    }
    return n;
  }

  // Keyword letters are per maildir; dovecot names them in dovecot-keywords ("0 $Keyword").
  int count_keyword(const std::string& keyword) const {
    std::ifstream in(root_ / "dovecot-keywords");
    std::string line;
    while (std::getline(in, line))
      if (line.size() > 2 && line.substr(2) == keyword)
        return count("", static_cast<char>('a' + (line[0] - '0')));
    return 0;
  }

  const std::string& user() const { return user_; }

 private:
  std::string user_;
  std::filesystem::path root_;
  inline static std::atomic<int> counter_ = 0;
};

}  // namespace fl::testing
