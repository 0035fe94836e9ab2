// What Microsoft Graph (or something pretending to be it) may answer: any
// JSON through the readers of secure scores, control profiles and alerts,
// the documents the sync makes of them, and their JSON as stored, which must
// read back to the same documents.
#include <boost/json.hpp>
#include <cstdint>
#include <string>

#include "achilles/defender_json/defender_document_json.hpp"
#include "achilles/graph/graph_items_json.hpp"

using namespace achilles;
namespace json = boost::json;

namespace {

template <typename Document, typename Decode>
void round_trip(const Document& d, Decode decode) {
  const auto back = decode(defender_json::encode(d), d.id);
  if (!back || !(*back == d)) __builtin_trap();
}

void each_item(const json::value& item) {
  round_trip(secure_score_document(graph::secure_score_of(item)), defender_json::decode_secure_score);
  round_trip(control_profile_document(graph::control_profile_of(item), "t", "2026-11-30T08:00:00.000Z"),
             defender_json::decode_control_profile);
  round_trip(alert_document(graph::alert_of(item), "t"), defender_json::decode_alert);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  boost::system::error_code ec;
  const json::value page = json::parse(std::string_view(reinterpret_cast<const char*>(data), size), ec);
  if (ec) return 0;
  each_item(page);
  if (const auto* o = page.if_object())
    if (const auto* items = o->if_contains("value"); items && items->is_array())
      for (const auto& item : items->get_array()) each_item(item);
  return 0;
}
