// REST endpoints of the fake: index administration, bulk, search family.
#include <algorithm>
#include <cctype>
#include <set>

#include "fakes/fake_es_cluster.hpp"

namespace achilles::testing::fake_elasticsearch_internal {
namespace {

const json::object kShards{{"total", 1}, {"successful", 1}, {"failed", 0}};

std::string percent_decode(std::string_view s) {
  const auto hex = [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : std::tolower(static_cast<unsigned char>(c)) - 'a' + 10;
  };
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto at = s.find(sep, start);
    out.emplace_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

bool glob(std::string_view pattern, std::string_view name) {
  if (pattern.empty()) return name.empty();
  if (pattern[0] == '*') {
    for (std::size_t i = 0; i <= name.size(); ++i) {
      if (glob(pattern.substr(1), name.substr(i))) return true;
    }
    return false;
  }
  return !name.empty() && pattern[0] == name[0] && glob(pattern.substr(1), name.substr(1));
}

json::object parse_object(const std::string& text, bool empty_ok = true) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    if (empty_ok) return {};
    fail(400, "parse_exception", "request body is required");
  }
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) fail(400, "x_content_parse_exception", "[1:1] failed to parse request body: " + ec.message());
  if (!v.is_object()) fail(400, "x_content_parse_exception", "request body must be a JSON object");
  return std::move(v.get_object());
}

std::vector<std::string> ndjson_lines(const std::string& body) {
  if (!body.empty() && body.back() != '\n') {
    fail(400, "illegal_argument_exception", "The bulk request must be terminated by a newline [\\n]");
  }
  std::vector<std::string> lines;
  for (auto& line : split(body, '\n')) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) lines.push_back(std::move(line));
  }
  return lines;
}

void check_name(const std::string& name) {
  if (name.empty() || name[0] == '_' || name[0] == '-' || name[0] == '+' ||
      std::any_of(name.begin(), name.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)) || c == '*' || c == ',' ||
                                                                c == ' ' || c == '"' || c == '\\' || c == '/' || c == '?'; })) {
    fail(400, "invalid_index_name_exception", "Invalid index name [" + name + "], must be lowercase and must not contain special characters",
         {{"index_uuid", "_na_"}, {"index", name}});
  }
}

// Values a mapped field refuses, as ES rejects the document at index time.
void check_document(const Index& index, const std::string& id, const json::object& source) {
  for (const auto& [path, type] : index.types) {
    if (type == FieldType::Keyword || type == FieldType::Dynamic || type == FieldType::Text) continue;
    for (const auto* raw : raw_values(source, path)) {
      if (!to_value(*raw, type)) {
        static const char* names[] = {"object", "date", "boolean", "long", "float", "keyword"};
        fail(400, "document_parsing_exception",
             "[1:1] failed to parse field [" + path + "] of type [" + names[static_cast<int>(type)] + "] in document with id '" + id +
                 "'. Preview of field's value: '" + describe(*raw) + "'");
      }
    }
  }
}

// A partial document into a stored one: objects merge field by field, anything else replaces.
void merge_into(json::object& into, const json::object& partial) {
  for (const auto& [key, value] : partial) {
    auto* current = into.if_contains(key);
    if (current && current->is_object() && value.is_object()) merge_into(current->as_object(), value.get_object());
    else into[key] = value;
  }
}

std::string serialize_size(const Index& index) {
  std::size_t bytes = 0;
  for (const auto& d : index.docs) bytes += json::serialize(d.source).size();
  return std::to_string(bytes);
}

}  // namespace

void Cluster::total_as_number(bool on) {
  std::lock_guard lock(mutex_);
  total_as_number_ = on;
}

void Cluster::max_buckets(std::size_t limit) {
  std::lock_guard lock(mutex_);
  max_buckets_ = limit;
}

std::size_t Cluster::document_count(const std::string& index) const {
  std::lock_guard lock(mutex_);
  const auto it = indices_.find(index);
  return it == indices_.end() ? 0 : it->second.docs.size();
}

Index& Cluster::create(const std::string& name) {
  check_name(name);
  Index& index = indices_[name];
  index.name = name;
  index.uuid = "fake-uuid-" + std::to_string(next_id_++) + "-" + name;
  return index;
}

