// The transport-independent rules of an HTTP/1.1 request, shared by the Beast client and its
// tests: which requests can be written at all, and which header fields the client adds.
#pragma once

#include <string_view>
#include <vector>

#include "o2p/base/status.h"
#include "o2p/storage/http/http_client.h"

namespace o2p::storage::http::internal {

/// INVALID_ARGUMENT when the method, target or a header field could break the message framing
/// (RFC 9110 section 5.5: CR, LF and NUL are never allowed in a field). The message names the
/// offending header, never its value.
Status ValidateRequest(const Request& request);

/// The caller's header fields followed by those it left out: Host, Content-Length (whenever
/// there is a body, and 0 for methods that expect one, RFC 9110 section 8.6) and User-Agent.
std::vector<Header> HeadersToSend(const Endpoint& endpoint, const Request& request);

/// True for HEAD, whose response never has a body whatever its Content-Length says.
bool IsHead(std::string_view method);

}  // namespace o2p::storage::http::internal
