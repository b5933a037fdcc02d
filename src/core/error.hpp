// Expected failures as values. A small fixed set of codes (after absl::Status);
// http/ maps each code to one HTTP status in one place.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fl {

// Choosing a code: invalid_argument when the request itself is malformed whatever the
// state; failed_precondition when it is well-formed but the ticket's state forbids it;
// conflict when a concurrent change won; permission_denied when the actor may not.
enum class ErrorCode {
  invalid_argument,
  not_found,
  failed_precondition,
  permission_denied,
  unauthenticated,
  conflict,
  resource_exhausted,
  unavailable,
  internal,
};

std::string_view to_string(ErrorCode code);

struct FieldError {
  std::string field;
  std::string message;
};

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;
  std::vector<FieldError> fields;  // per-field detail for invalid_argument
};

template <class T>
using Result = std::expected<T, Error>;

[[nodiscard]] inline std::unexpected<Error> fail(ErrorCode code, std::string message,
                                                 std::vector<FieldError> fields = {}) {
  return std::unexpected(Error{code, std::move(message), std::move(fields)});
}

[[nodiscard]] inline std::unexpected<Error> invalid_field(std::string field, std::string message) {
  std::string summary = field + ": " + message;
  return fail(ErrorCode::invalid_argument, std::move(summary),
              {FieldError{std::move(field), std::move(message)}});
}

// invalid_argument carrying every field error; the message names the first.
// Precondition: !fields.empty().
[[nodiscard]] inline std::unexpected<Error> invalid_fields(std::vector<FieldError> fields) {
  std::string summary = fields.front().field + ": " + fields.front().message;
  return fail(ErrorCode::invalid_argument, std::move(summary), std::move(fields));
}

}  // namespace fl