std::vector<Index*> Cluster::resolve(std::string_view pattern) {
  std::set<std::string> names;
  for (const auto& raw : split(pattern, ',')) {
    const std::string item = percent_decode(raw);
    if (item.empty()) continue;
    if (item[0] == '-' && !names.empty()) {
      std::erase_if(names, [&](const std::string& n) { return glob(std::string_view(item).substr(1), n); });
    } else if (item == "_all" || item.find('*') != std::string::npos) {
      for (const auto& kv : indices_) {
        if (item == "_all" || glob(item, kv.first)) names.insert(kv.first);
      }
    } else if (indices_.contains(item)) {
      names.insert(item);
    } else {
      index_not_found(item);
    }
  }
  std::vector<Index*> out;
  for (const auto& n : names) out.push_back(&indices_.find(n)->second);
  return out;
}

Hits Cluster::hits_of(std::string_view pattern) {
  Hits hits;
  for (const Index* index : resolve(pattern)) {
    for (const auto& d : index->docs) hits.push_back({index, &d});
  }
  return hits;
}

json::value Cluster::bulk(const std::string& ndjson, const std::string& default_index) {
  const auto lines = ndjson_lines(ndjson);
  json::array items;
  bool errors = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const json::object action_line = parse_object(lines[i]);
    if (action_line.size() != 1) fail(400, "illegal_argument_exception", "Malformed action/metadata line [" + std::to_string(i + 1) + "]");
    const std::string action(action_line.begin()->key());
    const auto* meta = action_line.begin()->value().if_object();
    if (!meta || (action != "create" && action != "index" && action != "delete" && action != "update")) {
      fail(400, "illegal_argument_exception", "Malformed action/metadata line [" + std::to_string(i + 1) + "], expected a simple value for field [" + action + "]");
    }
    std::string index_name = default_index;
    if (const auto* n = meta->if_contains("_index"); n && n->is_string()) index_name = std::string(n->get_string());
    if (index_name.empty()) fail(400, "action_request_validation_exception", "Validation Failed: 1: index is missing;");
    std::string id;
    if (const auto* n = meta->if_contains("_id")) id = describe(*n);
    json::object source;
    if (action != "delete") {
      if (++i >= lines.size()) fail(400, "illegal_argument_exception", "Validation Failed: 1: no requests added;");
      source = parse_object(lines[i]);
    }
    if (id.empty()) id = "fake-id-" + std::to_string(next_id_++);

    json::object item{{"_index", index_name}, {"_id", id}};
    try {
      auto it = indices_.find(index_name);
      if (it == indices_.end()) {
        if (action == "delete") index_not_found(index_name);
        create(index_name);
        it = indices_.find(index_name);
      }
      Index& index = it->second;
      Document* existing = index.find(id);
      // An indexed or updated document: stored as it is now, with the item ES answers for it.
      auto store = [&](json::object doc) {
        check_document(index, id, doc);
        item["_version"] = existing ? existing->version + 1 : 1;
        item["result"] = existing ? "updated" : "created";
        item["_shards"] = kShards;
        item["_seq_no"] = next_id_++;
        item["_primary_term"] = 1;
        item["status"] = existing ? 200 : 201;
        const std::int64_t seq_no = item["_seq_no"].as_int64();
        if (existing) {
          existing->source = std::move(doc);
          existing->seq_no = seq_no;
          ++existing->version;
        } else {
          index.docs.push_back({id, std::move(doc), seq_no, 1});
        }
      };
      if (action == "delete") {
        item["result"] = existing ? "deleted" : "not_found";
        item["status"] = existing ? 200 : 404;
        if (existing) std::erase_if(index.docs, [&](const Document& d) { return d.id == id; });
      } else if (action == "update") {
        // {"doc": {...}, "doc_as_upsert": true}: the doc merged into the stored source, objects field by field.
        const auto* doc = source.if_contains("doc");
        if (!doc || !doc->is_object()) fail(400, "action_request_validation_exception", "Validation Failed: 1: script or doc is missing;");
        const auto* upsert = source.if_contains("doc_as_upsert");
        if (!existing && !(upsert && upsert->is_bool() && upsert->get_bool()))
          fail(404, "document_missing_exception", "[" + id + "]: document missing", {{"index_uuid", index.uuid}, {"shard", "0"}, {"index", index_name}});
        json::object merged = existing ? existing->source : json::object{};
        merge_into(merged, doc->get_object());
        store(std::move(merged));
      } else if (action == "create" && existing) {
        fail(409, "version_conflict_engine_exception", "[" + id + "]: version conflict, document already exists (current version [1])",
             {{"index_uuid", index.uuid}, {"shard", "0"}, {"index", index_name}});
      } else {
        store(std::move(source));
      }
    } catch (const EsError& e) {
      errors = true;
      json::object error{{"type", e.type}, {"reason", e.reason}};
      for (const auto& kv : e.extra) error[kv.key()] = kv.value();
      item["status"] = e.status;
      item["error"] = std::move(error);
    }
    items.push_back(json::object{{action, std::move(item)}});
  }
  return json::object{{"took", 1}, {"errors", errors}, {"items", std::move(items)}};
}

