// Self-signed certificate for the hub, made with OpenSSL 3 (non-deprecated APIs only).

#include "transport/tls_files.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <stdexcept>

#ifdef _WIN32
#include <ws2tcpip.h>
#else
#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace bookbridge::transport {

namespace fs = std::filesystem;

namespace {

constexpr const char* kCommonName = "bookbridge-hub";
constexpr long kValidDays = 3650;

template <auto Free>
struct Deleter {
  template <class T>
  void operator()(T* p) const {
    Free(p);
  }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using NamesPtr = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES_free>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;

[[noreturn]] void fail(const std::string& what) {
  std::string detail;
  if (unsigned long err = ERR_get_error(); err != 0) {
    char buffer[256];
    ERR_error_string_n(err, buffer, sizeof buffer);
    detail = std::string(": ") + buffer;
  }
  ERR_clear_error();
  throw std::runtime_error("cannot create the self-signed TLS certificate: " + what + detail);
}

void check(int ok, const std::string& what) {
  if (ok != 1)
    fail(what);
}

bool is_ip_literal(const std::string& name) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, name.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, name.c_str(), buffer) == 1;
}

void add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  ExtPtr ext(X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value));
  if (!ext)
    fail(std::string("extension ") + value);
  check(X509_add_ext(cert, ext.get(), -1), "adding an extension");
}

// subjectAltName built structurally (not from a config string) so that no name can smuggle in
// extra entries.
void add_subject_alt_names(X509* cert, const std::vector<std::string>& names) {
  NamesPtr list(GENERAL_NAMES_new());
  if (!list)
    fail("out of memory");
  for (const auto& name : names) {
    GENERAL_NAME* entry = nullptr;
    if (is_ip_literal(name)) {
      entry = a2i_GENERAL_NAME(nullptr, nullptr, nullptr, GEN_IPADD, name.c_str(), 0);
    } else {
      for (char c : name) {
        auto u = static_cast<unsigned char>(c);
        if (!std::isalnum(u) && c != '-' && c != '.' && c != '*') {
          throw std::runtime_error("cannot create the self-signed TLS certificate: '" + name +
                                   "' is neither a DNS name nor an IP address");
        }
      }
      entry = a2i_GENERAL_NAME(nullptr, nullptr, nullptr, GEN_DNS, name.c_str(), 0);
    }
    if (entry == nullptr)
      fail("subjectAltName '" + name + "'");
    if (sk_GENERAL_NAME_push(list.get(), entry) == 0) {
      GENERAL_NAME_free(entry);
      fail("out of memory");
    }
  }
  check(X509_add1_ext_i2d(cert, NID_subject_alt_name, list.get(), 0, X509V3_ADD_REPLACE),
        "adding subjectAltName");
}

std::string to_pem(const std::function<int(BIO*)>& write) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio)
    fail("out of memory");
  check(write(bio.get()), "PEM encoding");
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

// Writes `content` to a temp file with `mode` in the same directory, then renames it into place,
// so a crash never leaves a half-written key behind.
void write_atomically(const fs::path& file, const std::string& content, int mode) {
  fs::path temp = file;
  temp += ".tmp";
#ifdef _WIN32
  (void)mode;
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out.flush())
      throw std::runtime_error("cannot write " + temp.string());
  }
#else
  ::unlink(temp.c_str());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0)
    throw std::runtime_error("cannot create " + temp.string() + ": " + strerror(errno));
  ::fchmod(fd, static_cast<mode_t>(mode));  // umask must not widen or narrow the mode
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      ::close(fd);
      throw std::runtime_error("cannot write " + temp.string() + ": " + strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    throw std::runtime_error("cannot write " + temp.string() + ": " + strerror(errno));
  }
#endif
  std::error_code ec;
  fs::rename(temp, file, ec);
  if (ec)
    throw std::runtime_error("cannot rename " + temp.string() + ": " + ec.message());
}

void ensure_directory(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec))
    return;
  fs::create_directories(dir, ec);
  if (ec)
    throw std::runtime_error("cannot create directory " + dir.string() + ": " + ec.message());
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
}

}  // namespace

SelfSignedResult create_self_signed_certificate(const fs::path& dir,
                                                const std::vector<std::string>& names) {
  ensure_directory(dir);

  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key)
    fail("generating the EC P-256 key");

  X509Ptr cert(X509_new());
  if (!cert)
    fail("out of memory");
  check(X509_set_version(cert.get(), X509_VERSION_3), "setting the version");

  BnPtr serial(BN_new());
  if (!serial)
    fail("out of memory");
  check(BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY), "making a serial");
  if (BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr) {
    fail("setting the serial");
  }
  // Start an hour early so small clock differences between hub and agent do not matter.
  if (X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) == nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(cert.get()), kValidDays, 0, nullptr) == nullptr) {
    fail("setting the validity");
  }

  X509_NAME* name = X509_get_subject_name(cert.get());
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>(kCommonName), -1, -1, 0),
        "setting the subject");
  check(X509_set_issuer_name(cert.get(), name), "setting the issuer");
  check(X509_set_pubkey(cert.get(), key.get()), "setting the public key");

  // CA:TRUE so the certificate can be the agent's trust anchor (hub.caFile) as it is.
  add_extension(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_extension(cert.get(), NID_key_usage, "critical,digitalSignature,keyCertSign");
  add_extension(cert.get(), NID_ext_key_usage, "serverAuth");
  add_extension(cert.get(), NID_subject_key_identifier, "hash");
  add_subject_alt_names(cert.get(), names);

  if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0)
    fail("signing");

  std::string key_pem = to_pem([&](BIO* bio) {
    return PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
  std::string cert_pem = to_pem([&](BIO* bio) { return PEM_write_bio_X509(bio, cert.get()); });

  SelfSignedResult result{dir / "cert.pem", dir / "key.pem", true};
  write_atomically(result.key_file, key_pem, 0600);
  write_atomically(result.cert_file, cert_pem, 0644);
  return result;
}

SelfSignedResult ensure_self_signed_certificate(const fs::path& dir,
                                                const std::vector<std::string>& extra_names) {
  SelfSignedResult existing{dir / "cert.pem", dir / "key.pem", false};
  std::error_code ec;
  if (fs::is_regular_file(existing.cert_file, ec) && fs::is_regular_file(existing.key_file, ec)) {
    return existing;
  }
  std::vector<std::string> names{"localhost", "127.0.0.1", "::1"};
  for (const auto& extra : extra_names) {
    if (!extra.empty() && std::find(names.begin(), names.end(), extra) == names.end()) {
      names.push_back(extra);
    }
  }
  return create_self_signed_certificate(dir, names);
}

}  // namespace bookbridge::transport
