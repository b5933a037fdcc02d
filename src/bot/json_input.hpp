// Reading bot JSON documents (flows, flow states) with every problem named by its path. For
// fl_bot's .cpp files only: Boost.JSON stays out of the public headers. Shaped like
// app/json_reader.hpp, which fl_bot cannot use (app will depend on bot, not the reverse).
#pragma once

#include <boost/json.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace fl::bot {

// The text as a JSON object, or invalid_argument: not JSON ("body"), not an object, or an
// object with a key twice (named by its path: "nodes.power.say.de: duplicate key").
Result<boost::json::object> parse_strict_object(std::string_view text);

class JsonInput {
 public:
  JsonInput(const boost::json::object& obj, std::string path, std::vector<FieldError>& errors)
      : obj_(obj), path_(std::move(path)), errors_(errors) {}

  // Reports every key not in `known` as "unknown field".
  void only(std::initializer_list<std::string_view> known);
  const boost::json::value* get(std::string_view key, bool required);
  std::optional<std::string> string(std::string_view key, bool required = false);
  std::optional<std::int64_t> integer(std::string_view key, bool required = false);
  std::optional<double> number(std::string_view key);
  std::optional<bool> boolean(std::string_view key);
  const boost::json::array* array(std::string_view key, bool required = false);
  std::optional<JsonInput> object(std::string_view key, bool required = false);
  // An array of strings, or one string taken as a list of one.
  std::vector<std::string> strings(std::string_view key, bool required = false);

  void error(std::string_view key, std::string message);
  [[nodiscard]] std::string path_of(std::string_view key) const;
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] const boost::json::object& raw() const { return obj_; }
  std::vector<FieldError>& errors() const { return errors_; }

 private:
  const boost::json::object& obj_;
  std::string path_;
  std::vector<FieldError>& errors_;
};

}  // namespace fl::bot
