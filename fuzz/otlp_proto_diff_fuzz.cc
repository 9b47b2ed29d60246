// Differential fuzzing of our OTLP/protobuf decoder (decode_proto.h, via DecodeAndConvert)
// against libprotobuf's generated parser for the same export requests.
//
// The hand-written decoder promises to read the wire format as libprotobuf does (decode_proto.h:
// unknown fields and wrong wire types skipped, packed and unpacked repeated scalars, singular
// messages merged, last scalar and last oneof member win, the same nesting limit). For each of
// logs, traces and metrics the same bytes go to both:
//   - both must accept or both must reject;
//   - when both accept, libprotobuf's message is serialized again (canonical bytes: one value
//     per scalar, merged submessages, unknown fields kept) and our decoder must turn those bytes
//     into exactly the rows, and the accepted/rejected counts, it made of the original bytes.
// So every non-canonical encoding the fuzzer invents is read the way libprotobuf reads it.
//
// Deliberate differences, each skipped as narrowly as possible:
//   - invalid UTF-8 in a `string` field: libprotobuf (proto3) rejects the message, we repair it
//     with U+FFFD (schema.md, "string" row). A body the generated parser refuses is parsed
//     again with the same schema in which every `string` is `bytes`, and that verdict (and that
//     message's re-serialization) is what ours is compared against.
//   - the decode memory budget (decode_budget.h): we refuse with RESOURCE_EXHAUSTED bodies that
//     would decode into too much memory; libprotobuf has no such limit.
//   - a 5-byte tag whose value passes 32 bits: we refuse it (proto_reader.h, ReadTag: no field
//     number and wire type need those bits), libprotobuf silently drops the extra bits and reads
//     whatever field the low 32 bits name. Only our refusal with exactly that error is excused.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/message.h>
#include <google/protobuf/stubs/logging.h>

#include "fuzz_check.h"
#include "o2p/otlp/export_request.h"
#include "support/batch_text.h"

namespace {

namespace pb = google::protobuf;
namespace collector = opentelemetry::proto::collector;
using o2p::fuzz::Check;
using o2p::fuzz::Fail;

// What our decoder made of one body: its verdict and, when it accepted, its rows as text.
struct Outcome {
  bool ok = false;
  bool over_budget = false;  // refused by the decode memory budget (decode_budget.h)
  std::string error;
  std::string rows;  // every table's rows and the ConvertStats counts
};

Outcome DecodeOurs(o2p::otlp::Signal signal, std::string_view body) {
  o2p::otlp::TableBatches batches;
  o2p::Result<o2p::otlp::ConvertStats> stats =
      o2p::otlp::DecodeAndConvert(signal, o2p::otlp::Encoding::kProtobuf, body, {}, &batches);
  Outcome outcome;
  outcome.ok = stats.ok();
  if (!stats.ok()) {
    outcome.over_budget = stats.error().code() == o2p::StatusCode::kResourceExhausted;
    outcome.error = stats.error().ToString();
    return outcome;
  }
  o2p::fuzz::CheckConversion(true, stats->accepted, batches);
  outcome.rows = o2p::testing::RenderBatches(batches) +
                 "accepted=" + std::to_string(stats->accepted) +
                 " rejected=" + std::to_string(stats->rejected);
  return outcome;
}

// The OTLP schema with every `string` field declared `bytes` instead: the same wire format,
// minus libprotobuf's UTF-8 check. Messages come from a DynamicMessageFactory over it.
class BytesSchema {
 public:
  BytesSchema() {
    AddFile(collector::logs::v1::ExportLogsServiceRequest::descriptor()->file());
    AddFile(collector::trace::v1::ExportTraceServiceRequest::descriptor()->file());
    AddFile(collector::metrics::v1::ExportMetricsServiceRequest::descriptor()->file());
  }

  /// An empty message of the type that `generated` describes.
  std::unique_ptr<pb::Message> New(const pb::Descriptor* generated) const {
    const pb::Descriptor* type = pool_.FindMessageTypeByName(generated->full_name());
    Check(type != nullptr, "a request type is missing from the bytes-only schema");
    return std::unique_ptr<pb::Message>(factory_.GetPrototype(type)->New());
  }

