// AWS Signature Version 4. The rules and their S3 exceptions are described in sigv4.h; the
// canonicalisation details that are easy to get wrong are commented where they are applied.
// tests/unit/storage/sigv4_botocore_test.py checks the output byte for byte against botocore.
#include "o2p/storage/aws/sigv4.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "o2p/base/text_codec.h"

namespace o2p::storage::aws {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kTerminator = "aws4_request";

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

// RFC 3986 section 2.1 with upper-case hex digits, as AWS requires.
void AppendUriEncoded(std::string_view text, bool keep_slash, std::string* out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    if (IsUnreserved(byte) || (keep_slash && byte == '/')) {
      out->push_back(ch);
      continue;
    }
    out->push_back('%');
    out->push_back(kHex[byte >> 4]);
    out->push_back(kHex[byte & 0xF]);
  }
}

int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes %XX escapes byte by byte. A '%' that does not start a valid escape is kept as a
// literal '%', so that re-encoding turns it into "%25" (what a server sees as well). '+' is
// not a space here: AWS treats query strings as RFC 3986, not as HTML form data.
std::string PercentDecode(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int high = HexDigitValue(text[i + 1]);
      const int low = HexDigitValue(text[i + 2]);
      if (high >= 0 && low >= 0) {
        decoded.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
    }
    decoded.push_back(text[i]);
  }
  return decoded;
}

// RFC 3986 section 5.2.4 dot-segment removal, plus the collapsing of empty segments ("//")
// that AWS services other than S3 expect. A trailing '/' survives when any segment remains.
std::string NormalizePath(std::string_view path) {
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  std::string normalized = path.front() == '/' ? "/" : "";
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) normalized.push_back('/');
    normalized.append(segments[i]);
  }
  if (path.back() == '/' && !segments.empty()) normalized.push_back('/');
  return normalized;
}

std::string CanonicalUri(std::string_view path, bool s3_rules) {
  if (path.empty()) return "/";
  // S3 object keys may legitimately contain "//" and "." segments: the path is signed as sent.
  if (s3_rules) return std::string(path);
  // Other services sign the normalised path encoded once more; the path arrives encoded, so
  // "%20" becomes "%2520" (AWS "Create a canonical request": "each path segment must be
  // URI-encoded twice").
  std::string canonical;
  AppendUriEncoded(NormalizePath(path), /*keep_slash=*/true, &canonical);
  return canonical;
}

std::string CanonicalQuery(std::string_view query) {
  if (query.empty()) return "";
  std::vector<std::pair<std::string, std::string>> params;
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view param = query.substr(start, end - start);
    const size_t eq = param.find('=');
    const std::string_view key = param.substr(0, eq);
    const std::string_view value = eq == std::string_view::npos ? "" : param.substr(eq + 1);
    std::pair<std::string, std::string> encoded;
    AppendUriEncoded(PercentDecode(key), /*keep_slash=*/false, &encoded.first);
    AppendUriEncoded(PercentDecode(value), /*keep_slash=*/false, &encoded.second);
    params.push_back(std::move(encoded));
    start = end + 1;
  }
  // Sorted by encoded key, then by encoded value for repeated keys (byte order).
  std::sort(params.begin(), params.end());
  std::string canonical;
  for (const auto& [key, value] : params) {
    if (!canonical.empty()) canonical.push_back('&');
    canonical.append(key).append("=").append(value);
  }
  return canonical;
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// "Trimall": strip leading and trailing whitespace, fold inner runs into one space.
std::string TrimAll(std::string_view value) {
  std::string trimmed;
  bool pending_space = false;
  for (char c : value) {
    if (IsSpace(c)) {
      pending_space = !trimmed.empty();
      continue;
    }
    if (pending_space) trimmed.push_back(' ');
    pending_space = false;
    trimmed.push_back(c);
  }
  return trimmed;
}

struct CanonicalHeaders {
  std::string block;           // "name:value\n" lines
  std::string signed_headers;  // "name;name"
};

