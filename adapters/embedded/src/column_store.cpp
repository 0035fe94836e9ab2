#include "achilles/embedded/column_store.hpp"

#include <algorithm>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "achilles/errors.hpp"
#include "achilles/query/date_math.hpp"
#include "achilles/query/run_key.hpp"
#include "achilles/scoring/scoring_unit.hpp"
#include "columns.hpp"
#include "compiled_filter.hpp"

namespace achilles::embedded {
namespace {

// Counts scoring units the §2.8 way: one per document, except that in
// any-stage mode non-cyber-hygiene bundle controls collapse into one unit per
// (bundle_id, hostname), protected when any of its documents is.
class UnitCounter {
public:
  UnitCounter(const Columns& c, ScoringMode mode) : c_(c), mode_(mode) {
    cyber_hygiene_ = c.dictionaries[field_index(KeywordField::Category)].find(kCyberHygieneCategory);
    if (cyber_hygiene_ == KeywordDictionary::kMissing) cyber_hygiene_.reset();
  }
  void add(std::size_t row) {
    const std::uint16_t flags = c_.flags[row];
    const bool strict = flags & Columns::kIsProtected;
    const bool combined = strict || (flags & Columns::kDefenderDetected);
    const bool cyber_hygiene = cyber_hygiene_ && c_.holds(KeywordField::Category, row, *cyber_hygiene_);
    if (scoring_unit(mode_, flags & Columns::kIsBundleControl, cyber_hygiene) == ScoringUnit::BundleRun) {
      // The original's Painless key: doc[bundle_id].value :: doc[hostname].value.
      const std::uint64_t key = (static_cast<std::uint64_t>(c_.smallest(KeywordField::BundleId, row)) << 32) |
                                c_.smallest(KeywordField::Hostname, row);
      runs_[key] |= static_cast<std::uint8_t>(1 | (strict << 1) | (combined << 2));
    } else {
      ++documents_.units;
      documents_.strict += strict;
      documents_.combined += combined;
    }
  }
  void merge(const UnitCounter& other) {
    documents_ += other.documents_;
    for (const auto& [key, bits] : other.runs_) runs_[key] |= bits;
  }
  UnitTally result() const {
    UnitTally t;
    t.documents = documents_;
    for (const auto& [key, bits] : runs_) {
      ++t.bundle_runs.units;
      t.bundle_runs.strict += (bits >> 1) & 1;
      t.bundle_runs.combined += (bits >> 2) & 1;
    }
    return t;
  }

private:
  const Columns& c_;
  ScoringMode mode_;
  std::optional<std::uint32_t> cyber_hygiene_;
  ProtectionTally documents_;
  std::unordered_map<std::uint64_t, std::uint8_t> runs_;
};

// The keys a row has for a dimension (none, one, or several for a
// multi-valued field); keyword keys are dictionary ids, exit codes the code.
template <typename Each>
void for_each_key(const Columns& c, const Dimension& d, std::size_t row, Each&& each) {
  if (d.exit_code) {
    if (c.error_code[row] != Columns::kNoCode) each(c.error_code[row]);
  } else {
    c.column(d.field).for_each_value(row, [&](std::uint32_t id) { each(static_cast<std::int64_t>(id)); });
  }
}

std::string key_text(const Columns& c, const Dimension& d, std::int64_t key) {
  if (d.exit_code) return std::to_string(key);
  return c.dictionaries[field_index(d.field)].value(static_cast<std::uint32_t>(key));
}

struct BucketBuilder {
  std::int64_t documents = 0;
  std::int64_t unprotected = 0;  // is_protected stored false
  UnitCounter units;
  std::unordered_set<std::uint32_t> distinct;
  std::unordered_map<std::int64_t, std::unique_ptr<BucketBuilder>> sub;
  const Columns& c;
  ScoringMode mode;
  BucketBuilder(const Columns& columns, ScoringMode m) : units(columns, m), c(columns), mode(m) {}

