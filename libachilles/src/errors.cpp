#include "achilles/errors.hpp"

namespace achilles {
namespace {

// At most the first three issues, as the original's validation middleware.
std::string summary(const std::vector<ValidationIssue>& issues) {
  std::string text = "Validation failed: ";
  for (std::size_t i = 0; i < issues.size() && i < 3; ++i) {
    if (i) text += "; ";
    text += issues[i].path.empty() ? issues[i].message : issues[i].path + ": " + issues[i].message;
  }
  return text;
}

// At most kMaxValidationIssues in `details`, then one saying how many more:
// a body of 500 bad elements never answers with 500 issues.
std::vector<ValidationIssue> capped(std::vector<ValidationIssue> issues) {
  if (issues.size() <= kMaxValidationIssues) return issues;
  const std::size_t more = issues.size() - kMaxValidationIssues;
  issues.resize(kMaxValidationIssues);
  issues.push_back({"", "and " + std::to_string(more) + " more problems"});
  return issues;
}

}  // namespace

ValidationFailed::ValidationFailed(std::vector<ValidationIssue> issues)
    : std::runtime_error(summary(issues)), issues_(capped(std::move(issues))) {}

}  // namespace achilles