CanonicalHeaders BuildCanonicalHeaders(const std::vector<http::Header>& headers) {
  std::vector<std::pair<std::string, std::string>> entries;
  entries.reserve(headers.size());
  for (const http::Header& header : headers) {
    entries.emplace_back(AsciiLower(header.name), TrimAll(header.value));
  }
  // Stable, so repeated headers keep the order in which they are sent.
  std::stable_sort(entries.begin(), entries.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  CanonicalHeaders canonical;
  for (size_t i = 0; i < entries.size(); ++i) {
    const bool same_as_previous = i > 0 && entries[i].first == entries[i - 1].first;
    if (same_as_previous) {
      canonical.block.pop_back();  // the '\n' of the previous value: join with ','
      canonical.block.append(",").append(entries[i].second).append("\n");
      continue;
    }
    if (!canonical.signed_headers.empty()) canonical.signed_headers.push_back(';');
    canonical.signed_headers.append(entries[i].first);
    canonical.block.append(entries[i].first).append(":").append(entries[i].second).append("\n");
  }
  return canonical;
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac.data(), &mac_size);
  return {reinterpret_cast<const char*>(mac.data()), mac_size};
}

// ISO 8601 basic format in UTC, e.g. 20150830T123600Z.
std::string FormatAmzDate(std::chrono::system_clock::time_point now) {
  using std::chrono::days;
  using std::chrono::floor;
  using std::chrono::seconds;
  const auto whole_seconds = floor<seconds>(now);
  const auto day = floor<days>(whole_seconds);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss time{whole_seconds - day};
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     time.hours().count(), time.minutes().count(), time.seconds().count());
}

bool HasHeader(const std::vector<http::Header>& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const http::Header& h) { return EqualsIgnoreCase(h.name, name); });
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_size = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &digest_size, EVP_sha256(), nullptr);
  return ToHex(std::string_view(reinterpret_cast<const char*>(digest.data()), digest_size));
}

std::string DeriveSigningKey(std::string_view secret_access_key, std::string_view date,
                             std::string_view region, std::string_view service) {
  std::string key = "AWS4";
  key.append(secret_access_key);
  key = HmacSha256(key, date);
  key = HmacSha256(key, region);
  key = HmacSha256(key, service);
  return HmacSha256(key, kTerminator);
}

Signature SignV4(const http::Request& request, std::string_view host,
                 const Credentials& credentials, const SigningOptions& options,
                 std::chrono::system_clock::time_point now) {
  const std::string amz_date = FormatAmzDate(now);
  const std::string_view date = std::string_view(amz_date).substr(0, 8);
  const std::string payload_hash =
      options.unsigned_payload ? std::string(kUnsignedPayload) : Sha256Hex(request.body);

  Signature result;
  result.headers_to_add.push_back({"X-Amz-Date", amz_date});
  if (!credentials.session_token.empty()) {
    // Signed, as botocore and the AWS SDKs do for every service.
    result.headers_to_add.push_back({"X-Amz-Security-Token", credentials.session_token});
  }
  if (options.s3_rules || options.unsigned_payload) {
    result.headers_to_add.push_back({"X-Amz-Content-SHA256", payload_hash});
  }

  std::vector<http::Header> signed_headers = request.headers;
  if (!HasHeader(signed_headers, "host")) signed_headers.push_back({"host", std::string(host)});
  signed_headers.insert(signed_headers.end(), result.headers_to_add.begin(),
                        result.headers_to_add.end());
  const CanonicalHeaders headers = BuildCanonicalHeaders(signed_headers);

  const std::string_view target = request.target;
  const size_t question = target.find('?');
  const std::string_view path = target.substr(0, question);
  const std::string_view query =
      question == std::string_view::npos ? std::string_view() : target.substr(question + 1);

  result.canonical_request =
      fmt::format("{}\n{}\n{}\n{}\n{}\n{}", request.method, CanonicalUri(path, options.s3_rules),
                  CanonicalQuery(query), headers.block, headers.signed_headers, payload_hash);
  const std::string scope =
      fmt::format("{}/{}/{}/{}", date, options.region, options.service, kTerminator);
  result.string_to_sign = fmt::format("{}\n{}\n{}\n{}", kAlgorithm, amz_date, scope,
                                      Sha256Hex(result.canonical_request));
  const std::string signing_key =
      DeriveSigningKey(credentials.secret_access_key, date, options.region, options.service);
  result.signature = ToHex(HmacSha256(signing_key, result.string_to_sign));
  result.headers_to_add.push_back(
      {"Authorization",
       fmt::format("{} Credential={}/{}, SignedHeaders={}, Signature={}", kAlgorithm,
                   credentials.access_key_id, scope, headers.signed_headers, result.signature)});
  return result;
}

}  // namespace o2p::storage::aws
