// Request validation and default header fields; Response::HeaderValue.
#include "o2p/storage/http/internal/message.h"

#include <string>
#include <string_view>
#include <vector>

#include "o2p/base/text_codec.h"

namespace o2p::storage::http {
namespace internal {
namespace {

constexpr std::string_view kUserAgent = "otlp2parquet";

// RFC 9110 section 5.6.2: tchar.
bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsToken(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

bool IsValidFieldValue(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

bool IsValidTarget(std::string_view target) {
  if (target.empty()) return false;
  for (char c : target) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f) return false;
  }
  return true;
}

bool HasHeader(const std::vector<Header>& headers, std::string_view name) {
  for (const Header& header : headers) {
    if (EqualsIgnoreCase(header.name, name)) return true;
  }
  return false;
}

// Methods whose requests carry content by definition, so an empty body is sent as
// "Content-Length: 0" (some servers answer 411 Length Required otherwise).
bool ExpectsBody(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH";
}

}  // namespace

Status ValidateRequest(const Request& request) {
  if (!IsToken(request.method)) return Status::InvalidArgument("bad method");
  if (!IsValidTarget(request.target)) {
    return Status::InvalidArgument("bad target (empty, or with spaces or controls)");
  }
  for (const Header& header : request.headers) {
    if (!IsToken(header.name)) {
      return Status::InvalidArgument("bad header name (not a token)");
    }
    if (!IsValidFieldValue(header.value)) {
      return Status::InvalidArgument("header '{}' has CR, LF or NUL in its value", header.name);
    }
  }
  return Status::Ok();
}

std::vector<Header> HeadersToSend(const Endpoint& endpoint, const Request& request) {
  std::vector<Header> headers = request.headers;
  if (!HasHeader(headers, "Host")) headers.push_back({"Host", endpoint.HostHeader()});
  const bool send_length = !request.body.empty() || ExpectsBody(request.method);
  if (send_length && !HasHeader(headers, "Content-Length") &&
      !HasHeader(headers, "Transfer-Encoding")) {
    headers.push_back({"Content-Length", std::to_string(request.body.size())});
  }
  if (!HasHeader(headers, "User-Agent")) headers.push_back({"User-Agent", std::string(kUserAgent)});
  return headers;
}

bool IsHead(std::string_view method) { return method == "HEAD"; }

}  // namespace internal

std::string_view Response::HeaderValue(std::string_view name) const {
  for (const Header& header : headers) {
    if (EqualsIgnoreCase(header.name, name)) return header.value;
  }
  return {};
}

}  // namespace o2p::storage::http
