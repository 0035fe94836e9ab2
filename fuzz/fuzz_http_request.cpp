// Raw bytes off a socket, through the server's own request reading
// (http/request_reading: parser limits, chunk checks, the capped read
// buffer), the admission check and the API. The first byte sets how many
// bytes each simulated read delivers, so messages split at every place.
#include <boost/beast/core/flat_buffer.hpp>
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include "fuzz_world.hpp"
#include "http/request_reading.hpp"

using namespace achilles;
using namespace achilles::server;
namespace beast = boost::beast;
namespace beast_http = beast::http;

namespace {

// Feeds `parser` from `input` through `buffer` until `done()` or an error,
// as the session's reads do; false when the input ends first or fails.
template <typename Done>
bool read_until(RequestParser& parser, beast::flat_buffer& buffer, std::string_view& input, std::size_t step,
                Done done, boost::system::error_code& ec) {
  while (!done()) {
    if (buffer.size() > 0) {
      const auto used = parser.put(buffer.data(), ec);
      buffer.consume(used);
      if (ec == beast_http::error::need_more) ec = {};
      else if (ec) return false;
      if (done()) return true;
      if (used > 0) continue;
    }
    if (input.empty()) {
      parser.put_eof(ec);
      return !ec && done();
    }
    if (buffer.size() >= buffer.max_size()) {
      ec = beast_http::error::buffer_overflow;
      return false;
    }
    const std::size_t n = std::min({step, input.size(), buffer.max_size() - buffer.size()});
    std::memcpy(buffer.prepare(n).data(), input.data(), n);
    buffer.commit(n);
    input.remove_prefix(n);
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fuzz::FuzzWorld world;
  if (size == 0) return 0;
  const std::size_t step = 1 + data[0] % 64;
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);

  HttpLimits limits;
  limits.header_bytes = 2048;  // small limits, so the fuzzer reaches them
  limits.body_bytes = 4096;
  ChunkExtensionCheck chunk_check;
  beast::flat_buffer buffer(read_buffer_bytes(limits));
  // Keep-alive: several requests may follow one another on the connection.
  for (int requests = 0; requests < 4 && !input.empty(); ++requests) {
    RequestParser parser;
    limit_parser(parser, limits, chunk_check);
    boost::system::error_code ec;
    if (!read_until(parser, buffer, input, step, [&] { return parser.is_header_done(); }, ec)) {
      if (ec) fuzz::check_answer(answer_to_read_error(ec).value_or(error_reply(400, "closed")));
      return 0;
    }
    HttpRequest request = request_head(parser.get(), "127.0.0.1");
    if (auto refusal = world.app->admit(request)) {
      fuzz::check_answer(*refusal);
      return 0;  // the body is never read
    }
    if (!read_until(parser, buffer, input, step, [&] { return parser.is_done(); }, ec)) {
      if (ec) fuzz::check_answer(answer_to_read_error(ec).value_or(error_reply(400, "closed")));
      return 0;
    }
    request.body = parser.get().body();
    // A connection test dials the host named in its body: network waits, not parsing.
    if (request.target.starts_with("/api/analytics/settings/test")) return 0;
    fuzz::check_answer(world.app->handle(request));
    if (request.target.starts_with("/api/analytics/settings")) world.forget_settings();
    if (!parser.get().keep_alive()) return 0;
  }
  return 0;
}
