#include "o2p/otlp/decode_json.h"

#include <cmath>
#include <limits>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "o2p/base/text_codec.h"
#include "support/matchers.h"
#include "unit/otlp/decode_json_test_util.h"

namespace o2p::otlp::json_test {
namespace {

using ::o2p::testing::IsErrorWith;
using ::o2p::testing::IsOk;

// ---- logs -----------------------------------------------------------------------------------

constexpr std::string_view kFullLogs = R"({
  "resourceLogs": [{
    "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "api"}}],
                 "droppedAttributesCount": 1},
    "schemaUrl": "https://opentelemetry.io/schemas/1.21.0",
    "scopeLogs": [{
      "scope": {"name": "lib", "version": "1.2", "droppedAttributesCount": 3,
                "attributes": [{"key": "k", "value": {"boolValue": true}}]},
      "schemaUrl": "scope-schema",
      "logRecords": [{
        "timeUnixNano": "1700000000000000001",
        "observedTimeUnixNano": 1700000000000000002,
        "severityNumber": 9,
        "severityText": "INFO",
        "body": {"stringValue": "hello"},
        "attributes": [{"key": "n", "value": {"intValue": "42"}}],
        "droppedAttributesCount": 4,
        "flags": 1,
        "traceId": "5B8EFFF798038103D269B633813FC60C",
        "spanId": "eee19b7ec3c1b174",
        "eventName": "app.start"
      }, {}]
    }]
  }]
})";

TEST_F(DecodeJsonTest, LogsFullRequest) {
  ASSERT_THAT(DecodeLogs(kFullLogs), IsOk());
  ASSERT_EQ(logs_.resource_logs.size(), 1u);
  const ResourceLogs& rl = logs_.resource_logs[0];
  ASSERT_EQ(rl.resource.attributes.size(), 1u);
  EXPECT_EQ(rl.resource.attributes[0].key, "service.name");
  EXPECT_EQ(rl.resource.attributes[0].value.kind, ValueKind::kString);
  EXPECT_EQ(rl.resource.attributes[0].value.string_value, "api");
  EXPECT_EQ(rl.resource.dropped_attributes_count, 1u);
  EXPECT_EQ(rl.schema_url, "https://opentelemetry.io/schemas/1.21.0");
  const ScopeLogs& sl = rl.scope_logs.at(0);
  EXPECT_EQ(sl.scope.name, "lib");
  EXPECT_EQ(sl.scope.version, "1.2");
  EXPECT_EQ(sl.scope.dropped_attributes_count, 3u);
  ASSERT_EQ(sl.scope.attributes.size(), 1u);
  EXPECT_TRUE(sl.scope.attributes[0].value.bool_value);
  EXPECT_EQ(sl.schema_url, "scope-schema");
  ASSERT_EQ(sl.log_records.size(), 2u);
  const LogRecord& r = sl.log_records[0];
  EXPECT_EQ(r.time_unix_nano, 1700000000000000001u);
  EXPECT_EQ(r.observed_time_unix_nano, 1700000000000000002u);
  EXPECT_EQ(r.severity_number, 9);
  EXPECT_EQ(r.severity_text, "INFO");
  EXPECT_TRUE(r.has_body);
  EXPECT_EQ(r.body.kind, ValueKind::kString);
  EXPECT_EQ(r.body.string_value, "hello");
  ASSERT_EQ(r.attributes.size(), 1u);
  EXPECT_EQ(r.attributes[0].value.kind, ValueKind::kInt);
  EXPECT_EQ(r.attributes[0].value.int_value, 42);
  EXPECT_EQ(r.dropped_attributes_count, 4u);
  EXPECT_EQ(r.flags, 1u);
  EXPECT_EQ(ToHex(r.trace_id.bytes), "5b8efff798038103d269b633813fc60c");
  EXPECT_TRUE(r.trace_id.error.empty());
  EXPECT_EQ(ToHex(r.span_id.bytes), "eee19b7ec3c1b174");
  EXPECT_EQ(r.event_name, "app.start");
  const LogRecord& empty = sl.log_records[1];
  EXPECT_FALSE(empty.has_body);
  EXPECT_EQ(empty.time_unix_nano, 0u);
  EXPECT_TRUE(empty.trace_id.bytes.empty());
}

