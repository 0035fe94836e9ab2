#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace achilles::graph {

// x5t of a client assertion: the SHA-1 thumbprint's bytes, base64url without
// padding. Colons are allowed between digits; anything else but an even
// run of hex digits is refused (nullopt), unlike the original (REC-3).
std::optional<std::string> x5t_of_thumbprint(std::string_view thumbprint);

// The RS256 JWT the token endpoint accepts in place of a secret (§2.2):
// header {alg, typ, x5t}, payload {aud, iss, sub, exp (+600 s), nbf, jti}.
// Throws GraphFailure "Failed to build certificate assertion: …" for a bad
// thumbprint or a private key OpenSSL cannot read or sign with.
std::string client_assertion(const std::string& token_url, const std::string& client_id, std::string_view thumbprint,
                             const std::string& private_key_pem, std::int64_t now_s);

}  // namespace achilles::graph
