#include <unistd.h>

#include <chrono>
#include <random>
#include <cstdlib>
#include <optional>
#include <filesystem>
#include <iostream>

#include "achilles/embedded/embedded_results_index.hpp"
#include "achilles/embedded/sqlite_api_keys.hpp"
#include "achilles/embedded/sqlite_defender_store.hpp"
#include "achilles/graph/graph_client.hpp"
#include "achilles/graph/openssl_pfx_reader.hpp"
#include "achilles/http/outbound_client.hpp"
#include "settings/defender_settings_file.hpp"
#include "achilles/embedded/sqlite_risk_acceptances.hpp"
#include "achilles/local_token/openssl_api_key_mint.hpp"
#include "api/settings_routes.hpp"
#include "app/analytics_app.hpp"
#include "app/data_dir_lock.hpp"
#include "achilles/metrics/process_metrics.hpp"
#include "app/defender_scheduler.hpp"
#include "app/identities.hpp"
#include "app/backends.hpp"
#include "achilles/crypto_store/aes_gcm_cipher.hpp"
#include "achilles/crypto_store/encryption_secret.hpp"
#include "settings/analytics_settings_file.hpp"
#include "achilles/local_token/local_admin_token.hpp"
#include "cli/commands.hpp"
#include "http/http_server.hpp"

namespace achilles::server {
namespace {

// Who this process is among the instances of a cluster: host, pid, and a
// random part (a restarted process on the same pid is another instance).
std::string instance_name() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  std::random_device entropy;
  return std::string(host) + ":" + std::to_string(::getpid()) + ":" + std::to_string(entropy());
}

}  // namespace