TEST_F(DecodeJsonTest, LogsSnakeCaseKeysDecodeTheSame) {
  const std::string snake = R"({"resource_logs":[{"schema_url":"s","scope_logs":[{
      "scope":{"name":"lib","dropped_attributes_count":2},"schema_url":"t",
      "log_records":[{"time_unix_nano":"5","observed_time_unix_nano":6,"severity_number":
      "SEVERITY_NUMBER_ERROR","severity_text":"E","body":{"string_value":"b"},
      "dropped_attributes_count":7,"trace_id":"000102030405060708090a0b0c0d0e0f",
      "span_id":"0001020304050607","event_name":"ev",
      "attributes":[{"key":"a","value":{"int_value":1}}]}]}]}]})";
  ASSERT_THAT(DecodeLogs(snake), IsOk());
  const ResourceLogs& rl = logs_.resource_logs.at(0);
  EXPECT_EQ(rl.schema_url, "s");
  EXPECT_EQ(rl.scope_logs.at(0).schema_url, "t");
  EXPECT_EQ(rl.scope_logs.at(0).scope.dropped_attributes_count, 2u);
  const LogRecord& r = Record();
  EXPECT_EQ(r.time_unix_nano, 5u);
  EXPECT_EQ(r.observed_time_unix_nano, 6u);
  EXPECT_EQ(r.severity_number, 17);
  EXPECT_EQ(r.severity_text, "E");
  EXPECT_EQ(r.body.string_value, "b");
  EXPECT_EQ(r.dropped_attributes_count, 7u);
  EXPECT_EQ(r.trace_id.bytes.size(), 16u);
  EXPECT_EQ(r.span_id.bytes.size(), 8u);
  EXPECT_EQ(r.event_name, "ev");
  EXPECT_EQ(r.attributes.at(0).value.int_value, 1);
}

TEST_F(DecodeJsonTest, SixtyFourBitIntegersAsStringsAndNumbers) {
  ASSERT_THAT(DecodeLogs(Logs(R"({"timeUnixNano":"18446744073709551615",
      "observedTimeUnixNano":18446744073709551615,
      "attributes":[{"key":"a","value":{"intValue":"-9223372036854775808"}},
                    {"key":"b","value":{"intValue":9223372036854775807}},
                    {"key":"c","value":{"intValue":1e3}},
                    {"key":"d","value":{"intValue":"-0"}}]})")),
              IsOk());
  const LogRecord& r = Record();
  EXPECT_EQ(r.time_unix_nano, kMaxU64);
  EXPECT_EQ(r.observed_time_unix_nano, kMaxU64);
  EXPECT_EQ(r.attributes.at(0).value.int_value, kMinI64);
  EXPECT_EQ(r.attributes.at(1).value.int_value, kMaxI64);
  EXPECT_EQ(r.attributes.at(2).value.int_value, 1000);
  EXPECT_EQ(r.attributes.at(3).value.int_value, 0);
}