  static void merge_into(std::unordered_map<std::int64_t, std::unique_ptr<BucketBuilder>>& into,
                         std::unordered_map<std::int64_t, std::unique_ptr<BucketBuilder>>& from) {
    for (auto& [key, b] : from) {
      auto& slot = into[key];
      if (!slot) slot = std::move(b);
      else slot->merge(*b);
    }
  }
  void merge(BucketBuilder& other) {
    documents += other.documents;
    unprotected += other.unprotected;
    units.merge(other.units);
    distinct.insert(other.distinct.begin(), other.distinct.end());
    merge_into(sub, other.sub);
  }
};

// Rows are split in two halves scanned on two threads when there are enough
// of them to repay starting a thread; each half fills its own accumulator,
// then the second is merged into the first.
constexpr std::size_t kParallelRows = 100'000;

template <typename Make, typename Visit, typename Merge>
auto split_scan(const CompiledFilter& filter, std::size_t rows, Make make, Visit visit, Merge merge) {
  auto run = [&](auto& acc, std::size_t first, std::size_t last) {
    for (std::size_t row = first; row < last; ++row)
      if (filter.matches(row)) visit(acc, row);
  };
  auto whole = make();
  if (filter.matches_nothing()) return whole;
  if (rows < kParallelRows) {
    run(whole, 0, rows);
    return whole;
  }
  const std::size_t mid = rows / 2;
  auto second = make();
  std::thread helper([&] { run(second, mid, rows); });
  run(whole, 0, mid);
  helper.join();
  merge(whole, second);
  return whole;
}

// Terms order: document count descending, then key ascending.
std::vector<Bucket> finish(const Columns& c, const Dimension& d, std::size_t size,
                           const std::unordered_map<std::int64_t, std::unique_ptr<BucketBuilder>>& builders,
                           const BreakdownQuestion& q, bool nested) {
  std::vector<std::pair<std::int64_t, const BucketBuilder*>> order;
  for (const auto& [key, b] : builders) order.emplace_back(key, b.get());
  std::sort(order.begin(), order.end(), [&](const auto& a, const auto& b) {
    if (a.second->documents != b.second->documents) return a.second->documents > b.second->documents;
    if (d.exit_code) return a.first < b.first;
    return key_text(c, d, a.first) < key_text(c, d, b.first);
  });
  if (order.size() > size) order.resize(size);
  std::vector<Bucket> out;
  for (const auto& [key, b] : order) {
    Bucket bucket;
    bucket.key = key_text(c, d, key);
    bucket.documents = b->documents;
    bucket.unprotected_documents = b->unprotected;
    bucket.tally = b->units.result();
    bucket.distinct = static_cast<std::int64_t>(b->distinct.size());
    if (!nested && q.then_by) bucket.sub = finish(c, *q.then_by, q.then_size, b->sub, q, true);
    out.push_back(std::move(bucket));
  }
  return out;
}

// A multi-valued keyword sorts by its smallest value ascending and its
// largest descending, as Elasticsearch's default sort mode does.
bool less_by(const Columns& c, SortField field, bool descending, std::size_t a, std::size_t b, bool& a_missing,
             bool& b_missing) {
  auto text_less = [&](KeywordField f) {
    const auto ia = c.sort_value(f, a, descending), ib = c.sort_value(f, b, descending);
    a_missing = ia == KeywordDictionary::kMissing;
    b_missing = ib == KeywordDictionary::kMissing;
    return c.text_of(f, ia) < c.text_of(f, ib);
  };
  switch (field) {
    case SortField::EventTime:
      a_missing = c.event_time[a] == Columns::kNoTime;
      b_missing = c.event_time[b] == Columns::kNoTime;
      return c.event_time[a] < c.event_time[b];
    case SortField::TestName: return text_less(KeywordField::TestName);
    case SortField::Hostname: return text_less(KeywordField::Hostname);
    case SortField::Severity: return text_less(KeywordField::Severity);
    case SortField::Category: return text_less(KeywordField::Category);
    case SortField::ThreatActor: return text_less(KeywordField::ThreatActor);
    case SortField::Complexity: return text_less(KeywordField::Complexity);
    case SortField::IsProtected:
      a_missing = b_missing = false;
      return (c.flags[a] & Columns::kIsProtected) < (c.flags[b] & Columns::kIsProtected);
    case SortField::Score:
      a_missing = !(c.flags[a] & Columns::kHasScore);
      b_missing = !(c.flags[b] & Columns::kHasScore);
      return c.catalog_score[a] < c.catalog_score[b];
  }
  return false;
}

// Elasticsearch sort order: by the field in the asked direction, documents
// missing it last either way, ties in index order.
auto row_order(const Columns& c, SortField field, bool descending) {
  return [&c, field, descending](std::size_t a, std::size_t b) {
    bool am = false, bm = false;
    const bool lt = less_by(c, field, descending, a, b, am, bm);
    if (am != bm) return bm;
    if (!am) {
      bool ignored1 = false, ignored2 = false;
      const bool gt = less_by(c, field, descending, b, a, ignored1, ignored2);
      if (lt != gt) return descending ? gt : lt;
    }
    return a < b;
  };
}

}  // namespace

ColumnStore::ColumnStore(Dedup dedup) : dedup_(dedup), columns_(std::make_unique<Columns>()) {}
ColumnStore::~ColumnStore() = default;

template <typename Visit>
void ColumnStore::scan(const ResultFilter& filter, Visit&& visit) const {
  CompiledFilter compiled(*columns_, filter);
  if (compiled.matches_nothing()) return;
  const std::size_t rows = columns_->rows();
  for (std::size_t row = 0; row < rows; ++row)
    if (compiled.matches(row)) visit(row);
}

AppendOutcome ColumnStore::append(std::span<const ResultDocument> documents, OnStoredId on_stored) {
  std::unique_lock lock(mutex_);
  AppendOutcome outcome;
  Columns& c = *columns_;
  for (const auto& d : documents) {
    if (dedup_ == Dedup::Trusted) {
      c.append(d, static_cast<std::int64_t>(c.rows()));
      ++outcome.added;
      continue;
    }
    const auto [it, added] = rows_by_id_.try_emplace(d.id, c.rows());
    if (!added) {
      const std::size_t row = it->second;
      ResultDocument stored = c.document(row);
      stored.id = d.id;
      // An archived id stays archived (as in the durable store); `create` keeps the first.
      if (on_stored == OnStoredId::Keep || (c.flags[row] & Columns::kArchived) || stored == d) {
        ++outcome.duplicates;
        continue;
      }
      c.flags[row] |= Columns::kArchived;  // replaced: out of every question
      it->second = c.rows();
      ++outcome.replaced;
    } else {
      ++outcome.added;
    }
    c.append(d, static_cast<std::int64_t>(c.rows()));
  }
  return outcome;
}

void ColumnStore::append_stored(std::span<const ResultDocument> documents, std::span<const std::int64_t> keys) {
  std::unique_lock lock(mutex_);
  for (std::size_t i = 0; i < documents.size(); ++i) columns_->append(documents[i], keys[i]);
}

std::size_t ColumnStore::size() const {
  std::shared_lock lock(mutex_);
  return columns_->rows();
}

UnitTally ColumnStore::tally(const ResultFilter& filter, ScoringMode mode) const {
  std::shared_lock lock(mutex_);
  const CompiledFilter compiled(*columns_, filter);
  const auto units = split_scan(
      compiled, columns_->rows(), [&] { return UnitCounter(*columns_, mode); },
      [](UnitCounter& u, std::size_t row) { u.add(row); }, [](UnitCounter& a, UnitCounter& b) { a.merge(b); });
  return units.result();
}

std::vector<Bucket> ColumnStore::breakdown(const ResultFilter& filter, const BreakdownQuestion& q) const {
  std::shared_lock lock(mutex_);
  const Columns& c = *columns_;
  using Map = std::unordered_map<std::int64_t, std::unique_ptr<BucketBuilder>>;
  struct Buckets {
    Map map;
    // Keyword keys are dense dictionary ids and exit codes mostly small: a
    // direct table beats hashing per row; other codes fall back to the map.
    std::vector<BucketBuilder*> by_id;
  };
  auto builder_for = [&](Map& map, std::int64_t key) -> BucketBuilder& {
    auto& slot = map[key];
    if (!slot) slot = std::make_unique<BucketBuilder>(c, q.mode);
    return *slot;
  };
  const std::size_t ids = q.dimension.exit_code ? 1024 : c.dictionaries[field_index(q.dimension.field)].size();
  const CompiledFilter compiled(c, filter);
  auto buckets = split_scan(
      compiled, c.rows(), [&] { return Buckets{Map{}, std::vector<BucketBuilder*>(ids, nullptr)}; },
      [&](Buckets& acc, std::size_t row) {
        for_each_key(c, q.dimension, row, [&](std::int64_t key) {
          BucketBuilder* slot = nullptr;
          if (key >= 0 && static_cast<std::size_t>(key) < acc.by_id.size()) {
            slot = acc.by_id[static_cast<std::size_t>(key)];
            if (!slot) slot = acc.by_id[static_cast<std::size_t>(key)] = &builder_for(acc.map, key);
          } else {
            slot = &builder_for(acc.map, key);
          }
          BucketBuilder& b = *slot;
          ++b.documents;
          b.units.add(row);
          if (q.count_unprotected)
            b.unprotected += (c.flags[row] & (Columns::kHasProtectedField | Columns::kIsProtected)) == Columns::kHasProtectedField;
          if (q.distinct) {
            c.column(*q.distinct).for_each_value(row, [&](std::uint32_t id) { b.distinct.insert(id); });
          }
          if (q.then_by)
            for_each_key(c, *q.then_by, row, [&](std::int64_t sub_key) {
              BucketBuilder& s = builder_for(b.sub, sub_key);
              ++s.documents;
              s.units.add(row);
            });
        });
      },
      [](Buckets& a, Buckets& b) { BucketBuilder::merge_into(a.map, b.map); });
  return finish(c, q.dimension, q.size, buckets.map, q, false);
}

std::vector<TimeBucket> ColumnStore::histogram(const ResultFilter& filter, const HistogramQuestion& q) const {
  std::shared_lock lock(mutex_);
  const Columns& c = *columns_;
  struct Entry {
    std::int64_t documents = 0;
    UnitCounter units;
    std::vector<std::int64_t> in_set;
  };
  using Map = std::unordered_map<std::int64_t, Entry>;
  const CompiledFilter compiled(c, filter);
  const Map buckets = split_scan(
      compiled, c.rows(), [] { return Map{}; },
      [&](Map& map, std::size_t row) {
        if (c.event_time[row] == Columns::kNoTime) return;
        const std::int64_t start = interval_start(c.event_time[row], q.interval);
        auto it = map.find(start);
        if (it == map.end())
          it = map.emplace(start, Entry{0, UnitCounter(c, q.mode), std::vector<std::int64_t>(q.code_sets.size(), 0)}).first;
        Entry& e = it->second;
        ++e.documents;
        e.units.add(row);
        const std::int64_t code = c.error_code[row];
        if (code == Columns::kNoCode) return;
        for (std::size_t k = 0; k < q.code_sets.size(); ++k)
          for (std::int64_t member : q.code_sets[k]) e.in_set[k] += member == code;
      },
      [](Map& a, Map& b) {
        for (auto& [start, entry] : b) {
          auto it = a.find(start);
          if (it == a.end()) {
            a.emplace(start, std::move(entry));
            continue;
          }
          it->second.documents += entry.documents;
          it->second.units.merge(entry.units);
          for (std::size_t k = 0; k < entry.in_set.size(); ++k) it->second.in_set[k] += entry.in_set[k];
        }
      });
  std::vector<TimeBucket> out;
  if (buckets.empty()) return out;
  std::int64_t first = INT64_MAX, last = INT64_MIN;
  for (const auto& [start, b] : buckets) {
    first = std::min(first, start);
    last = std::max(last, start);
  }
  for (std::int64_t start = first; start <= last; start = next_interval_start(start, q.interval)) {
    if (out.size() == q.max_buckets) throw InvalidArgument(too_many_buckets_message(q.max_buckets));
    TimeBucket tb;
    tb.start_ms = start;
    tb.code_set_documents.assign(q.code_sets.size(), 0);
    if (auto it = buckets.find(start); it != buckets.end()) {
      tb.documents = it->second.documents;
      tb.tally = it->second.units.result();
      tb.code_set_documents = it->second.in_set;
    }
    out.push_back(tb);
  }
  return out;
}

std::vector<KeyPairBucket> ColumnStore::key_pairs(const ResultFilter& filter, const KeyPairQuestion& q) const {
  std::shared_lock lock(mutex_);
  const Columns& c = *columns_;
  std::unordered_map<std::uint64_t, std::int64_t> counts;
  scan(filter, [&](std::size_t row) {
    c.column(q.first).for_each_value(row, [&](std::uint32_t a) {
      c.column(q.second).for_each_value(row, [&](std::uint32_t b) { ++counts[static_cast<std::uint64_t>(a) << 32 | b]; });
    });
  });
  std::vector<KeyPairBucket> pairs;
  pairs.reserve(counts.size());
  for (const auto& [key, n] : counts)
    pairs.push_back({std::string(c.text_of(q.first, static_cast<std::uint32_t>(key >> 32))),
                     std::string(c.text_of(q.second, static_cast<std::uint32_t>(key))), n});
  const std::size_t keep = std::min(pairs.size(), q.size);
  std::partial_sort(pairs.begin(), pairs.begin() + static_cast<std::ptrdiff_t>(keep), pairs.end(),
                    [](const KeyPairBucket& x, const KeyPairBucket& y) {
                      return x.first != y.first ? x.first < y.first : x.second < y.second;
                    });
  pairs.resize(keep);
  return pairs;
}

std::int64_t ColumnStore::distinct_count(const ResultFilter& filter, KeywordField field) const {
  std::shared_lock lock(mutex_);
  const Columns& c = *columns_;
  std::vector<std::uint8_t> seen(c.dictionaries[field_index(field)].size(), 0);
  std::int64_t count = 0;
  scan(filter, [&](std::size_t row) {
    for_each_key(c, Dimension::keyword(field), row, [&](std::int64_t key) {
      if (!seen[static_cast<std::size_t>(key)]) {
        seen[static_cast<std::size_t>(key)] = 1;
        ++count;
      }
    });
  });
  return count;
}

DocumentPage ColumnStore::page(const ResultFilter& filter, const PageQuestion& q) const {
  std::shared_lock lock(mutex_);
  const Columns& c = *columns_;
  std::vector<std::size_t> rows;
  scan(filter, [&](std::size_t row) { rows.push_back(row); });
  DocumentPage page;
  page.total = static_cast<std::int64_t>(rows.size());
  if (q.offset >= rows.size()) return page;
  const std::size_t end = std::min(rows.size(), q.offset + q.limit);
  std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(end), rows.end(),
                    row_order(c, q.sort, q.descending));
  for (std::size_t i = q.offset; i < end; ++i) page.documents.push_back(c.document(rows[i]));
  return page;
}

