#pragma once
#include <cstdint>
#include <string>

namespace achilles::embedded {

// Which results file, and which state of its existing rows, a columnar
// snapshot was taken of: the file's random identity (made with it), and how
// many transactions have changed rows in place since (archiving, Defender
// flags). Appends and replacements need no stamp: sequence numbers say which
// rows came after the snapshot, and replaced_results which of its rows left.
struct SnapshotStamp {
  std::string file_id;
  std::int64_t in_place_changes = 0;
  bool operator==(const SnapshotStamp&) const = default;
};

}  // namespace achilles::embedded
