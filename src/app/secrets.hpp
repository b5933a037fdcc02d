// Ports for the secrets the app handles: password hashes and bearer tokens.
// Adapters live in src/auth (libsodium).
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace fl {

class PasswordHasher {
 public:
  virtual ~PasswordHasher() = default;
  // An encoded hash (algorithm and parameters included). Thread-safe; may block while
  // other hashes run, to bound memory.
  virtual Result<std::string> hash(std::string_view password) = 0;
  virtual bool verify(std::string_view encoded_hash, std::string_view password) = 0;
};

class TokenMinter {
 public:
  virtual ~TokenMinter() = default;
  // A fresh bearer secret with at least 256 bits of randomness.
  virtual std::string mint() = 0;
  // What the store keeps instead of the secret (hex of a cryptographic hash).
  virtual std::string digest(std::string_view token) = 0;
};

}  // namespace fl
