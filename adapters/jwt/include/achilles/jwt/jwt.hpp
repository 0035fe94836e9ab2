#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "achilles/auth/token_claims.hpp"

namespace achilles::jwt {

enum class Algorithm { RS256, RS384, RS512, HS256, Other };

// A compact JWS taken apart, not yet verified.
struct DecodedJwt {
  Algorithm alg = Algorithm::Other;
  std::optional<std::string> kid;
  std::optional<std::string> typ;
  boost::json::object payload;
  TokenClaims claims;
  std::string signing_input;  // "header.payload" as sent: what the signature covers
  std::string signature;      // the signature's bytes
};

// Bigger than any session or CLI token; a bearer past it is not read at all.
inline constexpr std::size_t kMaxTokenBytes = 8 * 1024;

// Three base64url segments, a header and a payload that are JSON objects;
// nullopt for anything else (never an exception).
std::optional<DecodedJwt> decode(std::string_view token);

// The claims of a payload; a claim of the wrong type reads as absent.
TokenClaims claims_of(const boost::json::object& payload);

// The string at a dotted path of the payload ("metadata.org_id"); nullopt
// when absent or not a string.
std::optional<std::string> claim_text(const boost::json::object& payload, std::string_view dotted_path);

// HMAC-SHA256 over the signing input, compared in constant time.
bool hs256_verifies(std::string_view secret, const DecodedJwt& token);

}  // namespace achilles::jwt
