#include "achilles/query/keyword_fields.hpp"

namespace achilles {

std::string_view source_path(KeywordField f) {
  switch (f) {
    case KeywordField::TestUuid: return "f0rtika.test_uuid";
    case KeywordField::TestName: return "f0rtika.test_name";
    case KeywordField::OrgId: return "routing.oid";
    case KeywordField::Hostname: return "routing.hostname";
    case KeywordField::ErrorName: return "f0rtika.error_name";
    case KeywordField::Category: return "f0rtika.category";
    case KeywordField::Subcategory: return "f0rtika.subcategory";
    case KeywordField::Severity: return "f0rtika.severity";
    case KeywordField::Techniques: return "f0rtika.techniques";
    case KeywordField::Tactics: return "f0rtika.tactics";
    case KeywordField::Target: return "f0rtika.target";
    case KeywordField::Complexity: return "f0rtika.complexity";
    case KeywordField::ThreatActor: return "f0rtika.threat_actor";
    case KeywordField::Tags: return "f0rtika.tags";
    case KeywordField::BundleId: return "f0rtika.bundle_id";
    case KeywordField::BundleName: return "f0rtika.bundle_name";
    case KeywordField::ControlId: return "f0rtika.control_id";
    case KeywordField::ControlValidator: return "f0rtika.control_validator";
    case KeywordField::TenantLabel: return "f0rtika.tenant_label";
  }
  return "";
}

const Keywords& keywords_of(const ResultDocument& d, KeywordField f) {
  switch (f) {
    case KeywordField::TestUuid: return d.test_uuid;
    case KeywordField::TestName: return d.test_name;
    case KeywordField::OrgId: return d.org_id;
    case KeywordField::Hostname: return d.hostname;
    case KeywordField::ErrorName: return d.error_name;
    case KeywordField::Category: return d.category;
    case KeywordField::Subcategory: return d.subcategory;
    case KeywordField::Severity: return d.severity;
    case KeywordField::Techniques: return d.techniques;
    case KeywordField::Tactics: return d.tactics;
    case KeywordField::Target: return d.target;
    case KeywordField::Complexity: return d.complexity;
    case KeywordField::ThreatActor: return d.threat_actor;
    case KeywordField::Tags: return d.tags;
    case KeywordField::BundleId: return d.bundle_id;
    case KeywordField::BundleName: return d.bundle_name;
    case KeywordField::ControlId: return d.control_id;
    case KeywordField::ControlValidator: return d.control_validator;
    case KeywordField::TenantLabel: return d.tenant_label;
  }
  return d.test_uuid;
}

Keywords& keywords_of(ResultDocument& d, KeywordField f) {
  return const_cast<Keywords&>(keywords_of(static_cast<const ResultDocument&>(d), f));
}

}  // namespace achilles