json::value Cluster::msearch(const std::string& ndjson, const std::string& default_pattern) {
  const auto lines = ndjson_lines(ndjson);
  json::array responses;
  for (std::size_t i = 0; i < lines.size(); i += 2) {
    const json::object header = parse_object(lines[i]);
    const json::object body = i + 1 < lines.size() ? parse_object(lines[i + 1]) : json::object{};
    std::string pattern = default_pattern;
    if (const auto* n = header.if_contains("index")) {
      if (n->is_string()) pattern = std::string(n->get_string());
      if (const auto* arr = n->if_array()) {
        pattern.clear();
        for (const auto& e : *arr) pattern += (pattern.empty() ? "" : ",") + describe(e);
      }
    }
    try {
      if (pattern.empty()) pattern = "_all";
      json::object answer = run_search(body, hits_of(pattern), {total_as_number_, max_buckets_});
      answer["status"] = 200;
      responses.push_back(std::move(answer));
    } catch (const EsError& e) {
      responses.push_back(error_body(e));
    }
  }
  return json::object{{"took", 1}, {"responses", std::move(responses)}};
}

json::value Cluster::reindex(const json::object& body) {
  const auto* source = body.if_contains("source");
  const auto* dest = body.if_contains("dest");
  if (!source || !source->is_object() || !dest || !dest->is_object() || !dest->get_object().if_contains("index")) {
    fail(400, "action_request_validation_exception", "Validation Failed: 1: use _all if you really want to copy from all existing indexes;");
  }
  const auto& s = source->get_object();
  std::string pattern;
  if (const auto* n = s.if_contains("index")) {
    if (n->is_string()) pattern = std::string(n->get_string());
    if (const auto* arr = n->if_array()) {
      for (const auto& e : *arr) pattern += (pattern.empty() ? "" : ",") + describe(e);
    }
  }
  const Hits hits = filter_hits(s.if_contains("query"), hits_of(pattern));
  // Copied first: the destination may be one of the sources.
  std::vector<Document> copies;
  for (const auto& h : hits) copies.push_back(*h.doc);
  const std::string dest_name = describe(dest->get_object().at("index"));
  if (!indices_.contains(dest_name)) create(dest_name);
  Index& target = indices_.find(dest_name)->second;
  std::int64_t created = 0, updated = 0;
  for (auto& d : copies) {
    check_document(target, d.id, d.source);
    d.seq_no = next_id_++;
    if (Document* existing = target.find(d.id)) {
      existing->source = std::move(d.source);
      existing->seq_no = d.seq_no;
      ++existing->version;
      ++updated;
    } else {
      d.version = 1;
      target.docs.push_back(std::move(d));
      ++created;
    }
  }
  return json::object{{"took", 1}, {"timed_out", false}, {"total", created + updated}, {"updated", updated}, {"created", created},
                      {"deleted", 0}, {"batches", 1}, {"version_conflicts", 0}, {"noops", 0},
                      {"retries", json::object{{"bulk", 0}, {"search", 0}}}, {"throttled_millis", 0},
                      {"requests_per_second", -1.0}, {"throttled_until_millis", 0}, {"failures", json::array{}}};
}

