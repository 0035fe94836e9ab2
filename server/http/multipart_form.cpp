#include "http/multipart_form.hpp"

#include <algorithm>
#include <cctype>

namespace achilles::server {
namespace {

constexpr std::size_t kMaxParts = 16;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// `name="value"` (or unquoted) of a header's parameters.
std::optional<std::string> parameter(std::string_view header, std::string_view name) {
  const std::string lowered = lower(header);
  std::size_t at = 0;
  while ((at = lowered.find(name, at)) != std::string::npos) {
    const bool starts = at == 0 || lowered[at - 1] == ';' || lowered[at - 1] == ' ';
    const std::size_t eq = at + name.size();
    if (starts && eq < header.size() && header[eq] == '=') {
      std::size_t v = eq + 1;
      if (v < header.size() && header[v] == '"') {
        const auto end = header.find('"', v + 1);
        if (end == std::string_view::npos) return std::nullopt;
        return std::string(header.substr(v + 1, end - v - 1));
      }
      const auto end = header.find(';', v);
      std::string value(header.substr(v, end == std::string_view::npos ? std::string_view::npos : end - v));
      while (!value.empty() && value.back() == ' ') value.pop_back();
      return value;
    }
    at = eq;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::map<std::string, FormPart>> parse_multipart_form(std::string_view content_type, std::string_view body) {
  if (!lower(content_type).starts_with("multipart/form-data")) return std::nullopt;
  const auto boundary = parameter(content_type, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 200) return std::nullopt;
  const std::string delimiter = "--" + *boundary;
  std::map<std::string, FormPart> parts;
  std::size_t at = body.find(delimiter);
  if (at == std::string_view::npos) return std::nullopt;
  for (std::size_t count = 0;; ++count) {
    at += delimiter.size();
    if (body.substr(at, 2) == "--") return parts;  // the closing delimiter
    if (count >= kMaxParts || body.substr(at, 2) != "\r\n") return std::nullopt;
    at += 2;
    const auto headers_end = body.find("\r\n\r\n", at);
    if (headers_end == std::string_view::npos) return std::nullopt;
    const std::string_view headers = body.substr(at, headers_end - at);
    const auto next = body.find("\r\n" + delimiter, headers_end + 4);
    if (next == std::string_view::npos) return std::nullopt;
    std::optional<std::string> name, filename;
    std::size_t line = 0;
    while (line <= headers.size()) {
      const auto end = headers.find("\r\n", line);
      const std::string_view header = headers.substr(line, end == std::string_view::npos ? std::string_view::npos : end - line);
      if (lower(header).starts_with("content-disposition:")) {
        name = parameter(header, "name");
        filename = parameter(header, "filename");
      }
      if (end == std::string_view::npos) break;
      line = end + 2;
    }
    if (!name) return std::nullopt;
    parts.try_emplace(*name, FormPart{filename, std::string(body.substr(headers_end + 4, next - headers_end - 4))});
    at = next + 2;
  }
}

}  // namespace achilles::server
