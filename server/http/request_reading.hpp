#pragma once
// How a request comes off the wire: the parser's limits, the head as the API
// sees it, and what a read error is answered with. The server's sessions and
// the raw-bytes fuzz target (fuzz/fuzz_http_request.cpp) share this, so what
// is fuzzed is what is served.
#include <boost/beast/http.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http/exchange.hpp"
#include "http/http_server.hpp"

namespace achilles::server {

using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// Chunk extensions carry nothing we read; more than this per chunk is refused.
constexpr std::size_t kMaxChunkExtensionBytes = 1024;

// The most a connection's read buffer may hold: a whole header, then a chunk
// header or the trailers. Body bytes go straight into the body, so a
// connection costs at most this plus its body limit.
std::size_t read_buffer_bytes(const HttpLimits& limits);

// Refuses chunk extensions over kMaxChunkExtensionBytes. The parser keeps a
// reference: it must outlive the parser.
struct ChunkExtensionCheck {
  void operator()(std::uint64_t size, std::string_view extensions, boost::system::error_code& ec) const;
};

// Header and body limits, and the chunk check.
void limit_parser(RequestParser& parser, const HttpLimits& limits, ChunkExtensionCheck& check);

// The head of a parsed request, without its body. HEAD reads as GET (the
// reply is sent without its body).
HttpRequest request_head(const RequestParser::value_type& request, std::string remote_address);

// A JSON error reply.
HttpResponse error_reply(unsigned status, std::string_view message);

// What a failed read is answered with; nullopt when the peer went away or
// ran out of time, and the connection just closes.
std::optional<HttpResponse> answer_to_read_error(const boost::system::error_code& ec);

}  // namespace achilles::server
