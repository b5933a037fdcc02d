#include "app/auth_service.hpp"

#include <algorithm>

#include "core/escalation.hpp"

namespace fl {

AuthService::AuthService(Store& store, PasswordHasher& hasher, TokenMinter& tokens,
                         DirectoryService& directory, const Clock& clock, AuthOptions options)
    : store_(store),
      hasher_(hasher),
      tokens_(tokens),
      directory_(directory),
      clock_(clock),
      options_(options),
      throttle_(clock, options.throttle) {
  auto h = hasher_.hash(tokens_.mint());
  if (h) dummy_hash_ = std::move(*h);
}

Result<Credential> AuthService::issue(const User& user, CredentialKind kind, std::string_view name,
                                      std::string& secret) {
  secret = tokens_.mint();
  Credential c;
  c.user = user.id;
  c.kind = kind;
  c.name = name;
  c.token_hash = tokens_.digest(secret);
  c.created_at = clock_.now();
  if (kind == CredentialKind::session)
    c.expires_at = c.created_at +
                   std::chrono::duration_cast<std::chrono::milliseconds>(options_.session_lifetime);
  return store_.insert_credential(c);
}

Result<LoginResult> AuthService::login(std::string_view login, std::string_view password,
                                       std::string_view address,
                                       std::chrono::milliseconds* retry_after) {
  if (login.empty()) return invalid_field("login", "required");
  if (password.empty()) return invalid_field("password", "required");
  if (auto wait = throttle_.wait_for(login, address); wait.count() > 0) {
    if (retry_after) *retry_after = wait;
    return fail(ErrorCode::resource_exhausted, "too many failed logins; try again later");
  }
  auto record = store_.user_record_by_login(login);
  bool ok = false;
  if (record && record->user.active && !record->password_hash.empty()) {
    ok = hasher_.verify(record->password_hash, password);
  } else {
    (void)hasher_.verify(dummy_hash_, password);
  }
  if (!ok) {
    if (record || record.error().code == ErrorCode::not_found) throttle_.failed(login, address);
    if (!record && record.error().code != ErrorCode::not_found)
      return std::unexpected(record.error());
    return fail(ErrorCode::unauthenticated, "login or password is wrong");
  }
  throttle_.succeeded(login);
  std::string secret;
  auto c = issue(record->user, CredentialKind::session, "", secret);
  if (!c) return std::unexpected(c.error());
  return LoginResult{std::move(secret), record->user};
}

Result<std::shared_ptr<const Actor>> AuthService::authenticate(std::string_view header) {
  constexpr std::string_view scheme = "Bearer ";
  if (header.empty())
    return fail(ErrorCode::unauthenticated, "log in first: Authorization: Bearer <token>");
  if (header.size() <= scheme.size() || header.substr(0, scheme.size()) != scheme)
    return fail(ErrorCode::unauthenticated, "expected Authorization: Bearer <token>");
  std::string digest = tokens_.digest(header.substr(scheme.size()));
  Timestamp now = clock_.now();
  {
    std::lock_guard lock(cache_mutex_);
    if (auto it = cache_.find(digest); it != cache_.end()) {
      if (it->second.until > now) return it->second.actor;
      cache_.erase(it);
    }
  }
  auto c = store_.credential_by_hash(digest);
  if (!c) {
    if (c.error().code == ErrorCode::not_found)
      return fail(ErrorCode::unauthenticated, "the token is not valid");
    return std::unexpected(c.error());
  }
  if (c->revoked || (c->expires_at && *c->expires_at <= now))
    return fail(ErrorCode::unauthenticated, "the token has expired or was revoked");
  auto user = store_.user(c->user);
  if (!user) return std::unexpected(user.error());
  if (!user->active) return fail(ErrorCode::unauthenticated, "the account is disabled");
  auto resolved = directory_.actor_for(*user);
  if (!resolved) return std::unexpected(resolved.error());
  resolved->credential = c->id;
  auto actor = std::make_shared<const Actor>(std::move(*resolved));
  Timestamp until = now + options_.cache_ttl;
  if (c->expires_at && *c->expires_at < until) until = *c->expires_at;
  std::lock_guard lock(cache_mutex_);
  if (cache_.size() > 100'000) cache_.clear();  // bound memory under a token flood
  cache_[digest] = Cached{actor, until};
  return actor;
}

void AuthService::forget(CredentialId id) {
  std::lock_guard lock(cache_mutex_);
  std::erase_if(cache_, [&](const auto& kv) { return kv.second.actor->credential == id; });
}

void AuthService::forget_user(UserId user) {
  std::lock_guard lock(cache_mutex_);
  std::erase_if(cache_, [&](const auto& kv) { return kv.second.actor->user.id == user; });
}

Result<void> AuthService::logout(const Actor& actor) {
  if (!actor.credential) return fail(ErrorCode::failed_precondition, "no session to end");
  auto r = store_.revoke_credential(actor.user.id, *actor.credential);
  if (!r) return std::unexpected(r.error());
  forget(*actor.credential);
  return {};
}

Result<IssuedToken> AuthService::create_api_token(const Actor& actor, std::string_view name) {
  if (is_blank(name) || name.size() > 100) return invalid_field("name", "1 to 100 characters");
  std::string secret;
  auto c = issue(actor.user, CredentialKind::api_token, name, secret);
  if (!c) return std::unexpected(c.error());
  return IssuedToken{*c, std::move(secret)};
}

Result<std::vector<Credential>> AuthService::api_tokens(const Actor& actor) {
  return store_.credentials_of(actor.user.id, CredentialKind::api_token);
}

Result<void> AuthService::revoke_api_token(const Actor& actor, CredentialId id) {
  auto mine = store_.credentials_of(actor.user.id, CredentialKind::api_token);
  if (!mine) return std::unexpected(mine.error());
  if (std::ranges::none_of(*mine, [&](const Credential& c) { return c.id == id; }))
    return fail(ErrorCode::not_found, "no API token " + std::to_string(id));
  auto c = store_.revoke_credential(actor.user.id, id);
  if (!c) return std::unexpected(c.error());
  forget(id);
  return {};
}

}  // namespace fl
