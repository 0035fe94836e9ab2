#include "columns.hpp"

#include <cmath>

namespace achilles::embedded {
namespace {

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

std::string* single_target(ResultDocument& d, KeywordField f) { return const_cast<std::string*>(single_value(d, f)); }

const std::vector<std::string>* multi_value(const ResultDocument& d, KeywordField f) {
  switch (f) {
    case KeywordField::Techniques: return &d.techniques;
    case KeywordField::Tactics: return &d.tactics;
    case KeywordField::Tags: return &d.tags;
    default: return nullptr;
  }
}

}  // namespace

void Columns::append(const ResultDocument& d, std::int64_t key) {
  for (std::size_t i = 0; i < kKeywordFields; ++i) {
    const auto field = static_cast<KeywordField>(i);
    auto& dict = dictionaries[i];
    if (is_multi_valued(field)) {
      auto& m = multi[i];
      for (const auto& v : *multi_value(d, field)) {
        const auto id = dict.intern(v);
        if (id != KeywordDictionary::kMissing) m.ids.push_back(id);
      }
      m.offsets.push_back(static_cast<std::uint32_t>(m.ids.size()));
    } else {
      const std::string* v = single_value(d, field);
      keywords[i].push_back(v ? dict.intern(*v) : KeywordDictionary::kMissing);
    }
  }
  event_time.push_back(d.event_time_ms.value_or(kNoTime));
  error_code.push_back(d.error_code.value_or(kNoCode));
  std::uint8_t f = 0;
  if (d.test_uuid) f |= kHasTestUuid;
  if (d.test_name) f |= kHasTestName;
  if (d.is_protected) f |= kIsProtected;
  if (d.is_bundle_control) f |= kIsBundleControl;
  if (d.defender_detected) f |= kDefenderDetected;
  if (d.defender_stage_detected) f |= kDefenderStageDetected;
  if (d.score) f |= kHasScore;
  flags.push_back(f);
  catalog_score.push_back(d.score.value_or(0.0));
  storage_key.push_back(key);
}

ResultDocument Columns::document(std::size_t row) const {
  ResultDocument d;
  const std::uint8_t f = flags[row];
  for (std::size_t i = 0; i < kKeywordFields; ++i) {
    const auto field = static_cast<KeywordField>(i);
    if (is_multi_valued(field)) {
      const auto& m = multi[i];
      auto* out = const_cast<std::vector<std::string>*>(multi_value(d, field));
      for (std::uint32_t k = m.offsets[row]; k < m.offsets[row + 1]; ++k) out->push_back(dictionaries[i].value(m.ids[k]));
    } else if (field == KeywordField::TestUuid) {
      if (f & kHasTestUuid) d.test_uuid = dictionaries[i].value(keywords[i][row]);
    } else if (field == KeywordField::TestName) {
      if (f & kHasTestName) d.test_name = dictionaries[i].value(keywords[i][row]);
    } else {
      *single_target(d, field) = dictionaries[i].value(keywords[i][row]);
    }
  }
  if (event_time[row] != kNoTime) d.event_time_ms = event_time[row];
  if (error_code[row] != kNoCode) d.error_code = error_code[row];
  d.is_protected = f & kIsProtected;
  d.is_bundle_control = f & kIsBundleControl;
  d.defender_detected = f & kDefenderDetected;
  d.defender_stage_detected = f & kDefenderStageDetected;
  if (f & kHasScore) d.score = catalog_score[row];
  return d;
}

}  // namespace achilles::embedded
