#include "achilles/elasticsearch/elasticsearch_risk_acceptances.hpp"

#include <boost/json.hpp>

#include "achilles/elasticsearch/page_dsl.hpp"
#include "achilles/elasticsearch/risk_acceptance_source.hpp"
#include "achilles/errors.hpp"
#include "es_documents.hpp"

namespace achilles::elasticsearch {
namespace json = boost::json;
namespace {

constexpr std::size_t kListPage = 1'000;
// A revoke that loses the race this many times in a row gives up loudly.
constexpr int kRevokeAttempts = 5;

json::object term(std::string_view field, std::string_view value) {
  return json::object{{"term", json::object{{field, value}}}};
}

}  // namespace

json::object risk_acceptance_list_request(const RiskAcceptanceQuery& q, std::size_t page_size, const json::array* search_after,
                                          std::string_view org_field) {
  json::array filter;
  if (q.status) filter.push_back(term("status", risk_status_name(*q.status)));
  if (q.test_name) filter.push_back(term("test_name", *q.test_name));
  if (q.org_id) {
    // Its own org's records and those of no org.
    // An empty org_id reads as no org (decode_risk_acceptance), so it matches too.
    json::array either{term(org_field, *q.org_id), term(org_field, ""),
                       json::object{{"bool", json::object{{"must_not", json::array{json::object{
                                                                {"exists", json::object{{"field", org_field}}}}}}}}}};
    filter.push_back(json::object{{"bool", json::object{{"should", std::move(either)}, {"minimum_should_match", 1}}}});
  }
  json::object body{{"size", page_size},
                    {"query", json::object{{"bool", json::object{{"filter", std::move(filter)}}}}},
                    {"sort", json::array{json::object{{"accepted_at", json::object{{"order", "desc"}}}},
                                         json::object{{"acceptance_id", json::object{{"order", "desc"}}}}}}};
  if (search_after) body["search_after"] = *search_after;
  return body;
}

ElasticsearchRiskAcceptances::ElasticsearchRiskAcceptances(std::shared_ptr<EsTransport> transport, std::string index)
    : cluster_(std::move(transport)), index_(std::move(index)) {}

std::string ElasticsearchRiskAcceptances::document_path(std::string_view verb, const std::string& id) const {
  return elasticsearch::document_path(index_, verb, id);
}

void ElasticsearchRiskAcceptances::prepare_index_for_writes() {
  if (index_ready_) return;
  if (!cluster_.index_exists(index_)) cluster_.create_index(index_, risk_acceptances_index_body());
  if (!org_field(OrgFieldUse::Write)) throw BackendUnavailable("Elasticsearch index " + index_ + " vanished while it was being prepared");
  index_ready_ = true;
}

void ElasticsearchRiskAcceptances::forget_index() const {
  index_ready_ = false;
  std::lock_guard lock(org_field_mutex_);
  org_field_.reset();
}

std::optional<std::string> ElasticsearchRiskAcceptances::org_field(OrgFieldUse use) const {
  {
    std::lock_guard lock(org_field_mutex_);
    if (org_field_) return org_field_;
  }
  // Asked without the lock: a slow cluster must not queue every reader behind one request.
  const EsReply reply = cluster_.send("GET", "/" + index_segment(index_) + "/_mapping", "", Idempotent::Yes);
  if (index_missing(reply)) return std::nullopt;
  const json::value answer = cluster_.answer_of(reply);
  const json::object* org = nullptr;
  if (const auto* indices = answer.if_object(); indices && !indices->empty())
    if (const auto* mapping = indices->begin()->value().if_object())
      if (const auto* mappings = mapping->if_contains("mappings"); mappings && mappings->is_object())
        if (const auto* properties = mappings->get_object().if_contains("properties"); properties && properties->is_object())
          if (const auto* field = properties->get_object().if_contains("org_id")) org = field->if_object();
  auto type_of = [](const json::object* field) -> std::string {
    const auto* t = field ? field->if_contains("type") : nullptr;
    return t && t->is_string() ? std::string(t->get_string()) : std::string();
  };
  std::string found;
  if (!org) {
    // Not mapped yet: no record has an org, so a term on org_id finds none
    // and every record counts as of no org, which is right. Only a writer
    // maps it (as a keyword, before a record brings it in as text); a reader
    // may hold a read-only key. Not remembered: a record may map it next.
    if (use == OrgFieldUse::Read) return std::string("org_id");
    const json::value keyword = json::object{{"properties", json::object{{"org_id", json::object{{"type", "keyword"}}}}}};
    cluster_.call("PUT", "/" + index_segment(index_) + "/_mapping", &keyword, Idempotent::Yes);
    found = "org_id";
  } else if (type_of(org) == "keyword") {
    found = "org_id";
  } else {
    const auto* fields = org->if_contains("fields") ? org->at("fields").if_object() : nullptr;
    const auto* keyword = fields && fields->contains("keyword") ? fields->at("keyword").if_object() : nullptr;
    if (type_of(keyword) != "keyword")
      throw BackendRejected("Elasticsearch index " + index_ + " maps org_id as " + type_of(org) +
                            " without a keyword sub-field, so acceptances cannot be matched to an organisation exactly; "
                            "reindex it with org_id as a keyword");
    found = "org_id.keyword";
  }
  // A field's type cannot change while the index lives, so this holds until it is deleted.
  std::lock_guard lock(org_field_mutex_);
  org_field_ = found;
  return org_field_;
}

void ElasticsearchRiskAcceptances::insert(const RiskAcceptance& acceptance) {
  prepare_index_for_writes();
  const json::value body = encode_risk_acceptance(acceptance);
  // Not repeated on a lost answer: the second _create would call the first one a conflict.
  const EsReply reply = cluster_.send("PUT", document_path("_create", acceptance.acceptance_id) + "?refresh=wait_for",
                                      json::serialize(body), Idempotent::No);
  if (reply.status == 409) throw Conflict("Risk acceptance " + acceptance.acceptance_id + " already exists");
  cluster_.answer_of(reply);
}

std::optional<ElasticsearchRiskAcceptances::StoredRecord> ElasticsearchRiskAcceptances::read(const std::string& id) const {
  const EsReply reply = cluster_.send("GET", document_path("_doc", id), "", Idempotent::Yes);
  if (reply.status == 404) return std::nullopt;  // no such record, or no index yet
  const json::value doc = cluster_.answer_of(reply);
  const auto* o = doc.if_object();
  const auto* source = o && o->if_contains("_source") ? o->at("_source").if_object() : nullptr;
  if (!source) return std::nullopt;
  const auto* seq_no = o->if_contains("_seq_no");
  const auto* primary_term = o->if_contains("_primary_term");
  if (!seq_no || !seq_no->is_number() || !primary_term || !primary_term->is_number())
    throw BackendUnavailable("Elasticsearch answered GET _doc without _seq_no and _primary_term");
  return StoredRecord{decode_risk_acceptance(*source, id), json::serialize(*seq_no), json::serialize(*primary_term)};
}

std::optional<RiskAcceptance> ElasticsearchRiskAcceptances::find(const std::string& id) const {
  auto stored = read(id);
  if (!stored) return std::nullopt;
  return std::move(stored->record);
}

bool ElasticsearchRiskAcceptances::revoke(const std::string& id, std::int64_t revoked_at_ms, const std::string& revoked_by,
                                          const std::string& revoked_by_name, const std::string& reason) {
  const json::value change = json::object{{"doc", encode_revocation(revoked_at_ms, revoked_by, revoked_by_name, reason)}};
  for (int attempt = 0; attempt < kRevokeAttempts; ++attempt) {
    const auto stored = read(id);
    if (!stored || !stored->record.is_active()) return false;
    const std::string target = document_path("_update", id) + "?if_seq_no=" + stored->seq_no +
                               "&if_primary_term=" + stored->primary_term + "&refresh=wait_for";
    const EsReply written = cluster_.send("POST", target, json::serialize(change), Idempotent::No);
    if (written.status == 409) continue;  // changed since we read it: read again
    if (written.status == 404) return false;
    cluster_.answer_of(written);
    return true;
  }
  throw BackendUnavailable("Risk acceptance " + id + " kept changing while it was being revoked; try again");
}

std::vector<RiskAcceptance> ElasticsearchRiskAcceptances::list(const RiskAcceptanceQuery& query) const {
  std::vector<RiskAcceptance> out;
  std::string org = "org_id";
  if (query.org_id) {
    const auto field = org_field(OrgFieldUse::Read);
    if (!field) return out;  // no index: no records
    org = *field;
  }
  std::optional<json::array> after;
  for (;;) {
    const json::value body = risk_acceptance_list_request(query, kListPage, after ? &*after : nullptr, org);
    const EsReply reply = cluster_.send("POST", "/" + index_segment(index_) + "/_search", json::serialize(body), Idempotent::Yes);
    if (index_missing(reply)) {
      forget_index();  // deleted under us: prepare it again before the next write
      return out;
    }
    const json::value answer = cluster_.answer_of(reply);
    const auto* page = answer.is_object() ? hits_in(answer.get_object()) : nullptr;
    if (!page) throw BackendUnavailable("Elasticsearch answered a risk acceptance search without hits");
    for (const auto& hit : *page) {
      if (!hit.is_object()) throw BackendUnavailable("Elasticsearch answered a risk acceptance search with a hit that is not an object");
      const auto& h = hit.get_object();
      const auto* source = h.if_contains("_source") ? h.at("_source").if_object() : nullptr;
      const auto* doc_id = h.if_contains("_id") ? h.at("_id").if_string() : nullptr;
      if (!source) throw BackendUnavailable("Elasticsearch answered a risk acceptance search with a hit without _source");
      out.push_back(decode_risk_acceptance(*source, doc_id ? std::string_view(*doc_id) : std::string_view()));
    }
    if (page->size() < kListPage) return out;
    const auto* sort = last_sort_values(*page);
    if (!sort) throw BackendUnavailable("Elasticsearch answered a sorted search without sort values");
    after = *sort;
  }
}

}  // namespace achilles::elasticsearch
