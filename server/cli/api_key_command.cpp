// achilles api-key create|list|revoke: API keys for operators at the
// console, the same store and rules as /api/api-keys.
#include <filesystem>
#include <iostream>

#include "achilles/embedded/sqlite_api_keys.hpp"
#include "achilles/errors.hpp"
#include "achilles/local_token/openssl_api_key_mint.hpp"
#include "achilles/query/date_math.hpp"
#include "achilles/services/api_key_service.hpp"
#include "cli/commands.hpp"

namespace achilles::server {
namespace {

std::string time_text(const std::optional<std::int64_t>& ms) { return ms ? format_iso_millis(*ms) : "-"; }

}  // namespace

int api_key_command(const std::vector<std::string>& args) {
  if (args.empty()) throw UsageError{"api-key needs create, list or revoke"};
  const std::string action = args[0];
  std::filesystem::path data_dir = "./data";
  CreateApiKeyRequest request;
  std::string org;
  std::vector<std::string> positional;
  for (std::size_t i = 1; i < args.size(); ++i) {
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) throw UsageError{args[i] + " needs a value"};
      return args[++i];
    };
    if (args[i] == "--data-dir") data_dir = value();
    else if (args[i] == "--name") request.name = value();
    else if (args[i] == "--scope") request.scope = value();
    else if (args[i] == "--expires") request.expires_at = value();
    else if (args[i] == "--org") org = value();
    else if (args[i].starts_with("--")) throw UsageError{"unknown option " + args[i]};
    else positional.push_back(args[i]);
  }
  if (!std::filesystem::exists(data_dir / "results.db") && action != "create")
    throw std::runtime_error("no store in " + data_dir.string() + " (run achilles serve or import first)");
  std::filesystem::create_directories(data_dir);
  embedded::SqliteApiKeys store(data_dir / "results.db", embedded::SqliteApiKeys::Access::ReadWrite,
                                std::chrono::seconds(30));
  const local_token::OpenSslApiKeyMint mint;
  SystemClock clock;
  ApiKeyService service(store, mint, clock);
  // The console is the operator: an admin, bound to --org when given.
  const Principal console = Principal::with_role("achilles-cli", Role::Admin, org);

  try {
    if (action == "create") {
      if (!request.scope) request.scope = "read";
      const auto created = service.create(request, console);
      std::cerr << "API key " << created.key.id << " (" << api_key_scope_name(created.key.scope)
                << (created.key.org_id ? ", organisation " + *created.key.org_id : std::string()) << ", expires "
                << time_text(created.key.expires_at_ms) << "). It is shown once; keep it now:\n";
      std::cout << created.plaintext << "\n";
      return 0;
    }
    if (action == "list") {
      std::cout << "id\tname\tprefix\tscope\torganisation\tcreated\texpires\tlast used\trevoked\n";
      for (const auto& k : service.list(console))
        std::cout << k.id << "\t" << k.name << "\t" << k.key_prefix << "\t" << api_key_scope_name(k.scope) << "\t"
                  << k.org_id.value_or("-") << "\t" << format_iso_millis(k.created_at_ms) << "\t"
                  << time_text(k.expires_at_ms) << "\t" << time_text(k.last_used_at_ms) << "\t"
                  << time_text(k.revoked_at_ms) << "\n";
      return 0;
    }
    if (action == "revoke") {
      if (positional.size() != 1) throw UsageError{"api-key revoke needs the key's id"};
      service.revoke(positional[0], console);
      std::cerr << "API key " << positional[0] << " revoked\n";
      return 0;
    }
  } catch (const ValidationFailed& e) {
    for (const auto& issue : e.issues()) std::cerr << "achilles api-key: " << issue.path << ": " << issue.message << "\n";
    return 1;
  }
  throw UsageError{"api-key needs create, list or revoke, not '" + action + "'"};
}

}  // namespace achilles::server
