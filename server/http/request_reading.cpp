#include "http/request_reading.hpp"

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>

#include "achilles/text/json_text.hpp"

namespace achilles::server {
namespace http = boost::beast::http;

std::size_t read_buffer_bytes(const HttpLimits& limits) { return limits.header_bytes + 8 * 1024; }

void ChunkExtensionCheck::operator()(std::uint64_t, std::string_view extensions, boost::system::error_code& ec) const {
  if (extensions.size() > kMaxChunkExtensionBytes) ec = http::error::bad_chunk_extension;
}

void limit_parser(RequestParser& parser, const HttpLimits& limits, ChunkExtensionCheck& check) {
  parser.header_limit(static_cast<std::uint32_t>(limits.header_bytes));
  parser.body_limit(limits.body_bytes);
  parser.on_chunk_header(check);
}

HttpRequest request_head(const RequestParser::value_type& req, std::string remote_address) {
  HttpRequest head;
  head.method = std::string(req.method_string());
  if (head.method == "HEAD") head.method = "GET";
  head.target = std::string(req.target());
  head.authorization = std::string(req[http::field::authorization]);
  head.origin = std::string(req[http::field::origin]);
  head.content_type = std::string(req[http::field::content_type]);
  head.remote_address = std::move(remote_address);
  return head;
}

HttpResponse error_reply(unsigned status, std::string_view message) {
  return {status, R"({"success":false,"error":)" + json_quoted(message) + "}", {}};
}

std::optional<HttpResponse> answer_to_read_error(const boost::system::error_code& ec) {
  namespace asio = boost::asio;
  if (ec == http::error::end_of_stream || ec == boost::beast::error::timeout || ec == asio::error::connection_reset ||
      ec == asio::error::operation_aborted || ec == asio::error::eof || ec == http::error::partial_message)
    return std::nullopt;
  if (ec == http::error::header_limit) return error_reply(431, "Request header fields too large");
  if (ec == http::error::body_limit) return error_reply(413, "request entity too large");
  if (ec == http::error::buffer_overflow)
    return error_reply(431, "Request framing too large (chunk header or trailer fields)");
  if (ec == http::error::bad_chunk_extension)
    return error_reply(400, "Chunk extensions too large or malformed");
  return error_reply(400, "Malformed HTTP request");
}

}  // namespace achilles::server
