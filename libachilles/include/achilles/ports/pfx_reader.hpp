#pragma once
#include <string>
#include <string_view>

namespace achilles {

// What certificate authentication to Graph needs from a PFX/P12 file
// (defender-spec §2.7): the key as PEM, the certificate's SHA-1 thumbprint
// (uppercase hex, as the Azure portal shows it), its subject CN and expiry.
struct PfxCertificate {
  std::string thumbprint;
  std::string private_key_pem;
  std::string subject_cn;
  std::string not_after;  // ISO-8601 with milliseconds
};

// Reads PFX files. Throws InvalidArgument with the original's messages:
// "Invalid PFX passphrase or corrupt file", "PFX does not contain a private
// key", "PFX does not contain a certificate".
class PfxReader {
public:
  virtual ~PfxReader() = default;
  virtual PfxCertificate read(std::string_view pfx, const std::string& passphrase) const = 0;
};

}  // namespace achilles
