// Reading a JSON request body field by field, collecting every problem with its field
// name, so a client learns all that is wrong in one 422 rather than one at a time.
#pragma once

#include <boost/json.hpp>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/names.hpp"
#include "http/message.hpp"

namespace fl::http {

class JsonBody {
 public:
  // 415 for a body that is not JSON, 400 for malformed JSON or a non-object.
  static std::expected<JsonBody, Response> parse(const Request& request);

  [[nodiscard]] bool has(std::string_view key) const { return obj_.contains(key); }
  [[nodiscard]] bool is_null(std::string_view key) const;

  std::optional<std::string> string(std::string_view key, bool required = false);
  std::optional<std::int64_t> integer(std::string_view key, bool required = false);
  std::optional<bool> boolean(std::string_view key);
  std::optional<std::vector<std::string>> strings(std::string_view key);
  std::optional<std::vector<std::int64_t>> integers(std::string_view key);
  std::optional<std::vector<std::vector<std::string>>> string_lists(std::string_view key, bool required = false);

  template <class E>
  std::optional<E> enumeration(std::string_view key, bool required = false) {
    auto s = string(key, required);
    if (!s) return std::nullopt;
    auto e = parse_name<E>(*s);
    if (!e) error(key, "one of: " + allowed_names<E>());
    return e;
  }

  // A nested object (nullopt if absent or null; an error if not an object). Report its
  // errors back with absorb(): they are named "key.field".
  std::optional<JsonBody> object(std::string_view key);
  void absorb(const JsonBody& nested);

  void error(std::string_view field, std::string message);
  // invalid_argument with every field error, if any was found.
  [[nodiscard]] Result<void> finish() const;

 private:
  explicit JsonBody(boost::json::object obj, std::string prefix = {})
      : obj_(std::move(obj)), prefix_(std::move(prefix)) {}
  const boost::json::value* get(std::string_view key, bool required);
  boost::json::object obj_;
  std::string prefix_;
  std::vector<FieldError> errors_;
};

}  // namespace fl::http
