#pragma once
#include <boost/json/fwd.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>

#include "achilles/domain/result_document.hpp"

namespace achilles::elasticsearch {

// Reads a result document from its Elasticsearch `_source`, nested or with
// dotted keys (analytics-spec §1.8). D5: any object is accepted; it is
// invalid only when a known field has the wrong type. Returns the reason.
// Used for search hits and for imported files alike.
std::optional<std::string> decode_result_source(const boost::json::object& source, ResultDocument& out);

// The `_source` of a document, nested, with only the fields it has, each
// keyword in its stored form.
boost::json::object encode_result_source(const ResultDocument& doc);

// A keyword field in its stored form: null (absent or null), a string, or an array.
boost::json::value keywords_json(const Keywords& keywords);

}  // namespace achilles::elasticsearch
