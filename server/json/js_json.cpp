#include "json/js_json.hpp"

#include <boost/json.hpp>

#include "achilles/text/js_number.hpp"
#include "achilles/text/json_text.hpp"

namespace achilles::server {
namespace {

void write(const boost::json::value& v, std::string& out) {
  switch (v.kind()) {
    case boost::json::kind::null: out += "null"; break;
    case boost::json::kind::bool_: out += v.get_bool() ? "true" : "false"; break;
    case boost::json::kind::int64: out += std::to_string(v.get_int64()); break;
    case boost::json::kind::uint64: out += std::to_string(v.get_uint64()); break;
    case boost::json::kind::double_: out += format_js_number(v.get_double()); break;
    // Strings through json_quoted: bytes from a request that are not UTF-8
    // (a percent-encoded %FF echoed in an error) never make the body invalid JSON.
    case boost::json::kind::string: out += json_quoted(v.get_string()); break;
    case boost::json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (!first) out += ',';
        first = false;
        write(item, out);
      }
      out += ']';
      break;
    }
    case boost::json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : v.get_object()) {
        if (!first) out += ',';
        first = false;
        out += json_quoted(key);
        out += ':';
        write(item, out);
      }
      out += '}';
      break;
    }
  }
}

}  // namespace

std::string to_json(const boost::json::value& value) {
  std::string out;
  write(value, out);
  return out;
}

}  // namespace achilles::server
