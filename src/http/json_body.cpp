#include "http/json_body.hpp"

#include "http/problem.hpp"

namespace fl::http {

namespace json = boost::json;

std::expected<JsonBody, Response> JsonBody::parse(const Request& r) {
  std::string_view ct = r.content_type;
  auto semi = ct.find(';');
  if (semi != std::string_view::npos) ct = ct.substr(0, semi);
  while (!ct.empty() && ct.back() == ' ') ct.remove_suffix(1);
  bool is_json = ct == "application/json" || (ct.size() > 5 && ct.ends_with("+json"));
  if (!is_json && !(ct.empty() && !r.body.empty()))
    return std::unexpected(problem(415, "send the body as application/json"));
  if (r.body.empty()) return std::unexpected(problem(400, "the request needs a JSON body"));
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  if (ec) return std::unexpected(problem(400, "malformed JSON: " + ec.message()));
  if (!v.is_object()) return std::unexpected(problem(400, "the body must be a JSON object"));
  return JsonBody(std::move(v.as_object()));
}

bool JsonBody::is_null(std::string_view key) const {
  auto* v = obj_.if_contains(key);
  return v && v->is_null();
}

void JsonBody::error(std::string_view field, std::string message) {
  errors_.push_back({prefix_ + std::string(field), std::move(message)});
}

std::optional<JsonBody> JsonBody::object(std::string_view key) {
  auto* v = get(key, false);
  if (!v) return std::nullopt;
  if (!v->is_object()) {
    error(key, "must be an object");
    return std::nullopt;
  }
  return JsonBody(v->as_object(), prefix_ + std::string(key) + ".");
}

void JsonBody::absorb(const JsonBody& nested) {
  errors_.insert(errors_.end(), nested.errors_.begin(), nested.errors_.end());
}

const json::value* JsonBody::get(std::string_view key, bool required) {
  auto* v = obj_.if_contains(key);
  if ((!v || v->is_null()) && required) {
    error(key, "required");
    return nullptr;
  }
  if (v && v->is_null()) return nullptr;
  return v;
}

std::optional<std::string> JsonBody::string(std::string_view key, bool required) {
  auto* v = get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    error(key, "must be a string");
    return std::nullopt;
  }
  return std::string(v->as_string());
}

std::optional<std::int64_t> JsonBody::integer(std::string_view key, bool required) {
  auto* v = get(key, required);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v->as_uint64());
  error(key, "must be an integer");
  return std::nullopt;
}

std::optional<bool> JsonBody::boolean(std::string_view key) {
  auto* v = get(key, false);
  if (!v) return std::nullopt;
  if (!v->is_bool()) {
    error(key, "must be true or false");
    return std::nullopt;
  }
  return v->as_bool();
}

std::optional<std::vector<std::string>> JsonBody::strings(std::string_view key) {
  auto* v = get(key, false);
  if (!v) return std::nullopt;
  std::vector<std::string> out;
  if (v->is_array()) {
    for (const auto& x : v->as_array()) {
      if (!x.is_string()) break;
      out.emplace_back(x.as_string());
    }
    if (out.size() == v->as_array().size()) return out;
  }
  error(key, "must be an array of strings");
  return std::nullopt;
}

std::optional<std::vector<std::int64_t>> JsonBody::integers(std::string_view key) {
  auto* v = get(key, false);
  if (!v) return std::nullopt;
  std::vector<std::int64_t> out;
  if (v->is_array()) {
    for (const auto& x : v->as_array()) {
      if (!x.is_int64()) break;
      out.push_back(x.as_int64());
    }
    if (out.size() == v->as_array().size()) return out;
  }
  error(key, "must be an array of integers");
  return std::nullopt;
}

std::optional<std::vector<std::vector<std::string>>> JsonBody::string_lists(std::string_view key, bool required) {
  auto* v = get(key, required);
  if (!v) return std::nullopt;
  std::vector<std::vector<std::string>> out;
  bool shaped = v->is_array();
  for (std::size_t i = 0; shaped && i < v->as_array().size(); ++i) {
    const auto& inner = v->as_array()[i];
    shaped = inner.is_array();
    std::vector<std::string> strings;
    for (std::size_t j = 0; shaped && j < inner.as_array().size(); ++j) {
      shaped = inner.as_array()[j].is_string();
      if (shaped) strings.emplace_back(inner.as_array()[j].as_string());
    }
    out.push_back(std::move(strings));
  }
  if (shaped) return out;
  error(key, "must be an array of arrays of strings");
  return std::nullopt;
}

Result<void> JsonBody::finish() const {
  if (errors_.empty()) return {};
  return invalid_fields(errors_);
}

}  // namespace fl::http
