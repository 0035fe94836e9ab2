#include "achilles/domain/keywords.hpp"

#include <algorithm>

namespace achilles {

const std::string& Keywords::first() const {
  static const std::string kNone;
  return values_.empty() ? kNone : values_.front();
}

bool Keywords::contains(std::string_view value) const {
  return std::any_of(values_.begin(), values_.end(), [&](const std::string& v) { return v == value; });
}

}  // namespace achilles
