// Logging in and out, API tokens, and turning a bearer token into an Actor.
// Thread-safe. Authentication results are cached for a few seconds per token, so a
// request costs no store read for it; a logout or revocation on this node takes effect
// at once, on other nodes (PostgreSQL deployments) within cache_ttl.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "app/directory_service.hpp"
#include "app/login_throttle.hpp"

namespace fl {

struct AuthOptions {
  std::chrono::hours session_lifetime{12};
  std::chrono::milliseconds cache_ttl{5000};
  ThrottleLimits throttle;
};

struct LoginResult {
  std::string token;
  User user;
};

struct IssuedToken {
  Credential credential;
  std::string token;  // shown once
};

class AuthService {
 public:
  AuthService(Store& store, PasswordHasher& hasher, TokenMinter& tokens,
              DirectoryService& directory, const Clock& clock, AuthOptions options = {});

  // unauthenticated for a wrong login or password (same message, same work);
  // resource_exhausted (with retry_after) while throttled.
  Result<LoginResult> login(std::string_view login, std::string_view password,
                            std::string_view address,
                            std::chrono::milliseconds* retry_after = nullptr);
  // From an "Authorization: Bearer ..." header value. Shared and immutable: a request
  // costs no copy of the actor.
  Result<std::shared_ptr<const Actor>> authenticate(std::string_view authorization);
  Result<void> logout(const Actor& actor);

  Result<IssuedToken> create_api_token(const Actor& actor, std::string_view name);
  Result<std::vector<Credential>> api_tokens(const Actor& actor);
  Result<void> revoke_api_token(const Actor& actor, CredentialId id);

  // Drops what this node has cached for the user's credentials, so the next request reads
  // them again: after an edit of the user (a new role or teams, deactivation: whose sessions
  // and tokens the store revoked) it applies at once here, elsewhere within cache_ttl.
  void forget_user(UserId user);

 private:
  Result<Credential> issue(const User& user, CredentialKind kind, std::string_view name,
                           std::string& secret);
  void forget(CredentialId id);

  Store& store_;
  PasswordHasher& hasher_;
  TokenMinter& tokens_;
  DirectoryService& directory_;
  const Clock& clock_;
  AuthOptions options_;
  LoginThrottle throttle_;
  std::string dummy_hash_;  // verified against for unknown logins, so timing tells nothing

  struct Cached {
    std::shared_ptr<const Actor> actor;
    Timestamp until;
  };
  std::mutex cache_mutex_;
  std::unordered_map<std::string, Cached> cache_;  // by token digest
};

}  // namespace fl
