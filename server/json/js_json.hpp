#pragma once
#include <boost/json/value.hpp>
#include <string>

namespace achilles::server {

// The one JSON serializer of every response: like boost::json::serialize but
// numbers as JavaScript writes them (70, not 7E1; 33.33, not 3.333E1), so the
// original's clients read byte-compatible bodies (D12).
std::string to_json(const boost::json::value& value);

}  // namespace achilles::server
