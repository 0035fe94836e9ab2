#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "achilles/domain/result_document.hpp"
#include "achilles/query/filter_params.hpp"
#include "achilles/query/result_filter.hpp"
#include "achilles/scoring/unit_tally.hpp"

namespace achilles {

// What a breakdown groups by: a keyword field (multi-valued fields put a
// document in one bucket per value) or the exit code.
struct Dimension {
  bool exit_code = false;
  KeywordField field = KeywordField::TestName;

  static Dimension keyword(KeywordField f) { return {false, f}; }
  static Dimension error_code() { return {true, KeywordField::TestName}; }
};

// Breakdown: the top `size` buckets by document count (ties: key ascending,
// as an Elasticsearch terms aggregation orders them), each with its tally in
// `mode`, optionally a nested breakdown and a distinct count of a field.
// Documents without a value for the dimension are in no bucket.
struct BreakdownQuestion {
  Dimension dimension;
  std::size_t size = 10;
  ScoringMode mode = ScoringMode::AllStages;
  std::optional<Dimension> then_by;
  std::size_t then_size = 50;
  std::optional<KeywordField> distinct;
  // Also count the documents that store f0rtika.is_protected as false (the
  // original's `unprotected` sub-aggregation: a document without the field
  // is neither protected nor unprotected).
  bool count_unprotected = false;

  static BreakdownQuestion top(Dimension d, std::size_t n, ScoringMode m = ScoringMode::AllStages) {
    return {d, n, m, std::nullopt, 50, std::nullopt, false};
  }
};

// One value of a breakdown: its documents, its scoring tally and, when asked, a distinct count.
struct Bucket {
  std::string key;  // the keyword, or the exit code in decimal
  std::int64_t documents = 0;
  UnitTally tally;
  std::int64_t distinct = 0;
  std::int64_t unprotected_documents = 0;  // when BreakdownQuestion::count_unprotected
  std::vector<Bucket> sub;
};

// The first `size` pairs of keys in key order, ascending by the first field
// then the second, each with how many documents hold it: the first page of
// an Elasticsearch composite aggregation (the host-test matrix, §3.5). A
// document with several values holds each combination; one without a value
// for either field holds none.
struct KeyPairQuestion {
  KeywordField first = KeywordField::Hostname;
  KeywordField second = KeywordField::TestName;
  std::size_t size = 1000;
};

// How many documents hold one pair of values (a host and a test, ...).
struct KeyPairBucket {
  std::string first;
  std::string second;
  std::int64_t documents = 0;
  bool operator==(const KeyPairBucket&) const = default;
};

// Calendar intervals Elasticsearch accepts in `calendar_interval` (D3).
enum class CalendarInterval { Minute, Hour, Day, Week, Month, Quarter, Year };
std::optional<CalendarInterval> calendar_interval_from(std::string_view text);  // "day", "1d", ...
std::int64_t interval_start(std::int64_t epoch_ms, CalendarInterval interval);
std::int64_t next_interval_start(std::int64_t start_ms, CalendarInterval interval);

// Date histogram: one bucket per interval from the first to the last bucket
// holding a document, empty ones in between included (min_doc_count 0).
// `code_sets`: per bucket, also count the documents whose exit code is in
// each set (the error-rate trend's errors and conclusive counts).
// At most this many buckets: beyond it the question is refused (a 400
// naming interval, from and to), never answered by filling memory.
inline constexpr std::size_t kMaxHistogramBuckets = 10'000;
std::string too_many_buckets_message(std::size_t max_buckets);

// A histogram of documents over calendar intervals, with a tally per interval.
struct HistogramQuestion {
  CalendarInterval interval = CalendarInterval::Day;
  ScoringMode mode = ScoringMode::AllStages;
  std::vector<std::vector<std::int64_t>> code_sets = {};
  std::size_t max_buckets = kMaxHistogramBuckets;
};

// One interval of a histogram: where it starts, its documents and its tally.
struct TimeBucket {
  std::int64_t start_ms = 0;
  std::int64_t documents = 0;
  UnitTally tally;
  std::vector<std::int64_t> code_set_documents = {};  // one count per HistogramQuestion::code_sets entry
};

// Fields a page of documents can be sorted by (the executions table's).
enum class SortField { EventTime, TestName, Hostname, IsProtected, Severity, Category, ThreatActor, Complexity, Score };
std::optional<SortField> sort_field_from(std::string_view text);  // "routing.event_time", ...

// Which page of matching documents, in which order.
struct PageQuestion {
  SortField sort = SortField::EventTime;
  bool descending = true;
  std::size_t offset = 0;
  std::size_t limit = 25;
};

// One page of matching documents, with how many match in all.
struct DocumentPage {
  std::int64_t total = 0;
  std::vector<ResultDocument> documents;
};

// A run: the documents of one execution of a test or bundle on one host.
// Key: bundle::<bundle_id>::<hostname>::<event_time_ms> for bundle controls,
// standalone::<test_uuid>::<hostname>::<event_time_ms> otherwise.
struct RunGroup {
  std::string key;
  bool bundle = false;
  std::int64_t latest_ms = 0;
  std::vector<ResultDocument> members;  // sorted by the page's sort field, at most kMaxRunMembers
};
inline constexpr std::size_t kMaxRunMembers = 100;

// Runs ordered by their latest event time (descending or not per the page
// question), `offset`/`limit` counting runs.
struct RunPage {
  std::int64_t total_runs = 0;
  std::int64_t total_documents = 0;
  std::vector<RunGroup> runs;
};

}  // namespace achilles
