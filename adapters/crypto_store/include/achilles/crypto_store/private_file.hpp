#pragma once
#include <filesystem>
#include <optional>
#include <string>

namespace achilles::crypto_store {

// Replaces `path` with `content` atomically and privately: a temp file in the
// same directory created 0600 with O_EXCL, written, fsynced, renamed over the
// target, then the directory fsynced. A crash leaves the old file or the new
// one, never a truncated mix. Throws std::runtime_error on failure.
void write_private_file(const std::filesystem::path& path, const std::string& content);

// The file's content, or nullopt when it does not exist. Throws when it
// exists but cannot be read.
std::optional<std::string> read_file(const std::filesystem::path& path);

// Moves an unreadable settings file aside (`<name>.corrupt-<epoch ms>`) so a
// save never destroys what a human may still recover; returns the new path.
std::filesystem::path move_aside(const std::filesystem::path& path, std::int64_t now_ms);

}  // namespace achilles::crypto_store
