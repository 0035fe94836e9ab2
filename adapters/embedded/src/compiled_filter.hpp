#pragma once
#include <optional>
#include <unordered_map>
#include <vector>

#include "columns.hpp"

namespace achilles::embedded {

// A ResultFilter resolved against the columns' dictionaries: strings become
// ids once per question, so the scan compares integers only.
class CompiledFilter {
public:
  CompiledFilter(const Columns& columns, const ResultFilter& filter);

  bool matches_nothing() const { return matches_nothing_; }
  bool matches(std::size_t row) const;

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

  bool keyword_matches(const KeywordTest& test, std::size_t row) const;
  bool in_selected_run(std::size_t row) const;

  const Columns& c_;
  const ResultFilter& f_;
  bool matches_nothing_ = false;
  std::optional<std::uint32_t> cyber_hygiene_;
  std::vector<KeywordTest> keyword_tests_;
  std::vector<Exclusion> exclusions_;
  std::unordered_multimap<std::int64_t, Run> runs_;  // by event time
};

}  // namespace achilles::embedded
