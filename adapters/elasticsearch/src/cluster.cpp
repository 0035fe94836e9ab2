#include "achilles/elasticsearch/cluster.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>

#include "achilles/errors.hpp"

namespace achilles::elasticsearch {
namespace json = boost::json;
namespace {

// An error's type or reason, cut to kMaxPart characters on a UTF-8 boundary
// (Boost.JSON has already refused invalid UTF-8).
constexpr std::size_t kMaxPart = 300;
std::string text_of(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return {};
  std::string text(it->value().get_string());
  if (text.size() <= kMaxPart) return text;
  std::size_t cut = kMaxPart;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "…";
}

std::int64_t leading_integer(const json::value* v) {
  if (!v) return 0;
  if (v->is_number()) return v->to_number<std::int64_t>();
  if (!v->is_string()) return 0;
  const auto& s = v->get_string();
  std::int64_t n = 0;
  std::from_chars(s.data(), s.data() + s.size(), n);  // parseInt: digits up to the first other character
  return n;
}

const json::value* member(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it == o.end() ? nullptr : &it->value();
}

}  // namespace

std::string es_error_text(const std::string& body) {
  // Only Elasticsearch's own error type and reasons are passed on: never the
  // body itself (a proxy's HTML page, arbitrary bytes), never at any length.
  json::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) return "Response Error";
  if (const auto* o = v.if_object()) {
    if (const auto* error = o->contains("error") ? o->at("error").if_object() : nullptr; error && error->contains("type")) {
      std::string text = text_of(*error, "type");
      if (const auto* cause = error->contains("caused_by") ? error->at("caused_by").if_object() : nullptr)
        text += "\n\tCaused by:\n\t\t" + text_of(*cause, "type") + ": " + text_of(*cause, "reason");
      if (const auto* roots = error->contains("root_cause") ? error->at("root_cause").if_array() : nullptr; roots && !roots->empty()) {
        text += "\n\tRoot causes:";
        std::size_t shown = 0;
        for (const auto& r : *roots)
          if (const auto* ro = r.if_object(); ro && shown++ < 3) text += "\n\t\t" + text_of(*ro, "type") + ": " + text_of(*ro, "reason");
      }
      return text;
    }
  }
  return "Response Error";
}

std::string index_segment(std::string_view pattern) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : pattern) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '*' || c == ',' || c == '+') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

json::value EsCluster::answer_of(const EsReply& reply) const {
  if (reply.status >= 400 && reply.status < 500) throw BackendRejected(es_error_text(reply.body));
  if (reply.status >= 500 || reply.status < 200)
    throw BackendUnavailable("Elasticsearch failed with status " + std::to_string(reply.status) + ": " +
                             es_error_text(reply.body));
  json::error_code ec;
  json::value v = json::parse(reply.body, ec);
  if (ec) throw BackendUnavailable("Elasticsearch answered with something that is not JSON: " + ec.message());
  return v;
}

json::value EsCluster::call(std::string_view method, std::string_view target, const json::value* body,
                            Idempotent idempotent) const {
  return answer_of(transport_->send(method, target, body ? json::serialize(*body) : std::string(), idempotent));
}

json::value EsCluster::call_ndjson(std::string_view target, std::string_view ndjson, Idempotent idempotent) const {
  return answer_of(transport_->send("POST", target, ndjson, idempotent, "application/x-ndjson"));
}

std::string EsCluster::version() const {
  const json::value info = call("GET", "/", nullptr, Idempotent::Yes);
  if (const auto* o = info.if_object())
    if (const auto* v = o->contains("version") ? o->at("version").if_object() : nullptr)
      if (auto number = text_of(*v, "number"); !number.empty()) return number;
  throw BackendUnavailable("Elasticsearch answered GET / without a version number");
}

bool EsCluster::index_exists(const std::string& name) const {
  const EsReply reply = transport_->send("HEAD", "/" + index_segment(name), "", Idempotent::Yes);
  if (reply.status == 200) return true;
  if (reply.status == 404) return false;
  answer_of(reply);  // throws with the status
  return false;
}

bool EsCluster::create_index(const std::string& name, const json::value& body) const {
  const EsReply reply = transport_->send("PUT", "/" + index_segment(name), json::serialize(body), Idempotent::No);
  if (reply.status == 400) return false;  // resource_already_exists_exception, as the original reads it
  answer_of(reply);
  return true;
}

std::vector<IndexSummary> EsCluster::indices(const std::string& pattern) const {
  const EsReply reply =
      transport_->send("GET", "/_cat/indices/" + index_segment(pattern) + "?format=json&bytes=b", "", Idempotent::Yes);
  if (reply.status == 404) return {};
  const json::value rows = answer_of(reply);
  std::vector<IndexSummary> out;
  if (const auto* a = rows.if_array())
    for (const auto& row : *a) {
      const auto* o = row.if_object();
      if (!o) continue;
      IndexSummary s;
      s.name = text_of(*o, "index");
      s.docs_count = leading_integer(member(*o, "docs.count"));
      s.store_size = leading_integer(member(*o, "store.size"));
      if (s.store_size == 0) s.store_size = leading_integer(member(*o, "dataset.size"));  // Elastic Serverless
      s.health = o->contains("health") && o->at("health").is_string() ? text_of(*o, "health") : "unknown";
      out.push_back(std::move(s));
    }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

}  // namespace achilles::elasticsearch
