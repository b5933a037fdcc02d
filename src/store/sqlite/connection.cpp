// sqlite3 connection handling for the SQLite adapter: see connection.hpp.
#include "store/sqlite/connection.hpp"

#include <spdlog/fmt/fmt.h>

#include <charconv>

namespace fl::sqlite {

ErrorCode error_code_for(int extended_rc) {
  switch (extended_rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_ROWID:
      return ErrorCode::conflict;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
      return ErrorCode::invalid_argument;
    default:
      break;
  }
  switch (extended_rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
    case SQLITE_READONLY:
    case SQLITE_NOMEM:
      return ErrorCode::unavailable;
    case SQLITE_CONSTRAINT:
      return ErrorCode::invalid_argument;
    default:
      return ErrorCode::internal;
  }
}

bool is_unique_clash(const Error& error, std::string_view table_column) {
  return error.code == ErrorCode::conflict && error.message.find(table_column) != std::string::npos;
}

bool is_missing_reference(const Error& error) {
  return error.code == ErrorCode::invalid_argument &&
         error.message.find("FOREIGN KEY") != std::string::npos;
}

namespace {
Error error_from(sqlite3* db, int rc, std::string_view context) {
  const int extended = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (!context.empty()) message = fmt::format("{}: {}", context, message);
  return Error{error_code_for(extended), std::move(message), {}};
}
}  // namespace

// --- Statement ---------------------------------------------------------------------------

Statement::~Statement() {
  if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

Statement& Statement::bind(std::int64_t value) {
  sqlite3_bind_int64(stmt_, next_++, value);
  return *this;
}

Statement& Statement::bind(std::string_view value) {
  sqlite3_bind_text64(stmt_, next_++, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Statement& Statement::bind(BlobView value) {
  sqlite3_bind_blob64(stmt_, next_++, value.bytes.data(), value.bytes.size(), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind(std::nullopt_t) {
  sqlite3_bind_null(stmt_, next_++);
  return *this;
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return std::unexpected(error_from(db_, rc, {}));
}

Result<void> Statement::run() {
  for (;;) {
    auto row = step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row) return {};
  }
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::variant<std::monostate, std::int64_t, double, std::string> Statement::value_at(
    int column) const {
  switch (sqlite3_column_type(stmt_, column)) {
    case SQLITE_NULL: return std::monostate{};
    case SQLITE_INTEGER: return int64_at(column);
    case SQLITE_FLOAT: return sqlite3_column_double(stmt_, column);
    default: return text_at(column);
  }
}

std::int64_t Statement::int64_at(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

int Statement::int_at(int column) const {
  return sqlite3_column_int(stmt_, column);
}

std::string Statement::text_at(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (text == nullptr) return {};
  return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::string Statement::blob_at(int column) const {
  const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
  if (data == nullptr) return {};
  return std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<std::int64_t> Statement::optional_int64_at(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64_at(column);
}

std::optional<Timestamp> Statement::optional_time_at(int column) const {
  if (is_null(column)) return std::nullopt;
  return time_at(column);
}

// --- Connection --------------------------------------------------------------------------

Result<Connection> Connection::open(const std::filesystem::path& file,
                                    const ConnectionOptions& options) {
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  flags |= options.access == Access::read_write ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                                : SQLITE_OPEN_READONLY;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
  Connection connection(raw);  // owns raw even when opening failed
  if (rc != SQLITE_OK) {
    Error error = error_from(raw, rc, fmt::format("cannot open {}", file.string()));
    error.code = ErrorCode::unavailable;
    return std::unexpected(std::move(error));
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, options.busy_timeout_ms);

  if (options.access == Access::read_write) {
    // WAL lets readers run beside the single writer. The mode is stored in the file, so
    // read-only connections opened afterwards use it too.
    auto mode = connection.pragma_text("PRAGMA journal_mode=WAL");
    if (!mode) return std::unexpected(std::move(mode.error()));
    if (*mode != "wal")
      return fail(ErrorCode::unavailable,
                  fmt::format("{}: journal mode is '{}', WAL is required", file.string(), *mode));
    // Debian's build defaults differ from upstream (see STACK.md): state every setting.
    const char* synchronous =
        options.synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL";
    if (auto r = connection.exec(synchronous); !r) return std::unexpected(std::move(r.error()));
    if (auto r = connection.exec("PRAGMA secure_delete=OFF"); !r)
      return std::unexpected(std::move(r.error()));
  } else {
    if (auto r = connection.exec("PRAGMA query_only=ON"); !r)
      return std::unexpected(std::move(r.error()));
  }
  if (auto r = connection.exec("PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY"); !r)
    return std::unexpected(std::move(r.error()));
  return connection;
}

Connection::Connection(Connection&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      cache_(std::move(other.cache_)),
      recency_(std::move(other.recency_)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    close();
    db_ = std::exchange(other.db_, nullptr);
    cache_ = std::move(other.cache_);
    recency_ = std::move(other.recency_);
  }
  return *this;
}

Connection::~Connection() {
  close();
}

void Connection::close() {
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
  cache_.clear();
  recency_.clear();
  if (db_ != nullptr) sqlite3_close_v2(db_);
  db_ = nullptr;
}

Result<Statement> Connection::prepare(std::string_view sql) {
  if (auto it = cache_.find(sql); it != cache_.end()) {
    recency_.splice(recency_.begin(), recency_, it->second.recency);
    return Statement(db_, it->second.stmt);
  }
  if (cache_.size() >= kMaxCachedStatements) {
    // Only statements not in use can be evicted; callers hold at most a few at once, and
    // those are the most recently used.
    auto victim = cache_.find(recency_.back());
    sqlite3_finalize(victim->second.stmt);
    cache_.erase(victim);
    recency_.pop_back();
  }
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return std::unexpected(error_from(db_, rc, "prepare"));
  recency_.emplace_front(sql);
  cache_.emplace(recency_.front(), CachedStatement{stmt, recency_.begin()});
  return Statement(db_, stmt);
}

Result<void> Connection::run(std::string_view sql) {
  auto statement = prepare(sql);
  if (!statement) return error_of(statement);
  return statement->run();
}

Result<void> Connection::exec(const char* sql) {
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return std::unexpected(error_from(db_, rc, {}));
  return {};
}

std::int64_t Connection::last_insert_id() const {
  return sqlite3_last_insert_rowid(db_);
}

std::int64_t Connection::changes() const {
  return sqlite3_changes64(db_);
}

bool Connection::in_transaction() const {
  return sqlite3_get_autocommit(db_) == 0;
}

Result<std::string> Connection::pragma_text(const char* pragma_sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, pragma_sql, -1, &stmt, nullptr);
  if (rc != SQLITE_OK) return std::unexpected(error_from(db_, rc, pragma_sql));
  std::string value;
  rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    if (text != nullptr) value = text;
    rc = sqlite3_step(stmt);
  }
  std::optional<Error> error;
  if (rc != SQLITE_DONE) error = error_from(db_, rc, pragma_sql);
  sqlite3_finalize(stmt);
  if (error) return std::unexpected(std::move(*error));
  return value;
}

Result<std::int64_t> Connection::pragma_int(const char* pragma_sql) {
  auto text = pragma_text(pragma_sql);
  if (!text) return std::unexpected(std::move(text.error()));
  std::int64_t value = 0;
  const char* end = text->data() + text->size();
  if (auto [ptr, ec] = std::from_chars(text->data(), end, value); ec != std::errc{} || ptr != end)
    return fail(ErrorCode::internal, fmt::format("{}: not a number: '{}'", pragma_sql, *text));
  return value;
}

}  // namespace fl::sqlite
