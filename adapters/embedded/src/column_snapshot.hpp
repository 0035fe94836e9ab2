#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "achilles/embedded/snapshot_stamp.hpp"
#include "columns.hpp"

namespace achilles::embedded {

// The column store written as it is in memory, beside the SQLite file it
// was loaded from, so that a start reads arrays instead of decoding every
// row (about 6 s at 1M documents, most of it allocating strings). Only a
// cache: a snapshot that is missing, torn, of another format, of another
// file, or older than an in-place change of the file is not used, and the
// rows are read from SQLite as before.
//
// Layout: a header (magic, format, the stamp, the last sequence number the
// columns hold, a checksum of the rest), then each array as its length and
// its bytes. Written to a temporary file, flushed, then renamed over.
void write_column_snapshot(const Columns& columns, const SnapshotStamp& stamp, std::int64_t loaded_through,
                           const std::filesystem::path& path);

struct LoadedSnapshot {
  Columns columns;
  std::int64_t loaded_through = 0;
};
// The snapshot at `path` if it is whole and was taken of the file `stamp` describes.
std::optional<LoadedSnapshot> read_column_snapshot(const std::filesystem::path& path, const SnapshotStamp& stamp);

}  // namespace achilles::embedded
