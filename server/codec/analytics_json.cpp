#include "codec/analytics_json.hpp"

#include <boost/json.hpp>

#include "achilles/domain/exit_codes.hpp"
#include "achilles/elasticsearch/result_source.hpp"
#include "achilles/domain/organisations.hpp"
#include "achilles/query/date_math.hpp"

namespace achilles::server {
namespace json = boost::json;
using elasticsearch::keywords_json;

json::object defense_score_json(const DefenseScore& s) {
  json::object o;
  o["score"] = s.score;
  o["protectedCount"] = s.protected_count;
  o["detectedCount"] = s.detected_count;
  o["unprotectedCount"] = s.unprotected_count;
  o["totalExecutions"] = s.total_executions;
  o["realScore"] = s.real_score;
  if (s.unexcluded) {
    o["realProtectedCount"] = s.unexcluded->protected_count;
    o["realUnprotectedCount"] = s.unexcluded->unprotected_count;
    o["realTotalExecutions"] = s.unexcluded->total;
  }
  o["rawScore"] = s.raw_score;
  o["riskAcceptedCount"] = s.risk_accepted_count;
  return o;
}

json::array trend_json(const std::vector<TrendPoint>& points) {
  json::array out;
  for (const auto& p : points) {
    json::object o{{"timestamp", format_iso_millis(p.start_ms)}, {"score", p.score}, {"total", p.total},
                   {"protected", p.protected_count}};
    if (p.real_score) o["realScore"] = *p.real_score;
    if (p.real_total) o["realTotal"] = *p.real_total;
    if (p.real_protected) o["realProtected"] = *p.real_protected;
    out.push_back(std::move(o));
  }
  return out;
}

json::array error_rate_trend_json(const std::vector<ErrorRatePoint>& points) {
  json::array out;
  for (const auto& p : points)
    out.push_back(json::object{{"timestamp", format_iso_millis(p.start_ms)}, {"errorRate", p.error_rate},
                               {"errorCount", p.error_count}, {"conclusiveCount", p.conclusive_count},
                               {"total", p.total}});
  return out;
}

json::object error_rate_json(const ErrorRate& r) {
  return {{"errorRate", r.error_rate}, {"errorCount", r.error_count}, {"conclusiveCount", r.conclusive_count},
          {"totalTestActivity", r.total_test_activity}};
}

json::array score_rows_json(const std::vector<ScoreRow>& rows, ScoreRowShape shape) {
  json::array out;
  for (const auto& r : rows) {
    json::object o;
    switch (shape) {
      case ScoreRowShape::Named:
        o = {{"name", r.key}, {"score", r.score}, {"count", r.count}, {"protected", r.protected_count}};
        break;
      case ScoreRowShape::Severity:
      case ScoreRowShape::Category:
      case ScoreRowShape::CategoryWithSubcategories:
        o = {{shape == ScoreRowShape::Severity ? "severity" : "category", r.key}, {"score", r.score},
             {"count", r.count}, {"protected", r.protected_count}, {"unprotected", r.unprotected()}};
        if (shape == ScoreRowShape::CategoryWithSubcategories) {
          json::array subs;
          for (const auto& s : r.children)
            subs.push_back(json::object{{"subcategory", s.key}, {"score", s.score}, {"count", s.count},
                                        {"protected", s.protected_count}, {"unprotected", s.unprotected()}});
          o["subcategories"] = std::move(subs);
        }
        break;
      case ScoreRowShape::Hostname:
        o = {{"hostname", r.key}, {"score", r.score}, {"protected", r.protected_count},
             {"unprotected", r.unprotected()}, {"total", r.count}};
        break;
      case ScoreRowShape::Org:
        o = {{"org", r.key}, {"orgName", organisation_name(r.key).short_name}, {"score", r.score},
             {"count", r.count}, {"protected", r.protected_count}};
        break;
    }
    out.push_back(std::move(o));
  }
  return out;
}

json::array threat_actor_coverage_json(const std::vector<ThreatActorCoverage>& rows) {
  json::array out;
  for (const auto& r : rows)
    out.push_back(json::object{{"threatActor", r.threat_actor}, {"coverage", r.coverage}, {"testCount", r.test_count},
                               {"protectedCount", r.protected_count}, {"totalExecutions", r.total_executions}});
  return out;
}

namespace {

// `getField(path) || fallback` of the original's hit mapping: a stored string
// or array comes back as stored (an empty array too: JavaScript finds it
// truthy); absent, null and "" give the fallback.
json::value stored_or(const Keywords& k, std::string_view fallback) {
  if (k.form() == Keywords::Form::Many) return keywords_json(k);
  if (k.form() == Keywords::Form::One && !k.first().empty()) return json::string(k.first());
  return json::string(fallback);
}

}  // namespace

json::object test_execution_json(const ResultDocument& d) {
  json::object o;
  o.reserve(28);  // room for the enriched fields too: no rehash while they are added
  o["test_uuid"] = stored_or(d.test_uuid, "");
  o["test_name"] = stored_or(d.test_name, "Unknown Test");
  o["hostname"] = stored_or(d.hostname, "Unknown");
  o["is_protected"] = d.protected_result();
  // An org id stored as an array names the organisation by its first value.
  o["org"] = d.org_id.first().empty() ? "" : organisation_name(d.org_id.first()).short_name;
  // routing.event_time as stored: seconds, microseconds or an offset stay as the agent wrote them.
  o["timestamp"] = !d.event_time_text.empty() ? d.event_time_text
                   : d.event_time_ms         ? format_iso_millis(*d.event_time_ms)
                                             : std::string();
  if (d.error_code) o["error_code"] = *d.error_code;
  o["error_name"] = resolve_error_name(d.error_code, d.error_name.first());
  return o;
}

json::object enriched_execution_json(const ResultDocument& d) {
  json::object o = test_execution_json(d);
  // Each field as stored, absent when the document has none (null stays null).
  auto stored = [&](std::string_view key, const Keywords& k) {
    if (k.form() != Keywords::Form::Absent) o[key] = keywords_json(k);
  };
  stored("category", d.category);
  stored("subcategory", d.subcategory);
  stored("severity", d.severity);
  stored("techniques", d.techniques);
  stored("tactics", d.tactics);
  stored("target", d.target);
  stored("complexity", d.complexity);
  stored("threat_actor", d.threat_actor);
  stored("tags", d.tags);
  if (d.score) o["score"] = *d.score;
  else if (d.score_is_null) o["score"] = nullptr;
  stored("bundle_id", d.bundle_id);
  stored("bundle_name", d.bundle_name);
  stored("control_id", d.control_id);
  stored("control_validator", d.control_validator);
  o["is_bundle_control"] = d.is_bundle_control;
  o["defender_detected"] = d.defender_detected;
  o["defender_stage_detected"] = d.defender_stage_detected;
  return o;
}

json::array recent_executions_json(const std::vector<ResultDocument>& docs) {
  json::array out;
  for (const auto& d : docs) out.push_back(test_execution_json(d));
  return out;
}

json::object execution_page_json(const ExecutionPage& page) {
  json::array data;
  for (const auto& d : page.executions) data.push_back(enriched_execution_json(d));
  const Pagination& p = page.pagination;
  return {{"data", std::move(data)},
          {"pagination", json::object{{"page", p.page}, {"pageSize", p.page_size}, {"totalItems", p.total_items},
                                      {"totalPages", p.total_pages}, {"hasNext", p.has_next()},
                                      {"hasPrevious", p.has_previous()}}}};
}

json::object execution_run_page_json(const ExecutionRunPage& page) {
  json::array groups;
  for (const auto& r : page.runs) {
    json::array members;
    for (const auto& m : r.run.members) members.push_back(enriched_execution_json(m));
    json::object representative = r.run.members.empty() ? enriched_execution_json(ResultDocument{})
                                                        : members.front().as_object();
    groups.push_back(json::object{{"groupKey", r.run.key},
                                  {"type", r.run.bundle ? "bundle" : "standalone"},
                                  {"representative", std::move(representative)},
                                  {"members", std::move(members)},
                                  {"protectedCount", r.protected_count},
                                  {"unprotectedCount", r.unprotected_count},
                                  {"totalCount", static_cast<std::int64_t>(r.run.members.size())},
                                  {"defenderDetected", r.defender_detected}});
  }
  const Pagination& p = page.pagination;
  return {{"groups", std::move(groups)},
          {"pagination", json::object{{"page", p.page}, {"pageSize", p.page_size}, {"totalGroups", p.total_items},
                                      {"totalDocuments", page.total_documents}, {"totalPages", p.total_pages},
                                      {"hasNext", p.has_next()}, {"hasPrevious", p.has_previous()}}}};
}

json::array error_types_json(const std::vector<ErrorTypeCount>& rows) {
  json::array out;
  for (const auto& r : rows) out.push_back(json::object{{"name", r.name}, {"code", r.code}, {"count", r.count}});
  return out;
}

json::array coverage_json(const std::vector<CoverageRow>& rows, std::string_view key_name) {
  json::array out;
  for (const auto& r : rows)
    out.push_back(json::object{{key_name, r.key}, {"protected", r.protected_count}, {"unprotected", r.unprotected_count}});
  return out;
}

json::array host_test_matrix_json(const std::vector<HostTestCell>& cells) {
  json::array out;
  for (const auto& c : cells)
    out.push_back(json::object{{"hostname", c.hostname}, {"testName", c.test_name}, {"count", c.count}});
  return out;
}

json::object canonical_test_count_json(const CanonicalTestCount& c) {
  return {{"count", c.count}, {"tests", strings_json(c.tests)}, {"days", c.days}};
}

json::array organizations_json(const std::vector<std::string>& org_ids) {
  json::array out;
  for (const auto& id : org_ids) {
    const auto name = organisation_name(id);
    out.push_back(json::object{{"uuid", id}, {"shortName", name.short_name}, {"fullName", name.full_name}});
  }
  return out;
}

json::array strings_json(const std::vector<std::string>& values) {
  json::array out;
  for (const auto& v : values) out.emplace_back(v);
  return out;
}

json::array filter_options_json(const std::vector<FilterOption>& options) {
  json::array out;
  for (const auto& o : options) out.push_back(json::object{{"value", o.value}, {"label", o.label}, {"count", o.count}});
  return out;
}

json::object archive_json(const ArchiveOutcome& outcome) {
  return {{"success", true}, {"archived", static_cast<std::int64_t>(outcome.archived)},
          {"errors", strings_json(outcome.errors)}};
}

}  // namespace achilles::server
