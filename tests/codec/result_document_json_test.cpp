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
  CHECK(nested.techniques == Keywords(std::vector<std::string>{"T1", "T2"}));
  CHECK(nested.is_test_data());
}

TEST_CASE("any JSON object is a document, missing fields stay missing (D5)", "[codec]") {
  auto cleanup = decoded(R"({"routing":{"hostname":"h"},"note":"cleanup record"})");
  CHECK_FALSE(cleanup.is_test_data());
  CHECK_FALSE(cleanup.event_time_ms.has_value());
  CHECK_FALSE(cleanup.error_code.has_value());
  auto nulls = decoded(R"({"f0rtika":{"test_uuid":null,"tags":null},"event":{"ERROR":null}})");
  CHECK(nulls.test_uuid.empty());  // null is no value: not test data
  CHECK(nulls.tags.form() == Keywords::Form::Null);  // but it is kept as stored
  CHECK_FALSE(nulls.error_code.has_value());
}

TEST_CASE("every keyword field reads one value, an array, an empty array or null, as stored", "[codec]") {
  // The original's writer: target is the task metadata's string[], null where the metadata holds null.
  auto d = decoded(R"({"routing":{"event_time":"2026-11-30T07:09:02.280135Z","oid":["org-1","org-2"],"hostname":"h"},
    "f0rtika":{"test_uuid":["u"],"test_name":"n","target":["windows-endpoint"],"tags":[],"threat_actor":null,
               "category":"mitre-top10","score":null,"bundle_id":[["b1"],null,"b2"]}})");
  CHECK(d.target.form() == Keywords::Form::Many);
  CHECK(d.target.values() == std::vector<std::string>{"windows-endpoint"});
  CHECK(d.tags.form() == Keywords::Form::Many);
  CHECK(d.tags.empty());
  CHECK(d.threat_actor.form() == Keywords::Form::Null);
  CHECK(d.category.form() == Keywords::Form::One);
  CHECK(d.org_id.values() == std::vector<std::string>{"org-1", "org-2"});
  CHECK(d.test_uuid.values() == std::vector<std::string>{"u"});
  CHECK(d.is_test_data());
  CHECK(d.bundle_id.values() == std::vector<std::string>{"b1", "b2"});  // nested arrays flatten, nulls drop (as ES indexes them)
  CHECK(d.score_is_null);
  CHECK_FALSE(d.score.has_value());
  CHECK(d.event_time_text == "2026-11-30T07:09:02.280135Z");
  CHECK(d.event_time_ms == 1796022542280);  // read to the millisecond, truncated
  CHECK_FALSE(d.is_protected.has_value());  // absent, not false
  // Numbers and booleans in a keyword field are indexed as their text, as Elasticsearch does.
  CHECK(decoded(R"({"f0rtika":{"severity":3,"tags":[true,"x"]}})").severity == Keywords("3"));
  CHECK(decoded(R"({"f0rtika":{"severity":3,"tags":[true,"x"]}})").tags.values() == std::vector<std::string>{"true", "x"});
}

TEST_CASE("agent times with nanoseconds and offsets read to the same instant", "[codec]") {
  const auto z = decoded(R"({"routing":{"event_time":"2026-11-30T07:09:02.280135999Z"}})");
  const auto offset = decoded(R"({"routing":{"event_time":"2026-11-30T09:09:02.280135+02:00"}})");
  const auto seconds = decoded(R"({"routing":{"event_time":"2026-11-30T07:09:02Z"}})");
  CHECK(z.event_time_ms == offset.event_time_ms);
  CHECK(*seconds.event_time_ms + 280 == *z.event_time_ms);
  CHECK(offset.event_time_text == "2026-11-30T09:09:02.280135+02:00");
}

TEST_CASE("values Elasticsearch would coerce are accepted", "[codec]") {
  auto d = decoded(R"({"event":{"ERROR":"126"},"f0rtika":{"is_protected":"true","tags":"single"},
    "routing":{"event_time":1736935200000}})");
  CHECK(d.error_code == 126);
  CHECK(d.is_protected);
  CHECK(d.tags == Keywords("single"));
  CHECK(d.event_time_ms == 1736935200000);
  CHECK(decoded(R"({"event":{"ERROR":126.0}})").error_code == 126);
}

TEST_CASE("a known field with the wrong type makes the line invalid, naming the field", "[codec]") {
  CHECK(reason(R"({"event":{"ERROR":"abc"}})") == "event.ERROR must be an integer");
  CHECK(reason(R"({"event":{"ERROR":1.5}})") == "event.ERROR must be an integer");
  CHECK(reason(R"({"routing":{"event_time":"yesterday"}})").starts_with("routing.event_time"));
  CHECK(reason(R"({"routing":{"event_time":"now-1d"}})").starts_with("routing.event_time"));
  CHECK(reason(R"({"f0rtika":{"is_protected":"yes"}})") == "f0rtika.is_protected must be a boolean");
  CHECK(reason(R"({"f0rtika":{"test_name":{"en":"n"}}})") == "f0rtika.test_name must be a string or an array of strings");
  CHECK(reason(R"({"f0rtika":{"techniques":[{"id":"T1"}]}})").starts_with("f0rtika.techniques"));
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
  auto doc = [](const ResultLineReader::Outcome& o) { return std::get<IncomingResult>(o).document; };
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

TEST_CASE("bulk index actions replace a stored id, create actions keep it", "[codec]") {
  ResultLineReader reader;
  auto incoming = [](const ResultLineReader::Outcome& o) { return std::get<IncomingResult>(o); };
  reader.feed(R"({"index":{"_id":"task-1"}})", 1);
  CHECK(incoming(reader.feed(R"({"f0rtika":{"test_name":"n"}})", 2)).on_stored == OnStoredId::Replace);
  reader.feed(R"({"create":{"_id":"task-1"}})", 3);
  const auto created = incoming(reader.feed(R"({"f0rtika":{"test_name":"n"}})", 4));
  CHECK(created.on_stored == OnStoredId::Keep);
  CHECK(created.document.id == "task-1");
  // A search hit or a bare _source is written as the original's writer does: with `index`.
  CHECK(incoming(reader.feed(R"({"_id":"hit","_source":{}})", 5)).on_stored == OnStoredId::Replace);
  CHECK(incoming(reader.feed(R"({"f0rtika":{}})", 6)).on_stored == OnStoredId::Replace);
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

TEST_CASE("event times outside 1970-9999 are refused with the field named", "[codec]") {
  CHECK(reason(R"({"routing":{"event_time":9223372036854775807}})") == "routing.event_time must be between 1970-01-01 and 9999-12-31");
  CHECK(reason(R"({"routing":{"event_time":18446744073709551615}})") == "routing.event_time must be between 1970-01-01 and 9999-12-31");
  CHECK(reason(R"({"routing":{"event_time":-1}})") == "routing.event_time must be between 1970-01-01 and 9999-12-31");
  CHECK(reason(R"({"routing":{"event_time":"1900-01-01T00:00:00Z"}})").starts_with("routing.event_time"));
  CHECK(reason(R"({"routing":{"event_time":"9999-12-31T23:59:59.999Z"}})").empty());
}

TEST_CASE("numbers in keyword fields read as Elasticsearch indexes them", "[codec]") {
  CHECK(decoded(R"({"f0rtika":{"complexity":2.5}})").complexity == Keywords("2.5"));
  CHECK(decoded(R"({"f0rtika":{"complexity":3.0}})").complexity == Keywords("3.0"));
  CHECK(decoded(R"({"f0rtika":{"complexity":3}})").complexity == Keywords("3"));
}
