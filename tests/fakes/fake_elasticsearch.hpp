#pragma once
#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace achilles::testing {

// An in-process stand-in for Elasticsearch 8: it evaluates the subset of the
// REST API and query DSL that the adapter sends over documents held in memory,
// so that the adapter's answers can be checked against the embedded engine's.
// It records every request and can be scripted to misbehave.
class FakeElasticsearch {
 public:
  FakeElasticsearch();  // starts listening at once on 127.0.0.1, ephemeral port
  ~FakeElasticsearch();
  FakeElasticsearch(const FakeElasticsearch&) = delete;
  FakeElasticsearch& operator=(const FakeElasticsearch&) = delete;

  std::string url() const;  // "http://127.0.0.1:<port>"
  unsigned short port() const;

  struct Request {
    std::string method;
    std::string target;
    std::string body;
    std::map<std::string, std::string> headers;  // names lower-cased
  };
  std::vector<Request> requests() const;
  void clear_requests();

  // The next request (once) whose method equals `method` and whose target
  // contains `target_part` gets this answer instead of being evaluated.
  void answer_next(std::string method, std::string target_part, int status, std::string body,
                   std::chrono::milliseconds delay = {});
  // The next matching request: the socket is closed without an answer.
  void drop_next(std::string method, std::string target_part);
  // Requests without exactly this Authorization value get 401 security_exception.
  void require_authorization(std::string header_value);
  // hits.total as a plain number (ES 6 style).
  void total_as_number(bool on);
  // search.max_buckets (65,536 unless set): more buckets fail the search.
  void max_buckets(std::size_t limit);
  std::size_t document_count(const std::string& index) const;

  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace achilles::testing
