#include "auth/sodium_secrets.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

namespace fl {

void init_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

SodiumPasswordHasher::SodiumPasswordHasher(PasswordCost cost, int parallel)
    : slots_(std::clamp(parallel, 1, 64)) {
  init_sodium();
  switch (cost) {
    case PasswordCost::min:
      ops_ = crypto_pwhash_OPSLIMIT_MIN;
      mem_ = crypto_pwhash_MEMLIMIT_MIN;
      break;
    case PasswordCost::interactive:
      ops_ = crypto_pwhash_OPSLIMIT_INTERACTIVE;
      mem_ = crypto_pwhash_MEMLIMIT_INTERACTIVE;
      break;
    case PasswordCost::moderate:
      ops_ = crypto_pwhash_OPSLIMIT_MODERATE;
      mem_ = crypto_pwhash_MEMLIMIT_MODERATE;
      break;
  }
}

Result<std::string> SodiumPasswordHasher::hash(std::string_view password) {
  std::array<char, crypto_pwhash_STRBYTES> out{};
  slots_.acquire();
  int rc = crypto_pwhash_str_alg(out.data(), password.data(), password.size(), ops_, mem_,
                                 crypto_pwhash_ALG_ARGON2ID13);
  slots_.release();
  if (rc != 0) return fail(ErrorCode::resource_exhausted, "out of memory while hashing a password");
  return std::string(out.data());
}

bool SodiumPasswordHasher::verify(std::string_view encoded_hash, std::string_view password) {
  if (encoded_hash.empty() || encoded_hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::string hash(encoded_hash);  // NUL-terminated copy
  slots_.acquire();
  int rc = crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size());
  slots_.release();
  return rc == 0;
}

SodiumTokenMinter::SodiumTokenMinter() {
  init_sodium();
}

std::string SodiumTokenMinter::mint() {
  std::array<unsigned char, 32> raw{};
  randombytes_buf(raw.data(), raw.size());
  constexpr int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::array<char, sodium_base64_ENCODED_LEN(32, variant)> text{};
  sodium_bin2base64(text.data(), text.size(), raw.data(), raw.size(), variant);
  return "fl_" + std::string(text.data());
}

std::string SodiumTokenMinter::digest(std::string_view token) {
  std::array<unsigned char, crypto_generichash_BYTES> h{};
  crypto_generichash(h.data(), h.size(), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  std::array<char, crypto_generichash_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), h.data(), h.size());
  return std::string(hex.data());
}

}  // namespace fl
