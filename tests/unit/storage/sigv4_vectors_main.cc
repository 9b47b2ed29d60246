// Test-only driver for sigv4_botocore_test.py: signs requests read as JSON lines on stdin and
// prints, per request, one JSON line with what SignV4 produced, so that the script can compare
// it with botocore byte for byte.
//
// Input line:  {"method": "PUT", "host": "b.s3.amazonaws.com", "target": "/k?x=1",
//               "headers": [["Name", "value"], ...], "body_base64": "...", "service": "s3",
//               "region": "us-east-1", "s3": true, "unsigned": false, "access_key": "AKID",
//               "secret": "...", "token": "", "time": 1700000000}
// Output line: {"canonical_request": "...", "string_to_sign": "...", "signature": "...",
//               "headers": [["X-Amz-Date", "..."], ..., ["Authorization", "..."]]}
// Boost.JSON itself is compiled once in o2p_aws (boost_json.cc), so only the header is used.
#include <chrono>
#include <exception>
#include <iostream>
#include <string>

#include <boost/json.hpp>

#include "o2p/base/arena.h"
#include "o2p/base/text_codec.h"
#include "o2p/storage/aws/sigv4.h"

namespace {

namespace aws = o2p::storage::aws;
namespace json = boost::json;

std::string Text(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(json::string_view(key.data(), key.size()));
  if (value == nullptr || !value->is_string()) return {};
  return {value->get_string().data(), value->get_string().size()};
}

bool Flag(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(json::string_view(key.data(), key.size()));
  return value != nullptr && value->is_bool() && value->get_bool();
}

json::object SignOne(const json::object& input) {
  o2p::storage::http::Request request;
  request.method = Text(input, "method");
  request.target = Text(input, "target");
  for (const json::value& pair : input.at("headers").as_array()) {
    const json::array& name_value = pair.as_array();
    request.headers.push_back(
        {std::string(name_value.at(0).as_string()), std::string(name_value.at(1).as_string())});
  }
  o2p::Arena arena;
  const std::string body_base64 = Text(input, "body_base64");
  request.body = o2p::DecodeBase64(body_base64, arena).value_or(std::string_view());

  aws::Credentials credentials;
  credentials.access_key_id = Text(input, "access_key");
  credentials.secret_access_key = Text(input, "secret");
  credentials.session_token = Text(input, "token");
  const std::string service = Text(input, "service");
  const std::string region = Text(input, "region");
  aws::SigningOptions options;
  options.service = service;
  options.region = region;
  options.s3_rules = Flag(input, "s3");
  options.unsigned_payload = Flag(input, "unsigned");
  const std::chrono::system_clock::time_point now{
      std::chrono::seconds(input.at("time").to_number<int64_t>())};

  const aws::Signature signature =
      aws::SignV4(request, Text(input, "host"), credentials, options, now);
  json::array added;
  for (const auto& header : signature.headers_to_add) {
    added.push_back(json::array{json::string(header.name), json::string(header.value)});
  }
  return json::object{{"canonical_request", signature.canonical_request},
                      {"string_to_sign", signature.string_to_sign},
                      {"signature", signature.signature},
                      {"headers", std::move(added)}};
}

}  // namespace

int main() {
  std::string line;
  int line_number = 0;
  while (std::getline(std::cin, line)) {
    ++line_number;
    if (line.empty()) continue;
    try {
      std::cout << json::serialize(SignOne(json::parse(line).as_object())) << '\n';
    } catch (const std::exception& error) {
      std::cerr << "line " << line_number << ": " << error.what() << '\n';
      return 1;
    }
  }
  return 0;
}
