#pragma once
#include "achilles/ports/pfx_reader.hpp"

namespace achilles::graph {

// PKCS12_parse (REC-5): the certificate that matches the key, any key type
// OpenSSL reads, the key written as PKCS#8 PEM ("BEGIN PRIVATE KEY"), which
// the assertion signer reads like the original's PKCS#1.
class OpenSslPfxReader final : public PfxReader {
public:
  PfxCertificate read(std::string_view pfx, const std::string& passphrase) const override;
};

}  // namespace achilles::graph
