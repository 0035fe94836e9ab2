#include "achilles/jwt/rsa_public_key.hpp"

#include <openssl/decoder.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "achilles/text/base64.hpp"

namespace achilles::jwt {

struct RsaPublicKey::Key {
  explicit Key(EVP_PKEY* k) : pkey(k) {}
  ~Key() { EVP_PKEY_free(pkey); }
  Key(const Key&) = delete;
  Key& operator=(const Key&) = delete;
  EVP_PKEY* pkey;
};

namespace {

constexpr int kMinimumBits = 2048;

std::optional<RsaPublicKey> accept(EVP_PKEY* pkey, auto make) {
  if (!pkey) return std::nullopt;
  if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA || EVP_PKEY_get_bits(pkey) < kMinimumBits) {
    EVP_PKEY_free(pkey);
    return std::nullopt;
  }
  return make(pkey);
}

const EVP_MD* digest_of(Algorithm alg) {
  switch (alg) {
    case Algorithm::RS256: return EVP_sha256();
    case Algorithm::RS384: return EVP_sha384();
    case Algorithm::RS512: return EVP_sha512();
    default: return nullptr;
  }
}

}  // namespace

std::optional<RsaPublicKey> RsaPublicKey::from_pem(std::string_view pem) {
  // "PUBLIC KEY" (SPKI) and "RSA PUBLIC KEY" (PKCS#1) alike.
  EVP_PKEY* pkey = nullptr;
  OSSL_DECODER_CTX* ctx =
      OSSL_DECODER_CTX_new_for_pkey(&pkey, "PEM", nullptr, "RSA", EVP_PKEY_PUBLIC_KEY, nullptr, nullptr);
  if (!ctx) return std::nullopt;
  const auto* data = reinterpret_cast<const unsigned char*>(pem.data());
  std::size_t length = pem.size();
  if (OSSL_DECODER_from_data(ctx, &data, &length) != 1) pkey = nullptr;
  OSSL_DECODER_CTX_free(ctx);
  return accept(pkey, [](EVP_PKEY* k) { return RsaPublicKey(std::make_shared<Key>(k)); });
}

std::optional<RsaPublicKey> RsaPublicKey::from_jwk(std::string_view n_text, std::string_view e_text) {
  const auto n_bytes = base64_decode(n_text);
  const auto e_bytes = base64_decode(e_text);
  if (!n_bytes || !e_bytes || n_bytes->empty() || e_bytes->empty()) return std::nullopt;
  BIGNUM* n = BN_bin2bn(reinterpret_cast<const unsigned char*>(n_bytes->data()), static_cast<int>(n_bytes->size()), nullptr);
  BIGNUM* e = BN_bin2bn(reinterpret_cast<const unsigned char*>(e_bytes->data()), static_cast<int>(e_bytes->size()), nullptr);
  OSSL_PARAM_BLD* build = OSSL_PARAM_BLD_new();
  OSSL_PARAM* params = nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
  EVP_PKEY* pkey = nullptr;
  if (n && e && build && ctx && OSSL_PARAM_BLD_push_BN(build, OSSL_PKEY_PARAM_RSA_N, n) == 1 &&
      OSSL_PARAM_BLD_push_BN(build, OSSL_PKEY_PARAM_RSA_E, e) == 1 && (params = OSSL_PARAM_BLD_to_param(build)) &&
      EVP_PKEY_fromdata_init(ctx) == 1)
    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(build);
  EVP_PKEY_CTX_free(ctx);
  BN_free(n);
  BN_free(e);
  return accept(pkey, [](EVP_PKEY* k) { return RsaPublicKey(std::make_shared<Key>(k)); });
}

bool RsaPublicKey::verifies(const DecodedJwt& token) const {
  const EVP_MD* md = digest_of(token.alg);
  if (!md) return false;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (!ctx) return false;
  const bool ok =
      EVP_DigestVerifyInit(ctx, nullptr, md, nullptr, key_->pkey) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(token.signature.data()), token.signature.size(),
                       reinterpret_cast<const unsigned char*>(token.signing_input.data()), token.signing_input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

}  // namespace achilles::jwt
