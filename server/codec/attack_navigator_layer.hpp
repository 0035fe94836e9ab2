#pragma once
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "achilles/services/breakdown_service.hpp"

namespace achilles::server {

// An ATT&CK Navigator layer (layer format 4.5, domain enterprise-attack) of
// the defense score per tested technique: each technique's score is its
// defense score (0-100, red to green), its comment and metadata its
// executions and protected counts. Sub-techniques keep their own ids, and
// their parent is shown expanded. Keys that are not ATT&CK technique ids
// are left out and named in the layer's metadata.
// `filters`: the query string the layer answers; `generated`: ISO-8601.
boost::json::object attack_navigator_layer(const std::vector<ScoreRow>& techniques, const std::string& filters,
                                           const std::string& generated);

}  // namespace achilles::server
