// The OpenAPI document (docs/api/openapi.yaml), compiled into the binary.
#pragma once

#include <string_view>

namespace fl {
[[nodiscard]] std::string_view openapi_yaml();
}
