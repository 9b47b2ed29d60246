// The little XML that S3 speaks: error bodies, InitiateMultipartUploadResult,
// ListBucketResult, CompleteMultipartUpload. S3's responses are flat and machine-written, so
// elements are found by name without a general parser; text is entity-decoded.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace o2p::storage::s3 {

/// The raw inner text of every <tag>…</tag> in `xml`, in document order (nested elements of
/// other names stay inside). Elements written as <tag/> yield "".
std::vector<std::string_view> XmlElements(std::string_view xml, std::string_view tag);

/// The decoded text of the first <tag>, or nullopt.
std::optional<std::string> XmlText(std::string_view xml, std::string_view tag);

/// Decodes &amp; &lt; &gt; &quot; &apos; and numeric character references.
std::string XmlDecode(std::string_view text);
/// Escapes & < > " ' for element text.
std::string XmlEscape(std::string_view text);

/// The fields of an S3 <Error> body that go into our messages.
struct S3ErrorBody {
  std::string code;     // "NoSuchBucket", "SlowDown", … ; "" when the body is not an S3 error
  std::string message;
  std::string region;   // <Region> of PermanentRedirect / AuthorizationHeaderMalformed
  std::string request_id;
};
S3ErrorBody ParseS3Error(std::string_view xml);

}  // namespace o2p::storage::s3
