#pragma once
#include <cstdint>

namespace achilles {

// How many scoring units matched, and how many of them count as protected
// under the two predicates of analytics-spec §2.8:
//   strict   = f0rtika.is_protected
//   combined = is_protected OR defender_detected
struct ProtectionTally {
  std::int64_t units = 0;
  std::int64_t strict = 0;
  std::int64_t combined = 0;

  ProtectionTally& operator+=(const ProtectionTally& o) {
    units += o.units;
    strict += o.strict;
    combined += o.combined;
    return *this;
  }
  bool operator==(const ProtectionTally&) const = default;
};

// The answer to "how protected is this set of executions", split by unit kind:
// - documents: one unit per document (every document in all-stages mode;
//   standalone tests and cyber-hygiene controls in any-stage mode);
// - bundle_runs: any-stage mode only, one unit per (bundle_id, hostname) of
//   the non-cyber-hygiene bundle controls; a unit counts under a predicate
//   when any of its stages satisfies it.
// Endpoint families combine these differently (the §2.8 table), so the index
// reports both predicates and the use case picks.
struct UnitTally {
  ProtectionTally documents;
  ProtectionTally bundle_runs;

  std::int64_t units() const { return documents.units + bundle_runs.units; }
  bool operator==(const UnitTally&) const = default;
};

}  // namespace achilles
