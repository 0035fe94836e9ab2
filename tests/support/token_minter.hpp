#pragma once
// Signs JWTs the way Clerk and the original's CLI login do, with keys
// OpenSSL generates for the test: RS256/384/512 with a fresh RSA key (its
// public half as PEM and as a JWK), HS256 with a shared secret.
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <boost/json.hpp>
#include <memory>
#include <stdexcept>
#include <string>

#include "achilles/text/base64.hpp"

namespace achilles::testing {

class RsaSigner {
public:
  explicit RsaSigner(unsigned bits = 2048) : key_(EVP_RSA_gen(bits), EVP_PKEY_free) {
    if (!key_) throw std::runtime_error("no RSA key");
  }

  std::string public_pem() const {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    PEM_write_bio_PUBKEY(bio.get(), key_.get());
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
  }

  // {"kty":"RSA","kid":...,"n":...,"e":...,"alg":"RS256","use":"sig"}
  boost::json::object jwk(const std::string& kid) const {
    return {{"kty", "RSA"}, {"kid", kid}, {"n", base64url_encode(param(OSSL_PKEY_PARAM_RSA_N))},
            {"e", base64url_encode(param(OSSL_PKEY_PARAM_RSA_E))}, {"alg", "RS256"}, {"use", "sig"}};
  }

  std::string sign(const boost::json::object& header, const boost::json::object& payload) const {
    const std::string input = base64url_encode(boost::json::serialize(header)) + "." +
                              base64url_encode(boost::json::serialize(payload));
    const std::string alg(header.at("alg").as_string());
    const EVP_MD* md = alg == "RS384" ? EVP_sha384() : alg == "RS512" ? EVP_sha512() : EVP_sha256();
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    std::size_t length = 0;
    EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, key_.get());
    EVP_DigestSign(ctx.get(), nullptr, &length, reinterpret_cast<const unsigned char*>(input.data()), input.size());
    std::string signature(length, '\0');
    EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                   reinterpret_cast<const unsigned char*>(input.data()), input.size());
    signature.resize(length);
    return input + "." + base64url_encode(signature);
  }

private:
  std::string param(const char* name) const {
    BIGNUM* bn = nullptr;
    EVP_PKEY_get_bn_param(key_.get(), name, &bn);
    std::string out(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
    BN_free(bn);
    return out;
  }
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key_;
};

// HS256 as jsonwebtoken signs the CLI's tokens (and as an attacker would
// sign a token with a public key taken for a secret).
inline std::string hs256_token(const boost::json::object& header, const boost::json::object& payload,
                               const std::string& secret) {
  const std::string input = base64url_encode(boost::json::serialize(header)) + "." +
                            base64url_encode(boost::json::serialize(payload));
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(input.data()),
       input.size(), mac, &length);
  return input + "." + base64url_encode(std::string(reinterpret_cast<char*>(mac), length));
}

}  // namespace achilles::testing