json::value Cluster::delete_by_query(std::string_view pattern, const json::object& body) {
  const auto* query = body.if_contains("query");
  if (!query) fail(400, "action_request_validation_exception", "Validation Failed: 1: query is missing;");
  const Hits hits = filter_hits(query, hits_of(pattern));
  std::map<Index*, std::set<std::string>> doomed;
  for (const auto& h : hits) doomed[const_cast<Index*>(h.index)].insert(h.doc->id);
  for (auto& [index, ids] : doomed) {
    std::erase_if(index->docs, [&ids = ids](const Document& d) { return ids.contains(d.id); });
  }
  const auto n = static_cast<std::int64_t>(hits.size());
  return json::object{{"took", 1}, {"timed_out", false}, {"total", n}, {"deleted", n}, {"batches", 1},
                      {"version_conflicts", 0}, {"noops", 0}, {"retries", json::object{{"bulk", 0}, {"search", 0}}},
                      {"throttled_millis", 0}, {"requests_per_second", -1.0}, {"throttled_until_millis", 0},
                      {"failures", json::array{}}};
}

json::value Cluster::cat_indices(std::string_view pattern, bool json_format, std::string& text) {
  json::array rows;
  for (const Index* index : resolve(pattern.empty() ? "_all" : pattern)) {
    const std::string size = serialize_size(*index);
    const std::string count = std::to_string(index->docs.size());
    rows.push_back(json::object{{"health", "green"}, {"status", "open"}, {"index", index->name}, {"uuid", index->uuid},
                                {"pri", "1"}, {"rep", "0"}, {"docs.count", count}, {"docs.deleted", "0"},
                                {"store.size", size}, {"pri.store.size", size}, {"dataset.size", size}});
    text += "green open " + index->name + " " + index->uuid + " 1 0 " + count + " 0 " + size + " " + size + " " + size + "\n";
  }
  if (!json_format) return nullptr;
  return rows;
}

Answer Cluster::handle(std::string_view method, std::string_view target, const std::string& body) {
  std::lock_guard lock(mutex_);
  const auto q = target.find('?');
  const std::string_view path = target.substr(0, q);
  const std::string_view query = q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
  int status = 200;
  try {
    if (method == "GET" && path.starts_with("/_cat/indices")) {
      std::string pattern(path.substr(std::string_view("/_cat/indices").size()));
      if (!pattern.empty() && pattern[0] == '/') pattern.erase(0, 1);
      const bool json_format = query.find("format=json") != std::string_view::npos;
      std::string text;
      const json::value rows = cat_indices(pattern, json_format, text);
      return {200, json_format ? json::serialize(rows) : text};
    }
    const json::value answer = route(method, path, query, status, body);
    return {status, answer.is_null() ? std::string() : json::serialize(answer)};
  } catch (const EsError& e) {
    return {e.status, method == "HEAD" ? std::string() : json::serialize(error_body(e))};
  }
}

