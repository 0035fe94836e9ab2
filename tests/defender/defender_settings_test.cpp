// Defender credentials in integrations.json and DEFENDER_* variables
// (defender-spec §3), with one scoping model and preferences kept apart.
#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <sstream>

#include "achilles/crypto_store/aes_gcm_cipher.hpp"
#include "achilles/errors.hpp"
#include "achilles/services/defender_integration_service.hpp"
#include "mocks/manual_clock.hpp"
#include "settings/defender_settings_file.hpp"
#include "support/process.hpp"

using namespace achilles;
using namespace achilles::testing;
namespace json = boost::json;

namespace {

// A Graph that is never asked here.
class NoGraph final : public DefenderGraph {
public:
  void acquire_token(const DefenderCredentials&) const override { throw GraphFailure("Connection failed: not here"); }
  void check_read(const DefenderCredentials&) const override {}
  std::vector<GraphSecureScore> secure_scores(const DefenderCredentials&) const override { return {}; }
  std::vector<GraphControlProfile> control_profiles(const DefenderCredentials&) const override { return {}; }
  std::vector<GraphAlert> alerts(const DefenderCredentials&, const AlertWindow&) const override { return {}; }
  void resolve_alert(const DefenderCredentials&, const std::string&) const override {}
  void comment_on_alert(const DefenderCredentials&, const std::string&, const std::string&) const override {}
};

struct World {
  TempDir dir;
  ManualClock clock{1'796'025'600'000};
  crypto_store::AesGcmCipher cipher{"test-encryption-secret-that-is-at-least-32-chars-long"};
  std::map<std::string, std::string> env;
  server::DefenderSettingsFile file{dir / "integrations.json", cipher, clock, [this](const char* name) -> const char* {
                                      auto it = env.find(name);
                                      return it == env.end() ? nullptr : it->second.c_str();
                                    }};
  NoGraph graph;
  DefenderIntegrationService service{file, graph};
  json::object on_disk() const {
    std::ifstream in(dir / "integrations.json");
    std::stringstream text;
    text << in.rdbuf();
    return json::parse(text.str()).as_object();
  }
};

}  // namespace

TEST_CASE("environment credentials configure Defender, certificate ones winning over a secret", "[defender][settings]") {
  World w;
  CHECK_FALSE(w.service.credentials());
  w.env = {{"DEFENDER_TENANT_ID", "t-0000"}, {"DEFENDER_CLIENT_ID", "c-0000"}, {"DEFENDER_CLIENT_SECRET", "s3cret"}};
  REQUIRE(w.service.credentials());
  CHECK(w.service.credentials()->method == DefenderCredentials::Method::ClientSecret);
  CHECK(w.service.view().env_configured);
  w.env["DEFENDER_CERT_THUMBPRINT"] = "A1B2";
  CHECK(w.service.credentials()->method == DefenderCredentials::Method::ClientSecret);  // both or nothing
  w.env["DEFENDER_PRIVATE_KEY_PEM"] = "-----BEGIN PRIVATE KEY-----";
  CHECK(w.service.credentials()->method == DefenderCredentials::Method::Certificate);
  CHECK_THROWS_WITH(w.service.remove(), Catch::StartsWith("Cannot disconnect: Defender credentials are set via environment variables"));
}

TEST_CASE("a label saved beside environment credentials never hides them (REC-7)", "[defender][settings]") {
  World w;
  w.env = {{"DEFENDER_TENANT_ID", "t-0000"}, {"DEFENDER_CLIENT_ID", "c-0000"}, {"DEFENDER_CLIENT_SECRET", "s3cret"}};
  w.service.save({std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, "Lab tenant"});
  CHECK(w.service.credentials());  // still the environment's
  CHECK(w.service.view().label == "Lab tenant");
  CHECK_FALSE(w.on_disk().contains("defender"));
  CHECK(w.on_disk().at("defender_preferences").at("label") == "Lab tenant");
  w.file.save_preferences(std::nullopt, std::string("dry_run"));
  CHECK(w.file.read().auto_resolve_mode == "dry_run");
  CHECK(w.service.credentials());
}

TEST_CASE("saving merges field by field, seals secrets and keeps other integrations", "[defender][settings]") {
  World w;
  std::ofstream(w.dir / "integrations.json") << R"({"azure":{"tenant_id":"keep-me"},"alerts":{"slack":{"enabled":true}}})";
  w.service.save({"t-1111", "c-1111", "secret-1", std::nullopt, std::nullopt, std::nullopt, std::nullopt});
  auto disk = w.on_disk();
  CHECK(disk.at("azure").at("tenant_id") == "keep-me");
  CHECK(disk.at("alerts").at("slack").at("enabled") == true);
  CHECK(disk.at("defender").at("client_secret").as_string().starts_with("enc:"));
  // An empty secret does not clear the stored one; a new one replaces it.
  w.service.save({std::nullopt, std::nullopt, std::string(""), std::nullopt, std::nullopt, std::nullopt, std::nullopt});
  CHECK(w.service.credentials()->client_secret == "secret-1");
  w.service.save({std::nullopt, std::nullopt, std::string("secret-2"), std::nullopt, std::nullopt, std::nullopt, std::nullopt});
  CHECK(w.service.credentials()->client_secret == "secret-2");
  // Switching to a certificate without one leaves the integration unconfigured, as the original.
  w.service.save({std::nullopt, std::nullopt, std::nullopt, std::string("certificate"), std::nullopt, std::nullopt, std::nullopt});
  CHECK_FALSE(w.service.credentials());
  // The file from the original opens as is (the spec's vectors' secret).
  CHECK(w.file.read().saved->tenant_id == "t-1111");
}

TEST_CASE("initial setup says what is missing, in the original's words", "[defender][settings]") {
  World w;
  CHECK_THROWS_WITH(w.service.save({std::string("t"), std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt}),
                    "tenant_id and client_id are required for initial setup");
  CHECK_THROWS_WITH(w.service.save({std::string("t"), std::string("c"), std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt}),
                    "client_secret is required for initial setup with client secret auth");
  CHECK_THROWS_WITH(w.service.save({std::string("t"), std::string("c"), std::nullopt, std::string("certificate"), std::string("AB"),
                                    std::nullopt, std::nullopt}),
                    "cert_thumbprint and private_key_pem are required for certificate auth");
  CHECK_FALSE(std::filesystem::exists(w.dir / "integrations.json"));
}

TEST_CASE("a connection test without a reachable Graph says so", "[defender][settings]") {
  World w;
  const auto outcome = w.service.test({std::string("5f2a6c1e-8b3d-4e7a-9c1f-2d4b6a8e0c13"), std::string("0b7d2e4f-6a8c-4d1e-b3f5-7a9c1e3d5f70"),
                                       std::string("s"), std::nullopt, std::nullopt, std::nullopt, std::nullopt});
  CHECK_FALSE(outcome.success);
  CHECK(outcome.text == "Connection failed: not here");
  CHECK(w.service.test({}).text == "Missing credentials: tenant_id and client_id are required");
}
