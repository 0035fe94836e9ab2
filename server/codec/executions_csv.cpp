#include "codec/executions_csv.hpp"

#include <array>
#include <boost/json.hpp>

#include "codec/analytics_json.hpp"
#include "json/js_json.hpp"

namespace achilles::server {
namespace json = boost::json;
namespace {

// The flat executions table's fields (GET /executions/paginated), in order.
constexpr std::array<std::string_view, 25> kColumns{
    "timestamp", "test_uuid", "test_name", "hostname", "org", "is_protected", "error_code", "error_name", "category",
    "subcategory", "severity", "techniques", "tactics", "target", "complexity", "threat_actor", "tags", "score",
    "bundle_id", "bundle_name", "control_id", "control_validator", "is_bundle_control", "defender_detected",
    "defender_stage_detected"};

std::string cell_of(const json::value* v) {
  if (!v || v->is_null()) return "";
  if (v->is_string()) return csv_cell(v->get_string(), true);
  if (v->is_array()) {
    std::string joined;
    for (const auto& item : v->get_array()) {
      if (!joined.empty()) joined += "; ";
      joined += item.is_string() ? std::string(item.get_string()) : to_json(item);
    }
    return csv_cell(joined, true);
  }
  return csv_cell(to_json(*v), false);  // numbers as the JSON API writes them, true/false
}

}  // namespace

std::string csv_cell(std::string_view value, bool text) {
  std::string cell;
  if (text && !value.empty() &&
      (value.front() == '=' || value.front() == '+' || value.front() == '-' || value.front() == '@' ||
       value.front() == '\t' || value.front() == '\r'))
    cell += '\'';
  cell += value;
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string executions_csv_header() {
  std::string out;
  for (const auto& column : kColumns) {
    if (!out.empty()) out += ',';
    out += column;
  }
  return out + "\r\n";
}

std::string executions_csv_rows(const std::vector<ResultDocument>& documents) {
  std::string out;
  for (const auto& doc : documents) {
    const json::object row = enriched_execution_json(doc);
    for (std::size_t i = 0; i < kColumns.size(); ++i) {
      if (i) out += ',';
      out += cell_of(row.if_contains(kColumns[i]));
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace achilles::server
