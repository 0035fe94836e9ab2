#pragma once
// The fake's indices and its REST endpoints, independent of the HTTP server.
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "fakes/fake_es_model.hpp"

namespace achilles::testing::fake_elasticsearch_internal {

struct Answer {
  int status;
  std::string body;
};

class Cluster {
 public:
  // Evaluates one REST call; thread-safe.
  Answer handle(std::string_view method, std::string_view target, const std::string& body);
  std::size_t document_count(const std::string& index) const;
  void total_as_number(bool on);
  void max_buckets(std::size_t limit);

 private:
  json::value route(std::string_view method, std::string_view path, std::string_view query, int& status,
                    const std::string& body);
  // GET /<index>/_doc/<id>, PUT|POST /<index>/_create/<id>, POST /<index>/_update/<id>.
  json::value document_api(std::string_view method, const std::string& index, std::string_view verb, const std::string& id,
                           std::string_view query, const std::string& body, int& status);
  std::vector<Index*> resolve(std::string_view pattern);
  Index& create(const std::string& name);
  Hits hits_of(std::string_view pattern);
  json::value bulk(const std::string& ndjson, const std::string& default_index);
  json::value msearch(const std::string& ndjson, const std::string& default_pattern);
  json::value reindex(const json::object& body);
  json::value delete_by_query(std::string_view pattern, const json::object& body);
  json::value cat_indices(std::string_view pattern, bool json_format, std::string& text);

  json::value open_point_in_time(const std::string& pattern);
  json::value close_point_in_time(const std::string& body);
  json::value search(const std::string& pattern, const std::string& body);

  mutable std::mutex mutex_;
  std::map<std::string, std::string, std::less<>> points_in_time_;  // id -> the pattern it was opened on
  std::map<std::string, Index, std::less<>> indices_;
  bool total_as_number_ = false;
  std::size_t max_buckets_ = 65'536;
  std::int64_t next_id_ = 1;
};

}  // namespace achilles::testing::fake_elasticsearch_internal