TEST_F(DecodeJsonTest, IntegerRangeAndFractionErrorsNameThePath) {
  EXPECT_THAT(DecodeLogs(Logs(R"({"timeUnixNano":"18446744073709551616"})")),
              IsErrorWith(StatusCode::kInvalidArgument,
                          At("uint64 out of range", kLogPath, ".timeUnixNano")));
  EXPECT_THAT(DecodeLogs(Logs(R"({"timeUnixNano":-1})")),
              IsErrorWith(StatusCode::kInvalidArgument, "uint64 out of range"));
  EXPECT_THAT(DecodeLogs(Logs(R"({"time_unix_nano":1.5})")),
              IsErrorWith(StatusCode::kInvalidArgument,
                          At("expected an integer, got a fraction", kLogPath, ".time_unix_nano")));
  EXPECT_THAT(DecodeLogs(Logs(R"({"timeUnixNano":"12abc"})")),
              IsErrorWith(StatusCode::kInvalidArgument,
                          At("expected an integer", kLogPath, ".timeUnixNano")));
  EXPECT_THAT(DecodeLogs(Logs(R"({"attributes":[{"key":"a","value":{"intValue":
                                   "9223372036854775808"}}]})")),
              IsErrorWith(StatusCode::kInvalidArgument,
                          At("int64 out of range", kLogPath, ".attributes[0].value.intValue")));
  EXPECT_THAT(DecodeLogs(Logs(R"({"droppedAttributesCount":4294967296})")),
              IsErrorWith(StatusCode::kInvalidArgument,
                          At("uint32 out of range", kLogPath, ".droppedAttributesCount")));
  EXPECT_THAT(DecodeLogs(Logs(R"({"flags":-1})")),
              IsErrorWith(StatusCode::kInvalidArgument, "uint32 out of range"));
  ASSERT_THAT(DecodeLogs(Logs(R"({"flags":"4294967295","droppedAttributesCount":"3"})")), IsOk());
  EXPECT_EQ(Record().flags, 4294967295u);
}

