// The OpenSSL client context every TLS connection of one HttpClient shares: protocol floor,
// peer verification and the trusted CA certificates.
//
// The CA bundle is looked up explicitly because the static Lambda binary cannot rely on the
// OpenSSL build's compiled-in directory (Debian's /usr/lib/ssl does not exist on Amazon Linux).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <openssl/ssl.h>

#include "o2p/base/result.h"
#include "o2p/storage/http/http_client.h"

namespace o2p::storage::http::internal {

struct SslCtxDeleter {
  void operator()(SSL_CTX* context) const { SSL_CTX_free(context); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxDeleter>;

/// The CA bundle to load: `configured` when set, else `env_cert_file` ($SSL_CERT_FILE) when
/// set, else the first existing well-known bundle (Debian, Amazon Linux / RHEL, SUSE, Alpine
/// and macOS paths). "" means none was found: use OpenSSL's default verify paths.
std::string FindCaFile(std::string_view configured, std::string_view env_cert_file);

/// A client context: TLS 1.2 or newer; with options.verify_peer, the peer's chain must verify
/// against the CA bundle (see FindCaFile) and $SSL_CERT_DIR when set. Host names are checked
/// per connection (SSL_set1_host). Fails when the chosen CA bundle cannot be loaded.
Result<SslCtxPtr> MakeClientSslContext(const HttpClientOptions& options);

}  // namespace o2p::storage::http::internal
