#include "achilles/elasticsearch/elasticsearch_defender_store.hpp"

#include "achilles/elasticsearch/alert_query_dsl.hpp"
#include "achilles/elasticsearch/multi_search.hpp"

#include <boost/json.hpp>

#include "achilles/defender_json/defender_document_json.hpp"
#include "achilles/elasticsearch/page_dsl.hpp"
#include "achilles/errors.hpp"
#include "achilles/query/date_math.hpp"
#include "es_documents.hpp"

namespace achilles::elasticsearch {
namespace json = boost::json;
namespace {

constexpr const char* kStateId = "sync-state";
constexpr const char* kLeaseId = "sync-lease";
constexpr std::size_t kPage = 1'000;
constexpr std::size_t kSightingsPage = 10'000;  // the most one search may return

json::object keyword() { return {{"type", "keyword"}}; }
json::object text_with_keyword(int ignore_above = 0) {
  json::object keyword_field{{"type", "keyword"}};
  if (ignore_above) keyword_field["ignore_above"] = ignore_above;
  return {{"type", "text"}, {"fields", json::object{{"keyword", std::move(keyword_field)}}}};
}

std::string action_line(const char* action, const std::string& index, const std::string& id, bool retry = false) {
  json::object meta{{"_index", index}, {"_id", id}};
  if (retry) meta["retry_on_conflict"] = 3;
  return json::serialize(json::object{{action, std::move(meta)}}) + "\n";
}

}  // namespace

json::value defender_index_body() {
  json::object p;
  for (const char* k : {"doc_type", "tenant_id", "control_name", "control_category", "implementation_cost", "user_impact",
                        "action_url", "tier", "threats", "alert_id", "severity", "status", "category", "service_source",
                        "mitre_techniques", "receipt_id", "alert_doc_id", "test_uuid", "mode", "outcome"})
    p[k] = keyword();
  p["receipt_at"] = json::object{{"type", "date"}};
  p["detail"] = json::object{{"type", "text"}};
  p["timestamp"] = json::object{{"type", "date"}};
  for (const char* f : {"current_score", "max_score", "score_percentage", "average_comparative_score"}) p[f] = json::object{{"type", "float"}};
  p["control_scores"] = json::object{{"type", "nested"},
                                     {"properties", json::object{{"name", keyword()}, {"category", keyword()}, {"score", json::object{{"type", "float"}}}}}};
  p["title"] = text_with_keyword();
  p["rank"] = json::object{{"type", "integer"}};
  p["deprecated"] = json::object{{"type", "boolean"}};
  p["remediation_summary"] = json::object{{"type", "text"}};
  p["alert_title"] = text_with_keyword();
  p["description"] = json::object{{"type", "text"}};
  p["recommended_actions"] = json::object{{"type", "text"}};
  for (const char* d : {"created_at", "updated_at", "resolved_at"}) p[d] = json::object{{"type", "date"}};
  p["evidence_hostnames"] = text_with_keyword(256);
  p["evidence_filenames"] = text_with_keyword(256);
  p["evidence_filepaths"] = text_with_keyword(1024);
  p["f0rtika"] = json::object{{"properties", json::object{{"achilles_correlated", json::object{{"type", "boolean"}}},
                                                          {"achilles_test_uuid", keyword()},
                                                          {"achilles_matched_at", json::object{{"type", "date"}}},
                                                          {"auto_resolved", json::object{{"type", "boolean"}}},
                                                          {"auto_resolved_at", json::object{{"type", "date"}}},
                                                          {"auto_resolve_mode", keyword()},
                                                          {"auto_resolve_error", keyword()}}}};
  return json::object{{"mappings", json::object{{"properties", std::move(p)}}}};
}

ElasticsearchDefenderStore::ElasticsearchDefenderStore(std::shared_ptr<EsTransport> transport, std::string index)
    : cluster_(std::move(transport)), index_(std::move(index)) {}

void ElasticsearchDefenderStore::prepare_index() {
  if (index_ready_) return;
  if (!cluster_.index_exists(index_)) {
    cluster_.create_index(index_, defender_index_body());  // false: it exists now
  } else {
    // An index made by the original, or by an earlier Achilles, learns the
    // fields added since (receipts) before the first document carries them;
    // the original re-applies its mapping the same way. A refusal (a field
    // already mapped otherwise) leaves the index as it is.
    try {
      const json::value mappings = defender_index_body().as_object().at("mappings");
      cluster_.call("PUT", "/" + index_segment(index_) + "/_mapping", &mappings, Idempotent::Yes);
    } catch (const std::exception&) {
    }
  }
  index_ready_ = true;
}

DefenderWrite ElasticsearchDefenderStore::bulk(const std::string& ndjson, std::size_t count, const char* label) {
  DefenderWrite out;
  if (count == 0) return out;
  prepare_index();
  const json::value answer = cluster_.call_ndjson("/_bulk?refresh=wait_for", ndjson, Idempotent::No);
  const auto* items = answer.is_object() && answer.get_object().contains("items") ? answer.get_object().at("items").if_array() : nullptr;
  if (!items) throw BackendUnavailable("Elasticsearch answered a bulk request without items");
  for (const auto& entry : *items) {
    const auto* wrapper = entry.if_object();
    const auto* item = wrapper && !wrapper->empty() ? wrapper->begin()->value().if_object() : nullptr;
    if (!item) continue;
    const auto* error = item->if_contains("error");
    if (!error) {
      ++out.written;
      continue;
    }
    const auto* id = item->if_contains("_id");
    std::string reason = "failed";
    if (const auto* e = error->if_object(); e && e->contains("reason") && e->at("reason").is_string())
      reason = std::string(e->at("reason").get_string());
    out.errors.push_back(std::string(label) + " " + (id && id->is_string() ? std::string(id->get_string()) : "?") + ": " + reason);
  }
  return out;
}

DefenderWrite ElasticsearchDefenderStore::put_secure_scores(const std::vector<SecureScoreDocument>& scores) {
  std::string ndjson;
  for (const auto& d : scores) ndjson += action_line("index", index_, d.id) + json::serialize(defender_json::encode(d)) + "\n";
  return bulk(ndjson, scores.size(), "Score");
}

DefenderWrite ElasticsearchDefenderStore::replace_control_profiles(const std::vector<ControlProfileDocument>& profiles) {
  prepare_index();
  const json::value remove = json::object{{"query", json::object{{"term", json::object{{"doc_type", "control_profile"}}}}}};
  try {
    cluster_.call("POST", "/" + index_segment(index_) + "/_delete_by_query?refresh=true", &remove, Idempotent::Yes);
  } catch (const std::exception&) {
    // As the original: a failed clean-up does not stop the new profiles.
  }
  std::string ndjson;
  for (const auto& d : profiles) ndjson += action_line("index", index_, d.id) + json::serialize(defender_json::encode(d)) + "\n";
  return bulk(ndjson, profiles.size(), "Control");
}

DefenderWrite ElasticsearchDefenderStore::upsert_alerts(const std::vector<AlertDocument>& alerts) {
  std::string ndjson;
  for (AlertDocument d : alerts) {
    d.f0rtika = {};  // never written by a sync: the stored marks stay
    ndjson += action_line("update", index_, d.id, true) +
              json::serialize(json::object{{"doc", defender_json::encode(d)}, {"doc_as_upsert", true}}) + "\n";
  }
  return bulk(ndjson, alerts.size(), "Alert");
}

std::vector<bool> ElasticsearchDefenderStore::annotate_alerts(const AlertMarks& marks) {
  std::vector<bool> found(marks.size(), false);
  if (marks.empty()) return found;
  std::string ndjson;
  for (const auto& [id, annotations] : marks)
    ndjson += action_line("update", index_, id, true) +
              json::serialize(json::object{{"doc", json::object{{"f0rtika", defender_json::encode(annotations)}}}}) + "\n";
  // One refresh for the batch: auto-resolve, next in the same sync, reads the marks.
  const json::value answer = cluster_.call_ndjson("/_bulk?refresh=wait_for", ndjson, Idempotent::Yes);
  const auto* items = answer.is_object() && answer.get_object().contains("items") ? answer.get_object().at("items").if_array() : nullptr;
  if (!items) throw BackendUnavailable("Elasticsearch answered a bulk request without items");
  for (std::size_t i = 0; i < items->size() && i < found.size(); ++i) {
    const auto* wrapper = (*items)[i].if_object();
    const auto* item = wrapper && !wrapper->empty() ? wrapper->begin()->value().if_object() : nullptr;
    found[i] = item && !item->contains("error");
  }
  return found;
}

bool ElasticsearchDefenderStore::annotate_alert(const std::string& id, const AlertAnnotations& annotations) {
  const json::value change = json::object{{"doc", json::object{{"f0rtika", defender_json::encode(annotations)}}}};
  const EsReply reply = cluster_.send("POST", document_path(index_, "_update", id) + "?refresh=wait_for&retry_on_conflict=3",
                                      json::serialize(change), Idempotent::Yes);
  if (reply.status == 404) return false;
  cluster_.answer_of(reply);
  return true;
}

std::vector<std::pair<std::string, json::object>> ElasticsearchDefenderStore::documents(const char* doc_type, const char* sort_field,
                                                                                        const char* unique_field) const {
  std::vector<std::pair<std::string, json::object>> out;
  std::optional<json::array> after;
  for (;;) {
    json::object body{{"size", kPage},
                      {"query", json::object{{"term", json::object{{"doc_type", doc_type}}}}},
                      // The tie-break is a keyword unique per document: Elasticsearch 8
                      // refuses to sort on _id unless a cluster setting allows it.
                      {"sort", json::array{json::object{{sort_field, json::object{{"order", "desc"}}}},
                                           json::object{{unique_field, json::object{{"order", "desc"}}}}}}};
    if (after) body["search_after"] = *after;
    const EsReply reply = cluster_.send("POST", "/" + index_segment(index_) + "/_search", json::serialize(body), Idempotent::Yes);
    if (index_missing(reply)) return out;
    const json::value answer = cluster_.answer_of(reply);
    const auto* hits = answer.is_object() ? hits_in(answer.get_object()) : nullptr;
    if (!hits) throw BackendUnavailable("Elasticsearch answered a Defender search without hits");
    for (const auto& hit : *hits) {
      const auto* h = hit.if_object();
      const auto* source = h && h->contains("_source") ? h->at("_source").if_object() : nullptr;
      const auto* id = h ? h->if_contains("_id") : nullptr;
      if (source && id && id->is_string()) out.emplace_back(std::string(id->get_string()), *source);
    }
    if (hits->size() < kPage) return out;
    const auto* sort = last_sort_values(*hits);
    if (!sort) throw BackendUnavailable("Elasticsearch answered a sorted search without sort values");
    after = *sort;
  }
}

std::vector<SecureScoreDocument> ElasticsearchDefenderStore::secure_scores() const {
  std::vector<SecureScoreDocument> out;
  for (auto& [id, source] : documents("secure_score", "timestamp", "timestamp"))
    if (auto d = defender_json::decode_secure_score(source, id)) out.push_back(std::move(*d));
  return out;
}

std::vector<ControlProfileDocument> ElasticsearchDefenderStore::control_profiles() const {
  std::vector<ControlProfileDocument> out;
  for (auto& [id, source] : documents("control_profile", "timestamp", "control_name"))
    if (auto d = defender_json::decode_control_profile(source, id)) out.push_back(std::move(*d));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

std::vector<AlertDocument> ElasticsearchDefenderStore::alerts() const {
  std::vector<AlertDocument> out;
  for (auto& [id, source] : documents("alert", "created_at", "alert_id"))
    if (auto d = defender_json::decode_alert(source, id)) out.push_back(std::move(*d));
  return out;
}

std::optional<json::object> ElasticsearchDefenderStore::search(const json::object& body) const {
  const EsReply reply = cluster_.send("POST", "/" + index_segment(index_) + "/_search", json::serialize(body), Idempotent::Yes);
  if (index_missing(reply)) return std::nullopt;
  json::value answer = cluster_.answer_of(reply);
  if (!answer.is_object()) throw BackendUnavailable("Elasticsearch answered a Defender search with no object");
  return std::move(answer.as_object());
}

AlertPage ElasticsearchDefenderStore::find_alerts(const AlertQuery& query, const AlertPageQuestion& page) const {
  const auto answer = search(alert_page_request(query, page));
  return answer ? alert_page_response(*answer) : AlertPage{};
}

AlertTally ElasticsearchDefenderStore::tally_alerts(const AlertQuery& query) const {
  const auto answer = search(alert_tally_request(query));
  return answer ? alert_tally_response(*answer) : AlertTally{};
}

std::vector<AlertSighting> ElasticsearchDefenderStore::alert_sightings(std::int64_t created_from_ms, bool with_hosts) const {
  AlertQuery recent;
  recent.created_from_ms = created_from_ms;
  json::array fields{"mitre_techniques", "created_at"};
  if (with_hosts) fields.emplace_back("evidence_hostnames");
  std::vector<AlertSighting> out;
  std::optional<json::array> after;
  for (;;) {
    json::object body{{"size", kSightingsPage},
                      {"track_total_hits", false},
                      {"_source", fields},
                      {"query", alert_query_dsl(recent)},
                      {"sort", json::array{json::object{{"created_at", json::object{{"order", "asc"}}}},
                                           json::object{{"alert_id", json::object{{"order", "asc"}}}}}}};
    if (after) body["search_after"] = *after;
    const auto answer = search(body);
    if (!answer) return out;
    const auto* hits = hits_in(*answer);
    if (!hits) throw BackendUnavailable("Elasticsearch answered a Defender search without hits");
    AlertDocument alert;
    for (const auto& hit : *hits) {
      const auto* h = hit.if_object();
      const auto* source = h && h->contains("_source") ? h->at("_source").if_object() : nullptr;
      if (!source) continue;
      alert = AlertDocument{};
      if (const auto* c = source->if_contains("created_at"); c && c->is_string()) alert.created_at = std::string(c->get_string());
      auto strings = [&](const char* key, std::vector<std::string>& into) {
        if (const auto* v = source->if_contains(key)) {
          if (v->is_string()) into.emplace_back(v->get_string());
          if (const auto* a = v->if_array())
            for (const auto& e : *a)
              if (e.is_string()) into.emplace_back(e.get_string());
        }
      };
      strings("mitre_techniques", alert.mitre_techniques);
      if (with_hosts) strings("evidence_hostnames", alert.evidence_hostnames);
      for (auto& s : alert_sightings_of({alert}, created_from_ms, with_hosts)) out.push_back(std::move(s));
    }
    if (hits->size() < kSightingsPage) return out;
    const auto* sort = last_sort_values(*hits);
    if (!sort) throw BackendUnavailable("Elasticsearch answered a sorted search without sort values");
    after = *sort;
  }
}

std::vector<EvidenceAnswer> ElasticsearchDefenderStore::answer_evidence(const std::vector<EvidenceQuestion>& questions) const {
  std::vector<json::object> bodies;
  for (const auto& q : questions) {
    AlertQuery query;
    query.seen = q.window;
    query.host_prefix = q.host_prefix;
    query.files = q.files;
    bodies.push_back(json::object{{"size", kEvidenceAlertIds},
                                  {"_source", false},
                                  {"track_total_hits", true},
                                  {"query", alert_query_dsl(query)}});
  }
  std::vector<EvidenceAnswer> out;
  if (bodies.empty()) return out;
  for (const auto& answer : multi_search_each(cluster_, index_, bodies)) {
    EvidenceAnswer a;
    if (const auto* error = answer.if_contains("error")) {
      a.error = json::serialize(*error).substr(0, 200);
      out.push_back(std::move(a));
      continue;
    }
    const auto page = alert_page_response(answer);  // hits without _source: ids only
    a.total = page.total;
    if (const auto* hits = hits_in(answer))
      for (const auto& hit : *hits)
        if (const auto* h = hit.if_object(); h && h->contains("_id") && h->at("_id").is_string() && a.alert_ids.size() < kEvidenceAlertIds)
          a.alert_ids.emplace_back(h->at("_id").get_string());
    out.push_back(std::move(a));
  }
  return out;
}

std::optional<AlertDocument> ElasticsearchDefenderStore::alert(const std::string& id) const {
  const EsReply reply = cluster_.send("GET", document_path(index_, "_doc", id), "", Idempotent::Yes);
  if (reply.status == 404) return std::nullopt;
  const json::value doc = cluster_.answer_of(reply);
  const auto* o = doc.if_object();
  const auto* source = o && o->contains("_source") ? o->at("_source").if_object() : nullptr;
  return source ? defender_json::decode_alert(*source, id) : std::nullopt;
}

void ElasticsearchDefenderStore::add_receipt(const AutoResolveReceipt& r) {
  prepare_index();
  const json::value body = defender_json::encode(r);
  cluster_.call("PUT", document_path(index_, "_doc", "receipt-" + r.id) + "?refresh=wait_for", &body, Idempotent::Yes);
}

ReceiptPage ElasticsearchDefenderStore::receipts(std::size_t limit, std::size_t offset) const {
  ReceiptPage page;
  const auto answer = search(json::object{
      {"from", offset},
      {"size", limit},
      {"track_total_hits", true},
      {"query", json::object{{"term", json::object{{"doc_type", "auto_resolve_receipt"}}}}},
      {"sort", json::array{json::object{{"receipt_at", json::object{{"order", "desc"}, {"unmapped_type", "date"}}}},
                           json::object{{"receipt_id", json::object{{"order", "desc"}, {"unmapped_type", "keyword"}}}}}}});
  if (!answer) return page;
  if (const auto* hits = answer->if_contains("hits"); hits && hits->is_object()) {
    if (const auto* total = hits->get_object().if_contains("total")) {
      if (total->is_number()) page.total = total->to_number<std::int64_t>();
      else if (total->is_object() && total->get_object().contains("value")) page.total = total->get_object().at("value").to_number<std::int64_t>();
    }
  }
  if (const auto* list = hits_in(*answer))
    for (const auto& hit : *list)
      if (const auto* h = hit.if_object(); h && h->contains("_source") && h->at("_source").is_object())
        if (auto r = defender_json::decode_receipt(h->at("_source").get_object())) page.items.push_back(std::move(*r));
  return page;
}

std::int64_t ElasticsearchDefenderStore::count_settled_receipts(std::int64_t since_ms) const {
  json::array filter{json::object{{"term", json::object{{"doc_type", "auto_resolve_receipt"}}}},
                     json::object{{"terms", json::object{{"outcome", json::array{"resolved", "would_resolve", "not_found"}}}}},
                     json::object{{"range", json::object{{"receipt_at", json::object{{"gte", format_iso_millis(since_ms)}}}}}}};
  const json::value body = json::object{{"query", json::object{{"bool", json::object{{"filter", std::move(filter)}}}}}};
  const EsReply reply = cluster_.send("POST", "/" + index_segment(index_) + "/_count", json::serialize(body), Idempotent::Yes);
  if (index_missing(reply)) return 0;
  const json::value answer = cluster_.answer_of(reply);
  const auto* count = answer.is_object() ? answer.get_object().if_contains("count") : nullptr;
  return count && count->is_number() ? count->to_number<std::int64_t>() : 0;
}

DefenderWatermarks ElasticsearchDefenderStore::watermarks() const {
  DefenderWatermarks w;
  const EsReply reply = cluster_.send("GET", document_path(index_, "_doc", kStateId), "", Idempotent::Yes);
  if (reply.status == 404) return w;
  const json::value doc = cluster_.answer_of(reply);
  const auto* o = doc.if_object();
  const auto* s = o && o->contains("_source") ? o->at("_source").if_object() : nullptr;
  if (!s) return w;
  if (const auto* v = s->if_contains("last_alert_sync"); v && v->is_string()) w.last_alert_sync = std::string(v->get_string());
  if (const auto* v = s->if_contains("last_score_sync"); v && v->is_string()) w.last_score_sync = std::string(v->get_string());
  if (const auto* v = s->if_contains("sync_version"); v && v->is_int64()) w.sync_version = static_cast<int>(v->get_int64());
  return w;
}

void ElasticsearchDefenderStore::save_watermarks(const DefenderWatermarks& w) {
  prepare_index();
  json::value state = json::object{{"doc_type", "sync_state"},
                                   {"last_alert_sync", w.last_alert_sync ? json::value(*w.last_alert_sync) : json::value(nullptr)},
                                   {"last_score_sync", w.last_score_sync ? json::value(*w.last_score_sync) : json::value(nullptr)},
                                   {"sync_version", w.sync_version}};
  cluster_.call("PUT", document_path(index_, "_doc", kStateId) + "?refresh=wait_for", &state, Idempotent::Yes);
}

bool ElasticsearchDefenderStore::hold_sync_lease(const std::string& owner, std::int64_t now_ms, std::int64_t ttl_ms) {
  prepare_index();
  const std::string lease = json::serialize(
      json::object{{"doc_type", "sync_lease"}, {"owner", owner}, {"expires_at_ms", now_ms + ttl_ms}});
  const EsReply current = cluster_.send("GET", document_path(index_, "_doc", kLeaseId), "", Idempotent::Yes);
  if (current.status == 404) {
    const EsReply created = cluster_.send("PUT", document_path(index_, "_create", kLeaseId) + "?refresh=wait_for", lease, Idempotent::No);
    if (created.status == 409) return false;  // another instance took it first
    cluster_.answer_of(created);
    return true;
  }
  const json::value doc = cluster_.answer_of(current);
  const auto* o = doc.if_object();
  const auto* source = o && o->contains("_source") ? o->at("_source").if_object() : nullptr;
  const auto* seq_no = o ? o->if_contains("_seq_no") : nullptr;
  const auto* term = o ? o->if_contains("_primary_term") : nullptr;
  if (!source || !seq_no || !term) throw BackendUnavailable("Elasticsearch answered GET _doc without its version");
  const auto* holder = source->if_contains("owner");
  const auto* expires = source->if_contains("expires_at_ms");
  const bool mine = holder && holder->is_string() && holder->get_string() == owner;
  const bool expired = !expires || !expires->is_number() || expires->to_number<std::int64_t>() <= now_ms;
  if (!mine && !expired) return false;
  const EsReply written = cluster_.send("PUT", document_path(index_, "_doc", kLeaseId) + "?if_seq_no=" + json::serialize(*seq_no) +
                                                   "&if_primary_term=" + json::serialize(*term) + "&refresh=wait_for",
                                        lease, Idempotent::No);
  if (written.status == 409) return false;  // renewed or taken by another meanwhile
  cluster_.answer_of(written);
  return true;
}

}  // namespace achilles::elasticsearch
