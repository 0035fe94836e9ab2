#pragma once
#include <filesystem>
#include <optional>
#include <string>

#include "achilles/ports/identity_verifier.hpp"

namespace achilles::local_token {

// The first IdentityVerifier: one bearer token that is an admin. It comes from
// ACHILLES_ADMIN_TOKEN, or is generated once into DIR/admin.token (mode 0600)
// so a fresh install is never open to anonymous callers.
class LocalAdminToken final : public IdentityVerifier {
public:
  explicit LocalAdminToken(std::string token);
  std::optional<Principal> verify(std::string_view bearer_token) const override;

private:
  std::string token_;
};

struct AdminTokenSource {
  std::string token;
  std::optional<std::filesystem::path> file;  // absent when it came from the environment
  bool generated = false;
};

// An admin token from the environment must be at least this long.
inline constexpr std::size_t kMinimumTokenLength = 32;

// `env_token` wins when non-empty (shorter than kMinimumTokenLength: refused,
// std::invalid_argument); otherwise reads DIR/admin.token (never through a
// symbolic link), creating it with a fresh 256-bit random token (atomically,
// mode 0600, O_EXCL | O_NOFOLLOW) when missing.
AdminTokenSource load_or_create_admin_token(const std::filesystem::path& data_dir,
                                            const char* env_token);

}  // namespace achilles::local_token
