#include "achilles/services/index_service.hpp"

#include "achilles/errors.hpp"

namespace achilles {
namespace {

bool valid_index_name(std::string_view name) {
  auto allowed = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (name.empty() || !allowed(name[0])) return false;
  for (char c : name)
    if (!allowed(c) && c != '-') return false;
  return true;
}

[[noreturn]] void refuse(std::string message) {
  throw ValidationFailed(std::vector<ValidationIssue>{{"index_name", std::move(message)}});
}

}  // namespace

std::vector<ResultIndexSummary> IndexService::list(const std::string& pattern) const {
  return cluster_.result_indices(pattern.empty() ? std::string(kDefaultIndexPattern) : pattern);
}

IndexCreation IndexService::create(const std::string& name) {
  if (name.empty()) refuse("index_name is required");
  if (!valid_index_name(name))
    refuse("Must be lowercase, start with a letter or digit, and contain only letters, digits, and hyphens");
  const bool created = cluster_.create_result_index(name);
  return {created, "Index \"" + name + (created ? "\" created successfully" : "\" already exists")};
}

ConnectionTest IndexService::test(const AnalyticsSettings& candidate) const {
  try {
    return {true, connector_.connect(candidate)->version(), {}};
  } catch (const std::exception& e) {
    return {false, {}, e.what()};
  }
}

}  // namespace achilles
