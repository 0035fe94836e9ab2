#pragma once
#include <stdexcept>
#include <string>

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

}  // namespace achilles
