#include "breakdown_tables.hpp"

#include <algorithm>
#include <bit>

#include "bundle_runs.hpp"

namespace achilles::embedded {
namespace {

// Exit codes mostly sit in 0..1023; dictionaries index directly up to this
// many values (a table of BucketCounts per scanning thread), hash beyond.
constexpr std::size_t kDirectCodes = 1024;
constexpr std::size_t kDirectKeywords = 1 << 18;
// A nested table is made per bucket, so it indexes directly only a small dictionary.
constexpr std::size_t kDirectNestedKeywords = 4096;
// Distinct values as bitmaps while every bucket's bitmap fits this budget.
constexpr std::size_t kDistinctBitmapBytes = std::size_t{64} << 20;

std::size_t direct_slots(const Columns& c, const Dimension& d, std::size_t limit) {
  if (d.exit_code) return kDirectCodes;
  const std::size_t ids = c.dictionaries[field_index(d.field)].size();
  return ids <= limit ? ids : 0;
}

}  // namespace

std::string key_text(const Columns& c, const Dimension& d, std::int64_t key) {
  if (d.exit_code) return std::to_string(key);
  return c.dictionaries[field_index(d.field)].value(static_cast<std::uint32_t>(key));
}

std::uint32_t KeyedBuckets::extra_slot(std::int64_t key) {
  const auto [it, added] = extra_.try_emplace(key, static_cast<std::uint32_t>(cells_.size()));
  if (added) {
    cells_.emplace_back();
    extra_keys_.push_back(key);
  }
  return it->second;
}

void DistinctIds::merge(const DistinctIds& other) {
  if (bitmap_) {
    if (other.bits_.empty()) return;
    if (bits_.empty()) bits_.assign(words_, 0);
    for (std::size_t w = 0; w < words_; ++w) bits_[w] |= other.bits_[w];
  } else {
    set_.insert(other.set_.begin(), other.set_.end());
  }
}

std::int64_t DistinctIds::count() const {
  if (!bitmap_) return static_cast<std::int64_t>(set_.size());
  std::int64_t n = 0;
  for (const std::uint64_t w : bits_) n += std::popcount(w);
  return n;
}

BreakdownTables::BreakdownTables(const Columns& c, const BreakdownQuestion& q)
    : c_(c),
      q_(q),
      top_column_(q.dimension.exit_code ? nullptr : &c.column(q.dimension.field)),
      any_stage_(q.mode == ScoringMode::AnyStage),
      count_unprotected_(q.count_unprotected),
      nested_or_distinct_(q.then_by || q.distinct),
      top_(direct_slots(c, q.dimension, kDirectKeywords)) {
  if (q.then_by) sub_direct_ = direct_slots(c, *q.then_by, kDirectNestedKeywords);
  if (q.distinct) {
    distinct_ids_ = c.dictionaries[field_index(*q.distinct)].size();
    distinct_bitmap_ = (distinct_ids_ + 63) / 64 * 8 * std::max<std::size_t>(top_.size(), 1) <= kDistinctBitmapBytes;
  }
}

void BreakdownTables::add_rest(std::uint32_t slot, std::size_t row, std::uint16_t flags, bool as_run) {
  const std::uint8_t bits = run_bits(flags);
  if (as_run) add_run(slot, 0, row, bits);
  if (q_.distinct) {
    DistinctIds& seen = distinct_for(slot);
    c_.column(*q_.distinct).for_each_value(row, [&](std::uint32_t id) { seen.add(id); });
  }
  if (q_.then_by) {
    KeyedBuckets& sub = sub_for(slot);
    for_each_key(c_, *q_.then_by, row, [&](std::int64_t key) {
      const std::uint32_t s = sub.slot(key);
      ++sub[s].documents;
      if (as_run) add_run(slot, s + 1, row, bits);
      else add_unit(sub[s].units, flags);
    });
  }
}

void BreakdownTables::add_run(std::uint32_t top, std::uint32_t sub, std::size_t row, std::uint8_t bits) {
  runs_[{top, sub, bundle_run_key(c_, row)}] |= bits;
}

void BreakdownTables::merge(const BreakdownTables& other) {
  // Slots past the direct ones differ between tables: go through the keys.
  std::vector<std::uint32_t> top_slot(other.top_.size());
  std::vector<std::vector<std::uint32_t>> sub_slot(other.sub_.size());
  for (std::uint32_t s = 0; s < other.top_.size(); ++s) {
    const BucketCounts& from = other.top_[s];
    if (from.documents == 0) continue;
    const std::uint32_t mine = top_slot[s] = top_.slot(other.top_.key_of(s));
    BucketCounts& into = top_[mine];
    into.documents += from.documents;
    into.unprotected += from.unprotected;
    into.units += from.units;
    if (q_.distinct && s < other.distinct_.size()) distinct_for(mine).merge(other.distinct_[s]);
    if (s < other.sub_.size() && other.sub_[s]) {
      const KeyedBuckets& theirs = *other.sub_[s];
      KeyedBuckets& sub = sub_for(mine);
      sub_slot[s].assign(theirs.size(), 0);
      for (std::uint32_t ss = 0; ss < theirs.size(); ++ss) {
        if (theirs[ss].documents == 0) continue;
        const std::uint32_t m = sub_slot[s][ss] = sub.slot(theirs.key_of(ss));
        sub[m].documents += theirs[ss].documents;
        sub[m].units += theirs[ss].units;
      }
    }
  }
  for (const auto& [cell, bits] : other.runs_) {
    const std::uint32_t sub = cell.sub == 0 ? 0 : sub_slot[cell.top][cell.sub - 1] + 1;
    runs_[{top_slot[cell.top], sub, cell.run}] |= bits;
  }
}

std::vector<Bucket> BreakdownTables::level(const KeyedBuckets& t, const Dimension& d, std::size_t size,
                                           const std::vector<RunTallies>& runs, std::size_t runs_at) const {
  std::vector<std::uint32_t> order;
  for (std::uint32_t s = 0; s < t.size(); ++s)
    if (t[s].documents > 0) order.push_back(s);
  // Terms order: document count descending, then key ascending.
  auto before = [&](std::uint32_t a, std::uint32_t b) {
    if (t[a].documents != t[b].documents) return t[a].documents > t[b].documents;
    if (d.exit_code) return t.key_of(a) < t.key_of(b);
    return key_text(c_, d, t.key_of(a)) < key_text(c_, d, t.key_of(b));
  };
  const std::size_t keep = std::min(size, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(keep), order.end(), before);
  order.resize(keep);
  const bool nested = runs_at != 0;
  std::vector<Bucket> out;
  out.reserve(keep);
  for (const std::uint32_t s : order) {
    Bucket bucket;
    bucket.key = key_text(c_, d, t.key_of(s));
    bucket.documents = t[s].documents;
    bucket.unprotected_documents = t[s].unprotected;
    bucket.tally.documents = t[s].units;
    if (auto it = runs[runs_at].find(s); it != runs[runs_at].end()) bucket.tally.bundle_runs = it->second;
    if (!nested && q_.distinct && s < distinct_.size()) bucket.distinct = distinct_[s].count();
    if (!nested && q_.then_by && s < sub_.size() && sub_[s]) bucket.sub = level(*sub_[s], *q_.then_by, q_.then_size, runs, s + 1);
    out.push_back(std::move(bucket));
  }
  return out;
}

std::vector<Bucket> BreakdownTables::buckets() const {
  // Each run counts once per bucket it is in: runs[0] by top slot, runs[s + 1]
  // by nested slot within top slot s.
  std::vector<RunTallies> runs(1 + (q_.then_by ? top_.size() : 0));
  for (const auto& [cell, bits] : runs_) {
    count_run(cell.sub == 0 ? runs[0][cell.top] : runs[cell.top + 1][cell.sub - 1], bits);
  }
  return level(top_, q_.dimension, q_.size, runs, 0);
}

}  // namespace achilles::embedded
