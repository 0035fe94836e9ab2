#pragma once
#include <string>
#include <vector>

namespace achilles::server {

// The verbs of the `achilles` binary; each returns the process exit code.
int serve_command(const std::vector<std::string>& args);
int import_command(const std::vector<std::string>& args);
int demo_data_command(const std::vector<std::string>& args);
int demo_defender_command(const std::vector<std::string>& args);
int api_key_command(const std::vector<std::string>& args);

// Thrown for a bad command line; main prints it with the usage.
struct UsageError {
  std::string message;
};

}  // namespace achilles::server
