#include "achilles/domain/auto_resolve.hpp"

#include <algorithm>
#include <iterator>

namespace achilles {

bool is_auto_resolve_mode(const std::string& mode) {
  return std::find(std::begin(kAutoResolveModes), std::end(kAutoResolveModes), mode) != std::end(kAutoResolveModes);
}

bool settles_alert(const std::string& outcome) {
  return outcome == "resolved" || outcome == "would_resolve" || outcome == "not_found";
}

}  // namespace achilles