TEST_F(DecodeJsonTest, SeverityNumberByNameOrNumber) {
  ASSERT_THAT(DecodeLogs(Logs(R"({"severityNumber":"SEVERITY_NUMBER_WARN"},
                                 {"severityNumber":21},{"severityNumber":"SEVERITY_NUMBER_FATAL4"},
                                 {"severityNumber":"SEVERITY_NUMBER_UNSPECIFIED"},
                                 {"severityNumber":"3"},{"severityNumber":99})")),
              IsOk());
  EXPECT_EQ(Record(0).severity_number, 13);
  EXPECT_EQ(Record(1).severity_number, 21);
  EXPECT_EQ(Record(2).severity_number, 24);
  EXPECT_EQ(Record(3).severity_number, 0);
  EXPECT_EQ(Record(4).severity_number, 3);
  EXPECT_EQ(Record(5).severity_number, 99);  // proto3 enums are open
}

TEST_F(DecodeJsonTest, BadEnumValuesAreErrors) {
  EXPECT_THAT(DecodeLogs(Logs(R"({"severityNumber":"SEVERITY_NUMBER_LOUD"})")),
              IsErrorWith(StatusCode::kInvalidArgument,
                          At("unknown enum name", kLogPath, ".severityNumber")));
  EXPECT_THAT(DecodeLogs(Logs(R"({"severityNumber":"severity_number_info"})")),
              IsErrorWith(StatusCode::kInvalidArgument, "unknown enum name"));
  EXPECT_THAT(DecodeLogs(Logs(R"({"severityNumber":""})")),
              IsErrorWith(StatusCode::kInvalidArgument, "unknown enum name"));
  EXPECT_THAT(DecodeLogs(Logs(R"({"severityNumber":9.5})")),
              IsErrorWith(StatusCode::kInvalidArgument, "got a fraction"));
  EXPECT_THAT(DecodeLogs(Logs(R"({"severityNumber":2147483648})")),
              IsErrorWith(StatusCode::kInvalidArgument, "int32 out of range"));
  EXPECT_THAT(DecodeLogs(Logs(R"({"severityNumber":true})")),
              IsErrorWith(StatusCode::kInvalidArgument,
                          At("expected an integer", kLogPath, ".severityNumber")));
}

TEST_F(DecodeJsonTest, BodyPresenceAndNull) {
  ASSERT_THAT(DecodeLogs(Logs(R"({"body":{}},{"body":null},{},{"body":{"unknown":1}})")), IsOk());
  EXPECT_TRUE(Record(0).has_body);
  EXPECT_EQ(Record(0).body.kind, ValueKind::kNone);
  EXPECT_FALSE(Record(1).has_body);
  EXPECT_FALSE(Record(2).has_body);
  EXPECT_TRUE(Record(3).has_body);
  EXPECT_EQ(Record(3).body.kind, ValueKind::kNone);
}

TEST_F(DecodeJsonTest, EveryAnyValueKindNested) {
  ASSERT_THAT(DecodeLogs(Logs(R"({"body":{"kvlistValue":{"values":[
      {"key":"s","value":{"stringValue":"x"}},
      {"key":"b","value":{"boolValue":false}},
      {"key":"i","value":{"intValue":"-7"}},
      {"key":"d","value":{"doubleValue":2.5}},
      {"key":"bytes","value":{"bytesValue":"AAH/"}},
      {"key":"empty","value":{}},
      {"key":"novalue"},
      {"key":"arr","value":{"arrayValue":{"values":[
          {"intValue":1},
          {"arrayValue":{"values":[{"stringValue":"deep"}]}},
          {"kvlistValue":{"values":[{"key":"k","value":{"doubleValue":"-Infinity"}}]}},
          {"arrayValue":{}}, {"kvlistValue":{}}]}}}]}}})")),
              IsOk());
  const AnyValue& body = Record().body;
  ASSERT_EQ(body.kind, ValueKind::kKvList);
  const std::vector<KeyValue>& kv = body.kvlist_values;
  ASSERT_EQ(kv.size(), 8u);
  EXPECT_EQ(kv[0].value.kind, ValueKind::kString);
  EXPECT_EQ(kv[0].value.string_value, "x");
  EXPECT_EQ(kv[1].value.kind, ValueKind::kBool);
  EXPECT_FALSE(kv[1].value.bool_value);
  EXPECT_EQ(kv[2].value.kind, ValueKind::kInt);
  EXPECT_EQ(kv[2].value.int_value, -7);
  EXPECT_EQ(kv[3].value.kind, ValueKind::kDouble);
  EXPECT_EQ(kv[3].value.double_value, 2.5);
  EXPECT_EQ(kv[4].value.kind, ValueKind::kBytes);
  EXPECT_EQ(kv[4].value.string_value, std::string_view("\x00\x01\xff", 3));
  EXPECT_EQ(kv[5].value.kind, ValueKind::kNone);
  EXPECT_EQ(kv[6].key, "novalue");
  EXPECT_EQ(kv[6].value.kind, ValueKind::kNone);
  const AnyValue& arr = kv[7].value;
  ASSERT_EQ(arr.kind, ValueKind::kArray);
  ASSERT_EQ(arr.array_values.size(), 5u);
  EXPECT_EQ(arr.array_values[0].int_value, 1);
  ASSERT_EQ(arr.array_values[1].kind, ValueKind::kArray);
  EXPECT_EQ(arr.array_values[1].array_values.at(0).string_value, "deep");
  ASSERT_EQ(arr.array_values[2].kind, ValueKind::kKvList);
  EXPECT_EQ(arr.array_values[2].kvlist_values.at(0).value.double_value,
            -std::numeric_limits<double>::infinity());
  EXPECT_EQ(arr.array_values[3].kind, ValueKind::kArray);
  EXPECT_TRUE(arr.array_values[3].array_values.empty());
  EXPECT_EQ(arr.array_values[4].kind, ValueKind::kKvList);
  EXPECT_TRUE(arr.array_values[4].kvlist_values.empty());
}

