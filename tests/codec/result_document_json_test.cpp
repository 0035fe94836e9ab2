#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "achilles/demo/demo_results.hpp"
#include "codec/result_document_json.hpp"

using namespace achilles;
using namespace achilles::server;
namespace json = boost::json;

namespace {
std::optional<std::string> decode(const char* text, ResultDocument& out) {
  return decode_result_source(json::parse(text).as_object(), out);
}
ResultDocument decoded(const char* text) {
  ResultDocument d;
  auto error = decode(text, d);
  INFO(error.value_or(""));
  REQUIRE_FALSE(error.has_value());
  return d;
}
std::string reason(const char* text) {
  ResultDocument d;
  return decode(text, d).value_or("");
}
}  // namespace

TEST_CASE("nested and dotted _source layouts read the same", "[codec]") {
  auto nested = decoded(R"({"routing":{"event_time":"2025-01-15T10:00:00Z","oid":"o","hostname":"h"},
    "f0rtika":{"test_uuid":"u","test_name":"n","is_protected":true,"techniques":["T1","T2"]},"event":{"ERROR":126}})");
  auto dotted = decoded(R"({"routing.event_time":"2025-01-15T10:00:00Z","routing.oid":"o","routing.hostname":"h",
    "f0rtika.test_uuid":"u","f0rtika.test_name":"n","f0rtika.is_protected":true,"f0rtika.techniques":["T1","T2"],
    "event.ERROR":126})");
  CHECK(nested == dotted);
  CHECK(nested.event_time_ms == 1736935200000);
  CHECK(nested.error_code == 126);
  CHECK(nested.techniques == std::vector<std::string>{"T1", "T2"});
  CHECK(nested.is_test_data());
}

TEST_CASE("any JSON object is a document; missing fields stay missing (D5)", "[codec]") {
  auto cleanup = decoded(R"({"routing":{"hostname":"h"},"note":"cleanup record"})");
  CHECK_FALSE(cleanup.is_test_data());
  CHECK_FALSE(cleanup.event_time_ms.has_value());
  CHECK_FALSE(cleanup.error_code.has_value());
  auto nulls = decoded(R"({"f0rtika":{"test_uuid":null,"tags":null},"event":{"ERROR":null}})");
  CHECK_FALSE(nulls.test_uuid.has_value());
  CHECK_FALSE(nulls.error_code.has_value());
}

TEST_CASE("values Elasticsearch would coerce are accepted", "[codec]") {
  auto d = decoded(R"({"event":{"ERROR":"126"},"f0rtika":{"is_protected":"true","tags":"single"},
    "routing":{"event_time":1736935200000}})");
  CHECK(d.error_code == 126);
  CHECK(d.is_protected);
  CHECK(d.tags == std::vector<std::string>{"single"});
  CHECK(d.event_time_ms == 1736935200000);
  CHECK(decoded(R"({"event":{"ERROR":126.0}})").error_code == 126);
}

TEST_CASE("a known field with the wrong type makes the line invalid, naming the field", "[codec]") {
  CHECK(reason(R"({"event":{"ERROR":"abc"}})") == "event.ERROR must be an integer");
  CHECK(reason(R"({"event":{"ERROR":1.5}})") == "event.ERROR must be an integer");
  CHECK(reason(R"({"routing":{"event_time":"yesterday"}})").starts_with("routing.event_time"));
  CHECK(reason(R"({"routing":{"event_time":"now-1d"}})").starts_with("routing.event_time"));
  CHECK(reason(R"({"f0rtika":{"is_protected":"yes"}})") == "f0rtika.is_protected must be a boolean");
  CHECK(reason(R"({"f0rtika":{"test_name":7}})") == "f0rtika.test_name must be a string");
  CHECK(reason(R"({"f0rtika":{"techniques":[1]}})").starts_with("f0rtika.techniques"));
  CHECK(reason(R"({"f0rtika":{"score":"high"}})") == "f0rtika.score must be a number");
}

TEST_CASE("encoding then decoding a document gives it back", "[codec]") {
  std::size_t checked = 0;
  generate_demo_results({2000, 5, 30, 1737376496789}, [&](const ResultDocument& d) {
    ResultDocument back;
    REQUIRE_FALSE(decode_result_source(encode_result_source(d), back).has_value());
    back.id = d.id;
    CHECK(back == d);
    ++checked;
  });
  CHECK(checked == 2000);
}

TEST_CASE("the line reader understands NDJSON, bulk files and search hits", "[codec]") {
  ResultLineReader reader;
  auto doc = [](const ResultLineReader::Outcome& o) { return std::get<ResultDocument>(o); };
  CHECK(std::holds_alternative<std::monostate>(reader.feed(R"({"index":{"_id":"task-1"}})", 1)));
  CHECK(doc(reader.feed(R"({"f0rtika":{"test_uuid":"u","test_name":"n"}})", 2)).id == "task-1");
  CHECK(std::holds_alternative<std::monostate>(reader.feed("   ", 3)));
  CHECK(doc(reader.feed(R"({"_id":"hit-7","_source":{"f0rtika":{"test_name":"n"}}})", 4)).id == "hit-7");
  const auto plain = doc(reader.feed(R"({"f0rtika":{"test_name":"n"}})", 5));
  CHECK(plain.id.starts_with("sha256-"));
  CHECK(plain.id == doc(ResultLineReader().feed(R"({"f0rtika":{"test_name":"n"}})", 1)).id);  // stable
  CHECK(plain.id != doc(ResultLineReader().feed(R"({"f0rtika":{"test_name":"m"}})", 1)).id);
  CHECK_FALSE(reader.finish().has_value());
}

TEST_CASE("the line reader reports what is wrong and where", "[codec]") {
  ResultLineReader reader;
  auto invalid = [](const ResultLineReader::Outcome& o) { return std::get<ResultLineReader::Invalid>(o); };
  CHECK(invalid(reader.feed("{not json", 1)).reason.starts_with("not valid JSON"));
  CHECK(invalid(reader.feed("[1,2]", 2)).reason == "not a JSON object");
  CHECK(invalid(reader.feed(R"({"delete":{"_id":"x"}})", 3)).reason.find("not supported") != std::string::npos);
  auto bad = invalid(reader.feed(R"({"event":{"ERROR":"x"}})", 4));
  CHECK(bad.line == 4);
  CHECK(bad.reason == "event.ERROR must be an integer");
  reader.feed(R"({"index":{}})", 5);
  auto dangling = reader.finish();
  REQUIRE(dangling.has_value());
  CHECK(dangling->line == 5);
}
