#pragma once
#include <filesystem>
#include <optional>

namespace achilles::server {

// An advisory lock (flock) on a file of the data dir, held while the object
// lives and released by the kernel if the process dies: which of several
// processes on one data dir does a job that must run once.
class DataDirLock {
public:
  // nullopt when another process holds it.
  static std::optional<DataDirLock> try_take(const std::filesystem::path& file);
  DataDirLock(DataDirLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DataDirLock& operator=(DataDirLock&&) = delete;
  ~DataDirLock();

private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace achilles::server