TEST_F(DecodeJsonTest, AnyValueSnakeCaseAndLastMemberWins) {
  ASSERT_THAT(DecodeLogs(Logs(R"({"attributes":[
      {"key":"a","value":{"array_value":{"values":[{"bool_value":true},{"double_value":1},
                                                   {"bytes_value":""}]}}},
      {"key":"b","value":{"kvlist_value":{"values":[{"key":"x","value":{"string_value":"y"}}]}}},
      {"key":"c","value":{"stringValue":"first","intValue":5}},
      {"key":"d","value":{"intValue":5,"stringValue":null}}]})")),
              IsOk());
  const std::vector<KeyValue>& attrs = Record().attributes;
  ASSERT_EQ(attrs.size(), 4u);
  ASSERT_EQ(attrs[0].value.array_values.size(), 3u);
  EXPECT_TRUE(attrs[0].value.array_values[0].bool_value);
  EXPECT_EQ(attrs[0].value.array_values[1].double_value, 1.0);
  EXPECT_EQ(attrs[0].value.array_values[2].kind, ValueKind::kBytes);
  EXPECT_EQ(attrs[1].value.kvlist_values.at(0).value.string_value, "y");
  EXPECT_EQ(attrs[2].value.kind, ValueKind::kInt);
  EXPECT_EQ(attrs[2].value.int_value, 5);
  EXPECT_EQ(attrs[3].value.kind, ValueKind::kInt);  // null = absent
}

TEST_F(DecodeJsonTest, DoublesAcceptNaNAndInfinityStrings) {
  ASSERT_THAT(DecodeLogs(Logs(R"({"attributes":[
      {"key":"a","value":{"doubleValue":"NaN"}},
      {"key":"b","value":{"doubleValue":"Infinity"}},
      {"key":"c","value":{"doubleValue":"-Infinity"}},
      {"key":"d","value":{"doubleValue":"1.25"}},
      {"key":"e","value":{"doubleValue":-0}},
      {"key":"f","value":{"doubleValue":1e308}}]})")),
              IsOk());
  const std::vector<KeyValue>& a = Record().attributes;
  EXPECT_TRUE(std::isnan(a.at(0).value.double_value));
  EXPECT_EQ(a.at(1).value.double_value, std::numeric_limits<double>::infinity());
  EXPECT_EQ(a.at(2).value.double_value, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(a.at(3).value.double_value, 1.25);
  EXPECT_TRUE(std::signbit(a.at(4).value.double_value));
  EXPECT_EQ(a.at(5).value.double_value, 1e308);
  EXPECT_THAT(DecodeLogs(Logs(R"({"attributes":[{"key":"a","value":{"doubleValue":"nan"}}]})")),
              IsErrorWith(StatusCode::kInvalidArgument,
                          At("expected a number", kLogPath, ".attributes[0].value.doubleValue")));
  EXPECT_THAT(DecodeLogs(Logs(R"({"attributes":[{"key":"a","value":{"doubleValue":1e999}}]})")),
              IsErrorWith(StatusCode::kInvalidArgument, "number out of range"));
}

TEST_F(DecodeJsonTest, AnyValueErrorsNameThePath) {
  EXPECT_THAT(DecodeLogs(Logs(R"({"attributes":[{"key":"a","value":{"boolValue":"true"}}]})")),
              IsErrorWith(StatusCode::kInvalidArgument,
                          At("expected a boolean", kLogPath, ".attributes[0].value.boolValue")));
  EXPECT_THAT(DecodeLogs(Logs(R"({"body":{"bytesValue":"not base64!"}})")),
              IsErrorWith(StatusCode::kInvalidArgument,
                          At("invalid base64", kLogPath, ".body.bytesValue")));
  EXPECT_THAT(
      DecodeLogs(Logs(R"({"body":{"arrayValue":{"values":[{"intValue":1},{"kvlistValue":
                      {"values":[{"key":"k","value":{"stringValue":7}}]}}]}}})")),
      IsErrorWith(StatusCode::kInvalidArgument,
                  At("expected a string", kLogPath,
                     ".body.arrayValue.values[1].kvlistValue.values[0].value.stringValue")));
  EXPECT_THAT(DecodeLogs(Logs(R"({"body":{"arrayValue":[1]}})")),
              IsErrorWith(StatusCode::kInvalidArgument,
                          At("expected an object", kLogPath, ".body.arrayValue")));
  EXPECT_THAT(
      DecodeLogs(Logs(R"({"body":"text"})")),
      IsErrorWith(StatusCode::kInvalidArgument, At("expected an object", kLogPath, ".body")));
  EXPECT_THAT(DecodeLogs(Logs(R"({"attributes":[{"key":1}]})")),
              IsErrorWith(StatusCode::kInvalidArgument,
                          At("expected a string", kLogPath, ".attributes[0].key")));
  EXPECT_THAT(DecodeLogs(Logs(R"({"attributes":[null]})")),
              IsErrorWith(StatusCode::kInvalidArgument,
                          At("expected an object", kLogPath, ".attributes[0]")));
}

