// Lines of an import file: a _source, a bulk action, a search hit, or junk.
// Every line must read as a document, an action, or a stated refusal.
#include <cstdint>
#include <sstream>
#include <string>

#include "codec/result_document_json.hpp"

using namespace achilles::server;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  ResultLineReader reader;
  std::istringstream lines(text);
  std::string line;
  std::size_t number = 0;
  while (std::getline(lines, line)) {
    auto outcome = reader.feed(line, ++number);
    if (auto* in = std::get_if<IncomingResult>(&outcome)) {
      // A document read must encode and read back to itself.
      achilles::ResultDocument back;
      if (decode_result_source(encode_result_source(in->document), back)) __builtin_trap();
    }
  }
  (void)reader.finish();
  return 0;
}
