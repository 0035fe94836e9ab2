#pragma once
#include <array>
#include <string_view>

namespace achilles::server {

// Every environment variable the server reads, with its default and what it
// does: `achilles --help` prints it, the Debian package's environment file
// lists it, and a test checks that the sources read no other.
struct Setting {
  std::string_view name;
  std::string_view fallback;  // what applies when unset ("" when nothing does)
  std::string_view meaning;
};

inline constexpr std::array<Setting, 34> kSettings{{
    {"ACHILLES_LISTEN", "127.0.0.1:8080", "HOST:PORT the server listens on (--listen wins)"},
    {"ACHILLES_DATA_DIR", "$STATE_DIRECTORY, else ./data", "where results.db, settings and tokens live (--data-dir wins)"},
    {"ACHILLES_ADMIN_TOKEN", "a random token written to DATA_DIR/admin.token",
     "the local admin bearer token, at least 32 characters"},
    {"ENCRYPTION_SECRET", "a random secret written to DATA_DIR/encryption.secret",
     "encrypts saved Elasticsearch and Defender credentials"},
    {"CORS_ORIGIN", "http://localhost:5173", "the browser origin allowed to call the API"},
    {"ACHILLES_ACCESS_LOG", "1", "0 silences the JSON access log on stderr"},
    {"ACHILLES_MAX_BODY_BYTES", "1048576", "largest request body; 413 beyond it"},
    {"ACHILLES_REQUEST_TIMEOUT_MS", "30000", "longest a request may be handled; 503 beyond it"},
    {"ACHILLES_RATE_LIMIT_PER_15MIN", "1000", "requests per principal (or address) per 15 minutes"},
    {"ACHILLES_ALLOWED_NETWORKS", "", "private networks (CIDR, comma-separated) outbound calls may reach"},
    {"ACHILLES_ES_TIMEOUT_MS", "30000", "longest one Elasticsearch request may take"},
    // Elasticsearch from the environment, used while no settings were saved (as the original).
    {"ELASTICSEARCH_NODE", "", "Elasticsearch URL; set, the cluster serves instead of the embedded store"},
    {"ELASTICSEARCH_CLOUD_ID", "", "Elastic Cloud id, instead of ELASTICSEARCH_NODE"},
    {"ELASTICSEARCH_API_KEY", "", "Elasticsearch API key"},
    {"ELASTICSEARCH_USERNAME", "", "Elasticsearch user (basic authentication)"},
    {"ELASTICSEARCH_PASSWORD", "", "Elasticsearch password (basic authentication)"},
    {"ELASTICSEARCH_INDEX_PATTERN", "achilles-results-*", "indices the analytics read"},
    {"ELASTICSEARCH_WRITE_INDEX_PREFIX", "achilles-results-", "prefix of the indices documents are written to"},
    {"ELASTICSEARCH_WRITE_INDEX_ROLLOVER", "none", "daily, monthly or none"},
    {"ELASTICSEARCH_CA_CERT", "", "PEM CA certificate the cluster's TLS certificate is checked against"},
    {"ELASTICSEARCH_TLS_INSECURE_SKIP_VERIFY", "false", "true skips TLS verification (logged once)"},
    {"ACHILLES_GRAPH_URL", "https://graph.microsoft.com", "Microsoft Graph's base URL"},
    {"ACHILLES_LOGIN_URL", "https://login.microsoftonline.com", "Microsoft identity platform's base URL"},
    {"ACHILLES_AGENTS_DB", "", "the original deployment's agents.db, whose API keys are accepted read-only"},
    {"ACHILLES_ORG_CLAIM", "", "dotted path of the session claim naming the caller's results organisation"},
    {"ACHILLES_ORG_MAP", "", "JSON file mapping identity organisations to results organisations"},
    {"CLERK_JWT_KEY", "", "PEM RSA public key verifying the dashboard's Clerk sessions"},
    {"CLERK_SECRET_KEY", "", "Clerk secret key: session keys fetched from CLERK_API_URL"},
    {"CLERK_PUBLISHABLE_KEY", "", "Clerk publishable key: sessions must be issued by its frontend API"},
    {"CLERK_AUTHORIZED_PARTIES", "", "origins (comma-separated) a session's azp must name"},
    {"CLERK_API_URL", "https://api.clerk.com", "Clerk's API, where session keys are fetched"},
    {"CLERK_API_VERSION", "v1", "Clerk API version of the JWKS path"},
    {"CLI_AUTH_SECRET", "", "HS256 secret of the original CLI's tokens"},
    {"AGENT_SERVER_URL", "http://localhost:3000", "audience the CLI's tokens must name"},
}};

}  // namespace achilles::server
