// Known answers from platform-spec §3.1 and defender-spec §3.4: values the
// original wrote open here, and ours are byte-identical for the same IV.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "achilles/crypto_store/aes_gcm_cipher.hpp"
#include "achilles/crypto_store/encryption_secret.hpp"
#include "achilles/crypto_store/private_file.hpp"
#include "support/process.hpp"

using namespace achilles;
using namespace achilles::crypto_store;

namespace {
std::string hex(const Key& k) {
  std::string s;
  for (unsigned char b : k) s += "0123456789abcdef"[b >> 4], s += "0123456789abcdef"[b & 15];
  return s;
}
constexpr std::array<unsigned char, 16> kIv{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
}  // namespace

TEST_CASE("the key is HKDF-SHA256 of the secret, as the original derives it", "[crypto]") {
  AesGcmCipher platform("projectachilles-test-secret-0123456789");
  CHECK(hex(platform.key()) == "c20e669d760c7829beeb534631e913334d00fb9ecb456d3b68c0bb5884c6e9a2");
  CHECK(hex(platform.legacy_key()) == "1e60e93736517cb6dea8b6da97ccf20f45e679aeabc8ecee1a27e7b4df694b65");
  AesGcmCipher defender("test-encryption-secret-that-is-at-least-32-chars-long");
  CHECK(hex(defender.key()) == "dde176ffd13fc8d86e96a4c878b3b3684bb7c83d7f8f67796c2517954bb7096a");
  CHECK(hex(defender.legacy_key()) == "caf1241528958eff5d5dad98e02c17a2f24136bd20ca48380934e9b02e7ca488");
}

TEST_CASE("sealing with a known IV gives the original's bytes", "[crypto]") {
  AesGcmCipher platform("projectachilles-test-secret-0123456789");
  CHECK("enc:" + platform.seal_with_iv("my-es-api-key", kIv) ==
        "enc:000102030405060708090a0b0c0d0e0f:432bc5d48a780daabcff60c2652477bd:6a24d604f83413984bf98c6096");
  AesGcmCipher defender("test-encryption-secret-that-is-at-least-32-chars-long");
  CHECK(defender.seal_with_iv("super-secret-value", kIv) ==
        "000102030405060708090a0b0c0d0e0f:6452361cf3fb3763b6e3d24357f6859c:fa59da4c57304c452d5a12a95f7f62983fe3");
  CHECK(defender.seal_with_iv("", kIv) == "000102030405060708090a0b0c0d0e0f:7877047ac0d911301221c0357105afee:");
}

TEST_CASE("values the original wrote open, and ours round-trip", "[crypto]") {
  AesGcmCipher cipher("projectachilles-test-secret-0123456789");
  CHECK(cipher.open("enc:000102030405060708090a0b0c0d0e0f:432bc5d48a780daabcff60c2652477bd:6a24d604f83413984bf98c6096") ==
        "my-es-api-key");
  const auto sealed = cipher.seal("hunter2-but-longer");
  CHECK(sealed.starts_with("enc:"));
  CHECK(sealed != cipher.seal("hunter2-but-longer"));  // a fresh IV each time
  CHECK(cipher.open(sealed) == "hunter2-but-longer");
  CHECK(cipher.open(cipher.seal("")) == "");
  CHECK(cipher.open("plain-legacy-value") == "plain-legacy-value");
}

TEST_CASE("a wrong secret, a tampered value or a malformed one fail clearly", "[crypto]") {
  AesGcmCipher cipher("projectachilles-test-secret-0123456789");
  AesGcmCipher other("another-secret-that-is-long-enough-0000");
  const auto sealed = cipher.seal("value");
  CHECK_THROWS_WITH(other.open(sealed), "Unable to decrypt: authentication failed with current and legacy keys");
  std::string tampered = sealed;
  tampered.back() = tampered.back() == '0' ? '1' : '0';
  CHECK_THROWS_AS(cipher.open(tampered), CipherError);
  CHECK_THROWS_AS(cipher.open("enc:zz:yy"), CipherError);
  CHECK_THROWS_AS(cipher.open("enc:00:00:00"), CipherError);
  CHECK_THROWS_WITH(AesGcmCipher(""), Catch::Contains("ENCRYPTION_SECRET environment variable is required"));
  CHECK_THROWS_WITH(AesGcmCipher("short"), Catch::Contains("at least 32 characters"));
}

TEST_CASE("private files are written whole, atomically, mode 0600", "[crypto][files]") {
  achilles::testing::TempDir dir;
  const auto path = dir / "settings" / "analytics.json";
  write_private_file(path, "{\"a\":1}");
  write_private_file(path, "{\"a\":2}");
  CHECK(read_file(path) == "{\"a\":2}");
  struct stat st {};
  ::stat(path.c_str(), &st);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK_FALSE(read_file(dir / "missing.json").has_value());
  const auto aside = move_aside(path, 42);
  CHECK(aside.filename() == "analytics.json.corrupt-42");
  CHECK_FALSE(std::filesystem::exists(path));
}

TEST_CASE("the encryption secret comes from the environment or is generated once, privately", "[crypto][files]") {
  achilles::testing::TempDir dir;
  CHECK(load_or_create_encryption_secret(dir.path(), "from-env-from-env-from-env-from-env").secret ==
        "from-env-from-env-from-env-from-env");
  CHECK_FALSE(std::filesystem::exists(dir / "encryption.secret"));
  const auto first = load_or_create_encryption_secret(dir.path(), nullptr);
  CHECK(first.generated);
  CHECK(first.secret.size() == 64);
  struct stat st {};
  ::stat((dir / "encryption.secret").c_str(), &st);
  CHECK((st.st_mode & 0777) == 0600);
  const auto second = load_or_create_encryption_secret(dir.path(), "");
  CHECK_FALSE(second.generated);
  CHECK(second.secret == first.secret);
  AesGcmCipher cipher(second.secret);  // long enough for the original's rule
  CHECK(cipher.open(cipher.seal("x")) == "x");
}
