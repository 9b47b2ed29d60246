// HttpClient over TLS against an in-process server whose CA and certificates are made at test
// time with the openssl command (part of every Debian system with ca-certificates).
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include "o2p/storage/http/http_client.h"
#include "o2p/storage/http/internal/tls_context.h"
#include "support/matchers.h"
#include "unit/storage/http_test_server.h"

namespace o2p::storage::http {
namespace {

using ::o2p::storage::http::testing::LoopbackServer;
using ::o2p::storage::http::testing::ServeEcho;
using ::o2p::testing::IsError;
using ::o2p::testing::IsErrorWith;
using ::o2p::testing::IsOk;
using std::chrono::milliseconds;

constexpr milliseconds kTimeout{5000};

// One CA; "local" is valid for localhost, 127.0.0.1 and ::1, "other" only for otherhost.
constexpr std::string_view kOpenSslConfig = R"(
[req]
distinguished_name = dn
prompt = no
[dn]
CN = o2p test
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[local]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1,IP:::1
[other]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:otherhost
)";

bool Run(const std::string& command) {
  return std::system((command + " >/dev/null 2>&1").c_str()) == 0;  // NOLINT(cert-env33-c)
}

// Writes ca.pem, local.pem/local.key and other.pem/other.key into `dir`.
bool MakeCertificates(const std::string& dir) {
  std::ofstream(dir + "/openssl.cnf") << kOpenSslConfig;
  const std::string config = " -config " + dir + "/openssl.cnf";
  const std::string new_key = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  if (!Run("openssl req -x509 -days 2" + new_key + config + " -extensions ca -keyout " + dir +
           "/ca.key -out " + dir + "/ca.pem")) {
    return false;
  }
  for (const std::string leaf : {"local", "other"}) {
    const std::string base = dir + "/" + leaf;
    if (!Run("openssl req -new" + new_key + config + " -keyout " + base + ".key -out " + base +
             ".csr") ||
        !Run("openssl x509 -req -days 2 -set_serial 7 -in " + base + ".csr -CA " + dir +
             "/ca.pem -CAkey " + dir + "/ca.key -extfile " + dir + "/openssl.cnf -extensions " +
             leaf + " -out " + base + ".pem")) {
      return false;
    }
  }
  return true;
}

class HttpClientTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string pattern = (std::filesystem::temp_directory_path() / "o2p_tls_XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) return;
    dir_ = pattern;
    certificates_ok_ = MakeCertificates(dir_);
  }
  static void TearDownTestSuite() {
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }
  void SetUp() override {
    if (!certificates_ok_) GTEST_SKIP() << "the openssl command could not make certificates";
  }

  static std::unique_ptr<LoopbackServer> StartServer(const std::string& leaf, bool ipv6 = false) {
    LoopbackServer::Options options;
    options.ipv6 = ipv6;
    options.cert_file = dir_ + "/" + leaf + ".pem";
    options.key_file = dir_ + "/" + leaf + ".key";
    return LoopbackServer::Start(ServeEcho, options);
  }
  static std::string CaFile() { return dir_ + "/ca.pem"; }

  static HttpClientOptions TrustingTestCa() {
    HttpClientOptions options;
    options.ca_file = CaFile();
    return options;
  }

  static std::unique_ptr<HttpClient> NewClient(const HttpClientOptions& options) {
    Result<std::unique_ptr<HttpClient>> client = MakeHttpClient(options);
    EXPECT_THAT(client, IsOk());
    return client.has_value() ? std::move(*client) : nullptr;
  }

  static Request Get() {
    Request request;
    request.target = "/tls";
    return request;
  }

  static inline std::string dir_;
  static inline bool certificates_ok_ = false;
};

TEST_F(HttpClientTlsTest, TrustsTheConfiguredCaAndReusesTheConnection) {
  auto server = StartServer("local");
  auto client = NewClient(TrustingTestCa());
  for (int i = 0; i < 3; ++i) {
    Request put = Get();
    put.method = "PUT";
    put.body = "over tls";
    Result<Response> response = client->Send(server->endpoint(), put, kTimeout);
    ASSERT_THAT(response, IsOk());
    EXPECT_EQ(response->body, "over tls");
  }
  EXPECT_EQ(server->accepted(), 1);
}

