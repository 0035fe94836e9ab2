#pragma once
#include <filesystem>
#include <optional>
#include <string>

namespace achilles::crypto_store {

struct EncryptionSecret {
  std::string secret;
  std::optional<std::filesystem::path> file;  // absent when it came from the environment
  bool generated = false;
};

// ENCRYPTION_SECRET when set (the original's deployments keep theirs);
// otherwise a random 256-bit secret generated once into DIR/encryption.secret
// (mode 0600), so settings are encrypted from the first save. Losing that
// file makes the saved secrets unreadable: back it up with the data dir.
EncryptionSecret load_or_create_encryption_secret(const std::filesystem::path& data_dir, const char* env_secret);

}  // namespace achilles::crypto_store
