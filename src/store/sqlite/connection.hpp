// Thin RAII layer over one sqlite3 connection: opening with the pragmas Firstline relies on,
// a per-connection cache of prepared statements, parameter binding and error mapping.
// Private to the SQLite adapter (and its white-box tests): sqlite3.h goes no further.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>

#include "core/error.hpp"
#include "core/time.hpp"

namespace fl::sqlite {

enum class Access { read_write, read_only };

// Passes a failed result's error on: `if (!r) return error_of(r);`.
template <class T>
[[nodiscard]] std::unexpected<Error> error_of(Result<T>& result) {
  return std::unexpected(std::move(result.error()));
}

// Maps an SQLite result code to the Store's error codes: unique clashes become conflict,
// foreign-key and check failures invalid_argument, busy/I/O faults unavailable.
[[nodiscard]] ErrorCode error_code_for(int extended_rc);

// True for a unique or primary-key clash whose message names `table_column` ("users.login").
[[nodiscard]] bool is_unique_clash(const Error& error, std::string_view table_column);
// True for a foreign-key failure (SQLite does not say which reference broke).
[[nodiscard]] bool is_missing_reference(const Error& error);

// One use of a cached prepared statement. It does not own the sqlite3_stmt; on destruction
// it resets the statement and clears its bindings so the next user starts clean and no read
// transaction is held open by a half-stepped query.
// Bytes bound as a BLOB (a std::string_view binds as TEXT).
struct BlobView {
  std::string_view bytes;
};

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(Statement&& other) noexcept
      : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)), next_(other.next_) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;

  // Binds the next positional parameter (1, 2, ...). Values are always bound, never spliced
  // into SQL text.
  Statement& bind(std::int64_t value);
  Statement& bind(int value) { return bind(static_cast<std::int64_t>(value)); }
  Statement& bind(bool value) { return bind(static_cast<std::int64_t>(value ? 1 : 0)); }
  Statement& bind(std::string_view value);
  Statement& bind(const std::string& value) { return bind(std::string_view{value}); }
  Statement& bind(const char* value) { return bind(std::string_view{value}); }
  Statement& bind(Timestamp value) { return bind(to_millis(value)); }
  Statement& bind(std::nullopt_t);
  Statement& bind(BlobView value);
  template <class T>
  Statement& bind(const std::optional<T>& value) {
    return value ? bind(*value) : bind(std::nullopt);
  }
  template <class... Args>
  Statement& bind_all(const Args&... args) {
    (bind(args), ...);
    return *this;
  }

  // Advances: true when a row is available, false when done.
  [[nodiscard]] Result<bool> step();
  // Runs a statement that returns no rows (or whose rows are ignored) to completion.
  [[nodiscard]] Result<void> run();

  [[nodiscard]] bool is_null(int column) const;
  // NULL, INTEGER, REAL or TEXT as they are stored (a BLOB reads as text).
  [[nodiscard]] std::variant<std::monostate, std::int64_t, double, std::string> value_at(int column) const;
  [[nodiscard]] std::int64_t int64_at(int column) const;
  [[nodiscard]] int int_at(int column) const;
  [[nodiscard]] std::string text_at(int column) const;
  [[nodiscard]] std::string blob_at(int column) const;
  [[nodiscard]] Timestamp time_at(int column) const { return from_millis(int64_at(column)); }
  [[nodiscard]] std::optional<std::int64_t> optional_int64_at(int column) const;
  [[nodiscard]] std::optional<Timestamp> optional_time_at(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  int next_ = 1;
};

struct ConnectionOptions {
  Access access = Access::read_write;
  bool synchronous_full = true;
  int busy_timeout_ms = 5000;
};

// One sqlite3 connection. Not thread-safe: it is used by one thread at a time (the writer
// thread, or a reader that borrowed it from the pool).
class Connection {
 public:
  [[nodiscard]] static Result<Connection> open(const std::filesystem::path& file,
                                               const ConnectionOptions& options);
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // A prepared statement from this connection's cache (prepared on first use). The cache is
  // bounded (least recently used statements are finalised) because listing queries vary in
  // shape with their filters.
  [[nodiscard]] Result<Statement> prepare(std::string_view sql);

  // Runs one cached statement without parameters to completion (transaction control).
  [[nodiscard]] Result<void> run(std::string_view sql);

  // Runs one or more statements without parameters, uncached (schema, pragmas).
  [[nodiscard]] Result<void> exec(const char* sql);

  [[nodiscard]] std::int64_t last_insert_id() const;
  [[nodiscard]] std::int64_t changes() const;
  [[nodiscard]] bool in_transaction() const;
  [[nodiscard]] Result<std::string> pragma_text(const char* pragma_sql);
  [[nodiscard]] Result<std::int64_t> pragma_int(const char* pragma_sql);

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  void close();

  // Lets the cache be searched with a string_view, without building a std::string per call.
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const noexcept {
      return std::hash<std::string_view>{}(sql);
    }
  };
  struct CachedStatement {
    sqlite3_stmt* stmt;
    std::list<std::string>::iterator recency;
  };
  static constexpr std::size_t kMaxCachedStatements = 96;

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, CachedStatement, SqlHash, std::equal_to<>> cache_;
  std::list<std::string> recency_;  // front: most recently used
};

}  // namespace fl::sqlite