json::value Cluster::route(std::string_view method, std::string_view path, std::string_view query, int& status,
                           const std::string& body) {
  std::vector<std::string> segments;
  for (auto& s : split(path, '/')) {
    if (!s.empty()) segments.push_back(std::move(s));
  }
  const auto wrong_method = [&](const char* allowed) -> json::value {
    fail(405, "method_not_allowed", "Incorrect HTTP method for uri [" + std::string(path) + "] and method [" + std::string(method) +
                                        "], allowed: [" + allowed + "]");
  };
  const bool get = method == "GET", post = method == "POST", head = method == "HEAD", put = method == "PUT";

  if (segments.empty()) {
    if (head) return nullptr;
    if (!get) return wrong_method("GET, HEAD");
    return json::object{{"name", "fake"}, {"cluster_name", "fake"}, {"cluster_uuid", "fake-cluster"},
                        {"version", json::object{{"number", "8.17.0"}, {"build_flavor", "default"}, {"lucene_version", "9.12.0"}}},
                        {"tagline", "You Know, for Search"}};
  }
  // The verb may follow an index pattern or stand alone (then it spans all indices).
  const std::string& last = segments.back();
  const bool verb_last = last[0] == '_' && segments.size() <= 2;
  const std::string pattern = verb_last && segments.size() == 2 ? segments[0] : std::string();
  if (verb_last) {
    if (last == "_bulk") {
      if (!post && !put) return wrong_method("POST, PUT");
      return bulk(body, percent_decode(pattern));
    }
    if (last == "_msearch") {
      if (!post && !get) return wrong_method("GET, POST");
      return msearch(body, percent_decode(pattern));
    }
    if (last == "_search") {
      if (!post && !get) return wrong_method("GET, POST");
      return search(pattern, body);
    }
    if (last == "_pit") {
      if (post && !pattern.empty()) return open_point_in_time(percent_decode(pattern));
      if (method == "DELETE" && pattern.empty()) return close_point_in_time(body);
      return wrong_method(pattern.empty() ? "DELETE" : "POST");
    }
    if (last == "_count") {
      if (!post && !get) return wrong_method("GET, POST");
      const json::object b = parse_object(body);
      for (const auto& kv : b) {
        if (kv.key() != "query") fail(400, "parsing_exception", "request does not support [" + std::string(kv.key()) + "]");
      }
      const Hits hits = filter_hits(b.if_contains("query"), hits_of(pattern.empty() ? "_all" : pattern));
      return json::object{{"count", static_cast<std::int64_t>(hits.size())},
                          {"_shards", json::object{{"total", 1}, {"successful", 1}, {"skipped", 0}, {"failed", 0}}}};
    }
    if (last == "_reindex" && pattern.empty()) {
      if (!post) return wrong_method("POST");
      return reindex(parse_object(body, false));
    }
    if (last == "_delete_by_query" && !pattern.empty()) {
      if (!post) return wrong_method("POST");
      return delete_by_query(pattern, parse_object(body, false));
    }
    if (last == "_refresh") {
      if (!post && !get) return wrong_method("GET, POST");
      (void)resolve(pattern.empty() ? "_all" : pattern);
      return json::object{{"_shards", kShards}};
    }
    if (last == "_mapping" && !pattern.empty() && get) {
      json::object out;
      for (const Index* index : resolve(pattern)) out[index->name] = json::object{{"mappings", index->mappings}};
      return out;
    }
    if (last == "_mapping" && !pattern.empty() && (put || post)) {
      const json::object b = parse_object(body, false);
      const auto* added = b.if_contains("properties");
      if (!added || !added->is_object()) fail(400, "mapper_parsing_exception", "Root mapping definition has unsupported parameters");
      for (Index* index : resolve(percent_decode(pattern))) {
        json::object mappings = index->mappings;
        json::value& properties = mappings["properties"];
        if (!properties.is_object()) properties = json::object{};
        for (const auto& field : added->get_object()) {
          auto* existing = properties.get_object().if_contains(field.key());
          const auto type_of_field = [](const json::value& f) {
            const auto* t = f.is_object() ? f.get_object().if_contains("type") : nullptr;
            return t && t->is_string() ? std::string(t->get_string()) : std::string("object");
          };
          if (existing && type_of_field(*existing) != type_of_field(field.value())) {
            fail(400, "illegal_argument_exception", "mapper [" + std::string(field.key()) + "] cannot be changed from type [" +
                                                        type_of_field(*existing) + "] to [" + type_of_field(field.value()) + "]");
          }
          if (!existing) properties.get_object()[field.key()] = field.value();
        }
        index->set_mappings(std::move(mappings));
      }
      return json::object{{"acknowledged", true}};
    }
    fail(400, "illegal_argument_exception", "no handler found for uri [" + std::string(path) + "] and method [" + std::string(method) + "]");
  }
  if (segments.size() == 3 && (segments[1] == "_doc" || segments[1] == "_create" || segments[1] == "_update"))
    return document_api(method, percent_decode(segments[0]), segments[1], percent_decode(segments[2]), query, body, status);
  if (segments.size() != 1) {
    fail(400, "illegal_argument_exception", "no handler found for uri [" + std::string(path) + "] and method [" + std::string(method) + "]");
  }
  const std::string name = percent_decode(segments[0]);
  if (head) {
    try {
      status = resolve(name).empty() ? 404 : 200;
    } catch (const EsError&) {
      status = 404;
    }
    return nullptr;
  }
  if (put) {
    const json::object b = parse_object(body);
    if (const auto it = indices_.find(name); it != indices_.end()) {
      fail(400, "resource_already_exists_exception", "index [" + name + "/" + it->second.uuid + "] already exists",
           {{"index_uuid", it->second.uuid}, {"index", name}});
    }
    json::object mappings;
    if (const auto* m = b.if_contains("mappings"); m && m->is_object()) mappings = m->get_object();
    create(name).set_mappings(std::move(mappings));
    return json::object{{"acknowledged", true}, {"shards_acknowledged", true}, {"index", name}};
  }
  if (method == "DELETE") {
    if (name.find('*') != std::string::npos || name == "_all") {
      fail(400, "illegal_argument_exception", "Wildcard expressions or all indices are not allowed");
    }
    for (const Index* index : resolve(name)) indices_.erase(index->name);
    return json::object{{"acknowledged", true}};
  }
  if (get) {
    json::object out;
    for (const Index* index : resolve(name)) {
      out[index->name] = json::object{
          {"aliases", json::object{}},
          {"mappings", index->mappings},
          {"settings", json::object{{"index", json::object{{"number_of_shards", "1"}, {"number_of_replicas", "0"},
                                                          {"uuid", index->uuid}, {"provided_name", index->name}}}}}};
    }
    return out;
  }
  return wrong_method("GET, HEAD, PUT, DELETE");
}

