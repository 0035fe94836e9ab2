#include "achilles/embedded/column_store.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace achilles::embedded {
namespace {

constexpr std::size_t idx(KeywordField f) { return static_cast<std::size_t>(f); }

const std::string* single_value(const ResultDocument& d, KeywordField f) {
  switch (f) {
    case KeywordField::TestUuid: return d.test_uuid ? &*d.test_uuid : nullptr;
    case KeywordField::TestName: return d.test_name ? &*d.test_name : nullptr;
    case KeywordField::OrgId: return &d.org_id;
    case KeywordField::Hostname: return &d.hostname;
    case KeywordField::ErrorName: return &d.error_name;
    case KeywordField::Category: return &d.category;
    case KeywordField::Subcategory: return &d.subcategory;
    case KeywordField::Severity: return &d.severity;
    case KeywordField::Target: return &d.target;
    case KeywordField::Complexity: return &d.complexity;
    case KeywordField::ThreatActor: return &d.threat_actor;
    case KeywordField::BundleId: return &d.bundle_id;
    case KeywordField::BundleName: return &d.bundle_name;
    case KeywordField::ControlId: return &d.control_id;
    case KeywordField::ControlValidator: return &d.control_validator;
    case KeywordField::TenantLabel: return &d.tenant_label;
    default: return nullptr;
  }
}

const std::vector<std::string>* multi_value(const ResultDocument& d, KeywordField f) {
  switch (f) {
    case KeywordField::Techniques: return &d.techniques;
    case KeywordField::Tactics: return &d.tactics;
    case KeywordField::Tags: return &d.tags;
    default: return nullptr;
  }
}

constexpr std::array<KeywordField, 19> kAllFields{
    KeywordField::TestUuid,   KeywordField::TestName,   KeywordField::OrgId,
    KeywordField::Hostname,   KeywordField::ErrorName,  KeywordField::Category,
    KeywordField::Subcategory, KeywordField::Severity,  KeywordField::Techniques,
    KeywordField::Tactics,    KeywordField::Target,     KeywordField::Complexity,
    KeywordField::ThreatActor, KeywordField::Tags,      KeywordField::BundleId,
    KeywordField::BundleName, KeywordField::ControlId,  KeywordField::ControlValidator,
    KeywordField::TenantLabel,
};

}  // namespace

bool ColumnStore::is_multi(KeywordField f) {
  return f == KeywordField::Techniques || f == KeywordField::Tactics || f == KeywordField::Tags;
}

// A ResultFilter resolved against this store's dictionaries: strings become
// ids once per question, so the scan compares integers only.
class ColumnStore::CompiledFilter {
public:
  CompiledFilter(const ColumnStore& store, const ResultFilter& f) : s_(store), f_(f) {
    for (const auto& clause : f.keywords) {
      KeywordTest test;
      for (KeywordField field : clause.fields) {
        const auto& dict = s_.dictionaries_[idx(field)];
        std::vector<std::uint8_t> accepted(dict.size(), 0);
        bool any = false;
        for (const auto& v : clause.values) {
          // A missing value never satisfies a term, even the empty string.
          if (auto id = dict.find(v); id && *id != KeywordDictionary::kMissing) {
            accepted[*id] = 1;
            any = true;
          }
        }
        if (any) test.fields.push_back({field, std::move(accepted)});
      }
      if (test.fields.empty()) {
        matches_nothing = true;
        return;
      }
      keyword_tests_.push_back(std::move(test));
    }
    for (const auto& ex : f.exclusions) {
      auto name = s_.dictionaries_[idx(KeywordField::TestName)].find(ex.test_name);
      if (!name || *name == KeywordDictionary::kMissing) continue;  // excludes nothing here
      CompiledExclusion ce{*name, std::nullopt, std::nullopt};
      if (ex.control_id) {
        auto id = s_.dictionaries_[idx(KeywordField::ControlId)].find(*ex.control_id);
        if (!id || *id == KeywordDictionary::kMissing) continue;
        ce.control = *id;
      }
      if (ex.hostname) {
        auto id = s_.dictionaries_[idx(KeywordField::Hostname)].find(*ex.hostname);
        if (!id || *id == KeywordDictionary::kMissing) continue;
        ce.host = *id;
      }
      exclusions_.push_back(ce);
    }
  }

  bool matches_nothing = false;

