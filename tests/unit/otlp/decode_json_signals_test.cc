// OTLP/JSON decoding of traces and metrics; logs and the shared rules are in
// decode_json_test.cc.
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
using ::testing::ElementsAre;

// ---- traces ---------------------------------------------------------------------------------

constexpr std::string_view kFullSpan = R"({
  "traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174",
  "parentSpanId": "eee19b7ec3c1b173", "traceState": "k=v", "flags": 257,
  "name": "GET /", "kind": "SPAN_KIND_SERVER",
  "startTimeUnixNano": "1700000000000000000", "endTimeUnixNano": 1700000000000000500,
  "attributes": [{"key": "http.method", "value": {"stringValue": "GET"}}],
  "droppedAttributesCount": 1, "droppedEventsCount": 2, "droppedLinksCount": 3,
  "events": [{"timeUnixNano": "1700000000000000100", "name": "ev",
              "attributes": [{"key": "a", "value": {"intValue": 1}}], "droppedAttributesCount": 4}],
  "links": [{"traceId": "AAECAwQFBgcICQoLDA0ODw==", "spanId": "0001020304050607",
             "traceState": "t", "attributes": [{"key": "l", "value": {}}],
             "droppedAttributesCount": 5, "flags": 1}],
  "status": {"code": "STATUS_CODE_ERROR", "message": "boom"}
})";

TEST_F(DecodeJsonTest, TracesFullSpan) {
  ASSERT_THAT(DecodeSpans(Spans(kFullSpan)), IsOk());
  const Span& s = SpanAt();
  EXPECT_EQ(ToHex(s.trace_id.bytes), "5b8efff798038103d269b633813fc60c");
  EXPECT_EQ(ToHex(s.span_id.bytes), "eee19b7ec3c1b174");
  EXPECT_EQ(ToHex(s.parent_span_id.bytes), "eee19b7ec3c1b173");
  EXPECT_EQ(s.trace_state, "k=v");
  EXPECT_EQ(s.flags, 257u);
  EXPECT_EQ(s.name, "GET /");
  EXPECT_EQ(s.kind, 2);
  EXPECT_EQ(s.start_time_unix_nano, 1700000000000000000u);
  EXPECT_EQ(s.end_time_unix_nano, 1700000000000000500u);
  EXPECT_EQ(s.attributes.at(0).value.string_value, "GET");
  EXPECT_EQ(s.dropped_attributes_count, 1u);
  EXPECT_EQ(s.dropped_events_count, 2u);
  EXPECT_EQ(s.dropped_links_count, 3u);
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].time_unix_nano, 1700000000000000100u);
  EXPECT_EQ(s.events[0].name, "ev");
  EXPECT_EQ(s.events[0].attributes.at(0).value.int_value, 1);
  EXPECT_EQ(s.events[0].dropped_attributes_count, 4u);
  ASSERT_EQ(s.links.size(), 1u);
  EXPECT_EQ(ToHex(s.links[0].trace_id.bytes), "000102030405060708090a0b0c0d0e0f");
  EXPECT_EQ(ToHex(s.links[0].span_id.bytes), "0001020304050607");
  EXPECT_EQ(s.links[0].trace_state, "t");
  EXPECT_EQ(s.links[0].attributes.at(0).value.kind, ValueKind::kNone);
  EXPECT_EQ(s.links[0].dropped_attributes_count, 5u);
  EXPECT_EQ(s.links[0].flags, 1u);
  EXPECT_TRUE(s.has_status);
  EXPECT_EQ(s.status.code, 2);
  EXPECT_EQ(s.status.message, "boom");
}

