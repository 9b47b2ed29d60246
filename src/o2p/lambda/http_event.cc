#include "o2p/lambda/http_event.h"

#include <cctype>
#include <optional>

#include <boost/json.hpp>

#include "o2p/base/arena.h"
#include "o2p/base/macros.h"
#include "o2p/base/text_codec.h"

namespace o2p::lambda {
namespace {

namespace json = boost::json;

const json::value* Find(const json::object& object, std::string_view key) {
  auto it = object.find(key);
  return it == object.end() || it->value().is_null() ? nullptr : &it->value();
}

std::string_view StringAt(const json::object& object, std::string_view key) {
  const json::value* value = Find(object, key);
  return value != nullptr && value->is_string() ? std::string_view(value->get_string())
                                                : std::string_view();
}

void AddHeader(std::vector<std::pair<std::string, std::string>>& headers, std::string name,
               std::string_view value) {
  for (auto& [existing, joined] : headers) {
    if (existing == name) {
      joined += ", ";
      joined += value;
      return;
    }
  }
  headers.emplace_back(std::move(name), std::string(value));
}

Status ReadHeaders(const json::object& event, HttpEvent& out) {
  // 1.0 sends both maps with the same content; multiValueHeaders is the complete one.
  if (const json::value* multi = Find(event, "multiValueHeaders"); multi != nullptr) {
    if (!multi->is_object()) return Status::InvalidArgument("multiValueHeaders is not an object");
    for (const auto& [name, values] : multi->get_object()) {
      if (!values.is_array()) return Status::InvalidArgument("header {} is not a list", name);
      for (const json::value& value : values.get_array()) {
        if (!value.is_string()) return Status::InvalidArgument("header {} has a non-string", name);
        AddHeader(out.headers, AsciiLower(name), value.get_string());
      }
    }
    return Status::Ok();
  }
  if (const json::value* headers = Find(event, "headers"); headers != nullptr) {
    if (!headers->is_object()) return Status::InvalidArgument("headers is not an object");
    for (const auto& [name, value] : headers->get_object()) {
      if (!value.is_string()) return Status::InvalidArgument("header {} is not a string", name);
      AddHeader(out.headers, AsciiLower(name), value.get_string());
    }
  }
  return Status::Ok();
}

Status ReadBody(const json::object& event, size_t max_body_bytes, HttpEvent& out) {
  const json::value* body = Find(event, "body");
  if (body == nullptr) return Status::Ok();
  if (!body->is_string()) return Status::InvalidArgument("body is not a string");
  const std::string_view text = body->get_string();
  const json::value* flag = Find(event, "isBase64Encoded");
  const bool base64 = flag != nullptr && flag->is_bool() && flag->get_bool();
  const size_t decoded_size = base64 ? text.size() / 4 * 3 : text.size();
  if (decoded_size > max_body_bytes + 2) {  // + 2: padding makes the estimate high by up to 2
    return Status::ResourceExhausted("the request body exceeds {} bytes", max_body_bytes);
  }
  if (!base64) {
    out.body = std::string(text);
  } else {
    Arena arena;
    std::optional<std::string_view> decoded = DecodeBase64(text, arena);
    if (!decoded) return Status::InvalidArgument("isBase64Encoded is true but body is not base64");
    out.body = std::string(*decoded);
  }
  if (out.body.size() > max_body_bytes) {
    return Status::ResourceExhausted("the request body exceeds {} bytes", max_body_bytes);
  }
  return Status::Ok();
}

std::string_view TrimTrailingSlash(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  return path;
}

}  // namespace

std::string_view HttpEvent::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return {};
}

Result<HttpEvent> ParseHttpEvent(std::string_view text, size_t max_body_bytes) {
  boost::system::error_code error;
  json::value parsed = json::parse(json::string_view(text.data(), text.size()), error);
  if (error) return Status::InvalidArgument("the event is not JSON: {}", error.message());
  if (!parsed.is_object()) return Status::InvalidArgument("the event is not a JSON object");
  const json::object& event = parsed.get_object();
  HttpEvent out;
  if (StringAt(event, "version") == "2.0") {
    out.format = PayloadFormat::kV2;
    out.path = std::string(StringAt(event, "rawPath"));
    if (const json::value* context = Find(event, "requestContext");
        context != nullptr && context->is_object()) {
      if (const json::value* http = Find(context->get_object(), "http");
          http != nullptr && http->is_object()) {
        out.method = std::string(StringAt(http->get_object(), "method"));
      }
    }
  } else {
    out.format = PayloadFormat::kV1;
    out.method = std::string(StringAt(event, "httpMethod"));
    out.path = std::string(StringAt(event, "path"));
  }
  if (out.method.empty() || out.path.empty()) {
    return Status::InvalidArgument(
        "the event is not an HTTP request from a Function URL or API Gateway (payload 1.0 "
        "needs httpMethod and path; 2.0 needs requestContext.http.method and rawPath)");
  }
  for (char& c : out.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  O2P_RETURN_IF_ERROR(ReadHeaders(event, out));
  out.body_status = ReadBody(event, max_body_bytes, out);
  if (!out.body_status.ok()) out.body.clear();
  return out;
}

std::string HttpResponseJson(PayloadFormat format, const HttpResult& result) {
  json::object response;
  response["statusCode"] = result.status;
  json::object headers;
  for (const auto& [name, value] : result.headers) headers[name] = value;
  response["headers"] = std::move(headers);
  if (format == PayloadFormat::kV1) response["multiValueHeaders"] = json::object();
  response["body"] = result.binary ? ToBase64(result.body) : result.body;
  response["isBase64Encoded"] = result.binary;
  return json::serialize(response);
}

std::string_view MatchRoute(std::string_view path, std::span<const std::string_view> routes) {
  path = TrimTrailingSlash(path);
  std::string_view best;
  for (const std::string_view route : routes) {
    if (path == route) return route;
    // A route starts with '/', so a suffix match is at a segment boundary: "/prod" + "/v1/logs".
    if (route.starts_with('/') && path.ends_with(route) && route.size() > best.size()) {
      best = route;
    }
  }
  return best;
}

}  // namespace o2p::lambda
