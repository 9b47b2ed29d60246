// Endpoint parsing and printing, and RFC 3986 percent-encoding: pure string functions with no
// network code, so they compile fast and are tested in tables.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <arpa/inet.h>

#include "o2p/base/result.h"
#include "o2p/base/text_codec.h"
#include "o2p/storage/http/http_client.h"

namespace o2p::storage::http {
namespace {

uint16_t DefaultPort(bool tls) { return tls ? 443 : 80; }

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// RFC 3986 section 2.3.
bool IsUnreserved(char c) {
  return IsAsciiAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// A DNS name or IPv4 address. Percent-encoded and other reg-name characters (RFC 3986
// section 3.2.2) are legal but never name a real host we talk to, so they are refused.
bool IsValidHostName(std::string_view host) {
  if (host.empty()) return false;
  for (char c : host) {
    if (!IsAsciiAlnum(c) && c != '-' && c != '.' && c != '_') return false;
  }
  return true;
}

bool IsValidIpv6(std::string_view text) {
  in6_addr address{};
  return inet_pton(AF_INET6, std::string(text).c_str(), &address) == 1;
}

// A path may hold anything a request target may, but no whitespace or control characters.
bool IsValidPath(std::string_view path) {
  for (char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f) return false;
  }
  return true;
}

std::optional<uint16_t> ParsePort(std::string_view text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  uint32_t port = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    port = port * 10 + static_cast<uint32_t>(c - '0');
  }
  if (port == 0 || port > 65535) return std::nullopt;
  return static_cast<uint16_t>(port);
}

// Splits "host[:port]" or "[v6][:port]" into `endpoint`; the error names what was wrong.
Status ParseAuthority(std::string_view authority, Endpoint& endpoint) {
  std::string_view port_text;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return Status::InvalidArgument("unclosed '[' in host");
    endpoint.host = std::string(authority.substr(1, close - 1));
    if (!IsValidIpv6(endpoint.host)) return Status::InvalidArgument("bad IPv6 address in host");
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return Status::InvalidArgument("junk after ']'");
    has_port = !rest.empty();
    if (has_port) port_text = rest.substr(1);
  } else {
    const size_t colon = authority.find(':');
    endpoint.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      has_port = true;
      port_text = authority.substr(colon + 1);
    }
    if (endpoint.host.empty()) return Status::InvalidArgument("empty host");
    if (!IsValidHostName(endpoint.host)) return Status::InvalidArgument("bad character in host");
  }
  endpoint.port = DefaultPort(endpoint.tls);
  if (has_port) {
    const std::optional<uint16_t> port = ParsePort(port_text);
    if (!port) return Status::InvalidArgument("bad port");
    endpoint.port = *port;
  }
  return Status::Ok();
}

}  // namespace

std::string Endpoint::HostHeader() const {
  // RFC 7230 section 5.4 with RFC 3986 section 3.2.2: IPv6 literals are bracketed.
  std::string header = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != DefaultPort(tls)) header += ":" + std::to_string(port);
  return header;
}

std::string Endpoint::ToString() const {
  return std::string(tls ? "https://" : "http://") + HostHeader() + base_path;
}

Result<Endpoint> ParseEndpoint(std::string_view url) {
  Endpoint endpoint;
  std::string_view rest;
  constexpr std::string_view kHttp = "http://";
  constexpr std::string_view kHttps = "https://";
  if (url.size() >= kHttps.size() && EqualsIgnoreCase(url.substr(0, kHttps.size()), kHttps)) {
    endpoint.tls = true;
    rest = url.substr(kHttps.size());
  } else if (url.size() >= kHttp.size() && EqualsIgnoreCase(url.substr(0, kHttp.size()), kHttp)) {
    rest = url.substr(kHttp.size());
  } else {
    return Status::InvalidArgument("endpoint '{}': the scheme must be http:// or https://", url);
  }
  const size_t slash = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, slash);
  if (authority.find('@') != std::string_view::npos) {
    // Checked first, and the URL is not echoed: user info may hold a password.
    return Status::InvalidArgument("endpoint: user info (user@host) is not allowed");
  }
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return Status::InvalidArgument("endpoint '{}': a query or fragment is not allowed", url);
  }
  if (Status s = ParseAuthority(authority, endpoint); !s.ok()) {
    return Status::InvalidArgument("endpoint '{}': {}", url, s.message());
  }
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (!IsValidPath(path)) {
    return Status::InvalidArgument("endpoint '{}': bad character in path", url);
  }
  endpoint.base_path = std::string(path);
  return endpoint;
}

std::string UriEncode(std::string_view text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out.push_back(c);
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    out.push_back('%');
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0x0f]);
  }
  return out;
}

}  // namespace o2p::storage::http