TEST_F(HttpClientTlsTest, VerifiesDnsNamesWithSni) {
  auto server = StartServer("local");
  auto client = NewClient(TrustingTestCa());
  Endpoint endpoint = server->endpoint();
  endpoint.host = "localhost";  // resolved through the resolver, checked against DNS:localhost
  EXPECT_THAT(client->Send(endpoint, Get(), kTimeout), IsOk());
}

TEST_F(HttpClientTlsTest, Ipv6Loopback) {
  auto server = StartServer("local", /*ipv6=*/true);
  if (server == nullptr) GTEST_SKIP() << "no IPv6 loopback on this host";
  auto client = NewClient(TrustingTestCa());
  EXPECT_THAT(client->Send(server->endpoint(), Get(), kTimeout), IsOk());
}

TEST_F(HttpClientTlsTest, DefaultBundleRejectsAnUnknownCa) {
  auto server = StartServer("local");
  auto client = NewClient({});
  EXPECT_THAT(client->Send(server->endpoint(), Get(), kTimeout),
              IsErrorWith(StatusCode::kUnavailable, "certificate verification"));
}

TEST_F(HttpClientTlsTest, RejectsACertificateForAnotherHost) {
  auto server = StartServer("other");
  auto client = NewClient(TrustingTestCa());
  Result<Response> response = client->Send(server->endpoint(), Get(), kTimeout);
  EXPECT_THAT(response, IsErrorWith(StatusCode::kUnavailable, "certificate verification"));
  EXPECT_THAT(response.status().message(), ::testing::HasSubstr("127.0.0.1:"));
}

TEST_F(HttpClientTlsTest, VerifyPeerOffAcceptsAnything) {
  auto server = StartServer("other");
  HttpClientOptions options;
  options.verify_peer = false;
  auto client = NewClient(options);
  EXPECT_THAT(client->Send(server->endpoint(), Get(), kTimeout), IsOk());
}

TEST_F(HttpClientTlsTest, SslCertFileFromTheEnvironment) {
  auto server = StartServer("local");
  ASSERT_EQ(setenv("SSL_CERT_FILE", CaFile().c_str(), 1), 0);
  Result<std::unique_ptr<HttpClient>> client = MakeHttpClient({});
  unsetenv("SSL_CERT_FILE");
  ASSERT_THAT(client, IsOk());
  EXPECT_THAT((*client)->Send(server->endpoint(), Get(), kTimeout), IsOk());
}

TEST_F(HttpClientTlsTest, MissingCaFileFailsAtConstruction) {
  HttpClientOptions missing;
  missing.ca_file = dir_ + "/missing.pem";
  EXPECT_THAT(MakeHttpClient(missing), IsErrorWith(StatusCode::kInvalidArgument, "missing.pem"));
  HttpClientOptions not_pem;
  not_pem.ca_file = dir_ + "/openssl.cnf";  // exists, holds no certificate
  EXPECT_THAT(MakeHttpClient(not_pem), IsError(StatusCode::kInvalidArgument));
}

TEST(FindCaFileTest, ConfiguredThenEnvironmentThenWellKnownPaths) {
  EXPECT_EQ(internal::FindCaFile("/my/ca.pem", "/env/ca.pem"), "/my/ca.pem");
  EXPECT_EQ(internal::FindCaFile("", "/env/ca.pem"), "/env/ca.pem");
  const std::string found = internal::FindCaFile("", "");
  if (std::filesystem::exists("/etc/ssl/certs/ca-certificates.crt")) {
    EXPECT_EQ(found, "/etc/ssl/certs/ca-certificates.crt");  // Debian's bundle comes first
  }
  if (!found.empty()) {
    EXPECT_TRUE(std::filesystem::is_regular_file(found));
  }
}

}  // namespace
}  // namespace o2p::storage::http
