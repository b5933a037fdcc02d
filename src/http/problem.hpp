// Errors as application/problem+json (RFC 9457): the one place where ErrorCode maps to HTTP.
#pragma once

#include "core/error.hpp"
#include "http/message.hpp"

namespace fl::http {

[[nodiscard]] int status_for(ErrorCode code);

// {"type","title","status","detail","errors":[{"field","message"}]}
[[nodiscard]] Response problem(const Error& error);
[[nodiscard]] Response problem(int status, std::string_view detail);

}  // namespace fl::http