TEST_F(DecodeJsonTest, HexAndBase64Ids) {
  ASSERT_THAT(DecodeLogs(Logs(R"({"traceId":"AAECAwQFBgcICQoLDA0ODw==","spanId":"AAECAwQFBgc="},
      {"traceId":"AAECAwQFBgcICQoLDA0ODw","spanId":"AAECAwQFBgc"},
      {"traceId":"","spanId":""},
      {"traceId":"0123456789ABCDEFabcdef0123456789","spanId":"-_-_-_-_-_8"})")),
              IsOk());
  EXPECT_EQ(ToHex(Record(0).trace_id.bytes), "000102030405060708090a0b0c0d0e0f");
  EXPECT_EQ(ToHex(Record(0).span_id.bytes), "0001020304050607");
  EXPECT_EQ(ToHex(Record(1).trace_id.bytes), "000102030405060708090a0b0c0d0e0f");
  EXPECT_EQ(ToHex(Record(1).span_id.bytes), "0001020304050607");
  EXPECT_TRUE(Record(2).trace_id.bytes.empty());
  EXPECT_TRUE(Record(2).trace_id.error.empty());
  EXPECT_EQ(ToHex(Record(3).trace_id.bytes), "0123456789abcdefabcdef0123456789");
  EXPECT_EQ(Record(3).span_id.bytes.size(), 8u);  // URL-safe base64
}

TEST_F(DecodeJsonTest, BadIdsKeepTheRecordWithAReason) {
  ASSERT_THAT(DecodeLogs(Logs(R"({"traceId":"not an id","spanId":"abc","severityText":"kept"},
      {"traceId":"abcd","spanId":"00112233445566778899"},
      {"traceId":"AAECAwQFBgcICQoLDA0O","spanId":"zz"})")),
              IsOk());
  ASSERT_EQ(logs_.resource_logs[0].scope_logs[0].log_records.size(), 3u);
  EXPECT_EQ(Record(0).trace_id.error, "trace id is not 32 hex digits or base64 of 16 bytes");
  EXPECT_TRUE(Record(0).trace_id.bytes.empty());
  EXPECT_EQ(Record(0).span_id.error, "span id is not 16 hex digits or base64 of 8 bytes");
  EXPECT_EQ(Record(0).severity_text, "kept");
  // Hex of the wrong length stays hex: the converter rejects the record for its length.
  EXPECT_EQ(ToHex(Record(1).trace_id.bytes), "abcd");
  EXPECT_TRUE(Record(1).trace_id.error.empty());
  EXPECT_EQ(Record(1).span_id.bytes.size(), 10u);
  // Base64 of 15 bytes is not an id, nor is text that is neither hex nor base64.
  EXPECT_FALSE(Record(2).trace_id.error.empty());
  EXPECT_FALSE(Record(2).span_id.error.empty());
  EXPECT_THAT(
      DecodeLogs(Logs(R"({"traceId":12})")),
      IsErrorWith(StatusCode::kInvalidArgument, At("expected a hex string", kLogPath, ".traceId")));
}

TEST_F(DecodeJsonTest, UnknownKeysAreIgnored) {
  ASSERT_THAT(DecodeLogs(R"({"unknown":[1,{"a":2}],"resourceLogs":[{"extra":true,
      "resource":{"entityRefs":[{}],"name":5},"scopeLogs":[{"logRecords":[{"name":5,
      "future":{"x":[null]},"severityText":"ok"}],"other":"x"}]}],"partialSuccess":{}})"),
              IsOk());
  EXPECT_EQ(Record().severity_text, "ok");
}

