// Reading a JSON document field by field, collecting every problem by its path: the codecs'
// (sla_codec, rule_codec) shared reader. For the app's .cpp files only (Boost.JSON stays out
// of the public headers).
#pragma once

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/names.hpp"

namespace fl {


// Reads one JSON object field by field and collects what is wrong, by path.
class Reader {
 public:
  Reader(const boost::json::object& obj, std::string path, std::vector<FieldError>& errors)
      : obj_(obj), path_(std::move(path)), errors_(errors) {}

  void only(std::initializer_list<std::string_view> known) {
    for (const auto& [key, _] : obj_) {
      std::string_view k = key;
      if (k == "id" || k == "version" || k == "updated_at") continue;
      if (std::ranges::find(known, k) == known.end()) error(k, "unknown field");
    }
  }
  const boost::json::value* get(std::string_view key, bool required = false) {
    auto* v = obj_.if_contains(key);
    if (!v || v->is_null()) {
      if (required) error(key, "required");
      return nullptr;
    }
    return v;
  }
  std::optional<std::string> string(std::string_view key, bool required = false) {
    auto* v = get(key, required);
    if (!v) return std::nullopt;
    if (!v->is_string()) return error(key, "must be a string"), std::nullopt;
    return std::string(v->as_string());
  }
  std::optional<std::int64_t> integer(std::string_view key, bool required = false) {
    auto* v = get(key, required);
    if (!v) return std::nullopt;
    if (!v->is_int64()) return error(key, "must be an integer"), std::nullopt;
    return v->as_int64();
  }
  std::optional<std::chrono::minutes> duration(std::string_view key) {
    auto m = integer(key);
    if (!m) return std::nullopt;
    if (*m <= 0 || *m > 10 * 366 * 24 * 60)
      return error(key, "must be 1 minute to 10 years"), std::nullopt;
    return std::chrono::minutes{*m};
  }
  std::optional<bool> boolean(std::string_view key) {
    auto* v = get(key);
    if (!v) return std::nullopt;
    if (!v->is_bool()) return error(key, "must be true or false"), std::nullopt;
    return v->as_bool();
  }
  const boost::json::array* array(std::string_view key) {
    auto* v = get(key);
    if (!v) return nullptr;
    if (!v->is_array()) return error(key, "must be an array"), nullptr;
    return &v->as_array();
  }
  std::optional<Reader> object(std::string_view key) {
    auto* v = get(key);
    if (!v) return std::nullopt;
    if (!v->is_object()) return error(key, "must be an object"), std::nullopt;
    return Reader(v->as_object(), path_of(key), errors_);
  }
  template <class E>
  std::vector<E> names(std::string_view key) {
    std::vector<E> out;
    if (auto* a = array(key))
      for (const auto& v : *a) {
        auto e = v.is_string() ? parse_name<E>(v.as_string()) : std::nullopt;
        if (!e) {
          error(key, "each must be one of: " + allowed_names<E>());
          break;
        }
        out.push_back(*e);
      }
    return out;
  }
  std::vector<std::int64_t> ids(std::string_view key) {
    std::vector<std::int64_t> out;
    if (auto* a = array(key))
      for (const auto& v : *a) {
        if (!v.is_int64() || v.as_int64() <= 0) {
          error(key, "each must be a positive id");
          break;
        }
        out.push_back(v.as_int64());
      }
    return out;
  }
  std::vector<std::string> strings(std::string_view key) {
    std::vector<std::string> out;
    if (auto* a = array(key))
      for (const auto& v : *a) {
        if (!v.is_string()) {
          error(key, "each must be a string");
          break;
        }
        out.emplace_back(v.as_string());
      }
    return out;
  }
  void error(std::string_view key, std::string message) {
    errors_.push_back({path_of(key), std::move(message)});
  }
  std::string path_of(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }
  const boost::json::object& raw() const { return obj_; }
  // A reader of `o`, found at `key`, collecting into the same errors.
  Reader nested(const boost::json::object& o, std::string_view key) const {
    return Reader(o, path_of(key), errors_);
  }

 private:
  const boost::json::object& obj_;
  std::string path_;
  std::vector<FieldError>& errors_;
};

// The text as a JSON object, or invalid_argument naming "body".
inline Result<boost::json::object> parse_object(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec) return invalid_field("body", "not valid JSON: " + ec.message());
  if (!v.is_object()) return invalid_field("body", "must be a JSON object");
  return std::move(v.as_object());
}

}  // namespace fl
