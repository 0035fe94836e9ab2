#pragma once
// Single documents of an index kept by id (risk acceptances, API keys).
#include <string>
#include <string_view>

#include "achilles/elasticsearch/cluster.hpp"

namespace achilles::elasticsearch {

// "/<index>/<verb>/<id>" with the id escaped, dots too: an id of "." or ".."
// must not become a relative path segment.
inline std::string document_path(const std::string& index, std::string_view verb, const std::string& id) {
  std::string segment;
  for (const char c : index_segment(id)) {
    if (c == '.') segment += "%2E";
    else segment.push_back(c);
  }
  return "/" + index_segment(index) + "/" + std::string(verb) + "/" + segment;
}

inline bool index_missing(const EsReply& reply) {
  return reply.status == 404 && reply.body.find("index_not_found_exception") != std::string::npos;
}

}  // namespace achilles::elasticsearch
