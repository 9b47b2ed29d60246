// The shared OpenSSL client context and the CA bundle lookup.
#include "o2p/storage/http/internal/tls_context.h"

#include <array>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

#include <openssl/err.h>

namespace o2p::storage::http::internal {
namespace {

// Where distributions keep their PEM bundle; the first two cover Debian/Ubuntu (and this
// build host) and Amazon Linux / RHEL (the Lambda runtime).
constexpr std::array<std::string_view, 4> kWellKnownCaFiles = {
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/ssl/cert.pem",
};

// The reason of the oldest queued OpenSSL error, and the queue cleared for the next call.
std::string TakeOpenSslError() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  std::array<char, 256> text{};
  ERR_error_string_n(code, text.data(), text.size());
  return text.data();
}

std::string_view EnvOrEmpty(const char* name) {
  const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read once, at startup
  return value == nullptr ? std::string_view() : std::string_view(value);
}

Status LoadTrustedCertificates(SSL_CTX* context, const HttpClientOptions& options) {
  const std::string ca_file = FindCaFile(options.ca_file, EnvOrEmpty("SSL_CERT_FILE"));
  const std::string ca_dir(EnvOrEmpty("SSL_CERT_DIR"));
  if (ca_file.empty() && ca_dir.empty()) {
    if (SSL_CTX_set_default_verify_paths(context) != 1) {
      return Status::InvalidArgument("TLS: cannot load OpenSSL's default CA paths: {}",
                                     TakeOpenSslError());
    }
    return Status::Ok();
  }
  const char* file = ca_file.empty() ? nullptr : ca_file.c_str();
  const char* dir = ca_dir.empty() ? nullptr : ca_dir.c_str();
  if (SSL_CTX_load_verify_locations(context, file, dir) != 1) {
    return Status::InvalidArgument("TLS: cannot load CA certificates from '{}'{}: {}", ca_file,
                                   ca_dir.empty() ? "" : " and $SSL_CERT_DIR", TakeOpenSslError());
  }
  return Status::Ok();
}

}  // namespace

std::string FindCaFile(std::string_view configured, std::string_view env_cert_file) {
  if (!configured.empty()) return std::string(configured);
  if (!env_cert_file.empty()) return std::string(env_cert_file);
  for (std::string_view path : kWellKnownCaFiles) {
    std::error_code ignored;
    if (std::filesystem::is_regular_file(path, ignored)) return std::string(path);
  }
  return {};
}

Result<SslCtxPtr> MakeClientSslContext(const HttpClientOptions& options) {
  SslCtxPtr context(SSL_CTX_new(TLS_client_method()));
  if (!context) return Status::Internal("TLS: SSL_CTX_new failed: {}", TakeOpenSslError());
  if (SSL_CTX_set_min_proto_version(context.get(), TLS1_2_VERSION) != 1) {
    return Status::Internal("TLS: cannot require TLS 1.2: {}", TakeOpenSslError());
  }
  // Loaded even without verify_peer, so that a bad ca_file setting is reported either way.
  if (Status s = LoadTrustedCertificates(context.get(), options); !s.ok()) return s;
  SSL_CTX_set_verify(context.get(), options.verify_peer ? SSL_VERIFY_PEER : SSL_VERIFY_NONE,
                     nullptr);
  return context;
}

}  // namespace o2p::storage::http::internal
