#include "achilles/elasticsearch/elasticsearch_api_keys.hpp"

#include <boost/json.hpp>

#include "achilles/elasticsearch/page_dsl.hpp"
#include "achilles/errors.hpp"
#include "achilles/query/date_math.hpp"
#include "es_documents.hpp"

namespace achilles::elasticsearch {
namespace json = boost::json;
namespace {

constexpr std::size_t kListPage = 1'000;
constexpr int kRevokeAttempts = 5;

json::value time_value(const std::optional<std::int64_t>& ms) {
  if (!ms) return nullptr;
  return json::string(format_iso_millis(*ms));
}

std::optional<std::string> text(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::optional<std::string>(std::string(v->get_string())) : std::nullopt;
}

std::optional<std::int64_t> time_of(const json::object& o, std::string_view key) {
  auto t = text(o, key);
  return t ? resolve_date_bound(*t, RangeEdge::Lower, 0) : std::nullopt;
}

}  // namespace

json::value api_keys_index_body() {
  json::object properties;
  for (const char* keyword : {"id", "name", "token_hash", "key_prefix", "scope", "created_by", "org_id"})
    properties[keyword] = json::object{{"type", "keyword"}};
  for (const char* date : {"created_at", "expires_at", "last_used_at", "revoked_at"})
    properties[date] = json::object{{"type", "date"}};
  return json::object{{"mappings", json::object{{"properties", std::move(properties)}}}};
}

json::object encode_api_key(const ApiKey& k) {
  return {{"id", k.id},
          {"name", k.name},
          {"token_hash", k.token_hash},
          {"key_prefix", k.key_prefix},
          {"scope", api_key_scope_name(k.scope)},
          {"created_by", k.created_by},
          {"org_id", k.org_id ? json::value(*k.org_id) : json::value(nullptr)},
          {"created_at", format_iso_millis(k.created_at_ms)},
          {"expires_at", time_value(k.expires_at_ms)},
          {"last_used_at", time_value(k.last_used_at_ms)},
          {"revoked_at", time_value(k.revoked_at_ms)}};
}

std::optional<ApiKey> decode_api_key(const json::object& s) {
  ApiKey k;
  auto id = text(s, "id");
  auto hash = text(s, "token_hash");
  auto scope = text(s, "scope");
  if (!id || !hash || !scope || !api_key_scope_from(*scope)) return std::nullopt;
  k.id = *id;
  k.token_hash = *hash;
  k.scope = *api_key_scope_from(*scope);
  k.name = text(s, "name").value_or("");
  k.key_prefix = text(s, "key_prefix").value_or("");
  k.created_by = text(s, "created_by").value_or("");
  k.org_id = text(s, "org_id");
  if (k.org_id && k.org_id->empty()) k.org_id.reset();
  k.created_at_ms = time_of(s, "created_at").value_or(0);
  // An expiry or revocation that cannot be read counts as passed: never eternal.
  if (const auto* e = s.if_contains("expires_at"); e && !e->is_null()) k.expires_at_ms = time_of(s, "expires_at").value_or(0);
  k.last_used_at_ms = time_of(s, "last_used_at");
  if (const auto* r = s.if_contains("revoked_at"); r && !r->is_null()) k.revoked_at_ms = time_of(s, "revoked_at").value_or(0);
  return k;
}

ElasticsearchApiKeys::ElasticsearchApiKeys(std::shared_ptr<EsTransport> transport, std::string index)
    : cluster_(std::move(transport)), index_(std::move(index)) {}

void ElasticsearchApiKeys::insert(const ApiKey& key) {
  if (!index_ready_) {
    if (!cluster_.index_exists(index_)) cluster_.create_index(index_, api_keys_index_body());
    index_ready_ = true;
  }
  const EsReply reply = cluster_.send("PUT", document_path(index_, "_create", key.id) + "?refresh=wait_for",
                                      json::serialize(encode_api_key(key)), Idempotent::No);
  if (reply.status == 409) throw Conflict("API key " + key.id + " already exists");
  cluster_.answer_of(reply);
}

std::vector<ApiKey> ElasticsearchApiKeys::search(const json::object& query, std::size_t limit) const {
  std::vector<ApiKey> out;
  std::optional<json::array> after;
  for (;;) {
    const std::size_t size = std::min(limit - out.size(), kListPage);
    json::object body{{"size", size},
                      {"query", query},
                      {"sort", json::array{json::object{{"created_at", json::object{{"order", "desc"}}}},
                                           json::object{{"id", json::object{{"order", "desc"}}}}}}};
    if (after) body["search_after"] = *after;
    const EsReply reply = cluster_.send("POST", "/" + index_segment(index_) + "/_search", json::serialize(body), Idempotent::Yes);
    if (index_missing(reply)) {
      index_ready_ = false;
      return out;
    }
    const json::value answer = cluster_.answer_of(reply);
    const auto* hits = answer.is_object() ? hits_in(answer.get_object()) : nullptr;
    if (!hits) throw BackendUnavailable("Elasticsearch answered an API key search without hits");
    for (const auto& hit : *hits) {
      const auto* h = hit.if_object();
      const auto* source = h && h->if_contains("_source") ? h->at("_source").if_object() : nullptr;
      if (!source) throw BackendUnavailable("Elasticsearch answered an API key search with a hit without _source");
      if (auto key = decode_api_key(*source)) out.push_back(std::move(*key));
    }
    if (hits->size() < size || out.size() >= limit) return out;
    const auto* sort = last_sort_values(*hits);
    if (!sort) throw BackendUnavailable("Elasticsearch answered a sorted search without sort values");
    after = *sort;
  }
}

std::optional<ApiKey> ElasticsearchApiKeys::find_by_hash(const std::string& token_hash) const {
  auto found = search(json::object{{"term", json::object{{"token_hash", token_hash}}}}, 1);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::optional<ApiKey> ElasticsearchApiKeys::find(const std::string& id) const {
  const EsReply reply = cluster_.send("GET", document_path(index_, "_doc", id), "", Idempotent::Yes);
  if (reply.status == 404) return std::nullopt;
  const json::value doc = cluster_.answer_of(reply);
  const auto* o = doc.if_object();
  const auto* source = o && o->if_contains("_source") ? o->at("_source").if_object() : nullptr;
  return source ? decode_api_key(*source) : std::nullopt;
}

std::vector<ApiKey> ElasticsearchApiKeys::list() const {
  return search(json::object{{"match_all", json::object{}}}, std::numeric_limits<std::size_t>::max());
}

bool ElasticsearchApiKeys::revoke(const std::string& id, std::int64_t at_ms) {
  const json::value change = json::object{{"doc", json::object{{"revoked_at", format_iso_millis(at_ms)}}}};
  for (int attempt = 0; attempt < kRevokeAttempts; ++attempt) {
    const EsReply read = cluster_.send("GET", document_path(index_, "_doc", id), "", Idempotent::Yes);
    if (read.status == 404) return false;
    const json::value doc = cluster_.answer_of(read);
    const auto* o = doc.if_object();
    const auto* source = o && o->if_contains("_source") ? o->at("_source").if_object() : nullptr;
    const auto* seq_no = o ? o->if_contains("_seq_no") : nullptr;
    const auto* primary_term = o ? o->if_contains("_primary_term") : nullptr;
    if (!source || !seq_no || !primary_term) throw BackendUnavailable("Elasticsearch answered GET _doc without its version");
    const auto key = decode_api_key(*source);
    if (!key || key->revoked_at_ms) return false;
    const std::string target = document_path(index_, "_update", id) + "?if_seq_no=" + json::serialize(*seq_no) +
                               "&if_primary_term=" + json::serialize(*primary_term) + "&refresh=wait_for";
    const EsReply written = cluster_.send("POST", target, json::serialize(change), Idempotent::No);
    if (written.status == 409) continue;
    if (written.status == 404) return false;
    cluster_.answer_of(written);
    return true;
  }
  throw BackendUnavailable("API key " + id + " kept changing while it was being revoked; try again");
}

void ElasticsearchApiKeys::touch(const std::string& id, std::int64_t at_ms) noexcept {
  try {
    const json::value change = json::object{{"doc", json::object{{"last_used_at", format_iso_millis(at_ms)}}}};
    (void)cluster_.send("POST", document_path(index_, "_update", id), json::serialize(change), Idempotent::No);
  } catch (...) {
    // Bookkeeping: the next use, a minute on, writes it.
  }
}

}  // namespace achilles::elasticsearch
