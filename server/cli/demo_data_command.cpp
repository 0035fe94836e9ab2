#include <boost/json.hpp>
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "achilles/demo/demo_defender.hpp"
#include "achilles/demo/demo_results.hpp"
#include "achilles/embedded/sqlite_defender_store.hpp"
#include "achilles/ports/clock.hpp"
#include "cli/commands.hpp"
#include "codec/result_document_json.hpp"
#include "json/js_json.hpp"

namespace achilles::server {

namespace {

// The options both demo verbs take, so one command line gives the executions
// and the Defender data that goes with them. `data_dir`: demo-defender only.
DemoOptions demo_options(const std::vector<std::string>& args, const char* verb, std::filesystem::path* data_dir,
                         std::size_t* alerts = nullptr) {
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
      } else if (args[i] == "--data-dir" && data_dir) {
        *data_dir = value();
      } else if (args[i] == "--alerts" && alerts) {
        *alerts = std::stoull(value());
      } else {
        throw UsageError{std::string("unknown option for ") + verb + ": " + args[i]};
      }
    } catch (const std::logic_error&) {
      throw UsageError{args[i - 1] + " needs a number"};
    }
  }
  if (!have_count) throw UsageError{std::string(verb) + " needs --executions N"};
  return options;
}

}  // namespace

// Writes an Elasticsearch bulk file: an index action with the document id,
// then the `_source`. `achilles import` reads it, and so does ES's _bulk API.
int demo_data_command(const std::vector<std::string>& args) {
  const DemoOptions options = demo_options(args, "demo-data", nullptr);

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

// Stores the Defender data that goes with `demo-data` of the same options in
// the data dir, as a sync would have stored it.
int demo_defender_command(const std::vector<std::string>& args) {
  std::filesystem::path data_dir = "./data";
  std::size_t alerts = 0;
  const DemoOptions options = demo_options(args, "demo-defender", &data_dir, &alerts);
  const auto data = generate_demo_defender(options, alerts);
  std::filesystem::create_directories(data_dir);
  std::filesystem::permissions(data_dir, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace);
  embedded::SqliteDefenderStore store(data_dir / "results.db");
  store.put_secure_scores(data.secure_scores);
  store.replace_control_profiles(data.control_profiles);
  store.upsert_alerts(data.alerts);
  std::cout << fmt::format("stored {} secure scores, {} control profiles and {} alerts", data.secure_scores.size(),
                           data.control_profiles.size(), data.alerts.size())
            << std::endl;
  return 0;
}

}  // namespace achilles::server
