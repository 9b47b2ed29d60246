#include "support/otlp_json_writer.h"

#include <fmt/format.h>
#include <google/protobuf/descriptor.h>

#include <cmath>

#include "o2p/base/text_codec.h"

namespace o2p::testing {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\t': out->append("\\t"); break;
      case '\r': out->append("\\r"); break;
      default:
        if (c < 0x20) {
          out->append(fmt::format("\\u{:04x}", c));
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

bool IsIdField(const FieldDescriptor* field) {
  const std::string& n = field->name();
  return n == "trace_id" || n == "span_id" || n == "parent_span_id";
}

class Writer {
 public:
  explicit Writer(const OtlpJsonStyle& style) : style_(style) {}

  void WriteMessage(const Message& message, std::string* out) const {
    const Reflection* reflection = message.GetReflection();
    const auto* descriptor = message.GetDescriptor();
    out->push_back('{');
    bool first = true;
    for (int i = 0; i < descriptor->field_count(); ++i) {
      const FieldDescriptor* field = descriptor->field(i);
      if (!ShouldEmit(message, field)) continue;
      if (!first) out->push_back(',');
      first = false;
      AppendJsonString(style_.snake_case_keys ? field->name() : field->json_name(), out);
      out->push_back(':');
      if (field->is_repeated()) {
        out->push_back('[');
        for (int k = 0; k < reflection->FieldSize(message, field); ++k) {
          if (k > 0) out->push_back(',');
          WriteValue(message, field, k, out);
        }
        out->push_back(']');
      } else {
        WriteValue(message, field, -1, out);
      }
    }
    out->push_back('}');
  }

 private:
  bool ShouldEmit(const Message& message, const FieldDescriptor* field) const {
    const Reflection* reflection = message.GetReflection();
    if (field->is_repeated()) return reflection->FieldSize(message, field) > 0;
    if (field->has_presence()) return reflection->HasField(message, field);
    return style_.emit_defaults || reflection->HasField(message, field);
  }

  void WriteInt64(int64_t v, std::string* out) const {
    out->append(style_.int64_as_numbers ? fmt::format("{}", v) : fmt::format("\"{}\"", v));
  }
  void WriteUint64(uint64_t v, std::string* out) const {
    out->append(style_.int64_as_numbers ? fmt::format("{}", v) : fmt::format("\"{}\"", v));
  }

  static void WriteDouble(double v, std::string* out) {
    if (std::isnan(v)) {
      out->append("\"NaN\"");
    } else if (std::isinf(v)) {
      out->append(v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
    } else {
      out->append(fmt::format("{}", v));
    }
  }

  // `index` < 0: a singular field.
  void WriteValue(const Message& m, const FieldDescriptor* f, int index, std::string* out) const {
    const Reflection* r = m.GetReflection();
    const bool rep = index >= 0;
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        out->append(fmt::format("{}", rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f)));
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        out->append(fmt::format("{}", rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f)));
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        WriteInt64(rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f), out);
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        WriteUint64(rep ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f), out);
        break;
      case FieldDescriptor::CPPTYPE_DOUBLE:
        WriteDouble(rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f), out);
        break;
      case FieldDescriptor::CPPTYPE_FLOAT:
        WriteDouble(rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f), out);
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        out->append((rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f)) ? "true" : "false");
        break;
      case FieldDescriptor::CPPTYPE_ENUM: {
        const int number = rep ? r->GetRepeatedEnumValue(m, f, index) : r->GetEnumValue(m, f);
        // FindValueByNumber, not GetEnum: GetEnum invents names for numbers the enum lacks.
        const auto* value = f->enum_type()->FindValueByNumber(number);
        if (style_.enums_as_names && value != nullptr) {
          AppendJsonString(value->name(), out);
        } else {
          out->append(fmt::format("{}", number));
        }
        break;
      }
      case FieldDescriptor::CPPTYPE_STRING: {
        const std::string s = rep ? r->GetRepeatedString(m, f, index) : r->GetString(m, f);
        if (f->type() == FieldDescriptor::TYPE_BYTES) {
          const bool hex = IsIdField(f) && !style_.ids_as_base64;
          AppendJsonString(hex ? ToHex(s) : ToBase64(s), out);
        } else {
          AppendJsonString(s, out);
        }
        break;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE:
        WriteMessage(rep ? r->GetRepeatedMessage(m, f, index) : r->GetMessage(m, f), out);
        break;
    }
  }

  const OtlpJsonStyle& style_;
};

}  // namespace

std::string ToOtlpJson(const Message& message, const OtlpJsonStyle& style) {
  std::string out;
  Writer(style).WriteMessage(message, &out);
  return out;
}

}  // namespace o2p::testing