  bool matches(std::size_t row) const {
    const std::uint8_t flags = s_.flags_[row];
    if (f_.test_data_only && (flags & (kHasTestUuid | kHasTestName)) != (kHasTestUuid | kHasTestName))
      return false;
    if (f_.requires_event_time) {
      const std::int64_t t = s_.event_time_[row];
      if (t == kNoTime) return false;
      if (f_.from_ms && t < *f_.from_ms) return false;
      if (f_.to_ms && t > *f_.to_ms) return false;
    }
    const std::int64_t code = s_.error_code_[row];
    for (const auto& clause : f_.exit_codes) {
      const bool in = code != kNoCode &&
                      std::find(clause.codes.begin(), clause.codes.end(), code) != clause.codes.end();
      if (in == clause.negated) return false;
    }
    for (const auto& test : keyword_tests_)
      if (!test.matches(s_, row)) return false;
    for (const auto& ex : exclusions_) {
      if (s_.keywords_[idx(KeywordField::TestName)][row] != ex.test_name) continue;
      if (ex.control && s_.keywords_[idx(KeywordField::ControlId)][row] != *ex.control) continue;
      if (ex.host && s_.keywords_[idx(KeywordField::Hostname)][row] != *ex.host) continue;
      return false;
    }
    return true;
  }

private:
  struct FieldTest {
    KeywordField field;
    std::vector<std::uint8_t> accepted;  // by dictionary id
  };
  struct KeywordTest {
    std::vector<FieldTest> fields;
    bool matches(const ColumnStore& s, std::size_t row) const {
      for (const auto& ft : fields) {
        if (ColumnStore::is_multi(ft.field)) {
          const auto& m = s.multi_[idx(ft.field)];
          for (std::uint32_t k = m.offsets[row]; k < m.offsets[row + 1]; ++k)
            if (ft.accepted[m.ids[k]]) return true;
        } else if (ft.accepted[s.keywords_[idx(ft.field)][row]]) {
          return true;
        }
      }
      return false;
    }
  };
  struct CompiledExclusion {
    std::uint32_t test_name;
    std::optional<std::uint32_t> control;
    std::optional<std::uint32_t> host;
  };

  const ColumnStore& s_;
  const ResultFilter& f_;
  std::vector<KeywordTest> keyword_tests_;
  std::vector<CompiledExclusion> exclusions_;
};

void ColumnStore::append_row(const ResultDocument& d) {
  for (KeywordField field : kAllFields) {
    auto& dict = dictionaries_[idx(field)];
    if (is_multi(field)) {
      auto& m = multi_[idx(field)];
      for (const auto& v : *multi_value(d, field)) {
        const auto id = dict.intern(v);
        if (id != KeywordDictionary::kMissing) m.ids.push_back(id);
      }
      m.offsets.push_back(static_cast<std::uint32_t>(m.ids.size()));
    } else {
      const std::string* v = single_value(d, field);
      keywords_[idx(field)].push_back(v ? dict.intern(*v) : KeywordDictionary::kMissing);
    }
  }
  event_time_.push_back(d.event_time_ms.value_or(kNoTime));
  error_code_.push_back(d.error_code.value_or(kNoCode));
  std::uint8_t flags = 0;
  if (d.test_uuid) flags |= kHasTestUuid;
  if (d.test_name) flags |= kHasTestName;
  if (d.is_protected) flags |= kIsProtected;
  if (d.is_bundle_control) flags |= kIsBundleControl;
  if (d.defender_detected) flags |= kDefenderDetected;
  if (d.defender_stage_detected) flags |= kDefenderStageDetected;
  flags_.push_back(flags);
  catalog_score_.push_back(d.score ? static_cast<float>(*d.score) : std::nanf(""));
}

AppendOutcome ColumnStore::append(std::span<const ResultDocument> documents) {
  std::unique_lock lock(mutex_);
  AppendOutcome outcome;
  for (const auto& d : documents) {
    if (dedup_ == Dedup::ById && !ids_.insert(d.id).second) {
      ++outcome.duplicates;
      continue;
    }
    append_row(d);
    ++outcome.added;
  }
  return outcome;
}

std::size_t ColumnStore::size() const {
  std::shared_lock lock(mutex_);
  return flags_.size();
}

UnitTally ColumnStore::tally(const ResultFilter& filter, ScoringMode mode) const {
  std::shared_lock lock(mutex_);
  UnitTally tally;
  CompiledFilter compiled(*this, filter);
  if (compiled.matches_nothing) return tally;

  const auto cyber_hygiene = dictionaries_[idx(KeywordField::Category)].find("cyber-hygiene");
  const auto& category = keywords_[idx(KeywordField::Category)];
  const auto& bundle = keywords_[idx(KeywordField::BundleId)];
  const auto& host = keywords_[idx(KeywordField::Hostname)];
  // any-stage: (bundle_id, hostname) → bit 0 seen, 1 strict, 2 combined.
  std::unordered_map<std::uint64_t, std::uint8_t> bundle_runs;

  const std::size_t rows = flags_.size();
  for (std::size_t row = 0; row < rows; ++row) {
    if (!compiled.matches(row)) continue;
    const std::uint8_t flags = flags_[row];
    const bool strict = flags & kIsProtected;
    const bool combined = strict || (flags & kDefenderDetected);
    const bool collapses = mode == ScoringMode::AnyStage && (flags & kIsBundleControl) &&
                           !(cyber_hygiene && category[row] == *cyber_hygiene);
    if (collapses) {
      const std::uint64_t key = (static_cast<std::uint64_t>(bundle[row]) << 32) | host[row];
      bundle_runs[key] |= static_cast<std::uint8_t>(1 | (strict << 1) | (combined << 2));
    } else {
      ++tally.documents.units;
      tally.documents.strict += strict;
      tally.documents.combined += combined;
    }
  }
  for (const auto& [key, bits] : bundle_runs) {
    ++tally.bundle_runs.units;
    tally.bundle_runs.strict += (bits >> 1) & 1;
    tally.bundle_runs.combined += (bits >> 2) & 1;
  }
  return tally;
}

}  // namespace achilles::embedded
