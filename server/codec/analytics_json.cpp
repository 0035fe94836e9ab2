#include "codec/analytics_json.hpp"

#include <boost/json.hpp>

namespace achilles::server {

boost::json::object defense_score_json(const DefenseScore& s) {
  boost::json::object o;
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

}  // namespace achilles::server
