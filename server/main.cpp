#include <sys/stat.h>

#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/settings_catalog.hpp"

namespace {

constexpr const char* kUsage = R"(usage:
  achilles serve [--data-dir DIR] [--listen HOST:PORT] [--threads N]
  achilles import [--data-dir DIR] [--skip-invalid] FILE... (- reads stdin)
  achilles demo-data --executions N [--seed S] [--days D] [--now EPOCH-MS]
  achilles demo-defender --executions N [--seed S] [--days D] [--now EPOCH-MS] [--alerts N] [--data-dir DIR]
  achilles api-key create --name NAME [--scope read|read-write] [--expires ISO-TIME] [--org ORG] [--data-dir DIR]
  achilles api-key list [--data-dir DIR]
  achilles api-key revoke ID [--data-dir DIR]
  achilles --help
)";

// The verbs, then every setting with its default.
void print_help() {
  std::cout << kUsage << "\nsettings (environment variables; `serve` reads them):\n";
  for (const auto& s : achilles::server::kSettings) {
    std::cout << "  " << s.name << "\n      " << s.meaning;
    if (!s.fallback.empty()) std::cout << " (default: " << s.fallback << ")";
    std::cout << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  // Everything the process creates (the data dir, results.db and its -wal and
  // -shm files, settings, tokens) is private to its user.
  ::umask(077);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_help();
    return 0;
  }
  const std::string verb = args[0];
  args.erase(args.begin());
  try {
    if (verb == "serve") return achilles::server::serve_command(args);
    if (verb == "import") return achilles::server::import_command(args);
    if (verb == "demo-data") return achilles::server::demo_data_command(args);
    if (verb == "demo-defender") return achilles::server::demo_defender_command(args);
    if (verb == "api-key") return achilles::server::api_key_command(args);
    std::cerr << "achilles: unknown command '" << verb << "'\n" << kUsage;
    return 2;
  } catch (const achilles::server::UsageError& e) {
    std::cerr << "achilles " << verb << ": " << e.message << "\n" << kUsage;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "achilles " << verb << ": " << e.what() << "\n";
    return 1;
  }
}