RunPage ColumnStore::run_page(const ResultFilter& filter, const PageQuestion& q) const {
  std::shared_lock lock(mutex_);
  const Columns& c = *columns_;
  struct RunKey {
    bool bundle;
    std::uint32_t id, host;
    std::int64_t time;
    bool operator==(const RunKey&) const = default;
  };
  auto key_of = [&](std::size_t row) {
    const bool bundle = c.flags[row] & Columns::kIsBundleControl;
    // The original's Painless group key reads doc[field].value: the smallest value.
    return RunKey{bundle, c.smallest(bundle ? KeywordField::BundleId : KeywordField::TestUuid, row),
                  c.smallest(KeywordField::Hostname, row), c.event_time[row]};
  };
  auto key_text = [&](const RunKey& k) {
    return run_key(RunSelector{k.bundle, std::string(c.text_of(k.bundle ? KeywordField::BundleId : KeywordField::TestUuid, k.id)),
                               std::string(c.text_of(KeywordField::Hostname, k.host)), k.time});
  };
  auto hash_of = [](const RunKey& k) {
    std::uint64_t h = (static_cast<std::uint64_t>(k.id) << 32 | k.host) * 0x9E3779B97F4A7C15ULL;
    h ^= (static_cast<std::uint64_t>(k.time) + k.bundle) * 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 31);
  };

  std::vector<std::uint32_t> rows;
  scan(filter, [&](std::size_t row) { rows.push_back(static_cast<std::uint32_t>(row)); });
  RunPage page;
  page.total_documents = static_cast<std::int64_t>(rows.size());
  {
    // Runs counted by a 64-bit hash of their key: exact but for a collision
    // chance far below the original's approximate cardinality.
    std::unordered_set<std::uint64_t> distinct;
    distinct.reserve(rows.size());
    for (auto row : rows) distinct.insert(hash_of(key_of(row)));
    page.total_runs = static_cast<std::int64_t>(distinct.size());
  }
  const std::size_t wanted = q.offset + q.limit;
  if (q.offset >= static_cast<std::size_t>(page.total_runs)) return page;

  // Every row of a run shares its time, so runs order by row time. Take a
  // prefix of rows by time large enough to hold `wanted` runs and end on a
  // whole block of equal times; grow it until it does.
  auto newer = [&](std::uint32_t a, std::uint32_t b) {
    return q.descending ? c.event_time[a] > c.event_time[b] : c.event_time[a] < c.event_time[b];
  };
  std::size_t prefix = std::min(rows.size(), wanted * 32);
  std::vector<std::pair<RunKey, std::vector<std::size_t>>> runs;
  while (true) {
    std::nth_element(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(prefix - 1), rows.end(), newer);
    std::sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(prefix), newer);
    runs.clear();
    std::size_t i = 0;
    bool complete = false;
    while (i < prefix) {
      const std::int64_t time = c.event_time[rows[i]];
      std::size_t j = i;
      while (j < prefix && c.event_time[rows[j]] == time) ++j;
      if (j == prefix && prefix < rows.size()) {
        // The block may continue past the prefix: is the next row's time the same?
        bool continues = false;
        for (std::size_t k = prefix; k < rows.size() && !continues; ++k) continues = c.event_time[rows[k]] == time;
        if (continues) break;
      }
      std::vector<std::pair<RunKey, std::vector<std::size_t>>> block;
      for (std::size_t k = i; k < j; ++k) {
        const RunKey key = key_of(rows[k]);
        auto it = std::find_if(block.begin(), block.end(), [&](const auto& r) { return r.first == key; });
        if (it == block.end()) block.push_back({key, {rows[k]}});
        else it->second.push_back(rows[k]);
      }
      auto text = [&](const RunKey& k) { return key_text(k); };
      std::sort(block.begin(), block.end(), [&](const auto& a, const auto& b) { return text(a.first) < text(b.first); });
      for (auto& r : block) runs.push_back(std::move(r));
      i = j;
      if (runs.size() >= wanted) {
        complete = true;
        break;
      }
    }
    if (complete || prefix == rows.size()) break;
    prefix = std::min(rows.size(), prefix * 4);
  }

  for (std::size_t r = q.offset; r < runs.size() && r < wanted; ++r) {
    const auto& [key, members_rows] = runs[r];
    RunGroup group;
    group.bundle = key.bundle;
    group.latest_ms = key.time;
    group.key = key_text(key);
    std::vector<std::size_t> members = members_rows;
    std::stable_sort(members.begin(), members.end(), row_order(c, q.sort, q.descending));
    if (members.size() > kMaxRunMembers) members.resize(kMaxRunMembers);
    for (std::size_t row : members) group.members.push_back(c.document(row));
    page.runs.push_back(std::move(group));
  }
  return page;
}