TEST_F(DecodeJsonTest, TracesSnakeCaseEnumsAndStatusPresence) {
  ASSERT_THAT(DecodeSpans(R"({"resource_spans":[{"scope_spans":[{"spans":[
      {"trace_id":"000102030405060708090a0b0c0d0e0f","parent_span_id":"",
       "start_time_unix_nano":1,"end_time_unix_nano":"2","kind":3,"status":{},
       "dropped_events_count":6,"dropped_links_count":7,
       "links":[{"trace_state":"x","dropped_attributes_count":1}]},
      {"kind":"SPAN_KIND_CONSUMER","status":{"code":1}},
      {"kind":"SPAN_KIND_UNSPECIFIED","status":null},
      {"status":{"code":"STATUS_CODE_OK"}}]}]}]})"),
              IsOk());
  EXPECT_EQ(SpanAt(0).trace_id.bytes.size(), 16u);
  EXPECT_TRUE(SpanAt(0).parent_span_id.bytes.empty());
  EXPECT_EQ(SpanAt(0).start_time_unix_nano, 1u);
  EXPECT_EQ(SpanAt(0).end_time_unix_nano, 2u);
  EXPECT_EQ(SpanAt(0).kind, 3);
  EXPECT_TRUE(SpanAt(0).has_status);
  EXPECT_EQ(SpanAt(0).status.code, 0);
  EXPECT_EQ(SpanAt(0).dropped_events_count, 6u);
  EXPECT_EQ(SpanAt(0).dropped_links_count, 7u);
  EXPECT_EQ(SpanAt(0).links.at(0).trace_state, "x");
  EXPECT_EQ(SpanAt(0).links.at(0).dropped_attributes_count, 1u);
  EXPECT_EQ(SpanAt(1).kind, 5);
  EXPECT_EQ(SpanAt(1).status.code, 1);
  EXPECT_EQ(SpanAt(2).kind, 0);
  EXPECT_FALSE(SpanAt(2).has_status);
  EXPECT_EQ(SpanAt(3).status.code, 1);
}

TEST_F(DecodeJsonTest, TracesErrorsAndBadIds) {
  EXPECT_THAT(
      DecodeSpans(Spans(R"({"kind":"SERVER"})")),
      IsErrorWith(StatusCode::kInvalidArgument, At("unknown enum name", kSpanPath, ".kind")));
  EXPECT_THAT(DecodeSpans(Spans(R"({"status":{"code":"STATUS_CODE_FAILED"}})")),
              IsErrorWith(StatusCode::kInvalidArgument,
                          At("unknown enum name", kSpanPath, ".status.code")));
  EXPECT_THAT(DecodeSpans(Spans(R"({"events":[{},{"timeUnixNano":"x"}]})")),
              IsErrorWith(StatusCode::kInvalidArgument,
                          At("expected an integer", kSpanPath, ".events[1].timeUnixNano")));
  EXPECT_THAT(
      DecodeSpans(Spans(R"({"links":{}})")),
      IsErrorWith(StatusCode::kInvalidArgument, At("expected an array", kSpanPath, ".links")));
  EXPECT_THAT(
      DecodeSpans(Spans(R"({"status":[]})")),
      IsErrorWith(StatusCode::kInvalidArgument, At("expected an object", kSpanPath, ".status")));
  ASSERT_THAT(
      DecodeSpans(Spans(R"({"traceId":"xyz","parentSpanId":"0g","links":[{"spanId":"q"}]})")),
      IsOk());
  EXPECT_FALSE(SpanAt().trace_id.error.empty());
  EXPECT_EQ(SpanAt().parent_span_id.error,
            "parent span id is not 16 hex digits or base64 of 8 bytes");
  EXPECT_FALSE(SpanAt().links.at(0).span_id.error.empty());
}

// ---- metrics --------------------------------------------------------------------------------

