#include <boost/json.hpp>
#include <cstdio>
#include <string>

#include "achilles/demo/demo_results.hpp"
#include "achilles/ports/clock.hpp"
#include "cli/commands.hpp"
#include "codec/result_document_json.hpp"
#include "json/js_json.hpp"

namespace achilles::server {

// Writes an Elasticsearch bulk file: an index action with the document id,
// then the `_source`. `achilles import` reads it, and so does ES's _bulk API.
int demo_data_command(const std::vector<std::string>& args) {
  DemoOptions options;
  options.now_ms = SystemClock().now_ms();
  bool have_count = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    auto value = [&]() -> const std::string& {
      if (i + 1 >= args.size()) throw UsageError{args[i] + " needs a value"};
      return args[++i];
    };
    try {
      if (args[i] == "--executions") {
        options.executions = std::stoull(value());
        have_count = true;
      } else if (args[i] == "--seed") {
        options.seed = std::stoull(value());
      } else if (args[i] == "--days") {
        options.days = std::stoi(value());
        if (options.days < 1) throw UsageError{"--days must be at least 1"};
      } else if (args[i] == "--now") {
        options.now_ms = std::stoll(value());  // epoch ms; reproducible fixtures
      } else {
        throw UsageError{"unknown option for demo-data: " + args[i]};
      }
    } catch (const std::logic_error&) {
      throw UsageError{args[i - 1] + " needs a number"};
    }
  }
  if (!have_count) throw UsageError{"demo-data needs --executions N"};

  std::string buffer;
  buffer.reserve(1 << 20);
  generate_demo_results(options, [&](const ResultDocument& doc) {
    buffer += to_json(boost::json::object{{"index", boost::json::object{{"_id", doc.id}}}});
    buffer += '\n';
    buffer += to_json(encode_result_source(doc));
    buffer += '\n';
    if (buffer.size() > (1 << 20) - 4096) {
      std::fwrite(buffer.data(), 1, buffer.size(), stdout);
      buffer.clear();
    }
  });
  std::fwrite(buffer.data(), 1, buffer.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}

}  // namespace achilles::server
