// Onboarding a certificate from its PFX file, as the settings page uploads
// it (multipart/form-data, fields `pfx` and `passphrase`).
#include <catch2/catch.hpp>

#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include <boost/json.hpp>
#include <memory>

#include "achilles/errors.hpp"
#include "achilles/graph/openssl_pfx_reader.hpp"
#include "http/multipart_form.hpp"
#include "support/test_server.hpp"

using namespace achilles;
using namespace achilles::testing;
namespace json = boost::json;
using boost::beast::http::verb;

namespace {

// A self-signed certificate for CN=achilles-graph, valid until 2027-01-01, in a PFX under `passphrase`.
struct Pfx {
  std::string bytes;
  std::string thumbprint;
};

Pfx make_pfx(const std::string& passphrase, bool with_key = true) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), EVP_PKEY_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 7);
  ASN1_TIME_set_string(X509_getm_notBefore(cert.get()), "20260101000000Z");
  ASN1_TIME_set_string(X509_getm_notAfter(cert.get()), "20270101000000Z");
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("Contoso"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("achilles-graph"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509_sign(cert.get(), key.get(), EVP_sha256());
  std::unique_ptr<PKCS12, decltype(&PKCS12_free)> p12(
      PKCS12_create(passphrase.c_str(), "achilles", with_key ? key.get() : nullptr, cert.get(), nullptr, 0, 0, 0, 0, 0), PKCS12_free);
  unsigned char* der = nullptr;
  const int length = i2d_PKCS12(p12.get(), &der);
  Pfx out{std::string(reinterpret_cast<char*>(der), static_cast<std::size_t>(length)), ""};
  OPENSSL_free(der);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  X509_digest(cert.get(), EVP_sha1(), digest, &n);
  static constexpr char kDigits[] = "0123456789ABCDEF";
  for (unsigned int i = 0; i < n; ++i) out.thumbprint += std::string{kDigits[digest[i] >> 4], kDigits[digest[i] & 15]};
  return out;
}

// What a browser's FormData sends.
std::string form(const std::string& boundary, const std::string& pfx, const std::optional<std::string>& passphrase) {
  std::string body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"pfx\"; filename=\"achilles-graph.pfx\"\r\n"
                     "Content-Type: application/x-pkcs12\r\n\r\n" + pfx + "\r\n";
  if (passphrase) body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"passphrase\"\r\n\r\n" + *passphrase + "\r\n";
  return body + "--" + boundary + "--\r\n";
}

}  // namespace

TEST_CASE("a PFX gives its certificate's thumbprint, the key as PEM, the CN and the expiry", "[defender][pfx]") {
  const auto pfx = make_pfx("s3cret pass");
  const auto read = graph::OpenSslPfxReader().read(pfx.bytes, "s3cret pass");
  CHECK(read.thumbprint == pfx.thumbprint);
  CHECK(read.thumbprint.size() == 40);
  CHECK(read.subject_cn == "achilles-graph");
  CHECK(read.not_after == "2027-01-01T00:00:00.000Z");
  CHECK(read.private_key_pem.starts_with("-----BEGIN PRIVATE KEY-----"));
  CHECK_THROWS_WITH(graph::OpenSslPfxReader().read(pfx.bytes, "wrong"), "Invalid PFX passphrase or corrupt file");
  CHECK_THROWS_WITH(graph::OpenSslPfxReader().read("not a pfx", ""), "Invalid PFX passphrase or corrupt file");
  CHECK_THROWS_WITH(graph::OpenSslPfxReader().read(make_pfx("", false).bytes, ""), "PFX does not contain a private key");
}

TEST_CASE("POST /parse-pfx reads the uploaded file, and says what is wrong with a bad one", "[http][defender][pfx]") {
  TestServer server;
  auto client = server.client();
  const auto pfx = make_pfx("s3cret pass");
  const std::string type = "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW";
  auto upload = [&](const std::string& body) {
    return client.request(verb::post, "/api/integrations/defender/parse-pfx", "admin-token", body, type);
  };
  const auto ok = upload(form("----WebKitFormBoundary7MA4YWxkTrZu0gW", pfx.bytes, "s3cret pass"));
  REQUIRE(ok.status == 200);
  const auto data = json::parse(ok.body).at("data");
  CHECK(data.at("thumbprint").as_string() == pfx.thumbprint);
  CHECK(data.at("subject_cn") == "achilles-graph");
  CHECK(data.at("not_after") == "2027-01-01T00:00:00.000Z");
  const auto wrong = upload(form("----WebKitFormBoundary7MA4YWxkTrZu0gW", pfx.bytes, "nope"));
  CHECK(wrong.status == 400);  // REC-15: the original answered 500
  CHECK(wrong.body == R"({"success":false,"error":"Invalid PFX passphrase or corrupt file"})");
  const auto none = upload("--x--\r\n");
  CHECK(none.status == 400);
  CHECK(none.body == R"({"success":false,"error":"pfx file is required"})");
  CHECK(client.request(verb::post, "/api/integrations/defender/parse-pfx", "operator-token", "", type).status == 403);
  CHECK(server.defender_store().alerts().empty());
}

TEST_CASE("multipart bodies are read by their boundary, and malformed ones refused", "[http][multipart]") {
  const auto parts = server::parse_multipart_form("multipart/form-data; boundary=\"b\"", form("b", std::string("\0\r\n--x", 6), "p"));
  REQUIRE(parts);
  CHECK(parts->at("pfx").content == std::string("\0\r\n--x", 6));
  CHECK(parts->at("pfx").filename == "achilles-graph.pfx");
  CHECK(parts->at("passphrase").content == "p");
  CHECK_FALSE(server::parse_multipart_form("application/json", "{}"));
  CHECK_FALSE(server::parse_multipart_form("multipart/form-data", "--b\r\n"));
  CHECK_FALSE(server::parse_multipart_form("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nno end"));
}