TEST_F(DecodeJsonTest, MetricsGaugeAndSumWithExemplars) {
  ASSERT_THAT(DecodeMetrics(Metrics(R"(
      {"name":"g","description":"d","unit":"ms","metadata":[{"key":"m","value":{"intValue":1}}],
       "gauge":{"dataPoints":[
         {"attributes":[{"key":"a","value":{"stringValue":"b"}}],"startTimeUnixNano":"1",
          "timeUnixNano":2,"asDouble":1.5,"flags":1,
          "exemplars":[{"filteredAttributes":[{"key":"f","value":{"boolValue":true}}],
                        "timeUnixNano":"3","asInt":"-4","spanId":"0001020304050607",
                        "traceId":"000102030405060708090a0b0c0d0e0f"},
                       {"asDouble":"NaN","spanId":"bad!"}]},
         {"asInt":"9223372036854775807"},
         {"asDouble":"-Infinity"},
         {}]}},
      {"name":"s","sum":{"dataPoints":[{"as_int":7}],"aggregationTemporality":
       "AGGREGATION_TEMPORALITY_CUMULATIVE","isMonotonic":true}},
      {"name":"s2","sum":{"data_points":[],"aggregation_temporality":1,"is_monotonic":false}})")),
              IsOk());
  const Metric& g = MetricAt(0);
  EXPECT_EQ(g.name, "g");
  EXPECT_EQ(g.description, "d");
  EXPECT_EQ(g.unit, "ms");
  EXPECT_EQ(g.metadata.at(0).key, "m");
  ASSERT_EQ(g.kind, MetricKind::kGauge);
  ASSERT_EQ(g.number_points.size(), 4u);
  const NumberDataPoint& p = g.number_points[0];
  EXPECT_EQ(p.attributes.at(0).value.string_value, "b");
  EXPECT_EQ(p.start_time_unix_nano, 1u);
  EXPECT_EQ(p.time_unix_nano, 2u);
  EXPECT_EQ(p.value_kind, NumberKind::kDouble);
  EXPECT_EQ(p.as_double, 1.5);
  EXPECT_EQ(p.flags, 1u);
  ASSERT_EQ(p.exemplars.size(), 2u);
  EXPECT_TRUE(p.exemplars[0].filtered_attributes.at(0).value.bool_value);
  EXPECT_EQ(p.exemplars[0].time_unix_nano, 3u);
  EXPECT_EQ(p.exemplars[0].value_kind, NumberKind::kInt);
  EXPECT_EQ(p.exemplars[0].as_int, -4);
  EXPECT_EQ(p.exemplars[0].span_id.bytes.size(), 8u);
  EXPECT_EQ(p.exemplars[0].trace_id.bytes.size(), 16u);
  EXPECT_TRUE(std::isnan(p.exemplars[1].as_double));
  EXPECT_FALSE(p.exemplars[1].span_id.error.empty());
  EXPECT_EQ(g.number_points[1].value_kind, NumberKind::kInt);
  EXPECT_EQ(g.number_points[1].as_int, kMaxI64);
  EXPECT_EQ(g.number_points[2].as_double, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(g.number_points[3].value_kind, NumberKind::kNone);
  const Metric& s = MetricAt(1);
  ASSERT_EQ(s.kind, MetricKind::kSum);
  EXPECT_EQ(s.number_points.at(0).as_int, 7);
  EXPECT_EQ(s.aggregation_temporality, 2);
  EXPECT_TRUE(s.is_monotonic);
  EXPECT_EQ(MetricAt(2).kind, MetricKind::kSum);
  EXPECT_EQ(MetricAt(2).aggregation_temporality, 1);
}

TEST_F(DecodeJsonTest, MetricsHistogram) {
  ASSERT_THAT(DecodeMetrics(Metrics(R"({"name":"h","histogram":{"aggregationTemporality":
      "AGGREGATION_TEMPORALITY_DELTA","dataPoints":[
      {"count":"18446744073709551615","sum":0,"bucketCounts":["1",2,"18446744073709551615"],
       "explicitBounds":[0.5,"1.5","Infinity"],"min":-1,"max":"NaN","flags":1,
       "timeUnixNano":"10","exemplars":[{"asDouble":3}]},
      {"count":3,"bucket_counts":[],"explicit_bounds":[]}]}})")),
              IsOk());
  const Metric& m = MetricAt();
  ASSERT_EQ(m.kind, MetricKind::kHistogram);
  EXPECT_EQ(m.aggregation_temporality, 1);
  ASSERT_EQ(m.histogram_points.size(), 2u);
  const HistogramDataPoint& p = m.histogram_points[0];
  EXPECT_EQ(p.count, kMaxU64);
  EXPECT_TRUE(p.has_sum);
  EXPECT_EQ(p.sum, 0.0);
  EXPECT_THAT(p.bucket_counts, ElementsAre(1u, 2u, kMaxU64));
  ASSERT_EQ(p.explicit_bounds.size(), 3u);
  EXPECT_EQ(p.explicit_bounds[1], 1.5);
  EXPECT_EQ(p.explicit_bounds[2], std::numeric_limits<double>::infinity());
  EXPECT_TRUE(p.has_min);
  EXPECT_EQ(p.min, -1.0);
  EXPECT_TRUE(p.has_max);
  EXPECT_TRUE(std::isnan(p.max));
  EXPECT_EQ(p.flags, 1u);
  EXPECT_EQ(p.time_unix_nano, 10u);
  EXPECT_EQ(p.exemplars.at(0).as_double, 3.0);
  const HistogramDataPoint& q = m.histogram_points[1];
  EXPECT_EQ(q.count, 3u);
  EXPECT_FALSE(q.has_sum);
  EXPECT_FALSE(q.has_min);
  EXPECT_FALSE(q.has_max);
}

TEST_F(DecodeJsonTest, MetricsExponentialHistogram) {
  ASSERT_THAT(DecodeMetrics(Metrics(R"({"name":"e","exponentialHistogram":{
      "aggregationTemporality":2,"dataPoints":[
      {"count":5,"sum":"2.5","scale":-3,"zeroCount":"1","zeroThreshold":1e-9,
       "positive":{"offset":-2,"bucketCounts":["1","2"]},"negative":{"bucketCounts":[3]},
       "min":0.1,"max":9,"flags":0,"exemplars":[{"asInt":1}],"attributes":[]}]}},
      {"name":"e2","exponential_histogram":{"data_points":[{"zero_count":4,"zero_threshold":0,
       "positive":{"offset":"3","bucket_counts":[]}}]}})")),
              IsOk());
  const Metric& m = MetricAt(0);
  ASSERT_EQ(m.kind, MetricKind::kExponentialHistogram);
  EXPECT_EQ(m.aggregation_temporality, 2);
  const ExponentialHistogramDataPoint& p = m.exponential_histogram_points.at(0);
  EXPECT_EQ(p.count, 5u);
  EXPECT_TRUE(p.has_sum);
  EXPECT_EQ(p.sum, 2.5);
  EXPECT_EQ(p.scale, -3);
  EXPECT_EQ(p.zero_count, 1u);
  EXPECT_EQ(p.zero_threshold, 1e-9);
  EXPECT_EQ(p.positive.offset, -2);
  EXPECT_THAT(p.positive.bucket_counts, ElementsAre(1u, 2u));
  EXPECT_EQ(p.negative.offset, 0);
  EXPECT_THAT(p.negative.bucket_counts, ElementsAre(3u));
  EXPECT_TRUE(p.has_min);
  EXPECT_EQ(p.min, 0.1);
  EXPECT_EQ(p.max, 9.0);
  EXPECT_EQ(p.exemplars.at(0).as_int, 1);
  const Metric& m2 = MetricAt(1);
  ASSERT_EQ(m2.kind, MetricKind::kExponentialHistogram);
  EXPECT_EQ(m2.exponential_histogram_points.at(0).zero_count, 4u);
  EXPECT_EQ(m2.exponential_histogram_points.at(0).positive.offset, 3);
  EXPECT_FALSE(m2.exponential_histogram_points.at(0).has_sum);
}