namespace {

std::optional<std::int64_t> query_number(std::string_view query, std::string_view name) {
  for (const auto& pair : split(query, '&')) {
    const auto eq = pair.find('=');
    if (eq == std::string::npos || std::string_view(pair).substr(0, eq) != name) continue;
    try {
      return std::stoll(pair.substr(eq + 1));
    } catch (const std::exception&) {
      fail(400, "illegal_argument_exception", "Failed to parse [" + std::string(name) + "] with value [" + pair.substr(eq + 1) + "]");
    }
  }
  return std::nullopt;
}

}  // namespace

json::value Cluster::document_api(std::string_view method, const std::string& index_name, std::string_view verb,
                                  const std::string& id, std::string_view query, const std::string& body, int& status) {
  const auto answer = [&](const Index& index, const Document& d, std::string_view result) {
    return json::object{{"_index", index.name}, {"_id", d.id},      {"_version", d.version}, {"result", result},
                        {"_shards", kShards},   {"_seq_no", d.seq_no}, {"_primary_term", 1}};
  };
  if (verb == "_create") {
    if (method != "PUT" && method != "POST") fail(405, "method_not_allowed", "Incorrect HTTP method for _create, allowed: [POST, PUT]");
    const json::object source = parse_object(body, false);
    if (!indices_.contains(index_name)) create(index_name);  // ES creates the index on first write
    Index& index = indices_.find(index_name)->second;
    if (const Document* existing = index.find(id)) {
      fail(409, "version_conflict_engine_exception",
           "[" + id + "]: version conflict, document already exists (current version [" + std::to_string(existing->version) + "])",
           {{"index_uuid", index.uuid}, {"shard", "0"}, {"index", index_name}});
    }
    check_document(index, id, source);
    index.docs.push_back({id, source, next_id_++, 1});
    status = 201;
    return answer(index, index.docs.back(), "created");
  }
  if (verb == "_doc" && (method == "PUT" || method == "POST")) {  // index: create or replace
    const json::object source = parse_object(body, false);
    if (!indices_.contains(index_name)) create(index_name);
    Index& index = indices_.find(index_name)->second;
    check_document(index, id, source);
    Document* stored = index.find(id);
    const auto if_seq_no = query_number(query, "if_seq_no");
    if (if_seq_no && (!stored || *if_seq_no != stored->seq_no))
      fail(409, "version_conflict_engine_exception",
           "[" + id + "]: version conflict, required seqNo [" + std::to_string(*if_seq_no) + "]",
           {{"index_uuid", index.uuid}, {"shard", "0"}, {"index", index_name}});
    if (Document* existing = stored) {
      existing->source = source;
      existing->seq_no = next_id_++;
      ++existing->version;
      return answer(index, *existing, "updated");
    }
    index.docs.push_back({id, source, next_id_++, 1});
    status = 201;
    return answer(index, index.docs.back(), "created");
  }
  const auto it = indices_.find(index_name);
  if (it == indices_.end()) index_not_found(index_name);
  Index& index = it->second;
  Document* doc = index.find(id);
  if (verb == "_doc") {
    if (method != "GET") fail(405, "method_not_allowed", "Incorrect HTTP method for _doc in this fake, allowed: [GET]");
    if (!doc) {
      status = 404;
      return json::object{{"_index", index.name}, {"_id", id}, {"found", false}};
    }
    return json::object{{"_index", index.name}, {"_id", id},     {"_version", doc->version}, {"_seq_no", doc->seq_no},
                        {"_primary_term", 1},   {"found", true}, {"_source", doc->source}};
  }
  // _update
  if (method != "POST") fail(405, "method_not_allowed", "Incorrect HTTP method for _update, allowed: [POST]");
  const json::object request = parse_object(body, false);
  const auto* partial = request.if_contains("doc");
  if (!partial || !partial->is_object()) fail(400, "action_request_validation_exception", "Validation Failed: 1: script or doc is missing;");
  if (!doc) {
    fail(404, "document_missing_exception", "[" + id + "]: document missing", {{"index_uuid", index.uuid}, {"shard", "0"}, {"index", index_name}});
  }
  const auto if_seq_no = query_number(query, "if_seq_no");
  const auto if_primary_term = query_number(query, "if_primary_term");
  if ((if_seq_no && *if_seq_no != doc->seq_no) || (if_primary_term && *if_primary_term != 1)) {
    fail(409, "version_conflict_engine_exception",
         "[" + id + "]: version conflict, required seqNo [" + std::to_string(if_seq_no.value_or(-2)) + "], primary term [" +
             std::to_string(if_primary_term.value_or(0)) + "]. current document has seqNo [" + std::to_string(doc->seq_no) +
             "] and primary term [1]",
         {{"index_uuid", index.uuid}, {"shard", "0"}, {"index", index_name}});
  }
  json::object merged = doc->source;
  merge_into(merged, partial->get_object());
  if (merged == doc->source) return answer(index, *doc, "noop");
  check_document(index, id, merged);
  doc->source = std::move(merged);
  doc->seq_no = next_id_++;
  ++doc->version;
  return answer(index, *doc, "updated");
}