 private:
  void AddFile(const pb::FileDescriptor* file) {
    if (pool_.FindFileByName(file->name()) != nullptr) return;
    for (int i = 0; i < file->dependency_count(); ++i) AddFile(file->dependency(i));
    pb::FileDescriptorProto proto;
    file->CopyTo(&proto);
    for (pb::DescriptorProto& message : *proto.mutable_message_type()) StringsToBytes(&message);
    Check(pool_.BuildFile(proto) != nullptr, "the bytes-only OTLP schema does not build");
  }

  static void StringsToBytes(pb::DescriptorProto* message) {
    for (pb::FieldDescriptorProto& field : *message->mutable_field()) {
      if (field.type() == pb::FieldDescriptorProto::TYPE_STRING) {
        field.set_type(pb::FieldDescriptorProto::TYPE_BYTES);
      }
    }
    for (pb::DescriptorProto& nested : *message->mutable_nested_type()) StringsToBytes(&nested);
  }

  pb::DescriptorPool pool_;
  mutable pb::DynamicMessageFactory factory_{&pool_};
};

// Our error for a tag over 32 bits (ProtoReader::TagError), the one refusal libprotobuf does
// not share.
bool IsTagOver32BitsError(const Outcome& ours) {
  return ours.error.find("does not fit in 32 bits") != std::string::npos;
}

void IgnoreProtobufLog(pb::LogLevel, const char*, int, const std::string&) {}

[[noreturn]] void FailWithDetail(std::string_view what, const Outcome& ours,
                                 const std::string& detail) {
  std::fprintf(stderr, "ours: %s\n%s\n--- other side:\n%s\n",
               ours.ok ? "accepted" : ours.error.c_str(), ours.rows.c_str(), detail.c_str());
  Fail(what);
}

// Parses `body` as libprotobuf would, but without its UTF-8 check (see the top of the file): a
// body the generated parser refuses is parsed again with the bytes-only schema. Null when both
// refuse it.
std::unique_ptr<pb::Message> ParseTheirs(const pb::Message& prototype, std::string_view body) {
  std::unique_ptr<pb::Message> message(prototype.New());
  const int size = static_cast<int>(body.size());
  if (message->ParseFromArray(body.data(), size)) return message;
  static const BytesSchema bytes_schema;
  message = bytes_schema.New(prototype.GetDescriptor());
  if (message->ParseFromArray(body.data(), size)) return message;
  return nullptr;
}

void CheckSignal(o2p::otlp::Signal signal, const pb::Message& prototype, std::string_view body) {
  const Outcome ours = DecodeOurs(signal, body);
  if (ours.over_budget) return;  // libprotobuf has no decode budget
  const std::unique_ptr<pb::Message> theirs = ParseTheirs(prototype, body);
  if (ours.ok && theirs == nullptr) {
    FailWithDetail("we accept a body libprotobuf rejects (even with strings read as bytes)", ours,
                   "");
  }
  if (!ours.ok && theirs != nullptr && !IsTagOver32BitsError(ours)) {
    FailWithDetail("we reject a body libprotobuf accepts", ours, theirs->DebugString());
  }
  if (!ours.ok) return;

  const std::string canonical = theirs->SerializeAsString();
  const Outcome again = DecodeOurs(signal, canonical);
  if (again.over_budget) return;
  if (!again.ok) {
    FailWithDetail("we reject libprotobuf's re-serialization of a body we accept", ours,
                   again.error);
  }
  if (again.rows != ours.rows) {
    FailWithDetail("rows differ from those of libprotobuf's re-serialization", ours, again.rows);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // libprotobuf logs every invalid UTF-8 string it refuses; that is expected here.
  static pb::LogHandler* const previous_handler = pb::SetLogHandler(&IgnoreProtobufLog);
  static_cast<void>(previous_handler);

  const std::string_view body = o2p::fuzz::AsText(data, size);
  CheckSignal(o2p::otlp::Signal::kLogs,
              collector::logs::v1::ExportLogsServiceRequest::default_instance(), body);
  CheckSignal(o2p::otlp::Signal::kTraces,
              collector::trace::v1::ExportTraceServiceRequest::default_instance(), body);
  CheckSignal(o2p::otlp::Signal::kMetrics,
              collector::metrics::v1::ExportMetricsServiceRequest::default_instance(), body);
  return 0;
}