TEST_F(DecodeJsonTest, MetricsSummaryAndNoData) {
  ASSERT_THAT(DecodeMetrics(Metrics(R"({"name":"s","summary":{"dataPoints":[
      {"count":"4","sum":10.5,"quantileValues":[{"quantile":0.5,"value":2},
       {"quantile":"1","value":"Infinity"}],"startTimeUnixNano":1,"flags":1}]}},
      {"name":"none"},{"name":"nulldata","gauge":null})")),
              IsOk());
  const Metric& m = MetricAt(0);
  ASSERT_EQ(m.kind, MetricKind::kSummary);
  const SummaryDataPoint& p = m.summary_points.at(0);
  EXPECT_EQ(p.count, 4u);
  EXPECT_EQ(p.sum, 10.5);
  ASSERT_EQ(p.quantile_values.size(), 2u);
  EXPECT_EQ(p.quantile_values[0].quantile, 0.5);
  EXPECT_EQ(p.quantile_values[0].value, 2.0);
  EXPECT_EQ(p.quantile_values[1].value, std::numeric_limits<double>::infinity());
  EXPECT_EQ(p.start_time_unix_nano, 1u);
  EXPECT_EQ(p.flags, 1u);
  EXPECT_EQ(MetricAt(1).kind, MetricKind::kNone);
  EXPECT_EQ(MetricAt(2).kind, MetricKind::kNone);
}

TEST_F(DecodeJsonTest, MetricsLastDataMemberWins) {
  ASSERT_THAT(DecodeMetrics(Metrics(R"({"gauge":{"dataPoints":[{"asInt":1}]},
      "histogram":{"dataPoints":[{"count":1}],"aggregationTemporality":1}})")),
              IsOk());
  EXPECT_EQ(MetricAt().kind, MetricKind::kHistogram);
  EXPECT_TRUE(MetricAt().number_points.empty());
  EXPECT_EQ(MetricAt().histogram_points.size(), 1u);
}