int serve_command(const std::vector<std::string>& args) {
  // Flags win over the environment (the systemd unit sets only that);
  // systemd's StateDirectory= names the data dir when nothing else does.
  auto env = [](const char* name) -> std::optional<std::string> {
    const char* v = std::getenv(name);
    return v && *v ? std::optional<std::string>(v) : std::nullopt;
  };
  std::filesystem::path data_dir = env("ACHILLES_DATA_DIR").value_or(env("STATE_DIRECTORY").value_or("./data"));
  std::string listen = env("ACHILLES_LISTEN").value_or("127.0.0.1:8080");
  unsigned threads = 0;
  for (std::size_t i = 0; i < args.size(); ++i) {
    auto value = [&]() -> const std::string& {
      if (i + 1 >= args.size()) throw UsageError{args[i] + " needs a value"};
      return args[++i];
    };
    if (args[i] == "--data-dir") data_dir = value();
    else if (args[i] == "--listen") listen = value();
    else if (args[i] == "--threads") threads = static_cast<unsigned>(std::stoul(value()));
    else throw UsageError{"unknown option for serve: " + args[i]};
  }
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw UsageError{"--listen takes HOST:PORT"};
  HttpServerOptions options;
  options.host = listen.substr(0, colon);
  if (options.host.size() > 2 && options.host.front() == '[') options.host = options.host.substr(1, options.host.size() - 2);
  options.port = static_cast<std::uint16_t>(std::stoul(listen.substr(colon + 1)));
  options.threads = threads;
  // Limits an operator may raise or lower; a malformed value stops the start.
  auto positive = [](const char* name) -> std::optional<std::int64_t> {
    const char* text = std::getenv(name);
    if (!text || !*text) return std::nullopt;
    char* end = nullptr;
    const long long value = std::strtoll(text, &end, 10);
    if (*end != '\0' || value <= 0) throw std::invalid_argument(std::string(name) + ": not a positive whole number");
    return value;
  };
  if (auto bytes = positive("ACHILLES_MAX_BODY_BYTES")) options.limits.body_bytes = static_cast<std::size_t>(*bytes);
  if (auto ms = positive("ACHILLES_REQUEST_TIMEOUT_MS")) options.limits.request_timeout = std::chrono::milliseconds(*ms);

  std::filesystem::create_directories(data_dir);
  // A data dir made before umask 077 was set (or by hand) is closed too.
  std::filesystem::permissions(data_dir, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace);
  const auto admin = local_token::load_or_create_admin_token(data_dir, std::getenv("ACHILLES_ADMIN_TOKEN"));
  embedded::EmbeddedResultsIndex results(data_dir / "results.db");
  SystemClock clock;

  embedded::SqliteRiskAcceptances acceptances(data_dir / "results.db");

  // Settings secrets: ENCRYPTION_SECRET, or one generated into the data dir.
  // A bad secret stops the start here rather than failing every save later.
  const auto secret = crypto_store::load_or_create_encryption_secret(data_dir, std::getenv("ENCRYPTION_SECRET"));
  crypto_store::AesGcmCipher cipher(secret.secret);
  AnalyticsSettingsFile settings(data_dir / "analytics.json", cipher, clock);
  const SettingsRead stored = settings.read();
  if (stored.problem)
    std::cout << "achilles: WARNING " << *stored.problem << " (settings fall back to " << stored.source << ")\n";
  const char* networks = std::getenv("ACHILLES_ALLOWED_NETWORKS");
  const auto allowed = allowed_networks_from(networks ? networks : "");
  elasticsearch_timeout();  // a malformed ACHILLES_ES_TIMEOUT_MS stops the start, not a later save
  // Who may call: a Clerk or CLI configuration that cannot work stops the start.
  // API keys live beside the results (results.db, or the cluster's index);
  // the original deployment's agents.db (ACHILLES_AGENTS_DB) is read too,
  // read-only, so its keys keep working.
  embedded::SqliteApiKeys api_keys(data_dir / "results.db");
  const local_token::OpenSslApiKeyMint mint;
  std::unique_ptr<embedded::SqliteApiKeys> original_keys;
  std::unique_ptr<ApiKeyVerifier> original_key_verifier;
  if (const char* agents_db = std::getenv("ACHILLES_AGENTS_DB"); agents_db && *agents_db) {
    original_keys = std::make_unique<embedded::SqliteApiKeys>(agents_db, embedded::SqliteApiKeys::Access::ReadOnly);
    original_key_verifier = std::make_unique<ApiKeyVerifier>(*original_keys, mint, clock);
  }
  const Identities identities(admin.token, clock, allowed, [](const char* name) { return std::getenv(name); });

  // Microsoft Defender: credentials in DIR/integrations.json or DEFENDER_*,
  // Graph over the outbound policy, the local copy beside the results.
  DefenderSettingsFile defender_settings(data_dir / "integrations.json", cipher, clock,
                                         [](const char* name) { return std::getenv(name); });
  graph::GraphEndpoints graph_endpoints;
  if (const char* url = std::getenv("ACHILLES_GRAPH_URL"); url && *url) graph_endpoints.graph = url;
  if (const char* url = std::getenv("ACHILLES_LOGIN_URL"); url && *url) graph_endpoints.login = url;
  const http::OutboundClient graph_outbound{OutboundPolicy(allowed), {}, {}, "graph"};
  for (const auto& [name, url] : {std::pair<const char*, const std::string*>{"ACHILLES_GRAPH_URL", &graph_endpoints.graph},
                                  {"ACHILLES_LOGIN_URL", &graph_endpoints.login}})
    if (auto refusal = graph_outbound.policy().refusal(*url)) throw std::invalid_argument(std::string(name) + ": " + *refusal);
  const graph::GraphClient graph_client(graph_outbound, graph_endpoints, clock);
  embedded::SqliteDefenderStore defender_store(data_dir / "results.db");

  // Elasticsearch when configured (D7), else the embedded store; a settings
  // save switches without a restart. Risk acceptances follow the results.
  AnalyticsAppOptions app_options;
  app_options.allowed_networks = allowed;
  app_options.api_key_mint = &mint;
  app_options.defender_settings = &defender_settings;
  app_options.defender_graph = &graph_client;
  const graph::OpenSslPfxReader pfx_reader;
  app_options.pfx_reader = &pfx_reader;
  if (original_key_verifier) app_options.later_identities.push_back(original_key_verifier.get());
  if (const char* origin = std::getenv("CORS_ORIGIN"); origin && *origin) app_options.cors_origin = origin;
  if (const char* log = std::getenv("ACHILLES_ACCESS_LOG"); log && std::string(log) == "0") app_options.access_log = false;
  // The original's budget of 1000 requests per principal per 15 minutes is
  // right for a dashboard; a load test or a busy CI gate raises it.
  if (auto budget = positive("ACHILLES_RATE_LIMIT_PER_15MIN")) app_options.rate_limits.global.limit = *budget;
  app_options.announce = [](const std::string& name) {
    std::cout << "achilles: analytics and risk acceptances now served by " << name << std::endl;
  };
  const auto db = data_dir / "results.db";
  const std::vector<std::filesystem::path> store_files{db, db.string() + "-wal", db.string() + ".columns"};
  AnalyticsApp app(embedded_backend(results, acceptances, &api_keys, &defender_store, store_files), identities.verifier(),
                   clock, settings, std::move(app_options));
  // The embedded store on GET /metrics, read at each scrape; forgotten before it closes.
  const embedded::EmbeddedStoreAdministration store_facts(results, store_files);
  auto& process_metrics = metrics::ProcessMetrics::process();
  process_metrics.gauge("achilles_embedded_documents", "Result documents in the embedded store (archived ones left out).",
                        [&store_facts] { return static_cast<double>(store_facts.stored_documents()); });
  process_metrics.gauge("achilles_embedded_store_bytes", "Bytes on disk of results.db, its WAL and its columnar snapshot.",
                        [&store_facts] { return static_cast<double>(store_facts.bytes_on_disk()); });
  struct ForgetGauges {
    ~ForgetGauges() {
      for (const char* name : {"achilles_embedded_documents", "achilles_embedded_store_bytes"})
        metrics::ProcessMetrics::process().forget_gauge(name);
    }
  } forget_gauges;
  // The Defender sync in the background, by one process per data dir: a
  // second `achilles serve` on the same directory leaves it to the first.
  std::unique_ptr<DefenderScheduler> defender_scheduler;
  const auto sync_lock = DataDirLock::try_take(data_dir / "defender-sync.lock");
  if (sync_lock && app.defender_sync()) {
    // On a cluster several instances may serve: the one holding the lease syncs.
    const std::string instance = instance_name();
    const DefenderSchedule schedule;
    defender_scheduler = std::make_unique<DefenderScheduler>(
        *app.defender_sync(), [&app] { return app.defender_configured(); }, schedule,
        [&app, instance, ttl = schedule.check.count() * 4] { return app.hold_defender_lease(instance, ttl); });
  } else if (!sync_lock) {
    std::cout << "achilles: another achilles process runs the Defender sync for this data dir; this one will not\n";
  }
  options.on_stopping = [&graph_outbound, &defender_scheduler] {
    graph_outbound.abort_all();  // a sync under way ends now, not at its timeout
    if (defender_scheduler) defender_scheduler->request_stop();
  };
  HttpServer server(options, [&app](const HttpRequest& r) { return app.handle(r); },
                    [&app](const HttpRequest& head) { return app.admit(head); });

  std::cout << "achilles: " << results.size() << " result documents loaded from "
            << (data_dir / "results.db").string() << "\n";
  if (const auto b = app.backend(); b->name == "elasticsearch")
    std::cout << "achilles: analytics served by Elasticsearch" << (b->problem.empty() ? "" : " (" + b->problem + ")") << "\n";
  if (admin.file)
    std::cout << "achilles: admin token " << (admin.generated ? "generated in " : "in ") << admin.file->string()
              << " (send it as 'Authorization: Bearer <token>')\n";
  else
    std::cout << "achilles: admin token from ACHILLES_ADMIN_TOKEN\n";
  std::cout << "achilles: accepting " << identities.summary() << ", API keys"
            << (original_key_verifier ? " (and those of ACHILLES_AGENTS_DB)" : "") << "\n";
  std::cout << "achilles: listening on http://" << listen.substr(0, colon) << ":" << server.port() << "\n";
  std::cout << "achilles: dashboard at http://" << listen.substr(0, colon) << ":" << server.port()
            << "/ (sign in with the admin token or an API key)" << std::endl;

  server.stop_on_signals();
  server.start();
  if (defender_scheduler) defender_scheduler->start();
  server.wait();
  defender_scheduler.reset();  // stops it; its Graph calls were cut when stopping began
  std::cout << "achilles: stopped" << std::endl;
  return 0;
}

}  // namespace achilles::server
