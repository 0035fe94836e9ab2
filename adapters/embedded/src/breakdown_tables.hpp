#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "achilles/query/questions.hpp"
#include "columns.hpp"

namespace achilles::embedded {

// The keys a row has for a dimension (none, one, or several for a
// multi-valued field); keyword keys are dictionary ids, exit codes the code.
template <typename Each>
[[gnu::always_inline]] inline void for_each_key(const Columns& c, const Dimension& d, std::size_t row, Each&& each) {
  if (d.exit_code) {
    if (c.error_code[row] != Columns::kNoCode) each(c.error_code[row]);
  } else {
    c.column(d.field).for_each_value(row, [&](std::uint32_t id) { each(static_cast<std::int64_t>(id)); });
  }
}

std::string key_text(const Columns& c, const Dimension& d, std::int64_t key);

// One bucket's counts while a scan adds rows to it. Rows scored as a bundle
// run (any-stage mode) are kept apart, in BreakdownTables::runs.
struct BucketCounts {
  std::int64_t documents = 0;
  std::int64_t unprotected = 0;  // is_protected stored false
  ProtectionTally units;         // rows scored one unit each
};

// Buckets in a table indexed by key: dictionary ids and exit codes below
// the table's size index it directly; other keys (exit codes outside it,
// or every key of a dictionary too large for a table) get slots as they
// appear. A row then costs a few additions, not a hash lookup.
class KeyedBuckets {
public:
  explicit KeyedBuckets(std::size_t direct) : direct_(direct), cells_(direct) {}
  [[gnu::always_inline]] std::uint32_t slot(std::int64_t key) {
    if (static_cast<std::uint64_t>(key) < direct_) return static_cast<std::uint32_t>(key);
    return extra_slot(key);
  }
  std::int64_t key_of(std::uint32_t slot) const {
    return slot < direct_ ? static_cast<std::int64_t>(slot) : extra_keys_[slot - direct_];
  }
  BucketCounts& operator[](std::uint32_t slot) { return cells_[slot]; }
  const BucketCounts& operator[](std::uint32_t slot) const { return cells_[slot]; }
  std::size_t size() const { return cells_.size(); }

private:
  std::uint32_t extra_slot(std::int64_t key);
  std::size_t direct_;
  std::vector<BucketCounts> cells_;
  std::unordered_map<std::int64_t, std::uint32_t> extra_;
  std::vector<std::int64_t> extra_keys_;
};

// The distinct values of a keyword field seen in one bucket: a bitmap when
// the dictionary is small enough, a hash set otherwise.
class DistinctIds {
public:
  DistinctIds() = default;
  DistinctIds(std::size_t ids, bool bitmap) : bitmap_(bitmap), words_(bitmap ? (ids + 63) / 64 : 0) {}
  void add(std::uint32_t id) {
    if (bitmap_) {
      if (bits_.empty()) bits_.assign(words_, 0);
      bits_[id / 64] |= std::uint64_t{1} << (id % 64);
    } else {
      set_.insert(id);
    }
  }
  void merge(const DistinctIds& other);
  std::int64_t count() const;

private:
  bool bitmap_ = false;
  std::size_t words_ = 0;
  std::vector<std::uint64_t> bits_;  // allocated at the first value
  std::unordered_set<std::uint32_t> set_;
};

// What a breakdown question accumulates over its rows: one KeyedBuckets for
// the dimension, one per bucket for the nested dimension, distinct values
// per bucket, and the §2.8 bundle runs of any-stage mode (a run is one unit
// per bucket, protected when any of its rows is).
class BreakdownTables {
public:
  BreakdownTables(const Columns& c, const BreakdownQuestion& q);

