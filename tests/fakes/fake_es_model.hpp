#pragma once
// Internals of the fake Elasticsearch shared by its evaluator files.
#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace achilles::testing::fake_elasticsearch_internal {
namespace json = boost::json;

// Thrown anywhere in evaluation; the HTTP layer turns it into ES's error shape.
struct EsError {
  int status;
  std::string type;
  std::string reason;
  json::object extra;        // extra members of the error (and of its root cause)
  std::string outer_type{};  // when ES wraps the cause (search_phase_execution_exception)
};
[[noreturn]] void fail(int status, std::string type, std::string reason, json::object extra = {});
[[noreturn]] void index_not_found(const std::string& name);
json::object error_body(const EsError& e);

// Text is analysed: queries see its lower-cased alphanumeric tokens.
enum class FieldType { Dynamic, Date, Boolean, Integer, Float, Keyword, Text };

struct Document {
  std::string id;
  json::object source;
  std::int64_t seq_no = 0;  // of its last write, for if_seq_no checks
  std::int64_t version = 1;
};

struct Index {
  std::string name;
  std::string uuid;
  json::object mappings;
  std::map<std::string, FieldType> types;  // dotted path -> mapped type
  // A multi-field ("org_id.keyword") -> the source field it indexes ("org_id").
  std::map<std::string, std::string, std::less<>> multi_field_source;
  std::vector<Document> docs;              // insertion order

  FieldType type_of(std::string_view path) const;
  std::string source_path(std::string_view path) const;
  Document* find(std::string_view id);
  void set_mappings(json::object m);
};

// A document as seen by queries and aggregations.
struct Hit {
  const Index* index;
  const Document* doc;
};
using Hits = std::vector<Hit>;

// A field value normalised by its type. Booleans, integers and dates are
// integers; the kind decides how keys and sort values are written back.
struct Value {
  enum class Kind { Boolean, Integer, Float, String, Date };
  Kind kind = Kind::String;
  std::int64_t i = 0;
  double f = 0;
  std::string s;

  bool numeric() const { return kind != Kind::String; }
  double number() const { return kind == Kind::Float ? f : static_cast<double>(i); }
};
int compare(const Value& a, const Value& b);  // <0, 0, >0
bool operator==(const Value& a, const Value& b);
json::value key_json(const Value& v);  // bucket key / sort value as ES writes it

// Raw JSON leaves at `path` (nested objects, literal dotted keys, arrays flattened).
std::vector<const json::value*> raw_values(const json::object& source, std::string_view path);
std::optional<Value> to_value(const json::value& raw, FieldType type);
std::vector<Value> values_of(const Hit& hit, std::string_view path);
// A query operand read as the same kind as the document value it meets.
std::optional<Value> coerce(const json::value& operand, Value::Kind kind, bool round_up = false);

std::optional<std::int64_t> parse_iso_date(std::string_view text);
std::string to_lower(std::string_view s);
std::string describe(const json::value& v);

// Query DSL.
bool matches(const json::value& query, const Hit& hit);
void validate_query(const json::value& query);
Hits filter_hits(const json::value* query, const Hits& in);

// Scripts the adapter sends, evaluated in C++.
std::string script_source(const json::value& script);  // 400 unless known
std::string run_script(std::string_view source, const Hit& hit);

// Sorting and hits (used by _search and top_hits).
struct SortKey {
  std::string field;
  bool descending = false;
  bool missing_first = false;
};
std::vector<SortKey> parse_sort(const json::value* sort);
std::vector<std::optional<Value>> sort_values(const std::vector<SortKey>& keys, const Hit& hit);
void sort_hits(Hits& hits, const std::vector<SortKey>& keys);
json::object hit_json(const Hit& hit, const std::vector<SortKey>& keys, const json::value* source_filter);

// Aggregations: `aggs` is the object of named aggregations. More buckets in
// all than `max_buckets` (ES's search.max_buckets, 65,536 by default) fail
// the search with too_many_buckets_exception, as Elasticsearch does.
json::object run_aggregations(const json::object& aggs, const Hits& hits, std::size_t max_buckets = 65'536);

struct SearchOptions {
  bool total_as_number = false;
  std::size_t max_buckets = 65'536;
};
json::object run_search(const json::object& body, const Hits& all, const SearchOptions& options);

}  // namespace achilles::testing::fake_elasticsearch_internal
