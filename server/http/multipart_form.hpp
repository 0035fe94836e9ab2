#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace achilles::server {

struct FormPart {
  std::optional<std::string> filename;  // a file field
  std::string content;
};

// A multipart/form-data body (RFC 7578) as browsers send it: the parts by
// field name (the first of a repeated name wins). nullopt when the
// Content-Type names no boundary or the body does not follow it. At most
// 16 parts; the body's size is the HTTP layer's limit.
std::optional<std::map<std::string, FormPart>> parse_multipart_form(std::string_view content_type, std::string_view body);

}  // namespace achilles::server