std::vector<std::int64_t> ColumnStore::matching_keys(const ResultFilter& filter) const {
  std::shared_lock lock(mutex_);
  std::vector<std::int64_t> keys;
  scan(filter, [&](std::size_t row) { keys.push_back(columns_->storage_key[row]); });
  return keys;
}

void ColumnStore::retire(std::span<const std::int64_t> keys) {
  std::unique_lock lock(mutex_);
  const std::unordered_set<std::int64_t> wanted(keys.begin(), keys.end());
  for (std::size_t row = 0; row < columns_->rows(); ++row)
    if (wanted.count(columns_->storage_key[row])) columns_->flags[row] |= Columns::kArchived;
}

ExecutionTimeline ColumnStore::execution_timeline(const ResultFilter& filter, bool with_hosts) const {
  std::shared_lock lock(mutex_);
  const Columns& c = *columns_;
  const auto& techniques = c.column(KeywordField::Techniques);
  std::vector<TechniqueExecutions> per_id(c.dictionaries[field_index(KeywordField::Techniques)].size());
  std::vector<std::uint32_t> host_out(with_hosts ? c.dictionaries[field_index(KeywordField::Hostname)].size() + 1 : 0,
                                      UINT32_MAX);
  ExecutionTimeline out;
  scan(filter, [&](std::size_t row) {
    const std::int64_t t = c.event_time[row];
    if (t == Columns::kNoTime) return;
    std::uint32_t host = 0;
    if (with_hosts) {
      const std::uint32_t id = c.smallest(KeywordField::Hostname, row);
      const std::size_t slot = id == KeywordDictionary::kMissing ? host_out.size() - 1 : id;
      if (host_out[slot] == UINT32_MAX) {
        host_out[slot] = static_cast<std::uint32_t>(out.hosts.size());
        out.hosts.emplace_back(id == KeywordDictionary::kMissing ? std::string_view() : c.text_of(KeywordField::Hostname, id));
      }
      host = host_out[slot];
    }
    techniques.for_each_value(row, [&](std::uint32_t id) {
      per_id[id].times_ms.push_back(t);
      if (with_hosts) per_id[id].host_ids.push_back(host);
    });
  });
  for (std::size_t id = 0; id < per_id.size(); ++id) {
    if (per_id[id].times_ms.empty()) continue;
    per_id[id].technique = std::string(c.text_of(KeywordField::Techniques, static_cast<std::uint32_t>(id)));
    out.techniques.push_back(std::move(per_id[id]));
  }
  return out;
}