// Points in time see the documents of the moment of the search rather than a
// frozen copy: enough for the adapter's page walks, which do not write.
json::value Cluster::open_point_in_time(const std::string& pattern) {
  (void)resolve(pattern);  // 404 when nothing matches, as ES answers
  const std::string id = "fake-pit-" + std::to_string(next_id_++);
  points_in_time_[id] = pattern;
  return json::object{{"id", id}};
}

json::value Cluster::close_point_in_time(const std::string& body) {
  const json::object b = parse_object(body, false);
  const auto* id = b.if_contains("id");
  if (!id || !id->is_string()) fail(400, "action_request_validation_exception", "Validation Failed: 1: point in time id is missing;");
  const bool freed = points_in_time_.erase(std::string(id->get_string())) > 0;
  return json::object{{"succeeded", true}, {"num_freed", freed ? 1 : 0}};
}

json::value Cluster::search(const std::string& pattern, const std::string& body) {
  json::object b = parse_object(body);
  const auto* pit = b.if_contains("pit");
  if (!pit) return run_search(b, hits_of(pattern.empty() ? "_all" : pattern), {total_as_number_, max_buckets_});
  if (!pattern.empty()) fail(400, "action_request_validation_exception", "Validation Failed: 1: [indices] cannot be used with point in time;");
  const auto* id = pit->is_object() ? pit->get_object().if_contains("id") : nullptr;
  const auto it = id && id->is_string() ? points_in_time_.find(std::string(id->get_string())) : points_in_time_.end();
  if (it == points_in_time_.end()) fail(404, "search_context_missing_exception", "No search context found for id [" + (id ? describe(*id) : std::string()) + "]");
  if (b.if_contains("search_after") && b.if_contains("from") && b.at("from") != 0) fail(400, "action_request_validation_exception", "Validation Failed: 1: using [from] is not allowed in a point in time search with [search_after];");
  json::object answer = run_search(b, hits_of(it->second), {total_as_number_, max_buckets_});
  answer["pit_id"] = it->first;
  return answer;
}

}  // namespace achilles::testing::fake_elasticsearch_internal
