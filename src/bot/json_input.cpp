#include "bot/json_input.hpp"

#include <algorithm>
#include <boost/json/basic_parser_impl.hpp>

namespace fl::bot {

namespace {

namespace json = boost::json;

// A SAX handler that only looks for a key given twice in one object: boost::json::parse keeps
// one of the two silently, and a flow with two nodes of one id must not lose one unnoticed.
class DuplicateKeyFinder {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  std::optional<std::string> duplicate;  // the path of the first duplicate key

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_array_begin(json::error_code&) {
    value_starts();
    frames_.push_back({false, {}, {}, 0});
    return true;
  }
  bool on_array_end(std::size_t, json::error_code&) {
    frames_.pop_back();
    return true;
  }
  bool on_object_begin(json::error_code&) {
    value_starts();
    frames_.push_back({true, {}, {}, 0});
    return true;
  }
  bool on_object_end(std::size_t, json::error_code&) {
    frames_.pop_back();
    return true;
  }
  bool on_string_part(json::string_view, std::size_t, json::error_code&) {
    if (!in_value_) value_starts();
    in_value_ = true;
    return true;
  }
  bool on_string(json::string_view, std::size_t, json::error_code&) {
    if (!in_value_) value_starts();
    in_value_ = false;
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    key_.append(s.data(), s.size());
    auto& f = frames_.back();
    if (std::ranges::find(f.keys, key_) != f.keys.end() && !duplicate) {
      f.key = key_;
      duplicate = path();
    }
    f.keys.push_back(key_);
    f.key = std::move(key_);
    key_.clear();
    return true;
  }
  bool on_number_part(json::string_view, json::error_code&) {
    if (!in_value_) value_starts();
    in_value_ = true;
    return true;
  }
  bool on_int64(std::int64_t, json::string_view, json::error_code&) { return scalar(); }
  bool on_uint64(std::uint64_t, json::string_view, json::error_code&) { return scalar(); }
  bool on_double(double, json::string_view, json::error_code&) { return scalar(); }
  bool on_bool(bool, json::error_code&) { return scalar(); }
  bool on_null(json::error_code&) { return scalar(); }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  struct Frame {
    bool object;
    std::vector<std::string> keys;
    std::string key;    // object: the key of the current value
    std::size_t index;  // array: values seen so far
  };

  bool scalar() {
    if (!in_value_) value_starts();
    in_value_ = false;
    return true;
  }
  void value_starts() {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
  }
  std::string path() const {
    std::string out;
    for (const auto& f : frames_) {
      if (f.object) {
        if (!out.empty()) out += '.';
        out += f.key;
      } else {
        out += '[' + std::to_string(f.index - 1) + ']';
      }
    }
    return out;
  }

  std::vector<Frame> frames_;
  std::string key_;
  bool in_value_ = false;
};

}  // namespace

Result<json::object> parse_strict_object(std::string_view text) {
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return invalid_field("body", "not valid JSON: " + ec.message());
  if (!v.is_object()) return invalid_field("body", "must be a JSON object");
  json::basic_parser<DuplicateKeyFinder> finder(json::parse_options{});
  finder.write_some(false, text.data(), text.size(), ec);
  if (const auto& dup = finder.handler().duplicate) return invalid_field(*dup, "duplicate key");
  return std::move(v.as_object());
}

void JsonInput::only(std::initializer_list<std::string_view> known) {
  for (const auto& [key, _] : obj_) {
    std::string_view k = key;
    if (std::ranges::find(known, k) == known.end()) error(k, "unknown field");
  }
}

const json::value* JsonInput::get(std::string_view key, bool required) {
  auto* v = obj_.if_contains(key);
  if (!v || v->is_null()) {
    if (required) error(key, "required");
    return nullptr;
  }
  return v;
}

std::optional<std::string> JsonInput::string(std::string_view key, bool required) {
  auto* v = get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_string()) return error(key, "must be a string"), std::nullopt;
  return std::string(v->as_string());
}

std::optional<std::int64_t> JsonInput::integer(std::string_view key, bool required) {
  auto* v = get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_int64()) return error(key, "must be an integer"), std::nullopt;
  return v->as_int64();
}

std::optional<double> JsonInput::number(std::string_view key) {
  auto* v = get(key, false);
  if (!v) return std::nullopt;
  if (v->is_int64()) return static_cast<double>(v->as_int64());
  if (v->is_uint64()) return static_cast<double>(v->as_uint64());
  if (v->is_double()) return v->as_double();
  return error(key, "must be a number"), std::nullopt;
}

std::optional<bool> JsonInput::boolean(std::string_view key) {
  auto* v = get(key, false);
  if (!v) return std::nullopt;
  if (!v->is_bool()) return error(key, "must be true or false"), std::nullopt;
  return v->as_bool();
}

const json::array* JsonInput::array(std::string_view key, bool required) {
  auto* v = get(key, required);
  if (!v) return nullptr;
  if (!v->is_array()) return error(key, "must be an array"), nullptr;
  return &v->as_array();
}

std::optional<JsonInput> JsonInput::object(std::string_view key, bool required) {
  auto* v = get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_object()) return error(key, "must be an object"), std::nullopt;
  return JsonInput(v->as_object(), path_of(key), errors_);
}

std::vector<std::string> JsonInput::strings(std::string_view key, bool required) {
  std::vector<std::string> out;
  auto* v = get(key, required);
  if (!v) return out;
  if (v->is_string()) {
    out.emplace_back(v->as_string());
    return out;
  }
  if (!v->is_array()) return error(key, "must be a string or an array of strings"), out;
  for (const auto& item : v->as_array()) {
    if (!item.is_string()) {
      error(key, "each must be a string");
      break;
    }
    out.emplace_back(item.as_string());
  }
  return out;
}

void JsonInput::error(std::string_view key, std::string message) {
  errors_.push_back({path_of(key), std::move(message)});
}

std::string JsonInput::path_of(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

}  // namespace fl::bot