std::vector<UndetectedExecution> ColumnStore::undetected_executions(std::int64_t from_ms, std::int64_t stage_recheck_from_ms,
                                                                    std::size_t limit,
                                                                    const std::optional<ExecutionCursor>& after) const {
  std::shared_lock lock(mutex_);
  const Columns& c = *columns_;
  ResultFilter f;
  f.test_data_only = false;
  f.from_ms = from_ms;
  f.attack_simulation_only = true;  // no cyber-hygiene controls
  f.exit_codes.push_back({{101, 105, 126, 127}, false});
  const auto key_of = [&](std::size_t row) { return c.storage_key[row]; };
  const std::int64_t after_key = after ? std::stoll(after->id.empty() ? "0" : after->id) : 0;
  std::vector<std::size_t> rows;
  scan(f, [&](std::size_t row) {
    const std::uint16_t flags = c.flags[row];
    if (!(flags & Columns::kHasTestUuid) || c.smallest(KeywordField::Hostname, row) == KeywordDictionary::kMissing) return;
    const bool detected = flags & Columns::kDefenderDetected;
    const bool stage = flags & Columns::kDefenderStageDetected;
    const bool has_control = c.smallest(KeywordField::ControlId, row) != KeywordDictionary::kMissing;
    if (detected && (stage || !has_control || c.event_time[row] < stage_recheck_from_ms)) return;
    // Newest first, then by key: past the cursor only.
    if (after && (c.event_time[row] > after->event_time_ms || (c.event_time[row] == after->event_time_ms && key_of(row) <= after_key)))
      return;
    rows.push_back(row);
  });
  auto newer = [&](std::size_t a, std::size_t b) {
    return c.event_time[a] != c.event_time[b] ? c.event_time[a] > c.event_time[b] : key_of(a) < key_of(b);
  };
  const std::size_t n = std::min(limit, rows.size());
  std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(n), rows.end(), newer);
  std::vector<UndetectedExecution> out;
  auto first = [&](KeywordField field, std::size_t row) {
    std::string value;
    c.column(field).for_each_stored(row, [&](std::uint32_t id) {
      if (value.empty()) value = std::string(c.text_of(field, id));
    });
    return value;
  };
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t row = rows[i];
    UndetectedExecution e;
    e.id = std::to_string(key_of(row));
    e.event_time_ms = c.event_time[row];
    e.fields = {first(KeywordField::TestUuid, row), format_iso_millis(c.event_time[row]), first(KeywordField::Hostname, row),
                first(KeywordField::BundleName, row), first(KeywordField::ControlId, row)};
    e.detected = c.flags[row] & Columns::kDefenderDetected;
    e.stage_detected = c.flags[row] & Columns::kDefenderStageDetected;
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<bool> ColumnStore::mark_detected(std::span<const DetectionMark> marks) {
  std::vector<bool> applied;
  for (const auto& m : marks) {
    std::int64_t key = 0;
    try {
      key = std::stoll(m.id);
    } catch (const std::exception&) {
      applied.push_back(false);
      continue;
    }
    applied.push_back(set_detection_flags(key, m.detected, m.stage_detected));
  }
  return applied;
}

bool ColumnStore::set_detection_flags(std::int64_t storage_key, bool detected, bool stage_detected) {
  std::unique_lock lock(mutex_);
  Columns& c = *columns_;
  // Storage keys grow with the rows (appended in key order).
  const auto it = std::lower_bound(c.storage_key.begin(), c.storage_key.end(), storage_key);
  if (it == c.storage_key.end() || *it != storage_key) return false;
  const auto row = static_cast<std::size_t>(it - c.storage_key.begin());
  if (c.flags[row] & Columns::kArchived) return false;
  if (detected) c.flags[row] |= Columns::kDefenderDetected;
  if (stage_detected) c.flags[row] |= Columns::kDefenderStageDetected;
  return true;
}

std::size_t ColumnStore::archive(const ResultFilter& filter) {
  std::unique_lock lock(mutex_);
  std::size_t moved = 0;
  scan(filter, [&](std::size_t row) {
    columns_->flags[row] |= Columns::kArchived;
    ++moved;
  });
  return moved;
}

}  // namespace achilles::embedded
