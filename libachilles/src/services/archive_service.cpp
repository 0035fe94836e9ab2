#include "achilles/services/archive_service.hpp"

#include "achilles/errors.hpp"
#include "achilles/query/date_math.hpp"
#include "achilles/query/filter_params.hpp"
#include "achilles/query/run_key.hpp"

namespace achilles {
namespace {


// The caller's organisation bounds what it may archive (D9).
ResultFilter scoped(ResultFilter f, const Principal& caller) {
  if (!caller.org_id.empty()) f.keywords.push_back({{KeywordField::OrgId}, {caller.org_id}});
  return f;
}

}  // namespace

ArchiveOutcome ArchiveService::archive_runs(const std::vector<std::string>& keys, const Principal& caller) {
  std::vector<ValidationIssue> issues;
  if (keys.empty()) issues.push_back({"groupKeys", "groupKeys must be non-empty"});
  if (keys.size() > kMaxArchiveKeys) issues.push_back({"groupKeys", "Maximum 500 group keys per request"});
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (!keys[i].starts_with("bundle::") && !keys[i].starts_with("standalone::"))
      issues.push_back({"groupKeys." + std::to_string(i), "Must start with \"bundle::\" or \"standalone::\""});
  if (!issues.empty()) throw ValidationFailed(std::move(issues));

  ArchiveOutcome outcome;
  ResultFilter filter;
  filter.requires_event_time = false;
  for (const auto& key : keys) {
    auto parsed = parse_run_key(key);
    if (auto* error = std::get_if<std::string>(&parsed))
      outcome.errors.push_back(*error);
    else
      filter.runs.push_back(std::get<RunSelector>(parsed));
  }
  if (filter.runs.empty()) return outcome;
  outcome.archived = archive_.archive(scoped(std::move(filter), caller));
  return outcome;
}

ArchiveOutcome ArchiveService::archive_before(const std::string& before, const Principal& caller) {
  const bool date_math = before.starts_with("now") || before.find("||") != std::string::npos;
  const auto ms = date_math ? std::nullopt : resolve_date_bound(before, RangeEdge::Lower, clock_.now_ms());
  if (!ms) throw ValidationFailed(std::vector<ValidationIssue>{{"before", "Must be a valid ISO date string"}});
  ResultFilter filter;
  filter.to_ms = *ms - 1;  // strictly before
  return {archive_.archive(scoped(std::move(filter), caller)), {}};
}

}  // namespace achilles
