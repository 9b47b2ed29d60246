#include "o2p/server/otlp_response.h"

#include <fmt/format.h>

#include "o2p/base/arena.h"
#include "o2p/base/coding.h"
#include "o2p/base/text_codec.h"

namespace o2p::server {
namespace {

constexpr std::string_view kRetryInfoType = "type.googleapis.com/google.rpc.RetryInfo";

// Protobuf wire helpers for the few small messages we answer with.
void PutTag(std::string* out, uint32_t field, uint32_t wire_type) {
  PutVarint32(out, (field << 3) | wire_type);
}
void PutLengthDelimited(std::string* out, uint32_t field, std::string_view bytes) {
  PutTag(out, field, 2);
  PutVarint64(out, bytes.size());
  out->append(bytes);
}
void PutVarintField(std::string* out, uint32_t field, uint64_t value) {
  PutTag(out, field, 0);
  PutVarint64(out, value);
}

// Messages may quote request bytes; JSON and protobuf strings must be valid UTF-8.
std::string SafeText(std::string_view text) {
  Arena arena;
  return std::string(RepairUtf8(text, arena));
}

std::string_view RejectedFieldJsonName(otlp::Signal signal) {
  switch (signal) {
    case otlp::Signal::kLogs: return "rejectedLogRecords";
    case otlp::Signal::kTraces: return "rejectedSpans";
    case otlp::Signal::kMetrics: return "rejectedDataPoints";
  }
  return "rejectedLogRecords";
}

std::string_view ContentTypeFor(otlp::Encoding encoding) {
  return encoding == otlp::Encoding::kProtobuf ? "application/x-protobuf" : "application/json";
}

// google.rpc.RetryInfo {retry_delay: Duration {seconds}} wrapped in google.protobuf.Any.
std::string RetryInfoAny(int retry_after_seconds) {
  std::string duration;
  PutVarintField(&duration, 1, static_cast<uint64_t>(retry_after_seconds));
  std::string retry_info;
  PutLengthDelimited(&retry_info, 1, duration);
  std::string any;
  PutLengthDelimited(&any, 1, kRetryInfoType);
  PutLengthDelimited(&any, 2, retry_info);
  return any;
}

}  // namespace

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kResourceExhausted: return 413;
    case StatusCode::kUnimplemented: return 415;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kUnavailable: return 503;
    default: return 500;
  }
}

std::string EncodeExportResponse(otlp::Signal signal, const otlp::ConvertStats& stats,
                                 otlp::Encoding encoding) {
  const std::string message = SafeText(stats.first_rejection);
  if (encoding != otlp::Encoding::kProtobuf) {
    if (stats.rejected == 0) return "{}";
    std::string json = fmt::format(R"({{"partialSuccess":{{"{}":"{}","errorMessage":)",
                                   RejectedFieldJsonName(signal), stats.rejected);
    AppendJsonString(message, &json);
    json.append("}}");
    return json;
  }
  if (stats.rejected == 0) return {};
  // Export*PartialSuccess {int64 rejected_* = 1; string error_message = 2;} is field 1.
  std::string partial;
  PutVarintField(&partial, 1, static_cast<uint64_t>(stats.rejected));
  if (!message.empty()) PutLengthDelimited(&partial, 2, message);
  std::string response;
  PutLengthDelimited(&response, 1, partial);
  return response;
}

std::string EncodeRpcStatus(StatusCode code, std::string_view message, otlp::Encoding encoding,
                            int retry_after_seconds) {
  const std::string text = SafeText(message);
  if (encoding != otlp::Encoding::kProtobuf) {
    std::string json = fmt::format(R"({{"code":{},"message":)", static_cast<int>(code));
    AppendJsonString(text, &json);
    if (retry_after_seconds > 0) {
      json += fmt::format(R"(,"details":[{{"@type":"{}","retryDelay":"{}s"}}]}})", kRetryInfoType,
                          retry_after_seconds);
    } else {
      json.append(R"(,"details":[]})");
    }
    return json;
  }
  std::string status;
  if (code != StatusCode::kOk) PutVarintField(&status, 1, static_cast<uint64_t>(code));
  if (!text.empty()) PutLengthDelimited(&status, 2, text);
  if (retry_after_seconds > 0) PutLengthDelimited(&status, 3, RetryInfoAny(retry_after_seconds));
  return status;
}

http::HttpResponse HttpErrorResponse(int http_status, std::string_view message,
                                     otlp::Encoding encoding, int retry_after_seconds) {
  StatusCode code = StatusCode::kInternal;
  switch (http_status) {
    case 400: code = StatusCode::kInvalidArgument; break;
    case 401: code = StatusCode::kUnauthenticated; break;
    case 404: code = StatusCode::kNotFound; break;
    case 413: code = StatusCode::kResourceExhausted; break;
    case 415: code = StatusCode::kUnimplemented; break;
    case 429:
    case 503: code = StatusCode::kUnavailable; break;
    default: break;
  }
  http::HttpResponse response;
  response.status = http_status;
  response.content_type = std::string(ContentTypeFor(encoding));
  response.body = EncodeRpcStatus(code, message, encoding, retry_after_seconds);
  if (retry_after_seconds > 0) {
    response.headers.push_back({"Retry-After", std::to_string(retry_after_seconds)});
  }
  return response;
}

http::HttpResponse ToHttpResponse(otlp::Signal signal, otlp::Encoding encoding,
                                  const ExportOutcome& outcome) {
  if (!outcome.status.ok()) {
    const StatusCode code = outcome.status.code();
    const int retry = code == StatusCode::kUnavailable ? outcome.retry_after_seconds : 0;
    return HttpErrorResponse(HttpStatusFor(code), outcome.status.message(), encoding, retry);
  }
  http::HttpResponse response;
  response.status = 200;
  response.content_type = std::string(ContentTypeFor(encoding));
  response.body = EncodeExportResponse(signal, outcome.stats, encoding);
  return response;
}

grpc::GrpcReply ToGrpcReply(otlp::Signal signal, const ExportOutcome& outcome) {
  grpc::GrpcReply reply;
  if (outcome.status.ok()) {
    reply.response = EncodeExportResponse(signal, outcome.stats, otlp::Encoding::kProtobuf);
    return reply;
  }
  const StatusCode code = outcome.status.code();
  switch (code) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kResourceExhausted:
    case StatusCode::kUnimplemented:
    case StatusCode::kUnauthenticated:
    case StatusCode::kUnavailable: reply.code = code; break;
    default: reply.code = StatusCode::kInternal; break;
  }
  reply.message = SafeText(outcome.status.message());
  if (code == StatusCode::kUnavailable && outcome.retry_after_seconds > 0) {
    reply.details = EncodeRpcStatus(code, reply.message, otlp::Encoding::kProtobuf,
                                    outcome.retry_after_seconds);
  }
  return reply;
}

}  // namespace o2p::server
