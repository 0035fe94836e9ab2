#include "achilles/services/archive_service.hpp"

#include "achilles/errors.hpp"
#include "achilles/query/date_math.hpp"
#include "achilles/query/filter_params.hpp"

namespace achilles {
namespace {

constexpr std::size_t kMaxKeys = 500;

std::vector<std::string> split_key(const std::string& key) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto sep = key.find("::", start);
    parts.push_back(key.substr(start, sep == std::string::npos ? std::string::npos : sep - start));
    if (sep == std::string::npos) break;
    start = sep + 2;
  }
  return parts;
}

// The caller's organisation bounds what it may archive (D9).
ResultFilter scoped(ResultFilter f, const Principal& caller) {
  if (!caller.org_id.empty()) f.keywords.push_back({{KeywordField::OrgId}, {caller.org_id}});
  return f;
}

}  // namespace

std::variant<RunSelector, std::string> parse_group_key(const std::string& key) {
  const auto parts = split_key(key);
  if (parts.size() != 4)
    return "Invalid group key (expected 4 parts, got " + std::to_string(parts.size()) + "): " + key;
  const bool bundle = parts[0] == "bundle";
  if (!bundle && parts[0] != "standalone") return "Unknown group key prefix: " + key;
  const auto ms = js_parse_int(parts[3]);
  if (!ms || *ms <= 0) return "Invalid event_time millis in group key: " + key;
  return RunSelector{bundle, parts[1], parts[2], *ms};
}

ArchiveOutcome ArchiveService::archive_runs(const std::vector<std::string>& keys, const Principal& caller) {
  std::vector<ValidationIssue> issues;
  if (keys.empty()) issues.push_back({"groupKeys", "groupKeys must be non-empty"});
  if (keys.size() > kMaxKeys) issues.push_back({"groupKeys", "Maximum 500 group keys per request"});
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (!keys[i].starts_with("bundle::") && !keys[i].starts_with("standalone::"))
      issues.push_back({"groupKeys." + std::to_string(i), "Must start with \"bundle::\" or \"standalone::\""});
  if (!issues.empty()) throw ValidationFailed(std::move(issues));

  ArchiveOutcome outcome;
  ResultFilter filter;
  filter.requires_event_time = false;
  for (const auto& key : keys) {
    auto parsed = parse_group_key(key);
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
