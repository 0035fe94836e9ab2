#include "achilles/embedded/column_store.hpp"

#include <algorithm>
#include <mutex>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

#include "achilles/errors.hpp"
#include "achilles/query/date_math.hpp"
#include "achilles/query/run_key.hpp"
#include "achilles/scoring/scoring_unit.hpp"
#include "breakdown_tables.hpp"
#include "bundle_runs.hpp"
#include "columns.hpp"
#include "column_snapshot.hpp"
#include "compiled_filter.hpp"
#include "scan_workers.hpp"

namespace achilles::embedded {
namespace {

// Calls body(matches) with the cheapest form of `filter`'s test for the
// rows of one range, matches(row, flags of the row): a copy of a flags-and-
// time test (kept in registers, the time test left out when the window
// covers the range), else the compiled filter itself.
template <typename Body>
void with_row_test(const CompiledFilter& filter, bool in_window, Body body) {
  if (const auto test = filter.flag_and_time_test()) {
    const auto t = *test;
    if (in_window || !t.check_time) body([t](std::size_t row, std::uint16_t f) { return t.matches<false>(row, f); });
    else body([t](std::size_t row, std::uint16_t f) { return t.matches<true>(row, f); });
  } else if (in_window) {
    body([&](std::size_t row, std::uint16_t) { return filter.matches_in_window(row); });
  } else {
    body([&](std::size_t row, std::uint16_t) { return filter.matches(row); });
  }
}

// Counts scoring units the §2.8 way: one per document, except that in
// any-stage mode non-cyber-hygiene bundle controls collapse into one unit per
// (bundle_id, hostname), protected when any of its documents is.
class UnitCounter {
public:
  UnitCounter(const Columns& c, ScoringMode mode) : c_(c), mode_(mode) {}
  // The rows of [first, last) that `filter` matches, without a branch on
  // whether a row matches (as good as random per row) and with the counts
  // in registers: adding to the members row by row would chain every row on
  // the one before through memory. `in_window`: the rows' times need no test.
  void add_rows(const CompiledFilter& filter, std::size_t first, std::size_t last, bool in_window) {
    with_row_test(filter, in_window, [&](auto matches) { add_rows(first, last, matches); });
  }
  template <typename Matches>
  void add_rows(std::size_t first, std::size_t last, Matches matches) {
    const std::uint16_t* flags = c_.flags.data();
    std::int64_t units = 0, strict = 0, combined = 0;
    auto count = [&](bool matched, std::uint16_t f) {
      const bool is_strict = f & Columns::kIsProtected;
      units += matched;
      strict += matched & is_strict;
      combined += matched & (is_strict | ((f & Columns::kDefenderDetected) != 0));
    };
    if (mode_ == ScoringMode::AnyStage) {
      // A bundle control may count as a run: such rows are gathered, then
      // added one by one after each chunk.
      constexpr std::size_t kChunk = 512;
      std::uint32_t run_rows[kChunk];
      for (std::size_t chunk = first; chunk < last; chunk += kChunk) {
        const std::size_t chunk_last = std::min(last, chunk + kChunk);
        std::size_t runs = 0;
        for (std::size_t row = chunk; row < chunk_last; ++row) {
          const std::uint16_t f = flags[row];
          const bool matched = matches(row, f);
          const bool maybe_run = f & Columns::kIsBundleControl;
          run_rows[runs] = static_cast<std::uint32_t>(row);
          runs += matched & maybe_run;
          count(matched & !maybe_run, f);
        }
        for (std::size_t i = 0; i < runs; ++i) add(run_rows[i]);
      }
    } else {
      for (std::size_t row = first; row < last; ++row) {
        const std::uint16_t f = flags[row];
        count(matches(row, f), f);
      }
    }
    documents_.units += units;
    documents_.strict += strict;
    documents_.combined += combined;
  }
  [[gnu::always_inline]] void add(std::size_t row) {
    const std::uint16_t flags = c_.flags[row];
    const bool strict = flags & Columns::kIsProtected;
    const bool combined = strict || (flags & Columns::kDefenderDetected);
    if (scoring_unit(mode_, flags & Columns::kIsBundleControl, flags & Columns::kCyberHygiene) == ScoringUnit::BundleRun) {
      runs_[bundle_run_key(c_, row)] |= run_bits(flags);
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
    for (const auto& [key, bits] : runs_) count_run(t.bundle_runs, bits);
    return t;
  }

private:
  const Columns& c_;
  ScoringMode mode_;
  ProtectionTally documents_;
  std::unordered_map<std::uint64_t, std::uint8_t> runs_;
};

// The row ranges a question must read: whole blocks whose event times meet
// its window, adjacent ones joined; `in_window` when the window covers every
// row of the range, so its rows' times need no test.
struct RowRange {
  std::size_t first, last;
  bool in_window;
};
using RowRanges = std::vector<RowRange>;
RowRanges candidate_rows(const Columns& c, const CompiledFilter& filter) {
  RowRanges ranges;
  if (filter.matches_nothing()) return ranges;
  const std::size_t rows = c.rows();
  for (std::size_t b = 0; b < c.blocks(); ++b) {
    if (!filter.may_match(c.block_times[b])) continue;
    const std::size_t first = b * Columns::kBlockRows, last = std::min(rows, first + Columns::kBlockRows);
    const bool in_window = filter.covers(c.block_times[b]);
    if (!ranges.empty() && ranges.back().last == first && ranges.back().in_window == in_window) ranges.back().last = last;
    else ranges.push_back({first, last, in_window});
  }
  return ranges;
}

std::size_t row_count(const RowRanges& ranges) {
  std::size_t n = 0;
  for (const auto& r : ranges) n += r.last - r.first;
  return n;
}

// The candidate rows cut in two parts of about the same size.
std::pair<RowRanges, RowRanges> halves(const RowRanges& ranges) {
  std::size_t left = row_count(ranges) / 2;
  std::pair<RowRanges, RowRanges> out;
  for (const auto& r : ranges) {
    const std::size_t n = r.last - r.first;
    if (left >= n) {
      out.first.push_back(r);
      left -= n;
    } else if (left > 0) {
      out.first.push_back({r.first, r.first + left, r.in_window});
      out.second.push_back({r.first + left, r.last, r.in_window});
      left = 0;
    } else {
      out.second.push_back(r);
    }
  }
  return out;
}

// Matching rows are first gathered a chunk at a time without a branch (the
// row is written, the count moves by whether it matched), then visited: a
// filter's verdict is as good as random per row, and branching on it would
// mispredict about half the time.
template <typename Visit>
void visit_matching(const CompiledFilter& filter, const RowRanges& ranges, Visit&& visit) {
  constexpr std::size_t kChunk = 512;
  std::uint32_t matched[kChunk];
  for (const auto& r : ranges) {
    for (std::size_t first = r.first; first < r.last; first += kChunk) {
      const std::size_t last = std::min(r.last, first + kChunk);
      std::size_t n = 0;
      if (r.in_window) {
        for (std::size_t row = first; row < last; ++row) {
          matched[n] = static_cast<std::uint32_t>(row);
          n += filter.matches_in_window(row);
        }
      } else {
        for (std::size_t row = first; row < last; ++row) {
          matched[n] = static_cast<std::uint32_t>(row);
          n += filter.matches(row);
        }
      }
      for (std::size_t i = 0; i < n; ++i) visit(static_cast<std::size_t>(matched[i]));
    }
  }
}

// Below this many candidate rows a question is scanned on one thread.
constexpr std::size_t kParallelRows = 100'000;

// The candidate rows split in two halves when there are enough of them to
// repay the hand-off: one scanned here, one by a scan worker; each half
// fills its own accumulator (run(acc, part)), then the second is merged
// into the first.
template <typename Make, typename Run, typename Merge>
auto split_ranges(const RowRanges& ranges, Make make, Run run, Merge merge) {
  auto whole = make();
  if (row_count(ranges) < kParallelRows || ScanWorkers::shared().size() == 0) {
    run(whole, ranges);
    return whole;
  }
  // Named, not structured bindings: clang 14 (the fuzz build) cannot capture those.
  const auto parts = halves(ranges);
  const RowRanges& mine = parts.first;
  const RowRanges& theirs = parts.second;
  auto second = make();
  ScanWorkers::shared().both([&] { run(whole, mine); }, [&] { run(second, theirs); });
  merge(whole, second);
  return whole;
}

template <typename Make, typename Visit, typename Merge>
auto split_scan(const Columns& c, const CompiledFilter& filter, Make make, Visit visit, Merge merge) {
  return split_ranges(
      candidate_rows(c, filter), make,
      [&](auto& acc, const RowRanges& part) { visit_matching(filter, part, [&](std::size_t row) { visit(acc, row); }); },
      merge);
}

// How many candidate rows `filter` matches: a sum of verdicts (no branch
// per row), on both threads.
std::int64_t count_matching(const Columns& c, const CompiledFilter& filter, const RowRanges& ranges) {
  const std::uint16_t* flags = c.flags.data();
  return split_ranges(
      ranges, [] { return std::int64_t{0}; },
      [&](std::int64_t& n, const RowRanges& part) {
        for (const auto& r : part)
          with_row_test(filter, r.in_window, [&](auto matches) {
            std::int64_t found = 0;
            for (std::size_t row = r.first; row < r.last; ++row) found += matches(row, flags[row]);
            n += found;
          });
      },
      [](std::int64_t& a, std::int64_t b) { a += b; });
}

// The rows any of several filters may match: blocks some window meets,
// `in_window` only where every window covers the block.
RowRanges candidate_rows_of_any(const Columns& c, const std::vector<CompiledFilter>& filters) {
  RowRanges ranges;
  const std::size_t rows = c.rows();
  for (std::size_t b = 0; b < c.blocks(); ++b) {
    bool may = false, covered = true;
    for (const auto& f : filters) {
      if (f.matches_nothing()) continue;
      may |= f.may_match(c.block_times[b]);
      covered &= f.covers(c.block_times[b]);
    }
    if (!may) continue;
    const std::size_t first = b * Columns::kBlockRows, last = std::min(rows, first + Columns::kBlockRows);
    if (!ranges.empty() && ranges.back().last == first && ranges.back().in_window == covered) ranges.back().last = last;
    else ranges.push_back({first, last, covered});
  }
  return ranges;
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
// missing it last either way, ties in index order (the storage key's order,
// whatever the rows' arrangement in memory).
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
    return c.storage_key[a] < c.storage_key[b];
  };
}

// row_order for the event time alone (the executions table's default),
// without the general comparison's per-field dispatch.
auto time_order(const Columns& c, bool descending) {
  return [&c, descending](std::size_t a, std::size_t b) {
    std::int64_t ta = c.event_time[a], tb = c.event_time[b];
    if (ta != tb) {
      // Missing times (kNoTime, the smallest value) last either way.
      if (ta == Columns::kNoTime || tb == Columns::kNoTime) return tb == Columns::kNoTime;
      return descending ? ta > tb : ta < tb;
    }
    return c.storage_key[a] < c.storage_key[b];
  };
}

// The number of distinct runs among `rows` (ascending row numbers), exactly.
// Every row of a run carries the run's time, so among rows arranged by time
// a run's rows sit in one stretch of equal times: runs are counted per
// stretch. A row past the arranged ones counts unless a row of the same run
// was already counted, in its stretch or earlier in the tail.
template <typename KeyOf>
std::int64_t count_runs(const Columns& c, const std::vector<std::uint32_t>& rows, KeyOf key_of) {
  auto packed = [&](std::uint32_t row) {
    const auto k = key_of(row);
    return (static_cast<std::uint64_t>(k.id | (k.bundle ? 0x8000'0000u : 0u)) << 32) | k.host;
  };
  const auto ordered_end = static_cast<std::size_t>(
      std::lower_bound(rows.begin(), rows.end(), c.time_ordered_rows) - rows.begin());
  std::int64_t runs = 0;
  std::vector<std::uint64_t> stretch;
  for (std::size_t i = 0; i < ordered_end;) {
    const std::int64_t time = c.event_time[rows[i]];
    stretch.clear();
    for (; i < ordered_end && c.event_time[rows[i]] == time; ++i) stretch.push_back(packed(rows[i]));
    std::sort(stretch.begin(), stretch.end());
    runs += std::unique(stretch.begin(), stretch.end()) - stretch.begin();
  }
  struct TailRun {
    std::uint64_t key;
    std::int64_t time;
    bool operator==(const TailRun&) const = default;
  };
  struct TailRunHash {
    std::size_t operator()(const TailRun& r) const {
      const std::uint64_t h = r.key * 0x9E3779B97F4A7C15ULL ^ static_cast<std::uint64_t>(r.time) * 0xBF58476D1CE4E5B9ULL;
      return static_cast<std::size_t>(h ^ (h >> 31));
    }
  };
  std::unordered_set<TailRun, TailRunHash> tail;
  auto time_less = [&](std::uint32_t row, std::int64_t t) { return c.event_time[row] < t; };
  for (std::size_t i = ordered_end; i < rows.size(); ++i) {
    const TailRun run{packed(rows[i]), c.event_time[rows[i]]};
    auto at = std::lower_bound(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(ordered_end), run.time, time_less);
    bool counted = false;
    for (; !counted && at != rows.begin() + static_cast<std::ptrdiff_t>(ordered_end) && c.event_time[*at] == run.time; ++at)
      counted = packed(*at) == run.key;
    if (!counted && tail.insert(run).second) ++runs;
  }
  return runs;
}

constexpr std::size_t kDensePairCells = 1 << 22;

std::optional<KeywordField> keyword_sort_field(SortField f) {
  switch (f) {
    case SortField::TestName: return KeywordField::TestName;
    case SortField::Hostname: return KeywordField::Hostname;
    case SortField::Severity: return KeywordField::Severity;
    case SortField::Category: return KeywordField::Category;
    case SortField::ThreatActor: return KeywordField::ThreatActor;
    case SortField::Complexity: return KeywordField::Complexity;
    default: return std::nullopt;
  }
}

// row_order for a keyword field, without comparing strings per comparison:
// each dictionary value's rank in sorted order is computed once, and each
// row's sort key (missing last, then rank in the asked direction, then the
// storage key) once; the selection then compares integers.
void order_by_keyword(const Columns& c, KeywordField field, bool descending, std::vector<std::size_t>& rows, std::size_t n) {
  const auto& dict = c.dictionaries[field_index(field)];
  std::vector<std::uint32_t> by_value(dict.size());
  std::iota(by_value.begin(), by_value.end(), 0u);
  std::sort(by_value.begin(), by_value.end(), [&](std::uint32_t a, std::uint32_t b) { return dict.value(a) < dict.value(b); });
  std::vector<std::uint32_t> rank(dict.size());
  for (std::uint32_t i = 0; i < by_value.size(); ++i) rank[by_value[i]] = i;
  struct Keyed {
    std::uint64_t order;
    std::int64_t key;
    std::size_t row;
  };
  std::vector<Keyed> keyed;
  keyed.reserve(rows.size());
  for (std::size_t row : rows) {
    const std::uint32_t id = c.sort_value(field, row, descending);
    const std::uint64_t order = id == KeywordDictionary::kMissing ? UINT64_MAX : descending ? UINT32_MAX - rank[id] : rank[id];
    keyed.push_back({order, c.storage_key[row], row});
  }
  auto less = [](const Keyed& a, const Keyed& b) { return a.order != b.order ? a.order < b.order : a.key < b.key; };
  if (n < keyed.size()) std::nth_element(keyed.begin(), keyed.begin() + static_cast<std::ptrdiff_t>(n - 1), keyed.end(), less);
  std::sort(keyed.begin(), keyed.begin() + static_cast<std::ptrdiff_t>(n), less);
  for (std::size_t i = 0; i < n; ++i) rows[i] = keyed[i].row;
}

// Puts the first `n` rows in order. Selection then a sort of the selected,
// not a heap: rows arranged by time would make every row of a newest-first
// page displace the heap's top.
template <typename Order>
void first_in_order(std::vector<std::size_t>& rows, std::size_t n, Order order) {
  if (n == 0) return;
  if (n < rows.size()) std::nth_element(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(n - 1), rows.end(), order);
  std::sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(n), order);
}

}  // namespace

ColumnStore::ColumnStore(Dedup dedup) : dedup_(dedup), columns_(std::make_unique<Columns>()) {}
ColumnStore::~ColumnStore() = default;

template <typename Visit>
void ColumnStore::scan(const ResultFilter& filter, Visit&& visit) const {
  const CompiledFilter compiled(*columns_, filter);
  visit_matching(compiled, candidate_rows(*columns_, compiled), visit);
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

bool ColumnStore::arrange_by_time(std::size_t unordered_rows_allowed) {
  std::unique_lock lock(mutex_);
  Columns& c = *columns_;
  if (c.rows() - c.time_ordered_rows <= unordered_rows_allowed) return false;
  // By time, then by row: rows of one instant keep their order (untimed
  // rows, kNoTime, first). Sorting the pairs themselves reads no column at random.
  std::vector<std::pair<std::int64_t, std::uint32_t>> by_time(c.rows());
  for (std::uint32_t i = 0; i < by_time.size(); ++i) by_time[i] = {c.event_time[i], i};
  std::sort(by_time.begin(), by_time.end());
  std::vector<std::uint32_t> order(by_time.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = by_time[i].second;
  by_time = {};
  c.permute(order);
  c.time_ordered_rows = c.rows();
  if (!rows_by_id_.empty()) {
    std::vector<std::size_t> new_row(order.size());
    for (std::size_t i = 0; i < order.size(); ++i) new_row[order[i]] = i;
    for (auto& [id, row] : rows_by_id_) row = new_row[row];
  }
  return true;
}

void ColumnStore::save_snapshot(const std::filesystem::path& path, const SnapshotStamp& stamp, std::int64_t loaded_through) const {
  save_snapshot(path, [&] { return std::pair{stamp, loaded_through}; });
}

void ColumnStore::save_snapshot(const std::filesystem::path& path,
                                const std::function<std::pair<SnapshotStamp, std::int64_t>()>& state) const {
  std::shared_lock lock(mutex_);
  const auto [stamp, loaded_through] = state();
  write_column_snapshot(*columns_, stamp, loaded_through, path);
}

std::optional<std::int64_t> ColumnStore::load_snapshot(const std::filesystem::path& path, const SnapshotStamp& stamp) {
  if (dedup_ != Dedup::Trusted) throw std::logic_error("a snapshot needs a store fed by durable storage");
  auto loaded = read_column_snapshot(path, stamp);
  if (!loaded) return std::nullopt;
  std::unique_lock lock(mutex_);
  *columns_ = std::move(loaded->columns);
  return loaded->loaded_through;
}

std::size_t ColumnStore::size() const {
  std::shared_lock lock(mutex_);
  return columns_->rows();
}

UnitTally ColumnStore::tally(const ResultFilter& filter, ScoringMode mode) const {
  std::shared_lock lock(mutex_);
  const CompiledFilter compiled(*columns_, filter);
  const auto units = split_ranges(
      candidate_rows(*columns_, compiled), [&] { return UnitCounter(*columns_, mode); },
      [&](UnitCounter& u, const RowRanges& part) {
        for (const auto& r : part) u.add_rows(compiled, r.first, r.last, r.in_window);
      },
      [](UnitCounter& a, UnitCounter& b) { a.merge(b); });
  return units.result();
}

// Tallies asked together (the error rate's errors and conclusive results,
// the headline score with and without risk acceptances) in one pass: each
// row is read once and offered to every filter.
std::vector<BatchedAnswer> ColumnStore::ask_all(std::span<const BatchedQuestion> questions) const {
  const bool all_tallies = std::all_of(questions.begin(), questions.end(),
                                       [](const BatchedQuestion& q) { return std::holds_alternative<TallyAsk>(q); });
  if (questions.size() < 2 || !all_tallies) return ResultsIndex::ask_all(questions);
  std::shared_lock lock(mutex_);
  const Columns& c = *columns_;
  std::vector<CompiledFilter> filters;
  filters.reserve(questions.size());
  for (const auto& q : questions) filters.emplace_back(c, std::get<TallyAsk>(q).filter);
  auto counters = split_ranges(
      candidate_rows_of_any(c, filters),
      [&] {
        std::vector<UnitCounter> out;
        for (const auto& q : questions) out.emplace_back(c, std::get<TallyAsk>(q).mode);
        return out;
      },
      [&](std::vector<UnitCounter>& units, const RowRanges& part) {
        // Filter by filter over a stretch of rows at a time: each loop is the
        // single question's loop, and the stretch is still in cache for the next filter.
        constexpr std::size_t kStretch = 4096;
        for (const auto& r : part)
          for (std::size_t first = r.first; first < r.last; first += kStretch) {
            const std::size_t last = std::min(r.last, first + kStretch);
            for (std::size_t k = 0; k < filters.size(); ++k)
              if (!filters[k].matches_nothing()) units[k].add_rows(filters[k], first, last, r.in_window);
          }
      },
      [](std::vector<UnitCounter>& a, std::vector<UnitCounter>& b) {
        for (std::size_t k = 0; k < a.size(); ++k) a[k].merge(b[k]);
      });
  std::vector<BatchedAnswer> answers;
  for (const auto& u : counters) answers.emplace_back(u.result());
  return answers;
}

std::vector<Bucket> ColumnStore::breakdown(const ResultFilter& filter, const BreakdownQuestion& q) const {
  std::shared_lock lock(mutex_);
  const Columns& c = *columns_;
  const CompiledFilter compiled(c, filter);
  const auto tables = split_scan(
      c, compiled, [&] { return BreakdownTables(c, q); }, [](BreakdownTables& t, std::size_t row) { t.add(row); },
      [](BreakdownTables& a, const BreakdownTables& b) { a.merge(b); });
  return tables.buckets();
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
      c, compiled, [] { return Map{}; },
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
  // Pairs as ids until the kept ones are known: sorting compares the
  // dictionaries' texts in place, and only kept pairs become strings.
  struct IdPair {
    std::uint32_t first, second;
    std::int64_t documents;
  };
  std::vector<IdPair> pairs;
  auto add_pair = [&](std::uint32_t a, std::uint32_t b, std::int64_t n) { pairs.push_back({a, b, n}); };
  // Key pairs are usually hosts × tests: a table of counts indexed by both
  // ids, rather than a hash per row, while it stays small.
  const std::size_t firsts = c.dictionaries[field_index(q.first)].size(), seconds = c.dictionaries[field_index(q.second)].size();
  if (firsts * seconds <= kDensePairCells) {
    const CompiledFilter compiled(c, filter);
    const KeywordColumn& first_column = c.column(q.first);
    const KeywordColumn& second_column = c.column(q.second);
    const std::uint16_t* flags = c.flags.data();
    const auto counts = split_ranges(
        candidate_rows(c, compiled), [&] { return std::vector<std::int64_t>(firsts * seconds, 0); },
        [&](std::vector<std::int64_t>& counts, const RowRanges& part) {
          for (const auto& r : part)
            with_row_test(compiled, r.in_window, [&](auto matches) {
              for (std::size_t row = r.first; row < r.last; ++row) {
                const bool matched = matches(row, flags[row]);
                // One value in each (the usual host and test): the verdict is
                // added to the cell, no branch on it; a list or a missing
                // value goes the general way.
                const std::uint32_t a = first_column.cell(row), b = second_column.cell(row);
                if (a != KeywordDictionary::kMissing && b != KeywordDictionary::kMissing && a < firsts && b < seconds) {
                  counts[a * seconds + b] += matched;
                } else if (matched) {
                  first_column.for_each_value(row, [&](std::uint32_t x) {
                    second_column.for_each_value(row, [&](std::uint32_t y) { ++counts[x * seconds + y]; });
                  });
                }
              }
            });
        },
        [](std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b) {
          for (std::size_t i = 0; i < a.size(); ++i) a[i] += b[i];
        });
    for (std::size_t cell = 0; cell < counts.size(); ++cell)
      if (counts[cell]) add_pair(static_cast<std::uint32_t>(cell / seconds), static_cast<std::uint32_t>(cell % seconds), counts[cell]);
  } else {
    std::unordered_map<std::uint64_t, std::int64_t> counts;
    scan(filter, [&](std::size_t row) {
      c.column(q.first).for_each_value(row, [&](std::uint32_t a) {
        c.column(q.second).for_each_value(row, [&](std::uint32_t b) { ++counts[static_cast<std::uint64_t>(a) << 32 | b]; });
      });
    });
    pairs.reserve(counts.size());
    for (const auto& [key, n] : counts) add_pair(static_cast<std::uint32_t>(key >> 32), static_cast<std::uint32_t>(key), n);
  }
  const std::size_t keep = std::min(pairs.size(), q.size);
  // Ids are distinct values: different ids, different texts.
  std::partial_sort(pairs.begin(), pairs.begin() + static_cast<std::ptrdiff_t>(keep), pairs.end(),
                    [&](const IdPair& x, const IdPair& y) {
                      return x.first != y.first ? c.text_of(q.first, x.first) < c.text_of(q.first, y.first)
                                                : c.text_of(q.second, x.second) < c.text_of(q.second, y.second);
                    });
  std::vector<KeyPairBucket> out;
  out.reserve(keep);
  for (std::size_t i = 0; i < keep; ++i)
    out.push_back({std::string(c.text_of(q.first, pairs[i].first)), std::string(c.text_of(q.second, pairs[i].second)), pairs[i].documents});
  return out;
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

// Newest first over rows arranged by time: the page is among the last
// matching arranged rows (walked backwards, taking every row of the oldest
// time reached, whose storage keys decide ties) and the matching rows past
// the arranged ones. Counting the rest needs no list of them.
std::vector<std::size_t> newest_candidates(const Columns& c, const CompiledFilter& filter, const RowRanges& ranges,
                                           std::size_t wanted, std::int64_t& total) {
  std::vector<std::size_t> rows;
  total = count_matching(c, filter, ranges);
  RowRanges unarranged;
  for (const auto& r : ranges)
    if (r.last > c.time_ordered_rows) unarranged.push_back({std::max(r.first, c.time_ordered_rows), r.last, r.in_window});
  visit_matching(filter, unarranged, [&](std::size_t row) { rows.push_back(row); });
  std::size_t taken = 0;
  std::int64_t boundary = 0;
  for (auto r = ranges.rbegin(); r != ranges.rend(); ++r) {
    for (std::size_t row = std::min(r->last, c.time_ordered_rows); row-- > r->first;) {
      if (taken >= wanted && c.event_time[row] != boundary) return rows;
      if (!filter.matches(row)) continue;
      rows.push_back(row);
      boundary = c.event_time[row];
      ++taken;
    }
  }
  return rows;
}

DocumentPage ColumnStore::page(const ResultFilter& filter, const PageQuestion& q) const {
  std::shared_lock lock(mutex_);
  const Columns& c = *columns_;
  if (q.sort == SortField::EventTime && q.descending) {
    const CompiledFilter compiled(c, filter);
    DocumentPage page;
    auto rows = newest_candidates(c, compiled, candidate_rows(c, compiled), q.offset + q.limit, page.total);
    if (q.offset >= rows.size()) return page;
    const std::size_t end = std::min(rows.size(), q.offset + q.limit);
    first_in_order(rows, end, time_order(c, true));
    for (std::size_t i = q.offset; i < end; ++i) page.documents.push_back(c.document(rows[i]));
    return page;
  }
  std::vector<std::size_t> rows;
  scan(filter, [&](std::size_t row) { rows.push_back(row); });
  DocumentPage page;
  page.total = static_cast<std::int64_t>(rows.size());
  if (q.offset >= rows.size()) return page;
  const std::size_t end = std::min(rows.size(), q.offset + q.limit);
  if (q.sort == SortField::EventTime) first_in_order(rows, end, time_order(c, q.descending));
  else if (auto field = keyword_sort_field(q.sort)) order_by_keyword(c, *field, q.descending, rows, end);
  else first_in_order(rows, end, row_order(c, q.sort, q.descending));
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

  std::vector<std::uint32_t> rows;
  scan(filter, [&](std::size_t row) { rows.push_back(static_cast<std::uint32_t>(row)); });
  RunPage page;
  page.total_documents = static_cast<std::int64_t>(rows.size());
  page.total_runs = count_runs(c, rows, key_of);
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
  first_in_order(rows, n, newer);
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
  const auto found = c.row_of_key(storage_key);
  if (!found) return false;
  const std::size_t row = *found;
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
