#include "achilles/graph/openssl_pfx_reader.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include <memory>

#include "achilles/errors.hpp"
#include "achilles/query/date_math.hpp"

namespace achilles::graph {
namespace {

std::string upper_hex(const unsigned char* bytes, unsigned int n) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 15];
  }
  return out;
}

std::string subject_cn(X509* cert) {
  X509_NAME* name = X509_get_subject_name(cert);
  int at = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (at < 0 && X509_NAME_entry_count(name) > 0) at = 0;  // else the first attribute, as the original
  if (at < 0) return "Unknown";
  const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, at));
  unsigned char* utf8 = nullptr;
  const int length = ASN1_STRING_to_UTF8(&utf8, value);
  if (length < 0) return "Unknown";
  std::string out(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(length));
  OPENSSL_free(utf8);
  return out;
}

std::string not_after(X509* cert) {
  struct tm t {};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &t) != 1) return "";
  const std::int64_t days = days_from_civil(t.tm_year + 1900, static_cast<unsigned>(t.tm_mon + 1), static_cast<unsigned>(t.tm_mday));
  return format_iso_millis(((days * 24 + t.tm_hour) * 60 + t.tm_min) * 60'000LL + t.tm_sec * 1000LL);
}

}  // namespace

PfxCertificate OpenSslPfxReader::read(std::string_view pfx, const std::string& passphrase) const {
  ERR_clear_error();
  std::unique_ptr<BIO, decltype(&BIO_free)> in(BIO_new_mem_buf(pfx.data(), static_cast<int>(pfx.size())), BIO_free);
  std::unique_ptr<PKCS12, decltype(&PKCS12_free)> p12(in ? d2i_PKCS12_bio(in.get(), nullptr) : nullptr, PKCS12_free);
  if (!p12) throw InvalidArgument("Invalid PFX passphrase or corrupt file");
  EVP_PKEY* key_raw = nullptr;
  X509* cert_raw = nullptr;
  STACK_OF(X509)* chain = nullptr;
  if (PKCS12_parse(p12.get(), passphrase.c_str(), &key_raw, &cert_raw, &chain) != 1) {
    ERR_clear_error();
    throw InvalidArgument("Invalid PFX passphrase or corrupt file");
  }
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(key_raw, EVP_PKEY_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(cert_raw, X509_free);
  // With no certificate matching the key, the first one of the file, as the original.
  if (!cert && chain && sk_X509_num(chain) > 0) cert.reset(X509_dup(sk_X509_value(chain, 0)));
  sk_X509_pop_free(chain, X509_free);
  if (!key) throw InvalidArgument("PFX does not contain a private key");
  if (!cert) throw InvalidArgument("PFX does not contain a certificate");

  PfxCertificate out;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (X509_digest(cert.get(), EVP_sha1(), digest, &length) != 1) throw InvalidArgument("Failed to parse PFX: no thumbprint");
  out.thumbprint = upper_hex(digest, length);
  std::unique_ptr<BIO, decltype(&BIO_free)> pem(BIO_new(BIO_s_mem()), BIO_free);
  if (!pem || PEM_write_bio_PrivateKey(pem.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    throw InvalidArgument("Failed to parse PFX: the private key cannot be written as PEM");
  char* data = nullptr;
  const long n = BIO_get_mem_data(pem.get(), &data);
  out.private_key_pem.assign(data, static_cast<std::size_t>(n));
  out.subject_cn = subject_cn(cert.get());
  out.not_after = not_after(cert.get());
  return out;
}

}  // namespace achilles::graph
