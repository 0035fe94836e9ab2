#include "achilles/local_token/local_admin_token.hpp"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdexcept>

#include "achilles/text/hex.hpp"
#include "achilles/text/trimmed.hpp"

namespace achilles::local_token {
namespace {

std::string random_token() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no randomness for the admin token");
  return lowercase_hex(bytes, sizeof bytes);
}

// Created anew (O_EXCL: never an existing file, O_NOFOLLOW: never through a
// link someone planted), then renamed into place.
void write_private_file(const std::filesystem::path& path, const std::string& content) {
  const auto temp = path.string() + ".tmp";
  ::unlink(temp.c_str());  // a temp file left by a crash
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + temp);
  ::fchmod(fd, 0600);  // whatever the umask said
  const bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || std::rename(temp.c_str(), path.c_str()) != 0) {
    ::unlink(temp.c_str());
    throw std::runtime_error("cannot write " + path.string());
  }
}

std::string read_without_following_links(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error(path.filename().string() + " cannot be read (a link, or no permission)");
  std::string content;
  char buffer[4096];
  ssize_t n = 0;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0 && content.size() < 65536) content.append(buffer, static_cast<std::size_t>(n));
  ::close(fd);
  return content;
}

}  // namespace

LocalAdminToken::LocalAdminToken(std::string token) : token_(std::move(token)) {
  if (token_.empty()) throw std::invalid_argument("the admin token must not be empty");
}

std::optional<Principal> LocalAdminToken::verify(std::string_view bearer) const {
  // Constant-time comparison: the length is not secret, the content is.
  if (bearer.size() != token_.size() || CRYPTO_memcmp(bearer.data(), token_.data(), token_.size()) != 0)
    return std::nullopt;
  Principal admin = Principal::with_role("local-admin", Role::Admin);
  admin.credential = Credential::LocalAdminToken;
  return admin;
}

AdminTokenSource load_or_create_admin_token(const std::filesystem::path& data_dir, const char* env_token) {
  if (env_token && *env_token) {
    if (std::string_view(env_token).size() < kMinimumTokenLength)
      throw std::invalid_argument("ACHILLES_ADMIN_TOKEN must be at least 32 characters (a guessable admin token opens everything)");
    return {env_token, std::nullopt, false};
  }
  std::filesystem::create_directories(data_dir);
  const auto path = data_dir / "admin.token";
  if (std::filesystem::exists(std::filesystem::symlink_status(path))) {
    std::string token = trimmed(read_without_following_links(path));
    if (token.empty()) throw std::runtime_error(path.string() + " is empty: delete it to generate a new token");
    ::chmod(path.c_str(), 0600);  // a secret stays private even if someone loosened it
    return {token, path, false};
  }
  std::string token = random_token();
  write_private_file(path, token + "\n");
  return {token, path, true};
}

}  // namespace achilles::local_token
