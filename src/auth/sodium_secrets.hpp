// libsodium adapters for the secret ports: argon2id password hashes and random tokens.
#pragma once

#include <memory>
#include <semaphore>

#include "app/secrets.hpp"
#include "core/names.hpp"

namespace fl {

// How hard argon2id works. `interactive` (~120 ms, 64 MiB per hash on the reference
// machine) is the default; `moderate` for stricter sites; `min` only for tests and
// benchmarks, where thousands of logins would otherwise dominate the run.
enum class PasswordCost { min, interactive, moderate };
template <>
struct EnumNames<PasswordCost> {
  static constexpr std::array<std::pair<PasswordCost, std::string_view>, 3> table{{
      {PasswordCost::min, "min"},
      {PasswordCost::interactive, "interactive"},
      {PasswordCost::moderate, "moderate"},
  }};
};

class SodiumPasswordHasher final : public PasswordHasher {
 public:
  // At most `parallel` hashes run at once: each takes its memory cost in RAM.
  explicit SodiumPasswordHasher(PasswordCost cost, int parallel = 2);
  Result<std::string> hash(std::string_view password) override;
  bool verify(std::string_view encoded_hash, std::string_view password) override;

 private:
  unsigned long long ops_;
  std::size_t mem_;
  std::counting_semaphore<64> slots_;
};

class SodiumTokenMinter final : public TokenMinter {
 public:
  SodiumTokenMinter();
  std::string mint() override;
  std::string digest(std::string_view token) override;
};

// Throws std::runtime_error if libsodium cannot start (no entropy source).
void init_sodium();

}  // namespace fl