TEST_F(DecodeJsonTest, NullMeansAbsent) {
  ASSERT_THAT(DecodeLogs(R"({"resourceLogs":[{"resource":null,"schemaUrl":null,"scopeLogs":[
      {"scope":null,"logRecords":[{"timeUnixNano":null,"traceId":null,"attributes":null,
      "severityText":null}]}]}]})"),
              IsOk());
  EXPECT_EQ(Record().time_unix_nano, 0u);
  EXPECT_TRUE(Record().attributes.empty());
  ASSERT_THAT(DecodeLogs(R"({"resourceLogs":null})"), IsOk());
}

TEST_F(DecodeJsonTest, WrongTypesAreErrorsWithThePath) {
  EXPECT_THAT(DecodeLogs("[]"),
              IsErrorWith(StatusCode::kInvalidArgument, "json: expected an object at $"));
  EXPECT_THAT(
      DecodeLogs(R"({"resourceLogs":{}})"),
      IsErrorWith(StatusCode::kInvalidArgument, "json: expected an array at $.resourceLogs"));
  EXPECT_THAT(DecodeLogs(R"({"resourceLogs":[{"resource":{"attributes":{}}}]})"),
              IsErrorWith(StatusCode::kInvalidArgument,
                          "json: expected an array at $.resourceLogs[0].resource.attributes"));
  EXPECT_THAT(DecodeLogs(R"({"resourceLogs":[{},{"scopeLogs":[{"scope":{"name":5}}]}]})"),
              IsErrorWith(StatusCode::kInvalidArgument,
                          "json: expected a string at $.resourceLogs[1].scopeLogs[0].scope.name"));
  EXPECT_THAT(DecodeLogs(R"({"resource_logs":[{"scope_logs":[{"log_records":[{},{},
      {"severity_text":false}]}]}]})"),
              IsErrorWith(StatusCode::kInvalidArgument,
                          "json: expected a string at "
                          "$.resource_logs[0].scope_logs[0].log_records[2].severity_text"));
  EXPECT_THAT(
      DecodeLogs(R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[7]}]}]})"),
      IsErrorWith(StatusCode::kInvalidArgument,
                  "json: expected an object at $.resourceLogs[0].scopeLogs[0].logRecords[0]"));
  EXPECT_THAT(DecodeLogs(R"({"resourceLogs":[{"resource":"r"}]})"),
              IsErrorWith(StatusCode::kInvalidArgument,
                          "json: expected an object at $.resourceLogs[0].resource"));
}

TEST_F(DecodeJsonTest, SyntaxErrorsCarryTheByteOffset) {
  EXPECT_THAT(DecodeLogs(R"({"resourceLogs":[}])"),
              IsErrorWith(StatusCode::kInvalidArgument, "json: unexpected character at byte 17"));
  EXPECT_THAT(DecodeLogs(""), IsErrorWith(StatusCode::kInvalidArgument, "end of input"));
}

