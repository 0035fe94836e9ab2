// Bearer credentials as an attacker sends them: every verifier reads the
// same bytes, and each must answer "proven" or "not", never crash, throw or
// prove anything with a key it does not hold.
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdint>
#include <memory>
#include <string>

#include "achilles/clerk/clerk_keys.hpp"
#include "achilles/clerk/clerk_session_verifier.hpp"
#include "achilles/domain/api_key.hpp"
#include "achilles/jwt/cli_token_verifier.hpp"
#include "achilles/jwt/jwt.hpp"
#include "achilles/ports/clock.hpp"

using namespace achilles;

namespace {

class FixedClock final : public Clock {
public:
  std::int64_t now_ms() const override { return 1'764'489'600'000; }
};

std::string fresh_public_pem() {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), EVP_PKEY_free);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PUBKEY(bio.get(), key.get());
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

struct Verifiers {
  FixedClock clock;
  clerk::PemClerkKey keys{*jwt::RsaPublicKey::from_pem(fresh_public_pem())};
  clerk::ClerkSessionVerifier clerk{keys, {}, clock};
  jwt::CliTokenVerifier cli{{"fuzz-cli-secret", "http://localhost:3000", 5000}, clock};
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Verifiers v;
  const std::string_view token(reinterpret_cast<const char*>(data), size);
  if (auto decoded = jwt::decode(token)) {
    (void)jwt::claim_text(decoded->payload, "metadata.org_id");
    (void)jwt::hs256_verifies("fuzz-cli-secret", *decoded);
  }
  // No private key exists for this public key: nothing may prove a session.
  if (v.clerk.verify(token)) __builtin_trap();
  (void)v.clerk.verify_without_waiting(token);
  // The CLI secret is known to the fuzzer's seeds only by chance: a proven
  // token must at least say what the rules demand.
  if (auto p = v.cli.verify(token); p && p->user_id.empty()) __builtin_trap();
  (void)looks_like_api_key(token);
  (void)clerk::issuer_of_publishable_key(token);
  return 0;
}