TEST_F(DecodeJsonTest, MetricsErrorsNameThePath) {
  EXPECT_THAT(
      DecodeMetrics(Metrics(R"({"histogram":{"dataPoints":[{"bucketCounts":[1,2,-3]}]}})")),
      IsErrorWith(StatusCode::kInvalidArgument, At("uint64 out of range", kMetricPath,
                                                   ".histogram.dataPoints[0].bucketCounts[2]")));
  EXPECT_THAT(
      DecodeMetrics(Metrics(R"({"histogram":{"dataPoints":[{"explicitBounds":[true]}]}})")),
      IsErrorWith(StatusCode::kInvalidArgument, At("expected a number", kMetricPath,
                                                   ".histogram.dataPoints[0].explicitBounds[0]")));
  EXPECT_THAT(DecodeMetrics(Metrics(R"({"sum":{"aggregationTemporality":"CUMULATIVE"}})")),
              IsErrorWith(StatusCode::kInvalidArgument,
                          At("unknown enum name", kMetricPath, ".sum.aggregationTemporality")));
  EXPECT_THAT(DecodeMetrics(Metrics(R"({"sum":{"isMonotonic":"true"}})")),
              IsErrorWith(StatusCode::kInvalidArgument,
                          At("expected a boolean", kMetricPath, ".sum.isMonotonic")));
  EXPECT_THAT(
      DecodeMetrics(Metrics(R"({"exponentialHistogram":{"dataPoints":[{"scale":2147483648}]}})")),
      IsErrorWith(StatusCode::kInvalidArgument, At("int32 out of range", kMetricPath,
                                                   ".exponentialHistogram.dataPoints[0].scale")));
  EXPECT_THAT(DecodeMetrics(Metrics(R"({"exponentialHistogram":{"dataPoints":[{"positive":
                            {"offset":1.5}}]}})")),
              IsErrorWith(StatusCode::kInvalidArgument,
                          At("expected an integer, got a fraction", kMetricPath,
                             ".exponentialHistogram.dataPoints[0].positive.offset")));
  EXPECT_THAT(DecodeMetrics(Metrics(R"({"gauge":{"dataPoints":[{"exemplars":[{"asInt":0.5}]}]}})")),
              IsErrorWith(StatusCode::kInvalidArgument,
                          At("expected an integer, got a fraction", kMetricPath,
                             ".gauge.dataPoints[0].exemplars[0].asInt")));
  EXPECT_THAT(DecodeMetrics(Metrics(R"({"summary":{"dataPoints":[{"quantileValues":[{},
                                       {"value":"x"}]}]}})")),
              IsErrorWith(StatusCode::kInvalidArgument,
                          At("expected a number", kMetricPath,
                             ".summary.dataPoints[0].quantileValues[1].value")));
  EXPECT_THAT(
      DecodeMetrics(Metrics(R"({"gauge":[]})")),
      IsErrorWith(StatusCode::kInvalidArgument, At("expected an object", kMetricPath, ".gauge")));
}

// ---- JSON Lines -----------------------------------------------------------------------------

TEST_F(DecodeJsonTest, JsonLinesForTracesAndMetrics) {
  const std::string spans = Spans(R"({"name":"a"})") + "\n" + Spans(R"({"name":"b"})") + "\n";
  ASSERT_THAT(DecodeTracesJsonLines(spans, arena_, &traces_), IsOk());
  ASSERT_EQ(traces_.resource_spans.size(), 2u);
  EXPECT_EQ(traces_.resource_spans[1].scope_spans.at(0).spans.at(0).name, "b");
  const std::string metrics = Metrics(R"({"name":"m"})") + "\n\n" + Metrics("{\"sum\":5}");
  EXPECT_THAT(DecodeMetricsJsonLines(metrics, arena_, &metrics_),
              IsErrorWith(StatusCode::kInvalidArgument, "line 3: json: expected an object at " +
                                                            std::string(kMetricPath) + ".sum"));
  EXPECT_EQ(metrics_.resource_metrics.at(0).scope_metrics.at(0).metrics.at(0).name, "m");
}

}  // namespace
}  // namespace o2p::otlp::json_test
