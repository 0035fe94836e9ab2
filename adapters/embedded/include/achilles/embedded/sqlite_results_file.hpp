#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <span>

#include "achilles/ports/results_index.hpp"

struct sqlite3;

namespace achilles::embedded {

// The durable source of truth of the embedded engine: one SQLite database
// (WAL, synchronous=FULL) holding every imported result document, one row
// each, keyed by document id. Several processes may open it at once (an
// import beside a running server); SQLite serialises the writers.
class SqliteResultsFile {
public:
  explicit SqliteResultsFile(const std::filesystem::path& path);
  ~SqliteResultsFile();
  SqliteResultsFile(const SqliteResultsFile&) = delete;
  SqliteResultsFile& operator=(const SqliteResultsFile&) = delete;

  // One transaction: on return every added document is on disk.
  AppendOutcome append(std::span<const ResultDocument> documents);

  // Feeds `sink` the documents stored after sequence number `after`, in
  // batches, and returns the last sequence number read.
  using Sink = std::function<void(std::span<const ResultDocument>)>;
  std::int64_t read_since(std::int64_t after, const Sink& sink);

  // True when another connection committed since the previous call.
  bool changed_elsewhere();

  std::int64_t count();

private:
  void exec(const char* sql);
  std::mutex mutex_;
  sqlite3* db_ = nullptr;
  std::int64_t data_version_ = -1;
};

}  // namespace achilles::embedded
