#include "transport/tls_files.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <memory>

#include "support/temp_dir.h"

namespace bookbridge::transport {
namespace {

namespace fs = std::filesystem;
using bookbridge::testing::read_file;
using bookbridge::testing::TempDir;

unsigned mode_of(const fs::path& file) {
  struct stat st {};
  EXPECT_EQ(::stat(file.c_str(), &st), 0) << file;
  return st.st_mode & 0777;
}

std::unique_ptr<X509, decltype(&X509_free)> load_cert(const fs::path& file) {
  std::unique_ptr<FILE, decltype(&std::fclose)> f(std::fopen(file.c_str(), "r"), &std::fclose);
  X509* cert = f ? PEM_read_X509(f.get(), nullptr, nullptr, nullptr) : nullptr;
  return {cert, &X509_free};
}

TEST(SelfSignedCertificate, CreatesKeyWithTightModesAndReusesIt) {
  TempDir temp;
  auto dir = temp.path() / "tls";
  auto first = ensure_self_signed_certificate(dir, {"hub.example", "10.1.2.3"});
  EXPECT_TRUE(first.created);
  EXPECT_EQ(first.cert_file, dir / "cert.pem");
  EXPECT_EQ(first.key_file, dir / "key.pem");
  EXPECT_EQ(mode_of(dir), 0700u);
  EXPECT_EQ(mode_of(first.key_file), 0600u);
  EXPECT_EQ(mode_of(first.cert_file), 0644u);
  EXPECT_FALSE(fs::exists(dir / "key.pem.tmp"));
  std::string key = read_file(first.key_file);
  EXPECT_NE(key.find("BEGIN PRIVATE KEY"), std::string::npos);

  auto second = ensure_self_signed_certificate(dir, {"hub.example"});
  EXPECT_FALSE(second.created);
  EXPECT_EQ(read_file(second.key_file), key);
}

TEST(SelfSignedCertificate, HasTheExpectedNamesAndIsUsableAsTrustAnchor) {
  TempDir temp;
  auto result = ensure_self_signed_certificate(temp.path() / "tls", {"hub.example", "10.1.2.3"});
  auto cert = load_cert(result.cert_file);
  ASSERT_TRUE(cert);
  for (const char* dns : {"localhost", "hub.example"}) {
    EXPECT_EQ(X509_check_host(cert.get(), dns, 0, 0, nullptr), 1) << dns;
  }
  EXPECT_NE(X509_check_host(cert.get(), "other.example", 0, 0, nullptr), 1);
  for (const char* ip : {"127.0.0.1", "::1", "10.1.2.3"}) {
    EXPECT_EQ(X509_check_ip_asc(cert.get(), ip, 0), 1) << ip;
  }
  EXPECT_EQ(X509_check_ca(cert.get()), 1);  // usable directly as hub.caFile
  // Valid for about ten years.
  int days = 0;
  int seconds = 0;
  ASSERT_EQ(ASN1_TIME_diff(&days, &seconds, nullptr, X509_get0_notAfter(cert.get())), 1);
  EXPECT_GT(days, 3640);
  EXPECT_LT(days, 3660);
  EVP_PKEY* key = X509_get0_pubkey(cert.get());
  ASSERT_NE(key, nullptr);
  EXPECT_TRUE(EVP_PKEY_is_a(key, "EC"));
}

TEST(SelfSignedCertificate, ExactNamesVariantAddsNoDefaults) {
  TempDir temp;
  auto result = create_self_signed_certificate(temp.path() / "tls", {"other.example"});
  auto cert = load_cert(result.cert_file);
  ASSERT_TRUE(cert);
  EXPECT_EQ(X509_check_host(cert.get(), "other.example", 0, 0, nullptr), 1);
  EXPECT_NE(X509_check_host(cert.get(), "localhost", 0, 0, nullptr), 1);
  EXPECT_NE(X509_check_ip_asc(cert.get(), "127.0.0.1", 0), 1);
}

TEST(SelfSignedCertificate, RejectsNamesThatAreNeitherDnsNorIp) {
  TempDir temp;
  EXPECT_THROW(ensure_self_signed_certificate(temp.path() / "tls", {"bad,DNS:evil.example"}),
               std::runtime_error);
}

TEST(SelfSignedCertificate, ReportsUnwritableDirectory) {
  TempDir temp;
  bookbridge::testing::write_file(temp.path() / "file", "x");
  try {
    ensure_self_signed_certificate(temp.path() / "file" / "tls", {});
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("file"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace bookbridge::transport
