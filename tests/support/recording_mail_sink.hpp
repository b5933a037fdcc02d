// A MailSink for tests and benches of the IMAP poller, until the real intake (MailIntake) is
// merged: each message is one row in a SQLite file (synchronous=FULL, so a row survives
// kill -9 once ingest() returns), deduplicated by Message-ID the way the intake does.
// Hooks let a test fail or crash at the two points that matter: before and after the commit.
#pragma once

#include <sqlite3.h>

#include <cctype>
#include <filesystem>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/mail_sink.hpp"

namespace fl::testing {

class RecordingMailSink final : public MailSink {
 public:
  explicit RecordingMailSink(const std::filesystem::path& file) {
    if (sqlite3_open(file.c_str(), &db_) != SQLITE_OK) throw std::runtime_error("sqlite open");
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=FULL");
    exec("PRAGMA busy_timeout=5000");
    exec(
        "CREATE TABLE IF NOT EXISTS message(message_id TEXT PRIMARY KEY, mailbox TEXT NOT NULL, "
        "raw TEXT NOT NULL, ticket INTEGER NOT NULL)");
  }
  ~RecordingMailSink() override { sqlite3_close(db_); }
  RecordingMailSink(const RecordingMailSink&) = delete;
  RecordingMailSink& operator=(const RecordingMailSink&) = delete;

  // Runs before the commit; an error from it is the sink's answer (nothing written).
  std::function<Result<void>(std::string_view raw)> before_commit;
  // Runs after the commit, before ingest() returns (a test crashes here).
  std::function<void(std::string_view raw)> after_commit;

  Result<IngestResult> ingest(std::string_view mailbox, std::string_view raw) override {
    if (raw.find("X-Test-Broken: yes") != std::string_view::npos)
      return fail(ErrorCode::invalid_argument, "not a message this desk accepts");
    if (before_commit)
      if (auto ok = before_commit(raw); !ok) return std::unexpected(ok.error());
    std::lock_guard lock(mutex_);
    const std::string id = message_id(raw);
    sqlite3_stmt* find = nullptr;
    sqlite3_prepare_v2(db_, "SELECT ticket FROM message WHERE message_id = ?", -1, &find, nullptr);
    sqlite3_bind_text(find, 1, id.data(), static_cast<int>(id.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(find) == SQLITE_ROW) {
      const auto ticket = sqlite3_column_int64(find, 0);
      sqlite3_finalize(find);
      return IngestResult{IngestOutcome::duplicate, TicketId{ticket}, "same Message-ID"};
    }
    sqlite3_finalize(find);
    sqlite3_stmt* insert = nullptr;
    sqlite3_prepare_v2(db_,
                       "INSERT INTO message(message_id, mailbox, raw, ticket) VALUES "
                       "(?, ?, ?, (SELECT COUNT(*) + 1 FROM message)) RETURNING ticket",
                       -1, &insert, nullptr);
    sqlite3_bind_text(insert, 1, id.data(), static_cast<int>(id.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 2, mailbox.data(), static_cast<int>(mailbox.size()),
                      SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 3, raw.data(), static_cast<int>(raw.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(insert) != SQLITE_ROW) {
      sqlite3_finalize(insert);
      return fail(ErrorCode::unavailable, sqlite3_errmsg(db_));
    }
    const auto ticket = sqlite3_column_int64(insert, 0);
    sqlite3_finalize(insert);
    if (after_commit) after_commit(raw);
    return IngestResult{IngestOutcome::created, TicketId{ticket}, ""};
  }

  // The Message-IDs committed for a mailbox, in commit order.
  std::vector<std::string> committed(std::string_view mailbox) {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db_, "SELECT message_id FROM message WHERE mailbox = ? ORDER BY ticket", -1,
                       &s, nullptr);
    sqlite3_bind_text(s, 1, mailbox.data(), static_cast<int>(mailbox.size()), SQLITE_TRANSIENT);
    while (sqlite3_step(s) == SQLITE_ROW)
      out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
    sqlite3_finalize(s);
    return out;
  }

  static std::string message_id(std::string_view raw) {
    const std::size_t end = raw.find("\r\n\r\n");
    std::string_view head = raw.substr(0, end);
    for (std::size_t at = 0; at < head.size();) {
      std::size_t eol = head.find("\r\n", at);
      std::string_view line = head.substr(at, eol == std::string_view::npos ? eol : eol - at);
      if (line.size() > 11) {
        std::string name(line.substr(0, 11));
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (name == "message-id:") {
          std::string_view v = line.substr(11);
          while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
          return std::string(v);
        }
      }
      if (eol == std::string_view::npos) break;
      at = eol + 2;
    }
    return "hash:" + std::to_string(std::hash<std::string_view>{}(raw));
  }

 private:
  void exec(const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
      std::string why = error != nullptr ? error : "?";
      sqlite3_free(error);
      throw std::runtime_error(why);
    }
  }

  std::mutex mutex_;
  sqlite3* db_ = nullptr;
};

}  // namespace fl::testing
