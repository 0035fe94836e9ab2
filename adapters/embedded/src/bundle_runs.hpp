#pragma once
#include <cstdint>

#include "achilles/scoring/unit_tally.hpp"
#include "columns.hpp"

namespace achilles::embedded {

// Any-stage mode scores a bundle's controls as one unit per run (§2.8): the
// run's key and its verdict bits, shared by tallies and breakdowns.

// The original's Painless key: doc[bundle_id].value :: doc[hostname].value.
inline std::uint64_t bundle_run_key(const Columns& c, std::size_t row) {
  return (static_cast<std::uint64_t>(c.smallest(KeywordField::BundleId, row)) << 32) | c.smallest(KeywordField::Hostname, row);
}

// One row's verdict as bits OR-ed into its run: seen, strict, combined.
inline std::uint8_t run_bits(std::uint16_t flags) {
  const bool strict = flags & Columns::kIsProtected;
  const bool combined = strict | ((flags & Columns::kDefenderDetected) != 0);
  return static_cast<std::uint8_t>(1 | (strict << 1) | (combined << 2));
}

// A run counts once: protected when any of its rows was.
inline void count_run(ProtectionTally& t, std::uint8_t bits) {
  ++t.units;
  t.strict += (bits >> 1) & 1;
  t.combined += (bits >> 2) & 1;
}

}  // namespace achilles::embedded
