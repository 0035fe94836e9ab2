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

}  // namespace

ValidationFailed::ValidationFailed(std::vector<ValidationIssue> issues)
    : std::runtime_error(summary(issues)), issues_(std::move(issues)) {}

}  // namespace achilles