TEST_F(DecodeJsonTest, DuplicateKeysLastOneWins) {
  ASSERT_THAT(DecodeLogs(Logs(R"({"severityText":"a","severity_text":"b",
      "attributes":[{"key":"x"},{"key":"y"}],"attributes":[{"key":"z"}],
      "body":{"stringValue":"one"},"body":{"intValue":2}})")),
              IsOk());
  EXPECT_EQ(Record().severity_text, "b");
  ASSERT_EQ(Record().attributes.size(), 1u);
  EXPECT_EQ(Record().attributes[0].key, "z");
  EXPECT_EQ(Record().body.kind, ValueKind::kInt);
  ASSERT_THAT(DecodeLogsJson(R"({"resourceLogs":[{},{}],"resourceLogs":[{"schemaUrl":"last"}]})",
                             arena_, &logs_),
              IsOk());
  // DecodeLogsJson appends: the request decoded above is still there.
  ASSERT_EQ(logs_.resource_logs.size(), 2u);
  EXPECT_EQ(logs_.resource_logs[1].schema_url, "last");
}

TEST_F(DecodeJsonTest, UnicodeStrings) {
  ASSERT_THAT(DecodeLogs(Logs("{\"severityText\":\"caf\\u00e9 \xE2\x9C\x93 \\ud83d\\ude00\","
                              "\"eventName\":\"bad \xC0\xAF end\","
                              "\"attributes\":[{\"key\":\"\\u65e5\\u672c\",\"value\":"
                              "{\"stringValue\":\"\xE6\x97\xA5\\n\"}}]}")),
              IsOk());
  EXPECT_EQ(Record().severity_text, "caf\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x98\x80");
  EXPECT_EQ(Record().event_name, "bad " + kFffd + kFffd + " end");
  EXPECT_EQ(Record().attributes.at(0).key, "\xE6\x97\xA5\xE6\x9C\xAC");
  EXPECT_EQ(Record().attributes.at(0).value.string_value, "\xE6\x97\xA5\n");
}

// ---- JSON Lines -----------------------------------------------------------------------------

TEST_F(DecodeJsonTest, JsonLinesAppendsEveryLineAndSkipsBlankOnes) {
  const std::string body = "\n" + Logs(R"({"severityText":"1"})") + "\r\n   \n\t\r\n" +
                           Logs(R"({"severityText":"2"},{"severityText":"3"})") + "\n" +
                           R"({"resourceLogs":[{"schemaUrl":"a"}],"resourceLogs":[]})" + "\n\n";
  ASSERT_THAT(DecodeLogsJsonLines(body, arena_, &logs_), IsOk());
  // The third line's second "resourceLogs" replaces only that line's own elements.
  ASSERT_EQ(logs_.resource_logs.size(), 2u);
  EXPECT_EQ(logs_.resource_logs[0].scope_logs[0].log_records.at(0).severity_text, "1");
  EXPECT_EQ(logs_.resource_logs[1].scope_logs[0].log_records.at(1).severity_text, "3");
  ASSERT_THAT(DecodeLogsJsonLines("", arena_, &logs_), IsOk());
  ASSERT_THAT(DecodeLogsJsonLines("\n \n", arena_, &logs_), IsOk());
  EXPECT_EQ(logs_.resource_logs.size(), 2u);
}

TEST_F(DecodeJsonTest, JsonLinesErrorsNameTheLine) {
  const std::string ok = Logs("{}");
  EXPECT_THAT(
      DecodeLogsJsonLines(ok + "\n\n" + ok + "\n{\"resourceLogs\":[}\n", arena_, &logs_),
      IsErrorWith(StatusCode::kInvalidArgument, "line 4: json: unexpected character at byte 17"));
  EXPECT_THAT(DecodeLogsJsonLines(ok + "\r\n" + Logs(R"({"flags":"x"})"), arena_, &logs_),
              IsErrorWith(StatusCode::kInvalidArgument, std::string("line 2: json: expected an "
                                                                    "integer at ") +
                                                            std::string(kLogPath) + ".flags"));
  EXPECT_THAT(DecodeLogsJsonLines(ok + "\n" + ok + " x", arena_, &logs_),
              IsErrorWith(StatusCode::kInvalidArgument, "line 2: json: unexpected data"));
}

}  // namespace
}  // namespace o2p::otlp::json_test
