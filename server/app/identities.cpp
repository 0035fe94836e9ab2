#include "app/identities.hpp"

#include <stdexcept>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "achilles/auth/first_verified_identity.hpp"
#include "achilles/auth/organisation_mapping.hpp"
#include "achilles/clerk/clerk_keys.hpp"
#include "achilles/clerk/clerk_session_verifier.hpp"
#include "achilles/http/outbound_client.hpp"
#include "achilles/jwt/cli_token_verifier.hpp"
#include "achilles/local_token/local_admin_token.hpp"
#include "achilles/query/query_params.hpp"

namespace achilles::server {

struct Identities::Parts {
  std::vector<std::unique_ptr<OrganisationMappedIdentity>> mapped;
  std::unique_ptr<local_token::LocalAdminToken> admin;
  std::unique_ptr<http::OutboundClient> clerk_client;
  std::unique_ptr<clerk::ClerkKeys> clerk_keys;
  std::unique_ptr<clerk::ClerkSessionVerifier> clerk;
  std::unique_ptr<jwt::CliTokenVerifier> cli;
  std::unique_ptr<FirstVerifiedIdentity> chain;
  std::vector<std::string_view> accepted;  // literals
};

namespace {

std::string value_of(const Identities::Environment& env, const char* name) {
  const char* v = env(name);
  return v ? std::string(v) : std::string();
}

// A PEM pasted into one line of an env file keeps its line ends as "\n".
// {"<identity org id>": "<routing.oid>", ...}
OrganisationMapping organisation_mapping_from(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::invalid_argument("ACHILLES_ORG_MAP: cannot read " + std::filesystem::path(path).filename().string());
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  const auto value = boost::json::parse(text.str(), ec);
  if (ec || !value.is_object())
    throw std::invalid_argument("ACHILLES_ORG_MAP: not a JSON object of identity organisation → results organisation");
  std::map<std::string, std::string> to_results;
  for (const auto& [identity_org, results_org] : value.get_object()) {
    if (!results_org.is_string() || results_org.get_string().empty())
      throw std::invalid_argument("ACHILLES_ORG_MAP: the organisation of \"" + std::string(identity_org) +
                                  "\" must be a non-empty string");
    to_results.emplace(std::string(identity_org), std::string(results_org.get_string()));
  }
  return OrganisationMapping(std::move(to_results));
}

std::string with_line_ends(std::string pem) {
  std::string out;
  for (std::size_t i = 0; i < pem.size(); ++i) {
    if (pem[i] == '\\' && i + 1 < pem.size() && pem[i + 1] == 'n') {
      out += '\n';
      ++i;
    } else {
      out += pem[i];
    }
  }
  return out;
}

}  // namespace

Identities::Identities(std::string admin_token, const Clock& clock, std::vector<IpNetwork> allowed_networks,
                       const Environment& env)
    : parts_(std::make_unique<Parts>()) {
  auto& p = *parts_;
  p.admin = std::make_unique<local_token::LocalAdminToken>(std::move(admin_token));
  // Identity organisations → results' routing.oid (ACHILLES_ORG_MAP); API
  // keys keep the organisation they were made with, already mapped.
  const auto map_file = value_of(env, "ACHILLES_ORG_MAP");
  const OrganisationMapping mapping = map_file.empty() ? OrganisationMapping() : organisation_mapping_from(map_file);
  auto mapped = [&](const IdentityVerifier& inner) -> const IdentityVerifier* {
    if (mapping.empty()) return &inner;
    p.mapped.push_back(std::make_unique<OrganisationMappedIdentity>(inner, mapping));
    return p.mapped.back().get();
  };
  std::vector<const IdentityVerifier*> order{p.admin.get()};
  p.accepted.push_back("admin token");

  const std::string jwt_key = value_of(env, "CLERK_JWT_KEY");
  const std::string secret_key = value_of(env, "CLERK_SECRET_KEY");
  if (!jwt_key.empty() || !secret_key.empty()) {
    clerk::ClerkSessionOptions options;
    if (const auto publishable = value_of(env, "CLERK_PUBLISHABLE_KEY"); !publishable.empty()) {
      options.issuer = clerk::issuer_of_publishable_key(publishable);
      if (!options.issuer)
        throw std::invalid_argument("CLERK_PUBLISHABLE_KEY: not a Clerk publishable key (pk_test_... or pk_live_...)");
    }
    options.authorized_parties = split_list(value_of(env, "CLERK_AUTHORIZED_PARTIES"));
    if (const auto claim = value_of(env, "ACHILLES_ORG_CLAIM"); !claim.empty()) options.org_claim = claim;
    if (!jwt_key.empty()) {
      auto key = jwt::RsaPublicKey::from_pem(with_line_ends(jwt_key));
      if (!key) throw std::invalid_argument("CLERK_JWT_KEY: not a PEM RSA public key of 2048 bits or more");
      p.clerk_keys = std::make_unique<clerk::PemClerkKey>(std::move(*key));
      p.accepted.push_back("Clerk sessions (CLERK_JWT_KEY)");
    } else {
      std::string api = value_of(env, "CLERK_API_URL");
      if (api.empty()) api = "https://api.clerk.com";
      p.clerk_client = std::make_unique<http::OutboundClient>(OutboundPolicy(std::move(allowed_networks)),
                                                              http::OutboundLimits{}, http::TlsOptions{}, "clerk");
      if (auto refusal = p.clerk_client->policy().refusal(api))
        throw std::invalid_argument("CLERK_API_URL: " + *refusal);
      std::string version = value_of(env, "CLERK_API_VERSION");
      if (version.empty()) version = "v1";
      p.clerk_keys = std::make_unique<clerk::ClerkJwks>(*p.clerk_client, api, secret_key, clock, clerk::JwksTiming{}, version);
      p.accepted.push_back("Clerk sessions (JWKS)");
    }
    p.clerk = std::make_unique<clerk::ClerkSessionVerifier>(*p.clerk_keys, std::move(options), clock);
    order.push_back(mapped(*p.clerk));
  }
  if (const auto cli_secret = value_of(env, "CLI_AUTH_SECRET"); !cli_secret.empty()) {
    std::string audience = value_of(env, "AGENT_SERVER_URL");
    if (audience.empty()) audience = "http://localhost:3000";
    p.cli = std::make_unique<jwt::CliTokenVerifier>(jwt::CliTokenOptions{cli_secret, audience, 5000}, clock);
    order.push_back(mapped(*p.cli));
    p.accepted.push_back("CLI tokens");
  }
  p.chain = std::make_unique<FirstVerifiedIdentity>(std::move(order));
}

Identities::~Identities() = default;

const IdentityVerifier& Identities::verifier() const { return *parts_->chain; }

std::string Identities::summary() const {
  std::string out;
  for (const auto a : parts_->accepted) {
    if (!out.empty()) out += ", ";
    out += a;
  }
  return out;
}

}  // namespace achilles::server
