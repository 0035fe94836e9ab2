#pragma once
#include <boost/json.hpp>

#include "achilles/defender/alert_query.hpp"

namespace achilles::elasticsearch {

// AlertQuery as the original's bool queries on `achilles-defender`
// (defender-spec §6.3–§6.5, §9.2): doc_type alert, then one clause per
// present field. Wildcard and prefix operands are escaped, so a uuid or host
// holding `*` or `?` matches only itself. Host and file clauses ask both the
// keyword and the text variant of the field, as the original does (the text
// variant finds paths longer than the keyword's ignore_above).
boost::json::object alert_query_dsl(const AlertQuery& query);

// A page of alerts: from/size, the sort and a tie-break on alert_id, the exact total.
boost::json::object alert_page_request(const AlertQuery& query, const AlertPageQuestion& page);
AlertPage alert_page_response(const boost::json::object& response);

// Counts in one search: terms on severity, status and mitre_techniques, and
// a daily histogram of created_at with per-severity filters.
boost::json::object alert_tally_request(const AlertQuery& query);
AlertTally alert_tally_response(const boost::json::object& response);

}  // namespace achilles::elasticsearch
