#pragma once
#include <stdexcept>
#include <string>
#include <vector>

namespace achilles {

// A request the domain refuses because of what the caller sent (maps to 400).
class InvalidArgument : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// The caller is known but may not see or do this (maps to 403).
class AccessDenied : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// A request body that fails validation (maps to 400 with the original's
// envelope: "Validation failed: <path>: <msg>; …" plus every issue in `details`).
struct ValidationIssue {
  std::string path;  // dotted, e.g. "groupKeys.0"; empty for the whole body
  std::string message;
};

inline constexpr std::size_t kMaxValidationIssues = 20;

// Carries at most the first kMaxValidationIssues issues, then one counting the rest.
class ValidationFailed : public std::runtime_error {
public:
  explicit ValidationFailed(std::vector<ValidationIssue> issues);
  const std::vector<ValidationIssue>& issues() const { return issues_; }

private:
  std::vector<ValidationIssue> issues_;
};

// The thing named does not exist (maps to 404).
class NotFound : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// The request conflicts with the current state, e.g. revoking twice (maps to 409).
class Conflict : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// A store the answer depends on cannot be reached, timed out, or failed on
// its side (maps to 503, naming the store).
class BackendUnavailable : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// A store refused the question with its own reason, e.g. an Elasticsearch
// 4xx (maps to 400 with that reason).
class BackendRejected : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

}  // namespace achilles
