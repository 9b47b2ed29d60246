#include "o2p/iceberg/avro/datum_reader.h"

#include <utility>

#include "o2p/base/macros.h"

namespace o2p::iceberg::avro {

const Value* Value::Field(std::string_view name) const {
  if (type != AvroType::kRecord || schema == nullptr) return nullptr;
  for (size_t i = 0; i < schema->fields.size() && i < items.size(); ++i) {
    if (schema->fields[i].name == name) return &items[i];
  }
  return nullptr;
}

const Value* Value::FieldById(int32_t id) const {
  if (type != AvroType::kRecord || schema == nullptr) return nullptr;
  for (size_t i = 0; i < schema->fields.size() && i < items.size(); ++i) {
    if (schema->fields[i].field_id == id) return &items[i];
  }
  return nullptr;
}

namespace {

// One datum's decoding: walks the schema, reading from the shared decoder and charging the
// shared budget for every value and byte string it materializes.
class DatumDecoder {
 public:
  DatumDecoder(Decoder& decoder, DecodeBudget& budget) : decoder_(decoder), budget_(budget) {}

  Result<Value> Decode(const Node& node, int depth) {
    if (depth > budget_.max_depth) return decoder_.Error("schema nesting too deep");
    O2P_RETURN_IF_ERROR(Charge(sizeof(Value)));
    if (node.type == AvroType::kUnion) return DecodeUnion(node, depth);
    Value value;
    value.schema = &node;
    value.type = node.type;
    switch (node.type) {
      case AvroType::kRecord: O2P_RETURN_IF_ERROR(DecodeRecord(node, depth, &value)); break;
      case AvroType::kArray:
      case AvroType::kMap: O2P_RETURN_IF_ERROR(DecodeBlocks(node, depth, &value)); break;
      default: O2P_RETURN_IF_ERROR(DecodeScalar(node, &value)); break;
    }
    return value;
  }

 private:
  Status Charge(uint64_t bytes) {
    if (bytes > budget_.remaining_bytes) {
      return Status::ResourceExhausted("avro: decoded data exceeds the memory budget at byte {}",
                                       decoder_.offset());
    }
    budget_.remaining_bytes -= bytes;
    return Status::Ok();
  }

  Result<Value> DecodeUnion(const Node& node, int depth) {
    const uint64_t start = decoder_.offset();
    O2P_ASSIGN_OR_RETURN(int64_t branch, decoder_.ReadLong());
    if (branch < 0 || static_cast<uint64_t>(branch) >= node.branches.size()) {
      return Status::InvalidArgument("avro: union branch {} out of range at byte {}", branch,
                                     start);
    }
    O2P_ASSIGN_OR_RETURN(Value value,
                         Decode(*node.branches[static_cast<size_t>(branch)], depth + 1));
    value.union_branch = static_cast<int32_t>(branch);
    return value;
  }

  Status DecodeRecord(const Node& node, int depth, Value* value) {
    value->items.reserve(node.fields.size());
    for (const Field& field : node.fields) {
      O2P_ASSIGN_OR_RETURN(Value item, Decode(*field.type, depth + 1));
      value->items.push_back(std::move(item));
    }
    return Status::Ok();
  }

  // Arrays and maps are a series of blocks, each a count and that many items (map items are
  // a string key and a value), ended by a zero count (Avro 1.11, "Complex Types").
  Status DecodeBlocks(const Node& node, int depth, Value* value) {
    const bool is_map = node.type == AvroType::kMap;
    while (true) {
      O2P_ASSIGN_OR_RETURN(int64_t count, decoder_.ReadBlockCount());
      if (count == 0) return Status::Ok();
      for (int64_t i = 0; i < count; ++i) {
        if (is_map) {
          O2P_ASSIGN_OR_RETURN(std::string_view key, decoder_.ReadBytes());
          O2P_RETURN_IF_ERROR(Charge(sizeof(std::string) + key.size()));
          value->keys.emplace_back(key);
        }
        O2P_ASSIGN_OR_RETURN(Value item, Decode(*node.items, depth + 1));
        value->items.push_back(std::move(item));
      }
    }
  }

  Status DecodeScalar(const Node& node, Value* value) {
    switch (node.type) {
      case AvroType::kNull: return Status::Ok();
      case AvroType::kBoolean: return Assign(decoder_.ReadBoolean(), &value->boolean);
      case AvroType::kInt: return Assign(decoder_.ReadInt(), &value->integer);
      case AvroType::kLong: return Assign(decoder_.ReadLong(), &value->integer);
      case AvroType::kFloat: return Assign(decoder_.ReadFloat(), &value->real);
      case AvroType::kDouble: return Assign(decoder_.ReadDouble(), &value->real);
      case AvroType::kBytes:
      case AvroType::kString: return AssignBytes(decoder_.ReadBytes(), value);
      case AvroType::kFixed: return AssignBytes(decoder_.ReadFixed(node.fixed_size), value);
      case AvroType::kEnum: return DecodeEnum(node, value);
      default: return Status::Internal("avro: unexpected schema node {}", AvroTypeName(node.type));
    }
  }

  template <typename From, typename To>
  static Status Assign(Result<From> result, To* out) {
    if (!result.has_value()) return std::move(result).error();
    *out = static_cast<To>(*result);
    return Status::Ok();
  }

  Status AssignBytes(Result<std::string_view> result, Value* value) {
    if (!result.has_value()) return std::move(result).error();
    O2P_RETURN_IF_ERROR(Charge(result->size()));
    value->bytes.assign(result->data(), result->size());
    return Status::Ok();
  }

  Status DecodeEnum(const Node& node, Value* value) {
    const uint64_t start = decoder_.offset();
    O2P_ASSIGN_OR_RETURN(int32_t index, decoder_.ReadInt());
    if (index < 0 || static_cast<size_t>(index) >= node.symbols.size()) {
      return Status::InvalidArgument("avro: enum index {} out of range at byte {}", index, start);
    }
    value->integer = index;
    value->bytes = node.symbols[static_cast<size_t>(index)];
    return Status::Ok();
  }

  Decoder& decoder_;
  DecodeBudget& budget_;
};

}  // namespace

Result<Value> DecodeDatum(const Node& schema, Decoder& decoder, DecodeBudget& budget) {
  return DatumDecoder(decoder, budget).Decode(schema, 0);
}

}  // namespace o2p::iceberg::avro
