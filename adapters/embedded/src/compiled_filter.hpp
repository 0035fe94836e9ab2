#pragma once
#include <optional>
#include <unordered_map>
#include <vector>

#include "achilles/scoring/scoring_unit.hpp"
#include "columns.hpp"

namespace achilles::embedded {

// A ResultFilter resolved against the columns' dictionaries: strings become
// ids once per question, so the scan compares integers only.
class CompiledFilter {
public:
  CompiledFilter(const Columns& columns, const ResultFilter& filter);

  bool matches_nothing() const { return matches_nothing_; }
  [[gnu::always_inline]] bool matches(std::size_t row) const { return test<true>(row); }
  // For rows of a block the window covers (covers() below): the time is not read.
  [[gnu::always_inline]] bool matches_in_window(std::size_t row) const { return test<false>(row); }
  // False when no row of a block with these event times can match.
  bool may_match(const Columns::TimeSpan& block) const {
    return !check_time_ || (block.max >= from_ && block.min <= to_);
  }
  // True when every row of the block passes the time test.
  bool covers(const Columns::TimeSpan& block) const {
    return !check_time_ || (!block.untimed && block.min >= from_ && block.max <= to_);
  }

  // The whole test of a filter that reads only a row's flags and time (no
  // exit code outside the flags, no keyword, exclusion or run), as a value a
  // loop keeps in registers.
  struct FlagAndTimeTest {
    const std::uint16_t* flags;
    const std::int64_t* time;
    std::uint16_t mask, required;
    bool check_time;
    std::int64_t from, to;
    // `row_flags`: flags[row], which the caller has read already.
    template <bool kCheckTime>
    [[gnu::always_inline]] bool matches(std::size_t row, std::uint16_t row_flags) const {
      bool ok = (row_flags & mask) == required;
      if constexpr (kCheckTime) {
        const std::int64_t t = time[row];
        ok &= (t != Columns::kNoTime) & (t >= from) & (t <= to);
      }
      return ok;
    }
  };
  std::optional<FlagAndTimeTest> flag_and_time_test() const {
    if (matches_nothing_ || has_row_tests_ || !code_tests_.empty()) return std::nullopt;
    return FlagAndTimeTest{flags_, time_, static_cast<std::uint16_t>(required_flags_ | forbidden_flags_ | Columns::kArchived),
                           required_flags_, check_time_, from_, to_};
  }

private:
  struct FieldTest {
    KeywordField field;
    std::vector<std::uint8_t> accepted;  // by dictionary id
  };
  struct KeywordTest {
    std::vector<FieldTest> fields;
  };
  struct Exclusion {
    std::uint32_t test_name;
    std::optional<std::uint32_t> control;
    std::optional<std::uint32_t> host;
  };
  struct Run {
    bool bundle;
    std::uint32_t id;
    std::uint32_t host;
  };

  template <bool kCheckTime>
  [[gnu::always_inline]] bool test(std::size_t row) const;
  bool keyword_matches(const KeywordTest& test, std::size_t row) const;
  bool in_selected_run(std::size_t row) const;

  const Columns& c_;
  const ResultFilter& f_;
  // Hot-loop copies of the filter, so the scan reads locals, not optionals.
  const std::uint16_t* flags_;
  const std::int64_t* time_;
  const std::int64_t* code_;
  std::uint16_t required_flags_ = 0;
  std::uint16_t forbidden_flags_ = 0;
  bool check_time_ = false;
  std::int64_t from_ = INT64_MIN;
  std::int64_t to_ = INT64_MAX;
  // Exit codes below kCodeTableSize are looked up in a table; others (rare)
  // in the clause's list.
  static constexpr std::int64_t kCodeTableSize = 1024;
  struct CodeTest {
    std::vector<std::int64_t> codes;
    bool negated;
    std::vector<std::uint8_t> listed;  // by code, for 0 <= code < kCodeTableSize
    bool holds(std::int64_t code) const {
      if (code >= 0 && code < kCodeTableSize) return listed[static_cast<std::size_t>(code)];
      if (code == Columns::kNoCode) return false;
      for (std::int64_t c : codes)
        if (c == code) return true;
      return false;
    }
  };
  std::vector<CodeTest> code_tests_;
  // For 0 <= code < kCodeTableSize: whether every clause passes. Empty
  // without code clauses.
  std::vector<std::uint8_t> codes_passing_;
  bool codes_pass(std::int64_t code) const {  // any code, the rare ones too
    for (const auto& clause : code_tests_)
      if (clause.holds(code) == clause.negated) return false;
    return true;
  }
  bool matches_nothing_ = false;
  bool has_row_tests_ = false;  // keyword tests, exclusions or runs
  std::vector<KeywordTest> keyword_tests_;
  std::vector<Exclusion> exclusions_;
  std::unordered_multimap<std::int64_t, Run> runs_;  // by event time
};

// Inline: it runs once per row of every question. Columns a question does
// not test are not read: a scan is bound by memory, not by instructions.
template <bool kCheckTime>
[[gnu::always_inline]] inline bool CompiledFilter::test(std::size_t row) const {
  // The cheap tests combine without branching: whether a row passes its
  // time and exit-code tests is as good as random, and a mispredicted branch
  // per row costs more than the tests themselves.
  const std::uint16_t flags = flags_[row];
  bool ok = ((flags & (required_flags_ | forbidden_flags_ | Columns::kArchived)) == required_flags_);
  if constexpr (kCheckTime) {
    if (check_time_) {
      const std::int64_t t = time_[row];  // kNoTime is INT64_MIN: below any bound
      ok &= (t != Columns::kNoTime) & (t >= from_) & (t <= to_);
    }
  }
  if (!code_tests_.empty()) {
    const std::int64_t code = code_[row];
    ok &= static_cast<std::uint64_t>(code) < static_cast<std::uint64_t>(kCodeTableSize)
              ? codes_passing_[static_cast<std::size_t>(code)] != 0
              : codes_pass(code);
  }
  if (!has_row_tests_ || !ok) return ok;
  for (const auto& test : keyword_tests_)
    if (!keyword_matches(test, row)) return false;
  for (const auto& ex : exclusions_) {
    if (!c_.holds(KeywordField::TestName, row, ex.test_name)) continue;
    if (ex.control && !c_.holds(KeywordField::ControlId, row, *ex.control)) continue;
    if (ex.host && !c_.holds(KeywordField::Hostname, row, *ex.host)) continue;
    return false;
  }
  if (!runs_.empty() && !in_selected_run(row)) return false;
  return true;
}

}  // namespace achilles::embedded