  // The common shape (one value per row, no nested dimension, no distinct
  // count, no bundle run) stays in the scan loop; the rest is a call.
  [[gnu::always_inline]] void add(std::size_t row) {
    if (q_.dimension.exit_code) {
      const std::int64_t code = c_.error_code[row];
      if (code != Columns::kNoCode) add_to(top_.slot(code), row);
      return;
    }
    const std::uint32_t cell = top_column_->cell(row);
    if (cell & KeywordColumn::kListBit) {
      top_column_->for_each_value(row, [&](std::uint32_t id) { add_to(top_.slot(id), row); });
    } else if (cell != KeywordDictionary::kMissing) {
      add_to(top_.slot(cell), row);
    }
  }
  void merge(const BreakdownTables& other);
  std::vector<Bucket> buckets() const;

private:
  // A bundle run within a bucket: `sub` is 0 for the bucket itself, else the
  // nested bucket's slot + 1.
  struct RunCell {
    std::uint32_t top, sub;
    std::uint64_t run;
    bool operator==(const RunCell&) const = default;
  };
  struct RunCellHash {
    std::size_t operator()(const RunCell& r) const {
      const std::uint64_t h = (r.run * 0x9E3779B97F4A7C15ULL) ^ ((static_cast<std::uint64_t>(r.top) << 32 | r.sub) * 0xBF58476D1CE4E5B9ULL);
      return static_cast<std::size_t>(h ^ (h >> 31));
    }
  };

  [[gnu::always_inline]] void add_to(std::uint32_t slot, std::size_t row) {
    const std::uint16_t flags = c_.flags[row];
    BucketCounts& b = top_[slot];
    ++b.documents;
    b.unprotected += count_unprotected_ & ((flags & (Columns::kHasProtectedField | Columns::kIsProtected)) == Columns::kHasProtectedField);
    const bool as_run = any_stage_ & ((flags & (Columns::kIsBundleControl | Columns::kCyberHygiene)) == Columns::kIsBundleControl);
    if (!as_run) add_unit(b.units, flags);
    if (as_run | nested_or_distinct_) add_rest(slot, row, flags, as_run);
  }
  [[gnu::always_inline]] static void add_unit(ProtectionTally& t, std::uint16_t flags) {
    const bool strict = flags & Columns::kIsProtected;
    ++t.units;
    t.strict += strict;
    t.combined += strict | ((flags & Columns::kDefenderDetected) != 0);
  }
  // The bundle run, the distinct value and the nested buckets of a row in bucket `slot`.
  void add_rest(std::uint32_t slot, std::size_t row, std::uint16_t flags, bool as_run);
  void add_run(std::uint32_t top, std::uint32_t sub, std::size_t row, std::uint8_t bits);
  DistinctIds& distinct_for(std::uint32_t slot) {
    if (slot >= distinct_.size()) distinct_.resize(top_.size(), DistinctIds(distinct_ids_, distinct_bitmap_));
    return distinct_[slot];
  }
  KeyedBuckets& sub_for(std::uint32_t slot) {
    if (slot >= sub_.size()) sub_.resize(top_.size());
    if (!sub_[slot]) sub_[slot] = std::make_unique<KeyedBuckets>(sub_direct_);
    return *sub_[slot];
  }
  // Bundle-run tallies of one table, by slot.
  using RunTallies = std::unordered_map<std::uint32_t, ProtectionTally>;
  // The buckets of `t`, its runs' tallies at runs[runs_at] (0: the top table).
  std::vector<Bucket> level(const KeyedBuckets& t, const Dimension& d, std::size_t size, const std::vector<RunTallies>& runs,
                            std::size_t runs_at) const;

  const Columns& c_;
  const BreakdownQuestion& q_;
  const KeywordColumn* top_column_ = nullptr;  // the dimension's column, when a keyword
  bool any_stage_;
  bool count_unprotected_;
  bool nested_or_distinct_;
  std::size_t sub_direct_ = 0;
  std::size_t distinct_ids_ = 0;
  bool distinct_bitmap_ = false;
  KeyedBuckets top_;
  std::vector<std::unique_ptr<KeyedBuckets>> sub_;  // by top slot
  std::vector<DistinctIds> distinct_;          // by top slot
  std::unordered_map<RunCell, std::uint8_t, RunCellHash> runs_;
};

}  // namespace achilles::embedded
