// The fake does not run Painless: it recognises the adapter's scripts by their
// exact source and computes what they mean in C++.
#include <algorithm>

#include "achilles/elasticsearch/painless_scripts.hpp"
#include "fakes/fake_es_model.hpp"

namespace achilles::testing::fake_elasticsearch_internal {
namespace {

using achilles::elasticsearch::kBundleRunKey;
using achilles::elasticsearch::kRunGroupKey;

[[noreturn]] void script_failure(std::string_view source, const std::string& field, std::string cause_type,
                                 std::string cause_reason) {
  const std::string needle = "doc['" + field + "'].value";
  const auto at = source.find(needle);
  const auto offset = static_cast<std::int64_t>(at == std::string_view::npos ? 0 : at);
  EsError e{400, "script_exception", "runtime error",
            {{"script_stack", json::array{"org.elasticsearch.index.fielddata.ScriptDocValues.throwIfEmpty(ScriptDocValues.java:93)",
                                          json::string(needle), "    ^---- HERE"}},
             {"script", std::string(source)},
             {"lang", "painless"},
             {"position", json::object{{"offset", offset}, {"start", offset}, {"end", offset + static_cast<std::int64_t>(needle.size())}}},
             {"caused_by", json::object{{"type", std::move(cause_type)}, {"reason", std::move(cause_reason)}}}},
            "search_phase_execution_exception"};
  throw e;
}

// doc['field'].value: the smallest doc value, as Painless sees sorted doc values.
Value doc_value(std::string_view source, const Hit& hit, const std::string& field) {
  auto values = values_of(hit, field);
  if (values.empty()) {
    if (!hit.index->types.empty() && hit.index->type_of(field) == FieldType::Dynamic) {
      script_failure(source, field, "illegal_argument_exception", "No field found for [" + field + "] in mapping");
    }
    script_failure(source, field, "illegal_state_exception",
                   "A document doesn't have a value for a field! Use doc[<field>].size()==0 to check if a document is missing a field!");
  }
  return *std::min_element(values.begin(), values.end(), [](const Value& a, const Value& b) { return compare(a, b) < 0; });
}

std::string text(const Value& v) {
  if (v.kind == Value::Kind::String) return v.s;
  if (v.kind == Value::Kind::Boolean) return v.i ? "true" : "false";
  if (v.kind == Value::Kind::Float) return json::serialize(json::value(v.f));
  return std::to_string(v.i);
}

}  // namespace

std::string script_source(const json::value& script) {
  std::string source;
  if (const auto* s = script.if_string()) {
    source = std::string(*s);
  } else if (const auto* o = script.if_object()) {
    if (const auto* src = o->if_contains("source"); src && src->is_string()) source = std::string(src->get_string());
  }
  if (source != kBundleRunKey && source != kRunGroupKey) {
    fail(400, "script_exception", "fake Elasticsearch does not know this script", {{"script", source}, {"lang", "painless"}});
  }
  return source;
}

std::string run_script(std::string_view source, const Hit& hit) {
  if (source == kBundleRunKey) {
    return text(doc_value(source, hit, "f0rtika.bundle_id")) + "::" + text(doc_value(source, hit, "routing.hostname"));
  }
  // kRunGroupKey
  const Value t = doc_value(source, hit, "routing.event_time");
  const std::string ms = std::to_string(t.kind == Value::Kind::Float ? static_cast<std::int64_t>(t.f) : t.i);
  const auto control = values_of(hit, "f0rtika.is_bundle_control");
  const bool bundle = !control.empty() && doc_value(source, hit, "f0rtika.is_bundle_control").kind == Value::Kind::Boolean &&
                      doc_value(source, hit, "f0rtika.is_bundle_control").i == 1;
  if (bundle) {
    return "bundle::" + text(doc_value(source, hit, "f0rtika.bundle_id")) + "::" +
           text(doc_value(source, hit, "routing.hostname")) + "::" + ms;
  }
  return "standalone::" + text(doc_value(source, hit, "f0rtika.test_uuid")) + "::" +
         text(doc_value(source, hit, "routing.hostname")) + "::" + ms;
}

}  // namespace achilles::testing::fake_elasticsearch_internal
