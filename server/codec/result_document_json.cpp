#include "codec/result_document_json.hpp"

#include <openssl/evp.h>

#include <boost/json.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <cmath>
#include <fmt/format.h>

#include "achilles/query/date_math.hpp"

namespace achilles::server {
namespace json = boost::json;
using elasticsearch::decode_result_source;

std::string content_id(const json::object& source) {
  const std::string canonical = json::serialize(source);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(canonical.data(), canonical.size(), digest, &length, EVP_sha256(), nullptr);
  std::string id = "sha256-";
  for (unsigned int i = 0; i < 20; ++i) id += fmt::format("{:02x}", digest[i]);
  return id;
}

LineReading read_result_line(std::string_view line) {
  LineReading r;
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return r;
  // One arena per line: parsing allocates nothing from the heap for typical documents.
  unsigned char arena[8192];
  json::monotonic_resource memory(arena, sizeof arena);
  json::error_code ec;
  json::value parsed = json::parse(line, ec, &memory);
  auto invalid = [&](std::string reason) {
    r.kind = LineReading::Kind::Invalid;
    r.reason = std::move(reason);
    return r;
  };
  if (ec) return invalid("not valid JSON: " + ec.message());
  if (!parsed.is_object()) return invalid("not a JSON object");
  const json::object& obj = parsed.get_object();

  // Bulk action line: {"index":{...}} or {"create":{...}}.
  if (obj.size() == 1) {
    const auto& [key, value] = *obj.begin();
    if ((key == "index" || key == "create") && value.is_object()) {
      const auto& meta = value.get_object();
      if (auto it = meta.find("_id"); it != meta.end()) {
        if (!it->value().is_string() || it->value().get_string().empty())
          return invalid("bulk action _id must be a non-empty string");
        r.action_id = std::string(it->value().get_string());
      }
      r.action_on_stored = key == "create" ? OnStoredId::Keep : OnStoredId::Replace;
      r.kind = LineReading::Kind::Action;
      return r;
    }
    if ((key == "update" || key == "delete") && value.is_object())
      return invalid(fmt::format("bulk action '{}' is not supported (use index or create)", std::string(key)));
  }

  const json::object* source = &obj;
  // A search hit: {"_id":…,"_source":{…}}.
  if (auto src = obj.find("_source"); src != obj.end() && src->value().is_object()) {
    if (auto hit_id = obj.find("_id"); hit_id != obj.end() && hit_id->value().is_string())
      r.document.id = std::string(hit_id->value().get_string());
    source = &src->value().get_object();
  }
  if (auto error = decode_result_source(*source, r.document)) return invalid(*error);
  r.content_id = content_id(*source);
  r.kind = LineReading::Kind::Document;
  return r;
}

ResultLineReader::Outcome ResultLineReader::accept(LineReading r, std::size_t number) {
  switch (r.kind) {
    case LineReading::Kind::Blank: return std::monostate{};
    case LineReading::Kind::Invalid:
      pending_id_.reset();
      return Invalid{number, std::move(r.reason)};
    case LineReading::Kind::Action:
      if (pending_id_) {
        pending_id_.reset();
        return Invalid{number, "bulk action line where its document was expected"};
      }
      pending_id_ = std::move(r.action_id);
      pending_on_stored_ = r.action_on_stored;
      pending_line_ = number;
      return std::monostate{};
    case LineReading::Kind::Document: break;
  }
  IncomingResult in{std::move(r.document), pending_id_ ? pending_on_stored_ : OnStoredId::Replace};
  if (pending_id_ && !pending_id_->empty()) in.document.id = std::move(*pending_id_);  // the action's id wins
  if (in.document.id.empty()) in.document.id = std::move(r.content_id);
  pending_id_.reset();
  return Outcome(std::in_place_type<IncomingResult>, std::move(in));
}

std::optional<ResultLineReader::Invalid> ResultLineReader::finish() {
  if (!pending_id_) return std::nullopt;
  pending_id_.reset();
  return Invalid{pending_line_, "bulk action line without a document after it"};
}

}  // namespace achilles::server
